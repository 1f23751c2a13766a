//! Governance (SCP301-SCP305): agreements and actors reviewed every year, agreements that last
//! the plan period, a governance mechanism for S&T work, barriers met, pools with IP terms.

use jiff::civil::Date;

use super::context::Context;
use super::diagnostic::Diagnostic;
use crate::plan::model::{Field, Head, Opt};

/// Days after which an agreement or actor is overdue for review.
const REVIEW_DAYS: i32 = 365;

/// The governance rules of one country section.
pub fn country(cx: &Context, ci: usize, out: &mut Vec<Diagnostic>) {
    let effective = cx.effective();
    let country = &cx.plan.countries[ci];
    for a in &country.agreements {
        review(out, &a.head, &a.last_reviewed, effective, "agreement");
        if let Some(Field {
            value: Some(expires),
            loc,
        }) = &a.expires
        {
            let before = |limit: Option<Date>| limit.filter(|l| expires < l);
            let message = if let Some(start) = before(effective) {
                Some(format!(
                    "{} expires {expires}, before the plan takes effect ({start})",
                    a.head.called("agreement")
                ))
            } else {
                before(cx.period_end()).map(|end| {
                    format!(
                        "{} expires {expires}, before the plan period ends ({end})",
                        a.head.called("agreement")
                    )
                })
            };
            if let Some(message) = message {
                out.push(
                    Diagnostic::new("SCP302", a.head.item.clone(), *loc, message)
                        .with_help(
                            "renew or extend it and update `expires`, or plan its replacement",
                        )
                        .at(a.head.node, Some("expires")),
                );
            }
        }
    }
    for a in &country.actors {
        review(out, &a.head, &a.last_reviewed, effective, "actor");
    }
    if country.agreements.is_empty() && country.objectives.iter().any(|o| o.is_st()) {
        out.push(
            Diagnostic::new(
                "SCP303",
                country.head.item.clone(),
                country.head.header,
                format!(
                    "{} has S&T objectives but no agreement to govern them",
                    country.head.name("country section")
                ),
            )
            .with_help("add the [[country.agreement]] the S&T work will run under")
            .at(country.head.node, None),
        );
    }
    for b in &country.barriers {
        if b.mitigation.is_none() {
            out.push(
                Diagnostic::new(
                    "SCP304",
                    b.head.item.clone(),
                    b.head.header,
                    "barrier without a mitigation: say how the plan meets it".to_string(),
                )
                .with_help("add mitigation = \"...\"")
                .at(b.head.node, Some("mitigation")),
            );
        }
    }
    for p in &country.pools {
        if p.ip_terms.is_none() {
            out.push(
                Diagnostic::new(
                    "SCP305",
                    p.head.item.clone(),
                    p.head.header,
                    format!("{} has no IP terms", p.head.called("investment pool")),
                )
                .with_help("add ip_terms = \"...\" saying how intellectual property is handled")
                .at(p.head.node, Some("ip_terms")),
            );
        }
    }
}

/// SCP301: reviewed within the year before the plan takes effect.
fn review(
    out: &mut Vec<Diagnostic>,
    head: &Head,
    last: &Opt<Date>,
    effective: Option<Date>,
    noun: &str,
) {
    let (loc, message) = match last {
        None => (
            head.header,
            format!(
                "{} has never been reviewed (no last_reviewed)",
                head.called(noun)
            ),
        ),
        Some(Field {
            value: Some(date),
            loc,
        }) => {
            let Some(start) = effective else { return };
            let days = (start - *date).get_days();
            if days <= REVIEW_DAYS {
                return;
            }
            (
                *loc,
                format!(
                    "{} was last reviewed {date}, {days} days before the plan takes effect (review yearly)",
                    head.called(noun)
                ),
            )
        }
        Some(Field { value: None, .. }) => return,
    };
    out.push(
        Diagnostic::new("SCP301", head.item.clone(), loc, message)
            .with_help("review it and set last_reviewed to the review's date")
            .at(head.node, Some("last_reviewed")),
    );
}
