//! Whole-process export comparison (`harness = false`): `scplan export` of the large
//! synthetic plan to HTML, Word and Excel, run in turn round by round (so that a change in the
//! load of a shared machine falls on all alike), median wall time and peak memory (through
//! GNU `/usr/bin/time` when it is there), each as a ratio to the HTML export (the goal: docx
//! and xlsx within 3x).
//!
//! `cargo bench --bench export` runs it; `-- --rounds N` sets the rounds (default 5), and
//! `-- --scplan PATH` measures another build of scplan (e.g. one from before a change).
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use scplan::synth::{self, SIZES};

const GNU_TIME: &str = "/usr/bin/time";

/// The formats compared, the first being the reference.
const FORMATS: [&str; 3] = ["html", "docx", "xlsx"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(5);
    let scplan = args
        .iter()
        .position(|a| a == "--scplan")
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_scplan")),
            PathBuf::from,
        );
    match compare(&scplan, rounds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("export bench: {err}");
            ExitCode::FAILURE
        }
    }
}

/// One format's runs: its wall times and the largest peak resident set.
struct Runs {
    times: Vec<Duration>,
    peak_kib: Option<u64>,
}

impl Runs {
    fn median(&mut self) -> Duration {
        self.times.sort();
        self.times[self.times.len() / 2]
    }
}

fn compare(scplan: &Path, rounds: usize) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("scplan-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let large = SIZES[2];
    let text = synth::generate(large.countries, large.objectives, 0.0, 1);
    let plan = dir.join("large.toml");
    std::fs::write(&plan, &text).map_err(|e| e.to_string())?;
    let mut runs: Vec<Runs> = FORMATS
        .iter()
        .map(|_| Runs {
            times: Vec::new(),
            peak_kib: None,
        })
        .collect();
    // Round 0 warms the caches up and is not counted.
    for round in 0..=rounds {
        for (format, runs) in FORMATS.iter().zip(&mut runs) {
            let out = dir.join(format!("out.{format}"));
            let mut cmd = Command::new(scplan);
            cmd.arg("export").arg(&plan).arg("--format").arg(format);
            cmd.arg("-o").arg(&out).arg("--force").arg("--draft");
            cmd.env("SOURCE_DATE_EPOCH", "1780000000");
            let (elapsed, kib) = run_once(&cmd)?;
            if round > 0 {
                runs.times.push(elapsed);
                runs.peak_kib = runs.peak_kib.max(kib);
            }
        }
    }
    println!(
        "large plan, {:.1} MB, {rounds} rounds, median wall time and peak memory",
        text.len() as f64 / 1e6
    );
    println!(
        "{:<6} {:>10} {:>8} {:>10} {:>7}",
        "format", "ms", "time x", "peak MB", "mem x"
    );
    let reference = (runs[0].median(), runs[0].peak_kib);
    for (format, runs) in FORMATS.iter().zip(&mut runs) {
        let median = runs.median();
        let mb = runs
            .peak_kib
            .map_or("-".to_string(), |k| format!("{:.1}", k as f64 / 1024.0));
        let mem_ratio = match (runs.peak_kib, reference.1) {
            (Some(a), Some(b)) => format!("{:.2}", a as f64 / b as f64),
            _ => "-".to_string(),
        };
        println!(
            "{format:<6} {:>10.1} {:>8.2} {mb:>10} {mem_ratio:>7}",
            ms(median),
            ms(median) / ms(reference.0),
        );
    }
    std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
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
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    let start = Instant::now();
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        return Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let kib = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<u64>().ok());
    Ok((elapsed, kib))
}
