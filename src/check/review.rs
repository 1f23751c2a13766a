//! Link review (SCP109-SCP111): a link whose priority changed since a planner confirmed it is
//! suspect, a link without a stamp is noted when the plan asks for stamps, and a stamp for a
//! priority the objective no longer links is stale.

use super::context::Context;
use super::diagnostic::Diagnostic;
use crate::plan::model::{Field, Objective};
use crate::plan::review::{self, LinkState};

/// The link-review rules of one country section.
pub fn country(cx: &Context, ci: usize, out: &mut Vec<Diagnostic>) {
    let wanted = cx.plan.meta.link_review();
    for o in &cx.plan.countries[ci].objectives {
        // Without stamps and without `link_review` there is nothing to judge (and no priority
        // needs hashing).
        if o.reviewed_links.is_none() && !wanted {
            continue;
        }
        links(cx, o, wanted, out);
        stale(o, out);
    }
}

/// SCP109 for a suspect link, SCP110 (when `wanted`) for an unstamped one.
fn links(cx: &Context, o: &Objective, wanted: bool, out: &mut Vec<Diagnostic>) {
    let item = &o.head.item;
    for link in review::judge(o, cx.priority_stamps()) {
        let p = link.priority;
        match (&link.state, link.at) {
            (LinkState::Suspect { stored }, Some(at)) => out.push(
                Diagnostic::new(
                    "SCP109",
                    item.clone(),
                    at,
                    format!(
                        "the link to {p} is suspect: priority {p} changed since the link was reviewed (stamp {stored}, now {})",
                        link.current
                    ),
                )
                .with_help(format!(
                    "check that {item} still serves {p}, then confirm the link: `scplan review PLAN --confirm {item}:{p}`"
                ))
                .at(o.head.node, Some("reviewed_links"))
                .naming(p),
            ),
            (LinkState::Unstamped, _) if wanted => {
                let Some(priorities) = &o.priorities else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        "SCP110",
                        item.clone(),
                        priorities.loc,
                        format!(
                            "the link to {p} has no review stamp, and plan.link_review = true asks for one"
                        ),
                    )
                    .with_help(format!(
                        "review the link and confirm it: `scplan review PLAN --confirm {item}:{p}` (`scplan stamp-links PLAN` stamps every unstamped link)"
                    ))
                    .at(o.head.node, Some("priorities"))
                    .naming(p),
                );
            }
            _ => {}
        }
    }
}

/// SCP111: a stamp for a priority that the objective does not link. Not judged while
/// `priorities` is present but not a list (SCP003): its links are unknown.
fn stale(o: &Objective, out: &mut Vec<Diagnostic>) {
    let Some(stamps) = o.reviewed_links.as_ref().and_then(|r| r.stamps.as_ref()) else {
        return;
    };
    let linked: &[String] = match &o.priorities {
        None => &[],
        Some(Field {
            value: Some(list), ..
        }) => &list.entries,
        Some(Field { value: None, .. }) => return,
    };
    let item = &o.head.item;
    for s in stamps.iter().filter(|s| !linked.contains(&s.priority)) {
        let p = &s.priority;
        out.push(
            Diagnostic::new(
                "SCP111",
                item.clone(),
                s.loc,
                format!(
                    "`reviewed_links` holds a stamp for {p}, which {} does not link: a stale stamp",
                    o.head.name("objective")
                ),
            )
            .with_help(format!(
                "remove `{p}` from `reviewed_links`, or link \"{p}\" in `priorities` and confirm the link"
            ))
            .at(o.head.node, Some("reviewed_links"))
            .naming(p),
        );
    }
}
