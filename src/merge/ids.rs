//! Ids added on both sides for different items (two planners each adding `POL-ST-4`). That is
//! not a conflict: theirs' item takes the next free id by the format's rules, and every
//! reference to it in what the merge takes from theirs follows.

use std::collections::{HashMap, HashSet};

use toml_edit::{InlineTable, Item, Key, Table, TableLike, Value};

use super::compare::same_entries;
use crate::edit::ids;
use crate::plan::schema::{FieldType, ROOT_CHILDREN, TableKind};

/// The objective key that maps priority ids to review stamps (see "Link review" in the
/// format): its keys are references too.
const REVIEWED_LINKS: &str = "reviewed_links";

/// One of theirs' items given a new id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renaming {
    /// The kind of item.
    pub kind: TableKind,
    /// The id both sides added.
    pub old: String,
    /// Theirs' item's id in the merged plan.
    pub new: String,
    /// How many references to it in theirs' changes were renamed with it.
    pub references: usize,
}

/// Theirs' ids that collide with ours', and their new names.
#[derive(Debug, Default)]
pub struct Renames {
    /// Theirs' old id -> its index in `list`.
    map: HashMap<String, usize>,
    /// The renamings, in theirs' order.
    list: Vec<Renaming>,
}

/// An item with an id, where it is.
struct Site<'a> {
    kind: TableKind,
    country: &'a str,
    table: &'a dyn TableLike,
}

/// The tables of a collection in either TOML spelling (an array of tables, or an array of
/// inline tables).
fn tables_of(item: Option<&Item>) -> Vec<&dyn TableLike> {
    match item {
        Some(Item::ArrayOfTables(a)) => a.iter().map(|t| t as &dyn TableLike).collect(),
        Some(Item::Value(Value::Array(a))) => a
            .iter()
            .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
            .collect(),
        _ => Vec::new(),
    }
}

/// The string value of `key` in a table, if it is a string.
fn string<'a>(table: &'a dyn TableLike, key: &str) -> Option<&'a str> {
    table.get(key).and_then(Item::as_str)
}

/// Every id and country code of a document (one namespace), with the first item of each id.
fn sites(root: &Table) -> (Vec<(&str, Site<'_>)>, HashSet<&str>) {
    let mut found = Vec::new();
    let mut all = HashSet::new();
    for kind in ROOT_CHILDREN.iter().filter(|k| !k.is_single()) {
        collect(root, *kind, "", &mut found, &mut all);
    }
    (found, all)
}

/// Collects the ids (and codes) of the tables of `kind` under `parent` and everything in them.
fn collect<'a>(
    parent: &'a dyn TableLike,
    kind: TableKind,
    country: &'a str,
    found: &mut Vec<(&'a str, Site<'a>)>,
    all: &mut HashSet<&'a str>,
) {
    for table in tables_of(parent.get(kind.key())) {
        let name = kind.id_key().and_then(|key| string(table, key));
        if let Some(id) = name {
            all.insert(id);
            if kind != TableKind::Country {
                found.push((
                    id,
                    Site {
                        kind,
                        country,
                        table,
                    },
                ));
            }
        }
        let country = if kind == TableKind::Country {
            name.unwrap_or("")
        } else {
            country
        };
        for child in kind.children() {
            collect(table, *child, country, found, all);
        }
    }
}

impl Renames {
    /// The ids that theirs and ours both added (not in the base) for items that differ, each
    /// with the next free id of its prefix: free in all three versions, so that no id of any
    /// of them comes back meaning something else.
    pub fn find(base: &Table, ours: &Table, theirs: &Table) -> Renames {
        let (_, base_ids) = sites(base);
        let (ours_sites, ours_ids) = sites(ours);
        let (theirs_sites, theirs_ids) = sites(theirs);
        let ours_by_id: HashMap<&str, &Site> = ours_sites.iter().map(|(id, s)| (*id, s)).collect();
        let mut used: HashSet<String> = base_ids
            .iter()
            .chain(&ours_ids)
            .chain(&theirs_ids)
            .map(|id| id.to_string())
            .collect();
        let mut renames = Renames::default();
        for (id, site) in &theirs_sites {
            if base_ids.contains(id) || renames.map.contains_key(*id) {
                continue;
            }
            let Some(other) = ours_by_id.get(id) else {
                continue;
            };
            let same = other.kind == site.kind
                && other.country == site.country
                && same_entries(other.table, site.table);
            if same {
                continue;
            }
            let st = string(site.table, "kind") != Some("sc");
            let prefix = ids::prefix(site.kind, site.country, st).unwrap_or_default();
            let new = ids::fresh(&prefix, |candidate| used.contains(candidate));
            used.insert(new.clone());
            renames.map.insert(id.to_string(), renames.list.len());
            renames.list.push(Renaming {
                kind: site.kind,
                old: id.to_string(),
                new,
                references: 0,
            });
        }
        renames
    }

    /// Theirs' new id for `id`, if it was renamed.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.map.get(id).map(|&i| self.list[i].new.as_str())
    }

    /// Whether no id was renamed.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The renamings, in theirs' order.
    pub fn into_list(self) -> Vec<Renaming> {
        self.list
    }

    /// Renames in an entry of a table of `kind` taken from theirs: the id of a renamed item
    /// and the references to renamed items (priority and governance links, review stamps,
    /// waivers), in it and in every table under it.
    pub fn apply(&mut self, kind: Option<TableKind>, key: &str, item: &mut Item) {
        if self.is_empty() {
            return;
        }
        // A collection taken whole (theirs' first waivers, where ours has none) is an entry of
        // the file's top.
        let children = kind.map_or(ROOT_CHILDREN, TableKind::children);
        if let Some(child) = children.iter().find(|c| c.key() == key) {
            self.apply_tables(*child, item);
            return;
        }
        let Some(kind) = kind else {
            return;
        };
        let Item::Value(value) = item else {
            if let (REVIEWED_LINKS, Some(table)) = (key, item.as_table_mut()) {
                self.rename_keys_of_table(table);
            }
            return;
        };
        let link = kind.field(key).is_some_and(|spec| {
            matches!(
                spec.ty,
                FieldType::PriorityLinks | FieldType::GovernanceLinks
            )
        });
        match (key, value) {
            ("id", value) if kind.id_key() == Some("id") => {
                self.rename(value, false);
            }
            ("item", value) if kind == TableKind::Waiver => {
                self.rename(value, true);
            }
            (_, Value::Array(array)) if link => {
                for entry in array.iter_mut() {
                    self.rename(entry, true);
                }
            }
            (REVIEWED_LINKS, Value::InlineTable(table)) if kind == TableKind::Objective => {
                self.rename_keys_of_inline(table);
            }
            _ => {}
        }
    }

    /// Renames in every table of a collection or sub-table of `kind`.
    pub fn apply_tables(&mut self, kind: TableKind, item: &mut Item) {
        match item {
            Item::ArrayOfTables(a) => {
                for table in a.iter_mut() {
                    self.apply_table(kind, table);
                }
            }
            Item::Table(table) => self.apply_table(kind, table),
            Item::Value(Value::Array(a)) => {
                for value in a.iter_mut() {
                    if let Value::InlineTable(t) = value {
                        self.apply_inline(kind, t);
                    }
                }
            }
            Item::Value(Value::InlineTable(t)) => self.apply_inline(kind, t),
            _ => {}
        }
    }

    /// Renames in a table of `kind` and everything under it.
    pub fn apply_table(&mut self, kind: TableKind, table: &mut Table) {
        let names: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
        for name in names {
            if let Some(item) = table.get_mut(&name) {
                self.apply(Some(kind), &name, item);
            }
        }
    }

    /// Renames in an inline table of `kind` (an item of a collection written inline).
    fn apply_inline(&mut self, kind: TableKind, table: &mut InlineTable) {
        let names: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
        for name in names {
            if let Some(value) = table.get_mut(&name) {
                let mut item = Item::Value(std::mem::replace(value, Value::from(false)));
                self.apply(Some(kind), &name, &mut item);
                if let Ok(renamed) = item.into_value() {
                    *value = renamed;
                }
            }
        }
    }

    /// Gives a string naming a renamed id its new id, keeping its spacing and comment.
    fn rename(&mut self, value: &mut Value, reference: bool) {
        let Value::String(s) = value else {
            return;
        };
        let Some(&index) = self.map.get(s.value()) else {
            return;
        };
        let decor = s.decor().clone();
        let mut renamed = Value::from(self.list[index].new.as_str());
        *renamed.decor_mut() = decor;
        *value = renamed;
        if reference {
            self.list[index].references += 1;
        }
    }

    /// The renamed key for `key`, if any (counted as a reference).
    fn renamed_key(&mut self, key: &Key) -> Option<Key> {
        let &index = self.map.get(key.get())?;
        self.list[index].references += 1;
        let mut new = Key::new(self.list[index].new.as_str());
        *new.leaf_decor_mut() = key.leaf_decor().clone();
        Some(new)
    }

    /// Renames the keys of an inline table that are renamed ids, in place and order.
    fn rename_keys_of_inline(&mut self, table: &mut InlineTable) {
        let entries: Vec<(Key, Value)> = table
            .iter()
            .map(|(k, _)| k.to_string())
            .collect::<Vec<_>>()
            .iter()
            .filter_map(|k| table.remove_entry(k))
            .collect();
        for (key, value) in entries {
            let key = self.renamed_key(&key).unwrap_or(key);
            table.insert_formatted(&key, value);
        }
    }

    /// Renames the keys of a table that are renamed ids, in place and order.
    fn rename_keys_of_table(&mut self, table: &mut Table) {
        let entries: Vec<(Key, Item)> = table
            .iter()
            .map(|(k, _)| k.to_string())
            .collect::<Vec<_>>()
            .iter()
            .filter_map(|k| table.remove_entry(k))
            .collect();
        for (key, item) in entries {
            let key = self.renamed_key(&key).unwrap_or(key);
            table.insert_formatted(&key, item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    fn doc(text: &str) -> DocumentMut {
        text.parse().unwrap()
    }

    const BASE: &str = "[[priority]]\nid = 'SP-1'\n[[country]]\ncode = 'POL'\n[[country.objective]]\nid = 'POL-ST-1'\nkind = 'st'\n";

    #[test]
    fn an_id_added_on_both_sides_for_different_items_is_renamed_in_theirs() {
        let base = doc(BASE);
        let ours = doc(&format!(
            "{BASE}[[country.objective]]\nid = 'POL-ST-2'\nkind = 'st'\ntext = 'a'\n"
        ));
        let theirs = doc(&format!(
            "{BASE}[[country.objective]]\nid = 'POL-ST-2'\nkind = 'st'\ntext = 'b'\n[[country.objective]]\nid = 'POL-ST-3'\nkind = 'st'\n"
        ));
        let renames = Renames::find(base.as_table(), ours.as_table(), theirs.as_table());
        assert_eq!(renames.get("POL-ST-2"), Some("POL-ST-4"));
        assert_eq!(renames.get("POL-ST-1"), None);
        let same = doc(&format!(
            "{BASE}[[country.objective]]\nid = 'POL-ST-2'\nkind = 'st'\ntext = 'a'\n"
        ));
        assert!(Renames::find(base.as_table(), ours.as_table(), same.as_table()).is_empty());
    }

    #[test]
    fn references_follow_the_renamed_id() {
        let base = doc("[[priority]]\nid = 'SP-1'\n");
        let ours = doc("[[priority]]\nid = 'SP-1'\n[[priority]]\nid = 'SP-2'\ntitle = 'a'\n");
        let theirs = doc("[[priority]]\nid = 'SP-1'\n[[priority]]\nid = 'SP-2'\ntitle = 'b'\n");
        let mut renames = Renames::find(base.as_table(), ours.as_table(), theirs.as_table());
        let mut objective = doc(
            "[o]\nid = 'X-ST-1'\npriorities = ['SP-1', \"SP-2\"] # both\nreviewed_links = { SP-2 = 'abc' }\n",
        );
        let table = objective.get_mut("o").and_then(Item::as_table_mut).unwrap();
        renames.apply_table(TableKind::Objective, table);
        assert_eq!(
            objective.to_string(),
            "[o]\nid = 'X-ST-1'\npriorities = ['SP-1', \"SP-3\"] # both\nreviewed_links = { SP-3 = 'abc' }\n"
        );
        assert_eq!(renames.into_list()[0].references, 2);
    }
}
