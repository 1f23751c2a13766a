//! `scplan check`: every rule over one or more plans, reported for people, as JSON or SARIF.
//! Many files are checked on every core, each file's plan and text let go as soon as its part
//! of the report is made (the parse's largest buffers kept for the thread's next file), so that
//! memory stays that of the largest files; the report is the same as checking them one after
//! the other.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;

use scplan::check::{self, Checked, Settings};
use scplan::report::{self, FileReport, Summary, human};

use super::args::Format;
use super::exit::Code;
use super::files::{Input, read_input_or_message};
use super::output::print;
use scplan::parallel;

/// Checks `files` and prints the report: exit 2 when a file could not be checked, 1 when a
/// plan has errors (or unwaived warnings, with `deny_warnings`).
pub fn run(
    files: &[PathBuf],
    format: Format,
    deny_warnings: bool,
    settings: &Settings,
    mono: bool,
) -> Result<Code> {
    // With one file, the command only reads, reports and exits: its parse trees and plan need
    // not be freed. With many, each file's go as soon as it is done.
    let one = files.len() == 1;
    if one {
        scplan::plan::load::keep_parse_trees();
    } else {
        scplan::plan::spare::reuse_buffers();
    }
    let style = human::Style {
        color: std::io::stdout().is_terminal() && !mono,
    };
    let done = parallel::in_order(files.len(), |i| {
        let file = &files[i];
        let outcome = read_input_or_message(&Input::of(file))
            .and_then(|bytes| check::check_vec(bytes, settings).map_err(|e| e.to_string()))
            .map(check::Checked::shown);
        let report = FileReport {
            path: file.display().to_string(),
            outcome,
        };
        // Only the human report shows source lines: it is made while the text is here.
        let mut part = String::new();
        if format == Format::Human {
            human::render_report(&mut part, &report, style);
        }
        (part, diagnostics_only(report, one))
    });
    let (parts, reports): (Vec<String>, Vec<FileReport>) = done.into_iter().unzip();
    let text = match format {
        Format::Json => report::json::render(&reports),
        Format::Sarif => report::sarif::render(&reports),
        Format::Human => parts.concat() + &human::render_summary(&reports, style),
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
    // The process exits next: freeing every report and the text one allocation at a time
    // would only delay that (the operating system takes the memory back at once).
    std::mem::forget(reports);
    std::mem::forget(text);
    Ok(code)
}

/// The report with only what the JSON and SARIF reports and the summary read: the
/// diagnostics. The plan and the text are freed here, on the worker, or with `forget` left to
/// the exit (a single file, whose process ends next).
fn diagnostics_only(report: FileReport, forget: bool) -> FileReport {
    let outcome = report.outcome.map(|checked| {
        let Checked {
            plan,
            diagnostics,
            text,
        } = checked;
        if forget {
            std::mem::forget(plan);
            std::mem::forget(text);
        }
        Checked {
            plan: None,
            diagnostics,
            text: String::new(),
        }
    });
    FileReport {
        path: report.path,
        outcome,
    }
}
