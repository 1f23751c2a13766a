//! Editor latency (`harness = false`: criterion gives no percentiles): every operation of
//! goal 1 of issue 19 on a synthetic plan, driven by the keys a user presses
//! (`scplan::tui::update::handle_key`), each key timed as the editor's loop takes it: update
//! -> effects -> periodic work (panic snapshot, recovery file when due, the file on disk
//! compared) -> render into a 120x40 `TestBackend`. Each operation is repeated, done then
//! undone so that the plan keeps its size, and prints p50 and p99 of the slowest key of each
//! repetition, and of the undo. Then the open (goal 2): this binary run as
//! `tui_latency --open FILE` opens the editor headless, draws its first frame and waits for
//! the plan to be usable, beside `--reference FILE` (the serde reference reading the same
//! file) and `scplan check FILE`, each a process under GNU time for its peak memory.
//! `SCPLAN_BENCH_SIZE=small|medium|large` (default large) and `SCPLAN_BENCH_EDITS=N` (default
//! 1000: field edits; a tenth as many of every other operation, within a time budget each)
//! choose the plan and the repetitions; `SCPLAN_BENCH_ONLY=TEXT` measures only the operations
//! whose name holds TEXT (beside the field edit, the reference; `open` for the open).
#![forbid(unsafe_code)]

#[path = "tui_latency/open.rs"]
mod open;
#[path = "tui_latency/plans.rs"]
mod plans;
mod reference;
mod report;
mod runner;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use scplan::check::Settings;
use scplan::config::Config;
use scplan::env::Env;
use scplan::plan::model::{Collection, Node};
use scplan::store::OsFs;
use scplan::tui::app::{App, Focus, Screen, Session, View};
use scplan::tui::files::tick;
use scplan::tui::run::{app, perform};
use scplan::tui::update::handle_key;
use scplan::tui::view;

/// The p99 goal of every operation, in milliseconds.
const GOAL_MS: f64 = 16.0;

/// The most time one operation's repetitions take, once it has `MIN_REPS` of them.
const BUDGET: Duration = Duration::from_secs(20);
const MIN_REPS: usize = 5;

/// The quick fixes the editor offers (`scplan::edit::fixes`), each with the keys a user
/// presses once its diagnostic is focused (as tests/tui.rs drives them).
const FIXES: [(&str, &str); 12] = [
    ("SCP002", "f \"NDS 2026\" Enter"),
    ("SCP004", "f"),
    ("SCP006", "f"),
    ("SCP101", "f Enter Space Enter Space Enter"),
    ("SCP102", "f Space Enter"),
    ("SCP103", "f"),
    ("SCP105", "f Space Enter"),
    ("SCP107", "f"),
    ("SCP108", "f"),
    ("SCP202", "f"),
    ("SCP211", "f"),
    ("SCP301", "f y"),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--reference") {
        return open::reference_child(args.get(i + 1).map(Path::new));
    }
    if let Some(i) = args.iter().position(|a| a == "--open") {
        return open::editor_child(args.get(i + 1).map(Path::new));
    }
    let name = std::env::var("SCPLAN_BENCH_SIZE").unwrap_or_else(|_| "large".to_string());
    let edits: usize = std::env::var("SCPLAN_BENCH_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let Some(size) = scplan::synth::size(&name) else {
        eprintln!("SCPLAN_BENCH_SIZE is small, medium or large");
        return ExitCode::FAILURE;
    };
    let dir = std::env::temp_dir().join(format!("scplan-tui-bench-{}", std::process::id()));
    let result = std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| latency(&dir, &name, size, edits))
        .and_then(|()| match wanted("open") {
            true => open::compare(&dir, &name),
            false => Ok(()),
        });
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tui_latency: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Whether the operation `name` is measured: `SCPLAN_BENCH_ONLY` is unset or `name` holds it.
fn wanted(name: &str) -> bool {
    std::env::var("SCPLAN_BENCH_ONLY").map_or(true, |only| name.contains(&only))
}

/// The environment of the editor: a fixed day, no config file.
pub fn env() -> Env {
    Env {
        no_color: false,
        config_path: None,
        config_origin: None,
        today: jiff::civil::date(2026, 11, 28),
        source_date_epoch: None,
    }
}

/// The editor opened on `path`, as `scplan edit PATH` opens it: its first screen.
pub fn opened(path: &Path) -> Option<App> {
    app(
        Arc::new(OsFs),
        Some(path),
        Vec::new(),
        &env(),
        &Config::default(),
        Settings::default(),
    )
    .ok()
}

/// Runs the editor's loop without keys (periodic work, a frame) until the plan is there to
/// edit, for at most `patience`: whether it is.
pub fn usable(app: &mut App, terminal: &mut Terminal<TestBackend>, patience: Duration) -> bool {
    let start = Instant::now();
    // As the editor's loop: the screen drawn (by the caller first), a wait for a key (its
    // `LOADING_POLL`), the periodic work, the screen drawn again; usable once it is the plan.
    while !matches!(app.screen, Screen::Edit(_)) {
        if start.elapsed() > patience {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
        scplan::tui::loading::poll(app);
        tick(app, Instant::now());
        let _ = terminal.draw(|f| view::draw(f, app));
    }
    true
}

/// Runs the editor's periodic work until the plan's document, parsed beside the rest as a
/// large plan opens, is taken (every edit key is then answered at once).
pub fn editable(app: &mut App) {
    while matches!(&app.screen, Screen::Edit(s) if !s.document_ready()) {
        tick(app, Instant::now());
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The editor on `path`, the plan usable and its document taken, so that no edit timed
/// waits for the open.
fn editor(path: &Path) -> Option<App> {
    let mut app = opened(path)?;
    if !usable(&mut app, &mut terminal(), Duration::from_secs(120)) {
        return None;
    }
    editable(&mut app);
    Some(app)
}

/// The screen the benchmark renders into.
pub fn terminal() -> Terminal<TestBackend> {
    match Terminal::new(TestBackend::new(120, 40)) {
        Ok(t) => t,
        Err(err) => panic!("a TestBackend terminal: {err}"),
    }
}

fn session(app: &mut App) -> &mut Session {
    match &mut app.screen {
        Screen::Edit(s) => s,
        _ => panic!("the plan is not open for editing"),
    }
}

/// The key events of `keys`: `Enter`, `Down`, `Space`, `C-x` (Ctrl and a character), single
/// characters, or `"text"` typed a character at a time.
fn events(keys: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = keys.trim();
    while !rest.is_empty() {
        let typed = rest.starts_with('"');
        let (token, after) = match rest.strip_prefix('"') {
            Some(r) => r.split_once('"').unwrap_or((r, "")),
            None => rest.split_once(' ').unwrap_or((rest, "")),
        };
        let named = match token {
            "Enter" => Some(KeyCode::Enter),
            "Down" => Some(KeyCode::Down),
            "Space" => Some(KeyCode::Char(' ')),
            _ => None,
        };
        let char_key = |c: char, mods| KeyEvent::new(KeyCode::Char(c), mods);
        match (typed, named, token.strip_prefix("C-")) {
            (false, Some(code), _) => out.push(KeyEvent::new(code, KeyModifiers::NONE)),
            (false, None, Some(c)) => {
                out.extend(c.chars().map(|c| char_key(c, KeyModifiers::CONTROL)))
            }
            _ => out.extend(token.chars().map(|c| {
                let shift = c.is_uppercase();
                char_key(
                    c,
                    if shift {
                        KeyModifiers::SHIFT
                    } else {
                        KeyModifiers::NONE
                    },
                )
            })),
        }
        rest = after.trim_start();
    }
    out
}

/// Presses `keys` as the editor's loop takes them, nothing timed.
fn press(app: &mut App, keys: &str) {
    for event in events(keys) {
        for effect in handle_key(app, event) {
            perform(app, effect);
        }
        tick(app, Instant::now());
    }
}

/// Presses `keys`, each timed from the key to its frame: the slowest.
fn slowest_key(app: &mut App, terminal: &mut Terminal<TestBackend>, keys: &str) -> Duration {
    let mut slowest = Duration::ZERO;
    for event in events(keys) {
        let t = Instant::now();
        for effect in handle_key(app, event) {
            perform(app, effect);
        }
        tick(app, Instant::now());
        let _ = terminal.draw(|f| view::draw(f, app));
        slowest = slowest.max(t.elapsed());
    }
    slowest
}

/// One operation: what it is, the keys that do it, and what puts the editor where they apply.
struct Op<'a> {
    name: String,
    keys: &'a str,
    setup: &'a dyn Fn(&mut App),
}

/// The goal-1 table, whose first row (the field edit) is the reference of the others.
struct Rows {
    table: report::Table,
    field_edit: Option<Duration>,
}

impl Rows {
    /// Measures `op` ([`measure`]) and adds its row, when it is wanted or is the reference.
    fn measure(
        &mut self,
        app: &mut App,
        terminal: &mut Terminal<TestBackend>,
        op: &Op,
        reps: usize,
    ) {
        if self.field_edit.is_none() || wanted(&op.name) {
            let measured = measure(app, terminal, op, reps);
            self.add(measured);
        }
    }

    /// Adds a row, its p99 as a ratio to the field edit's put after the p99 column.
    fn add(&mut self, (mut cells, p99): (Vec<String>, Option<Duration>)) {
        let reference = *self.field_edit.get_or_insert(p99.unwrap_or(Duration::MAX));
        let ratio = p99.map_or("-".to_string(), |p| {
            format!("{:.1}x", p.as_secs_f64() / reference.as_secs_f64())
        });
        cells.insert(5, ratio);
        self.table.row(cells);
    }
}

/// Times `op` `reps` times (fewer once over [`BUDGET`]), each done then undone with `u` as
/// many times as it made undo steps: a row of the goal-1 table and its p99 (none when the
/// editor does not offer the operation).
fn measure(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    op: &Op,
    reps: usize,
) -> (Vec<String>, Option<Duration>) {
    let (mut done, mut undone) = (Vec::new(), Vec::new());
    let started = Instant::now();
    while done.len() < reps && (done.len() < MIN_REPS || started.elapsed() < BUDGET) {
        (op.setup)(app);
        let depth = session(app).undo.len();
        done.push(slowest_key(app, terminal, op.keys));
        let steps = session(app).undo.len().saturating_sub(depth);
        if steps == 0 {
            // The editor does not offer it: what it says instead, in the row.
            let said = session(app).message.clone().map(|(m, _)| m);
            let said = said.unwrap_or_else(|| "nothing".to_string());
            let mut row = vec![op.name.clone(), format!("`{}`", op.keys), "0".to_string()];
            row.extend(["-", "-", "-", "-"].map(String::from));
            row.push(format!("not offered: the editor says \"{said}\""));
            return (row, None);
        }
        undone.push(slowest_key(
            app,
            terminal,
            &["u"; 8][..steps.min(8)].join(" "),
        ));
        assert_eq!(session(app).undo.len(), depth, "{}: undone", op.name);
    }
    let p99 = report::percentile(&mut done, 0.99);
    let met = if p99.as_secs_f64() * 1e3 <= GOAL_MS {
        "met"
    } else {
        "missed"
    };
    let cells = vec![
        op.name.clone(),
        format!("`{}`", op.keys),
        done.len().to_string(),
        report::ms(report::percentile(&mut done, 0.5)),
        report::ms(p99),
        report::ms(report::percentile(&mut undone, 0.5)),
        report::ms(report::percentile(&mut undone, 0.99)),
        met.to_string(),
    ];
    (cells, Some(p99))
}

/// The goal-1 table: every operation on the plan of `size`.
fn latency(dir: &Path, name: &str, size: scplan::synth::Size, edits: usize) -> Result<(), String> {
    let text = scplan::synth::generate(size.countries, size.objectives, 0.0, 7);
    let reps = (edits / 10).max(MIN_REPS);
    let table = report::Table::new(
        &format!(
            "Editor: key to frame, every operation ({name} plan, {:.1} MB)",
            text.len() as f64 / 1e6
        ),
        &format!(
            "SCPLAN_BENCH_SIZE={name} SCPLAN_BENCH_EDITS={edits} cargo bench --bench tui_latency"
        ),
        &[
            "operation",
            "keys",
            "reps",
            "p50 ms",
            "p99 ms",
            "p99 / field edit's",
            "undo p50 ms",
            "undo p99 ms",
            "p99 ≤ 16 ms",
        ],
    );
    let mut rows = Rows {
        table,
        field_edit: None,
    };
    let linked = clean_plan_ops(dir, &text, &mut rows, edits, reps)?;
    for (code, keys) in FIXES {
        let waiver = "the first waiver (`w` on SCP301)";
        let measured = wanted(&format!("quick fix {code}")) || (code == "SCP301" && wanted(waiver));
        if !measured {
            continue;
        }
        let path = write(
            dir,
            &format!("{code}.toml"),
            &plans::with_defect(&text, code),
        )?;
        let mut app = editor(&path).ok_or(format!("cannot open the {code} plan"))?;
        let mut terminal = terminal();
        let focus = |app: &mut App| focus_diagnostic(app, code);
        let op = Op {
            name: format!("quick fix {code}"),
            keys,
            setup: &focus,
        };
        rows.measure(&mut app, &mut terminal, &op, reps);
        if code == "SCP301" {
            // A plan without waivers: the waiver of that warning is its first.
            assert_eq!(
                session(&mut app).live.plan.waivers.len(),
                0,
                "no waiver yet"
            );
            let keys = "w \"Accepted\" C-s";
            let op = Op {
                name: waiver.into(),
                keys,
                setup: &focus,
            };
            rows.measure(&mut app, &mut terminal, &op, reps);
        }
    }
    let suspect = "confirm a suspect link (review queue)";
    if wanted(suspect) {
        let path = write(dir, "suspect.toml", &plans::with_suspect_link(&text))?;
        let mut app = editor(&path).ok_or("cannot open the plan with a suspect link")?;
        let review = |app: &mut App| press(app, "5");
        let op = Op {
            name: suspect.into(),
            keys: "y",
            setup: &review,
        };
        rows.measure(&mut app, &mut terminal(), &op, reps);
    }
    rows.table.print(&[
        format!("Goal 1 (issue 19): on the large plan, key to frame p99 ≤ {GOAL_MS} ms for every operation. Each time is the slowest key of one repetition (every key of the flow timed from the key to its frame); each repetition is undone (`u`, once per undo step it made) before the next, and the undo is timed too. The reference is the field edit measured in the same run (the first row). At most {reps} repetitions, fewer once an operation has taken {}s ({MIN_REPS} at least).", BUDGET.as_secs()),
        format!("The rename is of SP-1, linked by {linked} objectives of this plan. Each quick fix runs on the plan with one text edit that draws its diagnostic (`benches/tui_latency/plans.rs`), focused in the diagnostics view (`4`, then `]`); the suspect link is a `reviewed_links` stamp of an earlier title of SP-1."),
    ]);
    Ok(())
}

fn write(dir: &Path, name: &str, text: &str) -> Result<PathBuf, String> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Goes to the diagnostics view and presses `]` until the first diagnostic `code` is
/// focused.
fn focus_diagnostic(app: &mut App, code: &str) {
    press(app, "4");
    let n = session(app).live.diagnostics.len();
    for _ in 0..=n {
        let s = session(app);
        if s.focused_diagnostic()
            .is_some_and(|i| s.live.diagnostics[i].code == code)
        {
            return;
        }
        press(app, "]");
    }
    panic!("no {code} in the plan");
}

/// The operations on the clean plan: field edit, the structural ones, the rename of SP-1 and
/// `tech_list`; gives how many objectives link SP-1.
fn clean_plan_ops(
    dir: &Path,
    text: &str,
    rows: &mut Rows,
    edits: usize,
    reps: usize,
) -> Result<usize, String> {
    let path = write(dir, "plan.toml", text)?;
    let mut app = editor(&path).ok_or("cannot open the plan")?;
    let mut terminal = terminal();
    let linked = session(&mut app)
        .live
        .plan
        .countries
        .iter()
        .flat_map(|c| &c.objectives)
        .filter(|o| {
            o.priorities
                .as_ref()
                .and_then(|p| p.value.as_ref())
                .is_some_and(|p| p.entries.iter().any(|e| e == "SP-1"))
        })
        .count();
    // The first objective's text field: the section, its first objective, its form.
    press(&mut app, "2");
    let text_field = |app: &mut App| {
        let s = session(app);
        (s.view, s.country) = (View::Countries, 0);
        let node = Node::Item(Collection::Objectives(0), 0);
        s.selection.row = s
            .section_rows()
            .iter()
            .position(|n| *n == node)
            .unwrap_or(0);
        s.selection.field = field_index(node, "text");
        s.selection.focus = Focus::Form;
    };
    let op = Op {
        name: "field edit (an objective's text)".into(),
        keys: "Enter x C-s",
        setup: &text_field,
    };
    rows.measure(&mut app, &mut terminal, &op, edits);
    let mid = session(&mut app).live.plan.countries.len() / 2;
    let country = move |app: &mut App| {
        let s = session(app);
        (s.view, s.country, s.selection.focus) = (View::Countries, mid, Focus::List);
    };
    for (name, keys) in [
        ("add a country section", "a Enter"),
        ("delete a country section", "d y"),
        ("move a country section up", "K"),
        ("move a country section down", "J"),
        ("copy a country section for another country", "D Enter"),
    ] {
        let op = Op {
            name: name.into(),
            keys,
            setup: &country,
        };
        rows.measure(&mut app, &mut terminal, &op, reps);
    }
    // An item inside a section duplicated, beside the whole section.
    let objective = move |app: &mut App| {
        let s = session(app);
        (s.view, s.country, s.selection.focus) = (View::Countries, mid, Focus::Section);
        let node = Node::Item(Collection::Objectives(mid), 0);
        s.selection.row = s
            .section_rows()
            .iter()
            .position(|n| *n == node)
            .unwrap_or(0);
    };
    let op = Op {
        name: "duplicate an objective".into(),
        keys: "D",
        setup: &objective,
    };
    rows.measure(&mut app, &mut terminal, &op, reps);
    let plan_field = |node: Node, field: &'static str| {
        move |app: &mut App| {
            let s = session(app);
            s.view = View::Plan;
            let rows = scplan::tui::rows::plan_rows(&s.live.plan);
            s.selection.plan_row = rows.iter().position(|n| *n == node).unwrap_or(0);
            s.selection.field = field_index(node, field);
            s.selection.focus = Focus::Form;
        }
    };
    let sp1 = plan_field(Node::Item(Collection::Priorities, 0), "id");
    let name = format!("rename SP-1 ({linked} objectives link it)");
    let op = Op {
        name,
        keys: "Enter C-u \"SP-1R\" Enter y",
        setup: &sp1,
    };
    rows.measure(&mut app, &mut terminal, &op, reps);
    let tech_list = plan_field(Node::Plan, "tech_list");
    let op = Op {
        name: "change `tech_list` (2025 to 2022)".into(),
        keys: "Enter Down Enter",
        setup: &tech_list,
    };
    rows.measure(&mut app, &mut terminal, &op, reps);
    Ok(linked)
}

/// The place of `field` in the form of `node`.
fn field_index(node: Node, field: &str) -> usize {
    node.kind()
        .fields()
        .iter()
        .position(|f| f.name == field)
        .unwrap_or_else(|| panic!("no field {field}"))
}
