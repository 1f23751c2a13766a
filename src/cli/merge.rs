//! `scplan merge BASE OURS THEIRS`: git's merge driver. The merge is the library's
//! ([`scplan::merge`]); this reads the three files, refuses content above the system high,
//! falls back to git's line merge for what is not a plan, writes the result, and says on
//! standard error what was renamed, what conflicts and what new errors the merge brought.

use std::path::Path;

use anyhow::Result;

use scplan::check::diagnostic::Diagnostic;
use scplan::check::registry::Severity;
use scplan::check::{self, Checked, Clearance, Settings};
use scplan::merge::{self, Merged, Options};
use scplan::store::{self, OsFs, SaveOptions};
use scplan::text::sanitize;
use scplan::vcs::{self, LineMerge};

use super::exit::{Code, fail};
use super::files::read;
use super::output::{list_on_stderr, print_notes, write_bytes};

/// The fewest characters a conflict marker may have: shorter ones are not read back as
/// markers (by git, by `check`, by the editor's conflict view).
const MIN_MARKER_SIZE: usize = 7;

/// The merge options the command line gives: `-L` labels in `git merge-file`'s order (ours,
/// base, theirs), a number among them being git's `%L` marker size; `--marker-size` wins.
/// More than three labels, or markers shorter than seven characters, are usage errors.
pub fn options(labels: &[String], marker_size: Option<usize>) -> Result<Options> {
    let mut options = Options::default();
    let (sizes, names): (Vec<&String>, Vec<&String>) =
        labels.iter().partition(|l| l.parse::<usize>().is_ok());
    if names.len() > 3 {
        return Err(fail(
            Code::Usage,
            format!(
                "{} labels given: -L takes at most three (ours, base, theirs)",
                names.len()
            ),
        ));
    }
    if let Some(size) = marker_size.or_else(|| sizes.last().and_then(|s| s.parse().ok())) {
        if size < MIN_MARKER_SIZE {
            return Err(fail(
                Code::Usage,
                format!(
                    "a conflict marker size of {size} would not be read back as markers: give {MIN_MARKER_SIZE} or more"
                ),
            ));
        }
        options.marker_size = size;
    }
    if let Some(ours) = names.first() {
        options.ours_label = ours.to_string();
    }
    if let Some(theirs) = names.get(2) {
        options.theirs_label = theirs.to_string();
    }
    Ok(options)
}

/// Merges `files` (base, ours, theirs) into `output` (standard output when `None`): exit 0
/// for a clean merge, 1 with conflicts, 2 when nothing was written.
pub fn run(
    files: [&Path; 3],
    output: Option<&Path>,
    options: Options,
    path: Option<&str>,
    settings: &Settings,
    mono: bool,
) -> Result<Code> {
    // This command merges, reports and exits: the checks' parse trees need not be freed.
    scplan::plan::load::keep_parse_trees();
    let [base, ours, theirs] = files;
    let name = path.map_or_else(|| ours.display().to_string(), str::to_string);
    let bytes = [read(base)?, read(ours)?, read(theirs)?];
    let merged = match merge::merge(&bytes[0], &bytes[1], &bytes[2], &options) {
        Ok(merged) => merged,
        Err(err) => {
            eprintln!(
                "scplan: {}: {err}; merging it line by line",
                sanitize(&name)
            );
            return line_merge(files, output, &options, &bytes, settings, &name);
        }
    };
    // Nothing above the system high is written: the clean result holds what is merged, a
    // conflicted one the text of both sides.
    let written: Vec<&[u8]> = if merged.conflicts.is_empty() {
        vec![&merged.bytes]
    } else {
        vec![&bytes[1], &bytes[2]]
    };
    let mut checks = checks_within_system_high(&written, settings, &name)?;
    write(output, &merged.bytes)?;
    report(&merged, &name);
    if !merged.conflicts.is_empty() {
        return Ok(Code::Findings);
    }
    if let Some(checked) = checks.pop() {
        list_new_errors(checked, [&bytes[1], &bytes[2]], &name, settings, mono);
    }
    Ok(Code::Ok)
}

/// The checks of the texts to be written (those that could be checked); exit 2, with
/// nothing written, when one holds a marking above the system high.
fn checks_within_system_high(
    texts: &[&[u8]],
    settings: &Settings,
    name: &str,
) -> Result<Vec<Checked>> {
    let checks: Vec<Checked> = texts
        .iter()
        .filter_map(|text| check::check_bytes(text, settings).ok())
        .collect();
    if checks
        .iter()
        .any(|c| Clearance::of(&c.diagnostics) == Clearance::Above)
    {
        return Err(fail(
            Code::Usage,
            format!(
                "{name}: a version holds a marking above the system high; nothing was merged or written (merge it on a workstation accredited for it)"
            ),
        ));
    }
    Ok(checks)
}

/// Git's line merge of the three files, for versions that are not plans or not TOML.
fn line_merge(
    files: [&Path; 3],
    output: Option<&Path>,
    options: &Options,
    bytes: &[Vec<u8>; 3],
    settings: &Settings,
    name: &str,
) -> Result<Code> {
    let [base, ours, theirs] = files;
    checks_within_system_high(&[&bytes[1], &bytes[2]], settings, name)?;
    let here = std::env::current_dir()?;
    let labels = LineMerge {
        labels: [&options.ours_label, "base", &options.theirs_label],
        marker_size: options.marker_size,
    };
    let (merged, conflicts) = vcs::merge_file(&here, [ours, base, theirs], &labels)
        .map_err(|e| fail(Code::Usage, e.to_string()))?;
    write(output, &merged)?;
    Ok(if conflicts { Code::Findings } else { Code::Ok })
}

/// Writes the result atomically to `output`, or to standard output.
fn write(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        None => write_bytes(bytes),
        Some(out) => {
            let report = store::save(&OsFs, out, bytes, SaveOptions::default())
                .map_err(|e| fail(Code::Usage, format!("not written: {e}")))?;
            print_notes(&report);
            Ok(())
        }
    }
}

/// Says what theirs' items were renamed to and where the conflicts are.
fn report(merged: &Merged, name: &str) {
    let name = sanitize(name);
    for r in &merged.renamings {
        let follow = match r.references {
            0 => String::new(),
            1 => "; 1 reference follows".to_string(),
            n => format!("; {n} references follow"),
        };
        eprintln!(
            "scplan: {name}: both sides added {} {}: theirs' is now {}{follow}",
            r.kind.noun(),
            sanitize(&r.old),
            sanitize(&r.new),
        );
    }
    for conflict in &merged.conflicts {
        eprintln!(
            "scplan: {name}: conflict: {}",
            sanitize(&conflict.to_string())
        );
    }
    if !merged.conflicts.is_empty() {
        eprintln!(
            "scplan: {name}: {} conflict(s) written with markers; edit them, then `scplan check`",
            merged.conflicts.len()
        );
    }
}

/// Lists the errors of the merged plan that neither side had: the merge still succeeds, and
/// they are for the planner to fix.
fn list_new_errors(
    checked: Checked,
    sides: [&[u8]; 2],
    name: &str,
    settings: &Settings,
    mono: bool,
) {
    let has_errors = checked
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && !d.waived);
    if !has_errors {
        return;
    }
    let before: Vec<Checked> = sides
        .iter()
        .filter_map(|side| check::check_bytes(side, settings).ok())
        .collect();
    let empty = Vec::new();
    let side = |i: usize| before.get(i).map_or(&empty, |c| &c.diagnostics);
    let new = merge::new_errors(&checked.diagnostics, [side(0), side(1)]);
    if new.is_empty() {
        return;
    }
    eprintln!(
        "scplan: {}: the merge is done, and the merged plan has {} new error(s):",
        sanitize(name),
        new.len()
    );
    let is_new = |d: &Diagnostic| {
        new.iter().any(|n| {
            n.code == d.code && n.item == d.item && n.loc == d.loc && n.message == d.message
        })
    };
    list_on_stderr(Path::new(name), checked, is_new, mono);
}
