//! Every item of a version, named as the diff names it and indexed by kind and name, and by
//! kind and holder; read from the typed plan or, for a version read raw, from its TOML tables.

use std::collections::HashMap;

use super::value::{Typed, Val};
use super::{item_name, unique_name};
use crate::plan::model::Plan;
use crate::plan::schema::{ROOT_CHILDREN, TableKind};

/// Where the values of a table come from.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source<'a> {
    /// The root of the typed plan.
    Plan(&'a Plan),
    /// A table of the typed plan.
    Typed(Typed<'a>),
    /// A TOML table: the root or an item.
    Raw(&'a toml::Table),
    /// `[plan]` as a TOML table (its blocks as `cui.*`, `authority.*`), when it is one.
    RawPlan(Option<&'a toml::Table>),
}

impl<'a> Source<'a> {
    /// `[plan]` of a root.
    pub(super) fn plan(self) -> Source<'a> {
        match self {
            Source::Plan(plan) => Source::Typed(Typed::Meta(&plan.meta)),
            Source::Raw(root) => Source::RawPlan(root.get("plan").and_then(toml::Value::as_table)),
            other => other,
        }
    }

    /// The value of the field `name` (`cui.poc` for a block of `[plan]`), if present.
    pub(super) fn get(self, name: &str) -> Option<Val<'a>> {
        match self {
            Source::Plan(_) => None,
            Source::Typed(typed) => typed.get(name),
            Source::Raw(table) => table.get(name).map(Val::Raw),
            Source::RawPlan(plan) => {
                let plan = plan?;
                let value = match name.split_once('.') {
                    Some((block, key)) => plan.get(block)?.as_table()?.get(key)?,
                    None => plan.get(name)?,
                };
                Some(Val::Raw(value))
            }
        }
    }

    /// The string value of the field `name`.
    pub(super) fn text(self, name: &str) -> Option<&'a str> {
        self.get(name)?.as_str()
    }

    /// The tables of `kind` this one holds, in file order.
    pub(super) fn children(self, kind: TableKind) -> Vec<Source<'a>> {
        let typed = |t: Typed<'a>| Source::Typed(t);
        match (self, kind) {
            (Source::Plan(p), TableKind::Priority) => p
                .priorities
                .iter()
                .map(|x| typed(Typed::Priority(x)))
                .collect(),
            (Source::Plan(p), TableKind::Country) => p
                .countries
                .iter()
                .map(|x| typed(Typed::Country(x)))
                .collect(),
            (Source::Plan(p), TableKind::Waiver) => {
                p.waivers.iter().map(|x| typed(Typed::Waiver(x))).collect()
            }
            (Source::Typed(Typed::Country(c)), kind) => match kind {
                TableKind::Objective => c
                    .objectives
                    .iter()
                    .map(|x| typed(Typed::Objective(x)))
                    .collect(),
                TableKind::Agreement => c
                    .agreements
                    .iter()
                    .map(|x| typed(Typed::Agreement(x)))
                    .collect(),
                TableKind::Actor => c.actors.iter().map(|x| typed(Typed::Actor(x))).collect(),
                TableKind::Pool => c.pools.iter().map(|x| typed(Typed::Pool(x))).collect(),
                TableKind::Barrier => c
                    .barriers
                    .iter()
                    .map(|x| typed(Typed::Barrier(x)))
                    .collect(),
                _ => Vec::new(),
            },
            (Source::Typed(Typed::Objective(o)), TableKind::Indicator) => o
                .indicators
                .iter()
                .map(|x| typed(Typed::Indicator(x)))
                .collect(),
            // Either TOML spelling of an array of tables; anything else holds none.
            (Source::Raw(table), kind) => match table.get(kind.key()) {
                Some(toml::Value::Array(items)) => items
                    .iter()
                    .filter_map(toml::Value::as_table)
                    .map(Source::Raw)
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

/// One item of a version: what names it, where it is, and its values.
#[derive(Debug)]
pub(super) struct Item<'a> {
    /// Its kind.
    pub kind: TableKind,
    /// What names it among the items of its kind.
    pub key: String,
    /// The key of the item holding it ("" at the top of the file).
    pub parent: String,
    /// The code of the country section holding it.
    pub country: Option<String>,
    /// 1-based place among its siblings.
    pub position: usize,
    /// Its values.
    pub source: Source<'a>,
}

/// Every item of a version, indexed by kind and key, and by kind and parent.
#[derive(Debug, Default)]
pub(super) struct Items<'a> {
    items: Vec<Item<'a>>,
    by_key: HashMap<TableKind, HashMap<String, usize>>,
    groups: HashMap<TableKind, HashMap<String, Vec<usize>>>,
}

impl<'a> Items<'a> {
    /// The items under a root, in file order: `[plan]`, then each collection depth first.
    pub(super) fn of(root: Source<'a>) -> Items<'a> {
        let mut items = Items::default();
        items.push(Item {
            kind: TableKind::Plan,
            key: "plan".to_string(),
            parent: String::new(),
            country: None,
            position: 1,
            source: root.plan(),
        });
        for kind in ROOT_CHILDREN.iter().filter(|k| !k.is_single()) {
            items.add(root, *kind, "", None);
        }
        items
    }

    /// Adds the tables of `kind` in `table` and everything inside them.
    fn add(&mut self, table: Source<'a>, kind: TableKind, parent: &str, country: Option<&str>) {
        for (i, t) in table.children(kind).into_iter().enumerate() {
            let position = i + 1;
            let key = match item_name(kind, |key| t.text(key)) {
                Some(name) => name,
                None if parent.is_empty() => format!("{} {position}", kind.noun()),
                None => format!("{parent} {} {position}", kind.noun()),
            };
            let taken = self.by_key.get(&kind);
            let key = unique_name(key, |k| taken.is_some_and(|keys| keys.contains_key(k)));
            let country = if kind == TableKind::Country {
                Some(key.as_str())
            } else {
                country
            };
            self.push(Item {
                kind,
                key: key.clone(),
                parent: parent.to_string(),
                country: country.map(str::to_string),
                position,
                source: t,
            });
            for child in kind.children() {
                self.add(t, *child, &key, country);
            }
        }
    }

    fn push(&mut self, item: Item<'a>) {
        let index = self.items.len();
        self.by_key
            .entry(item.kind)
            .or_default()
            .insert(item.key.clone(), index);
        let group = self.groups.entry(item.kind).or_default();
        match group.get_mut(&item.parent) {
            Some(indexes) => indexes.push(index),
            None => {
                group.insert(item.parent.clone(), vec![index]);
            }
        }
        self.items.push(item);
    }

    /// The item of `kind` named `key`.
    pub(super) fn get(&self, kind: TableKind, key: &str) -> Option<&Item<'a>> {
        let index = *self.by_key.get(&kind)?.get(key)?;
        self.items.get(index)
    }

    /// The items of `kind` held by `parent`, in file order.
    pub(super) fn group(&self, kind: TableKind, parent: &str) -> Vec<&Item<'a>> {
        self.groups
            .get(&kind)
            .and_then(|groups| groups.get(parent))
            .map(|indexes| indexes.iter().filter_map(|&i| self.items.get(i)).collect())
            .unwrap_or_default()
    }
}
