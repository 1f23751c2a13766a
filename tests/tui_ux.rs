//! The editor as a new planner meets it (issue 20): lists that go to either end, a which-key
//! hint after the prefix key, `]` past waived diagnostics, errors first, undo that says what it
//! undid, a diagnostics pane that scrolls, a matrix worked with h/j/k/l, a key bar per view, a
//! narrow screen, the mouse, colour-independent state, and the banner line kept honest.

use std::sync::Arc;

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::style::Modifier;
use ratatui::{Terminal, buffer::Buffer};

use scplan::check::Settings;
use scplan::config::Config;
use scplan::store::OsFs;
use scplan::tui::app::{App, Focus, View};
use scplan::tui::run::{Input, app, event_loop};

#[path = "support/tui_harness.rs"]
mod harness;
use harness::*;

const SAMPLE: &str = "plans/eucom-sample.toml";
const SCENARIO: &str = "tests/fixtures/tui/scenario.toml";

/// The row of the screen that starts with `start` (after trimming), as text.
fn line_with(buffer: &Buffer, needle: &str) -> Option<(u16, String)> {
    screen_text(buffer)
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .map(|(y, l)| (y as u16, l.to_string()))
}

/// The key-hint bar (the line above the bottom banner).
fn key_bar(app: &App, w: u16, h: u16) -> String {
    let terminal = render(app, w, h);
    screen_text(terminal.backend().buffer())
        .lines()
        .nth(usize::from(h) - 2)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn home_end_gg_and_g_go_to_either_end_of_every_list() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    let countries = session(&app).live.plan.countries.len();
    assert!(countries > 2);
    press(&mut app, "End");
    assert_eq!(session(&app).country, countries - 1);
    // `g` is a prefix: the key bar says what may follow, and `g` then goes to the top.
    press(&mut app, "g");
    assert!(
        key_bar(&app, 80, 24).contains("g first row"),
        "{}",
        key_bar(&app, 80, 24)
    );
    press(&mut app, "g");
    assert_eq!(session(&app).country, 0);
    assert!(!key_bar(&app, 80, 24).contains("first row"));
    // Any other key after the prefix does nothing but cancel it.
    press(&mut app, "g x Down");
    assert_eq!(session(&app).country, 1);
    press(&mut app, "Tab G");
    let rows = session(&app).section_rows().len();
    assert_eq!(session(&app).selection.row, rows - 1);
    press(&mut app, "Home");
    assert_eq!(session(&app).selection.row, 0);
    press(&mut app, "Enter G");
    assert!(session(&app).selection.field > 3, "the form's last field");
    press(&mut app, "g g");
    assert_eq!(session(&app).selection.field, 0);
    press(&mut app, "1 End");
    assert!(session(&app).selection.plan_row > 3);
    press(&mut app, "4 G");
    let diagnostics = session(&app).live.diagnostics.len();
    assert_eq!(
        session(&app).selection.diag_row,
        diagnostics.saturating_sub(1)
    );
    press(&mut app, "g g");
    assert_eq!(session(&app).selection.diag_row, 0);
}

#[test]
fn next_diagnostic_skips_waived_ones() {
    // SCP302 is waived there, SCP104 is not.
    let fixture = "tests/fixtures/diff/links.toml";
    let (mut app, _dir, _) = open(fixture, false);
    let all: Vec<_> = session(&app)
        .live
        .diagnostics
        .iter()
        .map(|d| (d.code, d.waived))
        .collect();
    assert!(
        all.contains(&("SCP302", true)) && all.contains(&("SCP104", false)),
        "{all:?}"
    );
    for keys in ["]", "]", "[", "["] {
        press(&mut app, keys);
        let s = session(&app);
        let at = s.current_diag.unwrap();
        assert_eq!(s.live.diagnostics[at].code, "SCP104", "after {keys}");
    }
}

/// SCP301's fixture (a warning on POL's agreement) with `n` S&T objectives after it that link
/// to no priority (an error each, SCP102).
fn crowded(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut text = std::fs::read_to_string("tests/fixtures/rules/SCP301-fires.toml").unwrap();
    for i in 0..n {
        text.push_str(&format!(
            "\n  [[country.objective]]\n  id = \"POL-ST-{}\"\n  kind = \"st\"\n  text = \"More (fictional)\"\n  priorities = []\n  tech_areas = [\"applied-ai\"]\n",
            i + 2
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("crowded.toml");
    std::fs::write(&fixture, text).unwrap();
    (dir, fixture)
}

#[test]
fn the_selection_pane_lists_errors_before_warnings() {
    // A warning (SCP301 on the agreement) earlier in the file than an error (SCP102).
    let (_dir, fixture) = crowded(1);
    let (app, _copy, _) = open(fixture.to_str().unwrap(), false);
    let file_order = codes(&app);
    let warning = file_order.iter().position(|c| *c == "SCP301").unwrap();
    let error = file_order.iter().position(|c| *c == "SCP102").unwrap();
    assert!(warning < error, "{file_order:?}");
    let screen = screen_text(render(&app, 120, 40).backend().buffer());
    let pane = &screen[screen.find("diagnostics for the selection").unwrap()..];
    let (e, w) = (pane.find("SCP102").unwrap(), pane.find("SCP301").unwrap());
    assert!(e < w, "{pane}");
}

#[test]
fn undo_and_redo_say_what_they_did_and_added_items_read_an() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    // The first objective's text.
    press(&mut app, "Tab Down Enter Down Down Enter \" more\" C-s");
    let (message, _) = session(&app).message.clone().unwrap();
    assert!(message.starts_with("text"), "{message}");
    press(&mut app, "Esc Esc u");
    let (message, _) = session(&app).message.clone().unwrap();
    assert_eq!(message, "undone: set text of objective POL-ST-1");
    press(&mut app, "C-r");
    let (message, _) = session(&app).message.clone().unwrap();
    assert_eq!(message, "redone: set text of objective POL-ST-1");
    // Adding an objective, an agreement, an actor: "an".
    for (down, noun) in [(0, "an objective"), (2, "an agreement"), (3, "an actor")] {
        let (mut app, _dir, _) = open(SAMPLE, false);
        press(&mut app, &format!("Tab a {}Enter", "Down ".repeat(down)));
        let (message, _) = session(&app).message.clone().unwrap();
        assert_eq!(message, format!("added {noun}"));
        let screen = screen_text(render(&app, 80, 24).backend().buffer());
        assert!(!screen.contains(" a objective") && !screen.contains(" a agreement"));
    }
}

/// A key press as the terminal sends it.
fn key(c: char) -> Event {
    Event::Key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char(c),
        KeyModifiers::NONE,
    ))
}

#[test]
fn the_diagnostics_pane_scrolls_past_half_the_screen() {
    // Every diagnostic of a section with many: more than half the screen holds.
    let (_dir, fixture) = crowded(24);
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, _copy, _) = open(fixture.to_str().unwrap(), false);
        let pane = |terminal: &Terminal<TestBackend>| {
            let screen = screen_text(terminal.backend().buffer());
            let from = screen.find("diagnostics for the selection").unwrap();
            screen[from..].to_string()
        };
        let terminal = run_loop(&mut app, Vec::new(), w, h);
        let first = pane(&terminal);
        assert!(first.contains("more line(s) (}: scroll"), "{first}");
        insta::assert_snapshot!(format!("detail_scroll_top_{w}x{h}"), terminal.backend());
        let terminal = run_loop(&mut app, vec![key('}'); 3], w, h);
        let scrolled = pane(&terminal);
        assert!(
            scrolled.contains("↑ 3 more line(s) above ({: scroll up)"),
            "{scrolled}"
        );
        insta::assert_snapshot!(format!("detail_scrolled_{w}x{h}"), terminal.backend());
        // As far as there is more to read (the last line in sight), and back.
        let terminal = run_loop(&mut app, vec![key('}'); 200], w, h);
        let end = pane(&terminal);
        assert!(!end.contains("more line(s) (}"), "{end}");
        assert!(end.contains("POL-ST-25"), "{end}");
        let terminal = run_loop(&mut app, vec![key('{'); 200], w, h);
        assert_eq!(pane(&terminal), first);
    }
}

#[test]
fn the_matrix_moves_with_h_j_k_l_and_home_end_and_keeps_its_legend() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    let priorities = session(&app).live.plan.priorities.len();
    press(&mut app, "3 l");
    assert_eq!(session(&app).selection.cell, (0, 1));
    press(&mut app, "j j k");
    assert_eq!(session(&app).selection.cell, (1, 1));
    press(&mut app, "h Down");
    assert_eq!(session(&app).selection.cell, (2, 0));
    press(&mut app, "End");
    assert_eq!(session(&app).selection.cell, (2, priorities - 1));
    press(&mut app, "Home Up");
    assert_eq!(session(&app).selection.cell, (1, 0));
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(
        screen.contains("· none  ! uncovered  Enter: open"),
        "{screen}"
    );
    assert!(key_bar(&app, 80, 24).contains("←→↑↓ move"));
}

#[test]
fn the_key_bar_depends_on_the_view_and_fits_80_columns() {
    let cases: [(&str, &[&str]); 6] = [
        ("4", &["f fix", "w waive", "Enter go to"]),
        ("Tab", &["a add", "l link"]),
        ("Tab Down Enter", &["Enter rename (refs follow)"]),
        ("Tab Down Enter Down Down", &["Enter edit"]),
        ("3", &["←→↑↓ move", "Enter open"]),
        ("", &["a add country"]),
    ];
    for (keys, wanted) in cases {
        let (mut app, _dir, _) = open(SAMPLE, false);
        press(&mut app, keys);
        let bar = key_bar(&app, 80, 24);
        for w in wanted {
            assert!(bar.contains(w), "{keys:?}: {bar}");
        }
        // Whole hints only: the bar ends with a label and room to spare, never a cut word.
        assert!(bar.ends_with(' '), "{keys:?}: {bar:?}");
        assert!(bar.contains("q quit"), "{keys:?}: {bar}");
    }
}

#[test]
fn at_40x12_the_form_shows_values() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "Tab Down Enter");
    let terminal = render(&app, 40, 12);
    let screen = screen_text(terminal.backend().buffer());
    assert!(screen.contains("POL-ST-1"), "{screen}");
    assert!(screen.contains(" st"), "the kind's value: {screen}");
    insta::assert_snapshot!("form_40x12", terminal.backend());
}

/// Runs the editor's own loop on a TestBackend over `inputs` (the mouse is hit-tested against
/// the panes of the frame drawn before each event).
fn run_loop(app: &mut App, inputs: Vec<Event>, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut inputs = inputs.into_iter();
    event_loop(&mut terminal, app, |_| {
        Ok(inputs.next().map_or(Input::End, Input::Event))
    })
    .unwrap();
    terminal
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(column: u16, row: u16) -> Event {
    mouse(MouseEventKind::Down(MouseButton::Left), column, row)
}

#[test]
fn a_click_selects_a_row_a_pane_or_a_cell_and_a_double_click_opens() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    // The countries list starts under the header and the pane's title: row 3 is the first.
    run_loop(&mut app, vec![click(3, 5)], 80, 24);
    assert_eq!(session(&app).country, 2);
    assert_eq!(session(&app).selection.focus, Focus::List);
    // A row of the section on the right focuses that pane.
    run_loop(&mut app, vec![click(40, 4)], 80, 24);
    assert_eq!(session(&app).selection.focus, Focus::Section);
    assert_eq!(session(&app).selection.row, 1);
    // A double-click opens it, as Enter does.
    run_loop(&mut app, vec![click(40, 4), click(40, 4)], 80, 24);
    assert_eq!(session(&app).selection.focus, Focus::Form);
    // The wheel moves through the list under the pointer.
    run_loop(
        &mut app,
        vec![
            mouse(MouseEventKind::ScrollDown, 3, 4),
            mouse(MouseEventKind::ScrollDown, 3, 4),
        ],
        80,
        24,
    );
    assert_eq!(session(&app).selection.focus, Focus::List);
    assert_eq!(
        session(&app).country,
        4.min(session(&app).live.plan.countries.len() - 1)
    );
    // A matrix cell: the header is on row 3, the first country on row 4; the first priority
    // column starts after the country codes.
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "3");
    let terminal = run_loop(&mut app, vec![click(14, 5)], 80, 24);
    assert_eq!(session(&app).view, View::Matrix);
    let cell = session(&app).selection.cell;
    assert_eq!(cell.0, 1, "{}", screen_text(terminal.backend().buffer()));
    assert!(cell.1 <= 1, "{cell:?}");
}

#[test]
fn mouse_false_in_the_config_leaves_the_mouse_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::copy(SAMPLE, &path).unwrap();
    let config = Config::parse("mouse = false\n", &dir.path().join("config.toml")).unwrap();
    let mut app = app(
        Arc::new(OsFs),
        Some(&path),
        Vec::new(),
        &env(false),
        &config,
        Settings::default(),
    )
    .unwrap();
    assert!(!app.mouse);
    run_loop(&mut app, vec![click(3, 5)], 80, 24);
    assert_eq!(session(&app).country, 0);
}

/// The cells of row `y` whose symbol is not blank.
fn styled_cells(buffer: &Buffer, y: u16) -> Vec<Modifier> {
    (0..buffer.area.width)
        .map(|x| &buffer[(x, y)])
        .filter(|c| !c.symbol().trim().is_empty())
        .map(|c| c.modifier)
        .collect()
}

#[test]
fn without_colour_selection_focus_and_severity_are_still_seen() {
    let screens = [
        ("plan", "1"),
        ("section", "Tab Down"),
        ("form", "Tab Down Enter"),
        ("diagnostics", "4"),
        ("matrix", "3"),
        ("help", "?"),
        ("palette", ": \"ex\""),
    ];
    for (name, keys) in screens {
        let (mut app, _dir, _) = open(SCENARIO, true);
        press(&mut app, keys);
        for (w, h) in [(80, 24), (120, 40)] {
            let terminal = render(&app, w, h);
            insta::assert_snapshot!(format!("nocolor_{name}_{w}x{h}"), terminal.backend());
        }
    }
    // The selected row of the focused list is reversed, its pane's title bold after a marker;
    // the other pane's title is plain.
    let (mut app, _dir, _) = open(SCENARIO, true);
    press(&mut app, "Tab Down");
    let terminal = render(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let (y, row) = line_with(buffer, "›  [sc] POL-SC-1").unwrap();
    assert!(
        styled_cells(buffer, y)
            .iter()
            .skip(1)
            .any(|m| m.contains(Modifier::REVERSED)),
        "{row}"
    );
    let (y, title) = line_with(buffer, "▸ POL").unwrap();
    let x = title.find("▸").map(|b| title[..b].chars().count()).unwrap() as u16;
    assert!(
        buffer[(x + 2, y)].modifier.contains(Modifier::BOLD),
        "{title}"
    );
    let countries = title
        .find("Countries")
        .map(|b| title[..b].chars().count())
        .unwrap() as u16;
    assert!(
        !buffer[(countries, y)].modifier.contains(Modifier::BOLD),
        "{title}"
    );
    // Severity: a glyph and the word, the error bold.
    let (mut app, _dir, _) = open(SCENARIO, true);
    press(&mut app, "4 Down");
    let terminal = render(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let (y, line) = line_with(buffer, " error   SCP").unwrap();
    assert!(line.contains('✗'), "{line}");
    let at = line
        .find("error")
        .map(|b| line[..b].chars().count())
        .unwrap() as u16;
    assert!(buffer[(at, y)].modifier.contains(Modifier::BOLD), "{line}");
    // The matrix cursor is reversed too.
    let (mut app, _dir, _) = open(SCENARIO, true);
    press(&mut app, "3");
    let terminal = render(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    let (y, _) = line_with(buffer, "POL").unwrap();
    assert!(
        styled_cells(buffer, y)
            .iter()
            .any(|m| m.contains(Modifier::REVERSED))
    );
}

#[test]
fn the_banner_line_shows_the_roll_up_of_a_portion_just_edited() {
    let (mut app, _dir, _) = open(SCENARIO, false);
    let banner = |app: &App| {
        let screen = screen_text(render(app, 80, 24).backend().buffer());
        screen.lines().next().unwrap_or_default().trim().to_string()
    };
    assert_eq!(banner(&app), "UNCLASSIFIED");
    // POL's first objective marked CUI.
    press(&mut app, "Tab Down Enter");
    let field = session(&app)
        .selected_node()
        .unwrap()
        .kind()
        .fields()
        .iter()
        .position(|f| f.name == "marking")
        .unwrap();
    press(&mut app, &format!("{}Enter", "Down ".repeat(field)));
    press(&mut app, "C-u \"CUI\" Enter");
    assert_eq!(
        banner(&app),
        "CUI (the banner says UNCLASSIFIED: fix the banner)"
    );
}

/// The keystrokes the scripted session below needs; it must not grow.
const SESSION_KEYSTROKES: usize = 20;

/// How many key presses `keys` stands for (a quoted text is one per character).
fn keystrokes(keys: &str) -> usize {
    tokens(keys)
        .iter()
        .map(|t| match t.strip_prefix('"') {
            Some(text) => text.trim_end_matches('"').chars().count(),
            None => 1,
        })
        .sum()
}

#[test]
fn a_scripted_session_takes_the_traceability_plan_to_a_clean_check() {
    let (mut app, _dir, path) = open(SCENARIO, false);
    let check = |path: &std::path::Path| {
        let mut cmd = assert_cmd::Command::cargo_bin("scplan").unwrap();
        cmd.env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
            .arg("check")
            .arg(path);
        cmd.output().unwrap().status.code()
    };
    assert_eq!(check(&path), Some(1), "it starts with errors");
    let steps = [
        // SCP101: the quick fix's menu, its second fix (the section's SC objective made S&T),
        // its priorities then its technology areas.
        "4 Down Down f Down Enter Space Enter Space Enter",
        // SCP102: the last diagnostic now; its priorities picker.
        "4 G f Space Enter",
        // The priority still uncovered, from the matrix's empty cell: link that objective.
        "3 l Enter Enter",
        "C-s",
    ];
    let mut count = 0;
    for keys in steps {
        press(&mut app, keys);
        count += keystrokes(keys);
    }
    assert!(!session(&app).modified(), "saved");
    assert_eq!(
        check(&path),
        Some(0),
        "{}",
        std::fs::read_to_string(&path).unwrap()
    );
    // Only a warning is left (the objective's indicators are the planner's to write).
    assert_eq!(codes(&app), ["SCP401"]);
    assert!(
        count <= SESSION_KEYSTROKES,
        "the session took {count} keystrokes, more than {SESSION_KEYSTROKES}"
    );
    assert_eq!(count, SESSION_KEYSTROKES, "fewer now: lower the constant");
}

#[test]
fn marking_fields_offer_the_valid_markings_and_refuse_above_the_system_high() {
    let (mut app, _dir, path) = open(SCENARIO, false);
    // POL's first objective: its portion marking.
    press(&mut app, "Tab Down Enter");
    let field = session(&app)
        .selected_node()
        .unwrap()
        .kind()
        .fields()
        .iter()
        .position(|f| f.name == "marking")
        .unwrap();
    press(&mut app, &format!("{}Enter", "Down ".repeat(field)));
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    for level in [
        "U ",
        "CUI",
        "C ",
        "S (above the system high)",
        "TS (above the system high)",
    ] {
        assert!(screen.contains(level), "{level}: {screen}");
    }
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(
            format!("marking_picker_{w}x{h}"),
            render(&app, w, h).backend()
        );
    }
    // Picked above the system high (CUI by default): refused, with the reason, nothing changed.
    press(&mut app, "\"s\" Enter");
    let (message, problem) = session(&app).message.clone().unwrap();
    assert!(
        problem && message.contains("above this workstation's system high (CUI)"),
        "{message}"
    );
    assert!(!session(&app).modified());
    // Typed: refused in the field, which stays open.
    press(&mut app, "Enter \"another\" Enter C-u \"S//NF\" Enter");
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(screen.contains("refused: S//NF is above"), "{screen}");
    assert!(!session(&app).modified());
    // CUI is taken, and the banner's picker offers the roll-up first.
    press(&mut app, "Esc y Enter \"cui\" Enter");
    assert!(session(&app).modified());
    press(&mut app, "1 Tab g g");
    let banner = session(&app)
        .selected_node()
        .unwrap()
        .kind()
        .fields()
        .iter()
        .position(|f| f.name == "marking")
        .unwrap();
    press(&mut app, &format!("{}Enter", "Down ".repeat(banner)));
    let screen = screen_text(render(&app, 80, 24).backend().buffer());
    assert!(
        screen.contains("CUI (the roll-up of the portions)"),
        "{screen}"
    );
    press(&mut app, "Enter C-s");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("marking = \"CUI\"\n\n[[priority]]"),
        "{saved}"
    );
    assert_eq!(
        screen_text(render(&app, 80, 24).backend().buffer())
            .lines()
            .next()
            .unwrap()
            .trim(),
        "CUI"
    );
}

#[test]
fn the_help_lists_rename_the_text_keys_and_the_prefix() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    press(&mut app, "?");
    let mut text = String::new();
    // The overlay scrolls: read it all.
    for _ in 0..12 {
        text.push_str(&screen_text(render(&app, 120, 40).backend().buffer()));
        press(&mut app, &"Down ".repeat(10));
    }
    for wanted in [
        "on an `id` it renames",
        "delete the word before / after the cursor",
        "After the prefix key (g)",
        "after g: the first row of the list",
        "scroll the diagnostics pane down",
    ] {
        assert!(text.contains(wanted), "{wanted}");
    }
}

#[test]
fn snapshots_of_the_matrix_cursor_on_an_empty_cell_and_the_which_key_hint() {
    for (w, h) in [(80, 24), (120, 40)] {
        // POL serves no SP-2.
        let (mut app, _dir, _) = open(SAMPLE, false);
        press(&mut app, "3 l");
        insta::assert_snapshot!(
            format!("matrix_empty_cursor_{w}x{h}"),
            render(&app, w, h).backend()
        );
        press(&mut app, "Enter");
        let screen = screen_text(render(&app, w, h).backend().buffer());
        assert!(
            screen.contains("Add a new S&T objective for SP-2"),
            "{screen}"
        );
        let (mut app, _dir, _) = open(SAMPLE, false);
        press(&mut app, "Tab g");
        insta::assert_snapshot!(format!("which_key_{w}x{h}"), render(&app, w, h).backend());
    }
}

fn key_event(code: KeyCode) -> Event {
    Event::Key(ratatui::crossterm::event::KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))
}

#[test]
fn the_help_scrolls_to_its_last_row_and_no_further_and_no_key_runs_into_its_words() {
    let (mut app, _dir, _) = open(SAMPLE, false);
    let mut inputs = vec![key_event(KeyCode::Char('?'))];
    inputs.extend(std::iter::repeat_n(key_event(KeyCode::PageDown), 30));
    let bottom = screen_text(run_loop(&mut app, inputs, 80, 24).backend().buffer());
    // The last mode's last row is on screen, not an empty box.
    assert!(bottom.contains("cut the selection / paste"), "{bottom}");
    // One step up moves the text at once.
    let up = screen_text(
        run_loop(&mut app, vec![key_event(KeyCode::Up)], 80, 24)
            .backend()
            .buffer(),
    );
    assert_ne!(up, bottom, "Up did not scroll back at once");
    // Every row of keys leaves a space before its words.
    let top = screen_text(
        run_loop(
            &mut app,
            vec![key_event(KeyCode::Char('?')), key_event(KeyCode::Char('?'))],
            80,
            24,
        )
        .backend()
        .buffer(),
    );
    assert!(!top.contains("End ^Estart"), "{top}");
    assert!(bottom.contains("Home ^A  End ^E  "), "{bottom}");
}
