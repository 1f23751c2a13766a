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
                    "check that {} still serves {p}, then {}",
                    o.head.name("objective"),
                    review::confirm_help(&o.head, p, "confirm the link")
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
                        "review the link and {} (`scplan stamp-links PLAN` stamps every unstamped link)",
                        review::confirm_help(&o.head, p, "confirm it")
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

#[cfg(test)]
mod tests {
    use crate::check::{Settings, check_text};

    /// The help of every diagnostic `code` reports for a plan with link review on whose one
    /// objective links SP-1 with `stamp` (`None`: no stamp) and has `id` (`None`: none).
    fn helps(code: &str, id: Option<&str>, stamp: Option<&str>) -> Vec<String> {
        let mut text = String::from(
            "[plan]\nlink_review = true\n\n[[priority]]\nid = \"SP-1\"\ntitle = \"Deter\"\n\n[[country]]\ncode = \"POL\"\n\n[[country.objective]]\n",
        );
        if let Some(id) = id {
            text.push_str(&format!("id = \"{id}\"\n"));
        }
        text.push_str("kind = \"st\"\npriorities = [\"SP-1\"]\n");
        if let Some(stamp) = stamp {
            text.push_str(&format!("reviewed_links = {{ SP-1 = \"{stamp}\" }}\n"));
        }
        let checked = check_text(text, &Settings::default());
        let found: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| d.help.as_deref().unwrap_or_default().to_string())
            .collect();
        assert_eq!(found.len(), 1, "{code}: {:?}", checked.diagnostics);
        found
    }

    #[test]
    fn the_confirm_command_names_the_objective_by_its_id() {
        for (code, stamp) in [("SCP109", Some("00000000")), ("SCP110", None)] {
            let help = &helps(code, Some("POL-ST-1"), stamp)[0];
            assert!(
                help.contains("`scplan review PLAN --confirm POL-ST-1:SP-1`"),
                "{code}: {help}"
            );
        }
    }

    #[test]
    fn an_objective_without_an_id_is_told_to_get_one_before_the_command() {
        for (code, stamp) in [("SCP109", Some("00000000")), ("SCP110", None)] {
            let help = &helps(code, None, stamp)[0];
            assert!(
                help.contains(
                    "once the objective has an `id`: `scplan review PLAN --confirm ID:SP-1`"
                ),
                "{code}: {help}"
            );
            assert!(!help.contains("POL:SP-1"), "{code}: {help}");
        }
    }
}
