//! An empty matrix cell: covering the priority in the country, by linking one of its S&T
//! objectives or by adding a new one (its technology areas chosen next).

use super::{Context, apply, fields};
use toml_edit::{InlineTable, Value};

use crate::edit::change::Change;
use crate::edit::items::{self, NewItem};
use crate::edit::review as edit_review;
use crate::plan::document::Edit;
use crate::plan::model::{Collection, Node, text};
use crate::plan::review;
use crate::tui::app::{Modal, PickOption, PickPurpose, Picker, Session};

/// The value of the option that adds a new objective.
const NEW: &str = "new";

/// Offers to link an S&T objective of country `ci` to priority `pid`, or to add one.
pub(super) fn offer(s: &mut Session, ci: usize, pid: &str) {
    let Some(country) = s.live.plan.countries.get(ci) else {
        return;
    };
    let mut options: Vec<PickOption> = country
        .objectives
        .iter()
        .enumerate()
        .filter(|(_, o)| o.is_st())
        .map(|(oi, o)| {
            let label = format!("Link {} to {pid}: {}", o.head.item, text(&o.text));
            PickOption::new(&oi.to_string(), &label)
        })
        .collect();
    options.push(PickOption::new(
        NEW,
        &format!("Add a new S&T objective for {pid}"),
    ));
    let title = format!("{} serves {pid} with no S&T objective", country.head.item);
    let purpose = PickPurpose::Cover {
        country: ci,
        priority: pid.to_string(),
    };
    s.modal = Some(Modal::picker(Picker::new(title, options, purpose)));
}

/// Carries out the choice: the objective linked, or a new one added with the link and its
/// technology areas to choose.
pub(super) fn cover(s: &mut Session, cx: &Context, country: usize, pid: &str, choice: &str) {
    let link = |node| Edit::AddEntry {
        node,
        field: "priorities".to_string(),
        value: pid.to_string(),
    };
    if choice == NEW {
        let what = NewItem::Objective { country, st: true };
        match items::add(&s.doc, &s.live.plan, what) {
            Ok(placed) => {
                let mut edits = vec![placed.change.edit, link(placed.node)];
                // Linked in the editor: the link is reviewed now (see "Link review").
                if let Some(stamp) = review::current_stamps(&s.live.plan).get(pid) {
                    let mut stamps = InlineTable::new();
                    stamps.insert(pid, Value::from(stamp.as_str()));
                    edits.push(Edit::SetField {
                        node: placed.node,
                        field: "reviewed_links".to_string(),
                        value: Some(Value::InlineTable(stamps)),
                    });
                }
                let edit = Edit::Batch(edits);
                let message = format!("added an S&T objective for {pid}");
                apply(s, cx, Change::new(edit, message));
                super::jump::jump(s, placed.node, Some("tech_areas"));
                fields::edit(s, cx, placed.node, "tech_areas");
            }
            Err(err) => s.warn(err.to_string()),
        }
        return;
    }
    let Ok(oi) = choice.parse::<usize>() else {
        return;
    };
    let node = Node::Item(Collection::Objectives(country), oi);
    let name = items::name(&s.live.plan, node);
    let mut after: Vec<String> = s
        .live
        .plan
        .countries
        .get(country)
        .and_then(|c| c.objectives.get(oi))
        .and_then(|o| o.priorities.as_ref()?.value.as_ref())
        .map(|l| l.entries.clone())
        .unwrap_or_default();
    after.push(pid.to_string());
    match edit_review::linked(&s.doc, &s.live.plan, node, "priorities", link(node), &after) {
        Ok(edit) => apply(s, cx, Change::new(edit, format!("{name} linked to {pid}"))),
        Err(err) => s.warn(format!("not changed: {err}")),
    }
}
