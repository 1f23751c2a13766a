//! What every rule family reads besides the plan: the settings and indexes of the plan's ids,
//! and what one country's rules leave for the plan-wide rules.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jiff::civil::Date;

use super::Settings;
use crate::plan::marking::Marking;
use crate::plan::model::{Plan, val};
use crate::plan::review;

/// The plan, the settings and the ids of the plan, built once per check. The indexes over
/// every item are built the first time a rule needs them: the editor re-checks one section
/// at a time and must not pay for the whole plan.
pub struct Context<'a> {
    /// The plan being checked.
    pub plan: &'a Plan,
    /// System high and other settings.
    pub settings: &'a Settings,
    /// Every priority id, in order.
    pub priority_ids: Vec<&'a str>,
    /// The same ids, for lookups.
    pub priority_set: HashSet<&'a str>,
    ids: OnceLock<Vec<&'a str>>,
    owners: OnceLock<HashMap<&'a str, &'a str>>,
    stamps: OnceLock<HashMap<&'a str, String>>,
}

impl<'a> Context<'a> {
    /// Indexes a plan.
    pub fn new(plan: &'a Plan, settings: &'a Settings) -> Self {
        let priority_ids: Vec<&str> = plan
            .priorities
            .iter()
            .filter_map(|p| val(&p.id).map(String::as_str))
            .collect();
        let priority_set = priority_ids.iter().copied().collect();
        Context {
            plan,
            settings,
            priority_ids,
            priority_set,
            ids: OnceLock::new(),
            owners: OnceLock::new(),
            stamps: OnceLock::new(),
        }
    }

    /// Every id and country code in the plan, in document-tree order (to suggest the closest
    /// to a waiver's unknown item).
    pub fn all_ids(&self) -> &[&'a str] {
        self.ids.get_or_init(|| self.plan.ids().collect())
    }

    /// The code (item name) of the country whose agreements or actors include `id`.
    pub fn owner_of(&self, id: &str) -> Option<&'a str> {
        let plan = self.plan;
        self.owners
            .get_or_init(|| {
                let mut map = HashMap::new();
                for c in &plan.countries {
                    let ids = c.agreements.iter().map(|a| &a.id);
                    for id in ids.chain(c.actors.iter().map(|a| &a.id)).filter_map(val) {
                        map.entry(id.as_str()).or_insert(c.head.item.as_str());
                    }
                }
                map
            })
            .get(id)
            .copied()
    }

    /// Every priority's current review stamp, by id (hashed the first time a rule needs
    /// them: most plans carry no stamps).
    pub fn priority_stamps(&self) -> &HashMap<&'a str, String> {
        self.stamps
            .get_or_init(|| review::current_stamps(self.plan))
    }

    /// `plan.effective`, when valid.
    pub fn effective(&self) -> Option<Date> {
        val(&self.plan.meta.effective).copied()
    }

    /// `plan.period_end`, when valid.
    pub fn period_end(&self) -> Option<Date> {
        val(&self.plan.meta.period_end).copied()
    }
}

/// What the rules of some sections leave for the plan-wide rules, kept per section by the
/// editor so that a change to one section re-checks only that one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// The priority ids that S&T objectives link (SCP104).
    pub linked: HashSet<String>,
    /// The distinct parsed portion markings (the SCP202 roll-up, which ignores repeats and
    /// order).
    pub markings: Vec<Marking>,
    /// Some portion is CUI (SCP210).
    pub any_cui: bool,
    /// Some portion marking cannot be read (SCP201, SCP208): the roll-up of the others is
    /// only a floor for the banner (SCP202).
    pub unreadable: bool,
    /// A governance entry names an item that is not its own section's: its help names the
    /// section that owns it, so it depends on the other sections.
    pub foreign: bool,
}

/// How many distinct markings a tally compares a new one with: plans use a handful, and past
/// that a repeat costs only a little more roll-up work.
const DISTINCT_MARKINGS: usize = 32;

impl Tally {
    /// Notes a portion's marking for the roll-up, once when it is among the first few seen.
    pub fn note_marking(&mut self, m: Marking) {
        if !self.has_seen(&m) {
            self.markings.push(m);
        }
    }

    /// Whether `m` is among the first few markings noted.
    fn has_seen(&self, m: &Marking) -> bool {
        self.markings[..self.markings.len().min(DISTINCT_MARKINGS)].contains(m)
    }

    /// Adds what another tally holds.
    pub fn absorb(&mut self, other: &Tally) {
        for id in &other.linked {
            if !self.linked.contains(id) {
                self.linked.insert(id.clone());
            }
        }
        for m in &other.markings {
            // Copied only when new: the sections of a plan repeat the same few markings.
            if !self.has_seen(m) {
                self.markings.push(m.clone());
            }
        }
        self.any_cui |= other.any_cui;
        self.unreadable |= other.unreadable;
        self.foreign |= other.foreign;
    }
}
