//! Portion markings nobody can read: unparseable (SCP201), obsolete (SCP208) or not text at all
//! (SCP003). No banner can be computed from them, so no export of any kind is made while one
//! exists, and an editor meanwhile shows the banner that assumes the worst of each.

use crate::plan::marking::{self, ParseError};
use crate::plan::model::{Loc, Plan};

/// Why a portion's marking cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// The marking does not parse (SCP201).
    Unparseable,
    /// The marking is obsolete: FOUO (SCP208).
    Obsolete,
    /// The `marking` key holds something other than a string (SCP003).
    NotText,
}

impl Defect {
    /// The rule that reports the defect.
    pub fn code(self) -> &'static str {
        match self {
            Defect::Unparseable => "SCP201",
            Defect::Obsolete => "SCP208",
            Defect::NotText => "SCP003",
        }
    }
}

/// A portion whose marking cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The item the portion's diagnostics name (its id, else the enclosing item).
    pub item: String,
    /// The kind of table, as a reader says it (`objective`, `barrier`, ...).
    pub noun: &'static str,
    /// The marking as written; `None` when it is not text.
    pub marking: Option<String>,
    /// Where the `marking` key is.
    pub loc: Loc,
    /// What is wrong with it.
    pub defect: Defect,
}

impl Unreadable {
    /// One line for a person: `POL-ST-1 (objective) `SECRETISH` at plan.toml:42:3 (SCP201)`
    /// (without `file`, at `42:3`); the text comes from the file and is made safe to print.
    pub fn describe(&self, file: Option<&str>) -> String {
        let marking = match &self.marking {
            Some(m) => format!("`{}`", crate::text::sanitize(m)),
            None => "a marking that is not text".to_string(),
        };
        let file = file.map(|f| format!("{f}:")).unwrap_or_default();
        format!(
            "{} ({}) {marking} at {file}{}:{} ({})",
            crate::text::sanitize(&self.item),
            self.noun,
            self.loc.line,
            self.loc.column,
            self.defect.code()
        )
    }
}

/// Every portion of `plan` whose marking cannot be read, in document order.
pub fn unreadable(plan: &Plan) -> Vec<Unreadable> {
    plan.portions()
        .into_iter()
        .filter_map(|p| {
            // An absent marking is `U`; only a key that is there can be unreadable.
            let field = p.portion.marking.as_ref()?;
            let defect = match &field.value {
                None => Defect::NotText,
                Some(text) => match marking::parse_portion(text) {
                    Ok(_) => return None,
                    Err(ParseError::Obsolete) => Defect::Obsolete,
                    Err(ParseError::Unparseable(_)) => Defect::Unparseable,
                },
            };
            Some(Unreadable {
                item: p.head.item.clone(),
                noun: p.kind.noun(),
                marking: field.value.clone(),
                loc: field.loc,
                defect,
            })
        })
        .collect()
}

/// The refusal's text, on one line: each marking that cannot be read (at `file:line:col`
/// when the file is named), and what to do.
pub fn refusal(portions: &[Unreadable], file: Option<&str>) -> String {
    let list: Vec<String> = portions.iter().map(|p| p.describe(file)).collect();
    format!(
        "{} portion marking(s) cannot be read: {}; no banner can be computed from markings nobody can read, so fix them first (nothing was exported, not even a draft)",
        portions.len(),
        list.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_bytes};

    fn plan(priority_marking: &str, objective_marking: &str, profile: &str) -> Plan {
        let text = format!(
            r#"[plan]
format = 1
id = "T"
title = "t"
command = "USEUCOM"
version = "1"
effective = 2026-10-01
marking = "CUI"
marking_profile = "{profile}"

[plan.cui]
controlled_by = "c"
categories = ["SP-EXPT"]
poc = "p"

[[priority]]
id = "SP-1"
title = "t"
source = "s"
marking = {priority_marking}

[[country]]
code = "POL"
name = "Poland"

  [[country.objective]]
  id = "POL-ST-1"
  kind = "st"
  text = "x"
  priorities = ["SP-1"]
  tech_areas = ["applied-ai"]
  marking = "{objective_marking}"
"#
        );
        match check_bytes(text.as_bytes(), &Settings::default()) {
            Ok(checked) => checked.plan.unwrap_or_default(),
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn unreadable_markings_are_found_with_item_and_place() {
        let p = plan("\"SERCET//NF\"", "FOUO", "dod");
        let found = unreadable(&p);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].item.as_str(), found[0].defect),
            ("SP-1", Defect::Unparseable)
        );
        assert_eq!(found[0].marking.as_deref(), Some("SERCET//NF"));
        assert_eq!((found[0].loc.line, found[0].loc.column), (20, 1));
        assert_eq!(
            (found[1].item.as_str(), found[1].defect),
            ("POL-ST-1", Defect::Obsolete)
        );
        assert_eq!(
            found[1].describe(None),
            "POL-ST-1 (objective) `FOUO` at 32:3 (SCP208)"
        );
        assert_eq!(
            found[1].describe(Some("p.toml")),
            "POL-ST-1 (objective) `FOUO` at p.toml:32:3 (SCP208)"
        );
        let not_text = unreadable(&plan("3", "U", "dod"));
        assert_eq!(not_text.len(), 1);
        assert_eq!(not_text[0].defect, Defect::NotText);
        assert!(refusal(&not_text, None).contains("fix them first"));
        assert!(unreadable(&plan("\"CUI//SP-EXPT\"", "U", "dod")).is_empty());
    }
}
