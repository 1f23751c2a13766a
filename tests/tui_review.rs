//! The editor's part of link review: linking a priority in the picker writes its stamp and
//! unlinking removes it (one undo step with the link); the review queue shows, for a link whose
//! priority changed, the text now and the text in git when the link was reviewed; confirming
//! there re-stamps (undone by undo), and the saved plan then checks clean and differs from the
//! original only in the stamp's value.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use scplan::check::{Settings, check_bytes};
use scplan::config::Config;
use scplan::env::Env;
use scplan::plan::model::{Collection, Node};
use scplan::plan::review::stamp;
use scplan::store::OsFs;
use scplan::tui::app::{App, Focus, Modal, Screen, Session};
use scplan::tui::run::{app, perform};
use scplan::tui::update::handle_key;
use scplan::tui::view;

const SP2_TITLE: &str = "Build partner capacity (fictional)";

/// A clean plan whose SP-1 has `title`; POL-ST-1 links SP-1 and SP-2 with the stamps given.
fn plan_text(title: &str, sp1_stamp: &str) -> String {
    let sp2 = stamp(SP2_TITLE, "NDS 2026", "");
    format!(
        r#"[plan]
format = 1
id = "TEST-TCP-FY27"
title = "Fixture plan (fictional)"
command = "USEUCOM"
version = "1.0"
effective = 2026-10-01
period_end = 2031-09-30
marking = "UNCLASSIFIED"

[[priority]]
id = "SP-1"
title = "{title}"
source = "NDS 2026"

[[priority]]
id = "SP-2"
title = "{SP2_TITLE}"
source = "NDS 2026"

[[country]]
code = "POL"
name = "Poland"

  [[country.objective]]
  id = "POL-ST-1"
  kind = "st"
  text = "Joint applied AI research (fictional)"
  priorities = ["SP-1", "SP-2"]
  tech_areas = ["applied-ai"]
  governance = ["POL-AG-1"]
  target_date = 2029-09-30
  reviewed_links = {{ SP-1 = "{sp1_stamp}", SP-2 = "{sp2}" }}

    [[country.objective.indicator]]
    name = "Joint projects started"
    baseline = "0"
    target = "3"

  [[country.objective]]
  id = "POL-SC-1"
  kind = "sc"
  text = "Staff talks (fictional)"
  priorities = ["SP-2"]
  target_date = 2029-09-30

  [[country.agreement]]
  id = "POL-AG-1"
  kind = "project-arrangement"
  title = "Applied AI project arrangement (fictional)"
  signed = 2021-03-01
  expires = 2032-03-01
  last_reviewed = 2026-02-01
"#
    )
}

fn env() -> Env {
    Env {
        no_color: false,
        config_path: None,
        config_origin: None,
        today: jiff::civil::date(2026, 11, 28),
        source_date_epoch: None,
    }
}

fn editor(path: &Path) -> App {
    app(
        Arc::new(OsFs),
        Some(path),
        Vec::new(),
        &env(),
        &Config::default(),
        Settings::default(),
    )
    .unwrap()
}

fn press(app: &mut App, keys: &[(KeyCode, KeyModifiers)]) {
    for &(code, mods) in keys {
        for effect in handle_key(app, KeyEvent::new(code, mods)) {
            perform(app, effect);
        }
    }
}

fn key(c: char) -> (KeyCode, KeyModifiers) {
    let mods = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    (KeyCode::Char(c), mods)
}

const NONE: KeyModifiers = KeyModifiers::NONE;

fn session(app: &App) -> &Session {
    match &app.screen {
        Screen::Edit(s) => s,
        _ => panic!("not editing"),
    }
}

fn screen(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| view::draw(frame, app)).unwrap();
    terminal
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2026-11-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T12:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn git_available() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: the `git` program is not installed, and this test needs it");
    }
    ok
}

#[test]
fn the_queue_shows_the_text_when_reviewed_and_confirming_restamps_only() {
    if !git_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    let first = "Deter aggression (fictional)";
    let reviewed = stamp(first, "NDS 2026", "");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    for (title, subject) in [
        (first, "first title"),
        ("Deter aggression in the east (fictional)", "second title"),
        ("Deter coercion in the east (fictional)", "third title"),
    ] {
        std::fs::write(&path, plan_text(title, &reviewed)).unwrap();
        git(dir.path(), &["add", "plan.toml"]);
        git(dir.path(), &["commit", "-q", "-m", subject]);
    }
    let original = std::fs::read_to_string(&path).unwrap();
    let mut app = editor(&path);
    press(&mut app, &[key('5')]);
    let terminal = screen(&app);
    insta::assert_snapshot!("review_queue_80x24", terminal.backend());
    let text = format!("{:?}", terminal.backend());
    assert!(text.contains("Deter coercion in the east"), "{text}");
    assert!(
        text.contains("reviewed: Deter aggression (fictional)"),
        "{text}"
    );
    assert!(text.contains("first title"), "{text}");

    // Confirming re-stamps, undo brings the suspect link back, confirming again and saving
    // gives a clean plan that differs only in the stamp's value.
    press(&mut app, &[key('y')]);
    assert!(session(&app).live.diagnostics.is_empty());
    press(&mut app, &[key('u')]);
    assert!(
        session(&app)
            .live
            .diagnostics
            .iter()
            .any(|d| d.code == "SCP109")
    );
    press(
        &mut app,
        &[key('y'), (KeyCode::Char('s'), KeyModifiers::CONTROL)],
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    let report = check_bytes(saved.as_bytes(), &Settings::default()).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let now = stamp("Deter coercion in the east (fictional)", "NDS 2026", "");
    assert_ne!(now, reviewed);
    assert_eq!(saved.replace(&now, &reviewed), original);
    assert_ne!(saved, original);
}

#[test]
fn linking_in_the_picker_writes_the_stamp_and_unlinking_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    let title = "Deter aggression (fictional)";
    let sp1 = stamp(title, "NDS 2026", "");
    std::fs::write(&path, plan_text(title, &sp1)).unwrap();
    let mut app = editor(&path);
    let sc = Node::Item(Collection::Objectives(0), 1);
    press(&mut app, &[(KeyCode::Tab, NONE)]);
    for _ in 0..10 {
        if session(&app).selected_node() == Some(sc) {
            break;
        }
        press(&mut app, &[(KeyCode::Down, NONE)]);
    }
    assert_eq!(session(&app).selected_node(), Some(sc));
    let text = |app: &App| session(app).doc.to_text();
    let original = text(&app);
    // The picker lists SP-1 first: select it and accept.
    press(&mut app, &[key('l')]);
    assert!(matches!(session(&app).modal, Some(Modal::Picker(_))));
    press(
        &mut app,
        &[(KeyCode::Char(' '), NONE), (KeyCode::Enter, NONE)],
    );
    let linked = text(&app);
    assert!(
        linked.contains("priorities = [\"SP-1\", \"SP-2\"]")
            && linked.contains(&format!("reviewed_links = {{ SP-1 = \"{sp1}\", SP-2 = ")),
        "{linked}"
    );
    assert!(session(&app).live.diagnostics.is_empty());
    // One undo step takes back the link and its stamp.
    press(&mut app, &[key('u')]);
    assert_eq!(text(&app), original);
    // Unlinking removes the stamp: POL-ST-1 without SP-1 keeps only SP-2's.
    let st = Node::Item(Collection::Objectives(0), 0);
    for _ in 0..10 {
        if session(&app).selected_node() == Some(st) {
            break;
        }
        press(&mut app, &[(KeyCode::Up, NONE)]);
    }
    assert_eq!(session(&app).selected_node(), Some(st));
    press(
        &mut app,
        &[key('l'), (KeyCode::Char(' '), NONE), (KeyCode::Enter, NONE)],
    );
    let sp2 = stamp(SP2_TITLE, "NDS 2026", "");
    let unlinked = text(&app);
    assert!(
        unlinked.contains("priorities = [\"SP-2\"]")
            && unlinked.contains(&format!("reviewed_links = {{ SP-2 = \"{sp2}\" }}")),
        "{unlinked}"
    );
    let review_findings: Vec<_> = session(&app)
        .live
        .diagnostics
        .iter()
        .filter(|d| ["SCP006", "SCP109", "SCP110", "SCP111"].contains(&d.code))
        .collect();
    assert!(review_findings.is_empty(), "{review_findings:?}");
    // The form does not edit `reviewed_links` as text: it says where stamps come from.
    let field = st
        .kind()
        .fields()
        .iter()
        .position(|f| f.name == "reviewed_links")
        .unwrap();
    if let Screen::Edit(s) = &mut app.screen {
        s.selection.focus = Focus::Form;
        s.selection.field = field;
    }
    press(&mut app, &[(KeyCode::Enter, NONE)]);
    assert!(session(&app).modal.is_none());
    let (message, problem) = session(&app).message.clone().unwrap();
    assert!(problem && message.contains("review queue (5)"), "{message}");
    assert_eq!(text(&app), unlinked);
}

#[test]
fn the_queue_says_so_when_no_link_was_ever_stamped_and_shows_a_suspect_links_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::copy("plans/eucom-sample.toml", &path).unwrap();
    let mut app = editor(&path);
    press(&mut app, &[key('5')]);
    let text = format!("{:?}", screen(&app).backend());
    assert!(text.contains("No link is stamped yet"), "{text}");
    // A suspect link: its SCP109 is the selection's finding.
    let stale = plan_text("Deter coercion (fictional)", "00000000");
    std::fs::write(&path, stale).unwrap();
    let mut app = editor(&path);
    press(&mut app, &[key('5')]);
    let text = format!("{:?}", screen(&app).backend());
    assert!(text.contains("warning SCP109"), "{text}");
    assert!(!text.contains("no diagnostics here"), "{text}");
}
