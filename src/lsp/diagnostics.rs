//! scplan's diagnostics as the protocol's: the code, the severity (a waived one as a hint),
//! the message with its `help:` and the rule's summary, and related places (the other
//! occurrences of a repeated id, the portions that raise the banner). No `codeDescription`:
//! it would point at a page outside the workstation; hovering the code gives the rule's
//! explanation instead.

use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};

use super::position::Positions;
use crate::check::diagnostic::Diagnostic;
use crate::check::registry::{self, Severity};
use crate::edit::rename_refs::occurrences;
use crate::plan::marking;
use crate::plan::model::{Field, Plan};

/// At most this many related places per diagnostic.
const MAX_RELATED: usize = 20;

/// The protocol's diagnostic for `d`; `plan` (when its content may be shown) gives the
/// related places.
pub fn to_lsp(
    d: &Diagnostic,
    positions: &Positions<'_>,
    uri: &Uri,
    plan: Option<&Plan>,
) -> LspDiagnostic {
    let severity = match (d.waived, d.severity) {
        (true, _) => DiagnosticSeverity::HINT,
        (false, Severity::Error) => DiagnosticSeverity::ERROR,
        (false, Severity::Warning) => DiagnosticSeverity::WARNING,
        (false, Severity::Info) => DiagnosticSeverity::INFORMATION,
    };
    let mut message = if d.waived {
        format!("(waived) {}", d.message)
    } else {
        d.message.to_string()
    };
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(rule) = registry::find(d.code) {
        message.push_str(&format!("\nrule: {}", rule.summary));
    }
    let related = plan.map(|plan| related(d, positions, uri, plan));
    LspDiagnostic {
        range: positions.loc_range(d.loc),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some("scplan".to_string()),
        message,
        related_information: related.filter(|r| !r.is_empty()),
        tags: None,
        data: None,
    }
}

/// The places related to `d`: for a repeated id (SCP005) its other occurrences; for a
/// banner below its roll-up (SCP202) the portions at the roll-up's level.
fn related(
    d: &Diagnostic,
    positions: &Positions<'_>,
    uri: &Uri,
    plan: &Plan,
) -> Vec<DiagnosticRelatedInformation> {
    let place = |range, message: String| DiagnosticRelatedInformation {
        location: Location {
            uri: uri.clone(),
            range,
        },
        message,
    };
    let here = positions.loc_range(d.loc);
    match d.code {
        "SCP005" => occurrences(positions.index, plan, &d.item)
            .into_iter()
            .filter(|o| o.definition)
            .map(|o| positions.range(o.range))
            .filter(|r| r.start.line != here.start.line)
            .take(MAX_RELATED)
            .map(|r| place(r, format!("`{}` is also used here", d.item)))
            .collect(),
        "SCP202" => {
            let markings: Vec<(&Field<String>, marking::Marking)> = plan
                .portions()
                .into_iter()
                .filter_map(|p| {
                    let field = p.portion.marking.as_ref()?;
                    let m = marking::parse_portion(field.value.as_deref()?).ok()?;
                    Some((field, m))
                })
                .collect();
            let Some(top) = markings.iter().map(|(_, m)| m.level).max() else {
                return Vec::new();
            };
            markings
                .iter()
                .filter(|(_, m)| m.level == top)
                .take(MAX_RELATED)
                .map(|(f, _)| {
                    let text = f.value.as_deref().unwrap_or_default();
                    place(
                        positions.loc_range(f.loc),
                        format!("this portion is marked {text}"),
                    )
                })
                .collect()
        }
        _ => Vec::new(),
    }
}
