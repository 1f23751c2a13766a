//! Rename: an id or country code, with every reference to it, through the editing core's
//! [`rename_edits`] (the same references the terminal editor follows).

use std::collections::HashMap;
use std::ops::Range;

use lsp_types::{Uri, WorkspaceEdit};

use super::cursor::Cursor;
use super::navigation::id_at;
use super::position::Positions;
use crate::edit::rename_refs::{RenameError, rename_edits};
use crate::plan::model::Plan;

/// The bytes of the id under the cursor that a rename would change, and the id: only where
/// the rename changes it (an id, a link, a stamp's key, a waiver's item), not a mention of
/// it in a text or a comment, which navigation follows but a rename leaves as written.
pub fn prepare(
    positions: &Positions<'_>,
    plan: &Plan,
    cursor: &Cursor,
) -> Option<(Range<usize>, String)> {
    renamable(positions, plan, cursor).map(|(range, id)| (range, id.to_string()))
}

/// [`prepare`]'s id, borrowed from the cursor.
fn renamable<'c>(
    positions: &Positions<'_>,
    plan: &Plan,
    cursor: &'c Cursor,
) -> Option<(Range<usize>, &'c str)> {
    let (range, id, found) = id_at(positions.index, plan, cursor)?;
    found
        .iter()
        .any(|o| o.range.start <= cursor.offset && cursor.offset <= o.range.end)
        .then_some((range, id))
}

/// The workspace edit that renames the id under the cursor to `new`: `Ok(None)` when the
/// cursor is on no id of the plan that a rename changes ([`prepare`]).
pub fn rename(
    positions: &Positions<'_>,
    plan: &Plan,
    cursor: &Cursor,
    uri: &Uri,
    new: &str,
) -> Result<Option<WorkspaceEdit>, RenameError> {
    let Some((_, old)) = renamable(positions, plan, cursor) else {
        return Ok(None);
    };
    let edits = rename_edits(positions.index, plan, old, new)?
        .into_iter()
        .map(|e| lsp_types::TextEdit {
            range: positions.range(e.range),
            new_text: e.new_text,
        })
        .collect();
    Ok(Some(WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }))
}
