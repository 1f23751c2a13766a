//! Search: the query asked for, the items whose fields contain it, the next and previous
//! match.

use crate::edit::value;
use crate::plan::model::Node;
use crate::tui::app::{Focus, Modal, Search, Session, TextPurpose};
use crate::tui::rows;

use super::Context;
use super::jump::jump_to_row;
use crate::tui::action::Action;

/// Asks for a new query (the prompt starts empty; the last query goes on with the next and
/// previous match keys).
pub(super) fn prompt(s: &mut Session) {
    s.modal = Some(Modal::text(
        TextPurpose::Search,
        "Search ids and text",
        "",
        false,
    ));
}

/// Every item in document-tree order, for search.
pub(super) fn all_nodes(s: &Session) -> Vec<Node> {
    let mut nodes = rows::plan_rows(&s.live.plan);
    for c in 0..s.live.plan.countries.len() {
        nodes.extend(rows::section_rows(&s.live.plan, c));
    }
    nodes
}

/// Searches ids and text for `query` (case-insensitive) and shows the first match.
pub(super) fn search(s: &mut Session, cx: &Context, query: &str) {
    let needle = query.trim().to_lowercase();
    if needle.is_empty() {
        s.search = None;
        return;
    }
    let matches: Vec<Node> = all_nodes(s)
        .into_iter()
        .filter(|&node| {
            node.kind().fields().iter().any(|spec| {
                value::as_text(s.doc.get(node, spec.name), "\n")
                    .unwrap_or_default()
                    .to_lowercase()
                    .contains(&needle)
            })
        })
        .collect();
    if let Some(&first) = matches.first() {
        show(s, first);
        s.say(format!(
            "{} match(es) for \"{query}\" ({}/{}: next/previous)",
            matches.len(),
            cx.keymap.key_name(Action::NextMatch),
            cx.keymap.key_name(Action::PrevMatch),
        ));
    } else {
        s.warn(format!("no match for \"{query}\""));
    }
    s.search = Some(Search {
        query: query.to_string(),
        matches,
        index: 0,
    });
}

/// Shows a match in its list.
fn show(s: &mut Session, node: Node) {
    jump_to_row(s, node);
    s.selection.focus = if node.country().is_some() {
        Focus::Section
    } else {
        Focus::List
    };
}

pub(super) fn next_match(s: &mut Session, cx: &Context, forward: bool) {
    let Some(search) = &mut s.search else {
        let key = cx.keymap.key_name(Action::Search);
        return s.say(format!("no search yet: press {key}"));
    };
    if search.matches.is_empty() {
        return;
    }
    let n = search.matches.len();
    search.index = if forward {
        (search.index + 1) % n
    } else {
        (search.index + n - 1) % n
    };
    let (node, index) = (search.matches[search.index], search.index);
    show(s, node);
    s.say(format!("match {} of {n}", index + 1));
}
