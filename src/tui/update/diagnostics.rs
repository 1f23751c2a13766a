//! Diagnostics: going to the next or previous one, its quick fix, waiving it.

use super::navigation::jump;
use super::{Context, apply};
use crate::edit::fixes;
use crate::edit::waive::{self, WaiveError};
use crate::plan::model::Node;
use crate::tui::app::{Modal, Session, TextPurpose, View};

/// Goes to the next (`forward`) or previous diagnostic, and shows its item.
pub(super) fn next(s: &mut Session, forward: bool) {
    let n = s.live.diagnostics.len();
    if n == 0 {
        return s.say("no diagnostics");
    }
    let next = match s.current_diag {
        None if forward => 0,
        None => n - 1,
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
    };
    s.current_diag = Some(next);
    s.selection.diag_row = next;
    let target = s.live.diagnostics[next].target.clone();
    if s.view != View::Diagnostics {
        jump(
            s,
            target.node.unwrap_or(Node::Plan),
            target.field.as_deref(),
        );
    }
    let d = &s.live.diagnostics[next];
    let message = format!(
        "{} {} {}: {}",
        d.severity.as_str(),
        d.code,
        d.item,
        d.message
    );
    s.say(message);
}

pub(super) fn quick_fix(s: &mut Session, cx: &Context) {
    let Some(i) = s.focused_diagnostic() else {
        return s.say("no diagnostic here to fix");
    };
    match fixes::quick_fix(&s.doc, &s.live.plan, &s.live.diagnostics[i], cx.today) {
        Ok(change) => apply(s, cx, change),
        Err(err) => s.warn(err.to_string()),
    }
}

/// Asks for the reason of a waiver of the focused diagnostic.
pub(super) fn waive(s: &mut Session) {
    let Some(i) = s.focused_diagnostic() else {
        return s.say("no diagnostic here to waive");
    };
    let d = &s.live.diagnostics[i];
    match waive::waivable(d) {
        Ok(()) => {}
        // Nothing is wrong: it is done already.
        Err(done @ WaiveError::Waived { .. }) => return s.say(done.to_string()),
        Err(err) => return s.warn(err.to_string()),
    }
    let title = format!("Reason for waiving {} on {}", d.code, d.item);
    let purpose = TextPurpose::WaiverReason {
        code: d.code.to_string(),
        item: d.item.clone(),
    };
    s.modal = Some(Modal::text(purpose, &title, "", true));
}
