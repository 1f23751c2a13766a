//! The plan as every export shows it: the portions released (all of them, or those releasable
//! to one country), links resolved to names, the coverage matrix, the banner those portions
//! require, and the validation stamp. The four formats only lay this out.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use crate::plan::catalog;
use crate::plan::marking::{self, Level};
use crate::plan::model::{Country, List, Objective, Opt, Plan, Portion, text, val};
use crate::plan::review::{self, LinkState};
use crate::plan::schema::TableKind;

use super::release::{Recipient, Release};
use super::stamp::{Clean, Stamp};

/// Text as the view holds it: the plan's own text where the format shows it as written (most
/// of it), else text of its own, so that a view of a large plan copies little.
pub type Text<'p> = Cow<'p, str>;

/// Everything an export writes, in the order the documents show it.
#[derive(Debug, Clone, Serialize)]
pub struct View<'p> {
    /// The banner the released portions require (the plan's own banner when nothing is
    /// withheld and the plan is valid, as `check` holds them equal).
    pub banner: String,
    /// The country a partner copy is prepared for; `None` for the whole plan.
    pub recipient: Option<Recipient>,
    /// True when the plan did not pass `check` and is exported as a draft.
    pub draft: bool,
    /// `[plan]`.
    pub plan: MetaView<'p>,
    /// The marking blocks every format shows before the first portion: the CUI designation
    /// indicator when a released portion is CUI.
    pub designation: Vec<MarkingBlock<'p>>,
    /// The released priorities.
    pub priorities: Vec<PriorityView<'p>>,
    /// The released country sections.
    pub countries: Vec<CountryView<'p>>,
    /// Countries x priorities: how many S&T objectives link each priority.
    pub coverage: Coverage<'p>,
    /// The validation stamp.
    pub stamp: Stamp,
}

impl View<'_> {
    /// The title's portion mark (see [`title_marking`]).
    pub fn title_marking(&self) -> String {
        title_marking(&self.banner)
    }
}

/// The title's portion mark: `[plan]` has no marking of its own, so the title is marked as
/// the banner, the highest any of its portions holds (never lower than what it may carry).
pub fn title_marking(banner: &str) -> String {
    marking::banner_as_portion(banner).map_or_else(
        || {
            marking::banner_level(banner)
                .unwrap_or(Level::U)
                .portion_str()
                .to_string()
        },
        |m| marking::portion_string(&m),
    )
}

/// `[plan]` without its banner (the export has its own).
#[derive(Debug, Clone, Serialize)]
pub struct MetaView<'p> {
    /// `id`.
    pub id: Text<'p>,
    /// `title`.
    pub title: Text<'p>,
    /// `command`.
    pub command: Text<'p>,
    /// `version`.
    pub version: Text<'p>,
    /// `effective`, `YYYY-MM-DD`.
    pub effective: Option<String>,
    /// `period_end`, `YYYY-MM-DD`.
    pub period_end: Option<String>,
    /// `marking_profile` in force: `dod` or `nara`.
    pub marking_profile: &'static str,
    /// `tech_list` in force: `2025` or `2022` (empty when invalid, in a draft).
    pub tech_list: &'static str,
    /// `prepared_by`.
    pub prepared_by: Option<Text<'p>>,
}

/// A block of labelled lines that a marked document shows before its first portion, such as
/// the CUI designation indicator. Each format lays every block out the same way, so a new
/// block is added in `designation` alone.
#[derive(Debug, Clone, Serialize)]
pub struct MarkingBlock<'p> {
    /// What the block is: `CUI designation indicator`.
    pub title: &'static str,
    /// Its lines, in the order the document shows them.
    pub lines: Vec<MarkingLine<'p>>,
}

/// One labelled line of a [`MarkingBlock`]: `Controlled By: J5`.
#[derive(Debug, Clone, Serialize)]
pub struct MarkingLine<'p> {
    /// The label, written exactly as the marking rules name it.
    pub label: &'static str,
    /// The value.
    pub value: Text<'p>,
}

/// A released `[[priority]]`.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityView<'p> {
    /// `id`.
    pub id: Text<'p>,
    /// The portion marking, as written.
    pub marking: Text<'p>,
    /// `title`.
    pub title: Text<'p>,
    /// `source`.
    pub source: Text<'p>,
    /// `description`.
    pub description: Option<Text<'p>>,
}

/// A reference from one item to another (a priority, an agreement or an actor). A link to a
/// withheld item is not in the copy at all.
#[derive(Debug, Clone, Serialize)]
pub struct Link<'p> {
    /// The id as written in the link.
    pub id: Text<'p>,
    /// The title or name of the target; `None` when it does not exist (drafts only).
    pub name: Option<Text<'p>>,
    /// The target's portion marking when it is not `U`: its name is text of that portion,
    /// shown inside the linking item's, so it carries its own mark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marking: Option<Text<'p>>,
}

impl Link<'_> {
    /// The target's name, after its own portion mark when it has one (`(S//NF) Title`), or
    /// `(unknown)` in its place.
    pub fn name_or_state(&self) -> Cow<'_, str> {
        match (&self.marking, self.name.as_deref()) {
            (Some(mark), Some(name)) => Cow::Owned(format!("({mark}) {name}")),
            (None, Some(name)) => Cow::Borrowed(name),
            (_, None) => Cow::Borrowed("(unknown)"),
        }
    }

    /// The link as read in a document: `SP-1 Title`, `SP-2 (S//NF) Title`, `SP-9 (unknown)`.
    pub fn label(&self) -> String {
        format!("{} {}", self.id, self.name_or_state())
    }
}

/// The names of the items links may name (id -> name, and its portion mark when not `U`).
type Names<'p> = HashMap<&'p str, (Text<'p>, Option<Text<'p>>)>;

/// A technology area with its title.
#[derive(Debug, Clone, Serialize)]
pub struct TechArea<'p> {
    /// The id, e.g. `applied-ai`.
    pub id: Text<'p>,
    /// The title, e.g. `Applied AI`.
    pub name: Text<'p>,
}

/// A released `[[country]]` section with what it releases.
#[derive(Debug, Clone, Serialize)]
pub struct CountryView<'p> {
    /// `code`.
    pub code: Text<'p>,
    /// `name`.
    pub name: Text<'p>,
    /// The portion marking, as written.
    pub marking: Text<'p>,
    /// `summary`.
    pub summary: Option<Text<'p>>,
    /// `strengths`.
    pub strengths: Vec<Text<'p>>,
    /// Released objectives.
    pub objectives: Vec<ObjectiveView<'p>>,
    /// Released agreements.
    pub agreements: Vec<AgreementView<'p>>,
    /// Released actors.
    pub actors: Vec<ActorView<'p>>,
    /// Released investment pools.
    pub investment_pools: Vec<PoolView<'p>>,
    /// Released barriers.
    pub barriers: Vec<BarrierView<'p>>,
}

/// A released `[[country.objective]]`.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView<'p> {
    /// `id`.
    pub id: Text<'p>,
    /// `kind`: `st` or `sc`.
    pub kind: Text<'p>,
    /// The portion marking, as written.
    pub marking: Text<'p>,
    /// `text`.
    pub text: Text<'p>,
    /// `priorities`, resolved.
    pub priorities: Vec<Link<'p>>,
    /// `tech_areas`, with titles.
    pub tech_areas: Vec<TechArea<'p>>,
    /// `governance`, resolved to this country's agreements and actors.
    pub governance: Vec<Link<'p>>,
    /// `target_date`, `YYYY-MM-DD`.
    pub target_date: Option<String>,
    /// Released indicators.
    pub indicators: Vec<IndicatorView<'p>>,
    /// The links to released priorities that changed since the link was reviewed (SCP109):
    /// alignment no one has confirmed yet. Left out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suspect_links: Vec<Link<'p>>,
}

impl ObjectiveView<'_> {
    /// `S&T` or `SC`, as a reader says it.
    pub fn kind_label(&self) -> &str {
        match &*self.kind {
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
pub struct IndicatorView<'p> {
    /// The portion marking, as written.
    pub marking: Text<'p>,
    /// `name`.
    pub name: Text<'p>,
    /// `baseline`.
    pub baseline: Option<Text<'p>>,
    /// `target`.
    pub target: Option<Text<'p>>,
}

/// A released `[[country.agreement]]`.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementView<'p> {
    /// `id`.
    pub id: Text<'p>,
    /// The portion marking, as written.
    pub marking: Text<'p>,
    /// `kind`.
    pub kind: Text<'p>,
    /// `title`.
    pub title: Text<'p>,
    /// `signed`.
    pub signed: Option<String>,
    /// `expires`.
    pub expires: Option<String>,
    /// `last_reviewed`.
    pub last_reviewed: Option<String>,
}

/// A released `[[country.actor]]`.
#[derive(Debug, Clone, Serialize)]
pub struct ActorView<'p> {
    /// `id`.
    pub id: Text<'p>,
    /// The portion marking, as written.
    pub marking: Text<'p>,
    /// `kind`.
    pub kind: Text<'p>,
    /// `name`.
    pub name: Text<'p>,
    /// `role`.
    pub role: Option<Text<'p>>,
    /// `last_reviewed`.
    pub last_reviewed: Option<String>,
}

/// A released `[[country.investment_pool]]`.
#[derive(Debug, Clone, Serialize)]
pub struct PoolView<'p> {
    /// `id`.
    pub id: Text<'p>,
    /// The portion marking, as written.
    pub marking: Text<'p>,
    /// `name`.
    pub name: Text<'p>,
    /// `tech_areas`, with titles.
    pub tech_areas: Vec<TechArea<'p>>,
    /// `us_share`, percent.
    pub us_share: Option<i64>,
    /// `ip_terms`.
    pub ip_terms: Option<Text<'p>>,
}

/// A released `[[country.barrier]]`.
#[derive(Debug, Clone, Serialize)]
pub struct BarrierView<'p> {
    /// The portion marking, as written.
    pub marking: Text<'p>,
    /// `kind`.
    pub kind: Text<'p>,
    /// `text`.
    pub text: Text<'p>,
    /// `mitigation`.
    pub mitigation: Option<Text<'p>>,
}

/// The coverage matrix: one row per released country, one column per released priority.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage<'p> {
    /// The column heads: priority ids, in plan order.
    pub priorities: Vec<Text<'p>>,
    /// One row per country.
    pub rows: Vec<CoverageRow<'p>>,
}

/// One country's row of the coverage matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow<'p> {
    /// The country code.
    pub code: Text<'p>,
    /// The country name.
    pub name: Text<'p>,
    /// For each column, how many released S&T objectives link that priority.
    pub counts: Vec<usize>,
}

/// The release decision, and how text is prepared for the format.
struct Builder<'p> {
    release: &'p Release,
    clean: Clean,
}

impl<'p> Builder<'p> {
    fn text(&self, s: &'p str) -> Text<'p> {
        (self.clean)(s)
    }

    fn req(&self, field: &'p Opt<String>) -> Text<'p> {
        self.text(text(field))
    }

    fn opt(&self, field: &'p Opt<String>) -> Option<Text<'p>> {
        val(field).map(|s| self.text(s))
    }

    fn list(&self, field: &'p Opt<List>) -> Vec<Text<'p>> {
        val(field)
            .map(|l| l.entries.iter().map(|s| self.text(s)).collect())
            .unwrap_or_default()
    }

    fn marking(&self, portion: &'p Portion) -> Text<'p> {
        self.text(portion.marking_text().unwrap_or("?"))
    }

    /// A link target's name and, when it is not `U`, its portion mark.
    fn named(&self, name: &'p Opt<String>, portion: &'p Portion) -> (Text<'p>, Option<Text<'p>>) {
        let mark = self.marking(portion);
        (self.req(name), (mark != "U").then_some(mark))
    }

    fn areas(&self, field: &'p Opt<List>) -> Vec<TechArea<'p>> {
        self.list(field)
            .into_iter()
            .map(|id| TechArea {
                name: Cow::Owned(catalog::tech_area_title(&id)),
                id,
            })
            .collect()
    }

    /// Resolves link ids against `names` (id -> name of a released target), leaving out the
    /// links to withheld items.
    fn links(&self, field: &'p Opt<List>, names: &Names<'p>) -> Vec<Link<'p>> {
        val(field)
            .map(|l| l.entries.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|id| !self.release.is_hidden(id))
            .map(|id| {
                let target = names.get(id.as_str());
                Link {
                    id: self.text(id),
                    name: target.map(|(name, _)| name.clone()),
                    marking: target.and_then(|(_, mark)| mark.clone()),
                }
            })
            .collect()
    }
}

/// The marking blocks of the export, in the order shown: the CUI designation indicator from
/// `[plan.cui]` when a released portion is CUI. A partner copy's indicator lists the
/// categories its own portions carry: the plan's list may name some only withheld ones hold.
fn designation<'p>(b: &Builder<'p>, plan: &'p Plan) -> Vec<MarkingBlock<'p>> {
    let released = &b.release.released;
    let mut blocks = Vec::new();
    // A block of the wrong type (SCP003) has nothing readable to show.
    if let Some(authority) = plan.meta.authority.as_ref().filter(|a| a.readable) {
        let label = |key| TableKind::Authority.label(key);
        let mut lines = Vec::new();
        for (key, value) in [
            ("classified_by", b.opt(&authority.classified_by)),
            ("derived_from", b.opt(&authority.derived_from)),
            ("reason", b.opt(&authority.reason)),
            (
                "declassify_on",
                val(&authority.declassify_on).map(|d| Cow::Owned(d.to_string())),
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
    if let Some(cui) = plan.meta.cui.as_ref().filter(|c| c.readable)
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
            line("Categories", Cow::Owned(categories.join(", "))),
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
pub fn build<'p>(
    plan: &'p Plan,
    release: &'p Release,
    recipient: Option<Recipient>,
    draft: bool,
    clean: Clean,
    stamp: Stamp,
) -> View<'p> {
    let b = Builder { release, clean };
    let mut priority_names = HashMap::new();
    let stamps = review::current_stamps(plan);
    let mut priorities = Vec::new();
    for p in &plan.priorities {
        if !release.is_released(p.head.node) {
            continue;
        }
        if let Some(id) = val(&p.id) {
            priority_names.insert(id.as_str(), b.named(&p.title, &p.portion));
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

fn country<'p>(
    b: &Builder<'p>,
    c: &'p Country,
    priority_names: &Names<'p>,
    stamps: &HashMap<&str, String>,
) -> CountryView<'p> {
    let released = |head: &crate::plan::model::Head| b.release.is_released(head.node);
    let mut governance_names = HashMap::new();
    let mut agreements = Vec::new();
    for a in c.agreements.iter().filter(|a| released(&a.head)) {
        if let Some(id) = val(&a.id) {
            governance_names.insert(id.as_str(), b.named(&a.title, &a.portion));
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
            governance_names.insert(id.as_str(), b.named(&a.name, &a.portion));
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
fn suspect_links<'p>(
    b: &Builder<'p>,
    o: &'p Objective,
    stamps: &HashMap<&str, String>,
    names: &Names<'p>,
) -> Vec<Link<'p>> {
    review::judge(o, stamps)
        .into_iter()
        .filter(|l| matches!(l.state, LinkState::Suspect { .. }))
        .filter_map(|l| {
            // The judged link lives no longer than this call: its id is copied (suspect
            // links are few).
            let (name, marking) = names.get(l.priority)?.clone();
            Some(Link {
                id: Cow::Owned(b.text(l.priority).into_owned()),
                name: Some(name),
                marking,
            })
        })
        .collect()
}

/// Counts, per country and priority, the S&T objectives linking the priority (an objective
/// that names a priority twice counts once).
fn coverage<'p>(priorities: &[PriorityView<'p>], countries: &[CountryView<'p>]) -> Coverage<'p> {
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
