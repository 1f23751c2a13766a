//! Every item of a version, named as the diff names it and indexed by kind and name, and by
//! kind and holder; read from the typed plan or, for a version read raw, from its TOML tables.

use std::borrow::Cow;
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

    /// The keys of a table read raw that the format does not know for `kind` (SCP004): the
    /// typed plan has none.
    pub(super) fn unknown_keys(self, kind: TableKind) -> Vec<&'a str> {
        let table = match self {
            Source::Raw(table) => Some(table),
            Source::RawPlan(plan) => plan,
            Source::Plan(_) | Source::Typed(_) => None,
        };
        table.map_or_else(Vec::new, |t| {
            t.keys()
                .map(String::as_str)
                .filter(|k| !kind.known_keys().any(|known| known == *k))
                .collect()
        })
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
    /// Its place in [`Items`].
    pub index: usize,
    /// Its kind.
    pub kind: TableKind,
    /// What names it among the items of its kind (an id borrowed from the version).
    pub key: Cow<'a, str>,
    /// The item holding it; `None` at the top of the file.
    pub parent: Option<usize>,
    /// The country section holding it (itself for a country).
    pub country: Option<usize>,
    /// 1-based place among its siblings.
    pub position: usize,
    /// Its values.
    pub source: Source<'a>,
    /// The items it holds, of every kind, in file order.
    held: Vec<usize>,
}

/// Where a group of siblings is: at the top of the file, in an item, or in an item the version
/// does not have (no siblings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holder {
    /// The top of the file.
    Root,
    /// The item at this index.
    Item(usize),
    /// No item of the version.
    Missing,
}

/// Every item of a version, indexed by kind and key; each holds its children in order.
#[derive(Debug, Default)]
pub(super) struct Items<'a> {
    items: Vec<Item<'a>>,
    roots: Vec<usize>,
    by_key: HashMap<TableKind, Keys<'a>, Fast>,
}

/// The items of one kind by key.
type Keys<'a> = HashMap<Cow<'a, str>, usize, Fast>;

/// The index's hasher: FxHash, as rustc uses. Hashing every item's key with SipHash was a
/// tenth of a large diff; its defence against chosen keys buys nothing when the keys are the
/// ids of the plan the user asked to compare (at worst, a crafted plan compares slowly).
type Fast = rustc_hash::FxBuildHasher;

impl<'a> Items<'a> {
    /// The items under a root, in file order: `[plan]`, then each collection depth first.
    pub(super) fn of(root: Source<'a>) -> Items<'a> {
        let mut items = Items::default();
        items.push(
            TableKind::Plan,
            Cow::Borrowed("plan"),
            None,
            None,
            1,
            root.plan(),
        );
        for kind in ROOT_CHILDREN.iter().filter(|k| !k.is_single()) {
            items.add(root, *kind, None, None);
        }
        items
    }

    /// Adds the tables of `kind` in `table` and everything inside them.
    fn add(
        &mut self,
        table: Source<'a>,
        kind: TableKind,
        parent: Option<usize>,
        country: Option<usize>,
    ) {
        for (i, t) in table.children(kind).into_iter().enumerate() {
            let position = i + 1;
            // An id names its item without a copy; `item_name` has the other names.
            let named = match kind.id_key().and_then(|key| t.text(key)) {
                Some(id) => Some(Cow::Borrowed(id)),
                None => item_name(kind, |key| t.text(key)).map(Cow::Owned),
            };
            let key = named.unwrap_or_else(|| match parent.and_then(|p| self.items.get(p)) {
                None => Cow::Owned(format!("{} {position}", kind.noun())),
                Some(holder) => Cow::Owned(format!("{} {} {position}", holder.key, kind.noun())),
            });
            let index = self.push(kind, key, parent, country, position, t);
            let country = self.items.get(index).and_then(|item| item.country);
            for child in kind.children() {
                self.add(t, *child, Some(index), country);
            }
        }
    }

    /// Adds an item, renamed `key #2`... when its kind has an item of that name already.
    fn push(
        &mut self,
        kind: TableKind,
        key: Cow<'a, str>,
        parent: Option<usize>,
        country: Option<usize>,
        position: usize,
        source: Source<'a>,
    ) -> usize {
        let index = self.items.len();
        let keys = self.by_key.entry(kind).or_default();
        let key = if keys.contains_key(key.as_ref()) {
            Cow::Owned(unique_name(key.into_owned(), |k| keys.contains_key(k)))
        } else {
            key
        };
        keys.insert(key.clone(), index);
        let country = if kind == TableKind::Country {
            Some(index)
        } else {
            country
        };
        match parent.and_then(|p| self.items.get_mut(p)) {
            Some(holder) => holder.held.push(index),
            None => self.roots.push(index),
        }
        self.items.push(Item {
            index,
            kind,
            key,
            parent,
            country,
            position,
            source,
            held: Vec::new(),
        });
        index
    }

    /// The item of `kind` named `key`.
    pub(super) fn get(&self, kind: TableKind, key: &str) -> Option<&Item<'a>> {
        let index = *self.by_key.get(&kind)?.get(key)?;
        self.items.get(index)
    }

    /// The items of `kind` that `holder` holds, in file order.
    pub(super) fn group(&self, kind: TableKind, holder: Holder) -> Vec<&Item<'a>> {
        let indexes = match holder {
            Holder::Root => &self.roots,
            Holder::Item(i) => match self.items.get(i) {
                Some(item) => &item.held,
                None => return Vec::new(),
            },
            Holder::Missing => return Vec::new(),
        };
        indexes
            .iter()
            .filter_map(|&i| self.items.get(i))
            .filter(|item| item.kind == kind)
            .collect()
    }

    /// The key of the item holding `item`; `None` at the top of the file.
    pub(super) fn parent_key(&self, item: &Item<'a>) -> Option<&str> {
        Some(&self.items.get(item.parent?)?.key)
    }

    /// The code of the country section holding `item`.
    pub(super) fn country_code(&self, item: &Item<'a>) -> Option<String> {
        Some(self.items.get(item.country?)?.key.to_string())
    }
}
