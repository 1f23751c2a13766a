//! `scplan diff`: what changed between two versions of a plan, keyed by what names each item
//! rather than by line. Items with an id (priorities, countries by code, objectives,
//! agreements, actors, investment pools) are matched by it wherever they are; indicators and
//! barriers by their position in their parent (`POL-ST-1 indicator 1`, `POL barrier 2`);
//! waivers by rule and item (`SCP301 POL-AG-1`). Comments and formatting are not compared.

pub mod render;

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::check::diagnostic::Diagnostic;
use crate::check::registry::Severity;
use crate::check::{self, CheckError, Checked, Settings};
use crate::plan::json::to_json;
use crate::plan::marking::{self, Level, Marking};
use crate::plan::model::Loc;
use crate::plan::review;
use crate::plan::schema::{FieldSpec, FieldType, ROOT_CHILDREN, TableKind};
use crate::plan::source::LineIndex;

/// What happened to an item or a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The item is new.
    Added,
    /// The item is gone.
    Removed,
    /// A field's value changed (or was set or removed).
    Changed,
    /// The item moved to another country, or to another place among its siblings.
    Moved,
    /// An objective's link was reviewed: its stamp in `reviewed_links` was written.
    Reviewed,
    /// An objective's link became suspect: its priority changed and the link's stamp is
    /// still the one the priority had before.
    Suspect,
}

impl ChangeKind {
    /// The word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Moved => "moved",
            ChangeKind::Reviewed => "reviewed",
            ChangeKind::Suspect => "suspect",
        }
    }
}

/// One difference between the two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What happened.
    pub change: ChangeKind,
    /// The kind of item; `[plan]` and `[plan.cui]` are both [`TableKind::Plan`].
    pub entity: TableKind,
    /// What names the item: its id or code, `plan`, `POL barrier 2`, `SCP301 POL-AG-1`.
    pub key: String,
    /// The code of the country section holding the item (its own code for a country).
    pub country: Option<String>,
    /// The field that changed (`cui.poc` for the CUI block); for a move, `country` or
    /// `position`; `None` for an added or removed item.
    pub field: Option<String>,
    /// The value before (the whole item for a removal, the 1-based position or country code
    /// for a move).
    pub old: Option<Value>,
    /// The value after.
    pub new: Option<Value>,
}

impl Change {
    /// How the item is named to a reader: `objective POL-ST-1`, `POL barrier 2`, `plan`.
    pub fn label(&self) -> String {
        match self.entity {
            TableKind::Plan
            | TableKind::Cui
            | TableKind::Authority
            | TableKind::Indicator
            | TableKind::Barrier => self.key.clone(),
            kind => format!("{} {}", kind.noun(), self.key),
        }
    }

    /// For a change of a review stamp (`reviewed_links.SP-1`): the priority of the link.
    pub fn stamped_priority(&self) -> Option<&str> {
        self.field.as_deref()?.strip_prefix(STAMPS_PREFIX)
    }

    /// The spec of the changed field, if it is one the format knows.
    pub fn spec(&self) -> Option<&'static FieldSpec> {
        let field = self.field.as_deref()?;
        if self.entity == TableKind::Plan
            && let Some((sub, key)) = field.split_once('.')
        {
            return TableKind::from_key(sub)?.field(key);
        }
        self.entity.field(field)
    }

    /// For a change of `marking`: `Greater` when the level was raised, `Less` when lowered,
    /// `Equal` when only the controls changed; `None` for other fields or unreadable levels.
    pub fn marking_shift(&self) -> Option<Ordering> {
        if self.change != ChangeKind::Changed || self.field.as_deref() != Some("marking") {
            return None;
        }
        let level = |value: &Option<Value>| -> Option<Level> {
            match (value.as_ref().and_then(Value::as_str), self.entity) {
                (Some(banner), TableKind::Plan) => marking::banner_level(banner),
                (Some(portion), _) => marking::parse_portion(portion).ok().map(|m| m.level),
                // An absent portion marking means U.
                (None, TableKind::Plan) => None,
                (None, _) => Some(Level::U),
            }
        };
        let (before, after) = (level(&self.old)?, level(&self.new)?);
        Some(after.cmp(&before))
    }
}

/// The objective's key that holds its review stamps.
const STAMPS_KEY: &str = "reviewed_links";
/// How a change of one link's stamp names its field: `reviewed_links.SP-1`.
const STAMPS_PREFIX: &str = "reviewed_links.";

/// A diagnostic that one version has and the other has not, by code and item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule code.
    pub code: &'static str,
    /// The item it is about.
    pub item: String,
    /// The rule's severity.
    pub severity: Severity,
    /// The first such diagnostic's message.
    pub message: String,
    /// Whether a waiver covers it.
    pub waived: bool,
}

/// Everything that differs between two versions of a plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanDiff {
    /// Item and field changes, in the order of the plan.
    pub changes: Vec<Change>,
    /// Diagnostics (by code and item) the new version has and the old has not.
    pub introduced: Vec<Finding>,
    /// Diagnostics the old version has and the new has not.
    pub resolved: Vec<Finding>,
}

impl PlanDiff {
    /// True when the two versions are the same plan.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.introduced.is_empty() && self.resolved.is_empty()
    }
}

/// Why a version cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum VersionError {
    /// The file is too large.
    #[error(transparent)]
    Unreadable(#[from] CheckError),
    /// The file is not UTF-8 or not TOML (SCP001).
    #[error("{}:{}: SCP001 {message}", .loc.line, .loc.column)]
    Syntax {
        /// Where the parser stopped.
        loc: Loc,
        /// What it found.
        message: String,
    },
    /// A marking is above the system high (SCP209): nothing of the plan may be copied.
    #[error("{}:{}: {} — refusing to copy content above the system high", .0.loc.line, .0.loc.column, .0.message)]
    AboveSystemHigh(Box<Diagnostic>),
}

/// One version of a plan, checked and read for comparison.
#[derive(Debug, Clone)]
pub struct Version {
    /// The check of the file (its plan and diagnostics).
    pub checked: Checked,
    root: toml::Table,
}

impl Version {
    /// Checks a plan file's bytes and reads its values; refuses a file that does not parse or
    /// holds a marking above the system high.
    pub fn load(bytes: &[u8], settings: &Settings) -> Result<Version, VersionError> {
        Version::load_vec(bytes.to_vec(), settings)
    }

    /// [`Version::load`] for bytes the caller gives up: the checked text reuses their buffer.
    pub fn load_vec(bytes: Vec<u8>, settings: &Settings) -> Result<Version, VersionError> {
        let checked = check::check_vec(bytes, settings)?;
        if checked.plan.is_none() {
            let (loc, message) = checked
                .diagnostics
                .first()
                .map_or((Loc::START, String::new()), |d| (d.loc, d.message.clone()));
            return Err(VersionError::Syntax { loc, message });
        }
        if let Some(d) = checked.diagnostics.iter().find(|d| d.code == "SCP209") {
            return Err(VersionError::AboveSystemHigh(Box::new(d.clone())));
        }
        let root = checked
            .text
            .parse::<toml::Table>()
            .map_err(|err| VersionError::Syntax {
                loc: err
                    .span()
                    .map_or(Loc::START, |span| LineIndex::new(&checked.text).loc(span)),
                message: err.message().to_string(),
            })?;
        Ok(Version { checked, root })
    }

    /// A string value of `[plan]` (`id`, `version`), or its TOML spelling for other types.
    pub fn plan_value(&self, key: &str) -> Option<String> {
        let value = self.root.get("plan")?.get(key)?;
        Some(match value {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// The name of the country section with this code.
    pub fn country_name(&self, code: &str) -> Option<&str> {
        tables(&self.root, TableKind::Country)
            .into_iter()
            .find(|t| t.get("code").and_then(toml::Value::as_str) == Some(code))?
            .get("name")?
            .as_str()
    }

    /// Every portion marking and the banner, parsed where they parse.
    fn markings(&self) -> Vec<Marking> {
        let mut out: Vec<Marking> = self
            .checked
            .plan
            .iter()
            .flat_map(|plan| plan.portions())
            .filter_map(|p| marking::parse_portion(p.portion.marking_text()?).ok())
            .collect();
        out.extend(
            self.plan_value("marking")
                .and_then(|banner| banner_portion(&banner)),
        );
        out
    }
}

/// A banner as a portion for the memo's roll-up. A banner not written in banner form still
/// counts by its level and any NOFORN, so that the memo is never marked lower than a version.
fn banner_portion(banner: &str) -> Option<Marking> {
    marking::banner_as_portion(banner).or_else(|| {
        let upper = banner.to_ascii_uppercase();
        Some(Marking {
            level: marking::banner_level(banner)?,
            nf: upper
                .split("//")
                .flat_map(|group| group.split('/'))
                .any(|entry| matches!(entry.trim(), "NF" | "NOFORN")),
            rel_to: None,
            categories: Vec::new(),
            ldcs: Vec::new(),
        })
    })
}

/// The banner for a document that shows content of both versions: the roll-up of both
/// banners and every portion of both plans, so that it is never lower than either banner.
pub fn memo_banner(old: &Version, new: &Version) -> String {
    let mut all = old.markings();
    all.extend(new.markings());
    let profile = new
        .checked
        .plan
        .as_ref()
        .map(|plan| plan.meta.profile())
        .unwrap_or_default();
    marking::roll_up(&all, profile)
}

/// Compares two versions of a plan.
pub fn diff(old: &Version, new: &Version) -> PlanDiff {
    let old_items = Items::of(&old.root);
    let new_items = Items::of(&new.root);
    let stamps = |v: &Version| -> HashMap<String, String> {
        v.checked.plan.as_ref().map_or_else(HashMap::new, |plan| {
            review::current_stamps(plan)
                .into_iter()
                .map(|(id, stamp)| (id.to_string(), stamp))
                .collect()
        })
    };
    let mut walk = Walk {
        old: &old_items,
        new: &new_items,
        stamps: [stamps(old), stamps(new)],
        out: Vec::new(),
    };
    for kind in ROOT_CHILDREN {
        walk.group(*kind, "");
    }
    let before = findings(&old.checked.diagnostics);
    let after = findings(&new.checked.diagnostics);
    let only = |a: &BTreeMap<(&str, &str), &Diagnostic>,
                b: &BTreeMap<(&str, &str), &Diagnostic>| {
        a.iter()
            .filter(|(key, _)| !b.contains_key(*key))
            .map(|(_, d)| Finding {
                code: d.code,
                item: d.item.clone(),
                severity: d.severity,
                message: d.message.clone(),
                waived: d.waived,
            })
            .collect()
    };
    PlanDiff {
        changes: walk.out,
        introduced: only(&after, &before),
        resolved: only(&before, &after),
    }
}

/// The first diagnostic of each (code, item), in code then item order.
fn findings(diagnostics: &[Diagnostic]) -> BTreeMap<(&str, &str), &Diagnostic> {
    let mut out = BTreeMap::new();
    for d in diagnostics {
        out.entry((d.code, d.item.as_str())).or_insert(d);
    }
    out
}

/// One item of a version, with what names it and its fields as JSON.
#[derive(Debug)]
struct Item {
    kind: TableKind,
    key: String,
    /// The key of the item holding it ("" at the top of the file).
    parent: String,
    country: Option<String>,
    /// 1-based place among its siblings.
    position: usize,
    /// The format's fields that are present, in the format's order.
    fields: Vec<(String, Value)>,
}

/// Every item of a version, indexed by kind and key, and by kind and parent.
#[derive(Debug, Default)]
struct Items {
    items: Vec<Item>,
    by_key: HashMap<(TableKind, String), usize>,
    groups: HashMap<(TableKind, String), Vec<usize>>,
}

/// What names an item of `kind` among its siblings when something in it does: its id, a
/// country's code, a waiver's rule and item (`SCP301 POL-AG-1`, `?` for a part that is not a
/// string); `None` for the items named by their place (indicators, barriers) or without an id.
/// `text` gives the string value of a key of the item. The merge matches items the same way.
pub fn item_name<'a>(kind: TableKind, text: impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    if let Some(id) = kind.id_key().and_then(&text) {
        return Some(id.to_string());
    }
    (kind == TableKind::Waiver).then(|| {
        let part = |key| text(key).unwrap_or("?");
        format!("{} {}", part("rule"), part("item"))
    })
}

/// `name`, or `name #2`, `name #3`... when `taken` says an item already has it.
pub fn unique_name(name: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&name) {
        return name;
    }
    (2u64..)
        .map(|n| format!("{name} #{n}"))
        .find(|k| !taken(k))
        .unwrap_or(name)
}

/// The tables of an array of tables (either TOML spelling); anything else holds none.
fn tables(table: &toml::Table, kind: TableKind) -> Vec<&toml::Table> {
    match table.get(kind.key()) {
        Some(toml::Value::Array(items)) => items.iter().filter_map(toml::Value::as_table).collect(),
        _ => Vec::new(),
    }
}

fn fields(kind: TableKind, table: &toml::Table, prefix: &str) -> Vec<(String, Value)> {
    kind.fields()
        .iter()
        .filter_map(|spec| {
            let value = table.get(spec.name)?;
            Some((format!("{prefix}{}", spec.name), to_json(value)))
        })
        .collect()
}

impl Items {
    fn of(root: &toml::Table) -> Items {
        let mut items = Items::default();
        let plan = root.get("plan").and_then(toml::Value::as_table);
        let mut plan_fields = plan.map_or_else(Vec::new, |t| fields(TableKind::Plan, t, ""));
        for sub in TableKind::Plan.children() {
            if let Some(table) = plan
                .and_then(|t| t.get(sub.key()))
                .and_then(toml::Value::as_table)
            {
                plan_fields.extend(fields(*sub, table, &format!("{}.", sub.key())));
            }
        }
        items.push(Item {
            kind: TableKind::Plan,
            key: "plan".to_string(),
            parent: String::new(),
            country: None,
            position: 1,
            fields: plan_fields,
        });
        for kind in ROOT_CHILDREN.iter().filter(|k| !k.is_single()) {
            items.add(root, *kind, "", None);
        }
        items
    }

    /// Adds the tables of `kind` in `table` and everything inside them.
    fn add(&mut self, table: &toml::Table, kind: TableKind, parent: &str, country: Option<&str>) {
        for (i, t) in tables(table, kind).into_iter().enumerate() {
            let position = i + 1;
            let key = match item_name(kind, |key| t.get(key).and_then(toml::Value::as_str)) {
                Some(name) => name,
                None if parent.is_empty() => format!("{} {position}", kind.noun()),
                None => format!("{parent} {} {position}", kind.noun()),
            };
            let key = unique_name(key, |k| self.by_key.contains_key(&(kind, k.to_string())));
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
                fields: fields(kind, t, ""),
            });
            for child in kind.children() {
                self.add(t, *child, &key, country);
            }
        }
    }

    fn push(&mut self, item: Item) {
        let index = self.items.len();
        self.by_key.insert((item.kind, item.key.clone()), index);
        self.groups
            .entry((item.kind, item.parent.clone()))
            .or_default()
            .push(index);
        self.items.push(item);
    }

    fn get(&self, kind: TableKind, key: &str) -> Option<&Item> {
        self.by_key
            .get(&(kind, key.to_string()))
            .map(|&i| &self.items[i])
    }

    /// The items of `kind` held by `parent`, in file order.
    fn group(&self, kind: TableKind, parent: &str) -> Vec<&Item> {
        self.groups
            .get(&(kind, parent.to_string()))
            .map(|indexes| indexes.iter().map(|&i| &self.items[i]).collect())
            .unwrap_or_default()
    }
}

/// Walks both versions group by group, in the order of the plan, collecting changes.
struct Walk<'a> {
    old: &'a Items,
    new: &'a Items,
    /// The priorities' review stamps in the old and the new version.
    stamps: [HashMap<String, String>; 2],
    out: Vec<Change>,
}

impl Walk<'_> {
    fn change(
        &mut self,
        change: ChangeKind,
        item: &Item,
        field: Option<&str>,
        old: Option<Value>,
        new: Option<Value>,
    ) {
        self.out.push(Change {
            change,
            entity: item.kind,
            key: item.key.clone(),
            country: item.country.clone(),
            field: field.map(str::to_string),
            old,
            new,
        });
    }

    /// The items of `kind` held by `parent`: removals first, then the new version's items in
    /// its order, each followed by what it holds.
    fn group(&mut self, kind: TableKind, parent: &str) {
        let (old, new) = (self.old, self.new);
        let old_group = old.group(kind, parent);
        let new_group = new.group(kind, parent);
        for item in &old_group {
            if new.get(kind, &item.key).is_none() {
                self.removed(item);
            }
        }
        let reordered = reordered(&old_group, &new_group);
        for item in new_group {
            match old.get(kind, &item.key) {
                None => self.change(
                    ChangeKind::Added,
                    item,
                    None,
                    None,
                    Some(object(&item.fields)),
                ),
                Some(before) => {
                    if before.parent != item.parent {
                        self.change(
                            ChangeKind::Moved,
                            item,
                            Some("country"),
                            before.country.clone().map(Value::from),
                            item.country.clone().map(Value::from),
                        );
                    } else if reordered.contains(item.key.as_str()) {
                        self.change(
                            ChangeKind::Moved,
                            item,
                            Some("position"),
                            Some(before.position.into()),
                            Some(item.position.into()),
                        );
                    }
                    self.fields(before, item);
                }
            }
            if kind == TableKind::Objective {
                self.suspects(item);
            }
            for child in kind.children() {
                self.group(*child, &item.key);
            }
        }
    }

    /// A removed item, then what it held that the new version does not have anywhere.
    fn removed(&mut self, item: &Item) {
        self.change(
            ChangeKind::Removed,
            item,
            None,
            Some(object(&item.fields)),
            None,
        );
        for child in item.kind.children() {
            for held in self.old.group(*child, &item.key) {
                if self.new.get(*child, &held.key).is_none() {
                    self.removed(held);
                }
            }
        }
    }

    /// Field by field, in the format's order: set, changed, removed.
    fn fields(&mut self, before: &Item, after: &Item) {
        let value = |item: &'_ Item, name: &str| -> Option<Value> {
            item.fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        for name in field_names(after.kind) {
            let (a, b) = (value(before, &name), value(after, &name));
            if a == b {
                continue;
            }
            if after
                .kind
                .field(&name)
                .is_some_and(|f| f.ty == FieldType::Stamps)
            {
                self.stamps_changed(after, a, b);
            } else {
                self.change(ChangeKind::Changed, after, Some(&name), a, b);
            }
        }
    }

    /// A change of `reviewed_links`, link by link: a stamp written is the link reviewed, a
    /// stamp removed a change of `reviewed_links.SP-1` to nothing.
    fn stamps_changed(&mut self, item: &Item, old: Option<Value>, new: Option<Value>) {
        let table = |v: &Option<Value>| v.as_ref().and_then(Value::as_object).cloned();
        let (old, new) = (
            table(&old).unwrap_or_default(),
            table(&new).unwrap_or_default(),
        );
        let keys = new
            .keys()
            .chain(old.keys().filter(|k| !new.contains_key(*k)));
        let keys: Vec<String> = keys.cloned().collect();
        for p in keys {
            let (a, b) = (old.get(&p).cloned(), new.get(&p).cloned());
            if a == b {
                continue;
            }
            let kind = match b {
                Some(_) => ChangeKind::Reviewed,
                None => ChangeKind::Changed,
            };
            self.change(kind, item, Some(&format!("{STAMPS_PREFIX}{p}")), a, b);
        }
    }

    /// The links of an objective of the new version that a change of their priority made
    /// suspect: the link's stamp is the priority's old stamp, not its new one.
    fn suspects(&mut self, item: &Item) {
        let field = |name: &str| item.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let Some(stored) = field(STAMPS_KEY).and_then(Value::as_object) else {
            return;
        };
        let links = field("priorities").and_then(Value::as_array);
        let mut seen = HashSet::new();
        for p in links.into_iter().flatten().filter_map(Value::as_str) {
            let [before, after] = [&self.stamps[0], &self.stamps[1]].map(|s| s.get(p).cloned());
            let (Some(before), Some(after)) = (before, after) else {
                continue;
            };
            let reviewed_before = stored.get(p).and_then(Value::as_str) == Some(before.as_str());
            if before != after && reviewed_before && seen.insert(p) {
                let field = format!("{STAMPS_PREFIX}{p}");
                self.change(
                    ChangeKind::Suspect,
                    item,
                    Some(&field),
                    Some(before.into()),
                    Some(after.into()),
                );
            }
        }
    }
}

/// The fields of a kind as diff names them, in the format's order (`[plan]` then its blocks
/// as `cui.*` and `authority.*`).
fn field_names(kind: TableKind) -> Vec<String> {
    let mut names: Vec<String> = kind.fields().iter().map(|s| s.name.to_string()).collect();
    if kind == TableKind::Plan {
        for sub in kind.children() {
            names.extend(
                sub.fields()
                    .iter()
                    .map(|s| format!("{}.{}", sub.key(), s.name)),
            );
        }
    }
    names
}

fn object(fields: &[(String, Value)]) -> Value {
    Value::Object(fields.iter().cloned().collect::<Map<String, Value>>())
}

/// The keys of the items in both groups whose order among themselves changed: those outside a
/// longest run that kept its relative order.
fn reordered<'a>(old: &[&Item], new: &[&'a Item]) -> HashSet<&'a str> {
    let old_position: HashMap<&str, usize> = old
        .iter()
        .map(|item| (item.key.as_str(), item.position))
        .collect();
    let common: Vec<(&str, usize)> = new
        .iter()
        .filter_map(|item| Some((item.key.as_str(), *old_position.get(item.key.as_str())?)))
        .collect();
    let kept = longest_increasing(&common.iter().map(|(_, p)| *p).collect::<Vec<_>>());
    common
        .iter()
        .enumerate()
        .filter(|(i, _)| !kept.contains(i))
        .map(|(_, (key, _))| *key)
        .collect()
}

/// The indexes of one longest strictly increasing subsequence (patience sorting, n log n).
pub(crate) fn longest_increasing(values: &[usize]) -> HashSet<usize> {
    // tails[k]: index of the smallest tail of an increasing run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (i, &value) in values.iter().enumerate() {
        let k = tails.partition_point(|&t| values[t] < value);
        previous[i] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut kept = HashSet::new();
    let mut at = tails.last().copied();
    while let Some(i) = at {
        kept.insert(i);
        at = previous[i];
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(banner: &str, portion: &str) -> Version {
        let text = format!(
            "[plan]\nmarking = \"{banner}\"\n\n[[priority]]\nid = \"SP-1\"\nmarking = \"{portion}\"\n"
        );
        let settings = Settings {
            system_high: Level::Ts,
        };
        Version::load(text.as_bytes(), &settings).unwrap()
    }

    #[test]
    fn the_memo_banner_is_never_lower_than_either_version() {
        let u = version("UNCLASSIFIED", "U");
        assert_eq!(memo_banner(&u, &u), "UNCLASSIFIED");
        assert_eq!(
            memo_banner(&version("SECRET//NOFORN", "U"), &u),
            "SECRET//NOFORN"
        );
        assert_eq!(
            memo_banner(&u, &version("secret//noforn", "U")),
            "SECRET//NOFORN"
        );
        assert_eq!(memo_banner(&u, &version("S//NF", "U")), "SECRET//NOFORN");
        assert_eq!(
            memo_banner(&u, &version("UNCLASSIFIED", "C")),
            "CONFIDENTIAL"
        );
        assert_eq!(
            memo_banner(
                &version("SECRET//REL TO USA, GBR", "S//REL TO USA, GBR"),
                &version("SECRET//REL TO USA, GBR, POL", "S//REL TO USA, GBR, POL"),
            ),
            "SECRET//REL TO USA, GBR"
        );
    }

    #[test]
    fn longest_increasing_keeps_the_longest_run() {
        let kept = longest_increasing(&[2, 3, 1, 4]);
        assert_eq!(kept, HashSet::from([0, 1, 3]));
        assert!(longest_increasing(&[]).is_empty());
        assert_eq!(longest_increasing(&[3, 2, 1]).len(), 1);
    }
}
