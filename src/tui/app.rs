//! The editor's state: the open plan (document, derived plan, diagnostics), what is selected,
//! what is open on top (help, a picker, a text field, a question), and the undo history.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use ratatui::layout::Rect;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::keymap::Keymap;
use super::rows;
use crate::check::Settings;
use crate::check::diagnostic::Diagnostic;
use crate::check::live::{LivePlan, Parsing};
use crate::edit::change::Change;
use crate::edit::links::LinkOption;
use crate::edit::review::queued_at;
use crate::env::Env;
use crate::merge::markers::{Block, Conflicted};
use crate::plan::document::{DocumentError, Edit, EditError, PlanDocument};
use crate::plan::model::Node;
use crate::plan::source::Layout;
use crate::report::Summary;
use crate::store::panic::Snapshot;
use crate::store::{ContentHash, FileSystem, Lock};
use crate::text::{needs_escape, stand_in};
use crate::vcs::stamps::ReviewedText;

/// The whole editor.
pub struct App {
    /// Keys and the help they generate.
    pub keymap: Keymap,
    /// No colour (NO_COLOR or `theme = "mono"`).
    pub mono: bool,
    /// System high and other check settings.
    pub settings: Settings,
    /// The environment: "today" from the injected clock, the time to stamp on exports.
    pub env: Env,
    /// Where exports go from the editor (relative to the plan's folder); `None`: that folder.
    pub export_dir: Option<PathBuf>,
    /// The file system (injected: tests make a folder read-only or a disk full).
    pub fs: Arc<dyn FileSystem>,
    /// The unsaved plan as the panic hook would save it, kept current by `tick`.
    pub snapshot: Arc<Mutex<Option<Snapshot>>>,
    /// What the screen shows.
    pub screen: Screen,
    /// Set when the user has quit.
    pub should_quit: bool,
    /// The revision the changes view compares with (`--since`); `None`: `HEAD`.
    pub since: Option<String>,
    /// The editor takes the mouse (`mouse` in the config file).
    pub mouse: bool,
    /// Where the last frame put the panes, for the mouse (set by the run loop after drawing).
    pub panes: Panes,
    /// When and where the last click was, to tell a double-click.
    pub last_click: Option<(Instant, u16, u16)>,
}

/// The screens.
pub enum Screen {
    /// Choosing a plan file to open.
    Files(FileList),
    /// A plan that does not parse: the error and the source around it.
    Broken(Broken),
    /// Editing a plan.
    Edit(Box<Session>),
    /// A plan with conflict markers: its conflicts to resolve before it opens.
    Conflicts(Box<Conflicts>),
    /// A large plan being opened in the background.
    Loading(Loading),
}

/// How one conflict was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// In words: `ours`, `theirs`, `both`, `edited`.
    pub how: &'static str,
    /// The lines that replace the block.
    pub text: String,
}

/// The conflicts of a file and their resolutions so far.
pub struct Conflicts {
    /// The plan file.
    pub path: PathBuf,
    /// The file's text in pieces (LF line endings, as the plan is read).
    pub conflicted: Conflicted,
    /// The conflicts, in file order.
    pub blocks: Vec<Block>,
    /// How the file is written back (line endings, BOM).
    pub layout: Layout,
    /// The file's content when read, so that a save never overwrites a later change.
    pub loaded: ContentHash,
    /// One per conflict: its resolution, if any.
    pub resolutions: Vec<Option<Resolution>>,
    /// The resolutions before each step, newest last: (conflict, what it had).
    pub undo: Vec<(usize, Option<Resolution>)>,
    /// The selected conflict.
    pub selected: usize,
    /// A text field or a question on top.
    pub modal: Option<Modal>,
    /// A message for the status line, and whether it reports a problem.
    pub message: Option<(String, bool)>,
    /// The editing lock; `None` when another scplan holds it.
    pub lock: Option<Lock>,
    /// Why the plan is read-only, when it is.
    pub read_only: Option<String>,
    /// The banner shown above and below: the higher of what either side's plan requires.
    pub banner: String,
    /// Its level, for its colour (`None`: not known).
    pub banner_level: Option<crate::plan::marking::Level>,
}

/// The rectangles of one frame of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The banner line at the top.
    pub top: Rect,
    /// Plan id, title and counts.
    pub header: Rect,
    /// The view.
    pub body: Rect,
    /// The diagnostics about the selection.
    pub detail: Rect,
    /// The key-hint bar or the status message.
    pub hints: Rect,
    /// The banner line at the bottom.
    pub bottom: Rect,
    /// The list on the left of the body (countries and plan views; else the whole body).
    pub left: Rect,
    /// The pane on the right of the body (section or form; else empty).
    pub right: Rect,
}

/// A plan being opened in the background ([`super::loading`]).
pub struct Loading {
    /// The plan file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: usize,
    /// When the open started.
    pub started: Instant,
    /// The opened screen, when it is ready.
    pub(crate) result: std::sync::mpsc::Receiver<Result<Screen, crate::store::StoreError>>,
}

/// The plan files offered when scplan starts without one.
pub struct FileList {
    /// The candidates.
    pub files: Vec<PathBuf>,
    /// The selected one.
    pub selected: usize,
    /// Why the last one chosen could not be opened.
    pub message: Option<String>,
}

/// A plan file that does not parse.
pub struct Broken {
    /// The file.
    pub path: PathBuf,
    /// The SCP001 diagnostic.
    pub diagnostic: Diagnostic,
    /// The text (lossy for invalid UTF-8), for the lines around the error.
    pub text: String,
}

/// The views of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Metadata, priorities, waivers.
    Plan,
    /// Countries and their sections.
    Countries,
    /// Countries x priorities.
    Matrix,
    /// Every diagnostic.
    Diagnostics,
    /// The links waiting for review.
    Review,
    /// What changed since a revision.
    Changes,
}

/// Which pane of a view has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// The list on the left (countries, plan rows).
    #[default]
    List,
    /// The section of the selected country.
    Section,
    /// The fields of the selected item.
    Form,
}

/// One option of a picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOption {
    /// The value it stands for (an id, a code, an enumeration value).
    pub value: String,
    /// What is shown.
    pub label: String,
    /// Selected (multi-select pickers).
    pub selected: bool,
}

impl PickOption {
    /// An option standing for `value`, shown as `label`, not selected.
    pub fn new(value: &str, label: &str) -> PickOption {
        PickOption {
            value: value.to_string(),
            label: label.to_string(),
            selected: false,
        }
    }
}

impl From<LinkOption> for PickOption {
    fn from(o: LinkOption) -> PickOption {
        PickOption {
            value: o.value,
            label: o.label,
            selected: o.selected,
        }
    }
}

/// What a picker's choice is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PickPurpose {
    /// Set an enumeration field.
    Field {
        /// The table.
        node: Node,
        /// The key.
        field: String,
    },
    /// Set a list of links.
    Links {
        /// The table.
        node: Node,
        /// The key.
        field: String,
    },
    /// Add a country section with the chosen code.
    AddCountry,
    /// Copy the section at this index for the country with the chosen code.
    CopyCountry(usize),
    /// Add an item of the chosen kind.
    AddItem,
    /// Jump to the chosen item (the options' order).
    Jump(Vec<Node>),
    /// Export in the chosen format.
    Export,
    /// The command palette: run the chosen action (the first options), or go to the chosen
    /// item (the rest).
    Palette {
        /// The actions, in the options' order.
        actions: Vec<crate::tui::action::Action>,
        /// The items, after them.
        nodes: Vec<Node>,
    },
    /// Cover a priority in a country: link the chosen S&T objective, or add one.
    Cover {
        /// The country's index.
        country: usize,
        /// The priority's id.
        priority: String,
    },
    /// Carry out the chosen fix of the diagnostic at this index (the options' values index
    /// its fixes).
    Fix(usize),
    /// What to do about a file changed on disk.
    OnDisk,
}

/// A list to choose from.
pub struct Picker {
    /// Its title.
    pub title: String,
    /// Every option.
    pub options: Vec<PickOption>,
    /// Several may be selected.
    pub multi: bool,
    /// Typing filters the options.
    pub filterable: bool,
    /// What has been typed.
    pub filter: String,
    /// The highlighted option, as an index into the filtered options.
    pub cursor: usize,
    /// What the choice is for.
    pub purpose: PickPurpose,
    /// A field to edit next, once the choice is accepted (one flow, such as a new S&T
    /// objective's priorities and then its technology areas).
    pub then: Option<(Node, String)>,
}

impl Picker {
    /// A picker of a single choice, without a filter, the first option highlighted.
    pub fn new(title: impl Into<String>, options: Vec<PickOption>, purpose: PickPurpose) -> Picker {
        Picker {
            title: title.into(),
            options,
            multi: false,
            filterable: false,
            filter: String::new(),
            cursor: 0,
            purpose,
            then: None,
        }
    }

    /// The indices of the options that match the filter (code or name, case-insensitive):
    /// an exact value first, then values and labels that start with it, then labels that
    /// contain it, then values and then labels that hold its letters in order (`xprt` for
    /// "export"). Labels are long (an action's help): their letters in order are offered
    /// only when nothing closer matches.
    pub fn visible(&self) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        let rank = |o: &PickOption| -> Option<u8> {
            let (value, label) = (o.value.to_lowercase(), o.label.to_lowercase());
            let words = || {
                label
                    .split_whitespace()
                    .skip(1)
                    .any(|w| w.starts_with(&needle))
            };
            if needle.is_empty() || value == needle {
                Some(0)
            } else if value.starts_with(&needle) {
                Some(1)
            } else if words() {
                Some(2)
            } else if label.contains(&needle) {
                Some(3)
            } else if in_order(&needle, &value) {
                Some(4)
            } else if in_order(&needle, &label) {
                Some(5)
            } else {
                None
            }
        };
        let mut ranked: Vec<(u8, usize)> = self
            .options
            .iter()
            .enumerate()
            .filter_map(|(i, o)| rank(o).map(|r| (r, i)))
            .collect();
        ranked.sort();
        if ranked.first().is_some_and(|(r, _)| *r < 5) {
            ranked.retain(|(r, _)| *r < 5);
        }
        ranked.into_iter().map(|(_, i)| i).collect()
    }
}

/// What a text field's content is for.
#[derive(Debug, Clone, PartialEq)]
pub enum TextPurpose {
    /// A field of a table.
    Field {
        /// The table.
        node: Node,
        /// The key.
        field: String,
    },
    /// The reason of a new waiver of `code` on `item`.
    WaiverReason {
        /// The rule.
        code: String,
        /// The item.
        item: String,
    },
    /// A search query.
    Search,
    /// The name to save the plan under.
    SaveAs,
    /// The text of the conflict at this index.
    Conflict(usize),
}

/// A text field being edited.
pub struct TextEdit {
    /// The text area (its own undo inside the field).
    pub area: TextArea<'static>,
    /// Enter adds a line, and only the multi-line commit key commits.
    pub multiline: bool,
    /// The control and invisible characters the text held, shown by their stand-ins.
    pub hidden: Vec<char>,
    /// The text when editing began.
    pub original: String,
    /// What the text is for.
    pub purpose: TextPurpose,
    /// The field's title.
    pub title: String,
    /// Why the last commit was refused.
    pub error: Option<String>,
}

impl TextEdit {
    /// A field holding `text` (on one line unless `multiline`), the cursor at its end. The
    /// control and invisible characters of `text` are shown by their stand-ins (`␛`,
    /// `<U+202E>`), which [`TextEdit::text`] turns back into them.
    pub fn new(purpose: TextPurpose, title: &str, text: &str, multiline: bool) -> TextEdit {
        let mut hidden: Vec<char> = Vec::new();
        let mut shown = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\n' if multiline => shown.push(c),
                '\n' => shown.push(' '),
                c if needs_escape(c) => {
                    if !hidden.contains(&c) {
                        hidden.push(c);
                    }
                    shown.push_str(&stand_in(c));
                }
                c => shown.push(c),
            }
        }
        let lines: Vec<String> = shown.lines().map(str::to_string).collect();
        let mut area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        if multiline {
            area.set_wrap_mode(WrapMode::WordOrGlyph);
        }
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        TextEdit {
            area,
            multiline,
            hidden,
            original: text.to_string(),
            purpose,
            title: title.to_string(),
            error: None,
        }
    }

    /// The current text, the stand-ins of the characters the text held turned back into them.
    pub fn text(&self) -> String {
        let mut text = self.area.lines().join("\n");
        for c in &self.hidden {
            text = text.replace(&stand_in(*c), &c.to_string());
        }
        text
    }
}

/// What a "yes" does.
#[derive(Debug, Clone)]
pub enum Pending {
    /// Quit without saving.
    Quit,
    /// Save, then quit.
    SaveAndQuit,
    /// Apply a change (one undo step) and say what it did.
    Apply(Box<Change>),
    /// Drop the text being edited.
    DiscardText,
    /// Restore the unsaved edits of the recovery file.
    Restore(Vec<u8>),
    /// Delete the recovery file.
    DiscardRecovery,
    /// Save over the file that changed on disk.
    Overwrite,
    /// Read the plan again from disk, losing the unsaved edits.
    Reload,
    /// Export in this format, replacing an existing file, as a draft or not.
    Export {
        /// The format's name.
        format: String,
        /// Replace an existing output.
        force: bool,
        /// Export a plan with errors, marked as a draft.
        draft: bool,
    },
}

/// A yes/no question.
pub struct Confirm {
    /// The question.
    pub question: String,
    /// What "yes" does.
    pub yes: Pending,
    /// What "no" does (`None`: nothing but close).
    pub no: Option<Pending>,
    /// What is shown again when the question is dismissed (the text being edited).
    pub back: Option<Box<Modal>>,
    /// What the key bar says "yes" and "no" do, when "no" is a choice of its own rather
    /// than "do nothing" (`delete with references` / `delete only`).
    pub labels: Option<[&'static str; 2]>,
}

/// What is open on top of the view.
pub enum Modal {
    /// The help overlay, scrolled down this many lines.
    Help(u16),
    /// The explanation of a rule (its code), scrolled down this many lines.
    Explain(&'static str, u16),
    /// A question.
    Confirm(Box<Confirm>),
    /// A list to choose from.
    Picker(Box<Picker>),
    /// A text field.
    Text(Box<TextEdit>),
}

impl Modal {
    /// A question: what "yes" does, and "no" (`None`: nothing but close).
    pub fn confirm(question: String, yes: Pending, no: Option<Pending>) -> Modal {
        Modal::Confirm(Box::new(Confirm {
            question,
            yes,
            no,
            back: None,
            labels: None,
        }))
    }

    /// A question between two things to do (and cancel), each named on the key bar by its
    /// label.
    pub fn choice(question: String, yes: Pending, no: Pending, labels: [&'static str; 2]) -> Modal {
        Modal::Confirm(Box::new(Confirm {
            question,
            yes,
            no: Some(no),
            back: None,
            labels: Some(labels),
        }))
    }

    /// A text field; see [`TextEdit::new`].
    pub fn text(purpose: TextPurpose, title: &str, text: &str, multiline: bool) -> Modal {
        Modal::Text(Box::new(TextEdit::new(purpose, title, text, multiline)))
    }

    /// A picker.
    pub fn picker(picker: Picker) -> Modal {
        Modal::Picker(Box::new(picker))
    }
}

/// A search and its matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The query.
    pub query: String,
    /// The matching items, in document order.
    pub matches: Vec<Node>,
    /// The current match.
    pub index: usize,
}

/// The diagnostic `]`/`[` last went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visited {
    /// Its line and column.
    pub line: u32,
    /// Its column.
    pub column: u32,
    /// Its rule.
    pub code: &'static str,
    /// What was selected once it was shown.
    pub selected: Option<Node>,
}

/// Where the user is inside a view: the pane with the focus and the selected row of each
/// list (the country, shared by several views, is [`Session::country`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Selection {
    /// The pane with the focus.
    pub focus: Focus,
    /// The selected row of the section (countries view).
    pub row: usize,
    /// The selected row of the plan view.
    pub plan_row: usize,
    /// The selected field of the form.
    pub field: usize,
    /// The selected cell of the matrix (country, priority).
    pub cell: (usize, usize),
    /// The selected row of the diagnostics view.
    pub diag_row: usize,
    /// The selected link of the review queue.
    pub review_row: usize,
}

/// The file on disk watched for changes made by someone else.
/// One step of the undo (or redo) history: the edit that takes it back, and what the change
/// was when it was several edits (a rename with its references), to say what was undone.
#[derive(Debug, Clone)]
pub struct Step {
    /// The edit to apply.
    pub edit: Edit,
    /// What the change was, when one edit does not say it.
    pub what: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskWatch {
    /// The file as loaded or last saved.
    pub loaded: ContentHash,
    /// When the file on disk was last compared with what was loaded.
    pub last_check: Option<Instant>,
    /// The file on disk differs from what was loaded.
    pub changed: bool,
    /// The file's size and time of last change when its content last matched what was loaded.
    pub stamp: Option<(u64, SystemTime)>,
    /// The file's permissions let no one write it: a save goes under another name.
    pub unwritable: bool,
    /// The file as loaded or last saved, when it ends its lines both ways: the lines a save
    /// writes as they were keep their ends (the document writes one kind).
    pub mixed_ends: Option<std::sync::Arc<[u8]>>,
    /// The file is no longer there (deleted or moved away) since it was loaded.
    pub gone: bool,
}

/// What keeps unsaved edits safe: the recovery file and the panic hook's snapshot, kept a
/// moment behind the changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recovery {
    /// Counts the changes applied (edits, undos, redos).
    pub revision: u64,
    /// The revision last written to the recovery file or saved.
    pub written: u64,
    /// The revision the panic hook's snapshot holds.
    pub snapshot: u64,
    /// When the last change was made.
    pub last_change: Option<Instant>,
    /// A recovery file cannot be written (the plan is above the system high): said once.
    pub unavailable: bool,
    /// This session wrote the recovery file that is there now (removed when undoing brings
    /// the plan back to what is saved, so that it never offers edits undone).
    pub on_disk: bool,
    /// The plan the edits began from is beside the recovery file (written once per load or
    /// save, so that a later open merges the edits onto changes made on disk meanwhile).
    pub base_written: bool,
}

/// The selected link's history, computed when it is selected (not for every frame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDetail {
    /// The priority's id.
    pub priority: String,
    /// The stamp stored for the link (`None`: the link is unstamped).
    pub stored: Option<String>,
    /// The priority's text when the stamp was written; `Ok(None)` when no revision of the
    /// file has that stamp (or the link has none); `Err` why git could not tell.
    pub reviewed: Result<Option<ReviewedText>, String>,
}

/// The document of a session that has not taken it yet.
enum Untaken {
    /// Still parsed on another core.
    Parsing(Parsing),
    /// It could not be read: the session cannot edit.
    Failed(DocumentError),
}

/// An open plan.
pub struct Session {
    /// The plan file.
    pub path: PathBuf,
    /// The document, source of truth (empty while `untaken`).
    pub doc: PlanDocument,
    /// The document while it is still parsed on another core, as a large plan opens: the
    /// plan is shown meanwhile, and what would read or change the document waits for it
    /// ([`Session::take_document`]).
    untaken: Option<Untaken>,
    /// The typed plan and every diagnostic, derived from it and kept current.
    pub live: LivePlan,
    /// Their counts.
    pub summary: Summary,
    /// The view shown.
    pub view: View,
    /// The selected country (the countries view, and where items are added).
    pub country: usize,
    /// The focused pane and the selected rows.
    pub selection: Selection,
    /// The view an item was opened from (the matrix, the diagnostics, the review queue): Esc
    /// goes back to it.
    pub came_from: Option<View>,
    /// The diagnostic `]`/`[` last went to, for quick fixes and waivers.
    pub current_diag: Option<usize>,
    /// Where that diagnostic was and what was selected after going there, so that `]`/`[`
    /// go on from the same place once edits have changed the list, and from the cursor once
    /// the planner has moved it.
    pub visited: Option<Visited>,
    /// Inverses of the changes made, newest last.
    pub undo: Vec<Step>,
    /// Changes undone, newest last.
    pub redo: Vec<Step>,
    /// The undo depth at the last save (`None` when that state can no longer be reached).
    pub saved_depth: Option<usize>,
    /// What is open on top.
    pub modal: Option<Modal>,
    /// The last search.
    pub search: Option<Search>,
    /// A message for the status line, and whether it reports a problem.
    pub message: Option<(String, bool)>,
    /// The editing lock; `None` when another scplan holds it.
    pub lock: Option<Lock>,
    /// Why the plan is read-only, when it is.
    pub read_only: Option<String>,
    /// The conflict view this plan was resolved in, until the first save: undo with nothing
    /// else to undo goes back to it.
    pub conflicts: Option<Box<Conflicts>>,
    /// The file on disk, watched for changes.
    pub disk: DiskWatch,
    /// The recovery file and the panic snapshot.
    pub recovery: Recovery,
    /// What the review queue shows of the selected link, computed when it is selected.
    pub review: Option<ReviewDetail>,
    /// The changes view: the revision read once, its diff with the plan as it is now.
    pub changes: Option<super::changes::Changes>,
    /// The prefix key was pressed: the next key is read in the prefix mode.
    pub prefix: bool,
    /// How many lines the diagnostics pane is scrolled down.
    pub detail_scroll: u16,
}

impl Session {
    /// Opens a parsed document with its derived state, whose file had the content hash
    /// `loaded`.
    pub fn new(path: PathBuf, doc: PlanDocument, live: LivePlan, loaded: ContentHash) -> Session {
        Session::with(path, doc, None, live, loaded)
    }

    /// Opens a plan whose derived state is there and whose document is `parsing`
    /// ([`LivePlan::begin`]), and whose file had the content hash `loaded`.
    pub fn opening(
        path: PathBuf,
        live: LivePlan,
        parsing: Parsing,
        loaded: ContentHash,
    ) -> Session {
        let empty = PlanDocument::empty(parsing.layout());
        Session::with(path, empty, Some(Untaken::Parsing(parsing)), live, loaded)
    }

    /// A session on `doc`, or on the document still `untaken`.
    fn with(
        path: PathBuf,
        doc: PlanDocument,
        untaken: Option<Untaken>,
        live: LivePlan,
        loaded: ContentHash,
    ) -> Session {
        let mut session = Session {
            path,
            doc,
            untaken,
            live,
            summary: Summary::default(),
            view: View::Countries,
            country: 0,
            selection: Selection::default(),
            came_from: None,
            current_diag: None,
            visited: None,
            undo: Vec::new(),
            redo: Vec::new(),
            saved_depth: Some(0),
            modal: None,
            search: None,
            message: None,
            lock: None,
            read_only: None,
            conflicts: None,
            disk: DiskWatch {
                loaded,
                last_check: None,
                changed: false,
                stamp: None,
                unwritable: false,
                gone: false,
                mixed_ends: None,
            },
            recovery: Recovery::default(),
            review: None,
            changes: None,
            prefix: false,
            detail_scroll: 0,
        };
        session.derived();
        session
    }

    /// Whether the document is there to read and edit (see `untaken`).
    pub fn document_ready(&self) -> bool {
        self.untaken.is_none()
    }

    /// Takes the document once it is parsed: waiting for it when `wait`, else only when it
    /// is done. `Err`: it could not be read after all, and this session cannot edit (the
    /// caller shows why instead).
    pub fn take_document(&mut self, wait: bool) -> Result<(), DocumentError> {
        let parsing = match self.untaken.take() {
            None => return Ok(()),
            Some(Untaken::Failed(err)) => {
                self.untaken = Some(Untaken::Failed(err.clone()));
                return Err(err);
            }
            Some(Untaken::Parsing(p)) if !wait && !p.is_done() => {
                self.untaken = Some(Untaken::Parsing(p));
                return Ok(());
            }
            Some(Untaken::Parsing(p)) => p,
        };
        match parsing.wait() {
            Ok(doc) => {
                self.live.adopt(&doc);
                self.doc = doc;
                Ok(())
            }
            Err(err) => {
                // Kept, so that every later edit is refused too.
                self.untaken = Some(Untaken::Failed(err.clone()));
                Err(err)
            }
        }
    }

    /// Replaces the document (with the recovery file's), re-deriving everything.
    pub fn replace_document(&mut self, doc: PlanDocument, settings: &Settings) {
        self.untaken = None;
        self.doc = doc;
        self.changed(settings);
    }

    /// The plan file's name without its folder, for questions that should stay short.
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Whether there are changes since the last save.
    pub fn modified(&self) -> bool {
        self.saved_depth != Some(self.undo.len())
    }

    /// After the derived state changed: the counts, a selection inside the plan.
    fn derived(&mut self) {
        self.summary = Summary::of(&self.live.diagnostics);
        self.country = self
            .country
            .min(self.live.plan.countries.len().saturating_sub(1));
        self.selection.row = self
            .selection
            .row
            .min(self.section_rows().len().saturating_sub(1));
        self.selection.plan_row = self
            .selection
            .plan_row
            .min(rows::plan_rows(&self.live.plan).len().saturating_sub(1));
        self.selection.diag_row = self
            .selection
            .diag_row
            .min(self.live.diagnostics.len().saturating_sub(1));
        if self
            .current_diag
            .is_some_and(|i| i >= self.live.diagnostics.len())
        {
            self.current_diag = None;
        }
    }

    /// Applies an edit as one undo step; `what` says what it does, for the undo of an item
    /// added, removed or moved and of several edits (a value set is described by itself).
    pub fn apply(&mut self, edit: Edit, what: &str, settings: &Settings) -> Result<(), EditError> {
        let inverse = self.change(edit, settings)?;
        // One value set is described by what it is; an item added, removed or moved, and a
        // change of several edits, by what the change said.
        let plain = matches!(
            inverse,
            Edit::SetField { .. }
                | Edit::RestoreField { .. }
                | Edit::AddEntry { .. }
                | Edit::RemoveEntry { .. }
        );
        let what = (!plain).then(|| what.to_string());
        if self.saved_depth.is_some_and(|d| d > self.undo.len()) {
            // The saved state was on the redo branch just discarded.
            self.saved_depth = None;
        }
        self.undo.push(Step {
            edit: inverse,
            what,
        });
        self.redo.clear();
        Ok(())
    }

    /// Applies an edit to the document and re-derives what it can affect, part by part where
    /// it can ([`LivePlan::apply`]). Returns its inverse; on error nothing changes.
    pub fn change(&mut self, edit: Edit, settings: &Settings) -> Result<Edit, EditError> {
        self.take_document(true).map_err(EditError::Unreadable)?;
        let inverse = self.live.apply(&mut self.doc, edit, settings)?;
        self.derived();
        self.noted();
        Ok(inverse)
    }

    /// Re-derives everything after the document was replaced, as a change.
    pub fn changed(&mut self, settings: &Settings) {
        self.live = LivePlan::reload(&self.doc, settings);
        self.derived();
        self.noted();
    }

    /// Counts a change and notes when it happened (for the recovery file).
    fn noted(&mut self) {
        self.recovery.revision += 1;
        self.recovery.last_change = Some(Instant::now());
    }

    /// The rows of the selected country's section.
    pub fn section_rows(&self) -> Vec<Node> {
        rows::section_rows(&self.live.plan, self.country)
    }

    /// The item whose fields the form shows or would show.
    pub fn selected_node(&self) -> Option<Node> {
        match self.view {
            View::Plan => rows::plan_rows(&self.live.plan)
                .get(self.selection.plan_row)
                .copied(),
            View::Countries => match self.selection.focus {
                Focus::List => (!self.live.plan.countries.is_empty()).then_some(Node::Item(
                    crate::plan::model::Collection::Countries,
                    self.country,
                )),
                Focus::Section | Focus::Form => {
                    self.section_rows().get(self.selection.row).copied()
                }
            },
            View::Matrix | View::Diagnostics | View::Review | View::Changes => None,
        }
    }

    /// The diagnostics about the selection: the selected item's (the whole section's when a
    /// country is selected in the list).
    pub fn selection_diagnostics(&self) -> Vec<usize> {
        let Some(node) = self.selected_node() else {
            return match self.view {
                View::Diagnostics => (self.selection.diag_row < self.live.diagnostics.len())
                    .then_some(self.selection.diag_row)
                    .into_iter()
                    .collect(),
                View::Review => self.review_diagnostics(),
                View::Matrix => self.cell_diagnostics(),
                _ => Vec::new(),
            };
        };
        let whole_country = self.view == View::Countries && self.selection.focus == Focus::List;
        let mut found: Vec<usize> = (0..self.live.diagnostics.len())
            .filter(|&i| {
                let target = self.live.diagnostics[i].target.node;
                match target {
                    Some(t) if whole_country => t.country() == node.country(),
                    Some(t) => t == node,
                    None => node == Node::Plan,
                }
            })
            .collect();
        // Errors first, then warnings, then infos; in file order within each.
        found.sort_by_key(|&i| self.live.diagnostics[i].severity);
        found
    }

    /// The findings about the selected matrix cell's country section and priority (SCP101
    /// for a section without S&T objectives, SCP104 for a priority none serves, ...).
    fn cell_diagnostics(&self) -> Vec<usize> {
        let (ci, pi) = self.selection.cell;
        let country = Node::Item(crate::plan::model::Collection::Countries, ci);
        let priority = Node::Item(crate::plan::model::Collection::Priorities, pi);
        (0..self.live.diagnostics.len())
            .filter(|&i| {
                let node = self.live.diagnostics[i].target.node;
                node == Some(country) || node == Some(priority)
            })
            .collect()
    }

    /// The findings (SCP109, SCP110) of the link selected in the review queue.
    fn review_diagnostics(&self) -> Vec<usize> {
        let Some((group, link)) = queued_at(&self.live.plan, self.selection.review_row) else {
            return Vec::new();
        };
        (0..self.live.diagnostics.len())
            .filter(|&i| {
                let d = &self.live.diagnostics[i];
                ["SCP109", "SCP110"].contains(&d.code)
                    && d.target.node == Some(link.node)
                    && d.target.names.as_deref() == Some(group.priority.as_str())
            })
            .collect()
    }

    /// The diagnostic a quick fix or a waiver applies to.
    pub fn focused_diagnostic(&self) -> Option<usize> {
        if self.view == View::Diagnostics {
            return (self.selection.diag_row < self.live.diagnostics.len())
                .then_some(self.selection.diag_row);
        }
        let selection = self.selection_diagnostics();
        match self.current_diag {
            Some(i) if selection.contains(&i) => Some(i),
            _ => selection.first().copied(),
        }
    }

    /// Shows a message on the status line.
    pub fn say(&mut self, message: impl Into<String>) {
        self.message = Some((message.into(), false));
    }

    /// Shows a problem on the status line.
    pub fn warn(&mut self, message: impl Into<String>) {
        self.message = Some((message.into(), true));
    }
}

/// Whether the characters of `needle` occur in `hay` in order.
fn in_order(needle: &str, hay: &str) -> bool {
    let mut rest = hay.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}
