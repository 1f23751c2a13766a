//! Editor latency: key event -> update -> re-check -> periodic work -> render into a 120x40
//! TestBackend, as the editor's loop does it, for
//! field edits and undos, and open-to-first-frame; prints p50 and p99 (criterion gives no
//! percentiles); open-to-first-frame beside the serde reference reading the same file, and a
//! save beside a bare write of the same bytes, all in the same run.
//! `SCPLAN_BENCH_SIZE=small|medium|large` (default large) and `SCPLAN_BENCH_EDITS=N` (default
//! 1000) choose the plan and the number of edits.

mod reference;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use scplan::check::Settings;
use scplan::config::Config;
use scplan::env::Env;
use scplan::plan::document::{Edit, ItemBody};
use scplan::plan::model::{Collection, Node};
use scplan::store::OsFs;
use scplan::tui::app::{App, Screen};
use scplan::tui::files::tick;
use scplan::tui::run::{app, perform};
use scplan::tui::update::handle_key;
use scplan::tui::view;

/// One key as the editor's loop takes it: update, the effects, then its periodic work (the
/// panic snapshot kept current, the recovery file when due, the file on disk compared).
fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    for effect in handle_key(app, KeyEvent::new(code, mods)) {
        perform(app, effect);
    }
    tick(app, Instant::now());
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i.min(times.len() - 1)]
}

/// Applies an edit as the editor does (one undo step, re-derived) and renders: its time.
fn timed_edit(editor: &mut App, terminal: &mut Terminal<TestBackend>, edit: Edit) -> Duration {
    let settings = editor.settings;
    let t = Instant::now();
    if let Screen::Edit(s) = &mut editor.screen {
        assert!(s.apply(edit, &settings).is_ok(), "the edit applies");
    }
    tick(editor, Instant::now());
    let _ = terminal.draw(|f| view::draw(f, editor));
    t.elapsed()
}

/// A waiver of SCP301 on the first priority, as a header table.
fn waiver_table(i: usize) -> toml_edit::Table {
    let mut table = toml_edit::Table::new();
    table.insert("rule", toml_edit::value("SCP301"));
    table.insert("item", toml_edit::value("SP-1"));
    table.insert("reason", toml_edit::value(format!("Benchmark {i}")));
    table
}

/// A new S&T objective, as a header table.
fn objective_table(i: usize) -> toml_edit::Table {
    let mut table = toml_edit::Table::new();
    table.insert("id", toml_edit::value(format!("BENCH-{i}")));
    table.insert("kind", toml_edit::value("st"));
    table.insert("text", toml_edit::value("A benchmark objective"));
    table
}

/// The median of a few runs of `f`.
fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    percentile(&mut times, 0.5)
}

fn main() {
    let size = std::env::var("SCPLAN_BENCH_SIZE").unwrap_or_else(|_| "large".to_string());
    let edits: usize = std::env::var("SCPLAN_BENCH_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let (countries, objectives) = match size.as_str() {
        "small" => (10, 5),
        "medium" => (60, 30),
        _ => (200, 200),
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
    let open = || {
        app(
            Arc::new(OsFs),
            Some(&path),
            Vec::new(),
            &env,
            &Config::default(),
            Settings::default(),
        )
        .ok()
    };
    let mut terminal = match Terminal::new(TestBackend::new(120, 40)) {
        Ok(t) => t,
        Err(_) => return,
    };
    // The reference reads the file and deserializes it with toml + serde, then checks the ids.
    let reference_open = median(3, || {
        let start = Instant::now();
        let read = std::fs::read_to_string(&path).map(|t| reference::check(&t).is_ok());
        assert!(matches!(read, Ok(true)), "the reference reads the plan");
        start.elapsed()
    });
    let mut editor = None;
    let open_time = median(3, || {
        drop(editor.take());
        let start = Instant::now();
        editor = open();
        if let Some(e) = &editor {
            let _ = terminal.draw(|f| view::draw(f, e));
        }
        start.elapsed()
    });
    let Some(mut editor) = editor else {
        eprintln!("cannot open the plan");
        return;
    };
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
    // Edits outside the country sections: a priority's title, [plan]'s version, a waiver added
    // and removed; and an objective added and removed
    // (beside one waiver already there: the first waiver of a plan is a new part, whose place
    // only a whole derivation finds).
    let first_waiver = Edit::InsertItem {
        collection: Collection::Waivers,
        index: 0,
        body: ItemBody::Header(waiver_table(0)),
    };
    let first_waiver_time = timed_edit(&mut editor, &mut terminal, first_waiver);
    let outside_edits = (edits / 10).max(2);
    let mut title_times = Vec::with_capacity(outside_edits);
    let mut plan_times = Vec::with_capacity(outside_edits);
    let mut objective_times = Vec::with_capacity(2 * outside_edits);
    let mut waiver_times = Vec::with_capacity(outside_edits);
    for i in 0..outside_edits {
        let title = Edit::SetField {
            node: Node::Item(Collection::Priorities, 0),
            field: "title".to_string(),
            value: Some(toml_edit::Value::from(format!("Priority title {i}"))),
        };
        title_times.push(timed_edit(&mut editor, &mut terminal, title));
        let version = Edit::SetField {
            node: Node::Plan,
            field: "version".to_string(),
            value: Some(toml_edit::Value::from(format!("1.{i}"))),
        };
        plan_times.push(timed_edit(&mut editor, &mut terminal, version));
        let waivers = match &editor.screen {
            Screen::Edit(s) => s.doc.len(Collection::Waivers),
            _ => 0,
        };
        let waiver = Edit::InsertItem {
            collection: Collection::Waivers,
            index: waivers,
            body: ItemBody::Header(waiver_table(i)),
        };
        let remove = Edit::RemoveItem {
            collection: Collection::Waivers,
            index: waivers,
        };
        let added = timed_edit(&mut editor, &mut terminal, waiver);
        let removed = timed_edit(&mut editor, &mut terminal, remove);
        waiver_times.extend([added, removed]);
        // An objective added to the first section and removed: every line below it moves.
        let objective = Edit::InsertItem {
            collection: Collection::Objectives(0),
            index: 0,
            body: ItemBody::Header(objective_table(i)),
        };
        let remove = Edit::RemoveItem {
            collection: Collection::Objectives(0),
            index: 0,
        };
        let added = timed_edit(&mut editor, &mut terminal, objective);
        let removed = timed_edit(&mut editor, &mut terminal, remove);
        objective_times.extend([added, removed]);
    }
    // A whole country section added and removed: the sections after it are renumbered, so
    // the editor derives everything again (measured, not a target).
    let countries_now = match &editor.screen {
        Screen::Edit(s) => s.doc.len(Collection::Countries),
        _ => 0,
    };
    let mut country = toml_edit::Table::new();
    country.insert("code", toml_edit::value("NZL"));
    country.insert("name", toml_edit::value("New Zealand"));
    let country_added = timed_edit(
        &mut editor,
        &mut terminal,
        Edit::InsertItem {
            collection: Collection::Countries,
            index: countries_now,
            body: ItemBody::Header(country),
        },
    );
    let country_removed = timed_edit(
        &mut editor,
        &mut terminal,
        Edit::RemoveItem {
            collection: Collection::Countries,
            index: countries_now,
        },
    );
    // Save (Ctrl-S in the form) after a change, beside the bare write of the same bytes.
    let save = median(3, || {
        press(&mut editor, KeyCode::Char('r'), KeyModifiers::CONTROL);
        let t = Instant::now();
        press(&mut editor, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let _ = terminal.draw(|f| view::draw(f, &editor));
        t.elapsed()
    });
    let saved = std::fs::read(&path).unwrap_or_default();
    let bare = dir.join("bare.toml");
    let bare_write = median(3, || {
        let t = Instant::now();
        let written = std::fs::File::create(&bare).and_then(|mut f| {
            std::io::Write::write_all(&mut f, &saved)?;
            f.sync_all()
        });
        assert!(written.is_ok(), "the bare write succeeds");
        t.elapsed()
    });
    let _ = std::fs::remove_dir_all(&dir);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "plan {size} ({countries}x{objectives}, {} bytes)",
        text.len()
    );
    println!(
        "open to first frame (median of 3): {open_time:?}; reference (read, toml + serde, id check): {reference_open:?}; ratio {:.2}",
        ratio(open_time, reference_open)
    );
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
    println!(
        "priority title edit to frame over {outside_edits}: p50 {:?} p99 {:?}",
        percentile(&mut title_times, 0.5),
        percentile(&mut title_times, 0.99)
    );
    println!(
        "[plan] version edit to frame over {outside_edits}: p50 {:?} p99 {:?}",
        percentile(&mut plan_times, 0.5),
        percentile(&mut plan_times, 0.99)
    );
    println!("first waiver of the plan added, to frame: {first_waiver_time:?}");
    println!(
        "another waiver added or removed to frame over {}: p50 {:?} p99 {:?}",
        waiver_times.len(),
        percentile(&mut waiver_times, 0.5),
        percentile(&mut waiver_times, 0.99)
    );
    println!(
        "objective added to the first section or removed, to frame over {}: p50 {:?} p99 {:?}",
        objective_times.len(),
        percentile(&mut objective_times, 0.5),
        percentile(&mut objective_times, 0.99)
    );
    println!(
        "country section added, to frame: {country_added:?}; removed: {country_removed:?} (whole derivation)"
    );
    println!(
        "save to frame (median of 3): {save:?}; bare write and sync of the same bytes: {bare_write:?}; ratio {:.2}",
        ratio(save, bare_write)
    );
}
