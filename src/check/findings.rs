//! A plan's findings kept by where they come from: outside the country sections, and each
//! section's own (structural findings, rules, tally). The plan-wide rules, SCP005,
//! the waivers and the order are applied when the whole list is taken, so that the editor can
//! re-check the one section an edit touched and still get what a full check gives.

use super::context::{Context, Tally};
use super::diagnostic::{self, Diagnostic};
use super::ids::IdCensus;
use super::{Settings, country_rules, plan_rules, plan_wide_rules, waivers};
use crate::parallel;
use crate::plan::catalog::TechList;
use crate::plan::finding::{Finding, Text};
use crate::plan::load::{PartModel, tech};
use crate::plan::marking::{self, Marking};
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
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Outside the country sections: structural findings and the rules of the plan and its
    /// priorities.
    outside: Section,
    /// Each country section's, in order.
    sections: Vec<Section>,
    /// The plan's ids, for SCP005 and the waivers.
    census: IdCensus,
    /// How many times every section was checked again.
    every_section: usize,
}

/// Whether an objective of the section holds a review stamp for one of `priorities`.
fn stamps_any(country: &Country, priorities: &[&str]) -> bool {
    country.objectives.iter().any(|o| {
        o.reviewed_links
            .as_ref()
            .and_then(|r| r.stamps.as_ref())
            .is_some_and(|stamps| {
                stamps
                    .iter()
                    .any(|s| priorities.contains(&s.priority.as_str()))
            })
    })
}

/// The banner an editor shows for the portions of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequiredBanner {
    /// The roll-up of the portions (unreadable ones at the system high with NOFORN).
    pub banner: String,
    /// How many portion markings cannot be read (0: `banner` is the plain roll-up).
    pub unreadable: usize,
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
        recheck_where(&cx, &mut sections, |_, _| true);
        Findings {
            outside,
            sections,
            census: IdCensus::new(plan),
            every_section: 0,
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
                    recheck_where(&cx, &mut self.sections, |other, section| {
                        other != ci && section.tally.foreign
                    });
                }
            }
            (Part::Priorities, PartModel::Priorities(old)) => {
                self.census.replace_priorities(old, &plan.priorities);
                self.outside_structural(in_collection(Collection::Priorities), structural);
                self.outside.rules.clear();
                self.outside.tally = Tally::default();
                plan_rules(&cx, &mut self.outside.rules, &mut self.outside.tally);
                // Every section's links are checked against the priorities' ids; a changed
                // text changes only the stamps compared in sections that hold one for it.
                let ids = |ps: &[Priority]| -> Vec<Option<String>> {
                    ps.iter().map(|p| val(&p.id).cloned()).collect()
                };
                if ids(old) != ids(&plan.priorities) {
                    self.recheck_every_section(&cx);
                } else {
                    let restamped: Vec<&str> = old
                        .iter()
                        .zip(&plan.priorities)
                        .filter(|(a, b)| review::priority_stamp(a) != review::priority_stamp(b))
                        .filter_map(|(_, b)| val(&b.id).map(String::as_str))
                        .collect();
                    if !restamped.is_empty() {
                        recheck_where(&cx, &mut self.sections, |ci, _| {
                            plan.countries
                                .get(ci)
                                .is_some_and(|c| stamps_any(c, &restamped))
                        });
                    }
                }
            }
            (Part::Plan, PartModel::Meta(old)) => {
                self.outside_structural(
                    |n| matches!(n, Node::Plan | Node::Cui | Node::Authority),
                    structural,
                );
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
                    self.recheck_every_section(&cx);
                }
            }
            (Part::Waivers, PartModel::Waivers(_)) => {
                self.outside_structural(in_collection(Collection::Waivers), structural);
            }
            _ => {}
        }
    }

    /// Drops the section at `ci` (`old`, which `plan` no longer holds): the sections after it
    /// move up one, and those that named its items are checked again.
    pub fn remove_section(&mut self, plan: &Plan, ci: usize, old: &Country, settings: &Settings) {
        if ci >= self.sections.len() {
            return;
        }
        self.census.remove_section(ci, old);
        self.sections.remove(ci);
        self.renumber_from(ci);
        if !owned_ids(old).is_empty() {
            self.recheck_foreign(plan, None, settings);
        }
    }

    /// Takes the section that `plan` now holds at `ci` (the sections after it move down
    /// one), with its structural findings; checks it and those that may name its items.
    pub fn insert_section(
        &mut self,
        plan: &Plan,
        ci: usize,
        structural: Vec<Finding>,
        settings: &Settings,
    ) {
        let Some(new) = plan.countries.get(ci) else {
            return;
        };
        if ci > self.sections.len() {
            return;
        }
        self.census.insert_section(ci, new);
        let section = Section {
            structural: structural.into_iter().map(Diagnostic::from).collect(),
            ..Section::default()
        };
        self.sections.insert(ci, section);
        self.renumber_from(ci + 1);
        let cx = Context::new(plan, settings);
        recheck(&cx, ci, &mut self.sections[ci]);
        if !owned_ids(new).is_empty() {
            self.recheck_foreign(plan, Some(ci), settings);
        }
    }

    /// Takes the section moved from `moved.0` to `moved.1` (`old` before, what `plan` holds
    /// there now), with its structural findings read again: the sections in between change
    /// index, and only the moved one's rules run again (its lines changed; what other
    /// sections' rules say of it does not depend on where it is).
    pub fn move_section(
        &mut self,
        plan: &Plan,
        moved: (usize, usize),
        old: &Country,
        structural: Vec<Finding>,
        settings: &Settings,
    ) {
        let (from, to) = moved;
        let (Some(new), true) = (plan.countries.get(to), from < self.sections.len()) else {
            return;
        };
        self.census.move_section(moved, old, new);
        let mut section = self.sections.remove(from);
        section.structural = structural.into_iter().map(Diagnostic::from).collect();
        self.sections.insert(to, section);
        for ci in from.min(to)..=from.max(to) {
            renumber(ci, &mut self.sections[ci]);
        }
        let cx = Context::new(plan, settings);
        recheck(&cx, to, &mut self.sections[to]);
    }

    /// After the technology list changed: every section's SCP006 findings read again from
    /// the typed plan (the rules do not look at the list), half of the sections on another
    /// core.
    pub fn reread_tech_areas(&mut self, plan: &Plan) {
        let tech_list = plan.meta.tech_list();
        let half = self.sections.len().min(plan.countries.len()) / 2;
        let (first, second) = self.sections.split_at_mut(half);
        let (first_countries, second_countries) = plan.countries.split_at(half);
        parallel::both(
            || reread_tech_areas(first, first_countries, tech_list),
            || reread_tech_areas(second, second_countries, tech_list),
        );
    }

    /// Gives the findings of the sections from `from` on the addresses of their indices.
    fn renumber_from(&mut self, from: usize) {
        for (ci, section) in self.sections.iter_mut().enumerate().skip(from) {
            renumber(ci, section);
        }
    }

    /// Checks every section again.
    fn recheck_every_section(&mut self, cx: &Context) {
        recheck_where(cx, &mut self.sections, |_, _| true);
        self.every_section += 1;
    }

    /// How many times every section was checked again: a caller that must check some
    /// sections after a change knows whether that was done since.
    pub fn rechecks_of_every_section(&self) -> usize {
        self.every_section
    }

    /// Checks the sections at the indices `sections` again (after values inside them
    /// changed that no other section and no id depend on).
    pub fn recheck_sections(&mut self, plan: &Plan, sections: &[usize], settings: &Settings) {
        let cx = Context::new(plan, settings);
        recheck_where(&cx, &mut self.sections, |ci, _| {
            sections.binary_search(&ci).is_ok()
        });
    }

    /// Checks again the sections, but `except`, whose governance entries name items of
    /// other sections.
    fn recheck_foreign(&mut self, plan: &Plan, except: Option<usize>, settings: &Settings) {
        let cx = Context::new(plan, settings);
        recheck_where(&cx, &mut self.sections, |ci, section| {
            Some(ci) != except && section.tally.foreign
        });
    }

    /// Replaces the structural findings outside the sections about the tables that `about`
    /// picks with `structural`.
    fn outside_structural(&mut self, about: impl Fn(Node) -> bool, structural: Vec<Diagnostic>) {
        self.outside
            .structural
            .retain(|d| !d.target.node.is_some_and(&about));
        self.outside.structural.extend(structural);
    }

    /// Every diagnostic (the findings held, SCP005, the plan-wide rules, the waivers applied,
    /// sorted by line, column and code) and the banner the portions require
    /// ([`Findings::required_banner`]), from one tally of the sections.
    pub fn derive(&self, plan: &Plan, settings: &Settings) -> (Vec<Diagnostic>, RequiredBanner) {
        let mut all = Vec::new();
        for s in std::iter::once(&self.outside).chain(&self.sections) {
            all.extend(s.structural.iter().cloned());
            all.extend(s.rules.iter().cloned());
        }
        let tally = self.tally();
        let diagnostics = finish_with(plan, settings, &tally, &self.census, all);
        (diagnostics, self.banner_of(tally.markings, plan, settings))
    }

    /// The diagnostics of [`Findings::derive`], giving up the findings.
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

    /// The banner the portions require, as an editor shows it: while some markings cannot be
    /// read, the roll-up as if each were at the system high with NOFORN (whatever the author
    /// meant, the plan is marked no lower than that), with how many cannot.
    pub fn required_banner(&self, plan: &Plan, settings: &Settings) -> RequiredBanner {
        self.banner_of(self.tally().markings, plan, settings)
    }

    /// [`Findings::required_banner`] given the distinct markings of every portion.
    fn banner_of(
        &self,
        mut markings: Vec<Marking>,
        plan: &Plan,
        settings: &Settings,
    ) -> RequiredBanner {
        let unreadable = std::iter::once(&self.outside)
            .chain(&self.sections)
            .flat_map(|s| s.structural.iter().chain(&s.rules))
            .filter(|d| {
                matches!(d.code, "SCP201" | "SCP208")
                    || (d.code == "SCP003" && d.target.field.as_deref() == Some("marking"))
            })
            .count();
        if unreadable > 0 {
            markings.push(Marking {
                level: settings.system_high,
                nf: true,
                rel_to: None,
                categories: Vec::new(),
                ldcs: Vec::new(),
            });
        }
        RequiredBanner {
            banner: marking::roll_up(&markings, plan.meta.profile()),
            unreadable,
        }
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

/// Gives the findings of a section the addresses of the section at index `ci`.
fn renumber(ci: usize, section: &mut Section) {
    for d in section
        .structural
        .iter_mut()
        .chain(section.rules.iter_mut())
    {
        if let Some(node) = &mut d.target.node {
            *node = node.in_country(ci);
        }
    }
}

/// The SCP006 findings of each of `sections` read again from its country against
/// `tech_list`.
fn reread_tech_areas(sections: &mut [Section], countries: &[Country], tech_list: Option<TechList>) {
    let mut explained = tech::Explained::default();
    for (section, country) in sections.iter_mut().zip(countries) {
        section
            .structural
            .retain(|d| d.code != "SCP006" || d.target.field.as_deref() != Some("tech_areas"));
        section.structural.extend(
            tech::section_findings(tech_list, country, &mut explained)
                .into_iter()
                .map(Diagnostic::from),
        );
    }
}

/// Runs the rules again of the sections that `pick` picks (by index), half of the sections
/// on another core.
fn recheck_where(
    cx: &Context,
    sections: &mut [Section],
    pick: impl Fn(usize, &Section) -> bool + Sync,
) {
    let run = |sections: &mut [Section], start: usize| {
        for (i, section) in sections.iter_mut().enumerate() {
            if pick(start + i, section) {
                recheck(cx, start + i, section);
            }
        }
    };
    let objectives: usize = cx.plan.countries.iter().map(|c| c.objectives.len()).sum();
    if objectives < SPREAD_FROM_OBJECTIVES {
        run(sections, 0);
        return;
    }
    let (first, second) = sections.split_at_mut(sections.len() / 2);
    let middle = first.len();
    parallel::both(|| run(first, 0), || run(second, middle));
}

/// The objectives from which a plan's sections are checked on two cores: below, starting a
/// thread costs about as much as it saves (the rules of 500 objectives take a few hundred
/// microseconds).
const SPREAD_FROM_OBJECTIVES: usize = 512;

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
    drop_counted_as_present(&mut all);
    waivers::apply(&cx, census, &mut all);
    diagnostic::sort(&mut all);
    all
}

/// The rules that ask whether a table is there, each with the key that holds the table.
const TABLE_PRESENCE_RULES: [(&str, &str); 4] = [
    ("SCP101", "objective"),
    ("SCP210", "cui"),
    ("SCP303", "agreement"),
    ("SCP401", "indicator"),
];

/// A key present with the wrong type counts as present for every rule that asks whether it is
/// there: the loader cannot read such a table, so the rules see none, and their findings about
/// the same table and key as an SCP003 are dropped.
fn drop_counted_as_present(all: &mut Vec<Diagnostic>) {
    let mistyped: Vec<(Option<Node>, Text)> = all
        .iter()
        .filter(|d| d.code == "SCP003")
        .filter_map(|d| Some((d.target.node, d.target.field.clone()?)))
        .collect();
    if mistyped.is_empty() {
        return;
    }
    all.retain(|d| {
        !TABLE_PRESENCE_RULES.iter().any(|&(code, key)| {
            d.code == code
                && mistyped
                    .iter()
                    .any(|(node, field)| *node == d.target.node && **field == *key)
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::marking::Level;

    fn required(priority: &str, objective: &str, profile: &str, high: Level) -> RequiredBanner {
        let text = format!(
            "[plan]\nformat = 1\nid = \"T\"\ntitle = \"t\"\ncommand = \"USEUCOM\"\nversion = \"1\"\n\
             effective = 2026-10-01\nmarking = \"CUI\"\nmarking_profile = \"{profile}\"\n\n\
             [plan.cui]\ncontrolled_by = \"c\"\ncategories = [\"SP-EXPT\"]\npoc = \"p\"\n\n\
             [[priority]]\nid = \"SP-1\"\ntitle = \"t\"\nsource = \"s\"\nmarking = \"{priority}\"\n\n\
             [[country]]\ncode = \"POL\"\nname = \"Poland\"\n\n\
             [[country.objective]]\nid = \"POL-ST-1\"\nkind = \"st\"\ntext = \"x\"\n\
             priorities = [\"SP-1\"]\ntech_areas = [\"applied-ai\"]\nmarking = \"{objective}\"\n"
        );
        let settings = Settings { system_high: high };
        let loaded = crate::check::load_text(&text).expect("the plan parses");
        Findings::new(&loaded.plan, loaded.diagnostics, &settings)
            .required_banner(&loaded.plan, &settings)
    }

    #[test]
    fn the_required_banner_takes_unreadable_markings_at_the_system_high_with_noforn() {
        let readable = required("CUI//SP-EXPT//REL TO USA, POL", "U", "nara", Level::Cui);
        assert_eq!(readable.banner, "CUI//SP-EXPT//REL TO USA, POL");
        assert_eq!(readable.unreadable, 0);
        let broken = required(
            "CUI//SP-EXPT//REL TO USA, POL",
            "SECRETISH",
            "nara",
            Level::Cui,
        );
        assert_eq!(broken.banner, "CUI//SP-EXPT//NOFORN");
        assert_eq!(broken.unreadable, 1);
        let high = required(
            "CUI//SP-EXPT//REL TO USA, POL",
            "SECRETISH",
            "nara",
            Level::S,
        );
        assert_eq!(high.banner, "SECRET//NOFORN");
        let two = required("S//RL TO USA, POL", "FOUO", "dod", Level::Ts);
        assert_eq!(two.banner, "TOP SECRET//NOFORN");
        assert_eq!(two.unreadable, 2);
    }
}
