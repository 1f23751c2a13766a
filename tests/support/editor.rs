//! The editor in a test: opened on a file, keys pressed one by one, the screen as text.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use scplan::check::Settings;
use scplan::config::Config;
use scplan::env::Env;
use scplan::store::OsFs;
use scplan::tui::app::App;
use scplan::tui::run::{app, perform};
use scplan::tui::update::handle_key;
use scplan::tui::view;

/// The editor on `file`, without colour, on a fixed day.
pub fn open(file: &Path, settings: Settings) -> App {
    let env = Env {
        no_color: true,
        config_path: None,
        config_origin: None,
        today: jiff::civil::date(2026, 11, 28),
        source_date_epoch: None,
    };
    app(
        Arc::new(OsFs),
        Some(file),
        Vec::new(),
        &env,
        &Config::default(),
        settings,
    )
    .expect("the editor opens the plan")
}

/// Presses one key and performs what it asks for.
pub fn press(app: &mut App, code: KeyCode) {
    for effect in handle_key(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        perform(app, effect);
    }
}

/// The screen, `width` x `height`, as lines of text.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| view::draw(frame, app))
        .expect("the editor draws");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
