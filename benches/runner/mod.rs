//! Whole programs measured side by side: run in turn, round by round after a warm-up round
//! (so that a change in the load of a shared machine falls on all alike), the median wall time
//! and the largest peak resident set of each (through GNU `/usr/bin/time` when it is there).
//! Shared by the whole-process benches; each uses the helpers it needs.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GNU_TIME: &str = "/usr/bin/time";

/// One measured program: median wall time and largest peak resident set over the runs.
pub struct Runs {
    /// The median wall time.
    pub median: Duration,
    /// The largest peak resident set, in KiB (none without GNU time).
    pub peak_kib: Option<u64>,
}

impl Runs {
    /// The median in milliseconds.
    pub fn ms(&self) -> f64 {
        ms(self.median)
    }

    /// The peak resident set in MB, or `-`.
    pub fn mb(&self) -> String {
        self.peak_kib
            .map_or("-".to_string(), |k| format!("{:.0}", k as f64 / 1024.0))
    }

    /// This peak over `other`'s (none without GNU time).
    pub fn mem_ratio(&self, other: &Runs) -> Option<f64> {
        Some(self.peak_kib? as f64 / other.peak_kib? as f64)
    }
}

/// Milliseconds as a float.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs the programs in turn, `runs` rounds after one warm-up round.
pub fn measure<const N: usize>(commands: [&Command; N], runs: usize) -> Result<[Runs; N], String> {
    let mut samples: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(runs));
    let mut peaks = [None; N];
    for round in 0..=runs {
        for (i, command) in commands.into_iter().enumerate() {
            let run = run_once(command, false)?;
            if round > 0 {
                samples[i].push(run.elapsed);
                peaks[i] = peaks[i].max(run.peak_kib);
            }
        }
    }
    Ok(std::array::from_fn(|i| Runs {
        median: median(&samples[i]),
        peak_kib: peaks[i],
    }))
}

/// The median of some times.
pub fn median(times: &[Duration]) -> Duration {
    let mut times = times.to_vec();
    times.sort();
    times[times.len() / 2]
}

/// One run of a program.
pub struct Run {
    /// Its wall time.
    pub elapsed: Duration,
    /// Its peak resident set in KiB, under GNU time.
    pub peak_kib: Option<u64>,
    /// What it printed, when asked for (else its output goes to /dev/null).
    pub stdout: String,
}

/// Runs `command` once (its environment and folder included), keeping what it prints when
/// `capture` (else it goes to /dev/null, as the reference programs' output does). A program
/// that fails is an error.
pub fn run_once(command: &Command, capture: bool) -> Result<Run, String> {
    let gnu_time = Path::new(GNU_TIME).exists();
    let program = command.get_program();
    let mut cmd = Command::new(if gnu_time { GNU_TIME.as_ref() } else { program });
    if gnu_time {
        cmd.arg("-f").arg("%M").arg(program);
    }
    cmd.args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        cmd.current_dir(dir);
    }
    let start = Instant::now();
    let out = cmd
        .stdout(if capture {
            Stdio::piped()
        } else {
            Stdio::null()
        })
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
    let peak_kib = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<u64>().ok());
    Ok(Run {
        elapsed,
        peak_kib,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    })
}
