//! `scplan export`: a plan that passes `check` as HTML, Markdown, JSON, a CSV matrix, Word or
//! Excel, on standard output (never a binary one on a terminal) or saved atomically to a file.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;

use scplan::check::Settings;
use scplan::check::diagnostic::Diagnostic;
use scplan::check::registry::Severity;
use scplan::export;
use scplan::store::{self, OsFs, StoreError};

use super::exit::{Code, fail};
use super::files::{Input, read_input};
use super::output::{list_on_stderr, print_notes, write_bytes};

/// Exports `file` as `request` asks, to `output` (replaced only with `force`) or standard
/// output, a partner copy's release record to `record` (else beside the output). A refusal
/// for what the plan holds lists it and exits 1; a bad request exits 2.
pub fn run(
    file: &Path,
    output: Option<&Path>,
    record: Option<&Path>,
    force: bool,
    request: export::Request,
    settings: &Settings,
    mono: bool,
) -> Result<Code> {
    if let Some(code) = &request.releasable_to {
        export::partner_code(code).map_err(|e| fail(Code::Usage, e.to_string()))?;
    }
    // A binary file on a terminal is noise that can upset it: it goes to a file or a pipe.
    if output.is_none() && request.format.is_binary() && std::io::stdout().is_terminal() {
        let format = request.format.name();
        return Err(fail(
            Code::Usage,
            format!("a {format} export is binary: give -o FILE, or redirect standard output"),
        ));
    }
    let partner = request.releasable_to.is_some();
    let input = Input::of(file);
    // A revision's plan is the working file too: an output must not replace it either.
    let plan = input.working_file();
    let outputs = store::export_outputs(&OsFs, &plan, output, record, partner, force)
        .map_err(output_error)?;
    let bytes = read_input(&input)?;
    let exported = export::export(&bytes, settings, &request).map_err(|err| {
        // A refusal for what the plan holds lists it; anything else is a usage problem.
        let code = match err.checked() {
            Some(checked) => {
                list_on_stderr(file, checked.clone(), |d| err.concerns(d), mono);
                Code::Findings
            }
            None => Code::Usage,
        };
        fail(code, err.of_file(&file.display().to_string()))
    })?;
    // A draft lists the errors it carries; any export lists the warnings nobody waived.
    let unwaived_problem = |d: &Diagnostic| !d.waived && d.severity != Severity::Info;
    list_on_stderr(file, exported.checked, unwaived_problem, mono);
    let record = exported.release_record.as_deref();
    let reports = outputs.write(&OsFs, &plan, &exported.bytes, record, force);
    for report in reports.map_err(output_error)? {
        print_notes(&report);
    }
    let shown = |path: &Path| scplan::text::sanitize(&path.display().to_string());
    if let Some(out) = &outputs.copy {
        let (plan, format) = (shown(file), request.format.name());
        eprintln!("scplan: exported {plan} as {format} to {}", shown(out));
    }
    if let Some(record) = &outputs.record {
        eprintln!("scplan: the release record is in {}", shown(record));
    }
    if outputs.copy.is_none() {
        write_bytes(&exported.bytes)?;
    }
    Ok(Code::Ok)
}

/// Why an export's output was not written, with what the user can do about it.
fn output_error(err: StoreError) -> anyhow::Error {
    match err {
        StoreError::Exists { .. } => fail(Code::Usage, format!("{err}; add --force to replace it")),
        StoreError::IsThePlan { .. } => fail(Code::Usage, err.to_string()),
        other => fail(Code::Usage, format!("not exported: {other}")),
    }
}
