//! Waivers: which diagnostics may be waived, and the `[[waiver]]` that waives one.

use toml_edit::{Item, Table, Value};

use super::change::Change;
use crate::check::diagnostic::Diagnostic;
use crate::check::registry::Severity;
use crate::plan::document::{Edit, ItemBody};
use crate::plan::model::{Collection, Plan};

/// Why a diagnostic is not waived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WaiveError {
    /// Errors must be fixed.
    #[error("{0} is an error: errors cannot be waived, only fixed")]
    Error(&'static str),
    /// A waiver in force covers it already.
    #[error("{code} on {item} is already waived")]
    Waived {
        /// The rule.
        code: &'static str,
        /// The item.
        item: String,
    },
    /// A waiver says why.
    #[error("a waiver needs a reason")]
    NoReason,
    /// A stale waiver's notice (SCP503) is not waived: a waiver naming it is SCP501.
    #[error("{0} cannot be waived: remove the waiver it reports instead")]
    NotWaivable(&'static str),
}

/// Whether `d` may be waived: a warning or an info not waived yet, other than a stale
/// waiver's notice (SCP503).
pub fn waivable(d: &Diagnostic) -> Result<(), WaiveError> {
    if d.severity == Severity::Error {
        return Err(WaiveError::Error(d.code));
    }
    if d.code == "SCP503" {
        return Err(WaiveError::NotWaivable(d.code));
    }
    if d.waived {
        return Err(WaiveError::Waived {
            code: d.code,
            item: d.item.to_string(),
        });
    }
    Ok(())
}

/// A new waiver of rule `code` on `item` for `reason`, after the other waivers.
pub fn waive(plan: &Plan, code: &str, item: &str, reason: &str) -> Result<Change, WaiveError> {
    if reason.trim().is_empty() {
        return Err(WaiveError::NoReason);
    }
    let mut table = Table::new();
    for (key, value) in [("rule", code), ("item", item), ("reason", reason)] {
        table.insert(key, Item::Value(Value::from(value)));
    }
    let edit = Edit::InsertItem {
        collection: Collection::Waivers,
        index: plan.waivers.len(),
        body: ItemBody::Header(table),
    };
    Ok(Change::new(edit, format!("waived {code} on {item}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_bytes};

    const SAMPLE: &[u8] = include_bytes!("../../plans/eucom-sample.toml");

    #[test]
    fn warnings_are_waived_with_a_reason_errors_never() {
        let diagnostics = check_bytes(SAMPLE, &Settings::default())
            .unwrap()
            .diagnostics;
        let mut d = diagnostics[0].clone();
        d.severity = Severity::Error;
        assert_eq!(waivable(&d), Err(WaiveError::Error(d.code)));
        d.severity = Severity::Warning;
        d.waived = false;
        assert_eq!(waivable(&d), Ok(()));
        d.waived = true;
        assert!(matches!(waivable(&d), Err(WaiveError::Waived { .. })));

        let mut doc = crate::plan::document::PlanDocument::from_bytes(SAMPLE).unwrap();
        let plan = doc.load().plan;
        assert_eq!(
            waive(&plan, "SCP301", "SP-1", " \n").unwrap_err(),
            WaiveError::NoReason
        );
        let change = waive(&plan, "SCP301", "SP-1", "reviewed by J5").unwrap();
        assert_eq!(change.message, "waived SCP301 on SP-1");
        doc.apply(change.edit).unwrap();
        let plan = doc.load().plan;
        let last = plan.waivers.last().unwrap();
        assert_eq!(crate::plan::model::text(&last.reason), "reviewed by J5");
    }
}
