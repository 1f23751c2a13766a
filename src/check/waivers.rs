//! Waivers (SCP501-SCP503): valid waivers in force mark the diagnostics they cover as waived;
//! invalid, expired and stale ones are reported.

use std::collections::HashMap;

use super::context::Context;
use super::diagnostic::Diagnostic;
use super::ids::IdCensus;
use super::registry;
use super::registry::Severity;
use crate::plan::catalog;
use crate::plan::model::Field;

/// Applies the plan's waivers to `diagnostics` and reports problems with the waivers.
pub fn apply(cx: &Context, ids: &IdCensus, diagnostics: &mut Vec<Diagnostic>) {
    if cx.plan.waivers.is_empty() {
        return;
    }
    // Which diagnostics each (code, item) names, so that each waiver finds its own at once.
    let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        index.entry((d.code, d.item.as_str())).or_default().push(i);
    }
    let mut waived = Vec::new();
    let mut found = Vec::new();
    for w in &cx.plan.waivers {
        let (
            Some(Field {
                value: Some(rule),
                loc: rule_loc,
            }),
            Some(Field {
                value: Some(item),
                loc: item_loc,
            }),
        ) = (&w.rule, &w.item)
        else {
            continue;
        };
        let at = |d: Diagnostic, field: &str| d.at(w.head.node, Some(field));
        let mut invalid = false;
        match registry::find(rule).filter(|r| r.code == rule) {
            None => {
                invalid = true;
                let mut d = Diagnostic::new(
                    "SCP501",
                    "plan",
                    *rule_loc,
                    format!("waiver names `{rule}`, which is not a rule code"),
                );
                if let Some(best) = catalog::closest(rule, registry::RULES.iter().map(|r| r.code)) {
                    d = d.with_help(format!("did you mean {best}?"));
                }
                found.push(at(d, "rule"));
            }
            Some(r) if r.severity == Severity::Error || r.code == "SCP503" => {
                invalid = true;
                let why = if r.code == "SCP503" {
                    "a stale-waiver notice"
                } else {
                    "an error"
                };
                found.push(at(
                    Diagnostic::new(
                        "SCP501",
                        "plan",
                        *rule_loc,
                        format!("waiver names {rule}, which is {why} and cannot be waived"),
                    )
                    .with_help("fix the problem instead, and remove the waiver"),
                    "rule",
                ));
            }
            Some(_) => {}
        }
        if item != "plan" && !ids.contains(item) {
            invalid = true;
            let mut d = Diagnostic::new(
                "SCP501",
                "plan",
                *item_loc,
                format!("waiver names item `{item}`, which does not exist"),
            );
            let ids = cx.all_ids().iter().copied().chain(["plan"]);
            if let Some(best) = catalog::closest(item, ids) {
                d = d.with_help(format!("did you mean `{best}`?"));
            }
            found.push(at(d, "item"));
        }
        if invalid {
            continue;
        }
        if let (
            Some(Field {
                value: Some(expires),
                loc,
            }),
            Some(start),
        ) = (&w.expires, cx.effective())
            && *expires < start
        {
            found.push(at(
                Diagnostic::new(
                    "SCP502",
                    "plan",
                    *loc,
                    format!("the waiver of {rule} on {item} expired {expires}, before the plan takes effect ({start}); the diagnostic applies again"),
                )
                .with_help("renew the waiver with a new expires date, or fix what it waived"),
                "expires",
            ));
            continue;
        }
        let matched = index
            .get(&(rule.as_str(), item.as_str()))
            .map_or(&[][..], Vec::as_slice);
        waived.extend_from_slice(matched);
        if matched.is_empty() {
            found.push(
                Diagnostic::new(
                    "SCP503",
                    "plan",
                    w.head.header,
                    format!("the waiver of {rule} on {item} matches no diagnostic"),
                )
                .with_help("remove the waiver")
                .at(w.head.node, None),
            );
        }
    }
    for i in waived {
        diagnostics[i].waived = true;
    }
    diagnostics.extend(found);
}
