//! `update`: the only code that changes the editor's state. Keys become actions through the
//! keymap; text fields and filters take the other keys; what a change does to the plan is the
//! editing core's ([`crate::edit`]), which this only calls; whatever touches the file system
//! is returned as an [`Effect`] for the run loop to perform. One file per concern: moving
//! around, items, fields and their text, pickers, questions, search, diagnostics, review,
//! the changes view, and the conflict view of a file with conflict markers.

mod changes;
mod confirm;
mod conflict;
mod diagnostics;
mod fields;
mod items;
mod jump;
mod marking;
mod matrix;
mod mouse;
mod navigation;
mod palette;
mod pickers;
mod review;
mod search;
mod text;

pub use mouse::handle_mouse;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::action::Action;
use super::app::{App, FileList, Modal, Panes, Screen, Session, Step, View};
use super::editing_lock::refused;
use super::keymap::{HELP_WIDTH, Keymap, Mode};
use super::view::layout;
use super::view::layout::help_max_scroll;
use crate::check::Settings;
use crate::edit::change::Change;
use crate::edit::items::name as item_name;
use crate::plan::document::Edit;
use crate::plan::model::{Node, Plan};
use jiff::civil::Date;

/// What the run loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Quit.
    Quit,
    /// Save the plan.
    Save,
    /// Save the plan, then quit if that worked.
    SaveAndQuit,
    /// Open the plan file at this path.
    Open(std::path::PathBuf),
    /// Read the (broken) file again.
    Reload,
    /// Save the plan under a new name (and go on editing that file).
    SaveAs(std::path::PathBuf),
    /// Save over a file that changed on disk.
    Overwrite,
    /// Read the plan again from disk, dropping the unsaved edits.
    ReloadFromDisk,
    /// Replace the plan being edited with the recovery file's content.
    Restore(Vec<u8>),
    /// Delete the recovery file.
    DiscardRecovery,
    /// Go back to the conflict view the plan was resolved in, its last resolution undone.
    Unresolve,
    /// Export in this format.
    Export {
        /// The format's name.
        format: String,
        /// Replace an existing output.
        force: bool,
        /// Export a plan with errors, marked as a draft.
        draft: bool,
    },
}

/// What updates read besides the state they change.
pub struct Context<'a> {
    /// The keymap.
    pub keymap: &'a Keymap,
    /// Check settings.
    pub settings: &'a Settings,
    /// Today.
    pub today: Date,
    /// The revision the changes view compares with.
    pub since: &'a str,
    /// Where the last frame put the panes.
    pub panes: Panes,
}

/// Handles one key press.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if key.kind != KeyEventKind::Press {
        return Vec::new();
    }
    // Only looking around goes on while a large plan's document is still parsed.
    if let Screen::Edit(s) = &app.screen
        && !s.document_ready()
        && !looks_only(s, &app.keymap, &key)
    {
        super::files::take_document(&mut app.screen, true);
    }
    let cx = Context {
        keymap: &app.keymap,
        settings: &app.settings,
        today: app.env.today,
        since: app.since.as_deref().unwrap_or("HEAD"),
        panes: app.panes,
    };
    let effects = match &mut app.screen {
        Screen::Files(list) => files_key(list, cx.keymap.action(Mode::Browse, &key)),
        Screen::Loading(_) => match cx.keymap.action(Mode::Browse, &key) {
            Some(Action::Quit) | Some(Action::Back) => vec![Effect::Quit],
            _ => Vec::new(),
        },
        Screen::Broken(_) => match cx.keymap.action(Mode::Browse, &key) {
            Some(Action::Quit) | Some(Action::Back) => vec![Effect::Quit],
            Some(Action::Open) => vec![Effect::Reload],
            _ => Vec::new(),
        },
        Screen::Edit(session) => session_key(session, &cx, key),
        Screen::Conflicts(c) => {
            let (effects, session) = conflict::key(c, &cx, key);
            if let Some(session) = session {
                let before = std::mem::replace(&mut app.screen, Screen::Edit(session));
                // Kept, so that undo right after the last resolution goes back to the view.
                if let (Screen::Conflicts(c), Screen::Edit(s)) = (before, &mut app.screen) {
                    s.conflicts = Some(c);
                }
            }
            effects
        }
    };
    if effects.contains(&Effect::Quit) {
        app.should_quit = true;
    }
    effects
}

/// Whether `key` only moves about the plan or shows help, reading neither the document nor
/// anything derived from it beyond the typed plan and its diagnostics.
fn looks_only(s: &Session, keymap: &Keymap, key: &KeyEvent) -> bool {
    match &s.modal {
        Some(Modal::Help(_) | Modal::Explain(..)) => true,
        Some(_) => false,
        None => {
            !s.prefix
                && matches!(
                    s.view,
                    View::Plan | View::Countries | View::Matrix | View::Diagnostics
                )
                && matches!(
                    keymap.action(Mode::Browse, key),
                    Some(
                        Action::Up
                            | Action::Down
                            | Action::PageUp
                            | Action::PageDown
                            | Action::First
                            | Action::Last
                            | Action::Left
                            | Action::Right
                            | Action::NextPane
                            | Action::PrevPane
                            | Action::ViewPlan
                            | Action::ViewCountries
                            | Action::ViewMatrix
                            | Action::ViewDiagnostics
                            | Action::DetailDown
                            | Action::DetailUp
                            | Action::NextDiagnostic
                            | Action::PrevDiagnostic
                            | Action::Help
                            | Action::QuitHint
                            | Action::Quit
                    )
                )
        }
    }
}

fn files_key(list: &mut FileList, action: Option<Action>) -> Vec<Effect> {
    match action {
        Some(Action::Up) => list.selected = list.selected.saturating_sub(1),
        Some(Action::Down) => {
            list.selected = (list.selected + 1).min(list.files.len().saturating_sub(1))
        }
        Some(Action::Open) => {
            if let Some(path) = list.files.get(list.selected) {
                return vec![Effect::Open(path.clone())];
            }
        }
        Some(Action::Quit) | Some(Action::Back) => return vec![Effect::Quit],
        _ => {}
    }
    Vec::new()
}

fn session_key(s: &mut Session, cx: &Context, key: KeyEvent) -> Vec<Effect> {
    match s.modal.take() {
        None => {
            s.message = None;
            // After the prefix key, the next key is read in its own mode; any other cancels it.
            if std::mem::take(&mut s.prefix) {
                return match cx.keymap.action(Mode::Prefix, &key) {
                    Some(Action::GoFirst) => update(s, cx, Action::First),
                    _ => Vec::new(),
                };
            }
            match cx.keymap.action(Mode::Browse, &key) {
                Some(action) => update(s, cx, action),
                None => Vec::new(),
            }
        }
        Some(Modal::Help(scroll)) => {
            s.modal = help_key(cx, scroll, cx.keymap.action(Mode::Browse, &key));
            Vec::new()
        }
        Some(Modal::Explain(code, scroll)) => {
            s.modal = match cx.keymap.action(Mode::Browse, &key) {
                // The keys next.
                Some(Action::Help) => Some(Modal::Help(0)),
                Some(Action::Back | Action::Quit) => None,
                Some(Action::Down) => Some(Modal::Explain(code, scroll.saturating_add(1))),
                Some(Action::Up) => Some(Modal::Explain(code, scroll.saturating_sub(1))),
                _ => Some(Modal::Explain(code, scroll)),
            };
            Vec::new()
        }
        Some(Modal::Picker(picker)) => pickers::key(s, cx, picker, key),
        Some(Modal::Text(edit)) => text::key(s, cx, edit, key),
        Some(Modal::Confirm(confirm)) => confirm::key(s, cx, confirm, key),
    }
}

/// The help overlay after a key: closed, scrolled (no further than its last row, at the
/// size of the last frame), or as it was.
pub(super) fn help_key(cx: &Context, scroll: u16, action: Option<Action>) -> Option<Modal> {
    // The overlay takes the screen but a row above and below, inside its border.
    let (width, height) = (cx.panes.bottom.width, cx.panes.bottom.bottom());
    let most = match height {
        0 => u16::MAX,
        _ => help_max_scroll(
            &cx.keymap.help_rows(),
            HELP_WIDTH.min(width).saturating_sub(2),
            height.saturating_sub(4),
        ),
    };
    let scroll = match action {
        Some(Action::Help | Action::Back | Action::Quit) => return None,
        Some(Action::Down) => scroll.saturating_add(1),
        Some(Action::Up) => scroll.saturating_sub(1),
        Some(Action::PageDown) => scroll.saturating_add(10),
        Some(Action::PageUp) => scroll.saturating_sub(10),
        _ => scroll,
    };
    Some(Modal::Help(scroll.min(most)))
}

/// What help shows: in the diagnostics view, the selected diagnostic's rule explained (help
/// again shows the keys); elsewhere the keys.
fn help(s: &Session) -> Modal {
    match s.focused_diagnostic() {
        Some(i) if s.view == View::Diagnostics => Modal::Explain(s.live.diagnostics[i].code, 0),
        _ => Modal::Help(0),
    }
}

/// Applies a browsing action.
pub fn update(s: &mut Session, cx: &Context, action: Action) -> Vec<Effect> {
    // The diagnostics pane shows the new selection from its start.
    if !matches!(action, Action::DetailDown | Action::DetailUp) {
        s.detail_scroll = 0;
    }
    let effects = browse(s, cx, action);
    if s.view == View::Review {
        review::refresh(s, cx);
    }
    if s.view == View::Changes {
        changes::refresh(s, cx);
    }
    effects
}

fn browse(s: &mut Session, cx: &Context, action: Action) -> Vec<Effect> {
    if s.view == View::Review && review::key(s, cx, action) {
        return Vec::new();
    }
    if s.view == View::Changes && changes::key(s, action) {
        return Vec::new();
    }
    match action {
        Action::Quit => return confirm::quit(s, cx),
        Action::QuitHint => s.say(format!(
            "{} quits (asking first about unsaved changes)",
            cx.keymap.key_name(Action::Quit)
        )),
        Action::Save => return vec![Effect::Save],
        Action::Help => s.modal = Some(help(s)),
        Action::ViewPlan => navigation::set_view(s, View::Plan),
        Action::ViewCountries => navigation::set_view(s, View::Countries),
        Action::ViewMatrix => navigation::set_view(s, View::Matrix),
        Action::ViewDiagnostics => navigation::set_view(s, View::Diagnostics),
        Action::ViewReview => navigation::set_view(s, View::Review),
        Action::ViewChanges => changes::open(s, cx),
        Action::NextPane => navigation::next_pane(s, true),
        Action::PrevPane => navigation::next_pane(s, false),
        Action::Left => navigation::sideways(s, false),
        Action::Right => navigation::sideways(s, true),
        Action::Up => navigation::step(s, -1),
        Action::Down => navigation::step(s, 1),
        Action::PageUp => navigation::step(s, -10),
        Action::PageDown => navigation::step(s, 10),
        Action::First => navigation::edge(s, false),
        Action::Last => navigation::edge(s, true),
        Action::Go => s.prefix = true,
        Action::DetailDown => {
            let most = layout::detail_scroll_max(&cx.panes, s);
            s.detail_scroll = s.detail_scroll.saturating_add(1).min(most);
        }
        Action::DetailUp => s.detail_scroll = s.detail_scroll.saturating_sub(1),
        // Vim-style: in the matrix `l` moves right like `h` moves left.
        Action::Link if s.view == View::Matrix => navigation::sideways(s, true),
        Action::Open => navigation::open(s, cx),
        Action::Back => navigation::back(s),
        Action::Add => items::add(s, cx),
        Action::Delete => items::delete(s, cx),
        Action::Duplicate => items::duplicate(s, cx),
        Action::MoveUp => items::move_item(s, cx, -1),
        Action::MoveDown => items::move_item(s, cx, 1),
        Action::Undo => return undo(s, cx, true),
        Action::Redo => return undo(s, cx, false),
        Action::Search => search::prompt(s),
        Action::NextMatch => search::next_match(s, cx, true),
        Action::PrevMatch => search::next_match(s, cx, false),
        Action::NextDiagnostic => diagnostics::next(s, true),
        Action::PrevDiagnostic => diagnostics::next(s, false),
        Action::Link => fields::link(s, cx),
        Action::QuickFix => diagnostics::quick_fix(s, cx),
        Action::Waive => diagnostics::waive(s),
        Action::Export => pickers::export(s),
        Action::Palette => palette::open(s, cx),
        _ => {}
    }
    Vec::new()
}

/// Applies a change as one undo step and says what it did (unless the plan is read-only).
fn apply(s: &mut Session, cx: &Context, change: Change) {
    if let Some(why) = &s.read_only {
        let why = why.clone();
        return s.warn(refused(&why));
    }
    match s.apply(change.edit, &change.message, cx.settings) {
        Ok(()) => s.say(change.message),
        Err(err) => s.warn(format!("not changed: {err}")),
    }
}

/// Undoes the last change (`backwards`), or redoes the last undone one.
fn undo(s: &mut Session, cx: &Context, backwards: bool) -> Vec<Effect> {
    if let Some(why) = &s.read_only {
        let why = why.clone();
        s.warn(refused(&why));
        return Vec::new();
    }
    if backwards && s.undo.is_empty() && s.conflicts.is_some() {
        return vec![Effect::Unresolve];
    }
    let from = if backwards { &mut s.undo } else { &mut s.redo };
    let Some(step) = from.pop() else {
        s.say(if backwards {
            "nothing to undo"
        } else {
            "nothing to redo"
        });
        return Vec::new();
    };
    let what = step
        .what
        .clone()
        .unwrap_or_else(|| describe(&s.live.plan, &step.edit));
    match s.change(step.edit, cx.settings) {
        Ok(inverse) => {
            let step = Step {
                edit: inverse,
                what: step.what,
            };
            if backwards {
                s.redo.push(step);
            } else {
                s.undo.push(step);
            }
            let done = if backwards { "undone" } else { "redone" };
            s.say(format!("{done}: {what}"));
        }
        Err(err) => s.warn(format!("cannot undo: {err}")),
    }
    Vec::new()
}

/// What an edit does, in words, for "undone: ..." (named with the plan before it).
fn describe(plan: &Plan, edit: &Edit) -> String {
    let of = |node, field: &str| format!("{field} of {}", item_name(plan, node));
    match edit {
        Edit::SetField {
            node,
            field,
            value: Some(_),
        } => format!("set {}", of(*node, field)),
        Edit::SetField {
            node,
            field,
            value: None,
        } => format!("removed {}", of(*node, field)),
        Edit::RestoreField { node, key, .. } => format!("put back {}", of(*node, key.get())),
        Edit::InsertItem { collection, .. } => {
            format!("put back {}", collection.kind().a_noun())
        }
        Edit::RemoveItem { collection, index } => format!(
            "removed {}",
            item_name(plan, Node::Item(*collection, *index))
        ),
        Edit::MoveItem {
            collection, from, ..
        } => format!("moved {}", item_name(plan, Node::Item(*collection, *from))),
        Edit::AddEntry { node, field, value } => format!("added {value} to {}", of(*node, field)),
        Edit::RemoveEntry { node, field, .. } => {
            format!("removed an entry of {}", of(*node, field))
        }
        Edit::Batch(edits) => match edits.split_first() {
            Some((first, [])) => describe(plan, first),
            Some((first, rest)) => format!(
                "{} and {}",
                describe(plan, first),
                crate::report::plural(rest.len(), "other change")
            ),
            None => "nothing".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;
    use crate::config::Config;
    use crate::env::Env;
    use crate::plan::document::Edit;
    use crate::plan::model::Node;
    use crate::store::OsFs;
    use crate::tui::{run, view};

    fn press(app: &mut App, code: KeyCode) {
        for effect in handle_key(app, KeyEvent::new(code, KeyModifiers::NONE)) {
            run::perform(app, effect);
        }
    }

    fn session(app: &App) -> &Session {
        match &app.screen {
            Screen::Edit(s) => s,
            _ => panic!("not editing"),
        }
    }

    #[test]
    fn messages_name_the_keys_in_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        std::fs::copy("plans/eucom-sample.toml", &path).unwrap();
        let mut keys = BTreeMap::new();
        for (action, key) in [("save", "ctrl-w"), ("yes", "o"), ("help", "f2")] {
            keys.insert(action.to_string(), vec![key.to_string()]);
        }
        let config = Config {
            keys,
            ..Config::default()
        };
        let env = Env {
            no_color: true,
            config_path: None,
            config_origin: None,
            today: jiff::civil::date(2026, 11, 28),
            source_date_epoch: None,
        };
        let fs = Arc::new(OsFs);
        let mut app = run::app(
            fs,
            Some(&path),
            Vec::new(),
            &env,
            &config,
            Settings::default(),
        )
        .unwrap();
        if let Screen::Edit(s) = &mut app.screen {
            let edit = Edit::SetField {
                node: Node::Plan,
                field: "title".to_string(),
                value: Some("Renamed".into()),
            };
            s.apply(edit, "title set", &Settings::default()).unwrap();
        }
        // An export asks for a save first, with the key that saves now.
        press(&mut app, KeyCode::Char('e'));
        press(&mut app, KeyCode::Enter);
        let (message, _) = session(&app).message.clone().unwrap();
        assert!(
            message.contains("save the plan first (Ctrl-W)"),
            "{message}"
        );
        // The question before quitting names the new yes.
        press(&mut app, KeyCode::Char('q'));
        let Some(Modal::Confirm(question)) = &session(&app).modal else {
            panic!("quitting with changes asks");
        };
        assert!(
            question.question.contains("(o: save and quit, n: quit"),
            "{}",
            question.question
        );
        press(&mut app, KeyCode::Esc);
        // So does the help overlay's title.
        press(&mut app, KeyCode::F(2));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| view::draw(f, &app)).unwrap();
        let screen: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert!(screen.contains("F2 or Esc closes"), "{screen}");
    }
}
