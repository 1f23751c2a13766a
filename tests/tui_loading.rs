//! A large plan opens in the background: the first frame says what is being opened, the keys
//! that quit work meanwhile, and the plan is taken once it is ready; its document may still be
//! parsed then, which looking around does not wait for and an edit or a click does. A small
//! one opens at once.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use scplan::check::Settings;
use scplan::check::live::{LivePlan, Parsing};
use scplan::parallel;
use scplan::plan::document::{DocumentError, Edit, EditError};
use scplan::plan::model::{Loc, Node};
use scplan::store::ContentHash;
use scplan::tui::app::{App, Screen, Session};
use scplan::tui::loading::{self, BACKGROUND_BYTES};
use scplan::tui::update::{handle_key, handle_mouse};

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

/// The editor on a copy of the sample plan, its session opened again with its document
/// parsed by `parse` once `gate` lets it (or after a few seconds: with one core the parse runs
/// before the session exists).
fn held(
    parse: impl FnOnce(Parsing) -> Result<scplan::plan::document::PlanDocument, DocumentError>
    + Send
    + 'static,
) -> (App, tempfile::TempDir, mpsc::Sender<()>) {
    let (mut app, dir, path) = open("plans/eucom-sample.toml", false);
    let bytes = std::fs::read(&path).unwrap();
    let (live, parsing) = LivePlan::begin(&bytes, &Settings::default()).unwrap();
    let layout = parsing.layout();
    let (release, gate) = mpsc::channel::<()>();
    let doc = parallel::background(move || {
        let _ = gate.recv_timeout(Duration::from_secs(5));
        parse(parsing)
    });
    let parsing = Parsing::from_background(layout, doc);
    let session = Session::opening(path, live, parsing, ContentHash::of(&bytes));
    // The first session's lock goes before the second is in place.
    app.screen = Screen::Files(scplan::tui::app::FileList {
        files: Vec::new(),
        selected: 0,
        message: None,
    });
    app.screen = Screen::Edit(Box::new(session));
    (app, dir, release)
}

#[test]
fn looking_around_does_not_wait_for_the_document_and_an_edit_does() {
    let (mut app, _dir, release) = held(Parsing::wait);
    assert!(!session(&app).document_ready());
    // The plan view with its form: the values wait for the document.
    press(&mut app, "1");
    let text = screen_text(render(&app, 120, 40).backend().buffer());
    let title = text
        .lines()
        .find(|l| l.contains("title*"))
        .unwrap_or_default();
    assert!(title.trim_end().ends_with("title*           …"), "{text}");
    assert!(text.contains("reading the plan for editing…"), "{text}");
    assert!(
        !session(&app).document_ready(),
        "looking around took the document"
    );
    let mouse = |kind| MouseEvent {
        kind,
        column: 60,
        row: 5,
        modifiers: KeyModifiers::NONE,
    };
    handle_mouse(&mut app, mouse(MouseEventKind::ScrollUp), Instant::now());
    assert!(
        !session(&app).document_ready(),
        "the wheel took the document"
    );
    // A click (which may open a field) waits for the document.
    let releasing = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        let _ = release.send(());
    });
    let click = mouse(MouseEventKind::Down(MouseButton::Left));
    handle_mouse(&mut app, click, Instant::now());
    releasing.join().unwrap();
    assert!(session(&app).document_ready());
    // The field is edited in the document.
    press(&mut app, "Enter");
    press(&mut app, "Down Down Enter End \" (draft)\" Enter");
    let title = session(&app).live.plan.meta.title.as_ref();
    let title = title.and_then(|t| t.value.as_deref()).unwrap_or_default();
    assert!(
        title.starts_with("USEUCOM Theater Campaign Plan"),
        "{title}"
    );
    assert!(title.ends_with(" (draft)"), "{title}");
    let text = screen_text(render(&app, 120, 40).backend().buffer());
    assert!(text.contains("title*           USEUCOM"), "{text}");
    assert!(!text.contains("reading the plan for editing"), "{text}");
}

#[test]
fn a_document_that_cannot_be_read_after_all_ends_the_session_and_refuses_edits() {
    let refused = || DocumentError::Syntax {
        loc: Loc::START,
        message: "unreadable here".to_string(),
    };
    let (mut app, _dir, release) = held(move |_| Err(refused()));
    let _ = release.send(());
    let Screen::Edit(s) = &mut app.screen else {
        panic!("editing");
    };
    let edit = Edit::SetField {
        node: Node::Plan,
        field: "title".to_string(),
        value: Some("Renamed".into()),
    };
    assert!(matches!(
        s.apply(edit, "an edit", &Settings::default()),
        Err(EditError::Unreadable(DocumentError::Syntax { .. }))
    ));
    assert!(
        !s.document_ready(),
        "a failed document is never taken as read"
    );
    scplan::tui::files::take_document(&mut app.screen, true);
    let Screen::Files(list) = &app.screen else {
        panic!("the session ends");
    };
    let why = list.message.as_deref().unwrap_or_default();
    assert!(why.contains("unreadable here"), "{why}");
}
