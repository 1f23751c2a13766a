//! Assessment, monitoring and evaluation (SCP401-SCP403): S&T objectives have indicators with
//! baselines and targets, and every objective is dated inside the plan period.

use super::context::Context;
use super::diagnostic::Diagnostic;
use crate::plan::model::Field;

/// The assessment rules of one country section.
pub fn country(cx: &Context, ci: usize, out: &mut Vec<Diagnostic>) {
    let (start, end) = (cx.effective(), cx.period_end());
    let country = &cx.plan.countries[ci];
    for o in &country.objectives {
        let item = o.head.item.clone();
        if o.is_st() && o.indicators.is_empty() {
            out.push(
                Diagnostic::new(
                    "SCP401",
                    item.clone(),
                    o.head.header,
                    format!("S&T objective {item} has no indicator"),
                )
                .with_help("add a [[country.objective.indicator]] with name, baseline and target")
                .at(o.head.node, None),
            );
        }
        let finding = match &o.target_date {
            None => Some((
                o.head.header,
                format!("objective {item} has no target_date"),
            )),
            Some(Field {
                value: Some(date),
                loc,
            }) => {
                if let Some(start) = start.filter(|s| date < s) {
                    Some((
                        *loc,
                        format!(
                            "objective {item} targets {date}, before the plan takes effect ({start})"
                        ),
                    ))
                } else {
                    end.filter(|e| date > e)
                        .map(|end| (*loc, format!("objective {item} targets {date}, after the plan period ends ({end})")))
                }
            }
            Some(Field { value: None, .. }) => None,
        };
        if let Some((loc, message)) = finding {
            out.push(
                Diagnostic::new("SCP402", item.clone(), loc, message)
                    .with_help("set target_date between plan.effective and plan.period_end")
                    .at(o.head.node, Some("target_date")),
            );
        }
        for ind in &o.indicators {
            let missing: Vec<&str> = [("baseline", &ind.baseline), ("target", &ind.target)]
                .into_iter()
                .filter(|(_, f)| f.is_none())
                .map(|(name, _)| name)
                .collect();
            if !missing.is_empty() {
                let what = missing.join(" and ");
                out.push(
                    Diagnostic::new(
                        "SCP403",
                        item.clone(),
                        ind.head.header,
                        format!("indicator of {item} lacks a {what}"),
                    )
                    .with_help(format!(
                        "add {}",
                        missing
                            .iter()
                            .map(|m| format!("{m} = \"...\""))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ))
                    .at(ind.head.node, Some(missing[0])),
                );
            }
        }
    }
}
