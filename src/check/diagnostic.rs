//! One finding about a plan: code, severity, message, item and location.

use crate::plan::finding::{Finding, Target, Text};
use crate::plan::model::{Loc, Node};

use super::registry::{self, Severity};

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule code, e.g. `SCP102`.
    pub code: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// What is wrong and what to do.
    pub message: Text,
    /// A further hint (the closest id, the expected banner), shown as `help:`.
    pub help: Option<Text>,
    /// The id, country code or `plan` the finding is about.
    pub item: Text,
    /// Line and column.
    pub loc: Loc,
    /// Whether a waiver in force covers it.
    pub waived: bool,
    /// The table and key it is about.
    pub target: Target,
}

impl Diagnostic {
    /// A diagnostic of rule `code`, with the rule's severity.
    pub fn new(
        code: &'static str,
        item: impl Into<Text>,
        loc: Loc,
        message: impl Into<Text>,
    ) -> Self {
        Diagnostic {
            code,
            severity: registry::severity(code),
            message: message.into(),
            help: None,
            item: item.into(),
            loc,
            waived: false,
            target: Target::default(),
        }
    }

    /// Adds a `help:` hint.
    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Records the table and key the diagnostic is about.
    pub fn at(mut self, node: Node, field: Option<&str>) -> Self {
        self.target = Target {
            node: Some(node),
            field: field.map(Text::from),
            names: None,
        };
        self
    }

    /// Records the other item the diagnostic names (a linked priority, a list's entry).
    pub fn naming(mut self, id: &str) -> Self {
        self.target.names = Some(Text::from(id));
        self
    }
}

impl From<Finding> for Diagnostic {
    /// A loader's finding with its rule's severity.
    fn from(f: Finding) -> Self {
        Diagnostic {
            code: f.code,
            severity: registry::severity(f.code),
            message: f.message,
            help: f.help,
            item: f.item,
            loc: f.loc,
            waived: false,
            target: f.target,
        }
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
