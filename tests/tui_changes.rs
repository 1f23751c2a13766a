//! The editor's changes view in real git repositories: what changed since `HEAD` (or the
//! revision given with `--since`), by item, unsaved edits included and followed as they are
//! made, git run only when the view opens or is asked again; Enter goes to the item; outside
//! a repository, or for a file not yet committed, the view says so in words.

mod common;

use std::path::Path;

use scplan::check::Settings;
use scplan::plan::document::Edit;
use scplan::plan::model::{Collection, Node};
use scplan::tui::app::{App, Screen, View};

use common::git::{self, Repo};

#[path = "support/tui_harness.rs"]
mod harness;
use harness::*;

const DIFF: &str = "tests/fixtures/diff";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIFF}/{name}.toml")).unwrap()
}

/// A repository whose `plan.toml` is the base fixture at the tag `v1` and the `fields`
/// fixture at `HEAD`.
fn history() -> Repo {
    let repo = Repo::new();
    repo.write("plan.toml", fixture("base"));
    repo.commit("v1");
    repo.ok(&["tag", "v1"]);
    repo.write("plan.toml", fixture("fields"));
    repo.commit("v2");
    repo
}

fn editor(path: &Path, since: Option<&str>) -> App {
    let mut app = editor_at(path, false);
    app.since = since.map(str::to_string);
    app
}

/// An unsaved edit of the plan's title.
fn retitle(app: &mut App, title: &str) {
    let Screen::Edit(s) = &mut app.screen else {
        panic!("editing");
    };
    let edit = Edit::SetField {
        node: Node::Plan,
        field: "title".to_string(),
        value: Some(title.into()),
    };
    s.apply(edit, "an edit", &Settings::default()).unwrap();
}

fn text(app: &App) -> String {
    screen_text(render(app, 80, 24).backend().buffer())
}

#[test]
fn changes_since_head_include_the_unsaved_edits_and_follow_them() {
    if !git::available() {
        return;
    }
    let repo = history();
    let mut app = editor(&repo.path().join("plan.toml"), None);
    retitle(&mut app, "Renamed plan (fictional)");
    press(&mut app, "6");
    assert_eq!(session(&app).view, View::Changes);
    let screen = text(&app);
    assert!(screen.contains("Changes since HEAD"), "{screen}");
    assert!(
        screen.contains("plan: title: \"Diff fixture plan (fictional)\" -> \"Renamed plan"),
        "{screen}"
    );
    insta::assert_snapshot!("changes_head_80x24", render(&app, 80, 24).backend());
    // Undone, the view follows without asking git again (git could not answer now): no
    // change is left.
    let (git_dir, away) = (repo.path().join(".git"), repo.path().join(".git-away"));
    std::fs::rename(&git_dir, &away).unwrap();
    press(&mut app, "u");
    let screen = text(&app);
    assert!(screen.contains("No change since HEAD"), "{screen}");
    // An edit made in another view shows when the view is opened again.
    retitle(&mut app, "Again (fictional)");
    press(&mut app, "2 6");
    assert!(text(&app).contains("Again (fictional)"));
    std::fs::rename(&away, &git_dir).unwrap();
    // Saved and committed, the view (read again with its key) has nothing left to show.
    press(&mut app, "C-s");
    repo.commit("v3");
    press(&mut app, "6");
    assert!(
        text(&app).contains("No change since HEAD"),
        "{}",
        text(&app)
    );
}

#[test]
fn since_a_tag_shows_every_change_of_the_revisions_and_enter_goes_to_the_item() {
    if !git::available() {
        return;
    }
    let repo = history();
    let mut app = editor(&repo.path().join("plan.toml"), Some("v1"));
    press(&mut app, "6");
    let screen = text(&app);
    assert!(screen.contains("Changes since v1"), "{screen}");
    insta::assert_snapshot!("changes_since_tag_80x24", render(&app, 80, 24).backend());
    // The same changes `scplan diff v1..HEAD` names, in its words.
    let (out, err, _) = repo.scplan("", &["diff", "v1..HEAD", "plan.toml"]);
    let c = session(&app).changes.as_ref().unwrap();
    let diff = c.diff.as_ref().unwrap();
    let lines: Vec<String> = diff
        .changes
        .iter()
        .map(scplan::diff::render::line)
        .collect();
    for line in &lines {
        assert!(out.contains(line.as_str()), "{line} not in {out}{err}");
    }
    // Enter on a change of an agreement goes to it, at its field.
    let at = diff
        .changes
        .iter()
        .position(|c| c.key == "POL-AG-1")
        .expect("a change of POL-AG-1");
    assert_eq!(diff.changes[at].field.as_deref(), Some("last_reviewed"));
    press(&mut app, &"Down ".repeat(at));
    press(&mut app, "Enter");
    let s = session(&app);
    assert_eq!(s.view, View::Countries);
    let agreement = Node::Item(Collection::Agreements(0), 0);
    assert_eq!(s.selected_node(), Some(agreement));
    assert_eq!(
        agreement.kind().fields()[s.selection.field].name,
        "last_reviewed"
    );
}

#[test]
fn without_a_revision_the_view_says_why() {
    if !git::available() {
        return;
    }
    // Outside any repository.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, fixture("base")).unwrap();
    let mut app = editor(&path, None);
    press(&mut app, "6");
    let screen = text(&app);
    assert!(screen.contains("is not in a git repository"), "{screen}");
    insta::assert_snapshot!(
        "changes_no_repository_80x24",
        render(&app, 80, 24).backend()
    );
    // In a repository, but never committed.
    let repo = Repo::new();
    repo.write("other.txt", "x");
    repo.commit("first");
    repo.write("plan.toml", fixture("base"));
    let mut app = editor(&repo.path().join("plan.toml"), None);
    press(&mut app, "6");
    assert!(
        text(&app).contains("plan.toml is not in HEAD"),
        "{}",
        text(&app)
    );
    // A revision that does not exist.
    let mut app = editor(&repo.path().join("plan.toml"), Some("v9"));
    press(&mut app, "6");
    assert!(
        text(&app).contains("`v9` is not a revision"),
        "{}",
        text(&app)
    );
    assert!(!app.should_quit);
}

#[test]
fn the_command_line_gives_the_editor_its_revision() {
    let (out, _, _) = common::run(common::scplan().arg("--help"));
    assert!(out.contains("--since <REV>"), "{out}");
    let (out, _, _) = common::run(common::scplan().args(["edit", "--help"]));
    assert!(out.contains("--since <REV>"), "{out}");
    // Before another subcommand it is refused, not ignored.
    let (_, err, code) = common::run(common::scplan().args([
        "--since",
        "v1",
        "check",
        "tests/fixtures/diff/base.toml",
    ]));
    assert_eq!(code, Some(2));
    assert!(err.contains("--since"), "{err}");
    // The editor takes it (and then needs a terminal, which a test has not).
    let (_, err, code) = common::run(common::scplan().args([
        "edit",
        "tests/fixtures/diff/base.toml",
        "--since",
        "v1",
    ]));
    assert_eq!(code, Some(2));
    assert!(err.contains("needs a terminal"), "{err}");
}
