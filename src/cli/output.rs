//! What the commands write: their output on standard output, notes and diagnostics on
//! standard error.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Result;

use scplan::check::Checked;
use scplan::check::diagnostic::Diagnostic;
use scplan::report::{FileReport, human};
use scplan::store::SaveReport;

/// Writes text to standard output.
pub fn print(text: &str) -> Result<()> {
    write_bytes(text.as_bytes())
}

/// Writes bytes to standard output and flushes them, so that a failed write is an error.
pub fn write_bytes(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// Tells what a save could not keep (an owner, an extended attribute).
pub fn print_notes(report: &SaveReport) {
    for note in &report.notes {
        eprintln!(
            "scplan: note: {}: {}",
            scplan::text::sanitize(&report.written.display().to_string()),
            scplan::text::sanitize(note)
        );
    }
}

/// Lists the diagnostics of a check that `keep` selects on standard error, rustc-style, and
/// the summary of all of them (as `check` gives it), saying how many are listed when that is
/// not all.
pub fn list_on_stderr(
    file: &Path,
    mut checked: Checked,
    keep: impl Fn(&Diagnostic) -> bool,
    mono: bool,
) {
    // The plan is not listed: it is freed aside while the diagnostics are.
    scplan::parallel::drop_aside(checked.plan.take());
    let checked = checked.shown();
    let all = checked.diagnostics.len();
    let color = std::io::stderr().is_terminal() && !mono;
    let style = human::Style { color };
    let mut reports = [FileReport {
        path: file.display().to_string(),
        outcome: Ok(checked),
    }];
    let summary = human::render_summary(&reports, style);
    let Ok(checked) = &mut reports[0].outcome else {
        return;
    };
    checked.diagnostics.retain(|d| keep(d));
    let listed = checked.diagnostics.len();
    if listed > 0 {
        let mut out = String::new();
        human::render_report(&mut out, &reports[0], style);
        out.push_str(summary.trim_end());
        if listed < all {
            let plan = scplan::text::sanitize(&reports[0].path);
            out.push_str(&format!(
                "; {listed} listed above (`scplan check {plan}` lists every one)"
            ));
        }
        eprintln!("{out}");
    }
    scplan::parallel::drop_aside(reports);
}
