//! Goal 2: the editor opened on a plan, as a process of its own (`tui_latency --open FILE`):
//! the time from the start of `main` to its first frame (the real first draw), to the plan
//! usable (the editor on the plan, its derived state ready: every view, every diagnostic),
//! to the plan editable (its document parsed beside, which an edit key waits for), and its
//! peak resident set; beside
//! the serde reference reading the same file (`--reference FILE`, in the same rounds) and
//! `scplan check FILE`'s peak.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use scplan::tui::view;

use crate::{editable, opened, report, runner, terminal, usable};

/// How long the editor may take to make the plan usable before the child gives up.
const PATIENCE: Duration = Duration::from_secs(120);

/// The editor's open, as a program: prints the nanoseconds from the start to the first
/// frame, to the plan usable and to the plan editable.
pub fn editor_child(path: Option<&Path>) -> ExitCode {
    let start = Instant::now();
    let Some(path) = path else {
        eprintln!("usage: tui_latency --open FILE");
        return ExitCode::from(2);
    };
    let Some(mut app) = opened(path) else {
        eprintln!("cannot open {}", path.display());
        return ExitCode::from(2);
    };
    let mut terminal = terminal();
    let _ = terminal.draw(|f| view::draw(f, &app));
    let first_frame = start.elapsed();
    if !usable(&mut app, &mut terminal, PATIENCE) {
        eprintln!("the plan was not usable within {PATIENCE:?}");
        return ExitCode::from(2);
    }
    let ready = start.elapsed();
    editable(&mut app);
    let editing = start.elapsed();
    println!(
        "{} {} {}",
        first_frame.as_nanos(),
        ready.as_nanos(),
        editing.as_nanos()
    );
    ExitCode::SUCCESS
}

/// The reference, as a program: reads the file and checks it with toml + serde; prints the
/// nanoseconds it took.
pub fn reference_child(path: Option<&Path>) -> ExitCode {
    let start = Instant::now();
    let read = path.and_then(|p| std::fs::read_to_string(p).ok());
    let Some(Ok(_)) = read.map(|text| crate::reference::check(&text)) else {
        eprintln!("usage: tui_latency --reference FILE (a plan the reference reads)");
        return ExitCode::from(2);
    };
    println!("{}", start.elapsed().as_nanos());
    ExitCode::SUCCESS
}

/// The nanoseconds a child printed, as durations.
fn printed(stdout: &str) -> Vec<Duration> {
    stdout
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .map(Duration::from_nanos)
        .collect()
}

/// The open of each size up to `name`'s: the goal-2 table.
pub fn compare(dir: &Path, name: &str) -> Result<(), String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let scplan = PathBuf::from(env!("CARGO_BIN_EXE_scplan"));
    let last = scplan::synth::SIZES
        .iter()
        .position(|s| s.name == name)
        .unwrap_or(2);
    let mut table = report::Table::new(
        "Editor: open, to the first frame, to the plan usable and to the plan editable",
        &format!("SCPLAN_BENCH_SIZE={name} cargo bench --bench tui_latency   # the second table"),
        &[
            "plan",
            "MB",
            "first frame ms",
            "usable ms",
            "reference ms",
            "usable / reference",
            "editable ms",
            "editable / reference",
            "editor peak MB",
            "check peak MB",
            "memory",
        ],
    );
    let mut notes = Vec::new();
    for size in &scplan::synth::SIZES[..=last] {
        let text = scplan::synth::generate(size.countries, size.objectives, 0.0, 7);
        let path = dir.join(format!("open-{}.toml", size.name));
        std::fs::write(&path, &text).map_err(|e| e.to_string())?;
        let mut open = Command::new(&me);
        open.arg("--open").arg(&path);
        let mut reference = Command::new(&me);
        reference.arg("--reference").arg(&path);
        let mut check = Command::new(&scplan);
        check.arg("check").arg(&path);
        let rounds = if size.name == "large" { 3 } else { 5 };
        let (mut frames, mut usable, mut editing, mut parses) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut editor_kib, mut check_kib) = (None, None);
        for round in 0..=rounds {
            let opened = runner::run_once(&open, true)?;
            let parsed = runner::run_once(&reference, true)?;
            let checked = runner::run_once(&check, false)?;
            if round == 0 {
                continue;
            }
            if let [frame, ready, edit] = printed(&opened.stdout)[..] {
                frames.push(frame);
                usable.push(ready);
                editing.push(edit);
            }
            parses.extend(printed(&parsed.stdout));
            editor_kib = editor_kib.max(opened.peak_kib);
            check_kib = check_kib.max(checked.peak_kib);
        }
        if frames.is_empty() || parses.is_empty() {
            return Err("the open or the reference printed no times".to_string());
        }
        let (frame, ready, edit, parse) = (
            runner::median(&frames),
            runner::median(&usable),
            runner::median(&editing),
            runner::median(&parses),
        );
        let (ratio, ready_met) = report::against(runner::ms(ready), runner::ms(parse), 1.5);
        let memory = editor_kib
            .zip(check_kib)
            .map(|(a, b)| report::against(a as f64, b as f64, 2.0));
        let (memory, memory_met) = memory.unwrap_or(("-".to_string(), "not measured"));
        let mb =
            |kib: Option<u64>| kib.map_or("-".to_string(), |k| format!("{:.0}", k as f64 / 1024.0));
        let frame_met = if runner::ms(frame) <= 100.0 {
            "met"
        } else {
            "missed"
        };
        table.row(vec![
            size.name.to_string(),
            format!("{:.2}", text.len() as f64 / 1e6),
            report::ms(frame),
            report::ms(ready),
            report::ms(parse),
            ratio.clone(),
            report::ms(edit),
            report::against(runner::ms(edit), runner::ms(parse), 1.5).0,
            mb(editor_kib),
            mb(check_kib),
            memory.clone(),
        ]);
        let progress = if frame == ready {
            " (the first frame is drawn once the plan is loaded: no progress frame before it)"
        } else {
            ""
        };
        notes.push(format!(
            "{}: first frame within 100 ms {frame_met}{progress}; usable within 1.5x the reference parse {ready_met} ({ratio}); memory ≤ 2x check's peak {memory_met} ({memory}).",
            size.name
        ));
    }
    notes.push(
        "Goal 2 (issue 19): the first frame (with a progress indication) within 100 ms of start on any size; the plan usable within 1.5x the reference parse; resident memory with the large plan open ≤ 2x `scplan check`'s peak. Usable: the plan on screen with every view and diagnostic, moving about answered at once; editable: its document parsed too (on another core, begun with the rest), which a key that reads or edits the document waits for. Times from the start of each program's `main` (the reference: read + toml + serde + the id check), medians of 5 rounds (3 on large) after a warm-up round, the three programs in turn; peaks through GNU time."
            .to_string(),
    );
    table.print(&notes);
    Ok(())
}
