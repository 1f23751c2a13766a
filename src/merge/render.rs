//! Conflicts written as git writes them. The merged document is printed by toml_edit, so a
//! conflict is put into the text around its smallest span through the decor that toml_edit
//! prints verbatim: the begin marker into the prefix of the entry (or header) kept in the
//! result, the other side's text and the end marker after its last line. The other side's
//! text is printed by toml_edit too, from a scratch document holding only that entry.

use toml_edit::{ArrayOfTables, Decor, DocumentMut, Item, Key, RawString, Table, Value};

use crate::plan::document::clear_positions;

/// The three conflict marker lines, as `git merge-file` writes them.
#[derive(Debug, Clone)]
pub struct Markers {
    /// `<<<<<<< ours`.
    begin: String,
    /// `=======`.
    middle: String,
    /// `>>>>>>> theirs`.
    end: String,
}

impl Markers {
    /// The markers of `size` characters with the sides' labels.
    pub fn new(size: usize, ours: &str, theirs: &str) -> Markers {
        let line = |c: &str, label: &str| {
            let marker = c.repeat(size.max(1));
            if label.is_empty() {
                marker
            } else {
                format!("{marker} {label}")
            }
        };
        Markers {
            begin: line("<", ours),
            middle: "=".repeat(size.max(1)),
            end: line(">", theirs),
        }
    }

    /// What goes before the entry kept in the result, and after its last line (toml_edit then
    /// ends the line): `ours` is whether that entry is ours' side, `other` the other side's
    /// text (whole lines, possibly none).
    pub fn around(&self, ours: bool, other: &str) -> (String, String) {
        let Markers { begin, middle, end } = self;
        if ours {
            (format!("{begin}\n"), format!("\n{middle}\n{other}{end}"))
        } else {
            (format!("{begin}\n{other}{middle}\n"), format!("\n{end}"))
        }
    }

    /// A block of whole lines for text (comments) that both sides changed differently.
    fn block(&self, ours: &str, theirs: &str) -> String {
        format!(
            "{}\n{ours}{}\n{theirs}{}\n",
            self.begin, self.middle, self.end
        )
    }
}

/// Where the begin marker goes in the text above an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Above {
    /// After the comments above it: they are the same on both sides and stay outside.
    Outside,
    /// After the blank lines above it: its comments belong to the entry (a side deleted it).
    Inside,
}

/// The text of a raw string as written ("" when it never was).
pub fn raw_text(raw: Option<&RawString>) -> &str {
    raw.and_then(RawString::as_str).unwrap_or("")
}

/// `prefix` with `insert` where the begin marker goes.
fn insert_in_prefix(prefix: &str, insert: &str, above: Above) -> String {
    let at = match above {
        Above::Outside => prefix.rfind('\n').map_or(0, |i| i + 1),
        Above::Inside => {
            let mut at = 0;
            for line in prefix.split_inclusive('\n') {
                if !line.ends_with('\n') || !line.trim().is_empty() {
                    break;
                }
                at += line.len();
            }
            at
        }
    };
    format!("{}{insert}{}", &prefix[..at], &prefix[at..])
}

/// Puts `insert` where the begin marker goes in a decor's prefix.
fn prepend(decor: &mut Decor, insert: &str, above: Above) {
    let prefix = insert_in_prefix(raw_text(decor.prefix()), insert, above);
    decor.set_prefix(prefix);
}

/// Appends `text` to a decor's suffix (what comes before the end of its line).
fn append(decor: &mut Decor, text: &str) {
    let suffix = format!("{}{text}", raw_text(decor.suffix()));
    decor.set_suffix(suffix);
}

/// Puts `begin` before the entry `name` of `table` and `end` after its last line; false when
/// the entry prints nothing to put them around.
pub fn wrap_entry(table: &mut Table, name: &str, begin: &str, end: &str, above: Above) -> bool {
    let Some((mut key, item)) = table.get_key_value_mut(name) else {
        return false;
    };
    match item {
        Item::Value(value) => {
            prepend(key.leaf_decor_mut(), begin, above);
            append(value.decor_mut(), end);
            true
        }
        Item::Table(t) if t.is_dotted() => wrap_dotted(t, begin, end, above),
        Item::Table(t) => wrap_table(t, false, begin, end, above),
        Item::ArrayOfTables(tables) => wrap_tables(tables, begin, end, above),
        Item::None => false,
    }
}

/// The entries of a dotted table print as `a.b = v` lines of its parent: the markers go on
/// the first and the last of them.
fn wrap_dotted(table: &mut Table, begin: &str, end: &str, above: Above) -> bool {
    let names: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let (Some(first), Some(last)) = (names.first(), names.last()) else {
        return false;
    };
    if first == last {
        return wrap_entry(table, first, begin, end, above);
    }
    wrap_entry(table, first, begin, "", above) && wrap_entry(table, last, "", end, above)
}

/// Puts the markers around every table of an array of tables.
fn wrap_tables(tables: &mut ArrayOfTables, begin: &str, end: &str, above: Above) -> bool {
    let count = tables.len();
    match count {
        0 => false,
        1 => tables
            .get_mut(0)
            .is_some_and(|t| wrap_table(t, true, begin, end, above)),
        _ => {
            if let Some(first) = tables.get_mut(0) {
                prepend(first.decor_mut(), begin, above);
            }
            tables
                .get_mut(count - 1)
                .is_some_and(|last| end_of(last, true, end))
        }
    }
}

/// Puts the markers around a header table and every table printed under it.
pub fn wrap_table(table: &mut Table, in_array: bool, begin: &str, end: &str, above: Above) -> bool {
    prepend(table.decor_mut(), begin, above);
    end_of(table, in_array, end)
}

/// Appends `end` to the last line printed for `table` and the tables under it.
fn end_of(table: &mut Table, in_array: bool, end: &str) -> bool {
    let (mut last, mut order, mut path, mut position) = (None, 0, Vec::new(), isize::MIN);
    last_printed(
        table,
        in_array,
        &mut position,
        &mut order,
        &mut path,
        &mut last,
    );
    let Some((_, _, steps)) = last else {
        return false;
    };
    let mut at = table;
    for step in &steps {
        let next = match (step, at.get_mut(&step.0)) {
            ((_, None), Some(Item::Table(t))) => Some(t),
            ((_, Some(i)), Some(Item::ArrayOfTables(a))) => a.get_mut(*i),
            _ => None,
        };
        match next {
            Some(t) => at = t,
            None => return false,
        }
    }
    match last_value(at) {
        Some(value) => append(value.decor_mut(), end),
        None => append(at.decor_mut(), end),
    }
    true
}

/// The way from a table to one under it: a key, and the index for an array of tables.
type Step = (String, Option<usize>);

/// Finds the table of the subtree that toml_edit prints last: it sorts tables by document
/// position, a table without one taking that of the table visited before it, ties in visit
/// order.
fn last_printed(
    table: &Table,
    in_array: bool,
    position: &mut isize,
    order: &mut usize,
    path: &mut Vec<Step>,
    last: &mut Option<(isize, usize, Vec<Step>)>,
) {
    if table.is_dotted() {
        return;
    }
    if let Some(p) = table.position() {
        *position = p;
    }
    let prints = in_array || !table.is_implicit() || !table.get_values().is_empty();
    if prints && last.as_ref().is_none_or(|(p, _, _)| *position >= *p) {
        *last = Some((*position, *order, path.clone()));
    }
    *order += 1;
    for (key, item) in table.iter() {
        match item {
            Item::Table(t) => {
                path.push((key.to_string(), None));
                last_printed(t, false, position, order, path, last);
                path.pop();
            }
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    path.push((key.to_string(), Some(i)));
                    last_printed(t, true, position, order, path, last);
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

/// The value printed last in a table's body (through its dotted tables).
fn last_value(table: &mut Table) -> Option<&mut Value> {
    let name = table
        .iter()
        .filter(|(_, item)| match item {
            Item::Value(_) => true,
            Item::Table(t) => t.is_dotted() && !t.get_values().is_empty(),
            _ => false,
        })
        .last()
        .map(|(k, _)| k.to_string())?;
    match table.get_mut(&name)? {
        Item::Value(value) => Some(value),
        Item::Table(t) => last_value(t),
        _ => None,
    }
}

/// The text of one entry of a side, as a conflict block shows it: `key = value` with its
/// indentation but not the comments above it, or a header table under the keys of `path`
/// with everything in it.
pub fn entry_text(path: &[Key], key: &Key, item: &Item) -> String {
    let mut key = key.clone();
    let indent = indentation(raw_text(key.leaf_decor().prefix())).to_string();
    key.leaf_decor_mut().set_prefix(indent);
    let mut item = item.clone();
    let tables: Vec<&mut Table> = match &mut item {
        Item::Table(t) if !t.is_dotted() => vec![t],
        Item::ArrayOfTables(a) => a.iter_mut().collect(),
        _ => Vec::new(),
    };
    let under_path = !tables.is_empty();
    for (i, table) in tables.into_iter().enumerate() {
        clear_positions(table);
        if i == 0 {
            let indent = indentation(raw_text(table.decor().prefix())).to_string();
            table.decor_mut().set_prefix(indent);
        }
    }
    // Built from the inside out: each key of the path an implicit table, which prints no
    // header of its own.
    let (mut key, mut item) = (key, item);
    if under_path {
        for step in path.iter().rev() {
            let mut implicit = Table::new();
            implicit.set_implicit(true);
            implicit.insert_formatted(&key, item);
            (key, item) = (step.clone(), Item::Table(implicit));
        }
    }
    let mut doc = DocumentMut::new();
    doc.as_table_mut().insert_formatted(&key, item);
    doc.to_string()
}

/// The last line of a prefix: the indentation of what follows it.
fn indentation(prefix: &str) -> &str {
    prefix.rsplit('\n').next().unwrap_or("")
}

/// The outcome of merging the text between entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trivia {
    /// Ours stands.
    Ours,
    /// Theirs' text replaces ours.
    Theirs,
    /// Both changed it differently: this text, with a conflict block, replaces ours.
    Conflict(String),
}

/// Three-way merge of the comments and blank lines above an entry: a side's change is taken;
/// two different changes of the comment lines become a conflict block among them, before the
/// indentation of ours.
pub fn merge_trivia(base: &str, ours: &str, theirs: &str, markers: &Markers) -> Trivia {
    if theirs == base || theirs == ours {
        return Trivia::Ours;
    }
    if ours == base {
        return Trivia::Theirs;
    }
    let lines = |text: &'_ str| -> usize { text.rfind('\n').map_or(0, |i| i + 1) };
    let (ours_lines, theirs_lines) = (&ours[..lines(ours)], &theirs[..lines(theirs)]);
    if ours_lines == theirs_lines {
        return Trivia::Ours;
    }
    Trivia::Conflict(format!(
        "{}{}",
        markers.block(ours_lines, theirs_lines),
        &ours[lines(ours)..]
    ))
}

/// The comment after a header, when both sides changed it differently: ours stays on the
/// header line, and a block under it shows both.
pub fn suffix_conflict(ours: &str, theirs: &str, markers: &Markers) -> String {
    let line = |s: &str| format!("{}\n", s.trim());
    let block = markers.block(&line(ours), &line(theirs));
    format!("{ours}\n{}", block.trim_end_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markers() -> Markers {
        Markers::new(7, "ours", "theirs")
    }

    #[test]
    fn the_begin_marker_goes_after_the_comments_or_after_the_blank_lines() {
        let prefix = "\n\n# about it\n  ";
        assert_eq!(
            insert_in_prefix(prefix, "<M>\n", Above::Outside),
            "\n\n# about it\n<M>\n  "
        );
        assert_eq!(
            insert_in_prefix(prefix, "<M>\n", Above::Inside),
            "\n\n<M>\n# about it\n  "
        );
        assert_eq!(insert_in_prefix("", "<M>\n", Above::Inside), "<M>\n");
    }

    #[test]
    fn a_wrapped_value_shows_both_sides() {
        let mut doc: DocumentMut = "[t]\na = 1 # one\nb = 2\n".parse().unwrap();
        let other = entry_text(&[], &Key::new("a"), &toml_edit::value(3));
        let (begin, end) = markers().around(true, &other);
        let table = doc.get_mut("t").and_then(Item::as_table_mut).unwrap();
        assert!(wrap_entry(table, "a", &begin, &end, Above::Outside));
        assert_eq!(
            doc.to_string(),
            "[t]\n<<<<<<< ours\na = 1 # one\n=======\na = 3\n>>>>>>> theirs\nb = 2\n"
        );
    }

    #[test]
    fn a_wrapped_table_ends_after_its_last_subtable() {
        let text = "[[c]]\nx = 1\n\n[[c.o]]\ny = 2\n\n[[c.o]]\n\n[[c]]\nx = 3\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        let (begin, end) = markers().around(true, "");
        let first = doc
            .get_mut("c")
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|a| a.get_mut(0))
            .unwrap();
        assert!(wrap_table(first, true, &begin, &end, Above::Inside));
        assert_eq!(
            doc.to_string(),
            "<<<<<<< ours\n[[c]]\nx = 1\n\n[[c.o]]\ny = 2\n\n[[c.o]]\n=======\n>>>>>>> theirs\n\n[[c]]\nx = 3\n"
        );
    }

    #[test]
    fn a_table_renders_under_its_path() {
        let doc: DocumentMut = "[[c]]\n\n  [[c.o]] # note\n  id = 'A'\n".parse().unwrap();
        let countries = doc.get("c").and_then(Item::as_array_of_tables).unwrap();
        let country = countries.get(0).unwrap();
        let (key, item) = country.get_key_value("o").unwrap();
        let path = [doc.as_table().key("c").unwrap().clone()];
        assert_eq!(
            entry_text(&path, key, item),
            "  [[c.o]] # note\n  id = 'A'\n"
        );
    }

    #[test]
    fn comments_changed_on_both_sides_become_a_block() {
        let m = markers();
        assert_eq!(merge_trivia("a", "a", "b", &m), Trivia::Theirs);
        assert_eq!(merge_trivia("a", "b", "a", &m), Trivia::Ours);
        assert_eq!(merge_trivia("a", "b", "b", &m), Trivia::Ours);
        assert_eq!(
            merge_trivia("# x\n  ", "# y\n  ", "# z\n", &m),
            Trivia::Conflict("<<<<<<< ours\n# y\n=======\n# z\n>>>>>>> theirs\n  ".to_string())
        );
    }
}
