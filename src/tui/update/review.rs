//! The review queue: moving between its links, confirming one link or every link to a
//! priority (one undo step each), opening the objective, and the selected link's history,
//! read from git when the selection changes.

use super::jump::jump;
use super::{Context, apply};
use crate::edit::change::Change;
use crate::edit::review::{self, Target};
use crate::tui::action::Action;
use crate::tui::app::ReviewDetail;
use crate::tui::app::{Session, View};
use crate::tui::review::{selected, stored};
use crate::vcs::stamps::reviewed_text;

/// Handles an action of the review queue; `false` when it is not one (the usual handling
/// applies).
pub(super) fn key(s: &mut Session, cx: &Context, action: Action) -> bool {
    let in_queue = s.view == View::Review;
    match action {
        Action::ConfirmLink | Action::ConfirmPriority if !in_queue => s.say(format!(
            "links are confirmed in the review queue ({})",
            cx.keymap.key_name(Action::ViewReview)
        )),
        Action::ConfirmLink => confirm(s, cx, false),
        Action::ConfirmPriority => confirm(s, cx, true),
        Action::Up if in_queue => step(s, -1),
        Action::Down if in_queue => step(s, 1),
        Action::PageUp if in_queue => step(s, -10),
        Action::PageDown if in_queue => step(s, 10),
        Action::First if in_queue => step(s, -super::navigation::FAR),
        Action::Last if in_queue => step(s, super::navigation::FAR),
        Action::Open if in_queue => {
            if let Some((_, link)) = selected(s) {
                jump(s, link.node, Some("text"));
            }
        }
        _ => return false,
    }
    true
}

fn step(s: &mut Session, delta: isize) {
    let len = review::queue_rows(&review::queue(&s.live.plan)).len();
    let row = (s.selection.review_row as isize).saturating_add(delta);
    s.selection.review_row = row.clamp(0, len.saturating_sub(1) as isize) as usize;
}

/// Confirms the selected link, or every link to its priority.
fn confirm(s: &mut Session, cx: &Context, all: bool) {
    let Some((group, link)) = selected(s) else {
        return s.say("no link waits for review");
    };
    let target = if all {
        Target::Priority(group.priority.clone())
    } else {
        Target::Link(link.objective.clone(), group.priority.clone())
    };
    match review::confirm(&s.doc, &s.live.plan, &[target]) {
        Ok(stamping) => match stamping.edit {
            Some(edit) => {
                let message = format!(
                    "confirmed {} link(s) to {} ({} undoes)",
                    stamping.stamped.len(),
                    group.priority,
                    cx.keymap.key_name(Action::Undo)
                );
                apply(s, cx, Change::new(edit, message));
            }
            None => s.say("already confirmed"),
        },
        Err(err) => s.warn(format!("not confirmed: {err}")),
    }
}

/// Keeps the selection inside the queue and the selected link's history current: read from
/// git only when another priority or stamp is selected.
pub(super) fn refresh(s: &mut Session, cx: &Context) {
    let len = review::queue_rows(&review::queue(&s.live.plan)).len();
    s.selection.review_row = s.selection.review_row.min(len.saturating_sub(1));
    let Some((group, link)) = selected(s) else {
        s.review = None;
        return;
    };
    let stored = stored(&link);
    if s.review
        .as_ref()
        .is_some_and(|d| d.priority == group.priority && d.stored == stored)
    {
        return;
    }
    let reviewed = match &stored {
        Some(stamp) => reviewed_text(&s.path, &group.priority, stamp, cx.settings)
            .map_err(|err| err.to_string()),
        None => Ok(None),
    };
    s.review = Some(ReviewDetail {
        priority: group.priority,
        stored,
        reviewed,
    });
}
