//! `scplan diff`: what changed between two versions of a plan, keyed by what names each item
//! rather than by line. Items with an id (priorities, countries by code, objectives,
//! agreements, actors, investment pools) are matched by it wherever they are; indicators and
//! barriers by their position in their parent (`POL-ST-1 indicator 1`, `POL barrier 2`);
//! waivers by rule and item (`SCP301 POL-AG-1`). Comments and formatting are not compared.
//! Both versions are the typed plans `scplan check` builds, compared item by item.

mod items;
pub mod render;
mod value;
mod version;
mod walk;

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use crate::check::diagnostic::Diagnostic;
use crate::check::registry::Severity;
use crate::plan::marking::{self, Level};
use crate::plan::review;
use crate::plan::schema::{FieldSpec, ROOT_CHILDREN, TableKind};
pub use version::{Version, VersionError, memo_banner};

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

/// Compares two versions of a plan.
pub fn diff(old: &Version, new: &Version) -> PlanDiff {
    diff_walked(old, new, walk::SPLIT_FROM_SECTIONS)
}

/// [`diff`], a walk sharing out lists of `split_from` country sections or more over two cores.
fn diff_walked(old: &Version, new: &Version, split_from: usize) -> PlanDiff {
    // Each version's index is a matter of its own: the two are built on two cores.
    let (old_items, new_items) = crate::parallel::both(
        || items::Items::of(old.root()),
        || items::Items::of(new.root()),
    );
    let stamps = [old, new].map(|v| review::current_stamps(v.plan()));
    let mut walk = walk::Walk {
        old: &old_items,
        new: &new_items,
        stamps: &stamps,
        split_from,
        out: Vec::new(),
    };
    for kind in ROOT_CHILDREN {
        walk.group(*kind, [items::Holder::Root; 2]);
    }
    let before = findings(&old.diagnostics);
    let after = findings(&new.diagnostics);
    let only = |a: &BTreeMap<(&str, &str), &Diagnostic>,
                b: &BTreeMap<(&str, &str), &Diagnostic>| {
        a.iter()
            .filter(|(key, _)| !b.contains_key(*key))
            .map(|(_, d)| Finding {
                code: d.code,
                item: d.item.to_string(),
                severity: d.severity,
                message: d.message.to_string(),
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
        out.entry((d.code, &*d.item)).or_insert(d);
    }
    out
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
    use crate::check::Settings;

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
    fn a_walk_of_sections_on_two_cores_finds_the_changes_of_one_walk() {
        let settings = Settings {
            system_high: Level::Ts,
        };
        let text = crate::synth::generate(9, 3, 0.2, 7);
        // Changes all through the plan: every other objective's text, every third link list.
        let edits = [
            ("text = \"", 2, "= \"", "= \"New "),
            ("priorities = [", 3, "[", "[\"SP-9\", "),
        ];
        let mut seen = [0; 2];
        let mut changed = String::new();
        for line in text.lines() {
            let edit = edits
                .iter()
                .zip(&mut seen)
                .find(|((start, ..), _)| line.trim_start().starts_with(*start));
            match edit {
                Some(((_, every, from, to), seen)) => {
                    *seen += 1;
                    let new = if *seen % *every == 0 {
                        line.replacen(*from, to, 1)
                    } else {
                        line.to_string()
                    };
                    changed.push_str(&new);
                }
                None => changed.push_str(line),
            }
            changed.push('\n');
        }
        let old = Version::load(text.as_bytes(), &settings).unwrap();
        let new = Version::load(changed.as_bytes(), &settings).unwrap();
        let one_walk = diff_walked(&old, &new, usize::MAX);
        assert!(one_walk.changes.len() > 20, "changes in many sections");
        for split_from in [2, 3, 9] {
            assert_eq!(
                diff_walked(&old, &new, split_from),
                one_walk,
                "from {split_from}"
            );
        }
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
    fn a_value_the_typed_plan_cannot_hold_is_shown_as_written() {
        let load = |title: &str| {
            let text =
                format!("[plan]\nid = \"P\"\n\n[[priority]]\nid = \"SP-1\"\ntitle = {title}\n");
            Version::load(text.as_bytes(), &Settings::default()).unwrap()
        };
        let (typed, wrong) = (load("\"Five\""), load("5"));
        let changes = diff(&wrong, &typed).changes;
        assert_eq!(changes.len(), 1, "{changes:?}");
        let c = &changes[0];
        assert_eq!(
            (c.key.as_str(), c.field.as_deref()),
            ("SP-1", Some("title"))
        );
        assert_eq!(
            (&c.old, &c.new),
            (&Some(Value::from(5)), &Some(Value::from("Five")))
        );
        assert!(diff(&wrong, &load("5")).is_empty());
    }

    #[test]
    fn longest_increasing_keeps_the_longest_run() {
        let kept = longest_increasing(&[2, 3, 1, 4]);
        assert_eq!(kept, HashSet::from([0, 1, 3]));
        assert!(longest_increasing(&[]).is_empty());
        assert_eq!(longest_increasing(&[3, 2, 1]).len(), 1);
    }
}
