//! What every rule family reads besides the plan: the settings and an index of the plan's ids.

use std::collections::HashSet;

use jiff::civil::Date;

use super::Settings;
use crate::plan::model::{Plan, val};

/// The plan, the settings and the ids of the plan, built once per check.
pub struct Context<'a> {
    /// The plan being checked.
    pub plan: &'a Plan,
    /// System high and other settings.
    pub settings: &'a Settings,
    /// Every priority id.
    pub priority_ids: Vec<&'a str>,
    /// Every id and country code in the plan, in document-tree order, for waiver items.
    pub all_ids: Vec<&'a str>,
    /// The same ids, for lookups.
    pub id_set: HashSet<&'a str>,
}

impl<'a> Context<'a> {
    /// Indexes a plan.
    pub fn new(plan: &'a Plan, settings: &'a Settings) -> Self {
        let priority_ids: Vec<&str> = plan
            .priorities
            .iter()
            .filter_map(|p| val(&p.id).map(String::as_str))
            .collect();
        let all_ids: Vec<&str> = plan.ids().collect();
        let id_set = all_ids.iter().copied().collect();
        Context {
            plan,
            settings,
            priority_ids,
            all_ids,
            id_set,
        }
    }

    /// `plan.effective`, when valid.
    pub fn effective(&self) -> Option<Date> {
        val(&self.plan.meta.effective).copied()
    }

    /// `plan.period_end`, when valid.
    pub fn period_end(&self) -> Option<Date> {
        val(&self.plan.meta.period_end).copied()
    }
}
