//! The three-way merge on a synthetic plan with 1% of its objectives changed on each side
//! (different ones), beside `git merge-file` on the same three files, in the same run: the
//! merge in process (`scplan::merge::merge`), the whole `scplan merge` process (the merged
//! plan checked afterwards included), and git's line merge, the processes run in turn round by
//! round (`benches/runner`). One table of the medians and the ratios.
//! `SCPLAN_BENCH_SIZE=small|medium|large` (default large) and `SCPLAN_BENCH_ROUNDS=N`
//! (default 5) choose the plan and the rounds; the goal is within 10x of `git merge-file`.

mod report;
mod runner;

use std::process::Command;
use std::time::{Duration, Instant};

use scplan::merge::{self, Options};
use scplan::synth;

/// `text` with the `text = ...` line of every hundredth objective, from the `offset`-th,
/// rewritten.
fn change_objectives(text: &str, offset: usize, word: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4096);
    let mut objective = 0usize;
    let mut in_objective = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("[[country.objective]]") {
            in_objective = true;
            objective += 1;
        } else if trimmed.starts_with("[[") {
            in_objective = false;
        }
        if in_objective && objective % 100 == offset && trimmed.starts_with("text = \"") {
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(&format!(
                "{indent}text = \"{word} objective {objective}\"\n"
            ));
        } else {
            out.push_str(line);
        }
    }
    out
}

fn main() {
    let name = std::env::var("SCPLAN_BENCH_SIZE").unwrap_or_else(|_| "large".to_string());
    let size = synth::size(&name).expect("SCPLAN_BENCH_SIZE is small, medium or large");
    let rounds = std::env::var("SCPLAN_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let base = synth::generate(size.countries, size.objectives, 0.0, 1);
    let ours = change_objectives(&base, 0, "Ours'");
    let theirs = change_objectives(&base, 50, "Theirs'");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("a file written");
        path
    };
    let (b, o, t) = (
        file("base.toml", &base),
        file("ours.toml", &ours),
        file("theirs.toml", &theirs),
    );
    let out = dir.path().join("out.toml");
    let options = Options::default();

    let merged = merge::merge(
        base.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        &options,
    )
    .expect("the versions merge");
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    let in_process: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let merged = merge::merge(
                base.as_bytes(),
                ours.as_bytes(),
                theirs.as_bytes(),
                &options,
            );
            std::hint::black_box(merged.is_ok());
            start.elapsed()
        })
        .collect();
    let in_process = runner::ms(runner::median(&in_process));
    let mut process = Command::new(env!("CARGO_BIN_EXE_scplan"));
    process
        .env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .arg("merge")
        .args([&b, &o, &t])
        .arg("-o")
        .arg(&out);
    let mut git = Command::new("git");
    git.current_dir(dir.path())
        .args(["merge-file", "-p", "ours.toml", "base.toml", "theirs.toml"]);
    let [process, git] = runner::measure([&process, &git], rounds).expect("the merges run");
    let same = std::fs::read(&out)
        .map(|bytes| bytes == merged.bytes)
        .unwrap_or(false);
    assert!(same, "the process wrote the in-process result");
    let mut table = report::Table::new(
        &format!(
            "Three-way merge ({name} plan, {:.1} MB, {} objectives changed per side)",
            base.len() as f64 / 1e6,
            size.countries * size.objectives / 100
        ),
        &format!("SCPLAN_BENCH_SIZE={name} SCPLAN_BENCH_ROUNDS={rounds} cargo bench --bench merge"),
        &["merge", "ms", "ratio to git merge-file", "peak MB"],
    );
    let (process_ratio, process_met) = report::against(process.ms(), git.ms(), 10.0);
    let (in_ratio, in_met) = report::against(in_process, git.ms(), 10.0);
    table.row(vec![
        "`scplan::merge::merge` (in process)".to_string(),
        format!("{in_process:.1}"),
        in_ratio.clone(),
        "-".to_string(),
    ]);
    table.row(vec![
        "`scplan merge BASE OURS THEIRS -o OUT` (the merged plan checked too)".to_string(),
        format!("{:.1}", process.ms()),
        process_ratio.clone(),
        process.mb(),
    ]);
    table.row(vec![
        "`git merge-file -p` (the reference)".to_string(),
        format!("{:.1}", git.ms()),
        "1.00x".to_string(),
        git.mb(),
    ]);
    table.print(&[format!(
        "Goal 7 (issue 19): `scplan merge` of two 1%-changed versions ≤ 10x `git merge-file`: the process {process_ratio}, {process_met}; the merge alone {in_ratio}, {in_met}. Medians of {rounds} rounds (the processes in turn, after a warm-up round)."
    )]);
}
