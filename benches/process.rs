//! Whole-process comparison (`harness = false`): `scplan check FILE` against the serde
//! reference program on the medium and the large synthetic plan, run in turn round by round,
//! median wall time and peak memory (through GNU `/usr/bin/time` when it is there), then the
//! scaling from medium to large; then `scplan review --confirm` against `scplan set` on the
//! large plan (the goal: under twice the time of `set`); then, on the large plan, `scplan set`
//! against a copy with fsync, `scplan diff` of two versions against two checks (and of a file
//! against a copy of itself), the editor's save (through the library, in this process)
//! against a bare atomic write of the same bytes; and `scplan check` of 200 medium plans in
//! one call against a loop of single calls, one and two at a time. `SCPLAN_BENCH_ONLY=cli`
//! runs only the part after the review.
//!
//! `cargo bench --bench process` runs it all; this binary run as `process --reference FILE` is
//! the reference program itself (exit 0 when the plan has no id problem, 1 when it has, 2 when
//! it cannot be read or deserialized).
#![forbid(unsafe_code)]

#[path = "process/cli.rs"]
mod cli;
mod reference;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use scplan::synth::{self, SIZES};

const GNU_TIME: &str = "/usr/bin/time";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--reference") {
        return run_reference(args.get(i + 1).map(Path::new));
    }
    let all = std::env::var("SCPLAN_BENCH_ONLY").map_or(true, |only| only != "cli");
    let first = || {
        if all {
            compare().and_then(|()| review_against_set())
        } else {
            Ok(())
        }
    };
    match first().and_then(|()| cli::run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("process bench: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The reference program.
fn run_reference(path: Option<&Path>) -> ExitCode {
    let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        eprintln!("usage: process --reference FILE (a readable UTF-8 file)");
        return ExitCode::from(2);
    };
    match reference::check(&text) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(n) => {
            println!("{n} id problem(s)");
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(2)
        }
    }
}

/// One measured program: median wall time and largest peak resident set over the runs.
struct Runs {
    median: Duration,
    peak_kib: Option<u64>,
}

fn compare() -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("scplan-process-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let scplan = PathBuf::from(env!("CARGO_BIN_EXE_scplan"));
    println!(
        "{:<8} {:>9} {:>12} {:>12} {:>7} {:>10} {:>10} {:>7}",
        "plan", "MB", "scplan ms", "ref ms", "time x", "scplan MB", "ref MB", "mem x"
    );
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
        let mb =
            |kib: Option<u64>| kib.map_or("-".to_string(), |k| format!("{:.1}", k as f64 / 1024.0));
        let mem_ratio = match (ours.peak_kib, theirs.peak_kib) {
            (Some(a), Some(b)) => format!("{:.2}", a as f64 / b as f64),
            _ => "-".to_string(),
        };
        println!(
            "{:<8} {:>9.2} {:>12.1} {:>12.1} {:>7.2} {:>10} {:>10} {:>7}",
            size.name,
            text.len() as f64 / 1e6,
            ms(ours.median),
            ms(theirs.median),
            ms(ours.median) / ms(theirs.median),
            mb(ours.peak_kib),
            mb(theirs.peak_kib),
            mem_ratio,
        );
        per_size.push((text.len(), ours.median));
    }
    if let [(medium_len, medium), (large_len, large)] = per_size[..] {
        let size_ratio = large_len as f64 / medium_len as f64;
        let time_ratio = ms(large) / ms(medium);
        println!(
            "scaling: large/medium file size {size_ratio:.1}x, scplan time {time_ratio:.1}x ({:.2} of the size ratio)",
            time_ratio / size_ratio
        );
    }
    std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs the programs in turn, `runs` rounds after one warm-up round, so that a change in the
/// load of the (shared) machine falls on all alike; under GNU time when it exists.
fn measure<const N: usize>(commands: [&Command; N], runs: usize) -> Result<[Runs; N], String> {
    let mut samples: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(runs));
    let mut peaks = [None; N];
    for round in 0..=runs {
        for (i, command) in commands.into_iter().enumerate() {
            let (elapsed, kib) = run_once(command)?;
            if round > 0 {
                samples[i].push(elapsed);
                peaks[i] = peaks[i].max(kib);
            }
        }
    }
    Ok(std::array::from_fn(|i| {
        let times = &mut samples[i];
        times.sort();
        Runs {
            median: times[times.len() / 2],
            peak_kib: peaks[i],
        }
    }))
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
    let net = |r: &Runs| ms(r.median) - ms(copy.median);
    println!(
        "large plan: set {:.1} ms, review --confirm {link} {:.1} ms ({:.2}x set; the copy, {:.1} ms, taken off both)",
        net(&set),
        net(&confirm),
        net(&confirm) / net(&set),
        ms(copy.median)
    );
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

/// Runs `command` once: its wall time and, under GNU time, its peak resident set in KiB.
fn run_once(command: &Command) -> Result<(Duration, Option<u64>), String> {
    let gnu_time = Path::new(GNU_TIME).exists();
    let program = command.get_program();
    let mut cmd = Command::new(if gnu_time { GNU_TIME.as_ref() } else { program });
    if gnu_time {
        cmd.arg("-f").arg("%M").arg(program);
    }
    cmd.args(command.get_args());
    let start = Instant::now();
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        return Err(format!(
            "{:?} failed: {}",
            command,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let kib = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<u64>().ok());
    Ok((elapsed, kib))
}
