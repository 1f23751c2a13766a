//! One field of a plan addressed by its path (`plan.FIELD`, `objective.ID.FIELD`, ...): the
//! value typed for it, reading it from and setting it in a [`PlanDocument`], and the findings
//! a change leaves on its item. `scplan get` and `scplan set` are these functions with a file
//! around them.

use toml_edit::{Item, Value};

use crate::check::diagnostic::Diagnostic;
use crate::check::{self, CheckError, Checked, Settings};
use crate::plan::document::{DocumentError, Edit, EditError, ItemPath, PlanDocument};
use crate::plan::model::Node;
use crate::plan::path::{FieldPath, PathError, check_type};

/// Why a field could not be read or set; the document is then unchanged.
#[derive(Debug, thiserror::Error)]
pub enum FieldError {
    /// The path, or the value's type for the field, was refused.
    #[error(transparent)]
    Path(#[from] PathError),
    /// The value typed is not a TOML value.
    #[error(
        "`{0}` is not a TOML value; quote text as '\"text\"', write dates bare (2026-11-28) and lists as '[\"SP-1\"]'"
    )]
    NotToml(String),
    /// The plan could not be checked at all (it is over the size limit).
    #[error(transparent)]
    Unreadable(#[from] CheckError),
    /// A marking is above the system high (SCP209): no content of the plan may be copied.
    #[error("{}:{}: {} — refusing to copy content above the system high", .0.loc.line, .0.loc.column, .0.message)]
    AboveSystemHigh(Box<Diagnostic>),
    /// The plan is not a TOML document.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The plan does not parse: the check's SCP001 (an unresolved merge conflict says so).
    #[error("{}:{}: {}", .0.loc.line, .0.loc.column, .0.message)]
    Syntax(Box<Diagnostic>),
    /// The plan has no item where the path points: what was looked for.
    #[error("there is no {0}")]
    NoSuchItem(String),
    /// The field holds a table, not a value.
    #[error("`{0}` is a table, not a value")]
    Table(String),
    /// The field is absent from its table.
    #[error("`{0}` is not set")]
    NotSet(String),
    /// The document refused the edit.
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// Parses `text` as a TOML value for the field at `path` and checks that the field takes
/// its type (whether it is one of an enumeration's values is a rule, checked later).
pub fn parse_value(path: &FieldPath, text: &str) -> Result<Value, FieldError> {
    let value: Value = text
        .parse()
        .map_err(|_| FieldError::NotToml(text.to_string()))?;
    check_type(path.spec()?, &value)?;
    Ok(value)
}

/// Loads a plan's bytes to read or set its fields, refusing a plan with a marking above the
/// system high: a field's value is a copy of its content.
pub fn open(bytes: &[u8], settings: &Settings) -> Result<PlanDocument, FieldError> {
    let checked = check::check_bytes(bytes, settings)?;
    cleared(&checked)?;
    if checked.plan.is_none()
        && let Some(d) = checked.diagnostics.iter().find(|d| d.code == "SCP001")
    {
        return Err(FieldError::Syntax(Box::new(d.clone())));
    }
    Ok(PlanDocument::from_bytes(bytes)?)
}

/// Refuses a checked plan with a marking above the system high (SCP209): none of its
/// content may be copied.
pub fn cleared(checked: &check::Checked) -> Result<(), FieldError> {
    match checked.diagnostics.iter().find(|d| d.code == "SCP209") {
        Some(d) => Err(FieldError::AboveSystemHigh(Box::new(d.clone()))),
        None => Ok(()),
    }
}

/// The table that holds the field at `path`.
pub fn locate(doc: &PlanDocument, path: &FieldPath) -> Result<Node, FieldError> {
    doc.resolve(&path.item).ok_or_else(|| {
        FieldError::NoSuchItem(match &path.item {
            ItemPath::Plan => "[plan]".to_string(),
            ItemPath::Cui => "[plan.cui]".to_string(),
            ItemPath::Authority => "[plan.authority]".to_string(),
            ItemPath::Priority(id)
            | ItemPath::Country(id)
            | ItemPath::Objective(id)
            | ItemPath::Agreement(id)
            | ItemPath::Actor(id)
            | ItemPath::Pool(id) => format!("{} `{id}`", path.kind.noun()),
        })
    })
}

/// The value of the field at `path`, without the whitespace and comments around it.
pub fn get(doc: &PlanDocument, path: &FieldPath) -> Result<Value, FieldError> {
    match doc.get(locate(doc, path)?, &path.field) {
        Some(Item::Value(value)) => {
            let mut value = value.clone();
            value.decor_mut().clear();
            Ok(value)
        }
        Some(_) => Err(FieldError::Table(path.field.clone())),
        None => Err(FieldError::NotSet(path.field.clone())),
    }
}

/// A value as [`get`] gives it, written out: its TOML, or with `raw` a string's contents
/// without quotes or escapes (other types are written as TOML either way).
pub fn render(value: &Value, raw: bool) -> String {
    match (value, raw) {
        (Value::String(s), true) => s.value().clone(),
        _ => value.to_string(),
    }
}

/// The edit that sets the field at `path` to `value` (inserting the key when absent), for a
/// front end that applies and undoes edits its own way. The value's type is checked again,
/// since it may not come from [`parse_value`].
pub fn set_edit(doc: &PlanDocument, path: &FieldPath, value: Value) -> Result<Edit, FieldError> {
    check_type(path.spec()?, &value)?;
    let node = match locate(doc, path) {
        Ok(node) => node,
        Err(missing) => return new_sub_table(doc, path, value).ok_or(missing),
    };
    if doc
        .get(node, &path.field)
        .is_some_and(|item| !item.is_value())
    {
        return Err(FieldError::Table(path.field.clone()));
    }
    // A list's entries kept as written: only those that change do.
    let value = super::value::keep_layout(doc.get(node, &path.field), value);
    Ok(Edit::SetField {
        node,
        field: path.field.clone(),
        value: Some(value),
    })
}

/// The edit that makes `[plan.cui]` or `[plan.authority]`, absent, with the field at `path`
/// set: a header table after `[plan]`'s keys, so that the keys set after it go on lines of
/// their own. `None` for any other path, or without a `[plan]` to hold it.
fn new_sub_table(doc: &PlanDocument, path: &FieldPath, value: Value) -> Option<Edit> {
    let key = match path.item {
        ItemPath::Cui => "cui",
        ItemPath::Authority => "authority",
        _ => return None,
    };
    doc.resolve(&ItemPath::Plan)?;
    if doc.get(Node::Plan, key).is_some() {
        return None;
    }
    let mut table = toml_edit::Table::new();
    table.decor_mut().set_prefix("\n");
    table.insert(&path.field, Item::Value(value));
    Some(Edit::RestoreField {
        node: Node::Plan,
        index: usize::MAX,
        key: toml_edit::Key::new(key),
        item: Item::Table(table),
    })
}

/// Sets the field at `path` to `value`, keeping the rest of the document as it is, and
/// returns the edit that undoes it.
pub fn set(doc: &mut PlanDocument, path: &FieldPath, value: Value) -> Result<Edit, FieldError> {
    let edit = set_edit(doc, path, value)?;
    Ok(doc.apply(edit)?)
}

/// A check with only the diagnostics about the item that holds the field at `path` (`plan`
/// for `[plan]` and its sub-tables) once set to `value`. An id or code set anew names the
/// item by the new one, and the references that still name the old one are about it too
/// (their SCP103 or SCP108).
pub fn only_item(mut checked: Checked, path: &FieldPath, value: &Value) -> Checked {
    let about = about_item(path, value);
    checked.diagnostics.retain(|d| about(d));
    checked
}

/// Whether a diagnostic is about the item that holds the field at `path` once set to
/// `value` (see [`only_item`]).
pub fn about_item<'a>(path: &'a FieldPath, value: &'a Value) -> impl Fn(&Diagnostic) -> bool + 'a {
    let item = item_id(&path.item).unwrap_or("plan");
    let renamed = (path.kind.id_key() == Some(path.field.as_str()))
        .then(|| value.as_str())
        .flatten()
        .filter(|new| *new != item);
    move |d: &Diagnostic| {
        *d.item == *item
            || renamed.is_some_and(|new| *d.item == *new)
            || (renamed.is_some() && d.target.names.as_deref() == Some(item))
    }
}

/// The id or code of the item at `item`; `None` for the plan's own tables, whose
/// diagnostics name `plan`.
pub fn item_id(item: &ItemPath) -> Option<&str> {
    match item {
        ItemPath::Plan | ItemPath::Cui | ItemPath::Authority => None,
        ItemPath::Priority(id)
        | ItemPath::Country(id)
        | ItemPath::Objective(id)
        | ItemPath::Agreement(id)
        | ItemPath::Actor(id)
        | ItemPath::Pool(id) => Some(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::marking::Level;

    const SAMPLE: &[u8] = include_bytes!("../../plans/eucom-sample.toml");

    fn sample() -> PlanDocument {
        open(SAMPLE, &Settings::default()).unwrap()
    }

    fn path(text: &str) -> FieldPath {
        FieldPath::parse(text).unwrap()
    }

    #[test]
    fn values_are_read_as_toml_or_raw() {
        let doc = sample();
        let id = get(&doc, &path("plan.id")).unwrap();
        assert_eq!(render(&id, false), "\"EUCOM-TCP-FY27\"");
        assert_eq!(render(&id, true), "EUCOM-TCP-FY27");
        let priorities = get(&doc, &path("objective.POL-ST-1.priorities")).unwrap();
        assert_eq!(render(&priorities, true), "[\"SP-1\", \"SP-3\"]");
        assert!(matches!(
            get(&doc, &path("country.POL.marking_justification")),
            Err(FieldError::NotSet(_))
        ));
        let missing = get(&doc, &path("agreement.POL-AG-9.kind")).unwrap_err();
        assert_eq!(missing.to_string(), "there is no agreement `POL-AG-9`");
    }

    #[test]
    fn values_are_typed_for_their_field() {
        let signed = path("agreement.POL-AG-1.signed");
        assert!(parse_value(&signed, "2020-01-01").is_ok());
        assert!(matches!(
            parse_value(&signed, "\"2020-01-01\""),
            Err(FieldError::Path(PathError::WrongType { .. }))
        ));
        assert!(matches!(
            parse_value(&signed, "not toml"),
            Err(FieldError::NotToml(_))
        ));
        let mut doc = sample();
        let number = "5".parse().unwrap();
        assert!(set(&mut doc, &path("priority.SP-1.title"), number).is_err());
        assert_eq!(doc.to_bytes(), SAMPLE, "a refused value changes nothing");
    }

    #[test]
    fn a_set_changes_the_field_and_returns_its_undo() {
        let mut doc = sample();
        let kind = path("agreement.POL-AG-1.kind");
        let treaty = parse_value(&kind, "\"treaty\"").unwrap();
        let undo = set(&mut doc, &kind, treaty.clone()).unwrap();
        assert_eq!(render(&get(&doc, &kind).unwrap(), true), "treaty");
        let findings = only_item(
            check::check_bytes(&doc.to_bytes(), &Settings::default()).unwrap(),
            &kind,
            &treaty,
        );
        assert!(findings.diagnostics.iter().any(|d| d.code == "SCP006"));
        assert!(findings.diagnostics.iter().all(|d| &*d.item == "POL-AG-1"));
        doc.apply(undo).unwrap();
        assert_eq!(doc.to_bytes(), SAMPLE);
    }

    #[test]
    fn an_id_set_anew_reports_the_item_by_it_and_the_links_left_naming_the_old() {
        let mut doc = sample();
        let id = path("priority.SP-1.id");
        let new = parse_value(&id, "\"SP-10\"").unwrap();
        set(&mut doc, &id, new.clone()).unwrap();
        let findings = only_item(
            check::check_bytes(&doc.to_bytes(), &Settings::default()).unwrap(),
            &id,
            &new,
        );
        let said: Vec<(&str, &str)> = findings
            .diagnostics
            .iter()
            .map(|d| (d.code, &*d.item))
            .collect();
        assert!(said.contains(&("SCP104", "SP-10")), "{said:?}");
        assert!(said.contains(&("SCP103", "POL-ST-1")), "{said:?}");
        assert!(
            said.iter()
                .all(|(code, item)| *item == "SP-10" || *code == "SCP103")
        );
    }

    #[test]
    fn a_field_of_a_missing_cui_block_makes_the_block() {
        let mut doc = sample();
        let poc = path("plan.cui.poc");
        set(&mut doc, &poc, parse_value(&poc, "\"J5\"").unwrap()).unwrap();
        let by = path("plan.cui.controlled_by");
        set(&mut doc, &by, parse_value(&by, "\"USEUCOM\"").unwrap()).unwrap();
        let text = String::from_utf8(doc.to_bytes()).unwrap();
        assert!(
            text.contains("\n\n[plan.cui]\npoc = \"J5\"\ncontrolled_by = \"USEUCOM\"\n"),
            "{text}"
        );
        let author = path("plan.authority.classified_by");
        set(&mut doc, &author, parse_value(&author, "\"J5\"").unwrap()).unwrap();
        assert_eq!(render(&get(&doc, &author).unwrap(), true), "J5");
    }

    #[test]
    fn a_plan_above_the_system_high_is_not_opened() {
        let secret = String::from_utf8_lossy(SAMPLE).replacen(
            "marking = \"UNCLASSIFIED\"",
            "marking = \"SECRET\"",
            1,
        );
        let settings = Settings {
            system_high: Level::Cui,
        };
        assert!(matches!(
            open(secret.as_bytes(), &settings),
            Err(FieldError::AboveSystemHigh(_))
        ));
    }
}
