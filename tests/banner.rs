//! The editor's banner line is never lower than what the portions require.

#[path = "support/editor.rs"]
mod editor;

use scplan::check::Settings;
use scplan::plan::marking::Level;

fn banner_line(fixture: &str, system_high: Level) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("plan.toml");
    std::fs::copy(fixture, &file).expect("the fixture is copied");
    let app = editor::open(&file, Settings { system_high });
    let screen = editor::screen(&app, 80, 24);
    screen.lines().next().unwrap_or_default().trim().to_string()
}

#[test]
fn an_unreadable_marking_shows_the_worst_case_flagged() {
    assert_eq!(
        banner_line("tests/fixtures/rules/SCP201-fires.toml", Level::Cui),
        "CUI (1 unreadable marking)"
    );
    assert_eq!(
        banner_line("tests/fixtures/rules/SCP201-fires.toml", Level::S),
        "SECRET//NOFORN (1 unreadable marking)"
    );
}

#[test]
fn a_banner_below_the_roll_up_shows_the_roll_up_until_it_is_fixed() {
    let line = banner_line("tests/fixtures/rules/SCP202-fires.toml", Level::Ts);
    let expected =
        std::fs::read_to_string("tests/fixtures/rules/SCP202-fires.toml").expect("the fixture");
    assert!(line.contains("(the banner says"), "{line}\n{expected}");
    assert_eq!(
        banner_line("plans/eucom-sample.toml", Level::Cui),
        "UNCLASSIFIED"
    );
}
