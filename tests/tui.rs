//! The terminal editor driven as a user would: key events in, screens out (TestBackend), with
//! insta snapshots of every view, picker and dialog at 80x24 and 120x40, and scenarios that
//! check what the keys did to the plan.

use std::path::Path;
use std::sync::Arc;

use ratatui::style::Color;

use scplan::check::{Settings, check_bytes};
use scplan::config::Config;
use scplan::report::Summary;
use scplan::store::OsFs;
use scplan::tui::app::{App, Screen};
use scplan::tui::run::app;

mod common;
#[path = "support/tui_harness.rs"]
mod harness;
use harness::*;

/// Snapshots the screen after `keys` at both sizes.
fn snap(name: &str, fixture: &str, keys: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        // A copy, so that tests running at once never meet each other's editing lock.
        let (mut app, _dir, _) = open(fixture, false);
        press(&mut app, keys);
        let terminal = render(&app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

const SAMPLE: &str = "plans/eucom-sample.toml";
const SCENARIO: &str = "tests/fixtures/tui/scenario.toml";

#[test]
fn snapshots_of_every_view() {
    snap("countries", SCENARIO, "");
    snap("section", SAMPLE, "Tab Down");
    snap("form", SAMPLE, "Tab Down Enter");
    snap("plan_view", SAMPLE, "1");
    snap("matrix", SAMPLE, "m");
    snap("matrix_cell", SAMPLE, "m Enter");
    snap("diagnostics", SCENARIO, "4");
    snap("help", SAMPLE, "?");
    snap("export_picker", SAMPLE, "e");
}

#[test]
fn snapshots_of_pickers_fields_and_dialogs() {
    snap("picker_links", SAMPLE, "Tab Down l");
    snap("picker_enum", SAMPLE, "Tab Down Enter Down Enter");
    snap("picker_add_country", SAMPLE, "a \"jap\"");
    snap("picker_copy_country", SAMPLE, "D \"lith\"");
    snap("picker_add_item", SAMPLE, "Tab a");
    snap("text_single", SAMPLE, "Tab Down Enter Enter");
    snap("text_multi", SAMPLE, "Tab Down Enter Down Down Enter");
    snap(
        "text_bad_date",
        SAMPLE,
        "Tab Down Enter Down Down Down Down Down Down Enter Bksp Bksp \"99\" Enter",
    );
    snap("confirm_delete", SAMPLE, "Tab Down Down d");
    snap("confirm_delete_referenced", SAMPLE, "1 Down d");
    snap("confirm_quit", SCENARIO, "Tab Down Down d y q");
}

#[test]
fn snapshot_of_the_parse_error_screen() {
    // Opened in place so that the path on screen is stable; a broken plan takes no lock.
    for (w, h) in [(80, 24), (120, 40)] {
        let fixture = Path::new("tests/fixtures/tui/broken.toml");
        let app = app(
            Arc::new(OsFs),
            Some(fixture),
            Vec::new(),
            &env(false),
            &Config::default(),
            Settings::default(),
        )
        .unwrap();
        insta::assert_snapshot!(format!("parse_error_{w}x{h}"), render(&app, w, h).backend());
    }
}

#[test]
fn files_screen_lists_plans() {
    let files = scplan::tui::run::plan_files(Path::new("."));
    assert!(files.iter().any(|f| f.ends_with("eucom-sample.toml")));
    let app = app(
        Arc::new(OsFs),
        None,
        files,
        &env(false),
        &Config::default(),
        Settings::default(),
    )
    .unwrap();
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("files_{w}x{h}"), render(&app, w, h).backend());
    }
}

#[test]
fn header_counts_equal_check() {
    for fixture in [
        SCENARIO,
        SAMPLE,
        "tests/fixtures/structure/many-errors.toml",
        "tests/fixtures/rules/SCP205-fires.toml",
    ] {
        let (app, _dir, path) = open(fixture, false);
        let expected = Summary::of(
            &check_bytes(&std::fs::read(path).unwrap(), &Settings::default())
                .unwrap()
                .diagnostics,
        );
        assert_eq!(session(&app).summary, expected, "{fixture}");
        let text = screen_text(render(&app, 120, 40).backend().buffer());
        let header = text.lines().nth(1).unwrap();
        assert!(
            header.contains(&format!("✗ {} error", expected.errors)),
            "{fixture}: {header}"
        );
        assert!(
            header.contains(&format!("⚠ {} warning", expected.warnings)),
            "{fixture}: {header}"
        );
    }
}

#[test]
fn banner_is_styled_by_level_and_readable_without_colour() {
    let cases = [
        ("UNCLASSIFIED", Color::Green),
        ("CUI", Color::Rgb(0x6a, 0x1b, 0x9a)),
        ("CONFIDENTIAL", Color::Blue),
        ("SECRET//NOFORN", Color::Red),
        ("TOP SECRET", Color::Rgb(0xff, 0x8c, 0x00)),
    ];
    for (banner, color) in cases {
        let (mut app, _dir, _) = open(SCENARIO, false);
        if let Screen::Edit(s) = &mut app.screen {
            let edit = scplan::plan::document::Edit::SetField {
                node: scplan::plan::model::Node::Plan,
                field: "marking".to_string(),
                value: Some(toml_edit::Value::from(banner)),
            };
            s.apply(edit, "an edit", &Settings::default()).unwrap();
        }
        let terminal = render(&app, 80, 24);
        let buffer = terminal.backend().buffer();
        for y in [0, 23] {
            let line: String = (0..80)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            assert_eq!(line.trim(), banner, "the banner text itself says the level");
            assert_eq!(buffer[(0, y)].bg, color, "{banner}");
        }
    }
}

#[test]
fn with_no_color_no_cell_carries_a_colour() {
    for keys in ["", "Tab Down", "m", "4", "?", "Tab Down l", "1"] {
        let (mut app, _dir, _) = open(SCENARIO, true);
        press(&mut app, keys);
        let terminal = render(&app, 80, 24);
        for cell in terminal.backend().buffer().content() {
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "coloured cell {cell:?} after {keys:?}"
            );
        }
        // Status is still shown, by symbols.
        let text = screen_text(terminal.backend().buffer());
        assert!(
            text.contains('✗') || text.contains('⚠') || text.contains("Keys"),
            "{keys:?}"
        );
    }
}

#[test]
fn hostile_text_is_shown_with_visible_stand_ins() {
    let (mut app, _dir, _) = open("tests/fixtures/tui/hostile.toml", false);
    for keys in ["", "Tab Down", "Enter", "1"] {
        press(&mut app, keys);
        let terminal = render(&app, 120, 40);
        let buffer = terminal.backend().buffer();
        let text = screen_text(buffer);
        for cell in buffer.content() {
            assert!(
                !cell
                    .symbol()
                    .chars()
                    .any(|c| c.is_control() || c == '\u{202e}'),
                "raw control in {:?}",
                cell.symbol()
            );
        }
        assert!(text.contains('␛'), "ESC stand-in after {keys:?}:\n{text}");
        assert!(
            text.contains('␀') || keys == "1",
            "NUL stand-in after {keys:?}:\n{text}"
        );
        assert!(
            text.contains("<U+202E>"),
            "RLO stand-in after {keys:?}:\n{text}"
        );
    }
}

#[test]
fn hostile_text_is_edited_through_its_stand_ins_and_kept() {
    let (mut app, _dir, path) = open("tests/fixtures/tui/hostile.toml", false);
    let before = session(&app)
        .live
        .plan
        .meta
        .title
        .clone()
        .unwrap()
        .value
        .unwrap();
    press(&mut app, "1 Tab g g");
    let title = session(&app)
        .selected_node()
        .unwrap()
        .kind()
        .fields()
        .iter()
        .position(|f| f.name == "title")
        .unwrap();
    press(&mut app, &format!("{}Enter", "Down ".repeat(title)));
    let Some(scplan::tui::app::Modal::Text(edit)) = &session(&app).modal else {
        panic!("no text edit");
    };
    let shown = edit.area.lines().join("\n");
    assert_eq!(shown, "Hostile ␛[31mred␛[0m text ␀ and <U+202E>gnp.exe");
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(screen.contains("␛[31mred"), "{screen}");
    press(&mut app, "\" (edited)\" Enter C-s");
    let plan = &session(&app).live.plan;
    assert_eq!(
        plan.meta.title.clone().unwrap().value.unwrap(),
        format!("{before} (edited)")
    );
    // Saved escaped: no raw control or right-to-left override in the file.
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains(
            "title = \"Hostile \\u001B[31mred\\u001B[0m text \\u0000 and \\u202Egnp.exe (edited)\""
        ),
        "{saved}"
    );
    assert!(
        !saved
            .chars()
            .any(|c| c == '\u{202e}' || (c.is_control() && c != '\n'))
    );
}

#[test]
fn scenario_fix_scp101_and_scp102_save_then_undo_everything() {
    let original = std::fs::read(SCENARIO).unwrap();
    let codes = |bytes: &[u8]| -> Vec<&'static str> {
        check_bytes(bytes, &Settings::default())
            .unwrap()
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    };
    assert!(codes(&original).contains(&"SCP101") && codes(&original).contains(&"SCP102"));
    let (mut app, _dir, path) = open(SCENARIO, false);
    // POL: add an S&T objective, type its text, link a priority and a technology area.
    press(&mut app, "Tab a Enter");
    press(
        &mut app,
        "Enter \"Joint AI logistics trials (fictional)\" C-s",
    );
    press(&mut app, "Down Enter Space Enter");
    press(&mut app, "Down Enter Space Enter");
    // DEU: link the other objective to a priority.
    press(&mut app, "Esc Esc Down Tab Down l Down Space Enter");
    press(&mut app, "C-s");
    assert!(!session(&app).modified());
    let saved = std::fs::read(&path).unwrap();
    // What the editor derived edit by edit (one section at a time) is what `check` finds in
    // the saved file, lines and columns included.
    assert_eq!(
        session(&app).live.diagnostics,
        check_bytes(&saved, &Settings::default())
            .unwrap()
            .diagnostics
    );
    let after = codes(&saved);
    assert!(
        !after.contains(&"SCP101") && !after.contains(&"SCP102"),
        "{after:?}"
    );
    let saved_text = String::from_utf8(saved.clone()).unwrap();
    assert!(saved_text.contains("id = \"POL-ST-1\""));
    assert!(saved_text.contains("text = \"Joint AI logistics trials (fictional)\""));
    // The diff touches only the added objective and the edited line.
    let original_text = String::from_utf8(original.clone()).unwrap();
    let diff = similar::TextDiff::from_lines(&original_text, &saved_text);
    let removed: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .map(|c| c.value().to_string())
        .collect();
    assert_eq!(removed, ["  priorities = []\n"]);
    let added: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Insert)
        .map(|c| c.value().trim_end().to_string())
        .collect();
    // One blank line before the new header (the diff may place it either side).
    assert_eq!(added.iter().filter(|l| l.is_empty()).count(), 1);
    let added: Vec<&String> = added.iter().filter(|l| !l.is_empty()).collect();
    // Linking in the editor stamps each link with its priority's current stamp.
    let plan = check_bytes(&original, &Settings::default())
        .unwrap()
        .plan
        .unwrap();
    let stamps = scplan::plan::review::current_stamps(&plan);
    let reviewed = |id: &str| format!("  reviewed_links = {{ {id} = \"{}\" }}", stamps[id]);
    assert_eq!(
        added,
        [
            "  [[country.objective]]",
            "  id = \"POL-ST-1\"",
            "  kind = \"st\"",
            "  text = \"Joint AI logistics trials (fictional)\"",
            "  priorities = [\"SP-1\"]",
            "  tech_areas = [\"applied-ai\"]",
            &reviewed("SP-1"),
            "  priorities = [\"SP-2\"]",
            &reviewed("SP-2"),
        ]
    );
    // Undo every step, save: the original bytes.
    press(&mut app, "u u u u u C-s");
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert!(!session(&app).modified());
}

#[test]
fn a_bad_date_is_refused_and_nothing_changes() {
    let (mut app, _dir, path) = open(SAMPLE, false);
    let before = std::fs::read(&path).unwrap();
    press(
        &mut app,
        "Tab Down Enter Down Down Down Down Down Down Enter Bksp Bksp \"99\" Enter",
    );
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("is no day of the calendar"), "{text}");
    press(&mut app, "Esc y C-s");
    assert!(!session(&app).modified());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_readme_lists_every_key() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let keymap = scplan::tui::keymap::Keymap::new(&Default::default()).unwrap();
    // So are the text area's own keys and what Enter does in a form.
    for (keys, help) in scplan::tui::keymap::TEXT_KEYS {
        assert!(readme.contains(&format!("| {keys} | {help} |")), "{keys}");
    }
    let enter = scplan::tui::keymap::FORM_ENTER;
    assert!(
        readme.to_lowercase().contains(&enter.to_lowercase()),
        "{enter}"
    );
    for mode in scplan::tui::keymap::Mode::ALL {
        for b in keymap.bindings(mode) {
            assert!(
                readme.contains(&format!("| {} |", b.help)),
                "README lacks {:?}: {}",
                b.action,
                b.help
            );
        }
    }
}

/// A quick fix to try: the fixture (under tests/fixtures), the rule, the keys pressed once its
/// diagnostic is reached, the lines it changes and what they become.
type FixCase<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);

/// Each quick fix through its keys: the saved file differs from the original only in the
/// lines the fix must touch, and the diagnostic is gone.
#[test]
fn quick_fixes_repair_mechanical_problems() {
    // Linking in the editor stamps the link with the priority's current stamp.
    let stamp_of_sp1 = |fixture: &str| {
        let bytes = std::fs::read(format!("tests/fixtures/{fixture}")).unwrap();
        let plan = check_bytes(&bytes, &Settings::default())
            .unwrap()
            .plan
            .unwrap();
        format!(
            "  reviewed_links = {{ SP-1 = \"{}\" }}",
            scplan::plan::review::current_stamps(&plan)["SP-1"]
        )
    };
    let reviewed_101 = stamp_of_sp1("rules/SCP101-fires.toml");
    let reviewed_102 = stamp_of_sp1("rules/SCP102-fires.toml");
    let objective = [
        "  [[country.objective]]",
        "  id = \"POL-ST-2\"",
        "  kind = \"st\"",
        "  text = \"\"",
        "  priorities = [\"SP-1\"]",
        "  tech_areas = [\"applied-ai\"]",
        &reviewed_101,
        "",
    ];
    let cases: [FixCase; 11] = [
        (
            "rules/SCP202-fires.toml",
            "SCP202",
            "f",
            &["marking = \"UNCLASSIFIED\""],
            &["marking = \"CUI\""],
        ),
        (
            "rules/SCP103-fires.toml",
            "SCP103",
            // The closest priority, SP-1, is linked already: the link can only go.
            "f",
            &["  priorities = [\"SP-1\", \"SP-2\", \"SP-3\"]"],
            &["  priorities = [\"SP-1\", \"SP-2\"]"],
        ),
        // Reviewed "today", from the injected clock, once confirmed.
        (
            "rules/SCP301-fires.toml",
            "SCP301",
            "f y",
            &["  last_reviewed = 2025-09-30"],
            &["  last_reviewed = 2026-11-28"],
        ),
        (
            "rules/SCP107-fires.toml",
            "SCP107",
            "f",
            &["  priorities = [\"SP-1\", \"SP-2\", \"SP-1\"]"],
            &["  priorities = [\"SP-1\", \"SP-2\"]"],
        ),
        (
            "rules/SCP108-fires.toml",
            "SCP108",
            // Two fixes (the suggestion, or the link removed): the menu's first.
            "f Enter",
            &["  governance = [\"POL-AG-9\"]"],
            &["  governance = [\"POL-AG-1\"]"],
        ),
        (
            "structure/SCP004-unknown-key.toml",
            "SCP004",
            "f",
            &["descripton = \"Typo of description\""],
            &["description = \"Typo of description\""],
        ),
        (
            "structure/SCP006-command.toml",
            "SCP006",
            "f",
            &["command = \"USEUCOMM\""],
            &["command = \"USEUCOM\""],
        ),
        // The pickers open: Space selects the first option, Enter accepts (for SCP101 after
        // the menu's first fix, a new objective).
        (
            "rules/SCP102-fires.toml",
            "SCP102",
            "f Space Enter",
            &[
                "  priorities = []",
                "  tech_areas = [\"applied-ai\"]",
                "  governance = [\"POL-AG-1\"]",
                "  target_date = 2029-09-30",
            ],
            &[
                "  priorities = [\"SP-1\"]",
                "  tech_areas = [\"applied-ai\"]",
                "  governance = [\"POL-AG-1\"]",
                "  target_date = 2029-09-30",
                &reviewed_102,
            ],
        ),
        (
            "rules/SCP105-fires.toml",
            "SCP105",
            "f Space Enter",
            &["  tech_areas = []"],
            &["  tech_areas = [\"applied-ai\"]"],
        ),
        (
            "rules/SCP101-fires.toml",
            "SCP101",
            // Its priorities, then its technology areas: one flow.
            "f Enter Space Enter Space Enter",
            &[],
            &objective,
        ),
        // The text field opens on the missing key.
        (
            "structure/SCP002-missing-key.toml",
            "SCP002",
            "f \"NDS 2026\" Enter",
            &[],
            &["source = \"NDS 2026\""],
        ),
    ];
    for (fixture, code, keys, before, after) in cases {
        let fixture = format!("tests/fixtures/{fixture}");
        let (old, new) = fix_by_keys(&fixture, code, keys);
        assert_eq!((old, new), (lines(before), lines(after)), "{code}");
        snap_fix(&fixture, code, keys);
    }
}

/// The screen on the diagnostic `code` of `fixture` before its fix, and after `keys`, at both
/// sizes.
fn snap_fix(fixture: &str, code: &str, keys: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, _dir, _) = open(fixture, false);
        let at = codes(&app).iter().position(|c| *c == code).unwrap();
        press(&mut app, &"] ".repeat(at + 1));
        let name = format!("fix_{code}");
        insta::assert_snapshot!(
            format!("{name}_before_{w}x{h}"),
            render(&app, w, h).backend()
        );
        press(&mut app, keys);
        insta::assert_snapshot!(
            format!("{name}_after_{w}x{h}"),
            render(&app, w, h).backend()
        );
    }
}

#[test]
fn several_fixes_make_a_menu_and_one_of_them_runs() {
    let fixture = "tests/fixtures/rules/SCP101-fires.toml";
    let to_scp101 = |app: &App| {
        let at = codes(app).iter().position(|c| *c == "SCP101").unwrap();
        "] ".repeat(at + 1)
    };
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, _dir, _) = open(fixture, false);
        let keys = format!("{}f", to_scp101(&app));
        press(&mut app, &keys);
        insta::assert_snapshot!(format!("fix_menu_{w}x{h}"), render(&app, w, h).backend());
    }
    // The second: the section's objective made S&T, its priorities kept.
    let (mut app, _dir, path) = open(fixture, false);
    let keys = format!("{}f Down Enter Enter C-s", to_scp101(&app));
    press(&mut app, &keys);
    assert!(!codes(&app).contains(&"SCP101"), "{:?}", codes(&app));
    let before = std::fs::read_to_string(fixture).unwrap();
    let after = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        changed_lines(&before, &after),
        (lines(&["  kind = \"sc\""]), lines(&["  kind = \"st\""]))
    );
}

#[test]
fn the_detail_pane_wraps_the_whole_message_under_the_rules_title() {
    let fixture = "tests/fixtures/rules/SCP108-fires.toml";
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, _dir, _) = open(fixture, false);
        let at = codes(&app).iter().position(|c| *c == "SCP108").unwrap();
        press(&mut app, &"] ".repeat(at + 1));
        let terminal = render(&app, w, h);
        let text = screen_text(terminal.backend().buffer());
        assert!(text.contains("actor of the same"), "{text}");
        assert!(text.contains("help: did you mean \"POL-AG-1\"?"), "{text}");
        insta::assert_snapshot!(format!("detail_wrapped_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn help_on_a_diagnostic_explains_its_rule_then_shows_the_keys() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, _dir, _) = open(SCENARIO, false);
        press(&mut app, "4 ?");
        let terminal = render(&app, w, h);
        let text = screen_text(terminal.backend().buffer());
        assert!(text.contains("Why it matters"), "{text}");
        insta::assert_snapshot!(format!("explain_{w}x{h}"), terminal.backend());
        press(&mut app, "?");
        let text = screen_text(render(&app, w, h).backend().buffer());
        assert!(text.contains(" Keys ("), "{text}");
    }
}

#[test]
fn search_starts_empty_ctrl_u_clears_and_ctrl_c_says_how_to_quit() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "C-c");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("q quits (asking first"), "{text}");
    assert!(!app.should_quit);
    // The second search is "zzz", not "laserzzz"; Ctrl-U clears what was typed.
    press(&mut app, "/ \"laser\" Enter / \"abc\" C-u \"zzz\" Enter");
    let text = screen_text(render(&app, 120, 40).backend().buffer());
    assert!(text.contains("no match for \"zzz\""), "{text}");
}

#[test]
fn arrows_move_the_matrix_cursor_past_the_tenth_priority() {
    let extra: String = (6..=12)
        .map(|n| {
            format!(
                "[[priority]]\nid = \"SP-{n}\"\ntitle = \"Extra {n}\"\nsource = \"NDS 2026\"\n\n"
            )
        })
        .collect();
    let text = std::fs::read_to_string(SAMPLE).unwrap().replacen(
        "# Poland\n",
        &format!("# Poland\n{extra}"),
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("wide.toml");
    std::fs::write(&fixture, text).unwrap();
    let (mut app, _copy, _) = open(fixture.to_str().unwrap(), true);
    press(&mut app, &format!("3 {}", "Right ".repeat(13)));
    assert_eq!(session(&app).selection.cell, (0, 11), "stops at the last");
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(screen.contains("SP-12"), "{screen}");
    press(&mut app, "h Left");
    assert_eq!(session(&app).selection.cell, (0, 9));
}

#[test]
fn an_empty_matrix_cell_offers_to_link_or_add_an_objective() {
    // POL serves no SP-2.
    snap("matrix_empty_cell", SAMPLE, "3 Right Enter");
    let (mut app, _dir, path) = open(SAMPLE, false);
    press(&mut app, "3 Right Enter Enter C-s");
    let before = std::fs::read_to_string(SAMPLE).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    // The link made is stamped, as every link made in the editor is.
    let plan = scplan::check::load_text(&before).unwrap().plan;
    let stamp = scplan::plan::review::current_stamps(&plan)["SP-2"].clone();
    let date = "  target_date = 2029-09-30\n";
    assert_eq!(
        after,
        before
            .replacen(
                "  priorities = [\"SP-1\", \"SP-3\"]",
                "  priorities = [\"SP-1\", \"SP-3\", \"SP-2\"]",
                1
            )
            .replacen(
                date,
                &format!("{date}  reviewed_links = {{ SP-2 = \"{stamp}\" }}\n"),
                1
            )
    );
    // A new objective for it: its technology areas picked next.
    let (mut app, _dir, path) = open(SAMPLE, false);
    press(&mut app, "3 Right Enter Down Down Enter");
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(screen.contains("Technology areas"), "{screen}");
    press(&mut app, "Space Enter C-s");
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("kind = \"st\"\n  text = \"\"\n  priorities = [\"SP-2\"]"),
        "{after}"
    );
    assert!(
        after.contains(&format!("  reviewed_links = {{ SP-2 = \"{stamp}\" }}\n")),
        "{after}"
    );
}

#[test]
fn the_palette_runs_any_action_and_goes_to_any_item() {
    snap("palette_filtered", SAMPLE, ": \"ex\"");
    let (mut app, _dir, _) = open(SAMPLE, false);
    // The letters in order: `xprt` finds "export".
    press(&mut app, ": \"xprt\" Enter");
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(screen.contains("Export as"), "{screen}");
    // An item by its title.
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "C-p \"contested logistics\" Enter");
    let screen = screen_text(render(&app, 120, 40).backend().buffer());
    assert!(screen.contains("priority SP-3"), "{screen}");
    // Any item by what it is called: an agreement's title, an objective's text, a name.
    for (typed, found) in [
        ("Cooperative RDT", "agreement POL-AG-1"),
        ("Co-develop AI", "objective POL-ST-1"),
        ("Poland", "country POL"),
    ] {
        let (mut app, _dir, _) = open(SAMPLE, false);
        press(&mut app, &format!("C-p \"{typed}\" Enter"));
        let screen = screen_text(render(&app, 120, 40).backend().buffer());
        assert!(screen.contains(found), "{typed}: {screen}");
    }
}

#[test]
fn a_review_is_stamped_only_once_confirmed() {
    let (mut app, _dir, _) = open("tests/fixtures/rules/SCP301-fires.toml", false);
    press(&mut app, "] f");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("I have reviewed POL-AG-1 today"), "{text}");
    press(&mut app, "n");
    assert!(codes(&app).contains(&"SCP301"));
}

#[test]
fn a_diagnostic_without_a_fix_says_what_to_do() {
    let (mut app, _dir, _) = open("tests/fixtures/rules/SCP104-fires.toml", false);
    let at = codes(&app).iter().position(|c| *c == "SCP104").unwrap();
    press(&mut app, &format!("{}f", "] ".repeat(at + 1)));
    let text = screen_text(render(&app, 120, 40).backend().buffer());
    assert!(text.contains("SCP104 has no mechanical fix: add"), "{text}");
}

#[test]
fn waiving_a_warning_asks_for_a_reason() {
    let (mut app, _dir, path) = open("tests/fixtures/rules/SCP301-fires.toml", false);
    press(&mut app, "] w C-s");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("a waiver needs a reason"), "{text}");
    press(
        &mut app,
        "\"Reviewed at the annual board (fictional)\" C-s C-s",
    );
    assert!(!codes(&app).contains(&"SCP301"));
    assert!(
        session(&app)
            .live
            .diagnostics
            .iter()
            .any(|d| d.code == "SCP301" && d.waived)
    );
    let saved = std::fs::read_to_string(path).unwrap();
    assert!(saved.contains("[[waiver]]\nrule = \"SCP301\"\nitem = \"POL-AG-1\"\nreason = \"Reviewed at the annual board (fictional)\""), "{saved}");
}

#[test]
fn renaming_a_priority_updates_its_references_in_one_step() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    let before = session(&app).live.diagnostics.len();
    press(&mut app, "1 Down Enter Enter Bksp \"9\" Enter");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("Update them to SP-9?"), "{text}");
    press(&mut app, "y");
    let s = session(&app);
    assert_eq!(
        s.live.diagnostics.len(),
        before,
        "no dangling link after a rename with references"
    );
    assert!(
        s.doc
            .to_text()
            .contains("priorities = [\"SP-9\", \"SP-3\"]")
    );
    press(&mut app, "u");
    assert!(
        session(&app)
            .doc
            .to_text()
            .contains("priorities = [\"SP-1\", \"SP-3\"]")
    );
    assert!(!session(&app).modified());
}

#[test]
fn an_id_is_never_renamed_onto_another_items_id() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    let before = session(&app).doc.to_text();
    // SP-1 renamed SP-2: the references of the two would become one.
    press(&mut app, "1 Down Enter Enter Bksp \"2\" Enter");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("`SP-2` is already used"), "{text}");
    assert!(!text.contains("Update them to"), "{text}");
    assert_eq!(session(&app).doc.to_text(), before);
    // The field is still open with what was typed: another id goes in.
    press(&mut app, "Bksp \"9\" Enter y");
    assert!(session(&app).doc.to_text().contains("id = \"SP-9\""));
}

#[test]
fn a_line_added_to_a_list_adds_one_line_to_the_file() {
    let (mut app, _dir, path) = open(SAMPLE, false);
    let original = std::fs::read_to_string(&path).unwrap();
    press(
        &mut app,
        "Tab Enter j j j Enter Down Down End Enter \"Fourth strength\" C-s C-s",
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    let last = "  \"Growing state-owned and private defense industry\",\n";
    assert_eq!(
        saved,
        original.replacen(last, &format!("{last}  \"Fourth strength\",\n"), 1),
        "only the line typed is new"
    );
}

#[test]
fn deleting_a_referenced_priority_can_take_its_references_in_one_undo_step() {
    let (mut app, _dir, path) = open(SAMPLE, false);
    let original = std::fs::read(&path).unwrap();
    press(&mut app, "1 Down d");
    // The key bar says what each answer does: "n" deletes too, it is no "no".
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(
        screen.contains(" y delete with references  n delete only  Esc cancel"),
        "{screen}"
    );
    press(&mut app, "y");
    let text = session(&app).doc.to_text();
    assert!(!text.contains("id = \"SP-1\""));
    assert!(!text.contains("\"SP-1\""), "references removed too");
    assert!(!codes(&app).contains(&"SCP103"));
    let deleted = message_of(&app);
    // Undo and redo say what the change was, not how many edits made it.
    press(&mut app, "u");
    assert_eq!(message_of(&app), format!("undone: {deleted}"));
    press(&mut app, "C-r");
    assert_eq!(message_of(&app), format!("redone: {deleted}"));
    press(&mut app, "u C-s");
    assert_eq!(std::fs::read(&path).unwrap(), original);
}

#[test]
fn add_duplicate_move_and_undo_redo_any_depth() {
    let (mut app, _dir, path) = open(SAMPLE, false);
    let original = std::fs::read(&path).unwrap();
    // Duplicate POL-ST-1: the copy gets the next free id and follows the original.
    press(&mut app, "Tab Down D");
    let s = session(&app);
    let ids: Vec<String> = s.live.plan.countries[0]
        .objectives
        .iter()
        .map(|o| o.head.item.clone())
        .collect();
    assert_eq!(ids[0], "POL-ST-1");
    assert!(
        ids[1].starts_with("POL-ST-") && ids[1] != "POL-ST-1" && ids[1] != "POL-ST-2",
        "{ids:?}"
    );
    // Move it down, then the original down.
    press(&mut app, "J");
    let moved = message_of(&app);
    press(&mut app, "u");
    assert_eq!(message_of(&app), format!("undone: {moved}"));
    press(&mut app, "C-r");
    let ids2: Vec<String> = session(&app).live.plan.countries[0]
        .objectives
        .iter()
        .map(|o| o.head.item.clone())
        .collect();
    assert_eq!(ids2[2], ids[1]);
    // Add a barrier and an agreement.
    press(
        &mut app,
        "a Up Up Up Up Up Up Up Down Down Down Down Down Down Enter",
    );
    let n = session(&app).undo.len();
    assert_eq!(n, 3);
    press(&mut app, "u u u");
    assert_eq!(session(&app).doc.to_bytes(), original);
    press(&mut app, "C-r C-r C-r");
    assert_eq!(session(&app).undo.len(), 3);
    press(&mut app, "u u u C-s");
    assert_eq!(std::fs::read(&path).unwrap(), original);
}

#[test]
fn search_and_diagnostic_navigation_jump_to_items() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "/ \"laser\" Enter");
    let s = session(&app);
    let found = s.search.as_ref().unwrap();
    assert!(found.matches.len() >= 2, "{found:?}");
    let first = s.selected_node();
    press(&mut app, "n");
    assert_ne!(session(&app).selected_node(), first);
    press(&mut app, "N");
    assert_eq!(session(&app).selected_node(), first);
    let (mut app, _dir, _) = open(SCENARIO, false);
    press(&mut app, "]");
    let d0 = session(&app).current_diag;
    press(&mut app, "] [");
    assert_eq!(session(&app).current_diag, d0);
    press(&mut app, "4 Down Down Enter");
    let s = session(&app);
    assert_eq!(s.view, scplan::tui::app::View::Countries);
    assert_eq!(s.live.plan.countries[s.country].head.item, "POL");
}

#[test]
fn adding_a_country_from_the_iso_picker() {
    let (mut app, _dir, _) = open(SCENARIO, false);
    press(&mut app, "a \"norw\" Enter");
    let s = session(&app);
    let last = s.live.plan.countries.last().unwrap();
    assert_eq!(last.head.item, "NOR");
    assert_eq!(scplan::plan::model::text(&last.name), "Norway");
    assert!(codes(&app).iter().filter(|c| **c == "SCP101").count() == 2);
}

#[test]
fn copying_a_section_for_another_country() {
    let (mut app, _dir, path) = open(SAMPLE, false);
    let original = std::fs::read(&path).unwrap();
    press(&mut app, "D \"lith\" Enter");
    let s = session(&app);
    assert_eq!(s.country, 1, "the copy is selected");
    let copy = &s.live.plan.countries[1];
    assert_eq!(copy.head.item, "LTU");
    assert_eq!(scplan::plan::model::text(&copy.name), "Lithuania");
    assert_eq!(copy.objectives[0].head.item, "LTU-ST-1");
    assert!(!codes(&app).contains(&"SCP005"), "{:?}", codes(&app));
    assert_eq!(s.live.reloads(), 0, "taken section by section");
    press(&mut app, "u C-s");
    assert_eq!(std::fs::read(&path).unwrap(), original);
}

#[test]
fn quitting_with_unsaved_changes_asks() {
    let (mut app, _dir, path) = open(SCENARIO, false);
    let original = std::fs::read(&path).unwrap();
    press(&mut app, "Tab Down d y q");
    assert!(!app.should_quit);
    press(&mut app, "Esc");
    assert!(!app.should_quit);
    press(&mut app, "q n");
    assert!(app.should_quit);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        original,
        "quit without saving leaves the file"
    );
}

#[test]
fn export_from_the_editor_asks_before_drafts_and_replacing() {
    // A clean plan exports at once, beside the plan.
    let (mut app, dir, _) = open(SAMPLE, false);
    press(&mut app, "e Enter");
    let html = dir.path().join("eucom-sample.html");
    let first = std::fs::read_to_string(&html).unwrap();
    assert!(first.contains("<html") && !first.contains("DRAFT - NOT VALIDATED"));
    // An existing output is replaced only after a yes.
    press(&mut app, "e Enter");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("exists. Replace it?"), "{text}");
    press(&mut app, "n");
    press(&mut app, "e Down Enter y");
    assert!(dir.path().join("eucom-sample.md").exists());
    // A plan with errors: only as a draft, after a yes; the question names the errors,
    // and comes before the one about replacing a file.
    let (mut app, dir, _) = open(SCENARIO, false);
    let csv = dir.path().join("scenario.csv");
    std::fs::write(&csv, "old").unwrap();
    press(&mut app, "e Down Down Down Enter");
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "old");
    let text = screen_text(render(&app, 120, 40).backend().buffer());
    assert!(text.contains("Export a draft"), "{text}");
    assert!(text.contains("error(s) (SCP"), "{text}");
    press(&mut app, "y");
    let text = screen_text(render(&app, 120, 40).backend().buffer());
    assert!(text.contains("exists. Replace it?"), "{text}");
    press(&mut app, "y");
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("DRAFT - NOT VALIDATED")
    );
    // Unsaved changes: save first.
    press(&mut app, "Tab Down d y e Enter");
    assert!(!dir.path().join("scenario.html").exists());
}

#[test]
fn every_kind_of_item_can_be_added() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    let before = session(&app).live.plan.waivers.len();
    press(&mut app, "1 a Down Enter");
    assert_eq!(session(&app).live.plan.waivers.len(), before + 1);
    let priorities = session(&app).live.plan.priorities.len();
    press(&mut app, "Esc a Enter");
    let s = session(&app);
    assert_eq!(s.live.plan.priorities.len(), priorities + 1);
    assert_eq!(
        s.live.plan.priorities.last().unwrap().head.item,
        format!("SP-{}", priorities + 1)
    );
}

#[test]
fn dates_are_checked_as_they_are_typed() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    // target_date of POL-ST-1: emptied, then typed.
    press(
        &mut app,
        "Tab Down Enter Down Down Down Down Down Down Enter",
    );
    press(
        &mut app,
        "Bksp Bksp Bksp Bksp Bksp Bksp Bksp Bksp Bksp Bksp \"2029-1\"",
    );
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("`2029-1` is not a date"), "{text}");
    // Cleared, the field says nothing of the text that is gone.
    press(&mut app, "C-u");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(!text.contains("is not a date"), "{text}");
    press(&mut app, "\"2029-1\"");
    press(&mut app, "\"1-30\"");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(!text.contains("is not a date"), "{text}");
    press(&mut app, "Enter");
    assert!(
        session(&app)
            .doc
            .to_text()
            .contains("target_date = 2029-11-30")
    );
}

#[test]
fn next_diagnostic_goes_on_after_one_just_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SAMPLE)
        .unwrap()
        .replacen(
            "priorities = [\"SP-1\", \"SP-3\"]",
            "priorities = [\"SP-1\", \"SP-3\", \"SP-3\"]",
            1,
        )
        .replacen(
            "tech_areas = [\"scaled-directed-energy\"]",
            "tech_areas = []",
            1,
        )
        .replacen("tech_areas = [\"biomanufacturing\"]", "tech_areas = []", 1);
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, text).unwrap();
    let mut app = editor_at(&path, false);
    let open: Vec<(&str, String)> = session(&app)
        .live
        .diagnostics
        .iter()
        .filter(|d| !d.waived)
        .map(|d| (d.code, d.item.to_string()))
        .collect();
    let at = open.iter().position(|(c, _)| *c == "SCP107").unwrap();
    assert!(open.len() > at + 2, "{open:?}");
    press(&mut app, &"] ".repeat(at + 1));
    let visited = |app: &App| {
        let s = session(app);
        let d = &s.live.diagnostics[s.current_diag.unwrap()];
        (d.code, d.item.to_string())
    };
    assert_eq!(visited(&app).0, "SCP107");
    press(&mut app, "f");
    assert!(!codes(&app).contains(&"SCP107"), "{:?}", codes(&app));
    // The list is one shorter: `]` goes to what followed the fixed one, skipping nothing.
    press(&mut app, "]");
    assert_eq!(visited(&app), open[at + 1]);
    press(&mut app, "]");
    assert_eq!(visited(&app), open[at + 2]);
    press(&mut app, "[");
    assert_eq!(visited(&app), open[at + 1]);
}

#[test]
fn esc_goes_back_to_the_matrix_or_the_diagnostics_an_item_was_opened_from() {
    use scplan::tui::app::View;
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "m Enter Enter");
    assert_eq!(session(&app).view, View::Countries, "the objective is open");
    press(&mut app, "Esc");
    assert_eq!(session(&app).view, View::Matrix);
    // Views changed by hand forget where they came from.
    press(&mut app, "m Enter Enter 2 Esc");
    assert_eq!(session(&app).view, View::Countries);
    let (mut app, _dir, _) = open(SCENARIO, false);
    press(&mut app, "4 Enter");
    assert_ne!(session(&app).view, View::Diagnostics);
    press(&mut app, "Esc");
    assert_eq!(session(&app).view, View::Diagnostics);
}

#[test]
fn a_value_typed_again_as_it_was_changes_nothing() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    // The target date, with spaces after it: the same date.
    press(
        &mut app,
        "Tab Down Enter Down Down Down Down Down Down Enter End Space Space Enter",
    );
    let said = session(&app).message.clone().map(|(m, _)| m);
    assert!(session(&app).modal.is_none());
    assert!(!session(&app).modified(), "{said:?}");
    assert_eq!(said.as_deref(), Some("target_date unchanged"));
}

#[test]
fn an_empty_review_queue_says_which_links_are_not_reviewed() {
    let date = "  target_date = 2029-09-30\n";
    let text = std::fs::read_to_string(SAMPLE).unwrap().replacen(
        date,
        &format!("{date}  reviewed_links = {{ SP-1 = \"07976016\" }}\n"),
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("stamped.toml");
    std::fs::write(&fixture, text).unwrap();
    let (mut app, _copy, _) = open(fixture.to_str().unwrap(), true);
    press(&mut app, "5");
    let screen = screen_text(render(&app, 120, 40).backend().buffer());
    assert!(
        screen.contains("No stamped link waits for review"),
        "{screen}"
    );
    assert!(screen.contains("(link review is off)"), "{screen}");
}

#[test]
fn a_suspect_link_is_confirmed_from_its_diagnostic() {
    let (mut app, _dir, _) = open("tests/fixtures/rules/SCP109-fires.toml", false);
    assert!(codes(&app).contains(&"SCP109"));
    press(&mut app, "] f");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("as the priority now reads"), "{text}");
    press(&mut app, "y");
    assert!(!codes(&app).contains(&"SCP109"), "{:?}", codes(&app));
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("confirmed"), "{text}");
}

#[test]
fn a_text_field_undoes_and_redoes_its_own_changes() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    let before = session(&app).doc.to_text();
    // The id of SP-1: a character taken, one typed, both undone; cleared, and that undone.
    press(
        &mut app,
        "1 Down Enter Enter Bksp \"9\" C-z C-z C-u C-z Enter",
    );
    assert_eq!(session(&app).doc.to_text(), before, "the id is SP-1 again");
    // Redo after undo: the typed character comes back.
    press(&mut app, "Enter Bksp \"7\" C-z C-r Enter");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("Update them to SP-7?"), "{text}");
}

#[test]
fn a_file_that_mixes_line_ends_keeps_each_untouched_lines_end_when_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.toml");
    let sample = std::fs::read_to_string(SAMPLE).unwrap();
    let mixed = common::with_crlf_lines(&sample, 3..8);
    std::fs::write(&path, &mixed).unwrap();
    let mut app = harness::editor_at(&path, false);
    press(&mut app, "1 Down Enter Enter Bksp \"9\" Enter y C-s");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved.matches("\r\n").count(), 5, "{saved}");
    assert!(saved.contains("id = \"SP-9\""));
    // An edit inside a part that holds CRLF lines (the part is printed again, with LF): its
    // lines keep their ends, the line edited too; undone, the file is as it was.
    let mixed = common::with_crlf_lines(&sample, 110..130);
    let path = dir.path().join("mixed-section.toml");
    std::fs::write(&path, &mixed).unwrap();
    let mut app = harness::editor_at(&path, false);
    press(
        &mut app,
        ": \"POL-AG-1\" Enter Down Down Enter End \" Z\" Enter C-s",
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved.matches("\r\n").count(), 20, "{}", message_of(&app));
    assert_ne!(saved, mixed);
    press(&mut app, "u C-s");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), mixed);
}

#[test]
fn the_hint_of_a_plan_without_sections_is_never_cut_off_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.toml");
    std::fs::write(&path, "[plan]\nformat = 1\n").unwrap();
    let app = harness::editor_at(&path, false);
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("ISO code"), "{text}");
    assert!(text.contains("list."), "the hint's end: {text}");
}

#[test]
fn j_and_k_move_in_a_picker_where_typing_does_not_filter() {
    let linked = |keys: &str| {
        let (mut app, _dir, _) = open(SCENARIO, false);
        let before = session(&app).doc.to_text();
        press(&mut app, keys);
        let after = session(&app).doc.to_text();
        assert_ne!(after, before, "{keys}: {}", message_of(&app));
        after
    };
    assert_eq!(
        linked("Down Tab Down l j Space Enter"),
        linked("Down Tab Down l Down Space Enter")
    );
    assert_eq!(
        linked("Down Tab Down l j k j Space Enter"),
        linked("Down Tab Down l Down Space Enter")
    );
}

fn message_of(app: &App) -> String {
    session(app).message.clone().unwrap_or_default().0
}

#[test]
fn undoing_an_item_added_says_the_addition_was_undone() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "Tab a Enter Esc u");
    let undone = message_of(&app);
    assert!(undone.starts_with("undone: added"), "{undone}");
    press(&mut app, "C-r");
    let redone = message_of(&app);
    assert!(redone.starts_with("redone: added"), "{redone}");
}

#[test]
fn a_marking_typed_in_its_picker_that_no_option_is_goes_to_the_text_field() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "1 Down Enter Down Down Down Down Enter");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("Portion marking"), "{text}");
    press(&mut app, "\"CUI//REL TO USA, POL\" Enter");
    let text = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(text.contains("CUI//REL TO USA, POL"), "{text}");
    let open = matches!(session(&app).modal, Some(scplan::tui::app::Modal::Text(_)));
    assert!(open, "{text}");
}
