//! The merge of a collection of header tables (priorities, countries, objectives, ...): items
//! matched by what names them (ids, country codes, waivers' rule and item, as `scplan diff`
//! names them), the items named by their place (indicators, barriers) matched by content then
//! by place within their parent. Each item is merged, kept, removed or added; ours' order is
//! kept (theirs' when only theirs reordered), with theirs' new items after the item that
//! precedes them in theirs.

use std::collections::{HashMap, HashSet};

use toml_edit::{ArrayOfTables, Item, Table};

use super::Reason;
use super::compare::{same_entries, same_table_text};
use super::ids::Renames;
use super::render::{self, Above};
use super::walk::{Merger, Place};
use crate::diff::{item_name, longest_increasing, unique_name};
use crate::plan::document::clear_positions;
use crate::plan::schema::TableKind;

/// Above this many unnamed items on a side, they are matched by place only: matching by
/// content compares every pair.
const ALIGN_LIMIT: usize = 400;

/// The name of each table of a side, by [`item_name`] (theirs' with renamed ids), or by place:
/// `#n` for the base's n-th unnamed item and the items matched to it, `ours #n` / `theirs #n`
/// for unnamed items of a side that match none.
fn names(
    kind: Option<TableKind>,
    tables: &[&Table],
    renames: Option<&Renames>,
) -> Vec<Option<String>> {
    let mut taken: HashSet<String> = HashSet::new();
    tables
        .iter()
        .map(|table| {
            let text = |key: &str| -> Option<&str> {
                let value = table.get(key).and_then(Item::as_str)?;
                Some(renames.and_then(|r| r.get(value)).unwrap_or(value))
            };
            let name = item_name(kind?, text)?;
            let name = unique_name(name, |n| taken.contains(n));
            taken.insert(name.clone());
            Some(name)
        })
        .collect()
}

/// For each unnamed table of a side, the unnamed base table it matches: equal content first
/// (a longest common subsequence), then, between those, the tables left in their order, then
/// a table moved out of order to the base table of equal content left over.
fn align(base: &[&Table], side: &[&Table]) -> Vec<Option<usize>> {
    let (n, m) = (base.len(), side.len());
    let mut out = vec![None; m];
    if n > ALIGN_LIMIT || m > ALIGN_LIMIT {
        for (i, slot) in out.iter_mut().enumerate().take(n) {
            *slot = Some(i);
        }
        return out;
    }
    // lcs[i][j]: the longest common run of base[i..] and side[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if same_entries(base[i], side[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut gap_base, mut gap_side) = (0, 0);
    let pair_gap = |out: &mut Vec<Option<usize>>, from: (usize, usize), to: (usize, usize)| {
        for (b, s) in (from.0..to.0).zip(from.1..to.1) {
            out[s] = Some(b);
        }
    };
    while i < n && j < m {
        if same_entries(base[i], side[j]) {
            pair_gap(&mut out, (gap_base, gap_side), (i, j));
            out[j] = Some(i);
            i += 1;
            j += 1;
            (gap_base, gap_side) = (i, j);
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pair_gap(&mut out, (gap_base, gap_side), (n, m));
    // A table moved past others (two indicators swapped) is out of the common run: it still
    // matches the base table of equal content that nothing matched.
    let mut taken: HashSet<usize> = out.iter().flatten().copied().collect();
    for j in 0..m {
        if out[j].is_none()
            && let Some(i) = (0..n).find(|&i| !taken.contains(&i) && same_entries(base[i], side[j]))
        {
            out[j] = Some(i);
            taken.insert(i);
        }
    }
    out
}

/// The names of the base's, ours' and theirs' tables, every table named.
fn keys(
    kind: Option<TableKind>,
    base: &[&Table],
    ours: &[&Table],
    theirs: &[&Table],
    renames: &Renames,
) -> [Vec<String>; 3] {
    let named = [
        names(kind, base, None),
        names(kind, ours, None),
        names(kind, theirs, Some(renames)),
    ];
    let (base_at, base_unnamed) = unnamed(base, &named[0]);
    let mut out: [Vec<String>; 3] = Default::default();
    for (side, (tables, tag)) in [(base, ""), (ours, "ours"), (theirs, "theirs")]
        .into_iter()
        .enumerate()
    {
        let (at, unnamed_tables) = unnamed(tables, &named[side]);
        let matched = if side == 0 {
            (0..base_at.len()).map(Some).collect()
        } else {
            align(&base_unnamed, &unnamed_tables)
        };
        let mut names = named[side].clone();
        for (k, i) in at.into_iter().enumerate() {
            names[i] = Some(match matched.get(k).copied().flatten() {
                Some(b) => format!("#{}", b + 1),
                None => format!("{tag} #{}", k + 1),
            });
        }
        out[side] = names.into_iter().map(Option::unwrap_or_default).collect();
    }
    out
}

/// The tables of a side that nothing names, with their indexes.
fn unnamed<'a>(side: &[&'a Table], names: &[Option<String>]) -> (Vec<usize>, Vec<&'a Table>) {
    side.iter()
        .enumerate()
        .filter(|(i, _)| names[*i].is_none())
        .map(|(i, t)| (i, *t))
        .unzip()
}

/// One table of the merged collection.
enum Slot {
    /// Ours' table at this index.
    Ours(usize),
    /// A table from theirs.
    Theirs(Table),
}

/// How a reader names an item of a collection: `objective POL-ST-1`, `POL-ST-1 indicator 2`.
fn label(place: &Place, key: &str) -> String {
    let noun = place.kind.map_or("item", TableKind::noun);
    match key
        .strip_prefix('#')
        .or_else(|| key.split_once(" #").map(|(_, n)| n))
    {
        Some(number) if place.label.is_empty() => format!("{noun} {number}"),
        Some(number) => format!("{} {noun} {number}", place.label),
        None => format!("{noun} {key}"),
    }
}

impl Merger<'_> {
    /// Merges a collection of header tables into ours' array of them.
    pub fn merge_collection(
        &mut self,
        place: &Place,
        base: &[&Table],
        ours: &mut ArrayOfTables,
        theirs: &[&Table],
    ) {
        let [base_keys, ours_keys, theirs_keys] = {
            let ours_tables: Vec<&Table> = ours.iter().collect();
            keys(place.kind, base, &ours_tables, theirs, &self.renames)
        };
        let index = |keys: &[String]| -> HashMap<String, usize> {
            keys.iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), i))
                .collect()
        };
        let (base_at, theirs_at) = (index(&base_keys), index(&theirs_keys));
        let mut kept = vec![true; ours_keys.len()];
        for (i, key) in ours_keys.iter().enumerate() {
            let item_place = Place {
                label: label(place, key),
                ..place.clone()
            };
            let Some(table) = ours.get_mut(i) else {
                continue;
            };
            match (base_at.get(key), theirs_at.get(key)) {
                (b, Some(&t)) => {
                    let b = b.map(|&b| base[b]);
                    let changed = b.is_none_or(|b| !same_table_text(b, theirs[t]))
                        || self.moves.holds_apart(table);
                    if changed && !(b.is_none() && same_entries(table, theirs[t])) {
                        self.merge_table(&item_place, b, table, theirs[t]);
                    }
                }
                (Some(&b), None) => {
                    // A move is a change, even of an item left as it was.
                    if same_entries(base[b], table) && !self.moves.against_deletion.contains(key) {
                        kept[i] = false;
                    } else {
                        let (begin, end) = self.markers.around(true, "");
                        render::wrap_table(table, true, &begin, &end, Above::Inside);
                        self.conflict(item_place.label, Reason::DeletedByTheirs);
                    }
                }
                // Where ours moved it, when theirs moved it elsewhere.
                (None, None) if self.moves.apart.contains(key) => {
                    let (begin, end) = self.markers.around(true, "");
                    render::wrap_table(table, true, &begin, &end, Above::Inside);
                    self.conflict(item_place.label, Reason::MovedApart);
                }
                // A section new in ours may hold an item both moved apart.
                (None, None) if place.kind == Some(TableKind::Country) => {
                    self.mark_moved_apart(table, true);
                }
                (None, None) => {}
            }
        }
        let ours_at = index(&ours_keys);
        let mut added: Vec<(usize, Table)> = Vec::new();
        for (t, key) in theirs_keys.iter().enumerate() {
            if ours_at.contains_key(key) {
                continue;
            }
            let deleted = base_at.get(key).map(|&b| base[b]);
            let apart = self.moves.apart.contains(key);
            let moved = apart || self.moves.against_deletion.contains(key);
            if deleted.is_some_and(|b| same_entries(b, theirs[t])) && !moved {
                continue;
            }
            let mut table = theirs[t].clone();
            clear_positions(&mut table);
            if let Some(kind) = place.kind {
                self.renames.apply_table(kind, &mut table);
            }
            if deleted.is_some() || moved {
                let (begin, end) = self.markers.around(false, "");
                render::wrap_table(&mut table, true, &begin, &end, Above::Inside);
                let reason = if apart {
                    Reason::MovedApart
                } else {
                    Reason::DeletedByOurs
                };
                self.conflict(label(place, key), reason);
            } else {
                // A section new in theirs may hold an item both moved apart: inside a conflict.
                self.mark_moved_apart(&mut table, false);
            }
            added.push((t, table));
        }
        let order = weave(&base_keys, &ours_keys, &theirs_keys, &kept, &added);
        let unchanged = added.is_empty()
            && kept.iter().all(|k| *k)
            && order.iter().enumerate().all(|(i, &(o, _))| o == Some(i));
        if !unchanged {
            rebuild(ours, order, added);
        }
    }
}

impl Merger<'_> {
    /// Puts each item of a section new in one side (`ours`, else theirs) that both sides
    /// moved, to different sections, inside a conflict (that side's part of it).
    fn mark_moved_apart(&mut self, section: &mut Table, ours: bool) {
        let kinds = TableKind::Country.children();
        for kind in kinds {
            let Some(items) = section
                .get_mut(kind.key())
                .and_then(Item::as_array_of_tables_mut)
            else {
                continue;
            };
            for item in items.iter_mut() {
                let Some(id) = item.get("id").and_then(Item::as_str).map(str::to_string) else {
                    continue;
                };
                if self.moves.apart.contains(&id) {
                    let (begin, end) = self.markers.around(ours, "");
                    render::wrap_table(item, true, &begin, &end, Above::Inside);
                    self.conflict(format!("{} {id}", kind.noun()), Reason::MovedApart);
                }
            }
        }
    }
}

/// The merged order: ours' kept items in ours' order (in theirs' order when ours kept the
/// base's order and theirs changed it, ours' own items after their predecessor in ours), then
/// each of theirs' new items after its predecessor in theirs, past ours' own new items there.
/// Each entry is an index of ours or of `added`.
fn weave(
    base: &[String],
    ours: &[String],
    theirs: &[String],
    kept: &[bool],
    added: &[(usize, Table)],
) -> Vec<(Option<usize>, Option<usize>)> {
    let in_theirs: HashMap<&str, usize> = theirs
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let in_base: HashMap<&str, usize> = base
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let kept_ours: Vec<usize> = (0..ours.len()).filter(|&i| kept[i]).collect();
    let common = |i: &usize| in_theirs.contains_key(ours[*i].as_str());
    let from_base: Vec<usize> = kept_ours
        .iter()
        .copied()
        .filter(|i| common(i) && in_base.contains_key(ours[*i].as_str()))
        .collect();
    let base_order = |i: &usize| in_base.get(ours[*i].as_str()).copied();
    let theirs_order = |i: &usize| in_theirs.get(ours[*i].as_str()).copied();
    let ours_kept_base = from_base
        .windows(2)
        .all(|w| base_order(&w[0]) < base_order(&w[1]));
    let theirs_moved = !from_base
        .windows(2)
        .all(|w| theirs_order(&w[0]) < theirs_order(&w[1]));
    let mut seq: Vec<(Option<usize>, Option<usize>)> = if ours_kept_base && theirs_moved {
        let mut spine: Vec<usize> = kept_ours.iter().copied().filter(common).collect();
        spine.sort_by_key(|i| theirs_order(i));
        let mut seq: Vec<_> = spine.into_iter().map(|i| (Some(i), None)).collect();
        let mut previous: Option<usize> = None;
        for &i in &kept_ours {
            if !common(&i) {
                let at = previous
                    .and_then(|p| seq.iter().position(|e| e.0 == Some(p)))
                    .map_or(0, |at| at + 1);
                seq.insert(at, (Some(i), None));
            }
            previous = Some(i);
        }
        seq
    } else {
        kept_ours.iter().map(|&i| (Some(i), None)).collect()
    };
    let ours_own = |e: &(Option<usize>, Option<usize>)| {
        e.0.is_some_and(|i| !common(&i) && !in_base.contains_key(ours[i].as_str()))
    };
    let ours_at: HashMap<&str, usize> = ours
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    for (a, (t, _)) in added.iter().enumerate() {
        let previous = (0..*t).rev().find_map(|p| {
            let key = theirs[p].as_str();
            match ours_at.get(key) {
                Some(&o) => seq.iter().position(|e| e.0 == Some(o)),
                None => added
                    .iter()
                    .position(|(q, _)| *q == p)
                    .and_then(|q| seq.iter().position(|e| e.1 == Some(q))),
            }
        });
        let mut at = previous.map_or(0, |p| p + 1);
        while seq.get(at).is_some_and(ours_own) {
            at += 1;
        }
        seq.insert(at, (None, Some(a)));
    }
    seq
}

/// Puts the tables of ours and theirs in the merged order. The tables of ours that keep their
/// relative order keep their document positions (and so their text around them); the others
/// and theirs' tables are printed after the table before them.
fn rebuild(
    ours: &mut ArrayOfTables,
    order: Vec<(Option<usize>, Option<usize>)>,
    added: Vec<(usize, Table)>,
) {
    let mut old: Vec<Option<Table>> = ours.iter_mut().map(|t| Some(std::mem::take(t))).collect();
    let mut added: Vec<Option<Table>> = added.into_iter().map(|(_, t)| Some(t)).collect();
    let mut slots: Vec<Slot> = order
        .into_iter()
        .filter_map(|entry| match entry {
            (Some(o), _) => Some(Slot::Ours(o)),
            (None, Some(a)) => added.get_mut(a)?.take().map(Slot::Theirs),
            (None, None) => None,
        })
        .collect();
    let positions: Vec<(usize, usize)> = slots
        .iter()
        .enumerate()
        .filter_map(|(s, slot)| match slot {
            Slot::Ours(o) => {
                let p = old.get(*o)?.as_ref()?.position()?;
                Some((s, usize::try_from(p).unwrap_or(0)))
            }
            Slot::Theirs(_) => None,
        })
        .collect();
    let keep = longest_increasing(&positions.iter().map(|(_, p)| *p).collect::<Vec<_>>());
    let moved: Vec<usize> = positions
        .iter()
        .enumerate()
        .filter(|(k, _)| !keep.contains(k))
        .map(|(_, (s, _))| *s)
        .collect();
    *ours = ArrayOfTables::new();
    for (s, slot) in slots.iter_mut().enumerate() {
        let table = match slot {
            Slot::Ours(o) => old.get_mut(*o).and_then(Option::take),
            Slot::Theirs(t) => Some(std::mem::take(t)),
        };
        if let Some(mut table) = table {
            if moved.contains(&s) {
                clear_positions(&mut table);
            }
            ours.push(table);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    fn tables(text: &str) -> DocumentMut {
        text.parse().unwrap()
    }

    fn list(doc: &DocumentMut) -> Vec<&Table> {
        doc.get("i")
            .and_then(Item::as_array_of_tables)
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    #[test]
    fn unnamed_items_match_by_content_then_by_place() {
        let base = tables("[[i]]\nn = 1\n[[i]]\nn = 2\n[[i]]\nn = 3\n");
        let side = tables("[[i]]\nn = 2\n[[i]]\nn = 30\n[[i]]\nn = 4\n");
        assert_eq!(align(&list(&base), &list(&side)), [Some(1), Some(2), None]);
        let renames = Renames::default();
        let [b, o, t] = keys(None, &list(&base), &list(&side), &list(&base), &renames);
        assert_eq!(b, ["#1", "#2", "#3"]);
        assert_eq!(o, ["#2", "#3", "ours #3"]);
        assert_eq!(t, ["#1", "#2", "#3"]);
    }

    #[test]
    fn theirs_new_items_follow_their_predecessor_after_ours_new_items() {
        let s = |v: &[&str]| v.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let (base, ours, theirs) = (
            s(&["A", "B"]),
            s(&["A", "X", "B"]),
            s(&["A", "Y", "B", "Z"]),
        );
        let added = vec![(1, Table::new()), (3, Table::new())];
        let order = weave(&base, &ours, &theirs, &[true; 3], &added);
        assert_eq!(
            order,
            [
                (Some(0), None),
                (Some(1), None),
                (None, Some(0)),
                (Some(2), None),
                (None, Some(1))
            ]
        );
        let reordered = weave(
            &base,
            &s(&["A", "B", "X"]),
            &s(&["B", "A"]),
            &[true; 3],
            &[],
        );
        assert_eq!(
            reordered,
            [(Some(1), None), (Some(2), None), (Some(0), None)]
        );
    }
}
