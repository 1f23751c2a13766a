//! Values that both sides changed differently and that still merge: the arrays of strings the
//! format holds as sets (priority links, technology areas, governance links, strengths, CUI
//! categories: the removals and additions of both sides, in ours' order with theirs' additions
//! after), and inline tables such as review stamps, key by key. Anything else is a conflict.

use toml_edit::{Array, Decor, InlineTable, Item, Key, Value};

use super::compare::{same_entries, same_value};
use super::lines::Lines;
use super::render::raw_text;
use crate::plan::schema::TableKind;

/// The merge of a value both sides changed differently, when it has one (`None`: a conflict).
/// `theirs` already has its renamed ids.
pub fn merge(
    kind: Option<TableKind>,
    name: &str,
    base: Option<&Item>,
    ours: &Item,
    theirs: &Item,
) -> Option<Item> {
    let (Item::Value(o), Item::Value(t)) = (ours, theirs) else {
        return None;
    };
    let b = match base {
        Some(Item::Value(b)) => Some(b),
        Some(_) => return None,
        None => None,
    };
    let merged = match (b, o, t) {
        (None | Some(Value::Array(_)), Value::Array(oa), Value::Array(ta))
            if is_set(kind, name) =>
        {
            let ba = b.and_then(Value::as_array);
            Value::Array(merge_set(ba, oa, ta)?)
        }
        (Some(Value::Array(ba)), Value::Array(oa), Value::Array(ta))
            if is_collection(kind, name) =>
        {
            Value::Array(merge_items(ba, oa, ta)?)
        }
        (None | Some(Value::InlineTable(_)), Value::InlineTable(ot), Value::InlineTable(tt)) => {
            let bt = b.and_then(Value::as_inline_table);
            Value::InlineTable(merge_inline(bt, ot, tt)?)
        }
        _ => return None,
    };
    Some(Item::Value(merged))
}

/// Whether the key of a table of `kind` holds a set of strings.
fn is_set(kind: Option<TableKind>, name: &str) -> bool {
    kind.and_then(|k| k.field(name))
        .is_some_and(|spec| spec.ty.is_list())
}

/// Whether the key of a table of `kind` holds a collection (written inline here).
fn is_collection(kind: Option<TableKind>, name: &str) -> bool {
    kind.is_some_and(|k| k.children().iter().any(|c| c.key() == name))
}

/// A collection written as an array of inline tables (`indicator = [{ .. }, { .. }]`), the
/// base's items in the same places on both sides: each merged key by key with the item in
/// its place, then the items either side added after them (ours' first, as for tables).
/// `None` (a conflict) when an item was removed or moved, or one key of one item was changed
/// differently on both sides.
fn merge_items(base: &Array, ours: &Array, theirs: &Array) -> Option<Array> {
    let n = base.len();
    if ours.len() < n || theirs.len() < n {
        return None;
    }
    let mut out = ours.clone();
    for added in theirs.iter().skip(n) {
        let again = ours.iter().skip(n).any(|o| {
            matches!((o, added), (Value::InlineTable(a), Value::InlineTable(b)) if same_entries(a, b))
        });
        if !again {
            out.push_formatted(added.clone());
        }
    }
    for (i, slot) in out.iter_mut().enumerate().take(n) {
        let (b, t) = (
            base.get(i)?.as_inline_table()?,
            theirs.get(i)?.as_inline_table()?,
        );
        let Value::InlineTable(o) = slot else {
            return None;
        };
        *o = merge_inline(Some(b), o, t)?;
    }
    Some(out)
}

/// The entries of an array when they are all strings.
fn strings(array: &Array) -> Option<Vec<&str>> {
    array.iter().map(Value::as_str).collect()
}

/// Ours' array without what theirs removed, then what theirs added, in theirs' order. An
/// array written one entry per line keeps each entry's comment with it ([`Lines`]).
fn merge_set(base: Option<&Array>, ours: &Array, theirs: &Array) -> Option<Array> {
    let b = match base {
        Some(a) => strings(a)?,
        None => Vec::new(),
    };
    let (o, t) = (strings(ours)?, strings(theirs)?);
    let removed: Vec<&str> = b.iter().copied().filter(|x| !t.contains(x)).collect();
    let mut added: Vec<usize> = Vec::new();
    for (i, s) in t.iter().enumerate() {
        if !b.contains(s) && !o.contains(s) && !added.iter().any(|&a| t[a] == *s) {
            added.push(i);
        }
    }
    let is_removed = |value: &Value| value.as_str().is_some_and(|s| removed.contains(&s));
    if let Some(mut lines) = Lines::of(ours) {
        lines.entries.retain(|e| !is_removed(&e.value));
        let theirs_lines = Lines::of(theirs);
        for i in added {
            let entry = match theirs_lines.as_ref().and_then(|l| l.entries.get(i)) {
                Some(entry) => entry.clone(),
                None => lines.entry_like_last(theirs.get(i)?.clone()),
            };
            lines.entries.push(entry);
        }
        return Some(lines.into_array());
    }
    let mut out = ours.clone();
    let mut i = 0;
    while i < out.len() {
        if out.get(i).is_some_and(is_removed) {
            remove_element(&mut out, i);
        } else {
            i += 1;
        }
    }
    for i in added {
        push_like_last(&mut out, theirs.get(i)?.clone());
    }
    Some(out)
}

/// Removes an entry; the entries around it take over the spacing at the array's ends.
fn remove_element(array: &mut Array, index: usize) {
    let removed = array.remove(index);
    if index == 0 {
        if let Some(first) = array.get_mut(0) {
            first
                .decor_mut()
                .set_prefix(raw_text(removed.decor().prefix()));
        }
    } else if index == array.len()
        && let Some(last) = array.get_mut(index - 1)
    {
        last.decor_mut()
            .set_suffix(raw_text(removed.decor().suffix()));
    }
}

/// Appends an entry laid out like the last one: on its own line when that one is, else after
/// ", "; the space before `]` moves to the new last entry.
fn push_like_last(array: &mut Array, mut value: Value) {
    let count = array.len();
    let Some(last) = array.get_mut(count.wrapping_sub(1)) else {
        value.decor_mut().clear();
        array.push(value);
        return;
    };
    let prefix = raw_text(last.decor().prefix());
    let prefix = if prefix.contains('\n') {
        prefix.to_string()
    } else {
        " ".to_string()
    };
    let suffix = raw_text(last.decor().suffix()).to_string();
    last.decor_mut().set_suffix("");
    *value.decor_mut() = Decor::new(prefix, suffix);
    array.push_formatted(value);
}

/// Ours' inline table with theirs' changes of the keys ours left alone; `None` when both
/// changed one key differently.
fn merge_inline(
    base: Option<&InlineTable>,
    ours: &InlineTable,
    theirs: &InlineTable,
) -> Option<InlineTable> {
    let empty = InlineTable::new();
    let base = base.unwrap_or(&empty);
    let mut out = ours.clone();
    for (name, o) in ours.iter() {
        match (base.get(name), theirs.get(name)) {
            (Some(b), Some(t)) if !same_value(b, t) && !same_value(o, t) => {
                if !same_value(b, o) {
                    return None;
                }
                if let Some(slot) = out.get_mut(name) {
                    let decor = slot.decor().clone();
                    *slot = t.clone();
                    *slot.decor_mut() = decor;
                }
            }
            (Some(b), None) => {
                if !same_value(b, o) {
                    return None;
                }
                remove_inline(&mut out, name);
            }
            (None, Some(t)) if !same_value(o, t) => return None,
            _ => {}
        }
    }
    for (name, t) in theirs.iter() {
        if ours.contains_key(name) {
            continue;
        }
        match base.get(name) {
            Some(b) if same_value(b, t) => {}
            Some(_) => return None,
            None => {
                let key = theirs.key(name).cloned().unwrap_or_else(|| Key::new(name));
                append_inline(&mut out, key, t.clone());
            }
        }
    }
    Some(out)
}

/// Removes a key; its neighbours take over the spacing at the table's ends.
fn remove_inline(table: &mut InlineTable, name: &str) {
    let names: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let Some(index) = names.iter().position(|n| n == name) else {
        return;
    };
    let Some((key, value)) = table.remove_entry(name) else {
        return;
    };
    if index == 0
        && let Some(mut first) = names.get(1).and_then(|n| table.key_mut(n))
    {
        first
            .leaf_decor_mut()
            .set_prefix(raw_text(key.leaf_decor().prefix()));
    }
    if index + 1 == names.len()
        && index > 0
        && let Some(last) = names.get(index - 1).and_then(|n| table.get_mut(n))
    {
        last.decor_mut()
            .set_suffix(raw_text(value.decor().suffix()));
    }
}

/// Appends `key = value` laid out like the last entry; the space before `}` moves to it.
fn append_inline(table: &mut InlineTable, mut key: Key, mut value: Value) {
    let last = table.iter().last().map(|(k, _)| k.to_string());
    let last_key = last.as_deref().and_then(|n| table.key(n)).cloned();
    match (last.as_deref().and_then(|n| table.get_mut(n)), last_key) {
        (Some(previous), Some(previous_key)) => {
            let suffix = raw_text(previous.decor().suffix()).to_string();
            let prefix = raw_text(previous.decor().prefix()).to_string();
            previous.decor_mut().set_suffix("");
            *key.leaf_decor_mut() = previous_key.leaf_decor().clone();
            *value.decor_mut() = Decor::new(prefix, suffix);
        }
        _ => {
            key.leaf_decor_mut().clear();
            value.decor_mut().clear();
        }
    }
    table.insert_formatted(&key, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    fn value(text: &str) -> Item {
        let doc: DocumentMut = format!("x = {text}").parse().unwrap();
        doc.get("x").unwrap().clone()
    }

    fn set(base: &str, ours: &str, theirs: &str) -> Option<String> {
        let b = value(base);
        merge(
            Some(TableKind::Objective),
            "priorities",
            Some(&b),
            &value(ours),
            &value(theirs),
        )
        .map(|item| item.to_string().trim_start().to_string())
    }

    #[test]
    fn links_merge_as_sets_in_ours_order_then_theirs_additions() {
        assert_eq!(
            set(
                r#"["SP-1", "SP-2"]"#,
                r#"["SP-2", "SP-1", "SP-3"]"#,
                r#"["SP-1", "SP-4"]"#
            )
            .as_deref(),
            Some(r#"["SP-1", "SP-3", "SP-4"]"#)
        );
        assert_eq!(
            set(
                r#"["SP-1"]"#,
                r#"[ "SP-1", "SP-2" ]"#,
                r#"["SP-1", "SP-3"]"#
            )
            .as_deref(),
            Some(r#"[ "SP-1", "SP-2", "SP-3" ]"#)
        );
        assert_eq!(
            set("[\"SP-1\"]", "[\n  \"SP-1\",\n  \"SP-2\",\n]", "['SP-3']").as_deref(),
            Some("[\n  \"SP-2\",\n  'SP-3',\n]")
        );
        assert_eq!(set("[1]", "[1, 2]", "[1, 3]"), None);
    }

    #[test]
    fn inline_items_in_their_places_merge_key_by_key() {
        let indicators = |x: &str, y: &str| {
            value(&format!(
                "[\n  {{ name = 'X', baseline = '{x}' }},\n  {{ name = 'Y', target = '{y}' }},\n]"
            ))
        };
        let merged = |ours: &Item, theirs: &Item| {
            merge(
                Some(TableKind::Objective),
                "indicator",
                Some(&indicators("0", "2")),
                ours,
                theirs,
            )
            .map(|item| item.to_string())
        };
        assert_eq!(
            merged(&indicators("0", "3"), &indicators("7", "2")),
            Some(indicators("7", "3").to_string())
        );
        assert_eq!(merged(&indicators("1", "2"), &indicators("7", "2")), None);
        let one_more = value("[{ name = 'X', baseline = '7' }, { name = 'Y' }, { name = 'Z' }]");
        assert_eq!(merged(&indicators("0", "3"), &one_more), None);
    }

    #[test]
    fn other_arrays_are_not_sets() {
        let b = value("['a']");
        let merged = merge(
            Some(TableKind::Objective),
            "text",
            Some(&b),
            &value("['b']"),
            &value("['c']"),
        );
        assert!(merged.is_none());
    }

    #[test]
    fn inline_tables_merge_key_by_key() {
        let b = value("{ SP-1 = 'a' }");
        let merged = merge(
            Some(TableKind::Objective),
            "reviewed_links",
            Some(&b),
            &value("{ SP-1 = 'a', SP-2 = 'b' }"),
            &value("{ SP-1 = 'c', SP-3 = 'd' }"),
        );
        assert_eq!(
            merged
                .map(|i| i.to_string().trim_start().to_string())
                .as_deref(),
            Some("{ SP-1 = 'c', SP-2 = 'b', SP-3 = 'd' }")
        );
        let clash = merge(
            None,
            "x",
            Some(&b),
            &value("{ SP-1 = 'e' }"),
            &value("{ SP-1 = 'c' }"),
        );
        assert!(clash.is_none());
    }
}
