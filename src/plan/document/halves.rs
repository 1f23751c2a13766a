//! A large plan's document read in two halves on two cores: the text cut at the header of a
//! country section past its middle, each half parsed on its own, and the second joined onto
//! the first as one parse of the whole text makes it (the same tables, positions, spaces
//! and comments: tests compare the two in full).

use toml_edit::{DocumentMut, Item, Table};

use super::PlanDocument;
use crate::plan::source::Layout;

/// One half of a cut text, parsed on its own (`None`: it does not parse alone).
pub struct Half(Option<DocumentMut>);

impl Half {
    /// Parses one half.
    pub fn parse(text: &str) -> Half {
        Half(text.parse().ok())
    }
}

/// Where to cut `text`: before the first country section's header at or after five eighths
/// of it ([`before_section`](crate::plan::cut::before_section)). The first half is parsed
/// beside the check and the second once the check is done, so the first is the longer: both
/// then end at about the same time. The caller must confirm that the plan has a section
/// there. `None` for a short text, or when there is no such line.
pub fn cut(text: &str) -> Option<usize> {
    crate::plan::cut::before_section(text, 5, 8)
}

impl PlanDocument {
    /// The document of a text cut in two at a top-level table header, from the two halves
    /// parsed on their own: what one parse of the whole text gives. `None` when a half did
    /// not parse, or when the second holds what this does not join (a table of the first
    /// half's, a table made only by the keys under it); the caller then parses the whole.
    pub fn joined(first: Half, second: Half, layout: Layout) -> Option<PlanDocument> {
        let (Half(Some(mut first)), Half(Some(mut second))) = (first, second) else {
            return None;
        };
        // The second half numbers its tables from the start again.
        let offset = last_position(first.as_table_mut());
        shift(second.as_table_mut(), offset);
        // The blank and comment lines that end the first half come before the second's
        // first header: a parse of the whole keeps them with that header.
        let ending = first.trailing().as_str()?.to_string();
        let opening = first_table(second.as_table_mut())?;
        let prefix = opening.decor().prefix().map_or(Some(""), |p| p.as_str())?;
        let prefix = format!("{ending}{prefix}");
        opening.decor_mut().set_prefix(prefix);
        let closing = second.trailing().as_str()?.to_string();
        let root = first.as_table_mut();
        let theirs = second.as_table_mut();
        let names: Vec<String> = theirs.iter().map(|(name, _)| name.to_string()).collect();
        for name in names {
            let (key, item) = theirs.remove_entry(&name)?;
            match (root.get_mut(&name), item) {
                (Some(Item::ArrayOfTables(ours)), Item::ArrayOfTables(tables)) => {
                    for table in tables {
                        ours.push(table);
                    }
                }
                (None, item @ Item::ArrayOfTables(_)) => {
                    root.insert_formatted(&key, item);
                }
                (None, Item::Table(table)) if !table.is_implicit() => {
                    root.insert_formatted(&key, Item::Table(table));
                }
                _ => return None,
            }
        }
        first.set_trailing(closing);
        Some(PlanDocument { doc: first, layout })
    }
}

/// The tables under `table` and itself, each once, with what to do to each.
fn each_table(table: &mut Table, f: &mut impl FnMut(&mut Table)) {
    f(table);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => each_table(t, f),
            Item::ArrayOfTables(tables) => {
                for t in tables.iter_mut() {
                    each_table(t, f);
                }
            }
            _ => {}
        }
    }
}

/// The highest position of a table at or under `root` (the root's is 0).
fn last_position(root: &mut Table) -> isize {
    let mut last = 0;
    each_table(root, &mut |t| last = last.max(t.position().unwrap_or(0)));
    last
}

/// Moves the position of every table under `root` by `offset`.
fn shift(root: &mut Table, offset: isize) {
    each_table(root, &mut |t| {
        if let Some(p) = t.position() {
            t.set_position(Some(p + offset));
        }
    });
}

/// The table under `root` whose header comes first.
fn first_table(root: &mut Table) -> Option<&mut Table> {
    let mut first: Option<isize> = None;
    let own = root.position();
    each_table(root, &mut |t| {
        if let Some(p) = t.position()
            && Some(p) != own
        {
            first = Some(first.map_or(p, |f| f.min(p)));
        }
    });
    find_at(root, first?)
}

/// The table under `table` at `position`.
fn find_at(table: &mut Table, position: isize) -> Option<&mut Table> {
    if table.position() == Some(position) {
        return Some(table);
    }
    for (_, item) in table.iter_mut() {
        let found = match item {
            Item::Table(t) => find_at(t, position),
            Item::ArrayOfTables(tables) => tables.iter_mut().find_map(|t| find_at(t, position)),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}
