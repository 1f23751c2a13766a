//! One finding about a plan: code, severity, message, item and location.

use serde::Serialize;

use crate::plan::model::{Loc, Node};

use super::registry;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Keeps the plan from being staffed or exported.
    Error,
    /// Should be fixed or waived.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Where in the document a diagnostic points, so that an editor can jump there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The table, when the diagnostic is about one.
    pub node: Option<Node>,
    /// The key inside it, when the diagnostic is about one.
    pub field: Option<String>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule code, e.g. `SCP102`.
    pub code: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// What is wrong and what to do.
    pub message: String,
    /// A further hint (the closest id, the expected banner), shown as `help:`.
    pub help: Option<String>,
    /// The id, country code or `plan` the finding is about.
    pub item: String,
    /// Line and column.
    pub loc: Loc,
    /// Whether a waiver in force covers it.
    pub waived: bool,
    /// The table and key it is about.
    pub target: Target,
}

impl Diagnostic {
    /// A diagnostic of rule `code`, with the rule's severity.
    pub fn new(code: &'static str, item: impl Into<String>, loc: Loc, message: String) -> Self {
        Diagnostic {
            code,
            severity: registry::severity(code),
            message,
            help: None,
            item: item.into(),
            loc,
            waived: false,
            target: Target::default(),
        }
    }

    /// Adds a `help:` hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Records the table and key the diagnostic is about.
    pub fn at(mut self, node: Node, field: Option<&str>) -> Self {
        self.target = Target {
            node: Some(node),
            field: field.map(str::to_string),
        };
        self
    }
}

/// Sorts diagnostics by line, then column, then code (the order of every report).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.loc.line, a.loc.column, a.code, &a.item).cmp(&(
            b.loc.line,
            b.loc.column,
            b.code,
            &b.item,
        ))
    });
}
