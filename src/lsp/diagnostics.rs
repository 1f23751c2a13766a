//! scplan's diagnostics as the protocol's: the code, the severity (a waived one as a hint),
//! the message with its `help:` and the rule's summary, and related places (the other
//! occurrences of a repeated id, the portions that raise the banner). No `codeDescription`:
//! it would point at a page outside the workstation; hovering the code gives the rule's
//! explanation instead.

use std::collections::HashMap;

use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};

use super::position::Positions;
use crate::check::diagnostic::Diagnostic;
use crate::check::registry::{self, Severity};
use crate::edit::rename_refs::definitions as definitions_of;
use crate::plan::marking;
use crate::plan::model::{Field, Loc, Plan};

/// At most this many related places per diagnostic.
const MAX_RELATED: usize = 20;

/// What the related places of a plan's diagnostics are read from, gathered once for all of
/// them (a plan pasted twice repeats hundreds of ids: a search of the plan per diagnostic
/// would take seconds).
pub struct Related<'p> {
    /// Where each id or country code is defined, in document order.
    definitions: HashMap<&'p str, Vec<Loc>>,
    /// The marking fields of the portions at the highest level among them.
    top_portions: Vec<&'p Field<String>>,
}

impl<'p> Related<'p> {
    /// The places `diagnostics` of `plan` need: nothing is gathered that none of them uses.
    pub fn of(plan: &'p Plan, diagnostics: &[&Diagnostic]) -> Related<'p> {
        let wants = |code: &str| diagnostics.iter().any(|d| d.code == code);
        let mut definitions: HashMap<&'p str, Vec<Loc>> = HashMap::new();
        if wants("SCP005") {
            for (field, ..) in definitions_of(plan) {
                if let Some(id) = field.value.as_deref() {
                    definitions.entry(id).or_default().push(field.loc);
                }
            }
        }
        let mut top_portions = Vec::new();
        if wants("SCP202") {
            let markings: Vec<(&Field<String>, marking::Marking)> = plan
                .portions()
                .into_iter()
                .filter_map(|p| {
                    let field = p.portion.marking.as_ref()?;
                    let m = marking::parse_portion(field.value.as_deref()?).ok()?;
                    Some((field, m))
                })
                .collect();
            if let Some(top) = markings.iter().map(|(_, m)| m.level).max() {
                top_portions = markings
                    .into_iter()
                    .filter(|(_, m)| m.level == top)
                    .map(|(f, _)| f)
                    .collect();
            }
        }
        Related {
            definitions,
            top_portions,
        }
    }
}

/// The protocol's diagnostic for `d`; `related` (when the plan's content may be shown) gives
/// the related places.
pub fn to_lsp(
    d: &Diagnostic,
    positions: &Positions<'_>,
    uri: &Uri,
    related: Option<&Related<'_>>,
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
    let related = related.map(|r| places(d, positions, uri, r));
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

/// The places related to `d`: for a repeated id (SCP005) its other definitions; for a
/// banner below its roll-up (SCP202) the portions at the roll-up's level.
fn places(
    d: &Diagnostic,
    positions: &Positions<'_>,
    uri: &Uri,
    related: &Related<'_>,
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
        "SCP005" => related
            .definitions
            .get(&*d.item)
            .into_iter()
            .flatten()
            .map(|loc| positions.loc_range(*loc))
            .filter(|r| r.start.line != here.start.line)
            .take(MAX_RELATED)
            .map(|r| place(r, format!("`{}` is also used here", d.item)))
            .collect(),
        "SCP202" => related
            .top_portions
            .iter()
            .take(MAX_RELATED)
            .map(|f| {
                let text = f.value.as_deref().unwrap_or_default();
                place(
                    positions.loc_range(f.loc),
                    format!("this portion is marked {text}"),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_text};
    use crate::lsp::position::Encoding;
    use crate::plan::source::LineIndex;

    #[test]
    fn a_repeated_id_points_at_its_other_definitions() {
        let sample = include_str!("../../plans/eucom-sample.toml");
        let start = sample.find("[[country]]\ncode = \"DEU\"").unwrap();
        let end = sample[start + 1..]
            .find("[[country]]")
            .map_or(sample.len(), |e| e + start + 1);
        let text = format!("{sample}\n{}", &sample[start..end]);
        let checked = check_text(text.clone(), &Settings::default());
        let plan = checked.plan.as_ref().unwrap();
        let index = LineIndex::new(&text);
        let positions = Positions {
            index: &index,
            encoding: Encoding::Utf16,
        };
        let list: Vec<&Diagnostic> = checked.diagnostics.iter().collect();
        let related = Related::of(plan, &list);
        let uri: Uri = "file:///p.toml".parse().unwrap();
        let repeated: Vec<&&Diagnostic> = list.iter().filter(|d| d.code == "SCP005").collect();
        assert!(repeated.len() > 3, "{}", repeated.len());
        for d in repeated {
            let lsp = to_lsp(d, &positions, &uri, Some(&related));
            let places = lsp.related_information.expect("the other definition");
            assert_eq!(places.len(), 1, "{}", d.item);
            // The first definition, in the sample's own DEU section.
            let first = text
                .find(&format!("id = \"{}\"", d.item))
                .or_else(|| text.find(&format!("code = \"{}\"", d.item)))
                .unwrap();
            let line = index.loc(first..first + 1).line - 1;
            assert_eq!(places[0].location.range.start.line, line, "{}", d.item);
        }
    }
}
