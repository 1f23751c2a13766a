//! The plan as every export shows it: the portions released (all of them, or those releasable
//! to one country), links resolved to names, the coverage matrix, the banner those portions
//! require, and the validation stamp. The four formats only lay this out.

use std::collections::HashMap;

use serde::Serialize;

use crate::plan::catalog;
use crate::plan::marking::{self, Level};
use crate::plan::model::{Country, List, Objective, Opt, Plan, Portion, text, val};
use crate::plan::review::{self, LinkState};
use crate::plan::schema::TableKind;

use super::release::{Recipient, Release};
use super::stamp::{Clean, Stamp};

/// Everything an export writes, in the order the documents show it.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// The banner the released portions require (the plan's own banner when nothing is
    /// withheld and the plan is valid, as `check` holds them equal).
    pub banner: String,
    /// The country a partner copy is prepared for; `None` for the whole plan.
    pub recipient: Option<Recipient>,
    /// True when the plan did not pass `check` and is exported as a draft.
    pub draft: bool,
    /// `[plan]`.
    pub plan: MetaView,
    /// The marking blocks every format shows before the first portion: the CUI designation
    /// indicator when a released portion is CUI.
    pub designation: Vec<MarkingBlock>,
    /// The released priorities.
    pub priorities: Vec<PriorityView>,
    /// The released country sections.
    pub countries: Vec<CountryView>,
    /// Countries x priorities: how many S&T objectives link each priority.
    pub coverage: Coverage,
    /// The validation stamp.
    pub stamp: Stamp,
}

/// `[plan]` without its banner (the export has its own).
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
}

/// A block of labelled lines that a marked document shows before its first portion, such as
/// the CUI designation indicator. Each format lays every block out the same way, so a new
/// block is added in [`designation`] alone.
#[derive(Debug, Clone, Serialize)]
pub struct MarkingBlock {
    /// What the block is: `CUI designation indicator`.
    pub title: &'static str,
    /// Its lines, in the order the document shows them.
    pub lines: Vec<MarkingLine>,
}

/// One labelled line of a [`MarkingBlock`]: `Controlled By: J5`.
#[derive(Debug, Clone, Serialize)]
pub struct MarkingLine {
    /// The label, written exactly as the marking rules name it.
    pub label: &'static str,
    /// The value.
    pub value: String,
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

/// A reference from one item to another (a priority, an agreement or an actor). A link to a
/// withheld item is not in the copy at all.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The id as written in the link.
    pub id: String,
    /// The title or name of the target; `None` when it does not exist (drafts only).
    pub name: Option<String>,
}

impl Link {
    /// The target's name, or `(unknown)` in its place.
    pub fn name_or_state(&self) -> &str {
        self.name.as_deref().unwrap_or("(unknown)")
    }

    /// The link as read in a document: `SP-1 Title`, `SP-9 (unknown)`.
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

    /// Whether `link` (one of the objective's priorities) is a suspect link.
    pub fn is_suspect(&self, link: &Link) -> bool {
        self.suspect_links.iter().any(|s| s.id == link.id)
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

/// The release decision, and how text is prepared for the format.
struct Builder<'a> {
    release: &'a Release,
    clean: Clean,
}

impl Builder<'_> {
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

    /// Resolves link ids against `names` (id -> name of a released target), leaving out the
    /// links to withheld items.
    fn links(&self, field: &Opt<List>, names: &HashMap<&str, String>) -> Vec<Link> {
        val(field)
            .map(|l| l.entries.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|id| !self.release.is_hidden(id))
            .map(|id| Link {
                id: self.text(id),
                name: names.get(id.as_str()).cloned(),
            })
            .collect()
    }
}

/// The marking blocks of the export, in the order shown: the CUI designation indicator from
/// `[plan.cui]` when a released portion is CUI. A partner copy's indicator lists the
/// categories its own portions carry: the plan's list may name some only withheld ones hold.
fn designation(b: &Builder, plan: &Plan) -> Vec<MarkingBlock> {
    let released = &b.release.released;
    let mut blocks = Vec::new();
    if let Some(authority) = &plan.meta.authority {
        let label = |key| TableKind::Authority.label(key);
        let mut lines = Vec::new();
        for (key, value) in [
            ("classified_by", b.opt(&authority.classified_by)),
            ("derived_from", b.opt(&authority.derived_from)),
            ("reason", b.opt(&authority.reason)),
            (
                "declassify_on",
                val(&authority.declassify_on).map(|d| b.text(&d.to_string())),
            ),
        ] {
            if let Some(value) = value {
                lines.push(MarkingLine {
                    label: label(key),
                    value,
                });
            }
        }
        blocks.push(MarkingBlock {
            title: "Classification authority",
            lines,
        });
    }
    if let Some(cui) = &plan.meta.cui
        && released.iter().any(|m| m.level == Level::Cui)
    {
        let categories = match b.release.partner() {
            None => b.list(&cui.categories),
            Some(_) => carried_categories(released)
                .iter()
                .map(|c| b.text(c))
                .collect(),
        };
        let line = |label, value| MarkingLine { label, value };
        let mut lines = vec![
            line("Controlled By", b.req(&cui.controlled_by)),
            line("Categories", categories.join(", ")),
        ];
        if let Some(dissemination) = b.opt(&cui.dissemination) {
            lines.push(line("Limited dissemination", dissemination));
        }
        lines.push(line("POC", b.req(&cui.poc)));
        blocks.push(MarkingBlock {
            title: "CUI designation indicator",
            lines,
        });
    }
    blocks
}

/// The CUI categories that `markings` carry, once each, `SP-` ones first, each part in
/// alphabetical order (as a banner lists them).
fn carried_categories(markings: &[marking::Marking]) -> Vec<&str> {
    let mut all: Vec<&str> = markings
        .iter()
        .flat_map(|m| m.categories.iter().map(String::as_str))
        .collect();
    all.sort_by_key(|c| (!c.starts_with("SP-"), *c));
    all.dedup();
    all
}

/// A date field as `YYYY-MM-DD`.
fn date(field: &Opt<jiff::civil::Date>) -> Option<String> {
    val(field).map(ToString::to_string)
}

/// Builds the view of `plan` with what `release` releases; `stamp` is complete.
pub fn build(
    plan: &Plan,
    release: &Release,
    recipient: Option<Recipient>,
    draft: bool,
    clean: Clean,
    stamp: Stamp,
) -> View {
    let b = Builder { release, clean };
    let mut priority_names = HashMap::new();
    let stamps = review::current_stamps(plan);
    let mut priorities = Vec::new();
    for p in &plan.priorities {
        if !release.is_released(p.head.node) {
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
    let released: Vec<&Country> = plan
        .countries
        .iter()
        .filter(|c| release.is_released(c.head.node))
        .collect();
    let countries =
        super::map_on_two_cores(&released, |c| country(&b, c, &priority_names, &stamps));
    let coverage = coverage(&priorities, &countries);
    let meta = &plan.meta;
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
    };
    let banner = marking::roll_up(&release.released, meta.profile());
    View {
        banner,
        recipient,
        draft,
        plan: plan_view,
        designation: designation(&b, plan),
        priorities,
        countries,
        coverage,
        stamp,
    }
}

fn country(
    b: &Builder,
    c: &Country,
    priority_names: &HashMap<&str, String>,
    stamps: &HashMap<&str, String>,
) -> CountryView {
    let released = |head: &crate::plan::model::Head| b.release.is_released(head.node);
    let mut governance_names = HashMap::new();
    let mut agreements = Vec::new();
    for a in c.agreements.iter().filter(|a| released(&a.head)) {
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
    for a in c.actors.iter().filter(|a| released(&a.head)) {
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
    for o in c.objectives.iter().filter(|o| released(&o.head)) {
        let indicators = o
            .indicators
            .iter()
            .filter(|ind| released(&ind.head))
            .map(|ind| IndicatorView {
                marking: b.marking(&ind.portion),
                name: b.req(&ind.name),
                baseline: b.opt(&ind.baseline),
                target: b.opt(&ind.target),
            })
            .collect();
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
    for p in c.pools.iter().filter(|p| released(&p.head)) {
        investment_pools.push(PoolView {
            id: b.req(&p.id),
            marking: b.marking(&p.portion),
            name: b.req(&p.name),
            tech_areas: b.areas(&p.tech_areas),
            us_share: val(&p.us_share).copied(),
            ip_terms: b.opt(&p.ip_terms),
        });
    }
    let barriers = c
        .barriers
        .iter()
        .filter(|r| released(&r.head))
        .map(|r| BarrierView {
            marking: b.marking(&r.portion),
            kind: b.req(&r.kind),
            text: b.req(&r.text),
            mitigation: b.opt(&r.mitigation),
        })
        .collect();
    CountryView {
        code: b.req(&c.code),
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
