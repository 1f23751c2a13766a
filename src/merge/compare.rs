//! Two ways of comparing parts of TOML documents: by their text (what a side changed, comments
//! and spacing included, so that a change of formatting is carried over too) and by their data
//! (whether two sides made the same change, however each wrote it). Neither allocates for
//! parsed documents, whose every piece keeps its source text.

use toml_edit::{ArrayOfTables, Decor, InlineTable, Item, Key, RawString, Table, TableLike, Value};

/// The text of a raw string (`None` for one that was never written).
fn raw(raw: Option<&RawString>) -> Option<&str> {
    raw.and_then(RawString::as_str)
}

/// Whether two decors are written the same.
pub fn same_decor(a: &Decor, b: &Decor) -> bool {
    raw(a.prefix()) == raw(b.prefix()) && raw(a.suffix()) == raw(b.suffix())
}

/// Whether two keys are written the same: spelling, quoting and the space around them.
pub fn same_key_text(a: &Key, b: &Key) -> bool {
    a.display_repr() == b.display_repr()
        && same_decor(a.leaf_decor(), b.leaf_decor())
        && same_decor(a.dotted_decor(), b.dotted_decor())
}

/// Whether two values are written the same, their decor (spacing, trailing comment) included.
pub fn same_value_text(a: &Value, b: &Value) -> bool {
    if !same_decor(a.decor(), b.decor()) {
        return false;
    }
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.display_repr() == y.display_repr(),
        (Value::Integer(x), Value::Integer(y)) => x.display_repr() == y.display_repr(),
        (Value::Float(x), Value::Float(y)) => x.display_repr() == y.display_repr(),
        (Value::Boolean(x), Value::Boolean(y)) => x.display_repr() == y.display_repr(),
        (Value::Datetime(x), Value::Datetime(y)) => x.display_repr() == y.display_repr(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.trailing_comma() == y.trailing_comma()
                && raw(Some(x.trailing())) == raw(Some(y.trailing()))
                && x.iter().zip(y.iter()).all(|(p, q)| same_value_text(p, q))
        }
        (Value::InlineTable(x), Value::InlineTable(y)) => same_inline_text(x, y),
        _ => false,
    }
}

/// Whether two inline tables are written the same, key by key in order.
fn same_inline_text(a: &InlineTable, b: &InlineTable) -> bool {
    a.len() == b.len()
        && a.is_dotted() == b.is_dotted()
        && a.trailing_comma() == b.trailing_comma()
        && raw(Some(a.trailing())) == raw(Some(b.trailing()))
        && a.iter().zip(b.iter()).all(|((ka, va), (kb, vb))| {
            ka == kb
                && match (a.key(ka), b.key(kb)) {
                    (Some(x), Some(y)) => same_key_text(x, y),
                    _ => false,
                }
                && same_value_text(va, vb)
        })
}

/// Whether two items are written the same, everything they hold included (the order of the
/// tables in the file aside).
pub fn same_text(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::None, Item::None) => true,
        (Item::Value(x), Item::Value(y)) => same_value_text(x, y),
        (Item::Table(x), Item::Table(y)) => same_table_text(x, y),
        (Item::ArrayOfTables(x), Item::ArrayOfTables(y)) => same_tables_text(x, y),
        _ => false,
    }
}

/// Whether two arrays of tables are written the same, table by table.
fn same_tables_text(a: &ArrayOfTables, b: &ArrayOfTables) -> bool {
    a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| same_table_text(x, y))
}

/// Whether two tables are written the same, with everything inside them.
pub fn same_table_text(a: &Table, b: &Table) -> bool {
    same_decor(a.decor(), b.decor())
        && a.is_implicit() == b.is_implicit()
        && a.is_dotted() == b.is_dotted()
        && a.len() == b.len()
        && a.iter().zip(b.iter()).all(|((ka, ia), (kb, ib))| {
            ka == kb
                && match (a.key(ka), b.key(kb)) {
                    (Some(x), Some(y)) => same_key_text(x, y),
                    _ => false,
                }
                && same_text(ia, ib)
        })
}

/// Whether two items hold the same data, however written: a table and an inline table with
/// the same entries are the same, and so are an array of tables and an array of inline tables.
pub fn same_data(a: &Item, b: &Item) -> bool {
    if let (Some(x), Some(y)) = (a.as_table_like(), b.as_table_like()) {
        return same_entries(x, y);
    }
    match (a, b) {
        (Item::None, Item::None) => true,
        (Item::Value(x), Item::Value(y)) => same_value(x, y),
        (Item::ArrayOfTables(x), Item::ArrayOfTables(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_entries(p, q))
        }
        (Item::ArrayOfTables(tables), Item::Value(Value::Array(values)))
        | (Item::Value(Value::Array(values)), Item::ArrayOfTables(tables)) => {
            tables.len() == values.len()
                && tables.iter().zip(values.iter()).all(|(t, v)| {
                    v.as_inline_table()
                        .is_some_and(|inline| same_entries(t, inline))
                })
        }
        _ => false,
    }
}

/// Whether two tables hold the same keys with the same data, in any order.
pub fn same_entries(a: &dyn TableLike, b: &dyn TableLike) -> bool {
    let count = |t: &dyn TableLike| t.iter().filter(|(_, item)| !item.is_none()).count();
    count(a) == count(b)
        && a.iter()
            .filter(|(_, item)| !item.is_none())
            .all(|(key, item)| b.get(key).is_some_and(|other| same_data(item, other)))
}

/// Whether two values hold the same data.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        // Bit for bit, so that a NaN equals itself and 0.0 differs from -0.0.
        (Value::Float(x), Value::Float(y)) => x.value().to_bits() == y.value().to_bits(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_value(p, q))
        }
        (Value::InlineTable(x), Value::InlineTable(y)) => same_entries(x, y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    fn item(text: &str) -> Item {
        let doc: DocumentMut = text.parse().unwrap();
        doc.as_table().get("x").unwrap().clone()
    }

    #[test]
    fn text_sees_formatting_and_data_does_not() {
        let (a, b) = (item("x = [\"a\", 'b']"), item("x = [ \"a\", \"b\" ] # c"));
        assert!(!same_text(&a, &b));
        assert!(same_data(&a, &b));
        assert!(same_text(&a, &item("x = [\"a\", 'b']")));
        assert!(!same_data(&a, &item("x = [\"a\"]")));
    }

    #[test]
    fn tables_compare_by_entries_however_written() {
        let header = item("[x]\na = 1\nb = \"t\"\n");
        let inline = item("x = { b = 't', a = 1 }");
        assert!(same_data(&header, &inline));
        assert!(!same_text(&header, &inline));
        assert!(!same_data(&header, &item("x = { a = 1 }")));
        let tables = item("[[x]]\na = 1\n[[x]]\na = 2\n");
        assert!(same_data(&tables, &item("x = [{ a = 1 }, { a = 2 }]")));
        assert!(!same_data(&tables, &item("x = [{ a = 2 }, { a = 1 }]")));
    }
}
