//! What the loader finds wrong with a plan's structure (SCP002-SCP009), before any rule runs:
//! the code, the item, the location and the table and key it is about. `check` gives each its
//! rule's severity.

use std::sync::Arc;

use super::model::{Loc, Node};

/// A finding's text (message, help, item, key): shared, so that copying a finding (the editor
/// derives its list from the findings it keeps after every edit) copies no text.
pub type Text = Arc<str>;

/// Where in the document a finding points, so that an editor can jump there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The table, when the finding is about one.
    pub node: Option<Node>,
    /// The key inside it, when the finding is about one.
    pub field: Option<Text>,
    /// The other item the finding names (the priority of a link, the entry of a list), so
    /// that a partner copy leaves out findings about a withheld one.
    pub names: Option<Text>,
}

/// One structural finding of the loader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule code, e.g. `SCP002`.
    pub code: &'static str,
    /// What is wrong and what to do.
    pub message: Text,
    /// A further hint (the closest key), shown as `help:`.
    pub help: Option<Text>,
    /// The id, country code or `plan` the finding is about.
    pub item: Text,
    /// Line and column.
    pub loc: Loc,
    /// The table and key it is about.
    pub target: Target,
}

impl Finding {
    /// A finding of rule `code`.
    pub fn new(
        code: &'static str,
        item: impl Into<Text>,
        loc: Loc,
        message: impl Into<Text>,
    ) -> Self {
        Finding {
            code,
            message: message.into(),
            help: None,
            item: item.into(),
            loc,
            target: Target::default(),
        }
    }

    /// Adds a `help:` hint.
    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Records the table and key the finding is about.
    pub fn at(mut self, node: Node, field: Option<&str>) -> Self {
        self.target = Target {
            node: Some(node),
            field: field.map(Text::from),
            names: None,
        };
        self
    }

    /// Records the other item the finding names (see [`Target::names`]).
    pub fn naming(mut self, id: &str) -> Self {
        self.target.names = Some(Text::from(id));
        self
    }
}
