//! Waivers (SCP501-SCP503): valid waivers in force mark the diagnostics they cover as waived;
//! invalid, expired and stale ones are reported.

use std::collections::HashMap;

use super::context::Context;
use super::diagnostic::Diagnostic;
use super::ids::IdCensus;
use super::registry;
use crate::plan::catalog;
use crate::plan::model::{Field, Loc, Waiver};

/// A waiver's key when it holds a string, with where it is.
fn valid(field: &Option<Field<String>>) -> Option<(&String, Loc)> {
    match field {
        Some(Field {
            value: Some(value),
            loc,
        }) => Some((value, *loc)),
        _ => None,
    }
}

/// SCP501 for a waiver's `rule` that is no rule code, an error or SCP503.
fn unwaivable(rule: &str, loc: Loc) -> Option<Diagnostic> {
    match registry::find(rule).filter(|r| r.code == rule) {
        None => {
            let mut d = Diagnostic::new(
                "SCP501",
                "plan",
                loc,
                format!("waiver names `{rule}`, which is not a rule code"),
            );
            if let Some(best) = catalog::closest(rule, registry::RULES.iter().map(|r| r.code)) {
                d = d.with_help(format!("did you mean {best}?"));
            }
            Some(d)
        }
        Some(r) if !r.waivable() => {
            let why = if r.code == "SCP503" {
                "a stale-waiver notice"
            } else {
                "an error"
            };
            Some(
                Diagnostic::new(
                    "SCP501",
                    "plan",
                    loc,
                    format!("waiver names {rule}, which is {why} and cannot be waived"),
                )
                .with_help("fix the problem instead, and remove the waiver"),
            )
        }
        Some(_) => None,
    }
}

/// SCP501 for a waiver's `item` that names nothing in the plan.
fn unknown_item(cx: &Context, ids: &IdCensus, item: &str, loc: Loc) -> Option<Diagnostic> {
    if item == "plan" || ids.contains(item) {
        return None;
    }
    let mut d = Diagnostic::new(
        "SCP501",
        "plan",
        loc,
        format!("waiver names item `{item}`, which does not exist"),
    );
    let ids = cx.all_ids().iter().copied().chain(["plan"]);
    if let Some(best) = catalog::closest(item, ids) {
        d = d.with_help(format!("did you mean `{best}`?"));
    }
    Some(d)
}

/// A waiver's standing once it is judged.
enum Standing<'w> {
    /// In force: it covers the diagnostics with this code and item.
    InForce(&'w str, &'w str),
    /// Invalid (SCP501, or a rule or item missing or mistyped), or expired (SCP502): it covers
    /// nothing.
    Void,
}

/// Judges one waiver: its SCP501s and SCP502 go to `found`.
fn judge<'w>(
    cx: &Context,
    ids: &IdCensus,
    w: &'w Waiver,
    found: &mut Vec<Diagnostic>,
) -> Standing<'w> {
    let at = |d: Diagnostic, field: &str| d.at(w.head.node, Some(field));
    // Each of `rule` and `item` is judged on its own: a missing or mistyped one does not
    // stop SCP501 for the other.
    let (rule, item) = (valid(&w.rule), valid(&w.item));
    let rule_problem = rule.and_then(|(rule, loc)| unwaivable(rule, loc));
    let item_problem = item.and_then(|(item, loc)| unknown_item(cx, ids, item, loc));
    let invalid = rule_problem.is_some() || item_problem.is_some();
    found.extend(rule_problem.map(|d| at(d, "rule")));
    found.extend(item_problem.map(|d| at(d, "item")));
    let (Some((rule, _)), Some((item, _))) = (rule, item) else {
        return Standing::Void;
    };
    // An invalid waiver is never in force, so it does not expire either.
    if invalid {
        return Standing::Void;
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
        return Standing::Void;
    }
    Standing::InForce(rule, item)
}

/// Applies the plan's waivers to `diagnostics` and reports problems with the waivers. The
/// waivers' own notices are judged first, so that a waiver in force can cover an SCP502.
pub fn apply(cx: &Context, ids: &IdCensus, diagnostics: &mut Vec<Diagnostic>) {
    if cx.plan.waivers.is_empty() {
        return;
    }
    let mut found = Vec::new();
    let standings: Vec<Standing> = cx
        .plan
        .waivers
        .iter()
        .map(|w| judge(cx, ids, w, &mut found))
        .collect();
    diagnostics.extend(found);
    // Which diagnostics each (code, item) names, so that each waiver finds its own at once.
    let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        index.entry((d.code, &*d.item)).or_default().push(i);
    }
    let mut waived = Vec::new();
    let mut stale = Vec::new();
    for (w, standing) in cx.plan.waivers.iter().zip(&standings) {
        let Standing::InForce(rule, item) = *standing else {
            continue;
        };
        let matched = index.get(&(rule, item)).map_or(&[][..], Vec::as_slice);
        waived.extend_from_slice(matched);
        if matched.is_empty() {
            stale.push(
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
    diagnostics.extend(stale);
}
