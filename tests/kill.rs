//! The kill test: a child process saves a plan of more than 1 MB in a loop, alternating two
//! versions, and is killed with SIGKILL at a random moment (fixed seed), 200 times. After
//! every kill the plan holds exactly one of the two versions, never a torn or empty file, and
//! the temporary files the dead child left are cleaned. A control run of the same test with a
//! plain in-place write (open, truncate, write) must see tearing, proving the test can.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use scplan::store::{self, OsFs, SaveOptions};

/// Tells the child which plan to save, and how.
const PLAN_VAR: &str = "SCPLAN_TEST_SAVE_LOOP_PLAN";
const MODE_VAR: &str = "SCPLAN_TEST_SAVE_LOOP_MODE";
/// What the child prints once it starts saving.
const STARTED: &str = "SCPLAN-SAVE-LOOP-STARTED";

const RUNS: usize = 200;

/// Version `tag` of a plan of more than 1 MB: the sample plan and `n` more priorities.
fn big_plan(tag: &str, n: usize) -> Vec<u8> {
    let mut text = std::fs::read_to_string("plans/eucom-sample.toml").unwrap();
    for i in 0..n {
        text.push_str(&format!(
            "\n[[priority]]\nid = \"SP-X{i}\"\ntitle = \"Filler priority {i} of draft {tag}, to make the plan large\"\nsource = \"kill test {tag}\"\n"
        ));
    }
    text.into_bytes()
}

fn versions() -> (Vec<u8>, Vec<u8>) {
    (big_plan("A", 9_000), big_plan("B", 9_500))
}

/// How the child writes the plan.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `store::save`.
    Atomic,
    /// Open with truncation and write: what an atomic save exists to avoid.
    InPlace,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Atomic => "atomic",
            Mode::InPlace => "in-place",
        }
    }
}

/// Run as the child: save the two versions in turn until killed.
#[test]
#[ignore = "run as a child process by the kill test"]
fn save_loop_child() {
    let Some(plan) = std::env::var_os(PLAN_VAR).map(PathBuf::from) else {
        return;
    };
    let atomic = std::env::var(MODE_VAR).is_ok_and(|m| m == Mode::Atomic.name());
    let (a, b) = versions();
    println!("{STARTED}");
    loop {
        for bytes in [&b, &a] {
            if atomic {
                store::save(&OsFs, &plan, bytes, SaveOptions::default()).unwrap();
            } else {
                std::fs::write(&plan, bytes).unwrap();
            }
        }
    }
}

/// A small fixed-seed generator (xorshift64*), so that every run kills at the same moments.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// Starts a saving child, kills it after `delay`, and waits for it.
fn kill_during_saves(plan: &Path, mode: Mode, delay: Duration) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "save_loop_child", "--ignored", "--nocapture"])
        .args(["--test-threads", "1"])
        .env(PLAN_VAR, plan)
        .env(MODE_VAR, mode.name())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let started = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains(STARTED));
    assert!(started, "the child did not start saving");
    std::thread::sleep(delay);
    child.kill().unwrap();
    child.wait().unwrap();
}

/// What the kills of one run left.
#[derive(Debug, Default)]
struct Outcome {
    /// Plans that were neither version.
    torn: usize,
    /// Kills that left a temporary file: they came in the middle of a save.
    mid_save: usize,
    /// Plans that held the other version than the one before the kill.
    switched: usize,
}

/// Runs the kill test with `mode`.
fn kill_runs(mode: Mode) -> Outcome {
    let (a, b) = versions();
    assert!(a.len() > 1 << 20 && b.len() > 1 << 20);
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("big.toml");
    std::fs::write(&plan, &a).unwrap();
    let mut rng = Rng(0x5c_91a2_0006);
    let mut outcome = Outcome::default();
    for _ in 0..RUNS {
        let before = std::fs::read(&plan).unwrap();
        let delay = Duration::from_micros(rng.below(30_000));
        kill_during_saves(&plan, mode, delay);
        let now = std::fs::read(&plan).unwrap();
        if now != a && now != b {
            outcome.torn += 1;
            // Start the next run from an intact plan.
            std::fs::write(&plan, &a).unwrap();
        } else if now != before {
            outcome.switched += 1;
        }
        if !store::clean_stale_temps(&OsFs, &plan).unwrap().is_empty() {
            outcome.mid_save += 1;
        }
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 1, "files left beside the plan after cleaning");
    }
    outcome
}

#[test]
fn a_killed_save_leaves_the_old_or_the_new_plan_never_a_torn_one() {
    let atomic = kill_runs(Mode::Atomic);
    eprintln!("atomic: {atomic:?} in {RUNS} kills");
    assert_eq!(atomic.torn, 0);
    assert!(atomic.mid_save > 0, "no kill came in the middle of a save");
    let control = kill_runs(Mode::InPlace);
    eprintln!("control, in-place writes: {control:?} in {RUNS} kills");
    assert!(
        control.torn > 0,
        "the control run saw no tearing: the test cannot see it"
    );
}
