//! The command-line goals of issue 19 on the large plan, each against a reference measured in
//! the same run, round by round: `set` against a copy with fsync, `diff` against two checks,
//! the editor's save against a bare atomic write, and `check` of many files against loops of
//! single calls.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use scplan::plan::document::PlanDocument;
use scplan::store::{self, ContentHash, OsFs, SaveOptions};
use scplan::synth::{self, SIZES};

use super::{Runs, measure, ms};

/// How many medium plans the many-file check reads.
const MANY: usize = 200;

/// Runs every comparison in a fresh temporary folder.
pub fn run() -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("scplan-cli-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let large = SIZES[2];
    let text = synth::generate(large.countries, large.objectives, 0.0, 1);
    let pristine = dir.join("pristine.toml");
    std::fs::write(&pristine, &text).map_err(|e| e.to_string())?;
    println!("large plan: {:.1} MB", text.len() as f64 / 1e6);
    set_against_copy(&dir, &pristine)?;
    diff_against_checks(&dir, &text)?;
    save_against_write(&dir, &text)?;
    many_files(&dir)?;
    std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())
}

/// `sh -c SCRIPT sh ARGS...`: `$1`, `$2`... in the script.
fn shell(script: &str, args: &[&Path]) -> Command {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(script).arg("sh").args(args);
    cmd
}

fn scplan() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_scplan"))
}

fn mb(runs: &Runs) -> String {
    runs.peak_kib
        .map_or("-".to_string(), |k| format!("{:.0} MB", k as f64 / 1024.0))
}

fn mem_ratio(a: &Runs, b: &Runs) -> String {
    match (a.peak_kib, b.peak_kib) {
        (Some(a), Some(b)) => format!("{:.2}x", a as f64 / b as f64),
        _ => "-".to_string(),
    }
}

/// `scplan set PLAN plan.version "1.1"` against `cp` + `sync` of the plan; each run starts
/// from a fresh copy (timed alone and taken off both).
fn set_against_copy(dir: &Path, pristine: &Path) -> Result<(), String> {
    let (work, other) = (dir.join("work.toml"), dir.join("other.toml"));
    let exe = scplan();
    let args = [pristine, work.as_path(), exe.as_path(), other.as_path()];
    let copy = shell(r#"cp "$1" "$2""#, &args);
    let set = shell(
        r#"cp "$1" "$2" && exec "$3" set "$2" plan.version '"1.1"'"#,
        &args,
    );
    let reference = shell(
        r#"cp "$1" "$2" && rm -f "$4" && cp "$2" "$4" && sync "$4""#,
        &args,
    );
    let [copy, set, reference] = measure([&copy, &set, &reference], 9)?;
    let net = |r: &Runs| ms(r.median) - ms(copy.median);
    println!(
        "set one field: {:.1} ms, {}; cp + fsync {:.1} ms: {:.2}x (goal <= 3x)",
        net(&set),
        mb(&set),
        net(&reference),
        net(&set) / net(&reference)
    );
    Ok(())
}

/// `text` with the `text = "` of one objective in a hundred rewritten (the first ones).
fn one_percent_changed(text: &str) -> String {
    let objectives = text.matches("[[country.objective]]").count();
    text.replacen("text = \"", "text = \"Changed: ", (objectives / 100).max(1))
}

/// `scplan diff OLD NEW` against `check OLD; check NEW`, and `diff PLAN COPY`.
fn diff_against_checks(dir: &Path, text: &str) -> Result<(), String> {
    let (old, new, copy) = (
        dir.join("old.toml"),
        dir.join("new.toml"),
        dir.join("copy.toml"),
    );
    std::fs::write(&old, text).map_err(|e| e.to_string())?;
    std::fs::write(&new, one_percent_changed(text)).map_err(|e| e.to_string())?;
    std::fs::write(&copy, text).map_err(|e| e.to_string())?;
    let exe = scplan();
    let args = [exe.as_path(), old.as_path(), new.as_path(), copy.as_path()];
    // diff exits 1 when the versions differ.
    let diff = shell(r#""$1" diff "$2" "$3" > /dev/null; [ $? -eq 1 ]"#, &args);
    let checks = shell(r#""$1" check "$2" && "$1" check "$3""#, &args);
    let mut one_check = Command::new(&exe);
    one_check.arg("check").arg(&old);
    let same = shell(r#"exec "$1" diff "$2" "$4""#, &args);
    let [diff, checks, one_check, same] = measure([&diff, &checks, &one_check, &same], 7)?;
    println!(
        "diff of two versions: {:.1} ms; two checks {:.1} ms: {:.2}x (goal <= 1.2x); memory {} against one check's {}: {} (goal <= 2x)",
        ms(diff.median),
        ms(checks.median),
        ms(diff.median) / ms(checks.median),
        mb(&diff),
        mb(&one_check),
        mem_ratio(&diff, &one_check),
    );
    println!(
        "diff of a file against its copy: {:.1} ms ({:.2}x one check)",
        ms(same.median),
        ms(same.median) / ms(one_check.median)
    );
    Ok(())
}

/// What the editor's save does (print the document, save it atomically refusing a file
/// changed on disk, hash what was saved) against a bare atomic write of the same bytes
/// (temporary file, fsync, rename, fsync of the folder), in this process.
fn save_against_write(dir: &Path, text: &str) -> Result<(), String> {
    let plan = dir.join("saved.toml");
    std::fs::write(&plan, text).map_err(|e| e.to_string())?;
    let doc = PlanDocument::from_bytes(text.as_bytes()).map_err(|e| e.to_string())?;
    let mut loaded = ContentHash::of(text.as_bytes());
    // The editor prints its document and saves it, hash included (`store::save_and_hash`).
    let rounds = 9;
    let (mut prints, mut saves, mut writes) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..=rounds {
        let start = Instant::now();
        let bytes = doc.to_bytes();
        prints.push(start.elapsed());
        let options = SaveOptions {
            expect: Some(loaded),
            ..SaveOptions::default()
        };
        let (_, hash) =
            store::save_and_hash(&OsFs, &plan, &bytes, options).map_err(|e| e.to_string())?;
        saves.push(start.elapsed());
        let start = Instant::now();
        bare_write(dir, &plan, &bytes).map_err(|e| e.to_string())?;
        writes.push(start.elapsed());
        // The bare write put the same bytes back.
        loaded = hash;
    }
    let (save, write) = (median(&saves[1..]), median(&writes[1..]));
    println!(
        "editor save: {:.1} ms (printing the document {:.1} ms of it); bare atomic write {:.1} ms: {:.2}x (goal <= 3x)",
        ms(save),
        ms(median(&prints[1..])),
        ms(write),
        ms(save) / ms(write)
    );
    Ok(())
}

fn median(times: &[Duration]) -> Duration {
    let mut times = times.to_vec();
    times.sort();
    times[times.len() / 2]
}

/// Writes `bytes` over `plan` atomically with nothing else: a temporary file beside it,
/// flushed, renamed over it, the folder flushed.
fn bare_write(dir: &Path, plan: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(".bare-write.tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, plan)?;
    std::fs::File::open(dir)?.sync_all()
}

/// `scplan check` of 200 medium plans in one call against a loop of single calls, run one
/// and two at a time; peak memory against the single check of one of them.
fn many_files(dir: &Path) -> Result<(), String> {
    let medium = SIZES[1];
    let folder = dir.join("many");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let first = folder.join("plan-000.toml");
    let text = synth::generate(medium.countries, medium.objectives, 0.0, 1);
    std::fs::write(&first, &text).map_err(|e| e.to_string())?;
    // Links to one file: the same work per file, and no disk taken by 200 copies.
    for i in 1..MANY {
        std::fs::hard_link(&first, folder.join(format!("plan-{i:03}.toml")))
            .map_err(|e| e.to_string())?;
    }
    let exe = scplan();
    let args = [exe.as_path(), folder.as_path()];
    let one_call = shell(r#"exec "$1" check "$2"/plan-*.toml > /dev/null"#, &args);
    let mut single = Command::new(&exe);
    single.arg("check").arg(&first);
    let sequential = shell(
        r#"for f in "$2"/plan-*.toml; do "$1" check "$f" > /dev/null || exit 1; done"#,
        &args,
    );
    let two_wide = shell(
        r#"ls "$2"/plan-*.toml | xargs -P 2 -n 1 "$1" check > /dev/null"#,
        &args,
    );
    let [one_call, single, sequential, two_wide] =
        measure([&one_call, &single, &sequential, &two_wide], 3)?;
    println!(
        "check of {MANY} medium plans ({:.1} MB each) in one call: {:.0} ms, {}; a loop of single calls {:.0} ms ({:.2}x the throughput), two at a time {:.0} ms ({:.2}x; goal >= 1.5x); memory against one file's check ({}): {}",
        text.len() as f64 / 1e6,
        ms(one_call.median),
        mb(&one_call),
        ms(sequential.median),
        ms(sequential.median) / ms(one_call.median),
        ms(two_wide.median),
        ms(two_wide.median) / ms(one_call.median),
        mb(&single),
        mem_ratio(&one_call, &single),
    );
    Ok(())
}
