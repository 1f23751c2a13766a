//! A plan's findings kept by where they come from: outside the country sections, and each
//! section's own (structural findings, rules, tally). The plan-wide rules, SCP005,
//! the waivers and the order are applied when the whole list is taken, so that the editor can
//! re-check the one section an edit touched and still get what a full check gives.

use super::context::{Context, Tally};
use super::diagnostic::{self, Diagnostic};
use super::ids::IdCensus;
use super::{Settings, country_rules, plan_rules, plan_wide_rules, waivers};
use crate::plan::finding::Finding;
use crate::plan::load::PartModel;
use crate::plan::model::Part;
use crate::plan::model::{Collection, Country, Meta, Node, Plan, Priority, val};
use crate::plan::review;

/// What one country section contributes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// Structural findings (SCP002-SCP009 but SCP005) inside the section.
    pub structural: Vec<Diagnostic>,
    /// The section's rules.
    pub rules: Vec<Diagnostic>,
    /// What the plan-wide rules need from it.
    pub tally: Tally,
}

/// Every finding of a plan, by origin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// Outside the country sections: structural findings and the rules of the plan and its
    /// priorities.
    outside: Section,
    /// Each country section's, in order.
    sections: Vec<Section>,
    /// The plan's ids, for SCP005 and the waivers.
    census: IdCensus,
}

impl Findings {
    /// Checks every rule of `plan` given its structural findings.
    pub fn new(plan: &Plan, structural: Vec<Finding>, settings: &Settings) -> Findings {
        let cx = Context::new(plan, settings);
        let mut sections: Vec<Section> = vec![Section::default(); plan.countries.len()];
        let mut outside = Section::default();
        for d in structural.into_iter().map(Diagnostic::from) {
            match d.target.node.and_then(|n| n.country()) {
                Some(ci) if ci < sections.len() => sections[ci].structural.push(d),
                _ => outside.structural.push(d),
            }
        }
        plan_rules(&cx, &mut outside.rules, &mut outside.tally);
        for (ci, section) in sections.iter_mut().enumerate() {
            country_rules(&cx, ci, &mut section.rules, &mut section.tally);
        }
        Findings {
            outside,
            sections,
            census: IdCensus::new(plan),
        }
    }

    /// Every finding held, before the plan-wide rules (for moving their locations).
    pub fn held_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        std::iter::once(&mut self.outside)
            .chain(self.sections.iter_mut())
            .flat_map(|s| s.structural.iter_mut().chain(s.rules.iter_mut()))
    }

    /// Takes a part of the plan after it changed from `old` to what `plan` now holds:
    /// `structural` are the part's new structural findings; the rules that can see the
    /// change run again.
    pub fn replace_part(
        &mut self,
        plan: &Plan,
        part: Part,
        old: &PartModel,
        structural: Vec<Finding>,
        settings: &Settings,
    ) {
        let structural: Vec<Diagnostic> = structural.into_iter().map(Diagnostic::from).collect();
        let cx = Context::new(plan, settings);
        match (part, old) {
            (Part::Country(ci), PartModel::Country(old)) => {
                let (Some(section), Some(new)) =
                    (self.sections.get_mut(ci), plan.countries.get(ci))
                else {
                    return;
                };
                self.census.replace_section(ci, old, new);
                section.structural = structural;
                recheck(&cx, ci, section);
                // Other sections' governance findings name this one's agreements and actors.
                if owned_ids(new) != owned_ids(old) {
                    for (other, section) in self.sections.iter_mut().enumerate() {
                        if other != ci && section.tally.foreign {
                            recheck(&cx, other, section);
                        }
                    }
                }
            }
            (Part::Priorities, PartModel::Priorities(old)) => {
                self.census.replace_priorities(old, &plan.priorities);
                self.outside_structural(in_collection(Collection::Priorities), structural);
                self.outside.rules.clear();
                self.outside.tally = Tally::default();
                plan_rules(&cx, &mut self.outside.rules, &mut self.outside.tally);
                // Every section's links are checked against the priorities' ids, and their
                // review stamps against the priorities' texts.
                let ids = |ps: &[Priority]| -> Vec<(Option<String>, String)> {
                    ps.iter()
                        .map(|p| (val(&p.id).cloned(), review::priority_stamp(p)))
                        .collect()
                };
                if ids(old) != ids(&plan.priorities) {
                    for (ci, section) in self.sections.iter_mut().enumerate() {
                        recheck(&cx, ci, section);
                    }
                }
            }
            (Part::Plan, PartModel::Meta(old)) => {
                self.outside_structural(|n| matches!(n, Node::Plan | Node::Cui), structural);
                self.outside.rules.clear();
                self.outside.tally = Tally::default();
                plan_rules(&cx, &mut self.outside.rules, &mut self.outside.tally);
                // The sections' rules read the plan's dates and whether links need stamps (the
                // technology list is read by the loader: a change to it derives everything
                // again).
                let dates = |m: &Meta| {
                    (
                        val(&m.effective).copied(),
                        val(&m.period_end).copied(),
                        m.link_review(),
                    )
                };
                if dates(old) != dates(&plan.meta) {
                    for (ci, section) in self.sections.iter_mut().enumerate() {
                        recheck(&cx, ci, section);
                    }
                }
            }
            (Part::Waivers, PartModel::Waivers(_)) => {
                self.outside_structural(in_collection(Collection::Waivers), structural);
            }
            _ => {}
        }
    }

    /// Replaces the structural findings outside the sections about the tables that `about`
    /// picks with `structural`.
    fn outside_structural(&mut self, about: impl Fn(Node) -> bool, structural: Vec<Diagnostic>) {
        self.outside
            .structural
            .retain(|d| !d.target.node.is_some_and(&about));
        self.outside.structural.extend(structural);
    }

    /// Every diagnostic: the findings held, SCP005, the plan-wide rules, the waivers applied,
    /// sorted by line, column and code.
    pub fn diagnostics(&self, plan: &Plan, settings: &Settings) -> Vec<Diagnostic> {
        let mut all = Vec::new();
        for s in std::iter::once(&self.outside).chain(&self.sections) {
            all.extend(s.structural.iter().cloned());
            all.extend(s.rules.iter().cloned());
        }
        finish_with(plan, settings, &self.tally(), &self.census, all)
    }

    /// [`Findings::diagnostics`], giving up the findings.
    pub fn into_diagnostics(self, plan: &Plan, settings: &Settings) -> Vec<Diagnostic> {
        let tally = self.tally();
        let census = self.census;
        let mut all = Vec::new();
        for s in std::iter::once(self.outside).chain(self.sections) {
            all.extend(s.structural);
            all.extend(s.rules);
        }
        finish_with(plan, settings, &tally, &census, all)
    }

    /// Every section's tally and the priorities' together.
    fn tally(&self) -> Tally {
        let mut tally = self.outside.tally.clone();
        for s in &self.sections {
            tally.absorb(&s.tally);
        }
        tally
    }
}

/// Picks the items of `collection`.
fn in_collection(collection: Collection) -> impl Fn(Node) -> bool {
    move |n| matches!(n, Node::Item(c, _) if c == collection)
}

/// What other sections' findings may name of a section: its code and the ids of its
/// agreements and actors.
fn owned_ids(c: &Country) -> Vec<&str> {
    std::iter::once(&c.code)
        .chain(c.agreements.iter().map(|a| &a.id))
        .chain(c.actors.iter().map(|a| &a.id))
        .filter_map(|id| val(id).map(String::as_str))
        .collect()
}

/// Runs a section's rules again.
fn recheck(cx: &Context, ci: usize, section: &mut Section) {
    section.rules.clear();
    section.tally = Tally::default();
    country_rules(cx, ci, &mut section.rules, &mut section.tally);
}

/// Adds SCP005 and the plan-wide rules to `all`, applies the waivers and sorts.
fn finish_with(
    plan: &Plan,
    settings: &Settings,
    tally: &Tally,
    census: &IdCensus,
    mut all: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let cx = Context::new(plan, settings);
    all.extend(census.duplicates(plan));
    plan_wide_rules(&cx, tally, &mut all);
    waivers::apply(&cx, census, &mut all);
    diagnostic::sort(&mut all);
    all
}
