//! A country section copied for another country: the same objectives, agreements, actors,
//! pools and barriers under the new code, each id moved to the new country's prefix
//! (`POL-ST-1` becomes `DEU-ST-1`) and the section's own governance entries following its ids,
//! so that the copy is a starting point that draws no repeated id.

use std::collections::{HashMap, HashSet};

use toml_edit::{Item, Table, TableLike, Value};

use super::change::Change;
use super::items::{ItemError, Placed, replace_text};
use crate::plan::catalog;
use crate::plan::document::{Edit, ItemBody, PlanDocument, clear_positions};
use crate::plan::model::{Collection, Node, Plan, val};
use crate::plan::schema::TableKind;

/// The lists of a section whose items have ids.
const WITH_IDS: [TableKind; 4] = [
    TableKind::Objective,
    TableKind::Agreement,
    TableKind::Actor,
    TableKind::Pool,
];

/// A copy of the section at `index` for the country `code`, inserted after it.
pub fn copy_country(
    doc: &PlanDocument,
    plan: &Plan,
    index: usize,
    code: &str,
) -> Result<Placed, ItemError> {
    if plan
        .countries
        .iter()
        .any(|c| val(&c.code).is_some_and(|c| c == code))
    {
        return Err(ItemError::Present(format!("a section for {code}")));
    }
    let from = plan
        .countries
        .get(index)
        .and_then(|c| val(&c.code).cloned())
        .ok_or(ItemError::NotCopyable)?;
    let Some(ItemBody::Header(mut table)) = doc.item_body(Collection::Countries, index) else {
        return Err(ItemError::NotCopyable);
    };
    clear_positions(&mut table);
    // The comments above the section name the country copied from.
    table.decor_mut().clear();
    replace_text(&mut table, "code", code);
    if let Some(name) = catalog::country_name(code) {
        replace_text(&mut table, "name", name);
    }
    // A moved id starts with the new code: only those can be taken.
    let mut taken: HashSet<String> = plan
        .ids()
        .filter(|id| id.starts_with(code))
        .map(str::to_string)
        .collect();
    let mut renamed = HashMap::new();
    for kind in WITH_IDS {
        for_each_item(&mut table, kind.key(), &mut |item| {
            if let Some(Value::String(id)) = item.get("id").and_then(Item::as_value) {
                let old = id.value().clone();
                let new = moved_id(&old, &from, code, &mut taken);
                replace_text(item, "id", &new);
                renamed.insert(old, new);
            }
        });
    }
    for_each_item(&mut table, TableKind::Objective.key(), &mut |objective| {
        follow_governance(objective, &renamed);
    });
    let edit = Edit::InsertItem {
        collection: Collection::Countries,
        index: index + 1,
        body: ItemBody::Header(table),
    };
    Ok(Placed {
        change: Change::new(edit, format!("copied {from} as {code}")),
        node: Node::Item(Collection::Countries, index + 1),
        field: None,
    })
}

/// The id `old` under the new country's prefix, unused in the plan and by the copy so far.
fn moved_id(old: &str, from: &str, to: &str, taken: &mut HashSet<String>) -> String {
    let base = match old.strip_prefix(from) {
        Some(rest) if rest.starts_with('-') => format!("{to}{rest}"),
        _ => format!("{to}-{old}"),
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// An objective's governance entries naming the section's own items, renamed as they were.
fn follow_governance(objective: &mut dyn TableLike, renamed: &HashMap<String, String>) {
    let Some(Value::Array(entries)) = objective.get_mut("governance").and_then(Item::as_value_mut)
    else {
        return;
    };
    for entry in entries.iter_mut() {
        if let Value::String(s) = entry
            && let Some(new) = renamed.get(s.value())
        {
            let decor = s.decor().clone();
            let mut value = Value::from(new.as_str());
            *value.decor_mut() = decor;
            *entry = value;
        }
    }
}

/// Calls `f` on each item of the list `key` of a section, header tables or inline.
fn for_each_item(section: &mut Table, key: &str, f: &mut dyn FnMut(&mut dyn TableLike)) {
    match section.get_mut(key) {
        Some(Item::ArrayOfTables(items)) => items.iter_mut().for_each(|t| f(t)),
        Some(Item::Value(Value::Array(items))) => {
            for value in items.iter_mut() {
                if let Value::InlineTable(t) = value {
                    f(t);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_text};

    fn sample() -> (PlanDocument, Plan) {
        let bytes = include_bytes!("../../plans/eucom-sample.toml");
        let doc = PlanDocument::from_bytes(bytes).unwrap();
        let plan = doc.load().plan;
        (doc, plan)
    }

    #[test]
    fn a_copied_section_takes_the_new_code_and_prefix_and_draws_no_repeated_id() {
        let (mut doc, plan) = sample();
        let placed = copy_country(&doc, &plan, 0, "LTU").unwrap();
        assert_eq!(placed.node, Node::Item(Collection::Countries, 1));
        doc.apply(placed.change.edit).unwrap();
        let copied = doc.load().plan;
        let c = &copied.countries[1];
        assert_eq!(val(&c.code).map(String::as_str), Some("LTU"));
        assert_eq!(val(&c.name).map(String::as_str), Some("Lithuania"));
        let original = &copied.countries[0];
        assert_eq!(c.objectives.len(), original.objectives.len());
        for (o, was) in c.objectives.iter().zip(&original.objectives) {
            let id = val(&o.id).unwrap();
            assert_eq!(
                id.strip_prefix("LTU"),
                val(&was.id).unwrap().strip_prefix("POL")
            );
            let governance = o.governance.as_ref().and_then(|g| g.value.as_ref());
            for entry in governance.map_or(&[][..], |g| &g.entries[..]) {
                assert!(entry.starts_with("LTU-"), "{entry} follows the copy");
            }
        }
        let checked = check_text(doc.to_text(), &Settings::default());
        let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
        assert!(!codes.contains(&"SCP005"), "{codes:?}");
        assert!(!codes.contains(&"SCP108"), "{codes:?}");
        // The new ids keep the indentation of the lines they replace.
        let text = doc.to_text();
        assert!(text.contains("\n  id = \"LTU-ST-1\"\n"), "{text}");
        assert!(!text.contains("\nid = \"LTU"), "{text}");
    }

    #[test]
    fn a_section_is_not_copied_for_a_country_the_plan_has() {
        let (doc, plan) = sample();
        assert!(matches!(
            copy_country(&doc, &plan, 0, "DEU"),
            Err(ItemError::Present(_))
        ));
    }

    #[test]
    fn an_id_already_taken_gets_a_suffix() {
        let mut taken: HashSet<String> = ["LTU-ST-1".to_string()].into();
        assert_eq!(moved_id("POL-ST-1", "POL", "LTU", &mut taken), "LTU-ST-1-2");
        assert_eq!(moved_id("X-1", "POL", "LTU", &mut taken), "LTU-X-1");
        assert!(taken.contains("LTU-X-1"));
    }
}
