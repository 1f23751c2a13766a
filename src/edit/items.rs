//! Items added, duplicated, deleted and moved: new tables with fresh ids and their required
//! keys to fill in, copies with a fresh id, deletions that may take the references to the
//! item with them, and how an item is named in messages.

use std::collections::HashSet;

use toml_edit::{Array, InlineTable, Item, Table, TableLike, Value};

use super::change::Change;
use super::ids;
use super::rename::{references, remove_references};
use crate::plan::catalog;
use crate::plan::document::{Edit, ItemBody, PlanDocument, clear_positions};
use crate::plan::model::{Collection, Head, Node, Plan, val};
use crate::plan::schema::TableKind;

/// Why an item cannot be added, duplicated or deleted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItemError {
    /// `[plan]` is not an item of a list.
    #[error("the [plan] table cannot be deleted")]
    PlanTable,
    /// A copy of a section would repeat its country code.
    #[error("a country section is copied for another country: its code must stay unique")]
    CountryCopy,
    /// The item is not a table (or not there).
    #[error("this item cannot be duplicated")]
    NotCopyable,
    /// The plan has one already.
    #[error("the plan already has {0}")]
    Present(String),
}

/// `<prefix><n>` with the smallest positive `n` not yet used in the plan.
pub fn fresh_id(plan: &Plan, prefix: &str) -> String {
    // Only the ids with the prefix can be taken: a large plan has tens of thousands of others.
    let used: HashSet<&str> = plan.ids().filter(|id| id.starts_with(prefix)).collect();
    ids::fresh(prefix, |id| used.contains(id))
}

fn string(s: &str) -> Item {
    Item::Value(Value::from(s))
}

/// The prefix an id's fresh siblings share: `POL-ST-` for `POL-ST-3`, `X-` for `X`.
pub fn id_prefix(id: &str) -> String {
    match id.rfind('-') {
        Some(i) if id[i + 1..].chars().all(|c| c.is_ascii_digit()) => id[..=i].to_string(),
        _ => format!("{id}-"),
    }
}

/// Sets `key` of a table copied from the plan to the string `text`: an existing value is
/// replaced in its place, its key's indentation and the spaces and comment around it kept.
pub(super) fn replace_text(table: &mut dyn TableLike, key: &str, text: &str) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = Value::from(text);
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, string(text));
        }
    }
}

/// A new table of `kind` with its required keys: a fresh id and blank texts to fill in.
fn new_table(plan: &Plan, kind: TableKind, code: &str, st: bool) -> Table {
    let mut t = Table::new();
    if let Some(prefix) = ids::prefix(kind, code, st) {
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
fn new_country(code: &str) -> Table {
    let mut t = Table::new();
    t.insert("code", string(code));
    t.insert("name", string(catalog::country_name(code).unwrap_or("")));
    t
}

/// The head (address and item name) of the table at `node`.
pub fn head(plan: &Plan, node: Node) -> Option<&Head> {
    let Node::Item(collection, i) = node else {
        return None;
    };
    let country = |c: usize| plan.countries.get(c);
    Some(match collection {
        Collection::Priorities => &plan.priorities.get(i)?.head,
        Collection::Countries => &country(i)?.head,
        Collection::Waivers => &plan.waivers.get(i)?.head,
        Collection::Objectives(c) => &country(c)?.objectives.get(i)?.head,
        Collection::Agreements(c) => &country(c)?.agreements.get(i)?.head,
        Collection::Actors(c) => &country(c)?.actors.get(i)?.head,
        Collection::Pools(c) => &country(c)?.pools.get(i)?.head,
        Collection::Barriers(c) => &country(c)?.barriers.get(i)?.head,
        Collection::Indicators(c, o) => &country(c)?.objectives.get(o)?.indicators.get(i)?.head,
    })
}

/// Names an item for messages: its id, or its kind and position.
pub fn name(plan: &Plan, node: Node) -> String {
    match node {
        Node::Plan => "the plan".to_string(),
        Node::Cui | Node::Authority => format!("the {}", node.kind().noun()),
        Node::Item(collection, i) => {
            let kind = collection.kind();
            let own = head(plan, node).map(|h| h.item.clone()).unwrap_or_default();
            match kind {
                TableKind::Indicator | TableKind::Barrier | TableKind::Waiver => {
                    format!("{} {} of {own}", kind.noun(), i + 1)
                }
                _ => format!("{} {own}", kind.noun()),
            }
        }
    }
}

/// What to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewItem {
    /// A strategic priority.
    Priority,
    /// A waiver to fill in.
    Waiver,
    /// The CUI designation indicator, `[plan.cui]`.
    Cui,
    /// An objective of the country at `country`, S&T (`st`) or security cooperation.
    Objective {
        /// The country's index.
        country: usize,
        /// An S&T objective.
        st: bool,
    },
    /// An indicator of the objective at (`country`, `objective`).
    Indicator {
        /// The country's index.
        country: usize,
        /// The objective's index in the country.
        objective: usize,
    },
    /// An agreement of the country at this index.
    Agreement(usize),
    /// An actor of the country at this index.
    Actor(usize),
    /// An investment pool of the country at this index.
    Pool(usize),
    /// A barrier of the country at this index.
    Barrier(usize),
}

/// A change and where it leaves its item: the table to show, the field to fill in first.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The change.
    pub change: Change,
    /// The item added, copied or moved, where it is once the change is applied.
    pub node: Node,
    /// The field to fill in first, if any.
    pub field: Option<&'static str>,
}

/// A new item at the end of its list, with a fresh id and blank required texts.
pub fn add(doc: &PlanDocument, plan: &Plan, what: NewItem) -> Result<Placed, ItemError> {
    let (collection, st) = match what {
        NewItem::Cui => return add_cui(plan),
        NewItem::Priority => (Collection::Priorities, false),
        NewItem::Waiver => (Collection::Waivers, false),
        NewItem::Objective { country, st } => (Collection::Objectives(country), st),
        NewItem::Indicator { country, objective } => {
            (Collection::Indicators(country, objective), false)
        }
        NewItem::Agreement(c) => (Collection::Agreements(c), false),
        NewItem::Actor(c) => (Collection::Actors(c), false),
        NewItem::Pool(c) => (Collection::Pools(c), false),
        NewItem::Barrier(c) => (Collection::Barriers(c), false),
    };
    let kind = collection.kind();
    let index = doc.len(collection);
    let node = Node::Item(collection, index);
    let code = node
        .country()
        .and_then(|c| plan.countries.get(c))
        .and_then(|c| val(&c.code).cloned())
        .unwrap_or_default();
    let edit = Edit::InsertItem {
        collection,
        index,
        body: ItemBody::Header(new_table(plan, kind, &code, st)),
    };
    Ok(Placed {
        change: Change::new(edit, format!("added {}", kind.a_noun())),
        node,
        field: ["text", "title", "name", "rule"]
            .into_iter()
            .find(|f| kind.field(f).is_some()),
    })
}

/// `[plan.cui]`, written inline inside `[plan]`, which keeps the change to one line.
fn add_cui(plan: &Plan) -> Result<Placed, ItemError> {
    if plan.meta.cui.is_some() {
        return Err(ItemError::Present("[plan.cui]".to_string()));
    }
    let mut cui = InlineTable::new();
    cui.insert("controlled_by", Value::from(""));
    cui.insert("categories", Value::Array(Array::new()));
    cui.insert("poc", Value::from(""));
    let edit = Edit::SetField {
        node: Node::Plan,
        field: "cui".to_string(),
        value: Some(Value::InlineTable(cui)),
    };
    Ok(Placed {
        change: Change::new(edit, "added [plan.cui]"),
        node: Node::Cui,
        field: Some("controlled_by"),
    })
}

/// The countries a new section may be for, `(code, name)`: every one of the ISO list but
/// the United States and those the plan has a section for.
pub fn addable_countries(plan: &Plan) -> Vec<(&'static str, &'static str)> {
    let present: Vec<&str> = plan
        .countries
        .iter()
        .filter_map(|c| val(&c.code).map(String::as_str))
        .collect();
    catalog::countries()
        .iter()
        .filter(|(code, _)| *code != "USA" && !present.contains(code))
        .copied()
        .collect()
}

/// A new country section for `code`, after the others.
pub fn add_country(plan: &Plan, code: &str) -> Result<Placed, ItemError> {
    if plan
        .countries
        .iter()
        .any(|c| val(&c.code).is_some_and(|c| c == code))
    {
        return Err(ItemError::Present(format!("a section for {code}")));
    }
    let index = plan.countries.len();
    let edit = Edit::InsertItem {
        collection: Collection::Countries,
        index,
        body: ItemBody::Header(new_country(code)),
    };
    Ok(Placed {
        change: Change::new(edit, format!("added {code}")),
        node: Node::Item(Collection::Countries, index),
        field: None,
    })
}

/// A copy of the item at `index` of `collection` with a fresh id, inserted after it.
pub fn duplicate(
    doc: &PlanDocument,
    plan: &Plan,
    collection: Collection,
    index: usize,
) -> Result<Placed, ItemError> {
    if collection == Collection::Countries {
        return Err(ItemError::CountryCopy);
    }
    let mut table = match doc.item_body(collection, index) {
        Some(ItemBody::Header(t)) => t,
        Some(ItemBody::Inline(Value::InlineTable(t))) => t.into_table(),
        _ => return Err(ItemError::NotCopyable),
    };
    clear_positions(&mut table);
    table.decor_mut().clear();
    if let Some(Item::Value(Value::String(id))) = table.get("id") {
        let id = id.value().clone();
        replace_text(&mut table, "id", &fresh_id(plan, &id_prefix(&id)));
    }
    let edit = Edit::InsertItem {
        collection,
        index: index + 1,
        body: ItemBody::Header(table),
    };
    let message = format!("duplicated {}", name(plan, Node::Item(collection, index)));
    Ok(Placed {
        change: Change::new(edit, message),
        node: Node::Item(collection, index + 1),
        field: None,
    })
}

/// The deletion of an item: alone, and, when other items refer to it, with those
/// references.
#[derive(Debug, Clone)]
pub struct Deletion {
    /// The item's name, for the question.
    pub name: String,
    /// The item deleted, the references left dangling.
    pub alone: Change,
    /// Who refers to the item ("POL-ST-1 (priorities)") and the deletion that takes those
    /// references too, as one step; `None` when nothing refers to it.
    pub with_references: Option<(Vec<String>, Change)>,
}

/// Deleting the item at `node`.
pub fn delete(doc: &PlanDocument, plan: &Plan, node: Node) -> Result<Deletion, ItemError> {
    let name = name(plan, node);
    let remove = match node {
        Node::Item(collection, index) => Edit::RemoveItem { collection, index },
        Node::Cui | Node::Authority => Edit::SetField {
            node: Node::Plan,
            field: node.kind().key().to_string(),
            value: None,
        },
        Node::Plan => return Err(ItemError::PlanTable),
    };
    let id = head(plan, node)
        .filter(|_| node.kind().id_key().is_some())
        .map(|h| h.item.as_str());
    let with_references = id
        .map(|id| (id, references(plan, id)))
        .filter(|(_, refs)| !refs.is_empty())
        .map(|(id, refs)| {
            let by = refs
                .iter()
                .map(|r| format!("{} ({})", r.by, r.field))
                .collect();
            let mut batch = remove_references(doc, plan, id);
            batch.push(remove.clone());
            let message = format!("deleted {name} and its references");
            (by, Change::new(Edit::Batch(batch), message))
        });
    Ok(Deletion {
        alone: Change::new(remove, format!("deleted {name}")),
        name,
        with_references,
    })
}

/// Removing `field` from the table at `node`; `None` when it holds no value to remove.
pub fn clear_field(doc: &PlanDocument, node: Node, field: &str) -> Option<Change> {
    doc.get(node, field).is_some_and(Item::is_value).then(|| {
        let edit = Edit::SetField {
            node,
            field: field.to_string(),
            value: None,
        };
        Change::new(edit, format!("removed {field}"))
    })
}

/// Moving the item at `from` of `collection` by `delta` places; `None` past either end.
pub fn move_item(
    doc: &PlanDocument,
    collection: Collection,
    from: usize,
    delta: isize,
) -> Option<Placed> {
    let to = from
        .checked_add_signed(delta)
        .filter(|&to| to < doc.len(collection))?;
    let edit = Edit::MoveItem {
        collection,
        from,
        to,
    };
    Some(Placed {
        change: Change::new(edit, "moved"),
        node: Node::Item(collection, to),
        field: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> PlanDocument {
        PlanDocument::from_bytes(include_bytes!("../../plans/eucom-sample.toml")).unwrap()
    }

    /// Applies a change, then its inverse: the bytes come back.
    fn applies_and_undoes(d: &mut PlanDocument, change: Change) {
        let before = d.to_bytes();
        let inverse = d.apply(change.edit).unwrap();
        assert_ne!(d.to_bytes(), before);
        d.apply(inverse).unwrap();
        assert_eq!(d.to_bytes(), before);
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
                    .find(|n| !plan.ids().any(|id| id == format!("POL-ST-{n}").as_str()))
                    .unwrap()
            )
        );
        assert_eq!(fresh_id(&plan, "ZZZ-AG-"), "ZZZ-AG-1");
        assert!(!plan.ids().any(|id| id == fresh_id(&plan, "SP-").as_str()));
    }

    #[test]
    fn an_added_item_has_a_fresh_id_and_its_blank_text_comes_first() {
        let mut d = doc();
        let plan = d.load().plan;
        let code = plan.countries[0].head.item.clone();
        let placed = add(
            &d,
            &plan,
            NewItem::Objective {
                country: 0,
                st: true,
            },
        )
        .unwrap();
        assert_eq!(placed.change.message, "added an objective");
        assert_eq!(placed.field, Some("text"));
        let Node::Item(collection, index) = placed.node else {
            panic!("an item");
        };
        assert_eq!(index, d.len(collection));
        d.apply(placed.change.edit).unwrap();
        let plan = d.load().plan;
        let new = &plan.countries[0].objectives[index];
        assert!(new.head.item.starts_with(&format!("{code}-ST-")));
        let waiver = add(&d, &plan, NewItem::Waiver).unwrap();
        assert_eq!(waiver.field, Some("rule"));
        applies_and_undoes(&mut d, waiver.change);
    }

    #[test]
    fn cui_and_country_sections_are_added_once() {
        let mut d = doc();
        let plan = d.load().plan;
        let code = addable_countries(&plan)[0].0;
        assert!(!addable_countries(&plan).iter().any(|(c, _)| *c == "USA"));
        let placed = add_country(&plan, code).unwrap();
        assert_eq!(placed.change.message, format!("added {code}"));
        d.apply(placed.change.edit).unwrap();
        let plan = d.load().plan;
        assert!(matches!(
            add_country(&plan, code),
            Err(ItemError::Present(_))
        ));
        assert!(!addable_countries(&plan).iter().any(|(c, _)| *c == code));
        if plan.meta.cui.is_none() {
            let cui = add(&d, &plan, NewItem::Cui).unwrap();
            assert_eq!(cui.node, Node::Cui);
            d.apply(cui.change.edit).unwrap();
        }
        let plan = d.load().plan;
        assert!(matches!(
            add(&d, &plan, NewItem::Cui),
            Err(ItemError::Present(_))
        ));
    }

    #[test]
    fn a_duplicate_gets_a_fresh_id_after_the_original() {
        let mut d = doc();
        let plan = d.load().plan;
        let collection = Collection::Objectives(0);
        let placed = duplicate(&d, &plan, collection, 0).unwrap();
        assert_eq!(placed.node, Node::Item(collection, 1));
        let original = plan.countries[0].objectives[0].head.item.clone();
        assert_eq!(
            placed.change.message,
            format!("duplicated objective {original}")
        );
        d.apply(placed.change.edit).unwrap();
        let copy = &d.load().plan.countries[0].objectives[1];
        assert_ne!(copy.head.item, original);
        assert!(matches!(
            duplicate(&d, &plan, Collection::Countries, 0),
            Err(ItemError::CountryCopy)
        ));
        assert!(matches!(
            duplicate(&d, &plan, collection, 999),
            Err(ItemError::NotCopyable)
        ));
    }

    #[test]
    fn deleting_a_referenced_priority_can_take_its_references() {
        let mut d = doc();
        let plan = d.load().plan;
        let node = Node::Item(Collection::Priorities, 0);
        let id = plan.priorities[0].head.item.clone();
        let deletion = delete(&d, &plan, node).unwrap();
        assert_eq!(deletion.name, format!("priority {id}"));
        let (by, change) = deletion.with_references.expect("SP-1 is linked");
        assert_eq!(by.len(), references(&plan, &id).len());
        d.apply(change.edit).unwrap();
        let plan = d.load().plan;
        assert!(references(&plan, &id).is_empty());
        assert!(matches!(
            delete(&d, &plan, Node::Plan),
            Err(ItemError::PlanTable)
        ));
    }

    #[test]
    fn a_priority_deleted_with_its_references_takes_its_review_stamps() {
        let text = String::from_utf8(include_bytes!("../../plans/eucom-sample.toml").to_vec())
            .unwrap()
            .replacen(
                "  target_date = 2029-09-30\n",
                "  target_date = 2029-09-30\n  reviewed_links = { SP-3 = \"00000000\", SP-1 = \"00000000\" }\n",
                1,
            );
        let mut d = PlanDocument::from_bytes(text.as_bytes()).unwrap();
        let plan = d.load().plan;
        let deletion = delete(&d, &plan, Node::Item(Collection::Priorities, 0)).unwrap();
        let (_, change) = deletion.with_references.expect("SP-1 is linked");
        d.apply(change.edit).unwrap();
        assert!(
            d.to_text()
                .contains("  reviewed_links = { SP-3 = \"00000000\" }\n"),
            "the other stamp stays as written"
        );
        let checked = crate::check::check_text(d.to_text(), &crate::check::Settings::default());
        assert!(!checked.diagnostics.iter().any(|x| x.code == "SCP111"));
    }

    #[test]
    fn fields_are_cleared_and_items_moved_within_their_list() {
        let mut d = doc();
        let node = Node::Item(Collection::Priorities, 0);
        assert!(clear_field(&d, node, "no_such_key").is_none());
        let cleared = clear_field(&d, node, "title").unwrap();
        assert_eq!(cleared.message, "removed title");
        applies_and_undoes(&mut d, cleared);
        let n = d.len(Collection::Priorities);
        assert!(move_item(&d, Collection::Priorities, 0, -1).is_none());
        assert!(move_item(&d, Collection::Priorities, n - 1, 1).is_none());
        let moved = move_item(&d, Collection::Priorities, 0, 1).unwrap();
        assert_eq!(moved.node, Node::Item(Collection::Priorities, 1));
        applies_and_undoes(&mut d, moved.change);
    }
}
