//! Arrays of strings changed entry by entry, as a planner would edit them by hand: entries kept
//! keep their spacing and comments, an entry moved keeps its own (and its quoting), a new entry
//! takes the layout of its neighbours (its own line in an array written one entry per line),
//! and an entry removed takes its own comments with it, never a neighbour's.
//!
//! In toml_edit's model the text before an entry is its prefix (after the last entry, the
//! array's trailing text). Up to the prefix's first line break it is the comment that ends
//! the line above; from there on, it is the entry's own: comment lines above it, and its
//! indentation.

use similar::{Algorithm, DiffOp, capture_diff_slices};
use toml_edit::{Array, Value};

/// `old` changed to hold `new`, entry by entry (see the module's doc); `None` when `old`
/// holds something other than strings.
pub fn relist(old: &Array, new: &[&str]) -> Option<Array> {
    let had: Vec<&str> = old.iter().map(Value::as_str).collect::<Option<_>>()?;
    let mut out = old.clone();
    let ops = capture_diff_slices(Algorithm::Myers, &had, new);
    // The entries that leave their place for another, each with the comment ending its line.
    let mut moving: Vec<Moved> = Vec::new();
    for op in &ops {
        if let DiffOp::Delete {
            old_index, old_len, ..
        }
        | DiffOp::Replace {
            old_index, old_len, ..
        } = *op
        {
            let leaving = (old_index..old_index + old_len).filter(|&i| new.contains(&had[i]));
            moving.extend(leaving.map(|i| Moved::from(old, i)));
        }
    }
    let mut take = |s: &str| {
        let at = moving.iter().position(|m| m.value.as_str() == Some(s))?;
        Some(moving.remove(at))
    };
    // Where in `old` each change is: an insertion's own index is not always that place, so
    // it is the end of what the changes before it took.
    let mut place = 0;
    let placed: Vec<(usize, DiffOp)> = ops
        .iter()
        .map(|op| {
            let at = match *op {
                DiffOp::Insert { .. } => place,
                DiffOp::Equal { old_index, .. }
                | DiffOp::Delete { old_index, .. }
                | DiffOp::Replace { old_index, .. } => old_index,
            };
            place = at + op.old_range().len();
            (at, *op)
        })
        .collect();
    // From the end, so that the indices of what comes before stay right.
    for &(old_index, op) in placed.iter().rev() {
        let (at, gone, come) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete { old_len, .. } => (old_index, old_len, 0..0),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (old_index, 0, new_index..new_index + new_len),
            DiffOp::Replace {
                old_len,
                new_index,
                new_len,
                ..
            } => {
                // In place, an entry changed keeps its spacing and comments; beyond the
                // shorter of the two, entries go or come.
                let same = old_len.min(new_len);
                for i in (old_index + same..old_index + old_len).rev() {
                    remove(&mut out, i);
                }
                for s in new[new_index + same..new_index + new_len].iter().rev() {
                    insert(&mut out, old_index + same, s, take(s));
                }
                for k in (0..same).rev() {
                    let (i, s) = (old_index + k, new[new_index + k]);
                    match take(s) {
                        Some(moved) => {
                            remove(&mut out, i);
                            insert(&mut out, i, s, Some(moved));
                        }
                        None => replace(&mut out, i, s),
                    }
                }
                continue;
            }
        };
        for i in (at..at + gone).rev() {
            remove(&mut out, i);
        }
        for s in new[come].iter().rev() {
            insert(&mut out, at, s, take(s));
        }
    }
    Some(out)
}

/// An entry that leaves its place for another: as written, with the comment that ends its
/// line (none in an array on one line).
struct Moved {
    value: Value,
    comment: Option<String>,
}

impl Moved {
    /// The entry at `i` of `array`.
    fn from(array: &Array, i: usize) -> Moved {
        let after = match array.get(i + 1) {
            Some(next) => text(next.decor().prefix()),
            None => array.trailing().as_str().unwrap_or("").to_string(),
        };
        Moved {
            value: array.get(i).cloned().unwrap_or_else(|| Value::from("")),
            comment: after.find('\n').map(|nl| after[..nl].to_string()),
        }
    }
}

/// Appends `s` in the layout of the entries before it.
pub fn push(array: &mut Array, s: &str) {
    insert(array, array.len(), s, None);
}

/// Removes the entry at `index`, its own comments with it.
pub fn remove(array: &mut Array, index: usize) {
    if index >= array.len() {
        return;
    }
    let removed = array.remove(index);
    // The last entry without a comma after it held what ends the list: the new last does.
    let suffix = text(removed.decor().suffix());
    if index == array.len()
        && !suffix.is_empty()
        && let Some(last) = array.get_mut(index.wrapping_sub(1))
    {
        last.decor_mut().set_suffix(suffix);
    }
    let prefix = text(removed.decor().prefix());
    let after = match array.get(index) {
        Some(next) => text(next.decor().prefix()),
        None => array.trailing().as_str().unwrap_or("").to_string(),
    };
    let joined = match (prefix.find('\n'), after.find('\n')) {
        // The line above keeps its comment; what follows keeps its own lines.
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

/// Inserts `s` at `index` (as `moved`, an entry taken from elsewhere in the array, when it
/// is one), laid out as the entry it goes before (or, at the end, the last).
fn insert(array: &mut Array, index: usize, s: &str, moved: Option<Moved>) {
    let (moved, comment) = match moved {
        Some(m) => (Some(m.value), m.comment),
        None => (None, None),
    };
    // What a moved entry brings of its own: its comment lines and indentation.
    let own = moved
        .as_ref()
        .map(|v| text(v.decor().prefix()))
        .and_then(|p| p.find('\n').map(|nl| p[nl..].to_string()));
    let mut value = moved.unwrap_or_else(|| Value::from(s));
    value.decor_mut().set_suffix("");
    let Some(neighbour) = array
        .get(index)
        .or_else(|| array.get(array.len().wrapping_sub(1)))
    else {
        value.decor_mut().clear();
        array.push_formatted(value);
        tidy_first(array);
        return;
    };
    let beside = text(neighbour.decor().prefix());
    let Some(nl) = beside.find('\n') else {
        // One line: a space before it (none when it goes first), and after it.
        let before = if index < array.len() {
            beside
        } else {
            " ".to_string()
        };
        value.decor_mut().set_prefix(before);
        array.insert_formatted(index, value);
        if let Some(next) = array.get_mut(index + 1) {
            next.decor_mut().set_prefix(" ");
        }
        return;
    };
    // One entry per line: the indentation of the neighbour's own line; a moved entry's
    // comment ends its line again.
    let indent = beside
        .rfind('\n')
        .map_or("", |at| &beside[at..])
        .to_string();
    let own = own.unwrap_or(indent);
    let comment = comment.unwrap_or_default();
    if index < array.len() {
        // It takes the neighbour's place: after the comment ending the line above.
        value
            .decor_mut()
            .set_prefix(format!("{}{own}", &beside[..nl]));
        let rest = format!("{comment}{}", &beside[nl..]);
        array.insert_formatted(index, value);
        if let Some(next) = array.get_mut(index + 1) {
            next.decor_mut().set_prefix(rest);
        }
        return;
    }
    // Last: after the comment ending the last entry's line, before those ending the list.
    // Without a comma after the last entry, what ends the list is that entry's suffix.
    let last = array.len() - 1;
    let suffix = array
        .get(last)
        .map(|v| text(v.decor().suffix()))
        .unwrap_or_default();
    if let Some(last) = array.get_mut(last).filter(|_| !suffix.is_empty()) {
        last.decor_mut().set_suffix("");
        value.decor_mut().set_suffix(suffix);
    }
    let trailing = array.trailing().as_str().unwrap_or("").to_string();
    let (before, end) = trailing
        .find('\n')
        .map_or((trailing.as_str(), ""), |at| trailing.split_at(at));
    value.decor_mut().set_prefix(format!("{before}{own}"));
    let end = format!("{comment}{end}");
    array.push_formatted(value);
    array.set_trailing(end);
}

/// Replaces the entry at `index` by `s`, its spacing and comments kept.
fn replace(array: &mut Array, index: usize, s: &str) {
    if let Some(old) = array.get_mut(index) {
        let mut value = Value::from(s);
        *value.decor_mut() = old.decor().clone();
        *old = value;
    }
}

/// An array that held nothing, given one entry: no space before it.
fn tidy_first(array: &mut Array) {
    if let Some(first) = array.get_mut(0) {
        first.decor_mut().set_prefix("");
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

    /// Comments on lines of their own above the entries.
    const ABOVE: &str =
        "a = [\n  # primary\n  \"SP-1\",\n  # secondary\n  \"SP-2\",\n  # end of list\n]\n";

    #[test]
    fn comments_above_entries_go_with_them() {
        assert_eq!(
            relisted(ABOVE, &["SP-2"]),
            "a = [\n  # secondary\n  \"SP-2\",\n  # end of list\n]\n"
        );
        assert_eq!(
            relisted(ABOVE, &["SP-1"]),
            "a = [\n  # primary\n  \"SP-1\",\n  # end of list\n]\n"
        );
        assert_eq!(
            relisted(ABOVE, &["SP-1", "SP-2", "SP-3"]),
            "a = [\n  # primary\n  \"SP-1\",\n  # secondary\n  \"SP-2\",\n  \"SP-3\",\n  # end of list\n]\n"
        );
    }

    #[test]
    fn an_entry_moved_keeps_its_comment_and_its_quoting() {
        let lines = "a = [\n    \"SP-1\",  # eastern flank\n    'SP-2', # AI\n]\n";
        assert_eq!(
            relisted(lines, &["SP-2", "SP-1"]),
            "a = [\n    'SP-2', # AI\n    \"SP-1\",  # eastern flank\n]\n"
        );
        assert_eq!(
            relisted(ABOVE, &["SP-2", "SP-1"]),
            "a = [\n  # secondary\n  \"SP-2\",\n  # primary\n  \"SP-1\",\n  # end of list\n]\n"
        );
    }

    #[test]
    fn any_change_of_any_layout_holds_what_was_asked_and_reads_again() {
        let layouts = [
            "a = [\n  \"a\",  # one\n  'b', # two\n  \"c\",\n]\n",
            "a = [\n  \"a\",\n  \"b\" # no comma\n]\n",
            "a = [\n  # first\n  \"a\",\n  \"b\",\n  # last\n]\n",
            "a = [\"a\", \"b\", 'c'] # kept\n",
            "a = []\n",
        ];
        let letters = ["a", "b", "c", "d"];
        let mut lists: Vec<Vec<&str>> = vec![Vec::new()];
        for _ in 0..3 {
            let longer: Vec<Vec<&str>> = lists
                .iter()
                .filter(|l| l.len() == lists.last().map_or(0, Vec::len))
                .flat_map(|l| letters.iter().map(move |x| [l.clone(), vec![*x]].concat()))
                .collect();
            lists.extend(longer);
        }
        for layout in layouts {
            for new in &lists {
                let text = relisted(layout, new);
                let doc: DocumentMut = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
                let got: Vec<&str> = doc["a"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                assert_eq!(&got, new, "{layout} -> {text}");
            }
        }
    }

    #[test]
    fn an_array_of_lines_without_a_last_comma_gets_its_new_line_inside() {
        let bare = "a = [\n    \"SP-1\",\n    \"SP-3\"\n]\n";
        assert_eq!(
            relisted(bare, &["SP-1", "SP-3", "SP-4"]),
            "a = [\n    \"SP-1\",\n    \"SP-3\",\n    \"SP-4\"\n]\n"
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
