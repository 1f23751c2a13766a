//! A plan's findings kept by where they come from: outside the country sections, and each
//! section's own (its structural findings, its rules, its tally). The plan-wide rules, SCP005,
//! the waivers and the order are applied when the whole list is taken, so that the editor can
//! re-check the one section an edit touched and still get what a full check gives.

use super::context::{Context, Tally};
use super::diagnostic::{self, Diagnostic};
use super::ids::IdCensus;
use super::{Settings, country_rules, plan_rules, plan_wide_rules, waivers};
use crate::plan::model::{Country, Plan};

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
    /// Structural findings and rules outside the country sections.
    outside: Vec<Diagnostic>,
    /// The tally of the priorities' portions.
    outside_tally: Tally,
    /// Each country section's, in order.
    sections: Vec<Section>,
    /// The plan's ids, for SCP005 and the waivers.
    census: IdCensus,
}

impl Findings {
    /// Checks every rule of `plan` given its structural findings.
    pub fn new(plan: &Plan, structural: Vec<Diagnostic>, settings: &Settings) -> Findings {
        let cx = Context::new(plan, settings);
        let mut sections: Vec<Section> = vec![Section::default(); plan.countries.len()];
        let mut outside = Vec::new();
        for d in structural {
            match d.target.node.and_then(|n| n.country()) {
                Some(ci) if ci < sections.len() => sections[ci].structural.push(d),
                _ => outside.push(d),
            }
        }
        let mut outside_tally = Tally::default();
        plan_rules(&cx, &mut outside, &mut outside_tally);
        for (ci, section) in sections.iter_mut().enumerate() {
            country_rules(&cx, ci, &mut section.rules, &mut section.tally);
        }
        Findings {
            outside,
            outside_tally,
            sections,
            census: IdCensus::new(plan),
        }
    }

    /// The sections' findings, by country index.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// Every finding held, before the plan-wide rules (for moving their locations).
    pub fn held_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.outside.iter_mut().chain(
            self.sections
                .iter_mut()
                .flat_map(|s| s.structural.iter_mut().chain(s.rules.iter_mut())),
        )
    }

    /// Replaces the section at `ci` after it changed from `old` to what `plan` holds:
    /// `structural` are its new structural findings; its rules run again.
    pub fn replace_section(
        &mut self,
        plan: &Plan,
        ci: usize,
        old: &Country,
        structural: Vec<Diagnostic>,
        settings: &Settings,
    ) {
        let (Some(section), Some(new)) = (self.sections.get_mut(ci), plan.countries.get(ci)) else {
            return;
        };
        self.census.replace_section(ci, old, new);
        section.structural = structural;
        recheck(&Context::new(plan, settings), ci, section);
    }

    /// Runs again the rules of every section other than `except` whose findings name items of
    /// other sections (after `except` changed the ids its agreements and actors have).
    pub fn recheck_foreign(&mut self, plan: &Plan, except: usize, settings: &Settings) {
        let cx = Context::new(plan, settings);
        for (ci, section) in self.sections.iter_mut().enumerate() {
            if ci != except && section.tally.foreign {
                recheck(&cx, ci, section);
            }
        }
    }

    /// Every diagnostic: the findings held, SCP005, the plan-wide rules, the waivers applied,
    /// sorted by line, column and code.
    pub fn diagnostics(&self, plan: &Plan, settings: &Settings) -> Vec<Diagnostic> {
        let mut all = self.outside.clone();
        for s in &self.sections {
            all.extend(s.structural.iter().cloned());
            all.extend(s.rules.iter().cloned());
        }
        finish_with(plan, settings, &self.tally(), &self.census, all)
    }

    /// [`Findings::diagnostics`], giving up the findings.
    pub fn into_diagnostics(self, plan: &Plan, settings: &Settings) -> Vec<Diagnostic> {
        let tally = self.tally();
        let census = self.census;
        let mut all = self.outside;
        for s in self.sections {
            all.extend(s.structural);
            all.extend(s.rules);
        }
        finish_with(plan, settings, &tally, &census, all)
    }

    /// Every section's tally and the priorities' together.
    fn tally(&self) -> Tally {
        let mut tally = self.outside_tally.clone();
        for s in &self.sections {
            tally.absorb(&s.tally);
        }
        tally
    }
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
