//! Where the document prints its tables. toml_edit writes tables in the order of their
//! document positions, a table without one (added or moved) taking the position of the table
//! before it in the tree. When the positions never decrease along the tree, the text is the
//! tree in order: a country section added, removed or moved then changes the text at its place
//! only, which is what lets the editor re-derive such an edit section by section.

use toml_edit::{Item, Table};

use super::{ItemBody, PlanDocument};
use crate::plan::model::{Collection, Part};

impl PlanDocument {
    /// Whether the document prints its tables in tree order (see the module's text).
    pub fn prints_in_tree_order(&self) -> bool {
        let mut last = isize::MIN;
        let mut ordered = true;
        visit(self.doc.as_table(), &mut |position| {
            if let Some(p) = position {
                ordered &= p >= last;
                last = p;
            }
        });
        ordered
    }

    /// Whether `body`, inserted as the country section at `index` of a document that prints in
    /// tree order, keeps that order: a section without positions takes them from the table
    /// before it; one with positions (put back by an undo) must fit between the positions
    /// of the tables before and after it in the tree.
    pub fn section_fits(&self, index: usize, body: &ItemBody) -> bool {
        self.fits(index, body, None)
    }

    /// [`PlanDocument::section_fits`] once the section at `without` is taken out first (the
    /// undo of a move).
    pub fn section_fits_without(&self, index: usize, body: &ItemBody, without: usize) -> bool {
        self.fits(index, body, Some(without))
    }

    fn fits(&self, index: usize, body: &ItemBody, without: Option<usize>) -> bool {
        let ItemBody::Header(table) = body else {
            return false;
        };
        let own = positions(table);
        let (Some(&first), Some(&last)) = (own.first(), own.last()) else {
            return true;
        };
        let root = self.doc.as_table();
        let key = Collection::Countries.key();
        let Some(Item::ArrayOfTables(sections)) = root.get(key) else {
            return false;
        };
        let remaining: Vec<&Table> = sections
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != without)
            .map(|(_, t)| t)
            .collect();
        let split = index.min(remaining.len());
        // The root's tables in tree order, split where the section goes.
        let mut items = root.iter();
        let mut above: Vec<&Table> = items
            .by_ref()
            .take_while(|(k, _)| *k != key)
            .flat_map(|(_, item)| tables(item))
            .collect();
        above.extend(&remaining[..split]);
        let mut below: Vec<&Table> = remaining[split..].to_vec();
        below.extend(items.flat_map(|(_, item)| tables(item)));
        let before = above
            .iter()
            .rev()
            .find_map(|t| positions(t).last().copied());
        let after = below.iter().find_map(|t| positions(t).first().copied());
        own.windows(2).all(|w| w[0] <= w[1])
            && before.is_none_or(|b| b <= first)
            && after.is_none_or(|a| last <= a)
    }

    /// Whether `part`, which prints nothing now (its key absent, or an empty list of tables),
    /// would print after every other table: no table of the root comes after its key.
    pub fn prints_nothing_last(&self, part: Part) -> bool {
        let root = self.doc.as_table();
        let mut items = root.iter().skip_while(|(k, _)| *k != part.key());
        match items.next() {
            None => true,
            Some((_, item)) => std::iter::once(item)
                .chain(items.map(|(_, item)| item))
                .all(|item| tables(item).is_empty()),
        }
    }

    /// The length of what the document prints after its last table (comments and blank
    /// lines at the end of the file): a part new to the document is printed before it.
    pub fn trailing_len(&self) -> usize {
        self.doc.trailing().as_str().map_or(0, str::len)
    }
}

/// The tables an item of the root holds.
fn tables(item: &Item) -> Vec<&Table> {
    match item {
        Item::Table(t) => vec![t],
        Item::ArrayOfTables(a) => a.iter().collect(),
        _ => Vec::new(),
    }
}

/// The positions a table and the tables inside it have, in tree order.
fn positions(table: &Table) -> Vec<isize> {
    let mut out = Vec::new();
    visit(table, &mut |p| out.extend(p));
    out
}

/// Calls `f` with the position of `table` and of every table inside it, in the order toml_edit
/// walks them when printing (dotted tables are printed with their parent).
fn visit(table: &Table, f: &mut impl FnMut(Option<isize>)) {
    if !table.is_dotted() {
        f(table.position());
    }
    for (_, item) in table.iter() {
        match item {
            Item::Table(t) => visit(t, f),
            Item::ArrayOfTables(a) => a.iter().for_each(|t| visit(t, f)),
            _ => {}
        }
    }
}
