//! Code actions: the quick fixes of the diagnostics on the lines asked about, each a
//! workspace edit of the lines it changes (the fixes themselves are the editing core's, in
//! [`crate::edit::text_fixes`], for every front end).

use std::collections::HashMap;

use jiff::civil::Date;
use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Uri, WorkspaceEdit};

use super::diagnostics;
use super::documents::Document;
use super::position::Positions;
use crate::check::diagnostic::Diagnostic;
use crate::edit::text_fixes::{FixContext, fixes};

/// The quick fixes of the diagnostics whose lines meet `lines` (0-based, inclusive).
pub fn actions(
    doc: &Document,
    uri: &Uri,
    positions: &Positions<'_>,
    lines: (u32, u32),
    today: Date,
) -> Vec<CodeActionOrCommand> {
    let Some(plan) = doc.plan() else {
        return Vec::new();
    };
    let cx = FixContext {
        index: positions.index,
        plan,
        today,
    };
    let mut out = Vec::new();
    let in_range: Vec<&Diagnostic> = doc
        .current_diagnostics()
        .iter()
        .filter(|d| {
            let range = positions.loc_range(d.loc);
            range.end.line >= lines.0 && range.start.line <= lines.1
        })
        .collect();
    let related = diagnostics::Related::of(plan, &in_range);
    for d in in_range {
        let diagnostic = diagnostics::to_lsp(d, positions, uri, Some(&related));
        for fix in fixes(&cx, d) {
            let edits = fix
                .edits
                .into_iter()
                .map(|e| lsp_types::TextEdit {
                    range: positions.range(e.range),
                    new_text: e.new_text,
                })
                .collect();
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(fix.preferred),
                ..CodeAction::default()
            }));
        }
    }
    out
}
