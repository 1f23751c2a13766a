//! Editor latency: key event -> update -> re-check -> render into a 120x40 TestBackend, for
//! field edits and undos, and open-to-first-frame; prints p50 and p99 (criterion gives no
//! percentiles). `SCPLAN_BENCH_SIZE=small|medium|large` (default medium) and
//! `SCPLAN_BENCH_EDITS=N` (default 200) choose the plan and the number of edits.

use std::sync::Arc;
use std::time::{Duration, Instant};

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

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    for effect in handle_key(app, KeyEvent::new(code, mods)) {
        perform(app, effect);
    }
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i.min(times.len() - 1)]
}

fn main() {
    let size = std::env::var("SCPLAN_BENCH_SIZE").unwrap_or_else(|_| "medium".to_string());
    let edits: usize = std::env::var("SCPLAN_BENCH_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let (countries, objectives) = match size.as_str() {
        "small" => (10, 5),
        "large" => (200, 200),
        _ => (60, 30),
    };
    let dir = std::env::temp_dir().join(format!("scplan-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("plan.toml");
    let text = scplan::synth::generate(countries, objectives, 0.0, 7);
    if std::fs::write(&path, &text).is_err() {
        eprintln!("cannot write {}", path.display());
        return;
    }
    let env = Env {
        no_color: false,
        config_path: None,
        config_origin: None,
        today: jiff::civil::date(2026, 11, 28),
        source_date_epoch: None,
    };
    let mut terminal = match Terminal::new(TestBackend::new(120, 40)) {
        Ok(t) => t,
        Err(_) => return,
    };
    let start = Instant::now();
    let Ok(mut editor) = app(
        Arc::new(OsFs),
        Some(&path),
        Vec::new(),
        &env,
        &Config::default(),
        Settings::default(),
    ) else {
        eprintln!("cannot open the plan");
        return;
    };
    let _ = terminal.draw(|f| view::draw(f, &editor));
    let open = start.elapsed();
    // Go to the first objective's text field: Tab, Down, Enter, Down, Down.
    for code in [
        KeyCode::Tab,
        KeyCode::Down,
        KeyCode::Enter,
        KeyCode::Down,
        KeyCode::Down,
    ] {
        press(&mut editor, code, KeyModifiers::NONE);
    }
    let mut edit_times = Vec::with_capacity(edits);
    let mut undo_times = Vec::with_capacity(edits);
    for i in 0..edits {
        // Open the field, type one character, commit (Ctrl-S), render: one edit.
        press(&mut editor, KeyCode::Enter, KeyModifiers::NONE);
        press(
            &mut editor,
            KeyCode::Char(char::from(b'a' + (i % 26) as u8)),
            KeyModifiers::NONE,
        );
        let t = Instant::now();
        press(&mut editor, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let _ = terminal.draw(|f| view::draw(f, &editor));
        edit_times.push(t.elapsed());
    }
    for _ in 0..edits {
        let t = Instant::now();
        press(&mut editor, KeyCode::Char('u'), KeyModifiers::NONE);
        let _ = terminal.draw(|f| view::draw(f, &editor));
        undo_times.push(t.elapsed());
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "plan {size} ({countries}x{objectives}, {} bytes)",
        text.len()
    );
    println!("open to first frame: {:?}", open);
    println!(
        "edit to frame over {edits}: p50 {:?} p99 {:?}",
        percentile(&mut edit_times, 0.5),
        percentile(&mut edit_times, 0.99)
    );
    println!(
        "undo to frame over {edits}: p50 {:?} p99 {:?}",
        percentile(&mut undo_times, 0.5),
        percentile(&mut undo_times, 0.99)
    );
}
