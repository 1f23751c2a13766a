//! Traceability (SCP101-SCP108): every section has S&T objectives, linked to existing
//! priorities and technology areas, and every priority is served by one.

use std::collections::{HashMap, HashSet};

use super::context::Context;
use super::diagnostic::Diagnostic;
use crate::plan::catalog;
use crate::plan::model::{Head, List, Opt, Plan, val};

/// Runs the traceability rules.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let plan = cx.plan;
    if plan.priorities.is_empty() && !plan.priorities_malformed {
        out.push(
            Diagnostic::new(
                "SCP106",
                "plan",
                plan.meta.header,
                "the plan has no strategic priority: add a [[priority]] that objectives can link to".to_string(),
            )
            .with_help("[[priority]] needs id = \"SP-1\", title and source"),
        );
    }
    let known: HashSet<&str> = cx.priority_ids.iter().copied().collect();
    let mut linked: HashSet<&str> = HashSet::new();
    let mut owners = Owners::default();
    for country in &plan.countries {
        if !country.objectives.iter().any(|o| o.is_st()) {
            out.push(
                Diagnostic::new(
                    "SCP101",
                    country.head.item.clone(),
                    country.head.header,
                    format!(
                        "the {} section has no S&T objective: add an objective with kind = \"st\"",
                        country.head.item
                    ),
                )
                .with_help("link it to a priority and a technology area")
                .at(country.head.node, None),
            );
        }
        let governance_ids: Vec<&str> = country
            .agreements
            .iter()
            .map(|a| &a.id)
            .chain(country.actors.iter().map(|a| &a.id))
            .filter_map(|id| val(id).map(String::as_str))
            .collect();
        let local = Local {
            set: governance_ids.iter().copied().collect(),
            ids: &governance_ids,
        };
        for o in &country.objectives {
            if o.is_st() {
                if let Some(list) = val(&o.priorities) {
                    linked.extend(list.entries.iter().map(String::as_str));
                }
                empty_list(
                    out,
                    &o.head,
                    &o.priorities,
                    "priorities",
                    "SCP102",
                    "links to no priority: list the priorities it serves in `priorities`",
                );
                empty_list(
                    out,
                    &o.head,
                    &o.tech_areas,
                    "tech_areas",
                    "SCP105",
                    "has no technology area: list them in `tech_areas`",
                );
            }
            dangling_priorities(out, &o.head, &o.priorities, &known, &cx.priority_ids);
            repeated(out, &o.head, &o.priorities, "priorities", "priority");
            repeated(out, &o.head, &o.tech_areas, "tech_areas", "technology area");
            governance(out, &o.head, &o.governance, &local, &mut owners, plan);
        }
        for pool in &country.pools {
            empty_list(
                out,
                &pool.head,
                &pool.tech_areas,
                "tech_areas",
                "SCP105",
                "has no technology area: list them in `tech_areas`",
            );
        }
    }
    for p in &plan.priorities {
        let Some(id) = val(&p.id) else { continue };
        if !linked.contains(id.as_str()) {
            out.push(
                Diagnostic::new(
                    "SCP104",
                    p.head.item.clone(),
                    p.head.header,
                    format!("priority {id} is linked by no S&T objective: a coverage gap"),
                )
                .with_help(format!(
                    "add \"{id}\" to the `priorities` of an S&T objective that serves it"
                ))
                .at(p.head.node, None),
            );
        }
    }
}

/// SCP102/SCP105: a list that must not be empty is absent or empty. A list present with the
/// wrong type counts as present (it has its own SCP003).
fn empty_list(
    out: &mut Vec<Diagnostic>,
    head: &Head,
    list: &Opt<List>,
    key: &str,
    code: &'static str,
    what: &str,
) {
    let loc = match list {
        None => head.header,
        Some(field) => match &field.value {
            Some(l) if l.raw_len == 0 => field.loc,
            _ => return,
        },
    };
    let noun = if code == "SCP105" && head.node.kind() == crate::plan::schema::TableKind::Pool {
        "investment pool"
    } else {
        "S&T objective"
    };
    out.push(
        Diagnostic::new(
            code,
            head.item.clone(),
            loc,
            format!("{noun} {} {what}", head.item),
        )
        .at(head.node, Some(key)),
    );
}

/// SCP103: a priority link names no priority (once per distinct value).
fn dangling_priorities(
    out: &mut Vec<Diagnostic>,
    head: &Head,
    list: &Opt<List>,
    known: &HashSet<&str>,
    ids: &[&str],
) {
    let Some(field) = list else { return };
    let Some(list) = &field.value else { return };
    let mut reported = HashSet::new();
    for id in &list.entries {
        if known.contains(id.as_str()) || !reported.insert(id.as_str()) {
            continue;
        }
        let mut d = Diagnostic::new(
            "SCP103",
            head.item.clone(),
            field.loc,
            format!("`{id}` in `priorities` names no priority of this plan"),
        )
        .at(head.node, Some("priorities"));
        d = match catalog::closest(id, ids.iter().copied()) {
            Some(best) => d.with_help(format!("did you mean \"{best}\"?")),
            None if ids.is_empty() => d.with_help("the plan has no priorities yet"),
            None => d.with_help(format!("existing priorities: {}", ids.join(", "))),
        };
        out.push(d);
    }
}

/// SCP107: the same value twice in one list (once per repeated value).
fn repeated(out: &mut Vec<Diagnostic>, head: &Head, list: &Opt<List>, key: &str, noun: &str) {
    let Some(field) = list else { return };
    let Some(list) = field.value.as_ref().filter(|l| l.entries.len() > 1) else {
        return;
    };
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut order = Vec::new();
    for v in &list.entries {
        let n = counts.entry(v.as_str()).or_insert(0);
        *n += 1;
        if *n == 2 {
            order.push(v.as_str());
        }
    }
    for v in order {
        out.push(
            Diagnostic::new(
                "SCP107",
                head.item.clone(),
                field.loc,
                format!(
                    "{} links {noun} `{v}` more than once in `{key}`: remove the repeat",
                    head.item
                ),
            )
            .at(head.node, Some(key)),
        );
    }
}

/// The agreements and actors of one country: in document order for suggestions, and as a
/// set for lookups.
struct Local<'a> {
    ids: &'a [&'a str],
    set: HashSet<&'a str>,
}

/// Which country each agreement or actor id belongs to, built the first time an entry names
/// another country's (most plans never need it).
#[derive(Default)]
struct Owners<'a>(Option<HashMap<&'a str, &'a str>>);

impl<'a> Owners<'a> {
    fn of(&mut self, plan: &'a Plan, id: &str) -> Option<&'a str> {
        let map = self.0.get_or_insert_with(|| {
            let mut map = HashMap::new();
            for c in &plan.countries {
                let ids = c.agreements.iter().map(|a| &a.id);
                for id in ids.chain(c.actors.iter().map(|a| &a.id)).filter_map(val) {
                    map.entry(id.as_str()).or_insert(c.head.item.as_str());
                }
            }
            map
        });
        map.get(id).copied()
    }
}

/// SCP108: governance entries must name an agreement or actor of the same country.
fn governance<'a>(
    out: &mut Vec<Diagnostic>,
    head: &Head,
    list: &Opt<List>,
    local: &Local,
    owners: &mut Owners<'a>,
    plan: &'a Plan,
) {
    let Some(field) = list else { return };
    let Some(list) = &field.value else { return };
    let mut reported = HashSet::new();
    for id in &list.entries {
        if local.set.contains(id.as_str()) || !reported.insert(id.as_str()) {
            continue;
        }
        let elsewhere = owners.of(plan, id);
        let mut d = Diagnostic::new(
            "SCP108",
            head.item.clone(),
            field.loc,
            format!("governance entry `{id}` names no agreement or actor of this country"),
        )
        .at(head.node, Some("governance"));
        d = match (elsewhere, catalog::closest(id, local.ids.iter().copied())) {
            (_, Some(best)) => d.with_help(format!("did you mean \"{best}\"?")),
            (Some(owner), None) => d.with_help(format!(
                "`{id}` belongs to {owner}; governance must be the same country's"
            )),
            (None, None) if local.ids.is_empty() => {
                d.with_help("add the agreement or actor to this country section first")
            }
            (None, None) => d.with_help(format!(
                "this country's agreements and actors: {}",
                local.ids.join(", ")
            )),
        };
        out.push(d);
    }
}
