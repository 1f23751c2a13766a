//! `scplan check --format sarif`: SARIF 2.1.0, for code-scanning tools in pipelines.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::FileReport;
use super::json::full_message;
use crate::check::registry::Severity;
use crate::check::registry::{CATALOGUE_VERSION, RULES};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference (RFC 3986): every byte but the unreserved characters and `/`
/// percent-encoded, so that a space, a `#` (read as a fragment) or a `:` (read as a scheme,
/// `HEAD:plan.toml`) in a file name stays part of the path.
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The whole run as one SARIF log.
pub fn render(files: &[FileReport]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.why},
                "help": {"text": format!("{}\n\nHow to fix: {}", r.why, r.fix)},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for file in files {
        match &file.outcome {
            Ok(checked) => {
                for d in &checked.diagnostics {
                    let mut result = json!({
                        "ruleId": d.code,
                        "ruleIndex": RULES.iter().position(|r| r.code == d.code).unwrap_or(0),
                        "level": level(d.severity),
                        "message": {"text": full_message(d)},
                        "locations": [{
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri_reference(&file.path)},
                                "region": {
                                    "startLine": d.loc.line,
                                    "startColumn": d.loc.column,
                                    "endColumn": d.loc.column + d.loc.len,
                                },
                            },
                            "logicalLocations": [{"name": &*d.item}],
                        }],
                    });
                    if d.waived {
                        result["suppressions"] = json!([{
                            "kind": "inSource",
                            "justification": "waived by a [[waiver]] in the plan",
                        }]);
                    }
                    results.push(result);
                }
            }
            Err(error) => notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {error}", file.path)},
            })),
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "scplan",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "properties": {"ruleCatalogueVersion": CATALOGUE_VERSION},
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
