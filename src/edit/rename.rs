//! References between items, and renames that follow them: an id (or a country's code) is
//! named by priority links, governance entries and waiver items; renaming it can update them
//! all in one step, and deleting it can take them away.

use toml_edit::{Array, Item, Value};

use super::change::Change;
use super::review;
use crate::plan::document::{Edit, PlanDocument};
use crate::plan::model::{Collection, Node, Plan, val};
use crate::plan::schema::TableKind;

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
pub(super) fn rewrite_list(
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

/// The edits that make every reference to `old` name `new` instead, the stamps of its
/// reviewed links included.
pub fn rename_references(doc: &PlanDocument, plan: &Plan, old: &str, new: &str) -> Vec<Edit> {
    renaming(doc, plan, &references(plan, old), old, new)
}

/// The edits that make the references `refs` to `old` name `new`, and the stamps follow.
fn renaming(
    doc: &PlanDocument,
    plan: &Plan,
    refs: &[Reference],
    old: &str,
    new: &str,
) -> Vec<Edit> {
    let mut edits: Vec<Edit> = refs
        .iter()
        .filter_map(|r| match r.field {
            "item" => Some(Edit::SetField {
                node: r.node,
                field: "item".to_string(),
                value: Some(Value::from(new)),
            }),
            field => rewrite_list(doc, r.node, field, old, Some(new)),
        })
        .collect();
    edits.extend(review::rename_stamps(doc, plan, old, new));
    edits
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
    // A priority's review stamps go with it (they would be stale, SCP111).
    edits.extend(super::review::remove_stamps(doc, plan, id));
    edits
}

/// A rename that references follow: the count of references, and the two ways to do it.
#[derive(Debug, Clone)]
pub struct Rename {
    /// How many references name the old id.
    pub references: usize,
    /// The new id set and every reference updated, as one step.
    pub with_references: Change,
    /// The new id set alone.
    pub alone: Change,
}

/// Whether `field` of `node` is what references name it by: an `id`, a country's `code`.
pub fn names_the_item(node: Node, field: &str) -> bool {
    field == "id" || (field == "code" && node.kind() == TableKind::Country)
}

/// Setting `field` of `node` from `old` to `new`, when that renames something that
/// references name (an `id`, a country's `code`) and some do; `None` when there is nothing
/// to follow, and a plain set is all there is.
pub fn rename(
    doc: &PlanDocument,
    plan: &Plan,
    node: Node,
    field: &str,
    old: &str,
    new: &str,
) -> Option<Rename> {
    if !names_the_item(node, field) || old.is_empty() {
        return None;
    }
    let found = references(plan, old);
    let refs = renaming(doc, plan, &found, old, new);
    if refs.is_empty() {
        return None;
    }
    let set = Edit::SetField {
        node,
        field: field.to_string(),
        value: Some(Value::from(new)),
    };
    let references = found.len();
    let mut batch = vec![set.clone()];
    batch.extend(refs);
    Some(Rename {
        references,
        with_references: Change::new(
            Edit::Batch(batch),
            format!("renamed {old} to {new} with its references"),
        ),
        alone: Change::new(set, format!("renamed {old} to {new}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> PlanDocument {
        PlanDocument::from_bytes(include_bytes!("../../plans/eucom-sample.toml")).unwrap()
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

    #[test]
    fn a_rename_offers_both_ways_only_when_something_refers() {
        let mut d = doc();
        let plan = d.load().plan;
        let node = Node::Item(Collection::Priorities, 0);
        let old = plan.priorities[0].head.item.clone();
        let r = rename(&d, &plan, node, "id", &old, "SP-99").expect("SP-1 is linked");
        assert_eq!(r.references, references(&plan, &old).len());
        assert_eq!(r.alone.message, format!("renamed {old} to SP-99"));
        assert!(rename(&d, &plan, node, "title", &old, "SP-99").is_none());
        assert!(rename(&d, &plan, node, "id", "", "SP-99").is_none());
        assert!(rename(&d, &plan, node, "id", "SP-404", "SP-99").is_none());
        d.apply(r.with_references.edit).unwrap();
        let plan = d.load().plan;
        assert!(references(&plan, &old).is_empty());
        assert_eq!(plan.priorities[0].head.item, "SP-99");
    }

    #[test]
    fn renaming_a_priority_moves_the_stamps_of_its_reviewed_links() {
        let mut d = doc();
        let plan = d.load().plan;
        let stamping = review::unstamped(&plan).edits(&d).unwrap();
        d.apply(stamping.edit.unwrap()).unwrap();
        let plan = d.load().plan;
        let node = Node::Item(Collection::Priorities, 0);
        let r = rename(&d, &plan, node, "id", "SP-1", "SP-9").unwrap();
        assert_eq!(r.references, references(&plan, "SP-1").len());
        d.apply(r.with_references.edit).unwrap();
        let text = d.to_text();
        assert!(!text.contains("SP-1 ="), "{text}");
        let settings = crate::check::Settings::default();
        let checked = crate::check::check_text(text, &settings);
        let review: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| ["SCP109", "SCP110", "SCP111"].contains(&d.code))
            .collect();
        assert!(review.is_empty(), "{review:#?}");
    }

    #[test]
    fn removing_references_leaves_none() {
        let mut d = doc();
        let plan = d.load().plan;
        for edit in remove_references(&d, &plan, "SP-1") {
            d.apply(edit).unwrap();
        }
        assert!(references(&d.load().plan, "SP-1").is_empty());
    }
}
