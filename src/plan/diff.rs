//! Which items differ between two versions of a plan, named as diagnostics name them (an id, a
//! country code, or `plan`); formatting, comments and the order of items do not count.

use std::collections::BTreeMap;

use super::document::PlanDocument;
use super::model::Node;
use super::schema::TableKind;

/// How an item differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Only the newer version has it.
    Added,
    /// Only the older version has it.
    Removed,
    /// Both have it, with different values.
    Modified,
}

impl Change {
    /// The word shown for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Modified => "changed",
        }
    }
}

/// One item that differs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemChange {
    /// What kind of table it is.
    pub kind: TableKind,
    /// The id, country code or `plan` that names it.
    pub item: String,
    /// How it differs.
    pub change: Change,
}

impl std::fmt::Display for ItemChange {
    /// `priority SP-4: changed`, `barrier of POL: added`, `plan: changed`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let of = match self.kind {
            TableKind::Plan => return write!(f, "plan: {}", self.change.as_str()),
            TableKind::Barrier | TableKind::Indicator | TableKind::Cui | TableKind::Waiver => " of",
            _ => "",
        };
        write!(
            f,
            "{}{of} {}: {}",
            self.kind.noun(),
            self.item,
            self.change.as_str()
        )
    }
}

/// The items of `new` that differ from `old`, by kind and item, each once.
pub fn changed_items(old: &PlanDocument, new: &PlanDocument) -> Vec<ItemChange> {
    let old = contents(old);
    let new = contents(new);
    let mut changes: Vec<ItemChange> = Vec::new();
    let mut push = |(kind, item, _): &(TableKind, String, usize), change| {
        changes.push(ItemChange {
            kind: *kind,
            item: item.clone(),
            change,
        })
    };
    for (key, content) in &old {
        match new.get(key) {
            None => push(key, Change::Removed),
            Some(other) if other != content => push(key, Change::Modified),
            Some(_) => {}
        }
    }
    for key in new.keys().filter(|key| !old.contains_key(*key)) {
        push(key, Change::Added);
    }
    changes.sort();
    changes.dedup();
    changes
}

/// Every table of a plan keyed by kind, item and how many tables of that kind and item come
/// before it (barriers share their country's code), with its content.
fn contents(doc: &PlanDocument) -> BTreeMap<(TableKind, String, usize), String> {
    let plan = doc.load().plan;
    let mut tables: Vec<(TableKind, &str, Node)> = vec![(TableKind::Plan, "plan", Node::Plan)];
    if plan.meta.cui.is_some() {
        tables.push((TableKind::Cui, "plan", Node::Cui));
    }
    tables.extend(
        plan.portions()
            .iter()
            .map(|p| (p.kind, p.head.item.as_str(), p.head.node)),
    );
    tables.extend(
        plan.waivers
            .iter()
            .map(|w| (TableKind::Waiver, w.head.item.as_str(), w.head.node)),
    );
    let mut out = BTreeMap::new();
    for (kind, item, node) in tables {
        let nth = out
            .keys()
            .filter(|(k, i, _): &&(TableKind, String, usize)| *k == kind && i == item)
            .count();
        out.insert(
            (kind, item.to_string(), nth),
            doc.content(node).unwrap_or_default(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> PlanDocument {
        PlanDocument::from_bytes(text.as_bytes()).unwrap()
    }

    const BASE: &str = r#"[plan]
id = "X" # a comment
title = "T"

[[priority]]
id = "SP-1"
title = "One"

[[priority]]
id = "SP-2"
title = "Two"

[[country]]
code = "POL"
name = "Poland"

  [[country.objective]]
  id = "POL-ST-1"
  text = "a"
  priorities = ["SP-1", "SP-2"]

  [[country.barrier]]
  text = "b"
"#;

    fn changes(old: &str, new: &str) -> Vec<(TableKind, String, Change)> {
        changed_items(&doc(old), &doc(new))
            .into_iter()
            .map(|c| (c.kind, c.item, c.change))
            .collect()
    }

    #[test]
    fn formatting_comments_and_order_do_not_count() {
        let reformatted = BASE
            .replace(" # a comment", "")
            .replace("[\"SP-1\", \"SP-2\"]", "[ \"SP-1\",\"SP-2\" ]")
            .replace(
                "[[priority]]\nid = \"SP-1\"\ntitle = \"One\"\n\n[[priority]]\nid = \"SP-2\"\ntitle = \"Two\"",
                "[[priority]]\nid = \"SP-2\"\ntitle = \"Two\"\n\n[[priority]]\nid = \"SP-1\"\ntitle = 'One'",
            );
        assert_ne!(reformatted, BASE);
        assert_eq!(changes(BASE, &reformatted), vec![]);
    }

    #[test]
    fn items_are_named_by_id_code_or_plan() {
        let new = BASE
            .replace("title = \"T\"", "title = \"T2\"")
            .replace("title = \"Two\"", "title = \"Zwei\"")
            .replace("text = \"a\"", "text = \"A\"")
            .replace("text = \"b\"", "text = \"B\"")
            .replace("[[priority]]\nid = \"SP-1\"\ntitle = \"One\"\n\n", "")
            + "\n[[country]]\ncode = \"DEU\"\n";
        assert_eq!(
            changes(BASE, &new),
            vec![
                (TableKind::Plan, "plan".to_string(), Change::Modified),
                (TableKind::Priority, "SP-1".to_string(), Change::Removed),
                (TableKind::Priority, "SP-2".to_string(), Change::Modified),
                (TableKind::Country, "DEU".to_string(), Change::Added),
                (
                    TableKind::Objective,
                    "POL-ST-1".to_string(),
                    Change::Modified
                ),
                (TableKind::Barrier, "POL".to_string(), Change::Modified),
            ]
        );
        let shown: Vec<String> = changed_items(&doc(BASE), &doc(&new))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown[0], "plan: changed");
        assert_eq!(shown[1], "priority SP-1: removed");
        assert_eq!(shown[5], "barrier of POL: changed");
    }
}
