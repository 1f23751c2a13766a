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

/// The bytes of the id under the cursor that a rename would change, and the id.
pub fn prepare(
    positions: &Positions<'_>,
    plan: &Plan,
    cursor: &Cursor,
) -> Option<(Range<usize>, String)> {
    let (range, id, _) = id_at(positions.index, plan, cursor)?;
    Some((range, id.to_string()))
}

/// The workspace edit that renames the id under the cursor to `new`: `Ok(None)` when the
/// cursor is on no id of the plan.
pub fn rename(
    positions: &Positions<'_>,
    plan: &Plan,
    cursor: &Cursor,
    uri: &Uri,
    new: &str,
) -> Result<Option<WorkspaceEdit>, RenameError> {
    let Some((_, old, _)) = id_at(positions.index, plan, cursor) else {
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
