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
        let called = |noun: &str| o.head.called(noun);
        if o.is_st() && o.indicators.is_empty() {
            out.push(
                Diagnostic::new(
                    "SCP401",
                    item.clone(),
                    o.head.header,
                    format!("{} has no indicator", called("S&T objective")),
                )
                .with_help("add a [[country.objective.indicator]] with name, baseline and target")
                .at(o.head.node, None),
            );
        }
        let finding = match &o.target_date {
            None => Some((
                o.head.header,
                format!("{} has no target_date", called("objective")),
            )),
            Some(Field {
                value: Some(date),
                loc,
            }) => {
                if let Some(start) = start.filter(|s| date < s) {
                    Some((
                        *loc,
                        format!(
                            "{} targets {date}, before the plan takes effect ({start})",
                            called("objective")
                        ),
                    ))
                } else {
                    end.filter(|e| date > e).map(|end| {
                        (
                            *loc,
                            format!(
                                "{} targets {date}, after the plan period ends ({end})",
                                called("objective")
                            ),
                        )
                    })
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
                        format!("indicator of {} lacks a {what}", o.head.name("objective")),
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

#[cfg(test)]
mod tests {
    use crate::check::{Settings, check_text};

    #[test]
    fn an_item_without_an_id_is_named_by_where_it_is() {
        let text = "[plan]\nformat = 1\nid = \"T\"\ntitle = \"T\"\ncommand = \"USEUCOM\"\nversion = \"1\"\neffective = 2026-10-01\nmarking = \"UNCLASSIFIED\"\n\n[[country]]\ncode = \"POL\"\nname = \"Poland\"\nsummary = \"s\"\n\n[[country.objective]]\nkind = \"sc\"\ntext = \"t\"\n\n[[country]]\nname = \"Nowhere\"\nsummary = \"s\"\n";
        let checked = check_text(text.to_string(), &Settings::default());
        let said = |code: &str| -> Vec<String> {
            checked
                .diagnostics
                .iter()
                .filter(|d| d.code == code)
                .map(|d| d.message.to_string())
                .collect()
        };
        assert_eq!(
            said("SCP402"),
            ["the objective in POL with no `id` has no target_date"]
        );
        let sections = said("SCP101");
        assert!(
            sections.contains(&"the POL section has no S&T objective: add an objective with kind = \"st\"".to_string())
                && sections.contains(&"the country section with no `code` has no S&T objective: add an objective with kind = \"st\"".to_string()),
            "{sections:?}"
        );
    }
}
