//! `scplan check --format json`: one document, exactly the shape PLAN-FORMAT.md specifies.

use serde_json::{Value, json};

use super::{FileReport, Summary};
use crate::check::diagnostic::Diagnostic;

/// The message of a diagnostic as one sentence that also carries its hint.
pub fn full_message(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}; {help}", d.message),
        None => d.message.to_string(),
    }
}

/// One diagnostic as a JSON object.
pub fn diagnostic(d: &Diagnostic) -> Value {
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": full_message(d),
        "item": &*d.item,
        "line": d.loc.line,
        "column": d.loc.column,
        "waived": d.waived,
    })
}

/// The whole report.
pub fn render(files: &[FileReport]) -> String {
    let files_json: Vec<Value> = files
        .iter()
        .map(|f| match &f.outcome {
            Ok(checked) => json!({
                "file": f.path,
                "diagnostics": checked.diagnostics.iter().map(diagnostic).collect::<Vec<_>>(),
            }),
            Err(error) => json!({"file": f.path, "error": error, "diagnostics": []}),
        })
        .collect();
    let s = Summary::of_files(files);
    let doc = json!({
        "version": 1,
        "files": files_json,
        "summary": {"errors": s.errors, "warnings": s.warnings, "infos": s.infos, "waived": s.waived},
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
