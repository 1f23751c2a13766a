//! The editor on a plan with conflict markers: the conflict view lists each conflict (git's
//! style and diff3 with a base, any marker size, CRLF with a BOM), takes ours, theirs or both (arrays as
//! a set), edits a block's text, undoes a step; once none is left the plan opens, unsaved,
//! and saving writes the resolved file with every byte outside the conflicts as it was.
//! Markers that do not balance still open the SCP001 screen, saying what is wrong.

use std::path::{Path, PathBuf};

use scplan::check::{Settings, check_bytes};
use scplan::tui::app::{App, Modal, Screen};

mod common;

use common::git::{self, Repo};

#[path = "support/tui_harness.rs"]
mod harness;
use harness::*;

const BASE: &str = "tests/fixtures/diff/base.toml";
const TITLE: &str = "title = \"Deter aggression (fictional)\"\n";
const LINKS: &str = "  priorities = [\"SP-1\", \"SP-2\"]\n";
const OURS_TITLE: &str = "title = \"Deter aggression now (fictional)\"\n";
const THEIRS_TITLE: &str = "title = \"Deter aggression together (fictional)\"\n";
const OURS_LINKS: &str = "  priorities = [\"SP-1\", \"SP-3\"]\n";
const THEIRS_LINKS: &str = "  priorities = [\"SP-2\", \"SP-1\"]\n";

/// The fixture with `title` for SP-1's title line and `links` for POL-ST-1's priorities.
fn plan(title: &str, links: &str) -> String {
    let base = std::fs::read_to_string(BASE).unwrap();
    assert!(base.contains(TITLE) && base.contains(LINKS));
    base.replacen(TITLE, title, 1).replacen(LINKS, links, 1)
}

/// Two conflicts: git's style on SP-1's title, diff3 style (with a base, markers of eight)
/// on POL-ST-1's priorities.
fn conflicted() -> String {
    let title = format!("<<<<<<< ours\n{OURS_TITLE}=======\n{THEIRS_TITLE}>>>>>>> theirs\n");
    let links = format!(
        "<<<<<<<< HEAD\n{OURS_LINKS}|||||||| base\n{LINKS}========\n{THEIRS_LINKS}>>>>>>>> feature/links\n"
    );
    plan(&title, &links)
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// The editor on a file holding `bytes`, in a temporary folder.
fn open_bytes(bytes: &[u8]) -> (App, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, bytes).unwrap();
    (editor_at(&path, false), dir, path)
}

fn conflicts(app: &App) -> &scplan::tui::app::Conflicts {
    match &app.screen {
        Screen::Conflicts(c) => c,
        _ => panic!("not the conflict view"),
    }
}

fn text(app: &App) -> String {
    render_text(app, 80, 24)
}

fn render_text(app: &App, w: u16, h: u16) -> String {
    screen_text(render(app, w, h).backend().buffer())
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn the_view_lists_both_conflicts_with_their_sides() {
    let (mut app, _dir, _) = open_bytes(conflicted().as_bytes());
    let c = conflicts(&app);
    // The screen holds the editing lock (the open let its own go).
    assert!(
        c.lock.is_some() && c.read_only.is_none(),
        "{:?}",
        c.read_only
    );
    assert_eq!(c.blocks.len(), 2);
    assert_eq!(c.blocks[0].line, 16);
    assert!(c.blocks[1].base.is_some());
    insta::assert_snapshot!("conflict_list_80x24", render(&app, 80, 24).backend());
    // The second one shows its base.
    press(&mut app, "Down");
    let screen = text(&app);
    assert!(screen.contains("base (base)"), "{screen}");
    assert!(screen.contains("theirs (feature/links)"), "{screen}");
    insta::assert_snapshot!("conflict_diff3_80x24", render(&app, 80, 24).backend());
}

#[test]
fn ours_and_both_open_the_plan_unsaved_and_saving_writes_the_resolved_bytes() {
    let original = conflicted();
    let (mut app, _dir, path) = open_bytes(original.as_bytes());
    press(&mut app, "o");
    assert_eq!(conflicts(&app).left(), 1);
    // The next conflict left is selected; both sides' links as a set, ours' order first.
    assert_eq!(conflicts(&app).selected, 1);
    press(&mut app, "b");
    let s = session(&app);
    assert!(s.modified(), "the resolved plan is not saved yet");
    assert_eq!(
        read(&path),
        original.as_bytes(),
        "nothing written before a save"
    );
    let (message, problem) = s.message.clone().unwrap();
    assert!(!problem && message.contains("not saved yet"), "{message}");
    insta::assert_snapshot!("conflict_loaded_80x24", render(&app, 80, 24).backend());
    // Every view works on it: the diagnostics view shows the checked plan.
    press(&mut app, "4");
    assert!(text(&app).contains("All diagnostics"));
    press(&mut app, "C-s");
    let expected = plan(
        OURS_TITLE,
        "  priorities = [\"SP-1\", \"SP-3\", \"SP-2\"]\n",
    );
    assert_eq!(String::from_utf8(read(&path)).unwrap(), expected);
    assert!(!session(&app).modified());
    let checked = check_bytes(&read(&path), &Settings::default()).unwrap();
    assert!(checked.plan.is_some());
}

#[test]
fn theirs_undo_and_an_edited_block() {
    let (mut app, _dir, path) = open_bytes(conflicted().as_bytes());
    press(&mut app, "t");
    assert_eq!(
        conflicts(&app).resolutions[0].as_ref().unwrap().how,
        "theirs"
    );
    press(&mut app, "u");
    assert_eq!(conflicts(&app).left(), 2);
    assert_eq!(conflicts(&app).selected, 0);
    // The block's text, markers included, in the multi-line field.
    press(&mut app, "e");
    assert!(matches!(conflicts(&app).modal, Some(Modal::Text(_))));
    insta::assert_snapshot!("conflict_edit_80x24", render(&app, 80, 24).backend());
    // Committed with markers left, it is refused and says why.
    press(&mut app, "C-s");
    let Some(Modal::Text(edit)) = &conflicts(&app).modal else {
        panic!("the field stays open");
    };
    assert!(
        edit.error
            .as_deref()
            .unwrap_or_default()
            .contains("still holds a conflict"),
        "{:?}",
        edit.error
    );
    press(
        &mut app,
        "C-u \"title = 'Deter aggression, edited (fictional)'\" C-s",
    );
    assert_eq!(conflicts(&app).left(), 1);
    press(&mut app, "t C-s");
    let expected = plan(
        "title = 'Deter aggression, edited (fictional)'\n",
        THEIRS_LINKS,
    );
    assert_eq!(String::from_utf8(read(&path)).unwrap(), expected);
}

#[test]
fn quitting_after_a_resolution_asks_and_the_loaded_plan_warns_too() {
    let (mut app, _dir, path) = open_bytes(conflicted().as_bytes());
    press(&mut app, "o q");
    assert!(matches!(conflicts(&app).modal, Some(Modal::Confirm(_))));
    press(&mut app, "n");
    assert!(!app.should_quit);
    press(&mut app, "o q");
    let Some(Modal::Confirm(q)) = &session(&app).modal else {
        panic!("quitting with unsaved work asks");
    };
    assert!(q.question.contains("Save the changes"), "{}", q.question);
    press(&mut app, "n");
    assert!(app.should_quit);
    assert_eq!(read(&path), conflicted().as_bytes());
}

#[test]
fn a_crlf_file_with_a_bom_keeps_its_line_endings_and_every_other_byte() {
    let original = format!("\u{feff}{}", crlf(&conflicted()));
    let (mut app, _dir, path) = open_bytes(original.as_bytes());
    assert_eq!(conflicts(&app).blocks.len(), 2);
    press(&mut app, "t b C-s");
    let expected = format!(
        "\u{feff}{}",
        crlf(&plan(
            THEIRS_TITLE,
            "  priorities = [\"SP-1\", \"SP-3\", \"SP-2\"]\n",
        ))
    );
    assert_eq!(String::from_utf8(read(&path)).unwrap(), expected);
}

#[test]
fn unbalanced_markers_still_report_scp001_saying_what_is_wrong() {
    let broken = plan(&format!("<<<<<<< ours\n{OURS_TITLE}=======\n"), LINKS);
    let (app, _dir, _) = open_bytes(broken.as_bytes());
    let Screen::Broken(b) = &app.screen else {
        panic!("the error screen");
    };
    assert_eq!(b.diagnostic.code, "SCP001");
    assert!(
        b.diagnostic.message.contains("unbalanced conflict markers")
            && b.diagnostic.message.contains("line 16"),
        "{}",
        b.diagnostic.message
    );
    let nested = plan(
        &format!("<<<<<<< a\n<<<<<<< b\n{OURS_TITLE}=======\n>>>>>>> c\n=======\n>>>>>>> d\n"),
        LINKS,
    );
    let (app, _dir, _) = open_bytes(nested.as_bytes());
    let Screen::Broken(b) = &app.screen else {
        panic!("the error screen");
    };
    assert!(
        b.diagnostic.message.contains("nested"),
        "{}",
        b.diagnostic.message
    );
    assert_eq!(b.diagnostic.loc.line, 17);
}

#[test]
fn a_conflict_left_by_git_merge_opens_in_the_view_and_resolves() {
    if !git::available() {
        return;
    }
    let repo = Repo::new();
    repo.write("plan.toml", plan(TITLE, LINKS));
    repo.commit("base");
    repo.ok(&["checkout", "-q", "-b", "theirs"]);
    repo.write("plan.toml", plan(THEIRS_TITLE, LINKS));
    repo.commit("theirs");
    repo.ok(&["checkout", "-q", "main"]);
    repo.write("plan.toml", plan(OURS_TITLE, LINKS));
    repo.commit("ours");
    // git's own line merge (no driver set up), in diff3 style.
    let out = repo.git(&["-c", "merge.conflictStyle=diff3", "merge", "-q", "theirs"]);
    assert!(!out.status.success(), "the merge conflicts");
    let path = repo.path().join("plan.toml");
    let mut app = editor_at(&path, false);
    let c = conflicts(&app);
    assert_eq!(c.blocks.len(), 1);
    assert_eq!(c.blocks[0].ours_label, "HEAD");
    assert_eq!(c.blocks[0].theirs_label, "theirs");
    assert!(c.blocks[0].base.is_some());
    press(&mut app, "t C-s");
    assert_eq!(
        String::from_utf8(read(&path)).unwrap(),
        plan(THEIRS_TITLE, LINKS)
    );
}

#[test]
fn both_on_one_value_set_on_each_side_says_so_and_resolves_nothing() {
    let (mut app, _dir, _) = open_bytes(conflicted().as_bytes());
    press(&mut app, "b");
    let c = conflicts(&app);
    assert_eq!(c.left(), 2, "nothing resolved");
    let (message, problem) = c.message.clone().unwrap();
    assert!(problem, "{message}");
    assert!(message.contains("both sides set `title`"), "{message}");
    assert!(text(&app).contains("both sides set `title`"));
}

#[test]
fn the_view_is_marked_with_the_higher_banner_of_either_side() {
    let base = std::fs::read_to_string(BASE).unwrap();
    let line = "marking = \"UNCLASSIFIED\"\n";
    assert!(base.contains(line));
    let conflicted = base.replacen(
        line,
        &format!("<<<<<<< ours\n{line}=======\nmarking = \"SECRET\"\n>>>>>>> theirs\n"),
        1,
    );
    let (app, _dir, _) = open_bytes(conflicted.as_bytes());
    assert_eq!(conflicts(&app).banner, "SECRET");
    let screen = text(&app);
    let rows: Vec<&str> = screen.lines().collect();
    assert_eq!(rows[0].trim(), "SECRET");
    assert_eq!(rows[rows.len() - 1].trim(), "SECRET");
}

#[test]
fn undo_right_after_the_last_resolution_opens_the_conflict_again() {
    let original = conflicted();
    let (mut app, _dir, path) = open_bytes(original.as_bytes());
    press(&mut app, "o o");
    assert!(session(&app).modified(), "the plan is open");
    press(&mut app, "u");
    let c = conflicts(&app);
    assert_eq!(c.left(), 1, "the last one is open again");
    assert!(c.lock.is_some(), "the lock came back with the view");
    press(&mut app, "t");
    let s = session(&app);
    assert!(s.modified());
    press(&mut app, "C-s");
    // Once saved, undo has nothing more to go back to.
    press(&mut app, "u");
    assert!(matches!(app.screen, Screen::Edit(_)));
    assert_ne!(read(&path), original.as_bytes());
}
