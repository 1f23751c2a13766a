//! Everything a user can ask the editor to do. Keys map to these (see `keymap`), and `update`
//! is the only code that turns them into changes of state.

use serde::{Deserialize, Serialize};

/// One user intention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Show or hide the help overlay.
    Help,
    /// Quit, asking first when there are unsaved changes.
    Quit,
    /// Say how to quit (the interrupt key does not quit an editor with unsaved work).
    QuitHint,
    /// Save the plan.
    Save,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Open the command palette: every action, every item.
    Palette,
    /// Left: the previous priority in the matrix, the previous pane elsewhere.
    Left,
    /// Right: the next priority in the matrix, the next pane elsewhere.
    Right,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Move the selection a page up.
    PageUp,
    /// Move the selection a page down.
    PageDown,
    /// Go to the first row of the list (the first priority in the matrix).
    First,
    /// Go to the last row of the list (the last priority in the matrix).
    Last,
    /// The prefix key: the next key says where to go.
    Go,
    /// After the prefix key: the first row of the list.
    GoFirst,
    /// Scroll the diagnostics pane down.
    DetailDown,
    /// Scroll the diagnostics pane up.
    DetailUp,
    /// Open the selected item or edit the selected field.
    Open,
    /// Go back or cancel.
    Back,
    /// Add an item where the selection is.
    Add,
    /// Delete the selected item (asks first).
    Delete,
    /// Duplicate the selected item with a fresh id.
    Duplicate,
    /// Move the selected item up in its list.
    MoveUp,
    /// Move the selected item down in its list.
    MoveDown,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Search ids and text.
    Search,
    /// Go to the next search match.
    NextMatch,
    /// Go to the previous search match.
    PrevMatch,
    /// Go to the next diagnostic.
    NextDiagnostic,
    /// Go to the previous diagnostic.
    PrevDiagnostic,
    /// Edit the priority links of the selected objective.
    Link,
    /// Apply the quick fix of the current diagnostic.
    QuickFix,
    /// Waive the current warning or info (asks for a reason).
    Waive,
    /// Export the plan.
    Export,
    /// Show the plan view.
    ViewPlan,
    /// Show the countries view.
    ViewCountries,
    /// Show the coverage matrix.
    ViewMatrix,
    /// Show all diagnostics.
    ViewDiagnostics,
    /// Show the review queue (suspect and unstamped links).
    ViewReview,
    /// Show the changes since a revision (`HEAD`, or `--since REV`); again: read it anew.
    ViewChanges,
    /// In the conflict view: resolve the selected conflict with ours.
    TakeOurs,
    /// In the conflict view: resolve it with theirs.
    TakeTheirs,
    /// In the conflict view: resolve it with both (arrays as a set).
    TakeBoth,
    /// In the conflict view: edit the block's text.
    EditConflict,
    /// In the review queue: confirm the selected link.
    ConfirmLink,
    /// In the review queue: confirm every link to the selected link's priority.
    ConfirmPriority,
    /// In a picker: the previous option.
    PickerUp,
    /// In a picker: the next option.
    PickerDown,
    /// In a multi-select picker: select or unselect the option.
    Toggle,
    /// In a picker: accept.
    Accept,
    /// In a picker: cancel.
    Cancel,
    /// In a text field: commit a single-line field.
    Commit,
    /// In a text field: commit a multi-line field.
    CommitMultiline,
    /// In a text field: cancel the edit.
    CancelEdit,
    /// In a text field: clear it.
    ClearText,
    /// In a text field: undo the last change to its text.
    UndoText,
    /// In a text field: redo what was undone.
    RedoText,
    /// In a question: yes.
    Yes,
    /// In a question: no.
    No,
    /// In a question: cancel.
    Dismiss,
}
