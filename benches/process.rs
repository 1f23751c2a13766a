//! Whole-process comparison (`harness = false`): `scplan check FILE` against the serde
//! reference program on the medium and the large synthetic plan, run in turn round by round,
//! median wall time and peak memory (through GNU `/usr/bin/time` when it is there), then the
//! scaling from medium to large; then `scplan review --confirm` against `scplan set` on the
//! large plan (the goal: under twice the time of `set`); then, on the large plan, `scplan set`
//! against a copy with fsync, `scplan diff` of two versions against two checks (and of a file
//! against a copy of itself), the editor's save (through the library, in this process)
//! against a bare atomic write of the same bytes; and `scplan check` of 200 medium plans in
//! one call against a loop of single calls, one and two at a time. Each comparison prints one
//! table (`benches/report`); `SCPLAN_BENCH_ONLY=check,review,set,diff,save,many` runs only
//! those (`cli`: the last four).
//!
//! `cargo bench --bench process` runs it all; this binary run as `process --reference FILE` is
//! the reference program itself (exit 0 when the plan has no id problem, 1 when it has, 2 when
//! it cannot be read or deserialized).
#![forbid(unsafe_code)]

#[path = "process/cli.rs"]
mod cli;
mod reference;
mod report;
mod runner;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use runner::{Runs, measure};
use scplan::synth::{self, SIZES};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--reference") {
        return reference::run(args.get(i + 1).map(Path::new));
    }
    let only = std::env::var("SCPLAN_BENCH_ONLY").ok();
    let wanted = |part: &str| {
        only.as_deref().is_none_or(|only| {
            only.split(',')
                .any(|p| p == part || (p == "cli" && cli::PARTS.contains(&part)))
        })
    };
    let mut result = Ok(());
    if wanted("check") {
        result = compare();
    }
    if result.is_ok() && wanted("review") {
        result = review_against_set();
    }
    match result.and_then(|()| cli::run(&wanted)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("process bench: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `scplan check` against the reference program on the medium and the large plan (goal 8).
fn compare() -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("scplan-process-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let scplan = PathBuf::from(env!("CARGO_BIN_EXE_scplan"));
    let mut table = report::Table::new(
        "Whole process: `scplan check FILE` against the reference program",
        "SCPLAN_BENCH_ONLY=check cargo bench --bench process",
        &[
            "plan",
            "MB",
            "check ms",
            "reference ms",
            "time",
            "check MB",
            "reference MB",
            "memory",
        ],
    );
    let mut notes = Vec::new();
    let mut per_size = Vec::new();
    for size in &SIZES[1..] {
        let path = dir.join(format!("{}.toml", size.name));
        let text = synth::generate(size.countries, size.objectives, 0.0, 1);
        std::fs::write(&path, &text).map_err(|e| e.to_string())?;
        let runs = if size.name == "large" { 9 } else { 31 };
        let mut ours = Command::new(&scplan);
        ours.arg("check").arg(&path);
        let mut theirs = Command::new(&me);
        theirs.arg("--reference").arg(&path);
        let [ours, theirs] = measure([&ours, &theirs], runs)?;
        let (time, time_met) = report::against(ours.ms(), theirs.ms(), 1.0);
        let memory = ours
            .mem_ratio(&theirs)
            .map(|r| report::against(r, 1.0, 0.5));
        let (memory, memory_met) = memory.unwrap_or(("-".to_string(), "not measured"));
        table.row(vec![
            size.name.to_string(),
            format!("{:.2}", text.len() as f64 / 1e6),
            format!("{:.1}", ours.ms()),
            format!("{:.1}", theirs.ms()),
            time.clone(),
            ours.mb(),
            theirs.mb(),
            memory.clone(),
        ]);
        notes.push(format!(
            "{}: time {time} the reference (goal ≤ 1.0x: {time_met}), memory {memory} (goal ≤ 0.5x: {memory_met}).",
            size.name
        ));
        per_size.push((text.len(), ours.median));
    }
    if let [(medium_len, medium), (large_len, large)] = per_size[..] {
        let size_ratio = large_len as f64 / medium_len as f64;
        let time_ratio = runner::ms(large) / runner::ms(medium);
        notes.push(format!(
            "Scaling: the large plan is {size_ratio:.1}x the medium one; check takes {time_ratio:.1}x the time ({:.2} of the size ratio).",
            time_ratio / size_ratio
        ));
    }
    notes.push(format!(
        "Goal 8 (issue 19): `check` keeps ≤ 1.0x the reference and ≤ 0.5x its memory. Median of {} rounds (medium) and {} (large), after a warm-up round.",
        31, 9
    ));
    table.print(&notes);
    std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())
}

/// `scplan review PLAN --confirm ID:PRIORITY` against `scplan set PLAN plan.version "1.1"` on
/// the large plan. Each run starts from a fresh copy of the plan, so that both really write
/// (a second confirmation of the same link has nothing to write); the copy alone is timed too
/// and taken off both.
fn review_against_set() -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("scplan-review-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let scplan = PathBuf::from(env!("CARGO_BIN_EXE_scplan"));
    let large = SIZES[2];
    let text = synth::generate(large.countries, large.objectives, 0.0, 1);
    let link = first_link(&text).ok_or("the large plan has no linked objective")?;
    let (pristine, work) = (dir.join("pristine.toml"), dir.join("work.toml"));
    std::fs::write(&pristine, &text).map_err(|e| e.to_string())?;
    // sh -c SCRIPT sh PRISTINE WORK SCPLAN LINK: $1..$4 in the script.
    let shell = |script: &str| {
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c").arg(script).arg("sh");
        cmd.arg(&pristine).arg(&work).arg(&scplan).arg(&link);
        cmd
    };
    let copy = shell(r#"cp "$1" "$2""#);
    let set = shell(r#"cp "$1" "$2" && exec "$3" set "$2" plan.version '"1.1"'"#);
    let confirm = shell(r#"cp "$1" "$2" && exec "$3" review "$2" --confirm "$4""#);
    let [copy, set, confirm] = measure([&copy, &set, &confirm], 9)?;
    let net = |r: &Runs| r.ms() - copy.ms();
    let mut table = report::Table::new(
        "Whole process: `scplan review --confirm` against `scplan set` (large plan)",
        "SCPLAN_BENCH_ONLY=review cargo bench --bench process",
        &[
            "command",
            "ms (the copy taken off)",
            "peak MB",
            "ratio to set",
        ],
    );
    let (ratio, met) = report::against(net(&confirm), net(&set), 2.0);
    table.row(vec![
        "`scplan set PLAN plan.version \"1.1\"`".to_string(),
        format!("{:.1}", net(&set)),
        set.mb(),
        "1.00x".to_string(),
    ]);
    table.row(vec![
        format!("`scplan review PLAN --confirm {link}`"),
        format!("{:.1}", net(&confirm)),
        confirm.mb(),
        ratio.clone(),
    ]);
    table.print(&[format!(
        "Goal: confirming a link takes under twice the time of `set` ({ratio}: {met}). Each run copies the plan afresh ({:.1} ms, taken off both); median of 9 rounds.",
        copy.ms()
    )]);
    std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())
}

/// `ID:PRIORITY` of the first objective of the plan that links a priority.
fn first_link(text: &str) -> Option<String> {
    let loaded = scplan::check::load_text(text).ok()?;
    loaded
        .plan
        .countries
        .iter()
        .flat_map(|c| &c.objectives)
        .find_map(|o| {
            let id = o.id.as_ref()?.value.as_ref()?;
            let priority = o.priorities.as_ref()?.value.as_ref()?.entries.first()?;
            Some(format!("{id}:{priority}"))
        })
}
