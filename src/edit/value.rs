//! A field's value as the text a user reads and types, and back: dates, whole numbers,
//! percentages and lists (one entry a line) from text, with what is wrong with bad text.

use jiff::civil::Date;
use toml_edit::{Item, Value};

use crate::plan::document::lists;
use crate::plan::schema::FieldType;

/// Text that does not stand for a value of the field's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not a date.
    #[error("`{0}` is not a date: write YYYY-MM-DD")]
    Date(String),
    /// Written as a date, of a day no calendar has (`2029-02-30`).
    #[error("`{0}` is no day of the calendar: check the month and the day")]
    NoSuchDay(String),
    /// A whole number outside 0..=100 for a percentage.
    #[error("{0} is not a percentage from 0 to 100")]
    Percent(i64),
    /// Not a whole number.
    #[error("`{0}` is not a whole number")]
    Integer(String),
}

/// The text of a value, entries of a list joined by `separator`; `None` when the key is
/// absent or holds a table.
pub fn as_text(item: Option<&Item>, separator: &str) -> Option<String> {
    Some(match item? {
        Item::Value(Value::String(s)) => s.value().clone(),
        Item::Value(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map_or_else(|| v.to_string().trim().to_string(), str::to_string)
            })
            .collect::<Vec<_>>()
            .join(separator),
        Item::Value(v) => {
            let mut v = v.clone();
            v.decor_mut().clear();
            v.to_string()
        }
        _ => return None,
    })
}

/// The strings a value holds: the string entries of a list, or the one string.
pub fn strings(item: Option<&Item>) -> Vec<String> {
    match item {
        Some(Item::Value(Value::Array(a))) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Item::Value(Value::String(v))) => vec![v.value().clone()],
        _ => Vec::new(),
    }
}

/// `value` to replace what `current` holds: a list of strings changed entry by entry, as a
/// hand would change it (see [`lists::relist`]); anything else as it is.
pub fn keep_layout(current: Option<&Item>, value: Value) -> Value {
    let (Some(Item::Value(Value::Array(old))), Value::Array(new)) = (current, &value) else {
        return value;
    };
    let entries: Option<Vec<&str>> = new.iter().map(Value::as_str).collect();
    match entries.and_then(|entries| lists::relist(old, &entries)) {
        Some(array) => Value::Array(array),
        None => value,
    }
}

/// A TOML local date.
pub fn date(date: Date) -> Value {
    let d = toml_edit::Date {
        year: date.year() as u16,
        month: date.month() as u8,
        day: date.day() as u8,
    };
    Value::from(toml_edit::Datetime {
        date: Some(d),
        time: None,
        offset: None,
    })
}

/// The value that `text` stands for in a field of type `ty`: a list takes one entry a line
/// (blank lines dropped), a date or a number its trimmed text, anything else the text itself.
pub fn parse(ty: FieldType, text: &str) -> Result<Value, ValueError> {
    let trimmed = text.trim();
    match ty {
        FieldType::Date => trimmed.parse::<Date>().map(date).map_err(|_| {
            let shaped = trimmed.len() == 10
                && trimmed.bytes().enumerate().all(|(i, b)| match i {
                    4 | 7 => b == b'-',
                    _ => b.is_ascii_digit(),
                });
            if shaped {
                ValueError::NoSuchDay(trimmed.to_string())
            } else {
                ValueError::Date(trimmed.to_string())
            }
        }),
        // What reads as a date is one; anything else is the event or exemption it names.
        FieldType::DateOrText => Ok(trimmed
            .parse::<Date>()
            .map_or_else(|_| Value::from(text), date)),
        FieldType::Integer | FieldType::Percent => match trimmed.parse::<i64>() {
            Ok(n) if ty == FieldType::Percent && !(0..=100).contains(&n) => {
                Err(ValueError::Percent(n))
            }
            Ok(n) => Ok(Value::from(n)),
            Err(_) => Err(ValueError::Integer(trimmed.to_string())),
        },
        FieldType::TextList => Ok(Value::Array(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect(),
        )),
        _ => Ok(Value::from(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_or_an_event_is_read_as_what_it_is() {
        let date = parse(FieldType::DateOrText, "2051-10-01").unwrap();
        assert!(matches!(date, Value::Datetime(_)));
        let event = parse(FieldType::DateOrText, "25X1, 2061-10-01").unwrap();
        assert_eq!(event.as_str(), Some("25X1, 2061-10-01"));
    }

    #[test]
    fn text_parses_by_type_and_says_what_is_wrong() {
        let date = parse(FieldType::Date, " 2026-10-01 ").unwrap();
        assert_eq!(date.to_string(), "2026-10-01");
        assert_eq!(
            parse(FieldType::Date, "2026-13-01")
                .unwrap_err()
                .to_string(),
            "`2026-13-01` is no day of the calendar: check the month and the day"
        );
        assert_eq!(
            parse(FieldType::Date, "2029-02-30").unwrap_err(),
            ValueError::NoSuchDay("2029-02-30".to_string())
        );
        assert_eq!(
            parse(FieldType::Date, "30.2.2029").unwrap_err().to_string(),
            "`30.2.2029` is not a date: write YYYY-MM-DD"
        );
        assert_eq!(
            parse(FieldType::Percent, "101").unwrap_err(),
            ValueError::Percent(101)
        );
        assert_eq!(
            parse(FieldType::Integer, "x").unwrap_err(),
            ValueError::Integer("x".to_string())
        );
        let list = parse(FieldType::TextList, "a\n\n b \n").unwrap();
        assert_eq!(
            as_text(Some(&Item::Value(list)), "|").as_deref(),
            Some("a|b")
        );
        assert_eq!(parse(FieldType::Text, " x ").unwrap().as_str(), Some(" x "));
    }

    #[test]
    fn strings_are_the_entries_or_the_one_string() {
        let list: Value = ["a", "b"].into_iter().collect::<toml_edit::Array>().into();
        assert_eq!(strings(Some(&Item::Value(list))), ["a", "b"]);
        assert_eq!(strings(Some(&Item::Value(Value::from("c")))), ["c"]);
        assert!(strings(Some(&Item::Value(Value::from(3)))).is_empty());
        assert!(strings(None).is_empty());
        assert_eq!(as_text(None, ","), None);
    }
}
