//! Items one side moved to another country (an objective, agreement, actor or pool found
//! under a different `[[country]]` than in the base). Items are matched within their country,
//! so such a move reads as a deletion in one section and an addition in another: with the
//! other side's edit of the item, a "deleted by ours, changed by theirs" conflict whose taking
//! either side leaves the id twice or loses the edit. Before the merge, the item is moved in
//! the versions that left it where it was, to where the mover put it; the merge then sees one
//! item in one section and merges its keys as for any other.

use std::collections::{HashMap, HashSet};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use crate::plan::document::clear_positions;
use crate::plan::schema::TableKind;

/// The kinds of item with an id that live in a country section.
const MOVABLE: [TableKind; 4] = [
    TableKind::Objective,
    TableKind::Agreement,
    TableKind::Actor,
    TableKind::Pool,
];

/// The moves the merge writes as conflicts, by the ids of the items moved.
#[derive(Debug, Default)]
pub struct Contested {
    /// Moved by one side and deleted by the other: where the mover put it, a conflict with
    /// the deletion.
    pub against_deletion: HashSet<String>,
    /// Moved by both sides to different countries: a conflict in each.
    pub apart: HashSet<String>,
}

impl Contested {
    /// Whether a collection holds an item whose move is a conflict.
    pub fn touches(&self, item: &Item) -> bool {
        let tables = item
            .as_array_of_tables()
            .into_iter()
            .flat_map(ArrayOfTables::iter);
        tables
            .filter_map(id_of)
            .any(|id| self.against_deletion.contains(id) || self.apart.contains(id))
    }

    /// Whether a country section holds an item both sides moved, to different sections:
    /// the section is merged even where theirs left it as it was, so that the item is put
    /// inside the conflict there too.
    pub fn holds_apart(&self, country: &Table) -> bool {
        MOVABLE
            .iter()
            .flat_map(|kind| items(country, *kind))
            .filter_map(id_of)
            .any(|id| self.apart.contains(id))
    }
}

/// Moves, in `base` and in the side that kept it, each item the other side moved to another
/// country; an item both sides moved to the same country is moved in the base. Only items
/// written as header tables, with an id found once in each version, in sections whose codes
/// are found once (and there in every version the move is made in), are followed; anything
/// else is left to the merge as it was. Returns the moves that are conflicts.
pub fn follow(
    base: &mut DocumentMut,
    ours: &mut DocumentMut,
    theirs: &mut DocumentMut,
) -> Contested {
    let mut contested = Contested::default();
    for kind in MOVABLE {
        let (found, deleted, apart) = moves(base, ours, theirs, kind);
        contested.against_deletion.extend(deleted);
        contested.apart.extend(apart);
        for found in found {
            let mut keepers: Vec<&mut DocumentMut> = match found.by {
                Mover::Ours => vec![&mut *base, &mut *theirs],
                Mover::Theirs => vec![&mut *base, &mut *ours],
                Mover::BaseOnly => vec![&mut *base],
            };
            // Made in all of them or in none: half a move reads as an item added.
            if keepers.iter().all(|doc| fits(doc, kind, &found)) {
                for doc in keepers.iter_mut() {
                    relocate(doc, kind, &found);
                }
            }
        }
    }
    contested
}

/// Which versions moved an item.
#[derive(Debug, Clone, Copy)]
enum Mover {
    /// Ours alone.
    Ours,
    /// Theirs alone.
    Theirs,
    /// Both, to the same section; or ours, where theirs deleted it (so that theirs reads
    /// as deleting it there): the base follows alone.
    BaseOnly,
}

/// One item moved to another section.
#[derive(Debug)]
struct Move {
    /// Its id.
    id: String,
    /// The code of the section the base has it in.
    from: String,
    /// The code of the section it was moved to.
    to: String,
    /// The ids of the items before it there, in the mover's version, nearest first.
    before: Vec<String>,
    /// Who moved it.
    by: Mover,
}

/// The items of `kind` that a side moved to another section; the ids of those a side moved
/// and the other deleted; and those both sides moved, to different sections.
fn moves(
    base: &DocumentMut,
    ours: &DocumentMut,
    theirs: &DocumentMut,
    kind: TableKind,
) -> (Vec<Move>, Vec<String>, Vec<String>) {
    let [(b, _), (o, o_all), (t, t_all)] = [base, ours, theirs].map(|doc| homes(doc, kind));
    let mut found = Vec::new();
    let mut deleted = Vec::new();
    let mut apart = Vec::new();
    for (id, &from) in &b {
        let (to_ours, to_theirs) = (o.get(id).copied(), t.get(id).copied());
        let moved = |to: Option<&str>| to.is_some_and(|to| to != from);
        // Theirs' move against ours' deletion needs nothing more: theirs' item is new where
        // it went, and the merge sees the id here.
        if moved(to_theirs) && !o_all.contains(id) {
            deleted.push(id.to_string());
            continue;
        }
        let (by, to, mover) = match (to_ours, to_theirs) {
            (Some(to), None) if to != from && !t_all.contains(id) => {
                deleted.push(id.to_string());
                (Mover::BaseOnly, to, ours)
            }
            (Some(o), Some(t)) if o != from && t == from => (Mover::Ours, o, ours),
            (Some(o), Some(t)) if o == from && t != from => (Mover::Theirs, t, theirs),
            (Some(o), Some(t)) if o != from && o == t => (Mover::BaseOnly, o, ours),
            (Some(o), Some(t)) if o != from && t != from => {
                apart.push(id.to_string());
                continue;
            }
            _ => continue,
        };
        if let Some(before) = predecessors(mover, kind, to, id) {
            found.push(Move {
                id: id.to_string(),
                from: from.to_string(),
                to: to.to_string(),
                before,
                by,
            });
        }
    }
    (found, deleted, apart)
}

/// The country code of the section holding each id of `kind`, for ids found once in the
/// document, in sections whose code is a string found once; and every id of `kind` there.
fn homes(doc: &DocumentMut, kind: TableKind) -> (HashMap<&str, &str>, HashSet<&str>) {
    let mut codes: HashMap<&str, usize> = HashMap::new();
    let mut seen: HashMap<&str, Option<&str>> = HashMap::new();
    for country in countries(doc) {
        let code = code_of(country);
        if let Some(code) = code {
            *codes.entry(code).or_default() += 1;
        }
        for table in items(country, kind) {
            if let Some(id) = id_of(table) {
                seen.entry(id)
                    .and_modify(|home| *home = None)
                    .or_insert(code);
            }
        }
    }
    let all = seen.keys().copied().collect();
    let unique = seen
        .into_iter()
        .filter_map(|(id, home)| Some((id, home?)))
        .filter(|(_, code)| codes.get(code) == Some(&1))
        .collect();
    (unique, all)
}

/// The country sections of a document written as header tables.
fn countries(doc: &DocumentMut) -> impl Iterator<Item = &Table> {
    doc.get(TableKind::Country.key())
        .and_then(Item::as_array_of_tables)
        .into_iter()
        .flat_map(ArrayOfTables::iter)
}

/// The items of `kind` of a country written as header tables.
fn items(country: &Table, kind: TableKind) -> impl Iterator<Item = &Table> {
    country
        .get(kind.key())
        .and_then(Item::as_array_of_tables)
        .into_iter()
        .flat_map(ArrayOfTables::iter)
}

/// The ids of the items before `id` in section `code` of the mover, nearest first; `None`
/// when the item is not there as a header table.
fn predecessors(mover: &DocumentMut, kind: TableKind, code: &str, id: &str) -> Option<Vec<String>> {
    let ids: Vec<Option<&str>> = items(section(mover, code)?, kind).map(id_of).collect();
    let at = ids.iter().position(|i| *i == Some(id))?;
    Some(
        ids[..at]
            .iter()
            .rev()
            .flatten()
            .map(|i| (*i).to_string())
            .collect(),
    )
}

/// The `id` of a table, when it is a string.
fn id_of(table: &Table) -> Option<&str> {
    table.get("id").and_then(Item::as_str)
}

/// The `code` of a country section, when it is a string.
fn code_of(country: &Table) -> Option<&str> {
    country.get("code").and_then(Item::as_str)
}

/// The country section with `code` in a document.
fn section<'a>(doc: &'a DocumentMut, code: &str) -> Option<&'a Table> {
    countries(doc).find(|c| code_of(c) == Some(code))
}

/// The country section with `code` in a document, to change.
fn country_mut<'a>(doc: &'a mut DocumentMut, code: &str) -> Option<&'a mut Table> {
    doc.get_mut(TableKind::Country.key())
        .and_then(Item::as_array_of_tables_mut)?
        .iter_mut()
        .find(|c| code_of(c) == Some(code))
}

/// Whether a move can be made in `doc`: the item is a header table in its base section, and
/// the new section is there and writes its items of `kind` as header tables (or has none).
fn fits(doc: &DocumentMut, kind: TableKind, found: &Move) -> bool {
    let holds = section(doc, &found.from)
        .is_some_and(|c| items(c, kind).any(|t| id_of(t) == Some(found.id.as_str())));
    holds
        && section(doc, &found.to)
            .is_some_and(|c| c.get(kind.key()).is_none_or(Item::is_array_of_tables))
}

/// Makes a move in `doc` (see [`fits`]): the item of `kind` leaves its base section for the
/// mover's, after the nearest item before it there that `doc` holds (first when it holds
/// none).
fn relocate(doc: &mut DocumentMut, kind: TableKind, found: &Move) {
    let (id, from, to) = (found.id.as_str(), found.from.as_str(), found.to.as_str());
    let Some(mut table) = take(doc, kind, id, from) else {
        return;
    };
    // Printed after the table before it, not where it stood in the other section.
    clear_positions(&mut table);
    let Some(country) = country_mut(doc, to) else {
        return;
    };
    let list = country
        .entry(kind.key())
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    let Some(list) = list.as_array_of_tables_mut() else {
        return;
    };
    let mut tables: Vec<Table> = list.iter_mut().map(std::mem::take).collect();
    let at = found
        .before
        .iter()
        .find_map(|b| tables.iter().position(|t| id_of(t) == Some(b.as_str())))
        .map_or(0, |p| p + 1);
    tables.insert(at, table);
    *list = ArrayOfTables::new();
    for t in tables {
        list.push(t);
    }
}

/// Takes the item `id` of `kind` out of section `from`.
fn take(doc: &mut DocumentMut, kind: TableKind, id: &str, from: &str) -> Option<Table> {
    let list = country_mut(doc, from)?
        .get_mut(kind.key())?
        .as_array_of_tables_mut()?;
    let at = list.iter().position(|t| id_of(t) == Some(id))?;
    let table = std::mem::take(list.get_mut(at)?);
    list.remove(at);
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> DocumentMut {
        text.parse().unwrap()
    }

    const POL_AND_NOR: &str = "[[country]]\ncode = 'POL'\n[[country.objective]]\nid = 'P-1'\n[[country.objective]]\nid = 'X'\ntext = 'a'\n[[country]]\ncode = 'NOR'\n[[country.objective]]\nid = 'N-1'\n";

    #[test]
    fn an_item_moved_by_one_side_is_moved_in_the_base_and_the_other_side() {
        let mut base = doc(POL_AND_NOR);
        let mut ours = doc(&POL_AND_NOR.replace("text = 'a'", "text = 'b'"));
        let mut theirs = doc(
            "[[country]]\ncode = 'POL'\n[[country.objective]]\nid = 'P-1'\n[[country]]\ncode = 'NOR'\n[[country.objective]]\nid = 'N-1'\n[[country.objective]]\nid = 'X'\ntext = 'a'\n",
        );
        follow(&mut base, &mut ours, &mut theirs);
        let nor_ids = |d: &DocumentMut| -> Vec<String> {
            homes(d, TableKind::Objective)
                .0
                .into_iter()
                .filter(|(_, c)| *c == "NOR")
                .map(|(i, _)| i.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        assert_eq!(nor_ids(&base), ["N-1", "X"]);
        assert_eq!(nor_ids(&ours), ["N-1", "X"]);
        assert_eq!(
            ours.to_string(),
            "[[country]]\ncode = 'POL'\n[[country.objective]]\nid = 'P-1'\n[[country]]\ncode = 'NOR'\n[[country.objective]]\nid = 'N-1'\n[[country.objective]]\nid = 'X'\ntext = 'b'\n"
        );
    }

    #[test]
    fn items_moved_to_different_sections_are_contested_and_repeated_ones_left_alone() {
        let three = format!("{POL_AND_NOR}[[country]]\ncode = 'GBR'\n");
        let to = |code: &str| {
            let mut text = three.replace("[[country.objective]]\nid = 'X'\ntext = 'a'\n", "");
            text = text.replace(
                &format!("code = '{code}'\n"),
                &format!("code = '{code}'\n[[country.objective]]\nid = 'X'\ntext = 'a'\n"),
            );
            text
        };
        let (mut base, mut ours, mut theirs) = (doc(&three), doc(&to("NOR")), doc(&to("GBR")));
        let before = (ours.to_string(), theirs.to_string());
        let contested = follow(&mut base, &mut ours, &mut theirs);
        assert_eq!((ours.to_string(), theirs.to_string()), before);
        // Moved apart: the merge writes it as a conflict.
        assert!(contested.apart.contains("X"), "{contested:?}");
        assert!(contested.against_deletion.is_empty());
        assert_eq!(base.to_string(), three);
        let twice = format!("{three}[[country.objective]]\nid = 'X'\n");
        let (mut base, mut ours) = (doc(&twice), doc(&to("NOR")));
        let mut theirs = doc(&twice);
        follow(&mut base, &mut ours, &mut theirs);
        assert_eq!(base.to_string(), twice);
    }
}
