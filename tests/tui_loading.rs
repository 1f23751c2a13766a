//! A large plan opens in the background: the first frame says what is being opened, the keys
//! that quit work meanwhile, and the plan is taken once it is ready; a small one opens at once.

use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use scplan::tui::app::Screen;
use scplan::tui::loading::{self, BACKGROUND_BYTES};
use scplan::tui::update::handle_key;

#[path = "support/tui_harness.rs"]
mod harness;
use harness::*;

/// A valid plan larger than the background threshold, written to a temporary folder.
fn large_plan() -> (tempfile::TempDir, std::path::PathBuf) {
    let text = scplan::synth::generate(32, 20, 0.0, 7);
    assert!(text.len() >= BACKGROUND_BYTES, "{} bytes", text.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The screen with the time-dependent end of the progress line (a turning mark and the
/// seconds so far) replaced, so that it can be compared.
fn steady(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("every rule ") {
            Some(i) => format!("{}every rule <turning> <seconds>", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_large_plan_shows_a_progress_frame_then_opens() {
    let (_dir, path) = large_plan();
    let mut app = editor_at(&path, false);
    let Screen::Loading(opening) = &app.screen else {
        panic!("a large plan opens in the background");
    };
    assert_eq!(
        opening.size,
        std::fs::metadata(&path).unwrap().len() as usize
    );
    let terminal = render(&app, 80, 24);
    let text = screen_text(terminal.backend().buffer());
    assert!(text.contains("scplan: opening a plan"), "{text}");
    assert!(text.contains("large.toml"), "{text}");
    assert!(text.contains("MB: reading the document and checking every rule"));
    let shown = steady(&text).replace(&path.display().to_string(), "<plan>");
    insta::assert_snapshot!("loading_80x24", shown);
    loading::wait(&mut app);
    let s = session(&app);
    assert_eq!(s.live.plan.countries.len(), 32);
    assert!(s.lock.is_some(), "the editing lock is taken");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(!text.contains("opening a plan"), "{text}");
}

#[test]
fn quitting_while_a_plan_opens_quits() {
    let (_dir, path) = large_plan();
    let mut app = editor_at(&path, false);
    assert!(matches!(app.screen, Screen::Loading(_)));
    handle_key(
        &mut app,
        KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE),
    );
    assert!(app.should_quit);
}

#[test]
fn a_small_plan_opens_at_once() {
    let (app, _dir, _) = open("plans/eucom-sample.toml", false);
    assert!(matches!(app.screen, Screen::Edit(_)));
    assert!(
        std::fs::metadata(Path::new("plans/eucom-sample.toml"))
            .unwrap()
            .len()
            < BACKGROUND_BYTES as u64
    );
}
