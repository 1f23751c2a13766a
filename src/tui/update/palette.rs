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

/// What an item is called besides its id, to find it by: a priority's or an agreement's
/// title, a country's, actor's, pool's or indicator's name, an objective's or a barrier's
/// text (its first line).
fn title_of(s: &Session, node: Node) -> Option<String> {
    let plan = &s.live.plan;
    let country = |ci: usize| plan.countries.get(ci);
    let called = match node {
        Node::Item(Collection::Priorities, i) => &plan.priorities.get(i)?.title,
        Node::Item(Collection::Countries, i) => &country(i)?.name,
        Node::Item(Collection::Objectives(ci), i) => &country(ci)?.objectives.get(i)?.text,
        Node::Item(Collection::Agreements(ci), i) => &country(ci)?.agreements.get(i)?.title,
        Node::Item(Collection::Actors(ci), i) => &country(ci)?.actors.get(i)?.name,
        Node::Item(Collection::Pools(ci), i) => &country(ci)?.pools.get(i)?.name,
        Node::Item(Collection::Barriers(ci), i) => &country(ci)?.barriers.get(i)?.text,
        Node::Item(Collection::Indicators(ci, oi), i) => {
            &country(ci)?.objectives.get(oi)?.indicators.get(i)?.name
        }
        _ => return None,
    };
    let first = text(called).lines().next().unwrap_or("").trim();
    (!first.is_empty()).then(|| first.to_string())
}
