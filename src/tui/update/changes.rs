//! The changes view: opening it (the revision read from git the first time, or again when it
//! is asked for while the view is shown), moving between the changes, going to the item of
//! one, and keeping the diff current with the plan.

use super::Context;
use super::jump::jump;
use super::navigation::set_view;
use crate::tui::action::Action;
use crate::tui::app::{Session, View};
use crate::tui::changes::{self, Changes};

/// Shows the view; shown already, reads the revision anew.
pub(super) fn open(s: &mut Session, cx: &Context) {
    let again = s.view == View::Changes;
    set_view(s, View::Changes);
    if again || s.changes.as_ref().is_none_or(|c| c.since != cx.since) {
        s.changes = Some(Changes::read(
            &s.path,
            cx.since,
            (s.live.text(), s.doc.layout()),
            s.recovery.revision,
            cx.settings,
        ));
        if again {
            s.say(format!("read {} again", cx.since));
        }
    }
}

/// Handles an action of the view; `false` when it is not one (the usual handling applies).
pub(super) fn key(s: &mut Session, action: Action) -> bool {
    let Some(c) = &mut s.changes else {
        return false;
    };
    let len = c.diff.as_ref().map_or(0, |d| d.changes.len());
    let step = |row: usize, delta: isize| {
        (row as isize + delta).clamp(0, len.saturating_sub(1) as isize) as usize
    };
    match action {
        Action::Up => c.row = step(c.row, -1),
        Action::Down => c.row = step(c.row, 1),
        Action::PageUp => c.row = step(c.row, -10),
        Action::PageDown => c.row = step(c.row, 10),
        Action::Open => {
            let Some(change) = c.diff.as_ref().ok().and_then(|d| d.changes.get(c.row)) else {
                return true;
            };
            let field = change.field.clone();
            match changes::node(&s.doc, change) {
                Some(node) => {
                    let field = field.filter(|f| node.kind().field(f).is_some());
                    jump(s, node, field.as_deref());
                }
                None => {
                    let label = change.label();
                    s.say(format!("{label} is no longer in the plan"));
                }
            }
        }
        _ => return false,
    }
    true
}

/// Compares again with the plan when it changed since the diff shown.
pub(super) fn refresh(s: &mut Session, cx: &Context) {
    if let Some(c) = &mut s.changes {
        c.refresh(
            (s.live.text(), s.doc.layout()),
            s.recovery.revision,
            cx.settings,
        );
    }
}
