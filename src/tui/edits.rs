//! The edits behind the editor's commands: new items with fresh ids, duplicates, deletions
//! with their references, renames that follow references, and quick fixes. Pure functions
//! from the plan and document to [`Edit`]s.

use std::collections::HashSet;

use jiff::civil::Date;
use toml_edit::{Array, Item, Table, Value};

use crate::check::diagnostic::Diagnostic;
use crate::plan::catalog;
use crate::plan::document::{Edit, ItemBody, PlanDocument, clear_positions};
use crate::plan::marking;
use crate::plan::model::{Collection, Node, Plan, val};
use crate::plan::schema::TableKind;

/// Every id and country code of the plan (one namespace).
pub fn used_ids(plan: &Plan) -> HashSet<&str> {
    plan.ids().collect()
}

/// `<prefix><n>` with the smallest positive `n` not yet used.
pub fn fresh_id(plan: &Plan, prefix: &str) -> String {
    let used = used_ids(plan);
    (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|id| !used.contains(id.as_str()))
        .unwrap_or_else(|| prefix.to_string())
}

/// The id prefix of new items of `kind` in the country with `code`.
pub fn id_prefix(kind: TableKind, code: &str, st: bool) -> Option<String> {
    Some(match kind {
        TableKind::Priority => "SP-".to_string(),
        TableKind::Objective if st => format!("{code}-ST-"),
        TableKind::Objective => format!("{code}-SC-"),
        TableKind::Agreement => format!("{code}-AG-"),
        TableKind::Actor => format!("{code}-AC-"),
        TableKind::Pool => format!("{code}-IP-"),
        _ => return None,
    })
}

fn string(s: &str) -> Item {
    Item::Value(Value::from(s))
}

/// A new table of `kind` with its required keys: a fresh id and blank texts to fill in.
pub fn new_table(plan: &Plan, kind: TableKind, code: &str, st: bool) -> Table {
    let mut t = Table::new();
    if let Some(prefix) = id_prefix(kind, code, st) {
        t.insert("id", string(&fresh_id(plan, &prefix)));
    }
    match kind {
        TableKind::Priority => {
            t.insert("title", string(""));
            t.insert("source", string(""));
        }
        TableKind::Objective => {
            t.insert("kind", string(if st { "st" } else { "sc" }));
            t.insert("text", string(""));
            if st {
                t.insert("priorities", Item::Value(Value::Array(Array::new())));
                t.insert("tech_areas", Item::Value(Value::Array(Array::new())));
            }
        }
        TableKind::Indicator => {
            t.insert("name", string(""));
        }
        TableKind::Agreement => {
            t.insert("kind", string("mou"));
            t.insert("title", string(""));
        }
        TableKind::Actor => {
            t.insert("name", string(""));
            t.insert("kind", string("ministry"));
        }
        TableKind::Pool => {
            t.insert("name", string(""));
            t.insert("tech_areas", Item::Value(Value::Array(Array::new())));
        }
        TableKind::Barrier => {
            t.insert("kind", string("other"));
            t.insert("text", string(""));
        }
        TableKind::Waiver => {
            t.insert("rule", string(""));
            t.insert("item", string(""));
            t.insert("reason", string(""));
        }
        _ => {}
    }
    t
}

/// A new country section.
pub fn new_country(code: &str) -> Table {
    let mut t = Table::new();
    t.insert("code", string(code));
    t.insert("name", string(catalog::country_name(code).unwrap_or("")));
    t
}

/// A new waiver of `code` on `item`.
pub fn new_waiver(code: &str, item: &str, reason: &str) -> Table {
    let mut t = Table::new();
    t.insert("rule", string(code));
    t.insert("item", string(item));
    t.insert("reason", string(reason));
    t
}

/// A copy of the item at `index` of `collection` with a fresh id, inserted after it.
pub fn duplicate(
    doc: &PlanDocument,
    plan: &Plan,
    collection: Collection,
    index: usize,
) -> Option<Edit> {
    let body = doc.item_body(collection, index)?;
    let mut table = match body {
        ItemBody::Header(t) => t,
        ItemBody::Inline(Value::InlineTable(t)) => t.into_table(),
        ItemBody::Inline(_) => return None,
    };
    clear_positions(&mut table);
    table.decor_mut().clear();
    let kind = collection.kind();
    if let Some(Item::Value(Value::String(id))) = table.get("id") {
        let id = id.value().clone();
        let prefix = match id.rfind('-') {
            Some(i) if id[i + 1..].chars().all(|c| c.is_ascii_digit()) => id[..=i].to_string(),
            _ => format!("{id}-"),
        };
        table.insert("id", string(&fresh_id(plan, &prefix)));
    } else if kind == TableKind::Country {
        return None;
    }
    Some(Edit::InsertItem {
        collection,
        index: index + 1,
        body: ItemBody::Header(table),
    })
}

/// A place that names an id: a list entry of a table, or a waiver's item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The table holding the reference.
    pub node: Node,
    /// The key (`priorities`, `governance`, `item`).
    pub field: &'static str,
    /// Who refers, for messages.
    pub by: String,
}

/// Every reference to `id` in the plan: priority links, governance entries, waiver items.
pub fn references(plan: &Plan, id: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for (ci, c) in plan.countries.iter().enumerate() {
        for (oi, o) in c.objectives.iter().enumerate() {
            for (field, list) in [("priorities", &o.priorities), ("governance", &o.governance)] {
                if val(list).is_some_and(|l| l.entries.iter().any(|e| e == id)) {
                    out.push(Reference {
                        node: Node::Item(Collection::Objectives(ci), oi),
                        field,
                        by: o.head.item.clone(),
                    });
                }
            }
        }
    }
    for (wi, w) in plan.waivers.iter().enumerate() {
        if val(&w.item).is_some_and(|i| i == id) {
            out.push(Reference {
                node: Node::Item(Collection::Waivers, wi),
                field: "item",
                by: format!("waiver {}", wi + 1),
            });
        }
    }
    out
}

/// The array at `node.field` with every entry equal to `old` replaced by `new` (or removed
/// when `new` is `None`), keeping the formatting of the rest.
fn rewrite_list(
    doc: &PlanDocument,
    node: Node,
    field: &str,
    old: &str,
    new: Option<&str>,
) -> Option<Edit> {
    let Some(Item::Value(Value::Array(array))) = doc.get(node, field) else {
        return None;
    };
    let mut out = Array::new();
    for value in array.iter() {
        match (value.as_str(), new) {
            (Some(s), Some(replacement)) if s == old => {
                let mut v = Value::from(replacement);
                *v.decor_mut() = value.decor().clone();
                out.push_formatted(v);
            }
            (Some(s), None) if s == old => {}
            _ => out.push_formatted(value.clone()),
        }
    }
    if out.len() < array.len()
        && let Some(first) = out.get_mut(0)
    {
        first.decor_mut().set_prefix("");
    }
    out.set_trailing(array.trailing().clone());
    out.set_trailing_comma(array.trailing_comma() && !out.is_empty());
    Some(Edit::SetField {
        node,
        field: field.to_string(),
        value: Some(Value::Array(out)),
    })
}

/// The edits that make every reference to `old` name `new` instead.
pub fn rename_references(doc: &PlanDocument, plan: &Plan, old: &str, new: &str) -> Vec<Edit> {
    references(plan, old)
        .into_iter()
        .filter_map(|r| match r.field {
            "item" => Some(Edit::SetField {
                node: r.node,
                field: "item".to_string(),
                value: Some(Value::from(new)),
            }),
            field => rewrite_list(doc, r.node, field, old, Some(new)),
        })
        .collect()
}

/// The edits that remove every reference to `id`: list entries, and waivers about it.
/// Waivers are removed last-first so that the indices stay valid.
pub fn remove_references(doc: &PlanDocument, plan: &Plan, id: &str) -> Vec<Edit> {
    let refs = references(plan, id);
    let mut edits: Vec<Edit> = refs
        .iter()
        .filter(|r| r.field != "item")
        .filter_map(|r| rewrite_list(doc, r.node, r.field, id, None))
        .collect();
    let mut waivers: Vec<usize> = refs
        .iter()
        .filter_map(|r| match r.node {
            Node::Item(Collection::Waivers, i) => Some(i),
            _ => None,
        })
        .collect();
    waivers.sort_unstable_by(|a, b| b.cmp(a));
    edits.extend(waivers.into_iter().map(|index| Edit::RemoveItem {
        collection: Collection::Waivers,
        index,
    }));
    edits
}

/// A TOML local date value.
pub fn date_value(date: Date) -> Value {
    let d = toml_edit::Date {
        year: date.year() as u16,
        month: date.month() as u8,
        day: date.day() as u8,
    };
    Value::from(toml_edit::Datetime {
        date: Some(d),
        time: None,
        offset: None,
    })
}

/// The mechanical fix of a diagnostic, with a description of what it does.
pub fn quick_fix(
    doc: &PlanDocument,
    plan: &Plan,
    d: &Diagnostic,
    today: Date,
) -> Option<(Edit, String)> {
    let node = d.target.node?;
    match d.code {
        "SCP202" => {
            let portions: Vec<marking::Marking> = plan
                .portions()
                .iter()
                .filter_map(|p| {
                    p.portion
                        .marking_text()
                        .and_then(|m| marking::parse_portion(m).ok())
                })
                .collect();
            let banner = marking::roll_up(&portions, plan.meta.profile());
            Some((
                Edit::SetField {
                    node: Node::Plan,
                    field: "marking".to_string(),
                    value: Some(Value::from(banner.as_str())),
                },
                format!("banner set to {banner}"),
            ))
        }
        "SCP103" => {
            let ids: Vec<&str> = plan
                .priorities
                .iter()
                .filter_map(|p| val(&p.id).map(String::as_str))
                .collect();
            let Some(Item::Value(Value::Array(array))) = doc.get(node, "priorities") else {
                return None;
            };
            let dangling = array
                .iter()
                .filter_map(|v| v.as_str())
                .find(|s| !ids.contains(s))?;
            let best = catalog::closest(dangling, ids.iter().copied())?;
            let edit = rewrite_list(doc, node, "priorities", dangling, Some(best))?;
            Some((edit, format!("{dangling} replaced by {best}")))
        }
        "SCP301" => Some((
            Edit::SetField {
                node,
                field: "last_reviewed".to_string(),
                value: Some(date_value(today)),
            },
            format!("{} marked reviewed {today}", d.item),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::document::PlanDocument;

    fn doc() -> PlanDocument {
        PlanDocument::from_bytes(include_bytes!("../../plans/eucom-sample.toml")).unwrap()
    }

    #[test]
    fn fresh_ids_take_the_smallest_free_number() {
        let d = doc();
        let plan = d.load().plan;
        assert_eq!(
            fresh_id(&plan, "POL-ST-"),
            format!(
                "POL-ST-{}",
                (1..)
                    .find(|n| !used_ids(&plan).contains(format!("POL-ST-{n}").as_str()))
                    .unwrap()
            )
        );
        assert_eq!(fresh_id(&plan, "ZZZ-AG-"), "ZZZ-AG-1");
        assert!(!used_ids(&plan).contains(fresh_id(&plan, "SP-").as_str()));
    }

    #[test]
    fn renaming_a_priority_follows_every_reference() {
        let mut d = doc();
        let plan = d.load().plan;
        let before = references(&plan, "SP-1").len();
        assert!(before > 0);
        for edit in rename_references(&d, &plan, "SP-1", "SP-9") {
            d.apply(edit).unwrap();
        }
        let plan = d.load().plan;
        assert!(references(&plan, "SP-1").is_empty());
        assert_eq!(references(&plan, "SP-9").len(), before);
    }
}
