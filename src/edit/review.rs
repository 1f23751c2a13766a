//! Link review in the editing core: the review queue (suspect links, and unstamped ones when
//! the plan asks for stamps, by priority), and the edits that write an objective's
//! `reviewed_links` without disturbing the rest of the file: a stamp written when a priority is
//! linked and removed when it is unlinked, links confirmed (re-stamped) one at a time, by
//! objective or by priority, and every unstamped link stamped when a plan adopts link review.
//! Front ends apply the edits (and undo them) their own way; `scplan review` and
//! `scplan stamp-links` are these functions with a file around them.

use std::collections::HashMap;

use toml_edit::{InlineTable, Item, Key, Table, TableLike, Value};

use super::field::{self, FieldError};
use super::stamp_text::{self, Changes};
use crate::check::{self, Checked, Settings};
use crate::plan::document::{Edit, PlanDocument};
use crate::plan::model::{Node, Objective, Plan, text, val};
use crate::plan::review::{self, LinkState};
use crate::plan::source::{self, Layout};

/// The objective's key that holds its stamps.
const KEY: &str = "reviewed_links";

/// Why a review edit could not be made; the document is then unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// No objective has this id.
    #[error("there is no objective `{0}`")]
    NoSuchObjective(String),
    /// No priority has this id.
    #[error("there is no priority `{0}`")]
    NoSuchPriority(String),
    /// The objective does not link the priority.
    #[error("{objective} does not link {priority}: nothing to confirm")]
    NotLinked {
        /// The objective's id.
        objective: String,
        /// The priority's id.
        priority: String,
    },
    /// `reviewed_links` holds something other than a table (SCP003).
    #[error("`reviewed_links` of {0} is not a table (SCP003): correct it before writing stamps")]
    NotATable(String),
}

/// A plan's document and the typed plan read from it, for review; refuses a plan with a
/// marking above the system high (as `get` and `set` do: the queue shows priority titles).
pub fn open(bytes: &[u8], settings: &Settings) -> Result<(PlanDocument, Plan), FieldError> {
    let doc = field::open(bytes, settings)?;
    let plan = doc.load().plan;
    Ok((doc, plan))
}

/// A plan's text (LF line ends), its check and its file layout, for stamps written into the
/// text ([`Pending::in_text`]), with one check and no document; refuses what [`open`]
/// refuses. `Ok(None)` when the bytes do not load as a plan: [`open`] then says why.
pub fn open_text(
    bytes: &[u8],
    settings: &Settings,
) -> Result<Option<(Checked, Layout)>, FieldError> {
    let Ok((text, layout)) = source::decode(bytes) else {
        return Ok(None);
    };
    let checked = check::check_text(text, settings);
    field::cleared(&checked)?;
    Ok(checked.plan.is_some().then_some((checked, layout)))
}

/// One link waiting for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedLink {
    /// The objective's id (its item).
    pub objective: String,
    /// The code of the country whose section holds it.
    pub country: String,
    /// Where the objective is in the document.
    pub node: Node,
    /// [`LinkState::Suspect`] or [`LinkState::Unstamped`].
    pub state: LinkState,
}

/// The links to one priority that wait for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueGroup {
    /// The priority's id.
    pub priority: String,
    /// Its title as written.
    pub title: String,
    /// Its current stamp.
    pub stamp: String,
    /// Where the priority is in the document.
    pub node: Node,
    /// The links, in the order of the plan.
    pub links: Vec<QueuedLink>,
}

/// Each selectable row of the queue: the index of its group and of the link in it.
pub fn queue_rows(groups: &[QueueGroup]) -> Vec<(usize, usize)> {
    groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| (0..group.links.len()).map(move |l| (g, l)))
        .collect()
}

/// The link on row `row` of the review queue of `plan`, with its group.
pub fn queued_at(plan: &Plan, row: usize) -> Option<(QueueGroup, QueuedLink)> {
    let groups = queue(plan);
    let &(g, l) = queue_rows(&groups).get(row)?;
    let group = groups.into_iter().nth(g)?;
    let link = group.links.get(l)?.clone();
    Some((group, link))
}

/// The review queue: every suspect link (SCP109) and, with `plan.link_review = true`, every
/// unstamped one (SCP110), grouped by priority in the order of the plan.
pub fn queue(plan: &Plan) -> Vec<QueueGroup> {
    let stamps = review::current_stamps(plan);
    let unstamped_too = plan.meta.link_review();
    let mut by_priority: HashMap<&str, Vec<QueuedLink>> = HashMap::new();
    for c in &plan.countries {
        for o in &c.objectives {
            // Without a stamp, a link waits only when every link must be reviewed.
            if !unstamped_too && o.reviewed_links.is_none() {
                continue;
            }
            for link in review::judge(o, &stamps) {
                let wanted = match link.state {
                    LinkState::Suspect { .. } => true,
                    LinkState::Unstamped => unstamped_too,
                    LinkState::Reviewed | LinkState::Malformed => false,
                };
                if wanted {
                    by_priority
                        .entry(link.priority)
                        .or_default()
                        .push(QueuedLink {
                            objective: o.head.item.clone(),
                            country: c.head.item.clone(),
                            node: o.head.node,
                            state: link.state,
                        });
                }
            }
        }
    }
    let mut out = Vec::new();
    for p in &plan.priorities {
        let Some(id) = val(&p.id) else { continue };
        if let Some(links) = by_priority.remove(id.as_str()) {
            out.push(QueueGroup {
                priority: id.clone(),
                title: text(&p.title).to_string(),
                stamp: stamps.get(id.as_str()).cloned().unwrap_or_default(),
                node: p.head.node,
                links,
            });
        }
    }
    out
}

/// What to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One link: objective id, priority id.
    Link(String, String),
    /// Every link of the objective with this id.
    Objective(String),
    /// Every link to the priority with this id.
    Priority(String),
}

/// A stamp written for a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamped {
    /// The objective's id.
    pub objective: String,
    /// The priority's id.
    pub priority: String,
    /// The stamp written (the priority's current one).
    pub stamp: String,
}

/// Edits and what they write.
#[derive(Debug, Clone, Default)]
pub struct Stamping {
    /// The edit to apply; `None` when every stamp asked for is already current.
    pub edit: Option<Edit>,
    /// The stamps it writes.
    pub stamped: Vec<Stamped>,
    /// Links that keep a stamp which is not their priority's current one (only
    /// [`unstamped`] refuses to overwrite them).
    pub kept: Vec<Kept>,
}

/// A link whose differing stamp [`unstamped`] left as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The objective's id.
    pub objective: String,
    /// The priority's id.
    pub priority: String,
    /// The stamp stored; `None` when it is not a stamp (SCP006).
    pub stored: Option<String>,
    /// The priority's current stamp.
    pub current: String,
}

/// The stamps a request writes, decided on the typed plan before anything is written: per
/// objective (in the order first named), each priority and its new stamp; and the links whose
/// differing stamp is kept. Written through a document ([`Pending::edits`]) or into the
/// plan's text ([`Pending::in_text`]): the same bytes either way.
#[derive(Debug, Default)]
pub struct Pending<'p> {
    changes: Vec<Changes<'p>>,
    kept: Vec<Kept>,
}

impl<'p> Pending<'p> {
    /// Whether nothing is to be written.
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|(_, stamps)| stamps.is_empty())
    }

    /// The edits that write the stamps into `doc`.
    pub fn edits(self, doc: &PlanDocument) -> Result<Stamping, ReviewError> {
        let mut edits = Vec::new();
        for (o, stamps) in &self.changes {
            edits.extend(write(doc, o, stamps)?);
        }
        let mut done = self.written();
        done.edit = batch(edits);
        Ok(done)
    }

    /// `text` (the LF text the plan was read from) with the stamps written in; `None` when
    /// one is not in a form [`stamp_text`] writes (take [`Pending::edits`]).
    pub fn in_text(&self, text: &str) -> Option<String> {
        stamp_text::write(text, &self.changes)
    }

    /// What is written, without an edit (for [`Pending::in_text`]).
    pub fn written(self) -> Stamping {
        Stamping {
            edit: None,
            stamped: self
                .changes
                .iter()
                .flat_map(|(o, stamps)| stamped(o, stamps))
                .collect(),
            kept: self.kept,
        }
    }
}

/// Confirms links: each link named by `targets` gets its priority's current stamp (links
/// whose stamp is already current are left alone). Refuses an unknown objective or priority,
/// and a link the objective does not have.
pub fn confirm(
    doc: &PlanDocument,
    plan: &Plan,
    targets: &[Target],
) -> Result<Stamping, ReviewError> {
    confirmations(plan, targets)?.edits(doc)
}

/// The stamps [`confirm`] writes.
pub fn confirmations<'p>(plan: &'p Plan, targets: &[Target]) -> Result<Pending<'p>, ReviewError> {
    let stamps = review::current_stamps(plan);
    let objectives: Vec<&'p Objective> =
        plan.countries.iter().flat_map(|c| &c.objectives).collect();
    let find = |id: &str| {
        objectives
            .iter()
            .copied()
            .find(|o| val(&o.id).is_some_and(|v| v == id))
            .ok_or_else(|| ReviewError::NoSuchObjective(id.to_string()))
    };
    let known = |p: &str| {
        stamps
            .contains_key(p)
            .then_some(())
            .ok_or_else(|| ReviewError::NoSuchPriority(p.to_string()))
    };
    // Per objective (in the order first named), the priorities to stamp: one edit each.
    let mut wanted: Vec<(&'p Objective, Vec<String>)> = Vec::new();
    let mut want = |o: &'p Objective, p: &str| {
        let i = match wanted.iter().position(|(w, _)| w.head.node == o.head.node) {
            Some(i) => i,
            None => {
                wanted.push((o, Vec::new()));
                wanted.len() - 1
            }
        };
        if !wanted[i].1.iter().any(|q| q == p) {
            wanted[i].1.push(p.to_string());
        }
    };
    for target in targets {
        match target {
            Target::Link(id, p) => {
                let o = find(id)?;
                known(p)?;
                if !links(o).iter().any(|l| l == p) {
                    return Err(ReviewError::NotLinked {
                        objective: id.clone(),
                        priority: p.clone(),
                    });
                }
                want(o, p);
            }
            Target::Objective(id) => {
                let o = find(id)?;
                for p in links(o).iter().filter(|p| stamps.contains_key(p.as_str())) {
                    want(o, p);
                }
            }
            Target::Priority(p) => {
                known(p)?;
                for o in objectives
                    .iter()
                    .filter(|o| links(o).iter().any(|l| l == p))
                {
                    want(o, p);
                }
            }
        }
    }
    let mut out = Pending::default();
    for (o, priorities) in wanted {
        let changes: Vec<(String, Option<String>)> = priorities
            .into_iter()
            .filter_map(|p| {
                let current = stamps.get(p.as_str())?;
                (stored(o, &p) != Some(current.as_str())).then(|| (p, Some(current.clone())))
            })
            .collect();
        out.changes.push((o, changes));
    }
    Ok(out)
}

/// The stamps for every link that has none, for a plan adopting link review. A link whose
/// stamp differs from its priority's current one (or is not a stamp) is not overwritten: it
/// is listed in [`Stamping::kept`], to be reviewed and confirmed.
pub fn unstamped(plan: &Plan) -> Pending<'_> {
    let stamps = review::current_stamps(plan);
    let mut out = Pending::default();
    for o in plan.countries.iter().flat_map(|c| &c.objectives) {
        let mut changes = Vec::new();
        for link in review::judge(o, &stamps) {
            let stored = match link.state {
                LinkState::Unstamped => {
                    changes.push((link.priority.to_string(), Some(link.current.to_string())));
                    continue;
                }
                LinkState::Reviewed => continue,
                LinkState::Suspect { stored } => Some(stored),
                LinkState::Malformed => None,
            };
            out.kept.push(Kept {
                objective: o.head.item.clone(),
                priority: link.priority.to_string(),
                stored,
                current: link.current.to_string(),
            });
        }
        out.changes.push((o, changes));
    }
    out
}

/// The edit that keeps the stamps of the objective at `node` in step when its links become
/// `links` (the editor's picker): each newly linked priority gets its current stamp, each
/// unlinked one loses its stamp; the keys follow the order of `links`. `None` when nothing
/// changes. The caller applies it together with its own edit of `priorities`.
pub fn relink(
    doc: &PlanDocument,
    plan: &Plan,
    node: Node,
    links: &[String],
) -> Result<Option<Edit>, ReviewError> {
    let Some(o) = plan
        .countries
        .iter()
        .flat_map(|c| &c.objectives)
        .find(|o| o.head.node == node)
    else {
        return Ok(None);
    };
    let stamps = review::current_stamps(plan);
    let old = self::links(o);
    let mut changes: Vec<(String, Option<String>)> = links
        .iter()
        .filter(|p| !old.contains(p))
        .filter_map(|p| Some((p.clone(), Some(stamps.get(p.as_str())?.clone()))))
        .collect();
    changes.extend(
        old.iter()
            .filter(|p| !links.contains(p) && stored_key(o, p))
            .map(|p| (p.clone(), None)),
    );
    write_in_order(doc, o, links, &changes)
}

/// The string entries of an objective's `priorities`.
fn links(o: &Objective) -> Vec<String> {
    val(&o.priorities).map_or_else(Vec::new, |l| l.entries.clone())
}

/// The stamp stored for a priority, when it is one.
fn stored<'a>(o: &'a Objective, p: &str) -> Option<&'a str> {
    entries(o)
        .find(|e| e.priority == p)
        .and_then(|e| e.stamp.as_deref())
}

/// Whether `reviewed_links` has a key for the priority.
fn stored_key(o: &Objective, p: &str) -> bool {
    entries(o).any(|e| e.priority == p)
}

fn entries(o: &Objective) -> impl Iterator<Item = &crate::plan::model::LinkStamp> {
    o.reviewed_links
        .iter()
        .filter_map(|r| r.stamps.as_ref())
        .flatten()
}

fn stamped(o: &Objective, changes: &[(String, Option<String>)]) -> Vec<Stamped> {
    changes
        .iter()
        .filter_map(|(p, stamp)| {
            Some(Stamped {
                objective: o.head.item.clone(),
                priority: p.clone(),
                stamp: stamp.clone()?,
            })
        })
        .collect()
}

/// One edit for several, or none.
fn batch(mut edits: Vec<Edit>) -> Option<Edit> {
    match edits.len() {
        0 => None,
        1 => edits.pop(),
        _ => Some(Edit::Batch(edits)),
    }
}

/// The edits that move every stamp stored for priority `old` to its new id `new` (a
/// priority renamed): a stamp depends on the priority's texts, not its id, so it stays valid.
pub fn rename_stamps(doc: &PlanDocument, plan: &Plan, old: &str, new: &str) -> Vec<Edit> {
    plan.countries
        .iter()
        .flat_map(|c| &c.objectives)
        .filter_map(|o| {
            let stamp = stored(o, old)?.to_string();
            let order: Vec<String> = links(o)
                .into_iter()
                .map(|p| if p == old { new.to_string() } else { p })
                .collect();
            let changes = [(old.to_string(), None), (new.to_string(), Some(stamp))];
            write_in_order(doc, o, &order, &changes).ok().flatten()
        })
        .collect()
}

/// The edits that remove every stamp stored for priority `id` (the priority deleted with its
/// references).
pub fn remove_stamps(doc: &PlanDocument, plan: &Plan, id: &str) -> Vec<Edit> {
    plan.countries
        .iter()
        .flat_map(|c| &c.objectives)
        .filter_map(|o| remove_stamp(doc, plan, o.head.node, id))
        .collect()
}

/// The edit that removes the stamp of priority `id` from the objective at `node` (a stale
/// stamp, SCP111), the other stamps kept as written; `None` when it has none.
pub fn remove_stamp(doc: &PlanDocument, plan: &Plan, node: Node, id: &str) -> Option<Edit> {
    let o = plan
        .countries
        .iter()
        .flat_map(|c| &c.objectives)
        .find(|o| o.head.node == node)
        .filter(|o| stored_key(o, id))?;
    write(doc, o, &[(id.to_string(), None)]).ok().flatten()
}

/// `edit`, which makes the list `field` of the objective at `node` `after`: for its
/// `priorities`, with its stamps kept in step, since linking a priority in an editor is the
/// planner confirming the link (see "Link review" in the format), so a newly linked priority
/// gets its current stamp and an unlinked one loses its own. One edit, one undo step; `edit`
/// alone for another list or when no stamp changes.
pub fn linked(
    doc: &PlanDocument,
    plan: &Plan,
    node: Node,
    field: &str,
    edit: Edit,
    after: &[String],
) -> Result<Edit, ReviewError> {
    if field != "priorities" {
        return Ok(edit);
    }
    Ok(match relink(doc, plan, node, after)? {
        Some(stamps) => Edit::Batch(vec![edit, stamps]),
        None => edit,
    })
}

/// [`write_in_order`] with the keys in the order of the objective's own `priorities`.
fn write(
    doc: &PlanDocument,
    o: &Objective,
    changes: &[(String, Option<String>)],
) -> Result<Option<Edit>, ReviewError> {
    write_in_order(doc, o, &links(o), changes)
}

/// The edit that writes `changes` (a priority id and its new stamp, or `None` to remove its
/// key) into the objective's `reviewed_links`, keys in the order of `order` (those it does
/// not name after them, as they were). A new `reviewed_links` is an inline table on one line;
/// an existing one keeps its form, and when only stamps change, every other byte of it.
fn write_in_order(
    doc: &PlanDocument,
    o: &Objective,
    order: &[String],
    changes: &[(String, Option<String>)],
) -> Result<Option<Edit>, ReviewError> {
    if changes.is_empty() {
        return Ok(None);
    }
    let node = o.head.node;
    let set = |value: Option<Value>| Edit::SetField {
        node,
        field: KEY.to_string(),
        value,
    };
    let inline = |mut table: InlineTable| {
        if let Some(entries) = update(&mut table, order, changes, |name: &str| Key::new(name)) {
            for (key, item) in entries {
                if let Ok(value) = item.into_value() {
                    table.insert_formatted(&key, value);
                }
            }
            table.fmt();
        }
        set((!table.is_empty()).then_some(Value::InlineTable(table)))
    };
    Ok(match doc.get(node, KEY) {
        None if changes.iter().all(|(_, stamp)| stamp.is_none()) => None,
        None => Some(inline(InlineTable::new())),
        Some(Item::Value(Value::InlineTable(old))) => Some(inline(old.clone())),
        Some(Item::Table(old)) => {
            let Some((index, key)) = doc.key_at(node, KEY) else {
                return Err(ReviewError::NotATable(o.head.item.clone()));
            };
            let mut table = old.clone();
            let indent = indent_of(old);
            let new_key = |name: &str| {
                let mut key = Key::new(name);
                key.leaf_decor_mut().set_prefix(indent.clone());
                key
            };
            if let Some(entries) = update(&mut table, order, changes, new_key) {
                for (key, item) in entries {
                    table.insert_formatted(&key, item);
                }
            }
            // A sub-table cannot be addressed by an edit: it is taken out and put back
            // changed at its place, which its undo reverses.
            let mut edits = vec![set(None)];
            if !table.is_empty() {
                edits.push(Edit::RestoreField {
                    node,
                    index,
                    key: key.clone(),
                    item: Item::Table(table),
                });
            }
            Some(Edit::Batch(edits))
        }
        Some(_) => return Err(ReviewError::NotATable(o.head.item.clone())),
    })
}

/// The indentation of a sub-table's keys (that of its first key), for a key added to it.
fn indent_of(table: &Table) -> String {
    table
        .iter()
        .next()
        .and_then(|(name, _)| table.key(name))
        .and_then(|k| k.leaf_decor().prefix().and_then(|p| p.as_str()))
        .map(|p| p.rsplit('\n').next().unwrap_or("").to_string())
        .filter(|p| p.chars().all(|c| c == ' ' || c == '\t'))
        .unwrap_or_default()
}

/// Applies `changes` to a table of stamps. When the keys stay the same, in the same order,
/// only the values are replaced, each keeping its spacing and comments, and `None` is
/// returned. Otherwise the table is emptied and its entries are returned for the caller to
/// put back, in the order of `order` (the keys it does not name last), new keys made by
/// `new_key`.
fn update(
    table: &mut dyn TableLike,
    order: &[String],
    changes: &[(String, Option<String>)],
    new_key: impl Fn(&str) -> Key,
) -> Option<Vec<(Key, Item)>> {
    let before: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let mut names = before.clone();
    for (p, stamp) in changes {
        match stamp {
            Some(_) if !names.contains(p) => names.push(p.clone()),
            None => names.retain(|n| n != p),
            Some(_) => {}
        }
    }
    // The keys in `order` when some come; otherwise those left keep the order written, so
    // that confirming or unlinking changes those stamps and nothing else.
    if names.iter().any(|n| !before.contains(n)) {
        names.sort_by_key(|n| order.iter().position(|o| o == n).unwrap_or(order.len()));
    }
    let stamp_of = |p: &str| {
        changes
            .iter()
            .find(|(c, _)| c == p)
            .and_then(|(_, s)| s.as_deref())
    };
    let restamp = |item: &mut Item, name: &str| {
        if let (Some(stamp), Item::Value(v)) = (stamp_of(name), item) {
            let decor = v.decor().clone();
            *v = Value::from(stamp);
            *v.decor_mut() = decor;
        }
    };
    if names == before {
        for name in &names {
            if let Some(item) = table.get_mut(name) {
                restamp(item, name);
            }
        }
        return None;
    }
    let mut kept: Vec<(Key, Item)> = before
        .iter()
        .filter_map(|name| Some((table.key(name)?.clone(), table.remove(name)?)))
        .collect();
    let mut out = Vec::with_capacity(names.len());
    for name in &names {
        match kept.iter().position(|(k, _)| k.get() == name.as_str()) {
            Some(i) => {
                let (key, mut item) = kept.swap_remove(i);
                restamp(&mut item, name);
                out.push((key, item));
            }
            None => out.push((
                new_key(name),
                toml_edit::value(stamp_of(name).unwrap_or("")),
            )),
        }
    }
    Some(out)
}
