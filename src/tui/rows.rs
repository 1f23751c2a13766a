//! What the lists of the editor hold: the rows of the plan view and of a country section, and
//! the one-line label of each row.

use crate::plan::model::{Collection, Node, Plan, text, val};
use crate::text::sanitize;

/// The rows of the plan view: `[plan]`, `[plan.cui]`, `[plan.authority]`, every priority, every waiver.
pub fn plan_rows(plan: &Plan) -> Vec<Node> {
    let mut rows = vec![Node::Plan];
    if plan.meta.cui.is_some() {
        rows.push(Node::Cui);
    }
    if plan.meta.authority.is_some() {
        rows.push(Node::Authority);
    }
    rows.extend((0..plan.priorities.len()).map(|i| Node::Item(Collection::Priorities, i)));
    rows.extend((0..plan.waivers.len()).map(|i| Node::Item(Collection::Waivers, i)));
    rows
}

/// The rows of a country section: the country itself, then objectives (each followed by its
/// indicators), agreements, actors, investment pools and barriers.
pub fn section_rows(plan: &Plan, country: usize) -> Vec<Node> {
    let Some(c) = plan.countries.get(country) else {
        return Vec::new();
    };
    let mut rows = vec![Node::Item(Collection::Countries, country)];
    for (o, objective) in c.objectives.iter().enumerate() {
        rows.push(Node::Item(Collection::Objectives(country), o));
        rows.extend(
            (0..objective.indicators.len())
                .map(|i| Node::Item(Collection::Indicators(country, o), i)),
        );
    }
    rows.extend((0..c.agreements.len()).map(|i| Node::Item(Collection::Agreements(country), i)));
    rows.extend((0..c.actors.len()).map(|i| Node::Item(Collection::Actors(country), i)));
    rows.extend((0..c.pools.len()).map(|i| Node::Item(Collection::Pools(country), i)));
    rows.extend((0..c.barriers.len()).map(|i| Node::Item(Collection::Barriers(country), i)));
    rows
}

/// A one-line label for a row: kind, id and the most telling text, sanitized.
pub fn label(plan: &Plan, node: Node) -> String {
    let raw = match node {
        Node::Plan => format!("[plan] {}", text(&plan.meta.id)),
        Node::Cui => "[plan.cui] CUI designation".to_string(),
        Node::Authority => "[plan.authority] classification authority".to_string(),
        Node::Item(collection, i) => match collection {
            Collection::Priorities => plan.priorities.get(i).map_or_else(String::new, |p| {
                format!("{} {}", text(&p.id), text(&p.title))
            }),
            Collection::Waivers => plan.waivers.get(i).map_or_else(String::new, |w| {
                format!(
                    "waiver {} on {}: {}",
                    text(&w.rule),
                    text(&w.item),
                    text(&w.reason)
                )
            }),
            Collection::Countries => plan.countries.get(i).map_or_else(String::new, |c| {
                format!(
                    "{} {} ({})",
                    text(&c.code),
                    text(&c.name),
                    c.portion.marking_text().unwrap_or("?")
                )
            }),
            Collection::Objectives(c) => plan
                .countries
                .get(c)
                .and_then(|c| c.objectives.get(i))
                .map_or_else(String::new, |o| {
                    let links = val(&o.priorities)
                        .map(|l| l.entries.join(" "))
                        .unwrap_or_default();
                    format!(
                        "[{}] {} ({links}) {}",
                        text(&o.kind),
                        text(&o.id),
                        text(&o.text)
                    )
                }),
            Collection::Indicators(c, o) => plan
                .countries
                .get(c)
                .and_then(|c| c.objectives.get(o))
                .and_then(|o| o.indicators.get(i))
                .map_or_else(String::new, |ind| {
                    format!(
                        "  · {}: {} → {}",
                        text(&ind.name),
                        text(&ind.baseline),
                        text(&ind.target)
                    )
                }),
            Collection::Agreements(c) => plan
                .countries
                .get(c)
                .and_then(|c| c.agreements.get(i))
                .map_or_else(String::new, |a| {
                    format!("AG {} {} ({})", text(&a.id), text(&a.title), text(&a.kind))
                }),
            Collection::Actors(c) => plan
                .countries
                .get(c)
                .and_then(|c| c.actors.get(i))
                .map_or_else(String::new, |a| {
                    format!("AC {} {} ({})", text(&a.id), text(&a.name), text(&a.kind))
                }),
            Collection::Pools(c) => plan
                .countries
                .get(c)
                .and_then(|c| c.pools.get(i))
                .map_or_else(String::new, |p| {
                    format!("IP {} {}", text(&p.id), text(&p.name))
                }),
            Collection::Barriers(c) => plan
                .countries
                .get(c)
                .and_then(|c| c.barriers.get(i))
                .map_or_else(String::new, |b| {
                    format!("BR {}: {}", text(&b.kind), text(&b.text))
                }),
        },
    };
    sanitize(&raw.replace('\n', " "))
}
