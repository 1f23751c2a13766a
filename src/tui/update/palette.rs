//! The command palette: every browsing action of the keymap (its name, keys and help) and
//! every item (by id and title), filtered as the planner types; Enter runs or goes.

use super::{Context, search};
use crate::edit::items;
use crate::plan::model::{Collection, Node, text};
use crate::tui::action::Action;
use crate::tui::app::{Modal, PickOption, PickPurpose, Picker, Session};
use crate::tui::keymap::Mode;

/// Opens the palette.
pub(super) fn open(s: &mut Session, cx: &Context) {
    let mut actions = Vec::new();
    let mut options = Vec::new();
    for b in cx.keymap.bindings(Mode::Browse) {
        // Neither the palette itself nor the prefix key, whose next key the palette is not.
        if matches!(b.action, Action::Palette | Action::Go) {
            continue;
        }
        let keys: Vec<String> = b.keys.iter().map(|k| format!("{k:#}")).collect();
        let name = name(b.action);
        let label = format!("{name} ({}): {}", keys.join(", "), b.help);
        options.push(PickOption::new(&name, &label));
        actions.push(b.action);
    }
    let nodes: Vec<Node> = search::all_nodes(s);
    for &node in &nodes {
        let name = items::name(&s.live.plan, node);
        let label = format!("go to {name} {}", title_of(s, node).unwrap_or_default());
        options.push(PickOption::new(&name, label.trim_end()));
    }
    s.modal = Some(Modal::picker(Picker {
        filterable: true,
        ..Picker::new(
            "Run an action or go to an item (type to filter)",
            options,
            PickPurpose::Palette { actions, nodes },
        )
    }));
}

/// An action's name in words: `QuickFix` is "quick fix".
fn name(action: Action) -> String {
    let mut out = String::new();
    for c in format!("{action:?}").chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The title of a priority, or the text of an objective, to find it by.
fn title_of(s: &Session, node: Node) -> Option<String> {
    match node {
        Node::Item(Collection::Priorities, i) => s
            .live
            .plan
            .priorities
            .get(i)
            .map(|p| text(&p.title).to_string()),
        _ => None,
    }
}
