//! The editor never loses a planner's work: saves refused by the file system keep the edits
//! and change nothing on disk, a file changed on disk is not overwritten without asking, the
//! recovery file is written, offered and restored, a second editor opens read-only, and no
//! recovery copy is made of a plan above the system high.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use scplan::check::Settings;
use scplan::config::Config;
use scplan::env::Env;
use scplan::store::{FileSystem, OsFs, sidecar};

mod common;
use common::faulty::{Fault, Faulty};
use scplan::tui::app::{App, Modal, Screen, Session};
use scplan::tui::files::tick;
use scplan::tui::run::{app, perform};
use scplan::tui::update::handle_key;

fn env() -> Env {
    Env {
        no_color: true,
        config_path: None,
        config_origin: None,
        today: jiff::civil::date(2026, 11, 28),
        source_date_epoch: None,
    }
}

fn copy_of(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    fs::copy(fixture, &path).unwrap();
    (dir, path)
}

fn editor(fs: Arc<dyn FileSystem>, path: &Path, settings: Settings) -> App {
    app(
        fs,
        Some(path),
        Vec::new(),
        &env(),
        &Config::default(),
        settings,
    )
    .unwrap()
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    for effect in handle_key(app, KeyEvent::new(code, mods)) {
        perform(app, effect);
    }
}

fn press(app: &mut App, keys: &str) {
    for k in keys.split(' ') {
        match k {
            "Tab" => key(app, KeyCode::Tab, KeyModifiers::NONE),
            "Enter" => key(app, KeyCode::Enter, KeyModifiers::NONE),
            "Down" => key(app, KeyCode::Down, KeyModifiers::NONE),
            "Esc" => key(app, KeyCode::Esc, KeyModifiers::NONE),
            t if t.len() == 3 && t.starts_with("C-") => {
                let c = t.chars().nth(2).unwrap_or(' ');
                key(app, KeyCode::Char(c), KeyModifiers::CONTROL)
            }
            t => t
                .chars()
                .for_each(|c| key(app, KeyCode::Char(c), KeyModifiers::NONE)),
        }
    }
}

fn session(app: &App) -> &Session {
    match &app.screen {
        Screen::Edit(s) => s,
        _ => panic!("not editing"),
    }
}

fn message(app: &App) -> String {
    session(app)
        .message
        .clone()
        .map(|(m, _)| m)
        .unwrap_or_default()
}

/// Deletes the first barrier-less row's item: any one edit will do.
fn edit_something(app: &mut App) {
    press(app, "Tab Down d y");
    assert!(session(app).modified(), "{}", message(app));
}

const SAMPLE: &str = "plans/eucom-sample.toml";

/// An editor on a copy of the sample with an unsaved edit its recovery file holds: the
/// folder, the plan, the recovery file and the editor.
fn edited_with_recovery() -> (tempfile::TempDir, PathBuf, PathBuf, App) {
    let (dir, path) = copy_of(SAMPLE);
    let recovery = sidecar(&fs::canonicalize(&path).unwrap(), "recovery");
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    edit_something(&mut app);
    tick(&mut app, Instant::now() + Duration::from_secs(2));
    assert!(recovery.exists());
    (dir, path, recovery, app)
}

#[test]
fn a_plan_without_its_owners_write_bit_is_not_saved_over_and_save_as_is_offered() {
    let (dir, path) = copy_of(SAMPLE);
    let before = fs::read(&path).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    // Said when it opens, not first at the save.
    assert!(
        message(&app).contains("may not be written"),
        "{}",
        message(&app)
    );
    assert!(
        session(&app).disk.unwritable,
        "the header says [read-only file]"
    );
    edit_something(&mut app);
    press(&mut app, "C-s");
    assert_eq!(fs::read(&path).unwrap(), before, "file unchanged");
    assert!(session(&app).modified(), "edits kept");
    assert!(
        matches!(session(&app).modal, Some(Modal::Text(_))),
        "save-as offered"
    );
    // Accept the suggested name: the edits go to the new file, which is edited from then on.
    press(&mut app, "Enter");
    let copy = dir.path().join("plan-copy.toml");
    assert!(copy.exists(), "{}", message(&app));
    assert_ne!(fs::read(&copy).unwrap(), before);
    assert!(!session(&app).modified());
    assert_eq!(session(&app).path, copy);
}

#[test]
fn a_read_only_folder_or_a_full_disk_loses_nothing() {
    for fault in [Fault::ReadOnlyFolder, Fault::DiskFull] {
        let (dir, path) = copy_of(SAMPLE);
        let before = fs::read(&path).unwrap();
        let faulty = Faulty {
            fault,
            plan: path.clone(),
            spare_locks: true,
            reads: Default::default(),
        };
        let mut app = editor(Arc::new(faulty), &path, Settings::default());
        edit_something(&mut app);
        press(&mut app, "C-s");
        let shown = message(&app);
        assert!(
            shown.contains("not saved") && shown.contains("edits are kept"),
            "{shown}"
        );
        assert_eq!(fs::read(&path).unwrap(), before, "file unchanged");
        assert!(session(&app).modified(), "edits kept");
        // The recovery file fails on the same disk: the save's error stays to be read.
        for t in 2..6 {
            tick(&mut app, Instant::now() + Duration::from_secs(t));
        }
        assert_eq!(message(&app), shown);
        assert!(!shown.contains("scplan-tmp"), "{shown}");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("scplan-tmp"))
            .collect();
        assert!(left.is_empty(), "no temporary file left: {left:?}");
    }
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
    let (_dir, path) = copy_of(SAMPLE);
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    edit_something(&mut app);
    let theirs = format!(
        "{}# changed by someone else\n",
        fs::read_to_string(&path).unwrap()
    );
    fs::write(&path, &theirs).unwrap();
    // The editor notices while open...
    tick(&mut app, Instant::now() + Duration::from_secs(5));
    assert!(
        message(&app).contains("changed on disk"),
        "{}",
        message(&app)
    );
    // ...and a save asks instead of overwriting.
    press(&mut app, "C-s");
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs);
    assert!(matches!(session(&app).modal, Some(Modal::Picker(_))));
    // The third choice overwrites.
    press(&mut app, "Down Down Enter");
    assert_ne!(fs::read_to_string(&path).unwrap(), theirs);
    assert!(!session(&app).modified());
}

#[test]
fn a_file_deleted_while_open_is_said_deleted_and_written_again_on_request() {
    let (_dir, path) = copy_of(SAMPLE);
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    edit_something(&mut app);
    fs::remove_file(&path).unwrap();
    tick(&mut app, Instant::now() + Duration::from_secs(5));
    assert!(
        message(&app).contains("was deleted from disk"),
        "{}",
        message(&app)
    );
    // A save asks, offering no reload of what is gone: the second choice writes it again.
    press(&mut app, "C-s");
    let Some(Modal::Picker(p)) = &session(&app).modal else {
        panic!("a question: {}", message(&app));
    };
    let labels: Vec<&str> = p.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(labels, ["save-as", "overwrite"]);
    press(&mut app, "Down Enter");
    assert!(path.exists(), "{}", message(&app));
    assert!(!session(&app).modified());
    assert!(!session(&app).disk.gone);
}

#[test]
fn the_first_look_at_the_file_on_disk_does_not_read_it_again() {
    let (_dir, path) = copy_of(SAMPLE);
    let faulty = Arc::new(Faulty {
        fault: Fault::ReadOnlyFolder,
        plan: path.clone(),
        spare_locks: true,
        reads: Default::default(),
    });
    let mut app = editor(faulty.clone(), &path, Settings::default());
    let reads = || faulty.reads.load(std::sync::atomic::Ordering::Relaxed);
    let opened = reads();
    // Its size and time of last change are those it had when it was read.
    tick(&mut app, Instant::now() + Duration::from_secs(5));
    assert_eq!(reads(), opened);
    assert!(session(&app).message.is_none());
    // Once they differ, it is read and compared.
    fs::write(
        &path,
        format!("{}# theirs\n", fs::read_to_string(&path).unwrap()),
    )
    .unwrap();
    tick(&mut app, Instant::now() + Duration::from_secs(10));
    assert_eq!(reads(), opened + 1);
    assert!(
        message(&app).contains("changed on disk"),
        "{}",
        message(&app)
    );
}

#[test]
fn reloading_a_file_changed_on_disk_asks_first() {
    let (_dir, path) = copy_of(SAMPLE);
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    edit_something(&mut app);
    fs::write(
        &path,
        format!("{}# theirs\n", fs::read_to_string(&path).unwrap()),
    )
    .unwrap();
    press(&mut app, "C-s Down Enter");
    assert!(matches!(session(&app).modal, Some(Modal::Confirm(_))));
    press(&mut app, "y");
    assert!(!session(&app).modified());
    assert!(session(&app).doc.to_text().ends_with("# theirs\n"));
}

#[test]
fn recovery_is_written_offered_and_restored_after_a_crash() {
    let (_dir, path) = copy_of(SAMPLE);
    let before = fs::read(&path).unwrap();
    let recovery = sidecar(&fs::canonicalize(&path).unwrap(), "recovery");
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    edit_something(&mut app);
    let unsaved = session(&app).doc.to_bytes();
    tick(&mut app, Instant::now());
    assert!(
        !recovery.exists(),
        "not at once: a moment after the last change"
    );
    tick(&mut app, Instant::now() + Duration::from_secs(2));
    assert_eq!(fs::read(&recovery).unwrap(), unsaved);
    assert_eq!(
        fs::metadata(&recovery).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // A crash: the editor goes without quitting.
    drop(app);
    assert_eq!(fs::read(&path).unwrap(), before);
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    let Some(Modal::Confirm(question)) = &session(&app).modal else {
        panic!("recovery not offered");
    };
    assert!(
        question.question.contains("objective POL-ST-1: removed"),
        "{}",
        question.question
    );
    press(&mut app, "y");
    assert_eq!(session(&app).doc.to_bytes(), unsaved);
    assert!(session(&app).modified());
    press(&mut app, "C-s");
    assert_eq!(fs::read(&path).unwrap(), unsaved);
    assert!(!recovery.exists(), "removed after a successful save");
}

#[test]
fn a_discarded_recovery_and_a_clean_quit_leave_no_recovery_file() {
    let (_dir, path, recovery, app) = edited_with_recovery();
    drop(app);
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    press(&mut app, "n");
    assert!(!recovery.exists());
    edit_something(&mut app);
    tick(&mut app, Instant::now() + Duration::from_secs(2));
    assert!(recovery.exists());
    press(&mut app, "q n");
    assert!(app.should_quit);
    assert!(!recovery.exists(), "a clean quit removes it");
}

#[test]
fn a_second_editor_opens_the_plan_read_only() {
    let (_dir, path) = copy_of(SAMPLE);
    let first = editor(Arc::new(OsFs), &path, Settings::default());
    assert!(session(&first).read_only.is_none());
    let mut second = editor(Arc::new(OsFs), &path, Settings::default());
    let why = session(&second).read_only.clone().expect("read-only");
    assert!(why.contains("read-only"), "{why}");
    // Said at once, first on the status line, so an 80-column terminal shows it.
    assert!(
        message(&second).starts_with("opened read-only"),
        "{}",
        message(&second)
    );
    press(&mut second, "Tab Down d y");
    assert!(!session(&second).modified());
    // Said once: why, after "read-only".
    let said = message(&second);
    assert!(said.starts_with("read-only: "), "{said}");
    assert_eq!(said.matches("read-only").count(), 1, "{said}");
    // A field does not open for typing that would be thrown away: it is said at once.
    press(&mut second, "2 Tab Down Enter Enter");
    assert!(session(&second).modal.is_none(), "no field opened");
    let said = message(&second);
    assert!(said.starts_with("read-only: "), "{said}");
    drop(first);
    // Once the first has gone, the plan opens for editing again.
    let third = editor(Arc::new(OsFs), &path, Settings::default());
    assert!(session(&third).read_only.is_none());
}

#[test]
fn no_recovery_copy_of_a_plan_above_the_system_high() {
    let (_dir, path) = copy_of("tests/fixtures/rules/SCP209-fires.toml");
    let recovery = sidecar(&fs::canonicalize(&path).unwrap(), "recovery");
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    press(&mut app, "1 Down d y");
    assert!(session(&app).modified(), "{}", message(&app));
    tick(&mut app, Instant::now() + Duration::from_secs(2));
    assert!(!recovery.exists());
    assert!(
        message(&app).contains("no recovery file"),
        "{}",
        message(&app)
    );
}

#[test]
fn stale_temporary_files_are_cleaned_on_open() {
    let (dir, path) = copy_of(SAMPLE);
    // A pid that cannot be alive.
    let stale = dir.path().join(".plan.toml.scplan-tmp-4294967-0");
    fs::write(&stale, "half a plan").unwrap();
    let _app = editor(Arc::new(OsFs), &path, Settings::default());
    assert!(!stale.exists());
}

#[test]
fn the_panic_snapshot_follows_every_change_at_once() {
    let (_dir, path) = copy_of(SAMPLE);
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    edit_something(&mut app);
    tick(&mut app, Instant::now());
    let snapshot = app
        .snapshot
        .lock()
        .unwrap()
        .clone()
        .expect("a snapshot of the unsaved plan");
    assert_eq!(snapshot.bytes(), session(&app).doc.to_bytes());
    assert_eq!(snapshot.plan, path);
    press(&mut app, "C-s");
    tick(&mut app, Instant::now());
    assert!(
        app.snapshot.lock().unwrap().is_none(),
        "nothing unsaved, nothing to keep"
    );
}

/// What a save writes is exactly the document's bytes in the file's own layout (line endings,
/// byte-order mark, final newline), after edits and an undo.
#[test]
fn a_save_writes_the_documents_bytes_in_the_files_layout() {
    use scplan::plan::document::{Edit, PlanDocument};
    use scplan::plan::model::Node;
    let settings = Settings::default();
    for fixture in [
        SAMPLE,
        "tests/fixtures/roundtrip/crlf.toml",
        "tests/fixtures/roundtrip/bom.toml",
        "tests/fixtures/roundtrip/no-final-newline.toml",
        "tests/fixtures/roundtrip/bom-crlf-no-newline.toml",
    ] {
        let (_dir, path) = copy_of(fixture);
        let layout = PlanDocument::from_bytes(&fs::read(&path).unwrap())
            .unwrap()
            .layout();
        let mut app = editor(Arc::new(OsFs), &path, settings);
        let Screen::Edit(s) = &mut app.screen else {
            panic!("{fixture}: not editing");
        };
        for title in ["A new title", "Two\nlines"] {
            let edit = Edit::SetField {
                node: Node::Plan,
                field: "title".to_string(),
                value: Some(toml_edit::Value::from(title)),
            };
            s.apply(edit, "title set", &settings).unwrap();
        }
        let undo = s.undo.pop().unwrap();
        let redo = s.change(undo.edit, &settings).unwrap();
        s.redo.push(scplan::tui::app::Step {
            edit: redo,
            what: None,
        });
        press(&mut app, "C-s");
        assert!(!session(&app).modified(), "{fixture}: {}", message(&app));
        let saved = fs::read(&path).unwrap();
        assert!(
            saved == session(&app).doc.to_bytes(),
            "{fixture}: the saved bytes are not the document's"
        );
        let again = PlanDocument::from_bytes(&saved).unwrap();
        assert_eq!(again.layout(), layout, "{fixture}: the layout is kept");
        assert!(
            String::from_utf8_lossy(&saved).contains("A new title"),
            "{fixture}: the edit is saved"
        );
    }
}

#[test]
fn undoing_back_to_the_saved_plan_removes_the_recovery_file() {
    let (_dir, path, recovery, mut app) = edited_with_recovery();
    press(&mut app, "u");
    assert!(!session(&app).modified());
    tick(&mut app, Instant::now() + Duration::from_secs(4));
    assert!(!recovery.exists(), "it would offer an edit undone");
    // Redone, the edit is unsaved again and gets its recovery file.
    press(&mut app, "C-y");
    tick(&mut app, Instant::now() + Duration::from_secs(6));
    assert_eq!(fs::read(&recovery).unwrap(), session(&app).doc.to_bytes());
    drop(app);
    // A crash now offers the redone edit, not the undone one.
    let app = editor(Arc::new(OsFs), &path, Settings::default());
    assert!(matches!(session(&app).modal, Some(Modal::Confirm(_))));
}

#[test]
fn a_recovery_is_merged_onto_changes_made_on_disk_after_the_crash() {
    let (_dir, path) = copy_of(SAMPLE);
    let base = fs::read_to_string(&path).unwrap();
    let recovery = sidecar(&fs::canonicalize(&path).unwrap(), "recovery");
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    edit_something(&mut app);
    let unsaved = session(&app).doc.to_text();
    tick(&mut app, Instant::now() + Duration::from_secs(2));
    assert!(recovery.exists());
    // A crash, then `scplan set` (or git) changes the plan on disk.
    drop(app);
    let changed = base.replacen("version = \"1.0\"", "version = \"1.1\"", 1);
    assert_ne!(changed, base);
    fs::write(&path, &changed).unwrap();
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    let Some(Modal::Confirm(question)) = &session(&app).modal else {
        panic!("recovery not offered");
    };
    assert!(
        question
            .question
            .contains("changed on disk since; the edits are merged"),
        "{}",
        question.question
    );
    // What it lists is the unsaved edit alone, not an undoing of the change on disk.
    assert!(
        !question.question.contains("version"),
        "{}",
        question.question
    );
    press(&mut app, "y C-s");
    let saved = fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("version = \"1.1\""),
        "the change on disk is kept"
    );
    assert_eq!(
        saved,
        unsaved.replacen("version = \"1.0\"", "version = \"1.1\"", 1)
    );
    assert!(!recovery.exists());
}

#[test]
fn a_recovery_that_conflicts_with_changes_on_disk_says_it_would_undo_them() {
    let (_dir, path) = copy_of(SAMPLE);
    let mut app = editor(Arc::new(OsFs), &path, Settings::default());
    edit_something(&mut app);
    let deleted = session(&app).doc.to_text();
    tick(&mut app, Instant::now() + Duration::from_secs(2));
    drop(app);
    // On disk, the objective the editor deleted is changed instead.
    let base = fs::read_to_string(&path).unwrap();
    let gone = base
        .lines()
        .find(|l| !deleted.contains(&format!("{l}\n")) && l.contains("text = "))
        .expect("the deleted objective's text")
        .to_string();
    fs::write(
        &path,
        base.replacen(&gone, "  text = \"Changed on disk\"", 1),
    )
    .unwrap();
    let app = editor(Arc::new(OsFs), &path, Settings::default());
    let Some(Modal::Confirm(question)) = &session(&app).modal else {
        panic!("recovery not offered");
    };
    assert!(
        question.question.contains("conflict with those changes"),
        "{}",
        question.question
    );
}
