//! Arrays of strings changed entry by entry, as a planner would edit them by hand: entries kept
//! keep their spacing and comments, a new entry takes the layout of its neighbours (its own
//! line in an array written one entry per line), and an entry removed takes its own line's
//! comment with it, never its neighbour's.
//!
//! In toml_edit's model the comment after an entry's comma is the next entry's prefix (or the
//! array's trailing text after the last entry): the prefix before its last line break belongs
//! to the line above, the rest is the entry's own indentation.

use similar::{Algorithm, DiffOp, capture_diff_slices};
use toml_edit::{Array, Value};

/// `old` changed to hold `new`, entry by entry (see the module's doc); `None` when `old`
/// holds something other than strings.
pub fn relist(old: &Array, new: &[&str]) -> Option<Array> {
    let had: Vec<&str> = old.iter().map(Value::as_str).collect::<Option<_>>()?;
    let mut out = old.clone();
    let ops = capture_diff_slices(Algorithm::Myers, &had, new);
    // From the end, so that the indices of what comes before stay right.
    for op in ops.iter().rev() {
        match *op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index..old_index + old_len)
                .rev()
                .for_each(|i| remove(&mut out, i)),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => new[new_index..new_index + new_len]
                .iter()
                .rev()
                .for_each(|s| insert(&mut out, old_index, s)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let same = old_len.min(new_len);
                for k in (same..old_len).rev() {
                    remove(&mut out, old_index + k);
                }
                for s in new[new_index + same..new_index + new_len].iter().rev() {
                    insert(&mut out, old_index + same, s);
                }
                for k in 0..same {
                    replace(&mut out, old_index + k, new[new_index + k]);
                }
            }
        }
    }
    Some(out)
}

/// Appends `s` in the layout of the entries before it.
pub fn push(array: &mut Array, s: &str) {
    insert(array, array.len(), s);
}

/// Removes the entry at `index`, its own line's comment with it.
pub fn remove(array: &mut Array, index: usize) {
    if index >= array.len() {
        return;
    }
    let removed = array.remove(index);
    let prefix = text(removed.decor().prefix());
    let after = match array.get(index) {
        Some(next) => text(next.decor().prefix()),
        None => array.trailing().as_str().unwrap_or("").to_string(),
    };
    let joined = match (prefix.rfind('\n'), after.rfind('\n')) {
        // The line above keeps its comment; the line below keeps its own indentation.
        (Some(nl), Some(at)) => format!("{}{}", &prefix[..nl], &after[at..]),
        (Some(_), None) => prefix,
        // The new first entry takes the removed one's leading space.
        (None, _) if index == 0 => prefix,
        (None, _) => after,
    };
    match array.get_mut(index) {
        Some(next) => next.decor_mut().set_prefix(joined),
        None => array.set_trailing(joined),
    }
}

/// Inserts `s` at `index`, laid out as the entry it goes before (or, at the end, the last).
fn insert(array: &mut Array, index: usize, s: &str) {
    let mut value = Value::from(s);
    value.decor_mut().set_suffix("");
    let Some(neighbour) = array
        .get(index)
        .or_else(|| array.get(array.len().wrapping_sub(1)))
    else {
        array.push(s);
        return;
    };
    let beside = text(neighbour.decor().prefix());
    let own_line = beside.rfind('\n').map(|nl| beside[nl..].to_string());
    if index < array.len() {
        // Before an entry: the new one takes its place (and the comment of the line above);
        // it keeps its own line or its space.
        value.decor_mut().set_prefix(beside.clone());
        let rest = own_line.unwrap_or_else(|| " ".to_string());
        array.insert_formatted(index, value);
        if let Some(next) = array.get_mut(index + 1) {
            next.decor_mut().set_prefix(rest);
        }
        return;
    }
    match own_line {
        // One entry per line: the new one on a line of its own, after the last line's comment.
        Some(indent) => {
            let trailing = array.trailing().as_str().unwrap_or("").to_string();
            let (comment, end) = trailing
                .rfind('\n')
                .map_or(("", trailing.as_str()), |at| trailing.split_at(at));
            value.decor_mut().set_prefix(format!("{comment}{indent}"));
            let end = end.to_string();
            array.push_formatted(value);
            array.set_trailing(end);
        }
        None => {
            value.decor_mut().set_prefix(" ");
            array.push_formatted(value);
        }
    }
}

/// Replaces the entry at `index` by `s`, its spacing and comments kept.
fn replace(array: &mut Array, index: usize, s: &str) {
    if let Some(old) = array.get_mut(index) {
        let mut value = Value::from(s);
        *value.decor_mut() = old.decor().clone();
        *old = value;
    }
}

/// A prefix's text (empty when none).
fn text(raw: Option<&toml_edit::RawString>) -> String {
    raw.and_then(|r| r.as_str()).unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    /// `relist` of the array `a` of `text` to `new`, printed.
    fn relisted(text: &str, new: &[&str]) -> String {
        let mut doc: DocumentMut = text.parse().unwrap();
        let old = doc["a"].as_array().unwrap().clone();
        let array = relist(&old, new).unwrap();
        let mut value = Value::Array(array);
        *value.decor_mut() = old.decor().clone();
        doc["a"] = toml_edit::Item::Value(value);
        doc.to_string()
    }

    const LINES: &str = "a = [\n    \"SP-1\",  # eastern flank\n    \"SP-3\",  # logistics\n]\n";

    #[test]
    fn an_entry_added_to_an_array_of_lines_gets_a_line_and_every_comment_stays() {
        assert_eq!(
            relisted(LINES, &["SP-1", "SP-3", "SP-2"]),
            "a = [\n    \"SP-1\",  # eastern flank\n    \"SP-3\",  # logistics\n    \"SP-2\",\n]\n"
        );
        assert_eq!(
            relisted(LINES, &["SP-1", "SP-2", "SP-3"]),
            "a = [\n    \"SP-1\",  # eastern flank\n    \"SP-2\",\n    \"SP-3\",  # logistics\n]\n"
        );
    }

    #[test]
    fn an_entry_removed_takes_its_own_comment_and_leaves_the_others() {
        assert_eq!(
            relisted(LINES, &["SP-1"]),
            "a = [\n    \"SP-1\",  # eastern flank\n]\n"
        );
        assert_eq!(
            relisted(LINES, &["SP-3"]),
            "a = [\n    \"SP-3\",  # logistics\n]\n"
        );
        assert_eq!(
            relisted(LINES, &["SP-1", "SP-4"]),
            "a = [\n    \"SP-1\",  # eastern flank\n    \"SP-4\",  # logistics\n]\n"
        );
    }

    #[test]
    fn an_array_on_one_line_stays_on_one_line() {
        let one = "a = [\"x\", \"y\", \"z\"] # kept\n";
        assert_eq!(relisted(one, &["y", "z"]), "a = [\"y\", \"z\"] # kept\n");
        assert_eq!(relisted(one, &["x", "z"]), "a = [\"x\", \"z\"] # kept\n");
        assert_eq!(
            relisted(one, &["w", "x", "y", "z", "v"]),
            "a = [\"w\", \"x\", \"y\", \"z\", \"v\"] # kept\n"
        );
        assert_eq!(relisted("a = []\n", &["x", "y"]), "a = [\"x\", \"y\"]\n");
        assert_eq!(relisted(one, &[]), "a = [] # kept\n");
    }
}
