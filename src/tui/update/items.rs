//! Item operations on the selection: add (a picker of what fits here), delete (asking, and
//! offering to take the references along), duplicate, move up and down.

use super::jump::{jump, jump_to_row};
use super::{Context, apply};
use crate::edit::copy;
use crate::edit::items::{self, Deletion, NewItem};
use crate::plan::model::{Collection, Node};
use crate::tui::action::Action;
use crate::tui::app::{Focus, Modal, Pending, PickOption, PickPurpose, Picker, Session, View};

/// Offers what can be added where the selection is.
pub(super) fn add(s: &mut Session, cx: &Context) {
    let option = PickOption::new;
    let (title, options, purpose) = match (s.view, s.selection.focus) {
        (View::Countries, Focus::List) | (View::Matrix, _) => (
            "Add a country (type to filter by code or name)",
            country_options(s),
            PickPurpose::AddCountry,
        ),
        (View::Countries, _) => {
            if s.live.plan.countries.is_empty() {
                return;
            }
            let mut options = vec![option("st", "S&T objective"), option("sc", "SC objective")];
            if objective_of_selection(s).is_some() {
                options.push(option("indicator", "indicator of the selected objective"));
            }
            options.extend([
                option("agreement", "agreement"),
                option("actor", "actor"),
                option("investment_pool", "investment pool"),
                option("barrier", "barrier"),
            ]);
            ("Add to this section", options, PickPurpose::AddItem)
        }
        (View::Plan, _) => {
            let waive = cx.keymap.key_name(Action::Waive);
            let mut options = vec![
                option("priority", "strategic priority"),
                option(
                    "waiver",
                    &format!("waiver ({waive} on a diagnostic fills it in for you)"),
                ),
            ];
            if s.live.plan.meta.cui.is_none() {
                options.push(option("cui", "CUI designation indicator [plan.cui]"));
            }
            ("Add to the plan", options, PickPurpose::AddItem)
        }
        (View::Diagnostics | View::Review | View::Changes, _) => return,
    };
    let filterable = matches!(purpose, PickPurpose::AddCountry);
    s.modal = Some(Modal::picker(Picker {
        filterable,
        ..Picker::new(title, options, purpose)
    }));
}

/// The (country, objective) of the selected objective or indicator.
fn objective_of_selection(s: &Session) -> Option<(usize, usize)> {
    match s.selected_node()? {
        Node::Item(Collection::Objectives(c), o) | Node::Item(Collection::Indicators(c, o), _) => {
            Some((c, o))
        }
        _ => None,
    }
}

/// The countries a section may be added or copied for, as picker options.
fn country_options(s: &Session) -> Vec<PickOption> {
    items::addable_countries(&s.live.plan)
        .iter()
        .map(|(code, name)| PickOption::new(code, &format!("{code}  {name}")))
        .collect()
}

/// Copies the section at `index` for `code` and selects the copy in the list.
pub(super) fn copy_country(s: &mut Session, cx: &Context, index: usize, code: &str) {
    match copy::copy_country(&s.doc, &s.live.plan, index, code) {
        Ok(placed) => {
            apply(s, cx, placed.change);
            s.country = placed.node.country().unwrap_or(s.country);
            s.selection.focus = Focus::List;
        }
        Err(err) => s.warn(err.to_string()),
    }
}

/// Adds a country section for `code` and selects it in the list.
pub(super) fn add_country(s: &mut Session, cx: &Context, code: &str) {
    match items::add_country(&s.live.plan, code) {
        Ok(placed) => {
            apply(s, cx, placed.change);
            s.country = placed.node.country().unwrap_or(s.country);
            s.selection.focus = Focus::List;
        }
        Err(err) => s.warn(err.to_string()),
    }
}

/// Adds an item of the kind the add picker names, and shows its first blank field.
pub(super) fn add_item(s: &mut Session, cx: &Context, kind: &str) {
    let c = s.country;
    let what = match kind {
        "st" | "sc" => NewItem::Objective {
            country: c,
            st: kind == "st",
        },
        "indicator" => match objective_of_selection(s) {
            Some((country, objective)) => NewItem::Indicator { country, objective },
            None => return,
        },
        "agreement" => NewItem::Agreement(c),
        "actor" => NewItem::Actor(c),
        "investment_pool" => NewItem::Pool(c),
        "barrier" => NewItem::Barrier(c),
        "priority" => NewItem::Priority,
        "waiver" => NewItem::Waiver,
        "cui" => NewItem::Cui,
        _ => return,
    };
    match items::add(&s.doc, &s.live.plan, what) {
        Ok(placed) => {
            apply(s, cx, placed.change);
            jump(s, placed.node, placed.field);
        }
        Err(err) => s.warn(err.to_string()),
    }
}

/// Asks before deleting the selected field's value (in a form) or the selected item.
pub(super) fn delete(s: &mut Session, cx: &Context) {
    if matches!(s.view, View::Countries | View::Plan) && s.selection.focus == Focus::Form {
        let Some(node) = s.selected_node() else {
            return;
        };
        let Some(spec) = node.kind().fields().get(s.selection.field) else {
            return;
        };
        if let Some(change) = items::clear_field(&s.doc, node, spec.name) {
            let question = format!(
                "Remove `{}` from {}?",
                spec.name,
                items::name(&s.live.plan, node)
            );
            s.modal = Some(Modal::confirm(
                question,
                Pending::Apply(Box::new(change)),
                None,
            ));
        }
        return;
    }
    let Some(node) = s.selected_node() else {
        return;
    };
    let key = |action| cx.keymap.key_name(action);
    s.modal = Some(match items::delete(&s.doc, &s.live.plan, node) {
        Err(err) => return s.warn(err.to_string()),
        Ok(Deletion {
            name,
            alone,
            with_references: Some((by, both)),
        }) => Modal::choice(
            format!(
                "Delete {name}? It is referenced by {}. {}: delete it and those references (one undo step), {}: delete it only, {}: cancel",
                crate::text::first_of(&by, 6, ", "),
                key(Action::Yes),
                key(Action::No),
                key(Action::Dismiss),
            ),
            Pending::Apply(Box::new(both)),
            Pending::Apply(Box::new(alone)),
            ["delete with references", "delete only"],
        ),
        Ok(Deletion {
            name,
            alone,
            with_references: None,
        }) => Modal::confirm(
            format!("Delete {name}? {}", cx.keymap.yes_no()),
            Pending::Apply(Box::new(alone)),
            None,
        ),
    });
}

pub(super) fn duplicate(s: &mut Session, cx: &Context) {
    let Some(Node::Item(collection, index)) = s.selected_node() else {
        return s.warn("select an item to duplicate");
    };
    if collection == Collection::Countries {
        let from = s
            .live
            .plan
            .countries
            .get(index)
            .map_or("", |c| c.head.item.as_str());
        let title = format!("Copy the {from} section for which country? (type to filter)");
        s.modal = Some(Modal::picker(Picker {
            filterable: true,
            ..Picker::new(&title, country_options(s), PickPurpose::CopyCountry(index))
        }));
        return;
    }
    match items::duplicate(&s.doc, &s.live.plan, collection, index) {
        Ok(placed) => {
            apply(s, cx, placed.change);
            jump_to_row(s, placed.node);
        }
        Err(err) => s.warn(err.to_string()),
    }
}

pub(super) fn move_item(s: &mut Session, cx: &Context, delta: isize) {
    let Some(Node::Item(collection, from)) = s.selected_node() else {
        return;
    };
    let Some(placed) = items::move_item(&s.doc, collection, from, delta) else {
        return;
    };
    apply(s, cx, placed.change);
    match placed.node {
        // A country moved in the list stays selected there.
        Node::Item(Collection::Countries, to) if s.selection.focus == Focus::List => s.country = to,
        node => jump_to_row(s, node),
    }
}
