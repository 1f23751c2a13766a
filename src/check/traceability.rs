//! Traceability (SCP101-SCP108): every section has S&T objectives, linked to existing
//! priorities and technology areas, and every priority is served by one.

use std::collections::{HashMap, HashSet};

use super::context::{Context, Tally};
use super::diagnostic::Diagnostic;
use crate::plan::catalog;
use crate::plan::model::{Head, List, Opt, val};

/// SCP106: the plan has strategic priorities for objectives to link to.
pub fn plan_level(cx: &Context, out: &mut Vec<Diagnostic>) {
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
}

/// The traceability rules of one country section; notes in `tally` the priorities its S&T
/// objectives link and whether a governance entry names another section's item.
pub fn country(cx: &Context, ci: usize, out: &mut Vec<Diagnostic>, tally: &mut Tally) {
    let country = &cx.plan.countries[ci];
    if !country.objectives.iter().any(|o| o.is_st()) {
        out.push(
            Diagnostic::new(
                "SCP101",
                country.head.item.clone(),
                country.head.header,
                format!(
                    "{} has no S&T objective: add an objective with kind = \"st\"",
                    if country.head.named {
                        format!("the {} section", country.head.item)
                    } else {
                        country.head.called("country section")
                    }
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
                for id in &list.entries {
                    if !tally.linked.contains(id) {
                        tally.linked.insert(id.clone());
                    }
                }
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
        // Without any priority (SCP106, or SCP003 for a mistyped `priority`) that is the one
        // problem: its links are not reported one by one as well.
        if !cx.plan.priorities.is_empty() {
            dangling_priorities(
                out,
                &o.head,
                &o.priorities,
                &cx.priority_set,
                &cx.priority_ids,
            );
        }
        repeated(out, &o.head, &o.priorities, "priorities", "priority");
        repeated(out, &o.head, &o.tech_areas, "tech_areas", "technology area");
        tally.foreign |= governance(out, &o.head, &o.governance, &local, cx);
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

/// SCP104: every priority is linked by some S&T objective (`tally` holds the links of every
/// section).
pub fn coverage(cx: &Context, tally: &Tally, out: &mut Vec<Diagnostic>) {
    for p in &cx.plan.priorities {
        let Some(id) = val(&p.id) else { continue };
        if !tally.linked.contains(id) {
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
            format!("{} {what}", head.called(noun)),
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
        .at(head.node, Some("priorities"))
        .naming(id);
        d = match catalog::closest(id, ids.iter().copied()) {
            Some(best) => d.with_help(format!("did you mean \"{best}\"?")),
            None if ids.is_empty() => d.with_help(
                "no priority of this plan has an `id` yet: give each `[[priority]]` its `id`",
            ),
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
                    head.name("objective")
                ),
            )
            .at(head.node, Some(key))
            .naming(v),
        );
    }
}

/// The agreements and actors of one country: in document order for suggestions, and as a
/// set for lookups.
struct Local<'a> {
    ids: &'a [&'a str],
    set: HashSet<&'a str>,
}

/// SCP108: governance entries must name an agreement or actor of the same country. Returns
/// whether an entry named some other item (its help depends on the other sections).
fn governance(
    out: &mut Vec<Diagnostic>,
    head: &Head,
    list: &Opt<List>,
    local: &Local,
    cx: &Context,
) -> bool {
    let Some(field) = list else { return false };
    let Some(list) = &field.value else {
        return false;
    };
    let mut foreign = false;
    let mut reported = HashSet::new();
    for id in &list.entries {
        if local.set.contains(id.as_str()) || !reported.insert(id.as_str()) {
            continue;
        }
        foreign = true;
        let elsewhere = cx.owner_of(id);
        let mut d = Diagnostic::new(
            "SCP108",
            head.item.clone(),
            field.loc,
            format!("governance entry `{id}` names no agreement or actor of this country"),
        )
        .at(head.node, Some("governance"))
        .naming(id);
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
    foreign
}

#[cfg(test)]
mod tests {
    use crate::check::{Settings, check_text};

    /// The help of the one SCP103 for a link to SP-1 when the plan's one priority is `priority`.
    fn help(priority: &str) -> String {
        let text = format!(
            "[[priority]]\n{priority}\ntitle = \"Deter\"\n\n[[country]]\ncode = \"POL\"\n\n[[country.objective]]\nid = \"POL-ST-1\"\nkind = \"st\"\npriorities = [\"SP-1\"]\n"
        );
        let checked = check_text(text, &Settings::default());
        let found: Vec<&str> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == "SCP103")
            .map(|d| d.help.as_deref().unwrap_or_default())
            .collect();
        assert_eq!(found.len(), 1, "{:?}", checked.diagnostics);
        found[0].to_string()
    }

    #[test]
    fn a_plan_whose_priorities_have_no_id_is_not_said_to_have_none() {
        for priority in ["", "id = 1"] {
            let help = help(priority);
            assert!(!help.contains("no priorities"), "{priority}: {help}");
            assert!(
                help.contains("no priority of this plan has an `id`"),
                "{priority}: {help}"
            );
        }
        assert_eq!(help("id = \"SP-2\""), "did you mean \"SP-2\"?");
    }
}
