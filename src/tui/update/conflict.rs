//! The conflict view: taking ours, theirs or both for the selected conflict, editing its text,
//! undoing a step, and, once none is left, the plan they make opened as the session (unsaved).
//! Browsing keys move, undo, ask for help and quit (asking first when something was resolved).

use ratatui::crossterm::event::KeyEvent;

use super::{Context, Effect, help_key};
use crate::merge::markers::Take;
use crate::tui::action::Action;
use crate::tui::app::{Conflicts, Modal, Pending, Resolution, Session, TextEdit, TextPurpose};
use crate::tui::keymap::Mode;

/// Handles one key; the session when the last conflict was resolved and the plan opened.
pub(super) fn key(
    c: &mut Conflicts,
    cx: &Context,
    key: KeyEvent,
) -> (Vec<Effect>, Option<Box<Session>>) {
    match c.modal.take() {
        Some(Modal::Text(edit)) => {
            text_key(c, cx, edit, key);
            return (Vec::new(), loaded(c, cx));
        }
        Some(Modal::Confirm(q)) => {
            match cx.keymap.action(Mode::Confirm, &key) {
                Some(Action::Yes) => return (vec![Effect::Quit], None),
                Some(Action::No | Action::Dismiss) => {}
                _ => c.modal = Some(Modal::Confirm(q)),
            }
            return (Vec::new(), None);
        }
        Some(Modal::Help(scroll)) => {
            c.modal = help_key(cx, scroll, cx.keymap.action(Mode::Browse, &key));
            return (Vec::new(), None);
        }
        Some(_) | None => {}
    }
    c.message = None;
    let action = cx
        .keymap
        .action(Mode::Conflict, &key)
        .or_else(|| cx.keymap.action(Mode::Browse, &key));
    let last = c.blocks.len().saturating_sub(1) as isize;
    let mut step = |delta: isize| {
        c.selected = (c.selected as isize + delta).clamp(0, last) as usize;
    };
    match action {
        Some(Action::Up) => step(-1),
        Some(Action::Down) => step(1),
        Some(Action::PageUp) => step(-10),
        Some(Action::PageDown) => step(10),
        Some(Action::TakeOurs) => take(c, Take::Ours, "ours"),
        Some(Action::TakeTheirs) => take(c, Take::Theirs, "theirs"),
        Some(Action::TakeBoth) => take(c, Take::Both, "both"),
        Some(Action::EditConflict) => edit(c),
        Some(Action::Undo) => undo(c),
        Some(Action::Help) => c.modal = Some(Modal::Help(0)),
        Some(Action::Save) => {
            c.message = Some((
                format!(
                    "{} conflict(s) left: the plan is saved once every one is resolved",
                    c.left()
                ),
                true,
            ))
        }
        Some(Action::Quit) if c.modified() => {
            let question = format!(
                "Quit without saving? The conflicts resolved so far are lost; the file keeps its markers. {}",
                cx.keymap.yes_no()
            );
            c.modal = Some(Modal::confirm(question, Pending::Quit, None));
        }
        Some(Action::Quit) => return (vec![Effect::Quit], None),
        _ => return (Vec::new(), None),
    }
    (Vec::new(), loaded(c, cx))
}

fn take(c: &mut Conflicts, take: Take, how: &'static str) {
    let Some(block) = c.blocks.get(c.selected) else {
        return;
    };
    let repeats = block.both_repeats();
    if take == Take::Both && !repeats.is_empty() {
        let keys = repeats.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>();
        c.message = Some((
            format!(
                "both sides set {}: keeping both would repeat them; keep ours or theirs, or edit the block",
                keys.join(", ")
            ),
            true,
        ));
        return;
    }
    let text = block.take(take);
    c.set(c.selected, Resolution { how, text });
    next_unresolved(c);
}

/// Moves to the next conflict left, if any (after the selected one, else from the start).
fn next_unresolved(c: &mut Conflicts) {
    let n = c.resolutions.len();
    if let Some(i) = (1..=n)
        .map(|d| (c.selected + d) % n)
        .find(|&i| c.resolutions[i].is_none())
    {
        c.selected = i;
    }
}

fn edit(c: &mut Conflicts) {
    let i = c.selected;
    let Some(block) = c.blocks.get(i) else {
        return;
    };
    let text = match &c.resolutions[i] {
        Some(r) => r.text.clone(),
        None => block.raw.clone(),
    };
    let title = format!(
        "Conflict at line {}: keep the lines wanted, remove the markers",
        block.line
    );
    c.modal = Some(Modal::text(TextPurpose::Conflict(i), &title, &text, true));
}

fn text_key(c: &mut Conflicts, cx: &Context, mut edit: Box<TextEdit>, key: KeyEvent) {
    match cx.keymap.action(Mode::Editor, &key) {
        Some(Action::CommitMultiline) => {
            let TextPurpose::Conflict(i) = edit.purpose else {
                return;
            };
            let Some(block) = c.blocks.get(i) else {
                return;
            };
            match block.edited(&edit.text()) {
                Ok(text) => {
                    c.set(
                        i,
                        Resolution {
                            how: "edited",
                            text,
                        },
                    );
                    next_unresolved(c);
                    return;
                }
                Err(err) => edit.error = Some(err.to_string()),
            }
        }
        Some(Action::CancelEdit) => return,
        Some(action @ (Action::ClearText | Action::UndoText | Action::RedoText)) => {
            super::text::in_area(&mut edit.area, action);
        }
        _ => {
            edit.area.input(key);
        }
    }
    c.modal = Some(Modal::Text(edit));
}

fn undo(c: &mut Conflicts) {
    let said = if c.undo_last() {
        "undone"
    } else {
        "nothing to undo"
    };
    c.message = Some((said.to_string(), false));
}

/// Once no conflict is left: the plan, opened; or why its text does not parse, said.
fn loaded(c: &mut Conflicts, cx: &Context) -> Option<Box<Session>> {
    if c.left() > 0 || c.modal.is_some() {
        return None;
    }
    match c.load(cx.settings)? {
        Ok(mut s) => {
            let n = c.blocks.len();
            match s.read_only.clone() {
                Some(why) => s.warn(format!("resolved {n} conflict(s); read-only: {why}")),
                None => s.say(format!(
                    "resolved {n} conflict(s); not saved yet: {} saves the plan",
                    cx.keymap.key_name(Action::Save)
                )),
            }
            Some(Box::new(s))
        }
        Err(why) => {
            c.message = Some((why, true));
            None
        }
    }
}
