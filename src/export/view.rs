//! The plan as every export shows it: the portions released (all of them, or those releasable
//! to one country), links resolved to names, the coverage matrix, the banner those portions
//! require, and the validation stamp. The four formats only lay this out.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::plan::catalog;
use crate::plan::marking::{self, Level, Marking};
use crate::plan::model::{Country, List, Objective, Opt, Plan, Portion, text, val};
use crate::plan::review::{self, LinkState};

use super::stamp::{Clean, Stamp};

/// Everything an export writes, in the order the documents show it.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// The banner the released portions require (the plan's own banner when nothing is
    /// withheld and the plan is valid, as `check` holds them equal).
    pub banner: String,
    /// True when the plan did not pass `check` and is exported as a draft.
    pub draft: bool,
    /// `[plan]` and `[plan.cui]`.
    pub plan: MetaView,
    /// The released priorities.
    pub priorities: Vec<PriorityView>,
    /// The released country sections.
    pub countries: Vec<CountryView>,
    /// Countries x priorities: how many S&T objectives link each priority.
    pub coverage: Coverage,
    /// The validation stamp.
    pub stamp: Stamp,
}

/// `[plan]` without its banner (the export has its own), and the CUI designation indicator.
#[derive(Debug, Clone, Serialize)]
pub struct MetaView {
    /// `id`.
    pub id: String,
    /// `title`.
    pub title: String,
    /// `command`.
    pub command: String,
    /// `version`.
    pub version: String,
    /// `effective`, `YYYY-MM-DD`.
    pub effective: Option<String>,
    /// `period_end`, `YYYY-MM-DD`.
    pub period_end: Option<String>,
    /// `marking_profile` in force: `dod` or `nara`.
    pub marking_profile: &'static str,
    /// `tech_list` in force: `2025` or `2022` (empty when invalid, in a draft).
    pub tech_list: &'static str,
    /// `prepared_by`.
    pub prepared_by: Option<String>,
    /// `[plan.cui]`, shown when a released portion is CUI.
    pub cui: Option<CuiView>,
}

/// `[plan.cui]`.
#[derive(Debug, Clone, Serialize)]
pub struct CuiView {
    /// `controlled_by`.
    pub controlled_by: String,
    /// `categories`.
    pub categories: Vec<String>,
    /// `dissemination`.
    pub dissemination: Option<String>,
    /// `poc`.
    pub poc: String,
}

/// A released `[[priority]]`.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityView {
    /// `id`.
    pub id: String,
    /// The portion marking, as written.
    pub marking: String,
    /// `title`.
    pub title: String,
    /// `source`.
    pub source: String,
    /// `description`.
    pub description: Option<String>,
}

/// A reference from one item to another (a priority, an agreement or an actor).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The id as written in the link.
    pub id: String,
    /// The title or name of the target; `None` when it is withheld or does not exist.
    pub name: Option<String>,
    /// True when the target exists but is withheld from this export.
    pub withheld: bool,
}

impl Link {
    /// The target's name, or `(withheld)` / `(unknown)` in its place.
    pub fn name_or_state(&self) -> &str {
        match (&self.name, self.withheld) {
            (_, true) => "(withheld)",
            (Some(name), false) => name,
            (None, false) => "(unknown)",
        }
    }

    /// The link as read in a document: `SP-1 Title`, `SP-3 (withheld)`, `SP-9 (unknown)`.
    pub fn label(&self) -> String {
        format!("{} {}", self.id, self.name_or_state())
    }
}

/// A technology area with its title.
#[derive(Debug, Clone, Serialize)]
pub struct TechArea {
    /// The id, e.g. `applied-ai`.
    pub id: String,
    /// The title, e.g. `Applied AI`.
    pub name: String,
}

/// A released `[[country]]` section with what it releases.
#[derive(Debug, Clone, Serialize)]
pub struct CountryView {
    /// `code`.
    pub code: String,
    /// `name`.
    pub name: String,
    /// The portion marking, as written.
    pub marking: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `strengths`.
    pub strengths: Vec<String>,
    /// Released objectives.
    pub objectives: Vec<ObjectiveView>,
    /// Released agreements.
    pub agreements: Vec<AgreementView>,
    /// Released actors.
    pub actors: Vec<ActorView>,
    /// Released investment pools.
    pub investment_pools: Vec<PoolView>,
    /// Released barriers.
    pub barriers: Vec<BarrierView>,
}

/// A released `[[country.objective]]`.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    /// `id`.
    pub id: String,
    /// `kind`: `st` or `sc`.
    pub kind: String,
    /// The portion marking, as written.
    pub marking: String,
    /// `text`.
    pub text: String,
    /// `priorities`, resolved.
    pub priorities: Vec<Link>,
    /// `tech_areas`, with titles.
    pub tech_areas: Vec<TechArea>,
    /// `governance`, resolved to this country's agreements and actors.
    pub governance: Vec<Link>,
    /// `target_date`, `YYYY-MM-DD`.
    pub target_date: Option<String>,
    /// Released indicators.
    pub indicators: Vec<IndicatorView>,
    /// The links to released priorities that changed since the link was reviewed (SCP109):
    /// alignment no one has confirmed yet. Left out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suspect_links: Vec<Link>,
}

impl ObjectiveView {
    /// `S&T` or `SC`, as a reader says it.
    pub fn kind_label(&self) -> &str {
        match self.kind.as_str() {
            "st" => "S&T",
            "sc" => "SC",
            other => other,
        }
    }
}

/// A released `[[country.objective.indicator]]`.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    /// The portion marking, as written.
    pub marking: String,
    /// `name`.
    pub name: String,
    /// `baseline`.
    pub baseline: Option<String>,
    /// `target`.
    pub target: Option<String>,
}

/// A released `[[country.agreement]]`.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementView {
    /// `id`.
    pub id: String,
    /// The portion marking, as written.
    pub marking: String,
    /// `kind`.
    pub kind: String,
    /// `title`.
    pub title: String,
    /// `signed`.
    pub signed: Option<String>,
    /// `expires`.
    pub expires: Option<String>,
    /// `last_reviewed`.
    pub last_reviewed: Option<String>,
}

/// A released `[[country.actor]]`.
#[derive(Debug, Clone, Serialize)]
pub struct ActorView {
    /// `id`.
    pub id: String,
    /// The portion marking, as written.
    pub marking: String,
    /// `kind`.
    pub kind: String,
    /// `name`.
    pub name: String,
    /// `role`.
    pub role: Option<String>,
    /// `last_reviewed`.
    pub last_reviewed: Option<String>,
}

/// A released `[[country.investment_pool]]`.
#[derive(Debug, Clone, Serialize)]
pub struct PoolView {
    /// `id`.
    pub id: String,
    /// The portion marking, as written.
    pub marking: String,
    /// `name`.
    pub name: String,
    /// `tech_areas`, with titles.
    pub tech_areas: Vec<TechArea>,
    /// `us_share`, percent.
    pub us_share: Option<i64>,
    /// `ip_terms`.
    pub ip_terms: Option<String>,
}

/// A released `[[country.barrier]]`.
#[derive(Debug, Clone, Serialize)]
pub struct BarrierView {
    /// The portion marking, as written.
    pub marking: String,
    /// `kind`.
    pub kind: String,
    /// `text`.
    pub text: String,
    /// `mitigation`.
    pub mitigation: Option<String>,
}

/// The coverage matrix: one row per released country, one column per released priority.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// The column heads: priority ids, in plan order.
    pub priorities: Vec<String>,
    /// One row per country.
    pub rows: Vec<CoverageRow>,
}

/// One country's row of the coverage matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    /// The country code.
    pub code: String,
    /// The country name.
    pub name: String,
    /// For each column, how many released S&T objectives link that priority.
    pub counts: Vec<usize>,
}

/// The release decision for each markable table, and what the build has gathered so far.
struct Builder<'a> {
    to: Option<&'a str>,
    clean: Clean,
    /// Parsed markings of the released portions, for the banner.
    released: Vec<Marking>,
    /// Labels of the outermost withheld tables, in document order.
    withheld: Vec<String>,
    /// Ids and codes of every withheld item, nested ones too, for links and waivers.
    hidden: HashSet<String>,
}

impl Builder<'_> {
    /// Whether a portion is released; records its marking, or its withholding under `label`
    /// (and its `id`, if any, as hidden).
    fn admit(
        &mut self,
        portion: &Portion,
        id: &Opt<String>,
        label: impl FnOnce() -> String,
    ) -> bool {
        let parsed = portion
            .marking_text()
            .and_then(|t| marking::parse_portion(t).ok());
        let ok = match self.to {
            None => true,
            Some(code) => parsed
                .as_ref()
                .is_some_and(|m| marking::releasable_to(m, code)),
        };
        if ok {
            self.released.extend(parsed);
        } else {
            self.withheld.push(label());
            self.hide(id);
        }
        ok
    }

    fn text(&self, s: &str) -> String {
        (self.clean)(s)
    }

    fn req(&self, field: &Opt<String>) -> String {
        self.text(text(field))
    }

    fn opt(&self, field: &Opt<String>) -> Option<String> {
        val(field).map(|s| self.text(s))
    }

    fn list(&self, field: &Opt<List>) -> Vec<String> {
        val(field)
            .map(|l| l.entries.iter().map(|s| self.text(s)).collect())
            .unwrap_or_default()
    }

    fn marking(&self, portion: &Portion) -> String {
        self.text(portion.marking_text().unwrap_or("?"))
    }

    fn areas(&self, field: &Opt<List>) -> Vec<TechArea> {
        self.list(field)
            .into_iter()
            .map(|id| TechArea {
                name: catalog::tech_area_title(&id),
                id,
            })
            .collect()
    }

    /// Resolves link ids against `names` (id -> name of a released target).
    fn links(&self, field: &Opt<List>, names: &HashMap<&str, String>) -> Vec<Link> {
        val(field)
            .map(|l| l.entries.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|id| Link {
                id: self.text(id),
                name: names.get(id.as_str()).cloned(),
                withheld: self.hidden.contains(id.as_str()),
            })
            .collect()
    }

    /// Records every id inside a withheld table so that links to them read as withheld.
    fn hide(&mut self, id: &Opt<String>) {
        if let Some(id) = val(id) {
            self.hidden.insert(id.clone());
        }
    }
}

/// A date field as `YYYY-MM-DD`.
fn date(field: &Opt<jiff::civil::Date>) -> Option<String> {
    val(field).map(ToString::to_string)
}

/// `id` when present, else a positional label: `POL barrier 2`, `POL-ST-1 indicator 1`.
fn label(id: &Opt<String>, parent: &str, noun: &str, index: usize) -> String {
    match val(id) {
        Some(id) if !id.trim().is_empty() => id.clone(),
        _ => format!("{parent} {noun} {}", index + 1),
    }
}

/// Builds the view of `plan`: everything, or only what is releasable to `to`. The stamp is
/// completed here with the withheld items and the waivers.
pub fn build(plan: &Plan, to: Option<&str>, draft: bool, clean: Clean, stamp: Stamp) -> View {
    let mut b = Builder {
        to,
        clean,
        released: Vec::new(),
        withheld: Vec::new(),
        hidden: HashSet::new(),
    };
    let mut priority_names = HashMap::new();
    let stamps = review::current_stamps(plan);
    let mut priorities = Vec::new();
    for (i, p) in plan.priorities.iter().enumerate() {
        if !b.admit(&p.portion, &p.id, || label(&p.id, "plan", "priority", i)) {
            continue;
        }
        if let Some(id) = val(&p.id) {
            priority_names.insert(id.as_str(), b.req(&p.title));
        }
        priorities.push(PriorityView {
            id: b.req(&p.id),
            marking: b.marking(&p.portion),
            title: b.req(&p.title),
            source: b.req(&p.source),
            description: b.opt(&p.description),
        });
    }
    let mut countries = Vec::new();
    for (ci, c) in plan.countries.iter().enumerate() {
        let code = match val(&c.code) {
            Some(code) if !code.trim().is_empty() => code.clone(),
            _ => format!("country {}", ci + 1),
        };
        if !b.admit(&c.portion, &c.code, || code.clone()) {
            hide_country(&mut b, c);
            continue;
        }
        countries.push(country(&mut b, c, &code, &priority_names, &stamps));
    }
    let coverage = coverage(&priorities, &countries);
    let meta = &plan.meta;
    let has_cui = b.released.iter().any(|m| m.level == Level::Cui);
    let cui = meta.cui.as_ref().filter(|_| has_cui).map(|cui| CuiView {
        controlled_by: b.req(&cui.controlled_by),
        categories: b.list(&cui.categories),
        dissemination: b.opt(&cui.dissemination),
        poc: b.req(&cui.poc),
    });
    let plan_view = MetaView {
        id: b.req(&meta.id),
        title: b.req(&meta.title),
        command: b.req(&meta.command),
        version: b.req(&meta.version),
        effective: date(&meta.effective),
        period_end: date(&meta.period_end),
        marking_profile: meta.profile().name(),
        tech_list: meta.tech_list().map_or("", |l| l.name()),
        prepared_by: b.opt(&meta.prepared_by),
        cui,
    };
    let banner = marking::roll_up(&b.released, meta.profile());
    let stamp = stamp.complete(plan, to, b.withheld, &b.hidden, clean);
    View {
        banner,
        draft,
        plan: plan_view,
        priorities,
        countries,
        coverage,
        stamp,
    }
}

/// Hides every id inside a withheld country section: everything in it goes with it.
fn hide_country(b: &mut Builder, c: &Country) {
    for o in &c.objectives {
        b.hide(&o.id);
    }
    for a in &c.agreements {
        b.hide(&a.id);
    }
    for a in &c.actors {
        b.hide(&a.id);
    }
    for p in &c.pools {
        b.hide(&p.id);
    }
}

fn country(
    b: &mut Builder,
    c: &Country,
    code: &str,
    priority_names: &HashMap<&str, String>,
    stamps: &HashMap<&str, String>,
) -> CountryView {
    let mut governance_names = HashMap::new();
    let mut agreements = Vec::new();
    for (i, a) in c.agreements.iter().enumerate() {
        if !b.admit(&a.portion, &a.id, || label(&a.id, code, "agreement", i)) {
            continue;
        }
        if let Some(id) = val(&a.id) {
            governance_names.insert(id.as_str(), b.req(&a.title));
        }
        agreements.push(AgreementView {
            id: b.req(&a.id),
            marking: b.marking(&a.portion),
            kind: b.req(&a.kind),
            title: b.req(&a.title),
            signed: date(&a.signed),
            expires: date(&a.expires),
            last_reviewed: date(&a.last_reviewed),
        });
    }
    let mut actors = Vec::new();
    for (i, a) in c.actors.iter().enumerate() {
        if !b.admit(&a.portion, &a.id, || label(&a.id, code, "actor", i)) {
            continue;
        }
        if let Some(id) = val(&a.id) {
            governance_names.insert(id.as_str(), b.req(&a.name));
        }
        actors.push(ActorView {
            id: b.req(&a.id),
            marking: b.marking(&a.portion),
            kind: b.req(&a.kind),
            name: b.req(&a.name),
            role: b.opt(&a.role),
            last_reviewed: date(&a.last_reviewed),
        });
    }
    let mut objectives = Vec::new();
    for (i, o) in c.objectives.iter().enumerate() {
        let id = label(&o.id, code, "objective", i);
        if !b.admit(&o.portion, &o.id, || id.clone()) {
            continue;
        }
        let mut indicators = Vec::new();
        for (k, ind) in o.indicators.iter().enumerate() {
            if b.admit(&ind.portion, &None, || format!("{id} indicator {}", k + 1)) {
                indicators.push(IndicatorView {
                    marking: b.marking(&ind.portion),
                    name: b.req(&ind.name),
                    baseline: b.opt(&ind.baseline),
                    target: b.opt(&ind.target),
                });
            }
        }
        objectives.push(ObjectiveView {
            id: b.req(&o.id),
            kind: b.req(&o.kind),
            marking: b.marking(&o.portion),
            text: b.req(&o.text),
            priorities: b.links(&o.priorities, priority_names),
            tech_areas: b.areas(&o.tech_areas),
            governance: b.links(&o.governance, &governance_names),
            target_date: date(&o.target_date),
            indicators,
            suspect_links: suspect_links(b, o, stamps, priority_names),
        });
    }
    let mut investment_pools = Vec::new();
    for (i, p) in c.pools.iter().enumerate() {
        if !b.admit(&p.portion, &p.id, || {
            label(&p.id, code, "investment pool", i)
        }) {
            continue;
        }
        investment_pools.push(PoolView {
            id: b.req(&p.id),
            marking: b.marking(&p.portion),
            name: b.req(&p.name),
            tech_areas: b.areas(&p.tech_areas),
            us_share: val(&p.us_share).copied(),
            ip_terms: b.opt(&p.ip_terms),
        });
    }
    let mut barriers = Vec::new();
    for (i, r) in c.barriers.iter().enumerate() {
        if b.admit(&r.portion, &None, || format!("{code} barrier {}", i + 1)) {
            barriers.push(BarrierView {
                marking: b.marking(&r.portion),
                kind: b.req(&r.kind),
                text: b.req(&r.text),
                mitigation: b.opt(&r.mitigation),
            });
        }
    }
    CountryView {
        code: b.text(code),
        name: b.req(&c.name),
        marking: b.marking(&c.portion),
        summary: b.opt(&c.summary),
        strengths: b.list(&c.strengths),
        objectives,
        agreements,
        actors,
        investment_pools,
        barriers,
    }
}

/// The links of an objective to released priorities whose stamp is not the priority's
/// current one.
fn suspect_links(
    b: &Builder,
    o: &Objective,
    stamps: &HashMap<&str, String>,
    names: &HashMap<&str, String>,
) -> Vec<Link> {
    review::judge(o, stamps)
        .into_iter()
        .filter(|l| matches!(l.state, LinkState::Suspect { .. }))
        .filter_map(|l| {
            Some(Link {
                id: b.text(l.priority),
                name: Some(names.get(l.priority)?.clone()),
                withheld: false,
            })
        })
        .collect()
}

/// Counts, per country and priority, the S&T objectives linking the priority (an objective
/// that names a priority twice counts once).
fn coverage(priorities: &[PriorityView], countries: &[CountryView]) -> Coverage {
    let rows = countries
        .iter()
        .map(|c| CoverageRow {
            code: c.code.clone(),
            name: c.name.clone(),
            counts: priorities
                .iter()
                .map(|p| {
                    c.objectives
                        .iter()
                        .filter(|o| o.kind == "st")
                        .filter(|o| o.priorities.iter().any(|l| l.id == p.id))
                        .count()
                })
                .collect(),
        })
        .collect();
    Coverage {
        priorities: priorities.iter().map(|p| p.id.clone()).collect(),
        rows,
    }
}
