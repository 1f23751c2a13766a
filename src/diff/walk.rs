//! The walk over both versions, group by group in the order of the plan, that turns matched
//! items into changes: added, removed, moved, field by field, links reviewed and made suspect.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::items::{Holder, Item, Items};
use super::value::{Val, same};
use super::{Change, ChangeKind, STAMPS_KEY, STAMPS_PREFIX, longest_increasing};
use crate::plan::schema::{FieldType, TableKind};

/// From this many country sections on, a walk shares them out over two cores.
pub(super) const SPLIT_FROM_SECTIONS: usize = 16;

/// Walks both versions, collecting changes.
pub(super) struct Walk<'a, 'v> {
    /// The old version's items.
    pub old: &'a Items<'v>,
    /// The new version's items.
    pub new: &'a Items<'v>,
    /// The priorities' review stamps in the old and the new version.
    pub stamps: &'a [HashMap<&'v str, String>; 2],
    /// How many country sections a list holds at least for a walk to share them out over
    /// two cores ([`SPLIT_FROM_SECTIONS`]).
    pub split_from: usize,
    /// The changes so far, in the order of the plan.
    pub out: Vec<Change>,
}

impl Walk<'_, '_> {
    /// Records a change of `item`, of the old version when `old_side`.
    fn change(
        &mut self,
        change: ChangeKind,
        (item, old_side): (&Item<'_>, bool),
        field: Option<&str>,
        old: Option<Value>,
        new: Option<Value>,
    ) {
        let items = if old_side { self.old } else { self.new };
        self.out.push(Change {
            change,
            entity: item.kind,
            key: item.key.to_string(),
            country: items.country_code(item),
            field: field.map(str::to_string),
            old,
            new,
        });
    }

    /// The items of `kind` held by `holders` (in the old and the new version): removals first,
    /// then the new version's items in its order, each followed by what it holds.
    pub(super) fn group(&mut self, kind: TableKind, holders: [Holder; 2]) {
        let (old, new) = (self.old, self.new);
        let old_group = old.group(kind, holders[0]);
        let new_group = new.group(kind, holders[1]);
        // Most groups keep their items in order: each is its old self, nothing moved.
        let aligned = old_group.len() == new_group.len()
            && old_group
                .iter()
                .zip(&new_group)
                .all(|(a, b)| a.key == b.key);
        if aligned {
            let pairs: Vec<_> = old_group.into_iter().zip(new_group).collect();
            self.aligned(kind, &pairs);
            return;
        }
        for item in &old_group {
            if new.get(kind, &item.key).is_none() {
                self.removed(item);
            }
        }
        let reordered = reordered(&old_group, &new_group);
        for item in new_group {
            let before = old.get(kind, &item.key);
            match before {
                None => self.change(
                    ChangeKind::Added,
                    (item, false),
                    None,
                    None,
                    Some(object(item)),
                ),
                Some(before) => {
                    if old.parent_key(before) != new.parent_key(item) {
                        self.change(
                            ChangeKind::Moved,
                            (item, false),
                            Some("country"),
                            old.country_code(before).map(Value::from),
                            new.country_code(item).map(Value::from),
                        );
                    } else if reordered.contains(item.key.as_ref()) {
                        self.change(
                            ChangeKind::Moved,
                            (item, false),
                            Some("position"),
                            Some(before.position.into()),
                            Some(item.position.into()),
                        );
                    }
                    self.fields(before, item);
                }
            }
            self.held(kind, before, item);
        }
    }

    /// Items that kept their places, each compared with its old self. A long list of country
    /// sections is walked in two halves on two cores, the second half's changes put after the
    /// first's: the order of one walk.
    fn aligned(&mut self, kind: TableKind, pairs: &[(&Item<'_>, &Item<'_>)]) {
        if kind == TableKind::Country && pairs.len() >= self.split_from.max(2) {
            let (first, second) = pairs.split_at(pairs.len() / 2);
            let mut other = Walk {
                out: Vec::new(),
                ..*self
            };
            let (later, ()) = crate::parallel::both(
                || {
                    other.aligned(kind, second);
                    other.out
                },
                || self.aligned(kind, first),
            );
            self.out.extend(later);
            return;
        }
        for (before, item) in pairs {
            self.fields(before, item);
            self.held(kind, Some(before), item);
        }
    }

    /// After an item of the new version: its suspect links, then the groups it holds.
    fn held(&mut self, kind: TableKind, before: Option<&Item<'_>>, item: &Item<'_>) {
        if kind == TableKind::Objective {
            self.suspects(item);
        }
        let old_holder = before.map_or(Holder::Missing, |b| Holder::Item(b.index));
        for child in kind.children() {
            self.group(*child, [old_holder, Holder::Item(item.index)]);
        }
    }

    /// A removed item, then what it held that the new version does not have anywhere.
    fn removed(&mut self, item: &Item<'_>) {
        self.change(
            ChangeKind::Removed,
            (item, true),
            None,
            Some(object(item)),
            None,
        );
        for child in item.kind.children() {
            for held in self.old.group(*child, Holder::Item(item.index)) {
                if self.new.get(*child, &held.key).is_none() {
                    self.removed(held);
                }
            }
        }
    }

    /// Field by field, in the format's order: set, changed, removed; then the keys the format
    /// does not know (SCP004), which are content too.
    fn fields(&mut self, before: &Item<'_>, after: &Item<'_>) {
        each_field(after.kind, |name| {
            let (a, b) = (before.source.get(name), after.source.get(name));
            if same(a, b) {
                return;
            }
            let (a, b) = (a.map(Val::json), b.map(Val::json));
            let tables = |v: &Option<Value>| v.as_ref().is_none_or(Value::is_object);
            if after
                .kind
                .field(name)
                .is_some_and(|f| f.ty == FieldType::Stamps)
                && tables(&a)
                && tables(&b)
            {
                self.stamps_changed(after, a, b);
            } else {
                self.change(ChangeKind::Changed, (after, false), Some(name), a, b);
            }
        });
        let mut unknown = after.source.unknown_keys(after.kind);
        for key in before.source.unknown_keys(before.kind) {
            if !unknown.contains(&key) {
                unknown.push(key);
            }
        }
        for name in unknown {
            let (a, b) = (before.source.get(name), after.source.get(name));
            if !same(a, b) {
                let (a, b) = (a.map(Val::json), b.map(Val::json));
                self.change(ChangeKind::Changed, (after, false), Some(name), a, b);
            }
        }
    }

    /// A change of `reviewed_links`, link by link: a stamp written is the link reviewed, a
    /// stamp removed a change of `reviewed_links.SP-1` to nothing.
    fn stamps_changed(&mut self, item: &Item<'_>, old: Option<Value>, new: Option<Value>) {
        let table = |v: Option<Value>| match v {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let (old, new) = (table(old), table(new));
        let keys = new
            .keys()
            .chain(old.keys().filter(|k| !new.contains_key(*k)));
        for p in keys {
            let (a, b) = (old.get(p).cloned(), new.get(p).cloned());
            if a == b {
                continue;
            }
            let kind = match b {
                Some(_) => ChangeKind::Reviewed,
                None => ChangeKind::Changed,
            };
            self.change(
                kind,
                (item, false),
                Some(&format!("{STAMPS_PREFIX}{p}")),
                a,
                b,
            );
        }
    }

    /// The links of an objective of the new version that a change of their priority made
    /// suspect: the link's stamp is the priority's old stamp, not its new one.
    fn suspects(&mut self, item: &Item<'_>) {
        let Some(stored) = item.source.get(STAMPS_KEY).filter(|v| v.is_table()) else {
            return;
        };
        let links = item
            .source
            .get("priorities")
            .map_or_else(Vec::new, Val::strings);
        let mut seen = HashSet::new();
        for p in links {
            let [before, after] = [&self.stamps[0], &self.stamps[1]].map(|s| s.get(p).cloned());
            let (Some(before), Some(after)) = (before, after) else {
                continue;
            };
            let reviewed_before = stored.entry(p) == Some(before.as_str());
            if before != after && reviewed_before && seen.insert(p) {
                let field = format!("{STAMPS_PREFIX}{p}");
                self.change(
                    ChangeKind::Suspect,
                    (item, false),
                    Some(&field),
                    Some(before.into()),
                    Some(after.into()),
                );
            }
        }
    }
}

/// Calls `f` with each field of a kind as diff names it, in the format's order (`[plan]` then
/// its blocks as `cui.*` and `authority.*`).
fn each_field(kind: TableKind, mut f: impl FnMut(&str)) {
    for spec in kind.fields() {
        f(spec.name);
    }
    if kind == TableKind::Plan {
        for sub in kind.children() {
            for spec in sub.fields() {
                f(&format!("{}.{}", sub.key(), spec.name));
            }
        }
    }
}

/// An added or removed item as JSON: its present fields, in the format's order.
fn object(item: &Item<'_>) -> Value {
    let mut out = Map::new();
    each_field(item.kind, |name| {
        if let Some(value) = item.source.get(name) {
            out.insert(name.to_string(), value.json());
        }
    });
    Value::Object(out)
}

/// The keys of the items in both groups whose order among themselves changed: those outside a
/// longest run that kept its relative order.
fn reordered<'a>(old: &[&Item<'_>], new: &[&'a Item<'_>]) -> HashSet<&'a str> {
    let old_position: HashMap<&str, usize> = old
        .iter()
        .map(|item| (item.key.as_ref(), item.position))
        .collect();
    let common: Vec<(&str, usize)> = new
        .iter()
        .filter_map(|item| Some((item.key.as_ref(), *old_position.get(item.key.as_ref())?)))
        .collect();
    let kept = longest_increasing(&common.iter().map(|(_, p)| *p).collect::<Vec<_>>());
    common
        .iter()
        .enumerate()
        .filter(|(i, _)| !kept.contains(i))
        .map(|(_, (key, _))| *key)
        .collect()
}
