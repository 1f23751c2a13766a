//! Paths of `scplan get` / `scplan set`: `plan.FIELD`, `priority.ID.FIELD`,
//! `country.CODE.FIELD`, `objective.ID.FIELD`, ... and the type check of a value for a field.

use toml_edit::Value;

use super::document::ItemPath;
use super::schema::{FieldSpec, FieldType, TableKind};

/// A parsed field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// The item.
    pub item: ItemPath,
    /// The kind of table it is.
    pub kind: TableKind,
    /// The key.
    pub field: String,
}

/// Why a path or a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The path does not have the form KIND.ID.FIELD.
    #[error(
        "`{0}` is not a path: write plan.FIELD, plan.cui.FIELD, plan.authority.FIELD, priority.ID.FIELD, country.CODE.FIELD, or objective|agreement|actor|investment_pool.ID.FIELD"
    )]
    Malformed(String),
    /// The field is not a key of that table.
    #[error("`{field}` is not a field of {header}; its fields: {known}")]
    UnknownField {
        /// The field.
        field: String,
        /// The table's header.
        header: &'static str,
        /// Its known fields.
        known: String,
    },
    /// The value has the wrong type for the field.
    #[error("`{field}` must be {expected}")]
    WrongType {
        /// The field.
        field: String,
        /// What it takes.
        expected: &'static str,
    },
}

impl FieldPath {
    /// Parses a path.
    pub fn parse(path: &str) -> Result<FieldPath, PathError> {
        let malformed = || PathError::Malformed(path.to_string());
        let (head, rest) = path.split_once('.').ok_or_else(malformed)?;
        let (item, kind, field) = if head == "plan" {
            if let Some(field) = rest.strip_prefix("cui.") {
                (ItemPath::Cui, TableKind::Cui, field)
            } else if let Some(field) = rest.strip_prefix("authority.") {
                (ItemPath::Authority, TableKind::Authority, field)
            } else {
                (ItemPath::Plan, TableKind::Plan, rest)
            }
        } else {
            let (id, field) = rest.rsplit_once('.').ok_or_else(malformed)?;
            if id.is_empty() {
                return Err(malformed());
            }
            let id = id.to_string();
            let (item, kind) = match head {
                "priority" => (ItemPath::Priority(id), TableKind::Priority),
                "country" => (ItemPath::Country(id), TableKind::Country),
                "objective" => (ItemPath::Objective(id), TableKind::Objective),
                "agreement" => (ItemPath::Agreement(id), TableKind::Agreement),
                "actor" => (ItemPath::Actor(id), TableKind::Actor),
                "investment_pool" | "pool" => (ItemPath::Pool(id), TableKind::Pool),
                _ => return Err(malformed()),
            };
            (item, kind, field)
        };
        if field.is_empty() || field.contains('.') {
            return Err(malformed());
        }
        let path = FieldPath {
            item,
            kind,
            field: field.to_string(),
        };
        path.spec()?;
        Ok(path)
    }

    /// The spec of the field; [`PathError::UnknownField`] when its table has no such key (a
    /// path built by hand rather than parsed).
    pub fn spec(&self) -> Result<&'static FieldSpec, PathError> {
        self.kind
            .field(&self.field)
            .ok_or_else(|| PathError::UnknownField {
                field: self.field.clone(),
                header: self.kind.header(),
                known: self
                    .kind
                    .fields()
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// Whether `value` has the type `spec` takes (enumeration membership is a rule, not a type).
pub fn check_type(spec: &FieldSpec, value: &Value) -> Result<(), PathError> {
    let ok = match (spec.ty, value) {
        (FieldType::Text | FieldType::Enum(_), Value::String(_)) => true,
        (FieldType::Integer, Value::Integer(_)) => true,
        (FieldType::Percent, Value::Integer(i)) => (0..=100).contains(i.value()),
        (FieldType::Bool, Value::Boolean(_)) => true,
        (FieldType::DateOrText, Value::String(_)) => true,
        (FieldType::Date | FieldType::DateOrText, Value::Datetime(dt)) => {
            let dt = dt.value();
            dt.date.is_some() && dt.time.is_none() && dt.offset.is_none()
        }
        (ty, Value::Array(array)) if ty.is_list() => array.iter().all(|v| v.is_str()),
        (FieldType::Stamps, Value::InlineTable(table)) => table.iter().all(|(_, v)| v.is_str()),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(PathError::WrongType {
            field: spec.name.to_string(),
            expected: spec.ty.describe(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse() {
        let p = FieldPath::parse("objective.POL-ST-1.text").unwrap();
        assert_eq!(p.item, ItemPath::Objective("POL-ST-1".into()));
        assert_eq!(
            FieldPath::parse("plan.cui.poc").unwrap().item,
            ItemPath::Cui
        );
        assert_eq!(
            FieldPath::parse("plan.marking").unwrap().kind,
            TableKind::Plan
        );
        assert!(matches!(
            FieldPath::parse("priority.SP-1.titel"),
            Err(PathError::UnknownField { .. })
        ));
        assert!(FieldPath::parse("plan").is_err());
        assert!(FieldPath::parse("widget.X.name").is_err());
        assert!(FieldPath::parse("priority..title").is_err());
    }

    #[test]
    fn types_are_checked() {
        let spec = TableKind::Agreement.field("last_reviewed").unwrap();
        assert!(check_type(spec, &"2026-01-02".parse().unwrap()).is_ok());
        assert!(check_type(spec, &"\"2026-01-02\"".parse().unwrap()).is_err());
        assert!(check_type(spec, &"2026-01-02T10:00:00".parse().unwrap()).is_err());
        let spec = TableKind::Objective.field("priorities").unwrap();
        assert!(check_type(spec, &"[\"SP-1\"]".parse().unwrap()).is_ok());
        assert!(check_type(spec, &"[1]".parse().unwrap()).is_err());
        let spec = TableKind::Objective.field("reviewed_links").unwrap();
        assert!(check_type(spec, &"{ SP-1 = \"0123abcd\" }".parse().unwrap()).is_ok());
        assert!(check_type(spec, &"{ SP-1 = 1 }".parse().unwrap()).is_err());
        assert!(check_type(spec, &"\"0123abcd\"".parse().unwrap()).is_err());
    }
}
