//! The command-line goals of issue 19 on the large plan, each against a reference measured in
//! the same run, round by round, each as one table: `set` against a copy with fsync, `diff`
//! against two checks, the editor's save against a bare atomic write, and `check` of many
//! files against loops of single calls.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use scplan::store::{self, ContentHash, OsFs, SaveOptions};
use scplan::synth::{self, SIZES};

use crate::report::{self, Table};
use crate::runner::{Runs, measure, median, ms};

/// How many medium plans the many-file check reads.
const MANY: usize = 200;

/// The parts of `SCPLAN_BENCH_ONLY` this module runs.
pub const PARTS: [&str; 4] = ["set", "diff", "save", "many"];

/// Runs the comparisons `wanted` names, in a fresh temporary folder.
pub fn run(wanted: &dyn Fn(&str) -> bool) -> Result<(), String> {
    if !PARTS.iter().any(|p| wanted(p)) {
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!("scplan-cli-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let large = SIZES[2];
    let text = synth::generate(large.countries, large.objectives, 0.0, 1);
    let pristine = dir.join("pristine.toml");
    std::fs::write(&pristine, &text).map_err(|e| e.to_string())?;
    if wanted("set") {
        set_against_copy(&dir, &pristine, text.len())?;
    }
    if wanted("diff") {
        diff_against_checks(&dir, &text)?;
    }
    if wanted("save") {
        save_against_write(&dir, &text)?;
    }
    if wanted("many") {
        many_files(&dir)?;
    }
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

/// The command line of the part `part` alone.
fn command(part: &str) -> String {
    format!("SCPLAN_BENCH_ONLY={part} cargo bench --bench process")
}

/// A row of a whole-process table: what, median ms, peak MB, and a ratio.
fn row(table: &mut Table, what: &str, ms: f64, runs: &Runs, ratio: &str) {
    table.row(vec![
        what.to_string(),
        format!("{ms:.1}"),
        runs.mb(),
        ratio.to_string(),
    ]);
}

/// A memory ratio against a goal, or why there is none.
fn memory_against(a: &Runs, b: &Runs, goal: f64) -> (String, &'static str) {
    a.mem_ratio(b)
        .map_or(("-".to_string(), "not measured (no GNU time)"), |r| {
            report::against(r, 1.0, goal)
        })
}

/// `scplan set PLAN plan.version "1.1"` against `cp` + `sync` of the plan; each run starts
/// from a fresh copy (timed alone and taken off both).
fn set_against_copy(dir: &Path, pristine: &Path, len: usize) -> Result<(), String> {
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
    let rounds = 9;
    let [copy, set, reference] = measure([&copy, &set, &reference], rounds)?;
    let net = |r: &Runs| r.ms() - copy.ms();
    let (ratio, met) = report::against(net(&set), net(&reference), 3.0);
    let mut table = Table::new(
        &format!(
            "Whole process: `scplan set` one field (large plan, {:.1} MB)",
            len as f64 / 1e6
        ),
        &command("set"),
        &["command", "ms", "peak MB", "ratio to cp + fsync"],
    );
    let set_line = "`scplan set PLAN plan.version '\"1.1\"'`";
    row(&mut table, set_line, net(&set), &set, &ratio);
    let cp = "`cp PLAN OTHER && sync OTHER` (the reference)";
    row(&mut table, cp, net(&reference), &reference, "1.00x");
    table.print(&[format!(
        "Goal 3 (issue 19): `set` ≤ 3x cp + fsync on the large plan: {ratio}, {met}. Each run copies the plan afresh first ({:.1} ms, taken off both); median of {rounds} rounds.",
        copy.ms()
    )]);
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
    let rounds = 7;
    let [diff, checks, one_check, same] = measure([&diff, &checks, &one_check, &same], rounds)?;
    let (ratio, met) = report::against(diff.ms(), checks.ms(), 1.2);
    let (memory, memory_met) = memory_against(&diff, &one_check, 2.0);
    let same_ratio = format!("{:.2}x", same.ms() / one_check.ms());
    let mut table = Table::new(
        &format!(
            "Whole process: `scplan diff` (large plan, {:.1} MB, 1% of objectives changed)",
            text.len() as f64 / 1e6
        ),
        &command("diff"),
        &["command", "ms", "peak MB", "ratio"],
    );
    let two = format!("{ratio} two checks, memory {memory} one check");
    row(&mut table, "`scplan diff OLD NEW`", diff.ms(), &diff, &two);
    let same_line = "`scplan diff PLAN COPY` (identical)";
    let same_cell = format!("{same_ratio} one check");
    row(&mut table, same_line, same.ms(), &same, &same_cell);
    let refs = "`scplan check OLD && scplan check NEW` (reference)";
    row(&mut table, refs, checks.ms(), &checks, "1.00x");
    row(
        &mut table,
        "`scplan check OLD`",
        one_check.ms(),
        &one_check,
        "-",
    );
    table.print(&[format!(
        "Goal 4 (issue 19): identical inputs answered from the bytes (here {same_ratio} one check); otherwise ≤ 1.2x two checks ({ratio}: {met}), memory ≤ 2x one check ({memory}: {memory_met}). Median of {rounds} rounds."
    )]);
    Ok(())
}

/// What the editor's save does (the file's bytes made from its live text, saved atomically
/// refusing a file changed on disk, the hash of what was saved) against a bare atomic write
/// of the same bytes (temporary file, fsync, rename, fsync of the folder), in this process.
fn save_against_write(dir: &Path, text: &str) -> Result<(), String> {
    let plan = dir.join("saved.toml");
    std::fs::write(&plan, text).map_err(|e| e.to_string())?;
    let settings = scplan::check::Settings::default();
    let (doc, live) = scplan::check::live::LivePlan::open(text.as_bytes(), &settings)
        .map_err(|e| e.to_string())?;
    let mut loaded = ContentHash::of(text.as_bytes());
    // The editor writes its live text in the file's layout and saves it, hash included
    // (`store::file_bytes`, `store::save_and_hash`).
    let rounds = 9;
    let (mut prints, mut saves, mut writes) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..=rounds {
        let start = Instant::now();
        let bytes = store::file_bytes(live.text(), doc.layout());
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
    let (ratio, met) = report::against(ms(save), ms(write), 3.0);
    let mut table = Table::new(
        &format!(
            "The editor's save (large plan, {:.1} MB, in process)",
            text.len() as f64 / 1e6
        ),
        &command("save"),
        &["operation", "ms", "ratio to the bare write"],
    );
    let print_ms = ms(median(&prints[1..]));
    table.row(vec![
        "the file's bytes from the live text, save atomically (refusing a file changed on disk), hash".into(),
        format!("{:.1}", ms(save)),
        ratio.clone(),
    ]);
    table.row(vec![
        "of which making the bytes from the live text".into(),
        format!("{print_ms:.1}"),
        format!("{:.2}x", print_ms / ms(write)),
    ]);
    table.row(vec![
        "bare atomic write of the same bytes (reference)".into(),
        format!("{:.1}", ms(write)),
        "1.00x".into(),
    ]);
    table.print(&[format!(
        "Goal 5 (issue 19): save ≤ 3x a bare atomic write of the same bytes (temporary file, fsync, rename, fsync of the folder): {ratio}, {met}. Median of {rounds} rounds after a warm-up."
    )]);
    Ok(())
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
    // A tenth of them (plan-000 to plan-019), to see whether the peak grows with the files.
    let tenth = shell(
        r#"exec "$1" check "$2"/plan-00*.toml "$2"/plan-01*.toml > /dev/null"#,
        &args,
    );
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
    let rounds = 3;
    let [one_call, tenth, single, sequential, two_wide] =
        measure([&one_call, &tenth, &single, &sequential, &two_wide], rounds)?;
    // Throughput is files per second: a ratio of times the other way round.
    let speedup = sequential.ms() / one_call.ms();
    let loop_ratio = format!("{speedup:.2}x");
    let loop_met = if speedup >= 1.5 { "met" } else { "missed" };
    let two_ratio = format!("{:.2}x", two_wide.ms() / one_call.ms());
    // Bounded by the largest file: no growth with the number of files (two are read at a
    // time, one per core, so the bound is about twice one file's check).
    let (growth, memory_met) = memory_against(&one_call, &tenth, 1.1);
    let (to_one, _) = memory_against(&one_call, &single, f64::INFINITY);
    let mut table = Table::new(
        &format!(
            "Whole process: `scplan check` of {MANY} medium plans ({:.1} MB each)",
            text.len() as f64 / 1e6
        ),
        &command("many"),
        &[
            "command",
            "ms",
            "peak MB",
            "the one call's throughput to it",
        ],
    );
    row(
        &mut table,
        "`scplan check plan-*.toml` (one call)",
        one_call.ms(),
        &one_call,
        "-",
    );
    let loop_line = "`for f in plan-*.toml; do scplan check $f; done`";
    row(
        &mut table,
        loop_line,
        sequential.ms(),
        &sequential,
        &loop_ratio,
    );
    let xargs = "`ls plan-*.toml | xargs -P 2 -n 1 scplan check`";
    row(&mut table, xargs, two_wide.ms(), &two_wide, &two_ratio);
    row(
        &mut table,
        &format!("`scplan check` of {} of them (one call)", MANY / 10),
        tenth.ms(),
        &tenth,
        "-",
    );
    row(
        &mut table,
        "`scplan check plan-000.toml` (one file)",
        single.ms(),
        &single,
        "-",
    );
    table.print(&[format!(
        "Goal 6 (issue 19): memory bounded by the largest file (the one call's peak over {MANY} files against {} files: {growth}, ≤ 1.1x: {memory_met}; two files are read at a time, one per core: {to_one} one file's check), both cores used, throughput ≥ 1.5x a shell loop on 2 cores (one call against the loop of single calls: {loop_ratio}, {loop_met}; against two single calls at a time: {two_ratio}). Median of {rounds} rounds.",
        MANY / 10
    )]);
    Ok(())
}
