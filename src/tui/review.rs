//! What the review queue shows: its links in order (by priority, as
//! [`crate::edit::review::queue`] groups them), and for the selected link the priority's text
//! now and when the link was reviewed, read from git once when the link is selected.

use super::app::Session;
use crate::edit::review::{QueueGroup, QueuedLink, queued_at};
use crate::plan::model::{Plan, text, val};
use crate::plan::review::LinkState;
use crate::vcs::stamps::priority_text;

/// The queue and the selected link in it.
pub fn selected(s: &Session) -> Option<(QueueGroup, QueuedLink)> {
    queued_at(&s.live.plan, s.selection.review_row)
}

/// The stamp stored for a queued link, when it has one.
pub fn stored(link: &QueuedLink) -> Option<String> {
    match &link.state {
        LinkState::Suspect { stored } => Some(stored.clone()),
        _ => None,
    }
}

/// The current title, source and description of the priority with this id, as one text.
pub fn current_text(plan: &Plan, id: &str) -> String {
    plan.priorities
        .iter()
        .find(|p| val(&p.id).is_some_and(|v| v == id))
        .map(|p| priority_text(text(&p.title), text(&p.source), text(&p.description)))
        .unwrap_or_default()
}
