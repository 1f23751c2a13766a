//! The terminal editor in a test: opened on a copy of a fixture, keys pressed by name, the
//! screen rendered into a TestBackend, what the keys changed in the saved file.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use scplan::check::Settings;
use scplan::config::Config;
use scplan::env::Env;
use scplan::store::OsFs;
use scplan::tui::app::{App, Screen};
use scplan::tui::run::{app, perform};
use scplan::tui::update::handle_key;
use scplan::tui::view;

/// The environment of a test: colour or not, a fixed day, no config file.
pub fn env(no_color: bool) -> Env {
    Env {
        no_color,
        config_path: None,
        config_origin: None,
        today: jiff::civil::date(2026, 11, 28),
        source_date_epoch: None,
    }
}

/// An editor on a copy of `fixture` in a temporary folder (so that saving is harmless).
pub fn open(fixture: &str, no_color: bool) -> (App, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Path::new(fixture).file_name().unwrap());
    std::fs::copy(fixture, &path).unwrap();
    (editor_at(&path, no_color), dir, path)
}

/// An editor on the plan file at `path`, with the default config and settings.
pub fn editor_at(path: &Path, no_color: bool) -> App {
    app(
        Arc::new(OsFs),
        Some(path),
        Vec::new(),
        &env(no_color),
        &Config::default(),
        Settings::default(),
    )
    .unwrap()
}

/// Presses keys: names separated by spaces (`Tab`, `Enter`, `Esc`, `Down`, `Up`, `Space`,
/// `Bksp`, `BackTab`, `Home`, `End`, `C-s`), single characters, or `"text"` to type a string.
pub fn press(app: &mut App, keys: &str) {
    for token in tokens(keys) {
        let events: Vec<KeyEvent> = match token.as_str() {
            "Tab" => vec![KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)],
            "BackTab" => vec![KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)],
            "Enter" => vec![KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)],
            "Esc" => vec![KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)],
            "Down" => vec![KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)],
            "Up" => vec![KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)],
            "Left" => vec![KeyEvent::new(KeyCode::Left, KeyModifiers::NONE)],
            "Right" => vec![KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)],
            "Space" => vec![KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE)],
            "Bksp" => vec![KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)],
            "Home" => vec![KeyEvent::new(KeyCode::Home, KeyModifiers::NONE)],
            "End" => vec![KeyEvent::new(KeyCode::End, KeyModifiers::NONE)],
            t if t.starts_with("C-") => vec![KeyEvent::new(
                KeyCode::Char(t.chars().nth(2).unwrap()),
                KeyModifiers::CONTROL,
            )],
            t if t.starts_with('"') => t
                .trim_matches('"')
                .chars()
                .map(|c| {
                    KeyEvent::new(
                        KeyCode::Char(c),
                        if c.is_uppercase() {
                            KeyModifiers::SHIFT
                        } else {
                            KeyModifiers::NONE
                        },
                    )
                })
                .collect(),
            t => {
                let c = t.chars().next().unwrap();
                vec![KeyEvent::new(
                    KeyCode::Char(c),
                    if c.is_uppercase() {
                        KeyModifiers::SHIFT
                    } else {
                        KeyModifiers::NONE
                    },
                )]
            }
        };
        for event in events {
            for effect in handle_key(app, event) {
                perform(app, effect);
            }
        }
    }
}

/// The key names of `keys`, a `"quoted text"` kept whole.
pub fn tokens(keys: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = keys.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap();
            out.push(format!("\"{}\"", &r[..end]));
            rest = r[end + 1..].trim_start();
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// The screen at `width` x `height`.
pub fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::draw(frame, app)).unwrap();
    terminal
}

/// The screen as text, a line per row.
pub fn screen_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The session being edited.
pub fn session(app: &App) -> &scplan::tui::app::Session {
    match &app.screen {
        Screen::Edit(s) => s,
        _ => panic!("not editing"),
    }
}

/// The codes of the diagnostics not waived, in order.
pub fn codes(app: &App) -> Vec<&'static str> {
    session(app)
        .live
        .diagnostics
        .iter()
        .filter(|d| !d.waived)
        .map(|d| d.code)
        .collect()
}

/// The lines of `before` and `after` that differ: what is between their common first and
/// last lines.
pub fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (
        lines(&a[head..a.len() - tail]),
        lines(&b[head..b.len() - tail]),
    )
}

/// Goes to the first `code` diagnostic of `fixture` with `]`, presses `keys` (the fix), saves,
/// checks the diagnostic is gone and returns the lines the fix changed, before and after.
pub fn fix_by_keys(fixture: &str, code: &str, keys: &str) -> (Vec<String>, Vec<String>) {
    let (mut app, _dir, path) = open(fixture, false);
    let at = codes(&app).iter().position(|c| *c == code).unwrap();
    press(&mut app, &"] ".repeat(at + 1));
    press(&mut app, keys);
    press(&mut app, "C-s");
    assert!(!codes(&app).contains(&code), "{code}: {:?}", codes(&app));
    let before = std::fs::read_to_string(fixture).unwrap();
    let after = std::fs::read_to_string(path).unwrap();
    changed_lines(&before, &after)
}

/// Owned lines.
pub fn lines(l: &[&str]) -> Vec<String> {
    l.iter().map(|s| s.to_string()).collect()
}
