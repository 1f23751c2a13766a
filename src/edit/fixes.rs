//! Quick fixes: the edit that mechanically repairs a diagnostic, where there is one (the
//! banner rolled up from the portions, a dangling priority link replaced by the closest id,
//! an overdue review stamped today, the authority block a classified plan lacks).

use jiff::civil::Date;
use toml_edit::{InlineTable, Item, Value};

use super::change::Change;
use super::rename::rewrite_list;
use super::value;
use crate::check::diagnostic::Diagnostic;
use crate::plan::catalog;
use crate::plan::document::{Edit, PlanDocument};
use crate::plan::marking;
use crate::plan::model::{Node, Plan, val};
use crate::plan::schema::TableKind;

/// A diagnostic without a mechanical fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} has no mechanical fix: {}", help.as_deref().unwrap_or("see `scplan explain`"))]
pub struct NoFix {
    /// The rule.
    pub code: &'static str,
    /// The diagnostic's hint, if it has one.
    pub help: Option<String>,
}

/// The fix of `d` (`today` for review dates).
pub fn quick_fix(
    doc: &PlanDocument,
    plan: &Plan,
    d: &Diagnostic,
    today: Date,
) -> Result<Change, NoFix> {
    let no_fix = || NoFix {
        code: d.code,
        help: d.help.clone(),
    };
    let (edit, done) = fix(doc, plan, d, today).ok_or_else(no_fix)?;
    Ok(Change::new(edit, format!("fixed {}: {done}", d.code)))
}

/// The edit and what it does.
fn fix(doc: &PlanDocument, plan: &Plan, d: &Diagnostic, today: Date) -> Option<(Edit, String)> {
    let node = d.target.node?;
    match d.code {
        "SCP202" => {
            let portions: Vec<marking::Marking> = plan
                .portions()
                .iter()
                .filter_map(|p| {
                    p.portion
                        .marking_text()
                        .and_then(|m| marking::parse_portion(m).ok())
                })
                .collect();
            let banner = marking::roll_up(&portions, plan.meta.profile());
            Some((
                Edit::SetField {
                    node: Node::Plan,
                    field: "marking".to_string(),
                    value: Some(Value::from(banner.as_str())),
                },
                format!("banner set to {banner}"),
            ))
        }
        "SCP103" => {
            let ids: Vec<&str> = plan
                .priorities
                .iter()
                .filter_map(|p| val(&p.id).map(String::as_str))
                .collect();
            let Some(Item::Value(Value::Array(array))) = doc.get(node, "priorities") else {
                return None;
            };
            let dangling = array
                .iter()
                .filter_map(|v| v.as_str())
                .find(|s| !ids.contains(s))?;
            let best = catalog::closest(dangling, ids.iter().copied())?;
            let edit = rewrite_list(doc, node, "priorities", dangling, Some(best))?;
            Some((edit, format!("{dangling} replaced by {best}")))
        }
        "SCP211" => Some(authority_keys(plan, d)),
        "SCP301" => Some((
            Edit::SetField {
                node,
                field: "last_reviewed".to_string(),
                value: Some(value::date(today)),
            },
            format!("{} marked reviewed {today}", d.item),
        )),
        _ => None,
    }
}

/// The keys an authority block needs, blank for the planner to fill: the whole block when it
/// is missing, else the part the diagnostic names.
fn authority_keys(plan: &Plan, d: &Diagnostic) -> (Edit, String) {
    const KEYS: [&str; 3] = ["classified_by", "derived_from", "declassify_on"];
    if plan.meta.authority.is_none() {
        let mut block = InlineTable::new();
        for key in KEYS {
            block.insert(key, Value::from(""));
        }
        let edit = Edit::SetField {
            node: Node::Plan,
            field: TableKind::Authority.key().to_string(),
            value: Some(Value::InlineTable(block)),
        };
        return (edit, "added [plan.authority] to fill in".to_string());
    }
    let key = d
        .target
        .field
        .as_deref()
        .filter(|f| KEYS.contains(f))
        .unwrap_or(KEYS[0]);
    let edit = Edit::SetField {
        node: Node::Authority,
        field: key.to_string(),
        value: Some(Value::from("")),
    };
    (edit, format!("added {key} to [plan.authority] to fill in"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_bytes};

    #[test]
    fn fixable_diagnostics_are_fixed_and_others_say_why_not() {
        let bytes = include_bytes!("../../tests/fixtures/rules/SCP301-fires.toml");
        let diagnostics = check_bytes(bytes, &Settings::default())
            .unwrap()
            .diagnostics;
        let d = diagnostics.iter().find(|d| d.code == "SCP301").unwrap();
        let mut doc = PlanDocument::from_bytes(bytes).unwrap();
        let plan = doc.load().plan;
        let today = jiff::civil::date(2026, 11, 28);
        let change = quick_fix(&doc, &plan, d, today).unwrap();
        assert!(
            change.message.starts_with("fixed SCP301: "),
            "{}",
            change.message
        );
        assert!(change.message.ends_with("marked reviewed 2026-11-28"));
        doc.apply(change.edit).unwrap();
        let fixed = check_bytes(&doc.to_bytes(), &Settings::default()).unwrap();
        assert!(!fixed.diagnostics.iter().any(|d| d.code == "SCP301"));

        let mut other = d.clone();
        other.code = "SCP102";
        other.help = None;
        let err = quick_fix(&doc, &plan, &other, today).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SCP102 has no mechanical fix: see `scplan explain`"
        );
    }

    #[test]
    fn a_classified_plan_gets_the_authority_keys_it_lacks() {
        let settings = Settings {
            system_high: crate::plan::marking::Level::Ts,
        };
        for fixture in [
            &include_bytes!("../../tests/fixtures/rules/SCP211-fires-2.toml")[..],
            &include_bytes!("../../tests/fixtures/rules/SCP211-fires.toml")[..],
        ] {
            let mut doc = PlanDocument::from_bytes(fixture).unwrap();
            let today = jiff::civil::date(2026, 11, 28);
            let scp211 = |bytes: &[u8]| -> Vec<Diagnostic> {
                let checked = check_bytes(bytes, &settings).unwrap();
                checked
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.code == "SCP211")
                    .collect()
            };
            let before = scp211(fixture);
            assert!(!before.is_empty());
            for d in before {
                let plan = doc.load().plan;
                let change = quick_fix(&doc, &plan, &d, today).unwrap();
                doc.apply(change.edit).unwrap();
            }
            let bytes = doc.to_bytes();
            assert!(
                scp211(&bytes).is_empty(),
                "{}",
                String::from_utf8_lossy(&bytes)
            );
            // What is left is for the planner to fill: blank texts.
            let checked = check_bytes(&bytes, &settings).unwrap();
            assert!(checked.diagnostics.iter().any(|d| d.code == "SCP009"));
        }
    }
}
