//! `scplan check`: every rule over one or more plans, reported for people, as JSON or SARIF.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;

use scplan::check::{self, Settings};
use scplan::report::{self, FileReport, Summary, human};

use super::args::Format;
use super::exit::Code;
use super::files::{Input, read_input_or_message};
use super::output::print;

/// Checks `files` and prints the report: exit 2 when a file could not be checked, 1 when a
/// plan has errors (or unwaived warnings, with `deny_warnings`).
pub fn run(
    files: &[PathBuf],
    format: Format,
    deny_warnings: bool,
    settings: &Settings,
    mono: bool,
) -> Result<Code> {
    // This command only reads and reports, then exits: parse trees need not be freed.
    scplan::plan::load::keep_parse_trees();
    let reports: Vec<FileReport> = files
        .iter()
        .map(|file| {
            let outcome = read_input_or_message(&Input::of(file))
                .and_then(|bytes| check::check_vec(bytes, settings).map_err(|e| e.to_string()));
            FileReport {
                path: file.display().to_string(),
                outcome,
            }
        })
        .collect();
    let text = match format {
        Format::Json => report::json::render(&reports),
        Format::Sarif => report::sarif::render(&reports),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && !mono;
            human::render(&reports, human::Style { color })
        }
    };
    print(&text)?;
    let summary = Summary::of_files(&reports);
    let code = if reports.iter().any(|r| r.outcome.is_err()) {
        Code::Usage
    } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        Code::Findings
    } else {
        Code::Ok
    };
    // The process exits next: freeing every plan, text and report one allocation at a time
    // would only delay that (the operating system takes the memory back at once).
    std::mem::forget(reports);
    std::mem::forget(text);
    Ok(code)
}
