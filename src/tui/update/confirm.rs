//! Questions: the answer to one, and the question before quitting with unsaved changes.

use ratatui::crossterm::event::KeyEvent;

use super::{Context, Effect, apply};
use crate::tui::action::Action;
use crate::tui::app::{Confirm, Modal, Pending, Session};
use crate::tui::keymap::Mode;

/// Quits, asking first about unsaved changes.
pub(super) fn quit(s: &mut Session, cx: &Context) -> Vec<Effect> {
    if !s.modified() {
        return vec![Effect::Quit];
    }
    let key = |action| cx.keymap.key_name(action);
    let question = format!(
        "Save the changes to {} before quitting? ({}: save and quit, {}: quit without saving, {}: stay)",
        s.file_name(),
        key(Action::Yes),
        key(Action::No),
        key(Action::Dismiss),
    );
    s.modal = Some(Modal::confirm(
        question,
        Pending::SaveAndQuit,
        Some(Pending::Quit),
    ));
    Vec::new()
}

/// A key in a question.
pub(super) fn key(s: &mut Session, cx: &Context, c: Box<Confirm>, key: KeyEvent) -> Vec<Effect> {
    let pending = match cx.keymap.action(Mode::Confirm, &key) {
        Some(Action::Yes) => c.yes,
        Some(Action::No) => match c.no {
            Some(p) => p,
            None => {
                s.modal = c.back.map(|b| *b);
                return Vec::new();
            }
        },
        Some(Action::Dismiss) => {
            s.modal = c.back.map(|b| *b);
            return Vec::new();
        }
        _ => {
            s.modal = Some(Modal::Confirm(c));
            return Vec::new();
        }
    };
    match pending {
        Pending::Quit => vec![Effect::Quit],
        Pending::SaveAndQuit => vec![Effect::SaveAndQuit],
        Pending::Apply(change) => {
            apply(s, cx, *change);
            Vec::new()
        }
        Pending::Export {
            format,
            force,
            draft,
        } => vec![Effect::Export {
            format,
            force,
            draft,
        }],
        Pending::Restore(bytes) => vec![Effect::Restore(bytes)],
        Pending::DiscardRecovery => vec![Effect::DiscardRecovery],
        Pending::Overwrite => vec![Effect::Overwrite],
        Pending::Reload => vec![Effect::ReloadFromDisk],
        Pending::DiscardText => Vec::new(),
    }
}
