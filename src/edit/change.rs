//! What the editing functions return: an edit and what it does, in words.

use crate::plan::document::Edit;

/// An edit to apply as one undo step, with what it does for the user to read.
#[derive(Debug, Clone)]
pub struct Change {
    /// The edit (a batch when several tables change together).
    pub edit: Edit,
    /// What it does, e.g. "deleted priority SP-2".
    pub message: String,
}

impl Change {
    /// A change of `edit` described by `message`.
    pub fn new(edit: Edit, message: impl Into<String>) -> Change {
        Change {
            edit,
            message: message.into(),
        }
    }
}
