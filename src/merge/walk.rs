//! The merge of one table and its entries, key by key: ours' table is changed in place into
//! the result, so that whatever theirs did not change stays ours' text exactly.

use toml_edit::{Array, ArrayOfTables, Item, Key, Table, Value};

use super::compare::{same_data, same_decor, same_key_text, same_text, same_value_text};
use super::ids::Renames;
use super::render::{self, Above, Markers, Trivia, raw_text};
use super::values;
use super::{Conflict, Reason};
use crate::plan::document::{clear_positions, lay_out_like};
use crate::plan::schema::{ROOT_CHILDREN, TableKind};

/// Where a table is: its kind (`None` for a table the format does not know), how a reader
/// names it, the tables its keys hold, and the header keys above it.
#[derive(Debug, Clone)]
pub struct Place {
    /// The kind of the table.
    pub kind: Option<TableKind>,
    /// The item as a reader names it (`objective POL-ST-1`); empty for the file's top.
    pub label: String,
    /// The kinds of the tables under its keys.
    pub children: &'static [TableKind],
    /// The keys of its header (`country`, `objective`).
    pub path: Vec<Key>,
}

impl Place {
    /// The top of the file.
    pub fn root() -> Place {
        Place {
            kind: None,
            label: String::new(),
            children: ROOT_CHILDREN,
            path: Vec::new(),
        }
    }

    /// The kind of table stored under `name` here, if the format knows one.
    fn child_kind(&self, name: &str) -> Option<TableKind> {
        self.children
            .iter()
            .copied()
            .find(|kind| kind.key() == name)
    }

    /// The place of the tables stored under `name` (named `label`).
    pub fn child(&self, name: &str, key: &Key, label: String) -> Place {
        let kind = self.child_kind(name);
        let mut path = self.path.clone();
        path.push(key.clone());
        Place {
            kind,
            label,
            children: kind.map_or(&[], TableKind::children),
            path,
        }
    }

    /// How a key of this table is named in a message.
    fn describe(&self, name: &str) -> String {
        if self.label.is_empty() {
            format!("`{name}`")
        } else {
            format!("{}, `{name}`", self.label)
        }
    }
}

/// What all three versions hold under one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Arrays of header tables: a collection merged item by item.
    Tables,
    /// Header (or dotted) tables: merged key by key.
    Table,
    /// Values: merged as one, or as a set or by key for arrays and inline tables.
    Value,
    /// Different shapes on different sides: merged as one.
    Mixed,
}

/// `item` spelled as `like` is: an inline table as a header table or back, an array of
/// inline tables as an array of header tables or back; `None` when it cannot be.
fn in_shape_of(like: &Item, item: &Item) -> Option<Item> {
    Some(match (like, item) {
        (Item::ArrayOfTables(like), Item::Value(Value::Array(a))) => {
            let mut tables = ArrayOfTables::new();
            for v in a.iter() {
                let mut table = v.as_inline_table()?.clone().into_table();
                if let Some(like) = like.get(0) {
                    lay_out_like(&mut table, like);
                }
                tables.push(table);
            }
            Item::ArrayOfTables(tables)
        }
        (Item::Table(like), Item::Value(Value::InlineTable(t))) => {
            let mut table = t.clone().into_table();
            lay_out_like(&mut table, like);
            Item::Table(table)
        }
        (Item::Value(Value::Array(_)), Item::ArrayOfTables(tables)) => {
            let inline: Array = tables
                .iter()
                .map(|t| t.clone().into_inline_table())
                .collect();
            Item::Value(Value::Array(inline))
        }
        (Item::Value(Value::InlineTable(_)), Item::Table(t)) => {
            Item::Value(Value::InlineTable(t.clone().into_inline_table()))
        }
        (Item::ArrayOfTables(_), Item::ArrayOfTables(_))
        | (Item::Table(_), Item::Table(_))
        | (Item::Value(_), Item::Value(_)) => item.clone(),
        _ => return None,
    })
}

/// What the present ones of the three versions hold under a key, together.
fn shape(items: [Option<&Item>; 3]) -> Shape {
    let present: Vec<&Item> = items.into_iter().flatten().collect();
    let all = |f: fn(&Item) -> bool| present.iter().all(|i| f(i));
    if all(Item::is_array_of_tables) {
        Shape::Tables
    } else if all(Item::is_table) {
        Shape::Table
    } else if all(Item::is_value) {
        Shape::Value
    } else {
        Shape::Mixed
    }
}

/// The merge's state: the markers it writes, theirs' renamed ids, the conflicts so far.
pub struct Merger<'a> {
    /// The conflict markers.
    pub markers: &'a Markers,
    /// Theirs' ids renamed because ours added the same id for another item.
    pub renames: Renames,
    /// The items moved to another country whose moves are conflicts.
    pub moves: super::moves::Contested,
    /// The conflicts written so far.
    pub conflicts: Vec<Conflict>,
}

impl Merger<'_> {
    /// Records a conflict.
    pub fn conflict(&mut self, what: String, reason: Reason) {
        self.conflicts.push(Conflict { what, reason });
    }

    /// A copy of theirs' entry to put in the result: renamed ids followed, and tables without
    /// their document positions (they take their place from their neighbours in ours).
    pub fn adopt(&mut self, place: &Place, name: &str, item: &Item) -> Item {
        let mut item = item.clone();
        match &mut item {
            Item::Table(t) => clear_positions(t),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(clear_positions),
            _ => {}
        }
        self.renames.apply(place.kind, name, &mut item);
        item
    }

    /// Merges a header table of the three versions into ours: its own comments, then its keys.
    pub fn merge_table(
        &mut self,
        place: &Place,
        base: Option<&Table>,
        ours: &mut Table,
        theirs: &Table,
    ) {
        let empty = Table::new();
        let base_decor = base.unwrap_or(&empty).decor();
        if !same_decor(base_decor, theirs.decor()) && !ours.is_dotted() {
            let pick = |d: &toml_edit::Decor| raw_text(d.prefix()).to_string();
            match render::merge_trivia(
                &pick(base_decor),
                &pick(ours.decor()),
                &pick(theirs.decor()),
                self.markers,
            ) {
                Trivia::Ours => {}
                Trivia::Theirs => ours.decor_mut().set_prefix(pick(theirs.decor())),
                Trivia::Conflict(text) => {
                    ours.decor_mut().set_prefix(text);
                    self.conflict(place.label.clone(), Reason::Comments);
                }
            }
            let suffix = |d: &toml_edit::Decor| raw_text(d.suffix()).to_string();
            let (b, o, t) = (
                suffix(base_decor),
                suffix(ours.decor()),
                suffix(theirs.decor()),
            );
            if t != b && t != o {
                if o == b {
                    ours.decor_mut().set_suffix(t);
                } else {
                    let text = render::suffix_conflict(&o, &t, self.markers);
                    ours.decor_mut().set_suffix(text);
                    self.conflict(place.label.clone(), Reason::Comments);
                }
            }
        }
        self.merge_entries(place, base, ours, theirs);
    }

    /// Merges the keys of a table: ours' keys in ours' order, then theirs' new keys after the
    /// key that precedes them in theirs.
    fn merge_entries(
        &mut self,
        place: &Place,
        base: Option<&Table>,
        ours: &mut Table,
        theirs: &Table,
    ) {
        let names: Vec<String> = ours.iter().map(|(k, _)| k.to_string()).collect();
        for name in &names {
            let b = base.and_then(|t| t.get_key_value(name));
            self.merge_key(place, name, b, ours, theirs.get_key_value(name));
        }
        let mut previous: Option<&str> = None;
        for (name, item) in theirs.iter() {
            if names.iter().any(|n| n == name) {
                if ours.contains_key(name) {
                    previous = Some(name);
                }
                continue;
            }
            let (Some(key), false) = (theirs.key(name), item.is_none()) else {
                continue;
            };
            let base_item = base.and_then(|t| t.get(name));
            if base_item.is_some_and(|b| same_data(b, item)) {
                // Ours deleted what theirs left as it was.
                continue;
            }
            let by_item = match (base_item, item) {
                // Ours removed every item of a collection: a collection emptied, merged by item
                // with what theirs did to it, not a key deleted.
                (Some(Item::ArrayOfTables(_)), Item::ArrayOfTables(_)) => true,
                // A collection new in theirs holding an item whose move is a conflict.
                (None, Item::ArrayOfTables(_)) => self.moves.touches(item),
                _ => false,
            };
            if by_item {
                insert_after(ours, previous, key, Item::ArrayOfTables(Default::default()));
                self.merge_collection_key(place, name, base_item, ours, item);
                if ours.contains_key(name) {
                    previous = Some(name);
                }
                continue;
            }
            let adopted = self.adopt(place, name, item);
            insert_after(ours, previous, key, adopted);
            if base_item.is_some() {
                let (begin, end) = self.markers.around(false, "");
                render::wrap_entry(ours, name, &begin, &end, Above::Inside);
                self.conflict(place.describe(name), Reason::DeletedByOurs);
            }
            previous = Some(name);
        }
    }

    /// Merges what the three versions hold under one key of a table that ours has.
    fn merge_key(
        &mut self,
        place: &Place,
        name: &str,
        base: Option<(&Key, &Item)>,
        ours: &mut Table,
        theirs: Option<(&Key, &Item)>,
    ) {
        let Some(o) = ours.get(name) else {
            return;
        };
        // Theirs left it as it was: ours stays, unless it holds an item both moved apart.
        if let (Some((bk, b)), Some((tk, t))) = (base, theirs)
            && same_key_text(bk, tk)
            && same_text(b, t)
            && !self.moves.touches(o)
        {
            return;
        }
        let items = [base.map(|e| e.1), Some(o), theirs.map(|e| e.1)];
        let ours_unchanged = base.is_some_and(|(_, b)| same_text(b, o));
        if matches!(shape(items), Shape::Mixed) && !ours_unchanged {
            // Spelled differently (an inline table on one side, a header table on another)
            // and changed by ours: the others read in ours' spelling, under ours' key, and
            // merged key by key or item by item. (Ours unchanged takes theirs as it is.)
            let o = o.clone();
            let key = ours.key(name).cloned();
            // `None` when a version present cannot be spelled so; `Some(None)` when absent.
            let respelled = |e: Option<(&Key, &Item)>| match e {
                None => Some(None),
                Some((k, i)) => Some(Some((
                    key.clone().unwrap_or_else(|| k.clone()),
                    in_shape_of(&o, i)?,
                ))),
            };
            if let (Some(b), Some(t)) = (respelled(base), respelled(theirs)) {
                // Theirs only spelled it anew: nothing of theirs to take.
                if let (Some((_, b)), Some((_, t))) = (&b, &t)
                    && same_data(b, t)
                {
                    return;
                }
                let b = b.as_ref().map(|(k, i)| (k, i));
                let t = t.as_ref().map(|(k, i)| (k, i));
                return self.merge_key(place, name, b, ours, t);
            }
        }
        match (shape(items), theirs) {
            // Theirs removed every item of a collection: merged by item as an empty one.
            (_, None)
                if matches!(
                    (base, o),
                    (Some((_, Item::ArrayOfTables(_))), Item::ArrayOfTables(_))
                ) =>
            {
                let emptied = Item::ArrayOfTables(Default::default());
                self.merge_collection_key(place, name, base.map(|e| e.1), ours, &emptied)
            }
            // A collection only ours has, holding an item both moved apart: merged by item,
            // so that the item is put inside the conflict.
            (_, None) if base.is_none() && o.is_array_of_tables() && self.moves.touches(o) => {
                let emptied = Item::ArrayOfTables(Default::default());
                self.merge_collection_key(place, name, None, ours, &emptied)
            }
            (_, None) => self.deleted_by_theirs(place, ours, name, base.map(|e| e.1)),
            (Shape::Tables, Some((_, t))) => {
                self.merge_collection_key(place, name, base.map(|e| e.1), ours, t)
            }
            (Shape::Table, Some((_, Item::Table(t)))) => {
                let label = match (place.child_kind(name), place.label.is_empty()) {
                    (Some(kind), _) if kind.is_single() => kind_label(kind),
                    (_, true) => format!("table `{name}`"),
                    _ => format!("{}, table `{name}`", place.label),
                };
                let child = ours.key(name).map(|key| place.child(name, key, label));
                let b = base.and_then(|e| e.1.as_table());
                if let (Some(child), Some(Item::Table(sub))) = (child, ours.get_mut(name)) {
                    self.merge_table(&child, b, sub, t);
                }
            }
            (Shape::Value, Some(t)) => self.merge_value(place, name, base, ours, t),
            (_, Some(t)) => self.merge_whole(place, name, base, ours, t),
        }
    }

    /// Theirs has no entry `name` (it deleted it, or never had it): it goes when ours left it
    /// as it was in the base, and is a conflict when ours changed it.
    fn deleted_by_theirs(
        &mut self,
        place: &Place,
        ours: &mut Table,
        name: &str,
        base: Option<&Item>,
    ) {
        let Some(base) = base else {
            return;
        };
        if ours.get(name).is_some_and(|o| same_data(base, o)) {
            ours.remove(name);
            return;
        }
        let (begin, end) = self.markers.around(true, "");
        render::wrap_entry(ours, name, &begin, &end, Above::Inside);
        self.conflict(place.describe(name), Reason::DeletedByTheirs);
    }

    /// A collection of header tables under `name`.
    fn merge_collection_key(
        &mut self,
        place: &Place,
        name: &str,
        base: Option<&Item>,
        ours: &mut Table,
        theirs: &Item,
    ) {
        let Some(key) = ours.key(name) else {
            return;
        };
        let child = place.child(name, key, place.label.clone());
        let (base_tables, theirs_tables) = (tables(base), tables(Some(theirs)));
        if let Some(Item::ArrayOfTables(array)) = ours.get_mut(name) {
            self.merge_collection(&child, &base_tables, array, &theirs_tables);
            if array.is_empty() {
                ours.remove(name);
            }
        }
    }

    /// A value both ours and theirs have: theirs' text when only theirs changed it, ours when
    /// both made the same change, a set or key merge for the arrays and inline tables that
    /// allow it, else a conflict around the key. The comments above it merge on their own.
    fn merge_value(
        &mut self,
        place: &Place,
        name: &str,
        base: Option<(&Key, &Item)>,
        ours: &mut Table,
        theirs: (&Key, &Item),
    ) {
        let Some((o_key, o_item)) = ours
            .get_key_value(name)
            .map(|(k, i)| (k.clone(), i.clone()))
        else {
            return;
        };
        let ours_entry = (&o_key, &o_item);
        // Theirs' value as the merge would take it: a reference to an id both sides added is
        // to theirs' renamed item, so the same text on both sides may mean two items.
        let theirs_item = self.adopt(place, name, theirs.1);
        let body = match base {
            Some(b) if same_body(b, theirs) => Body::Ours,
            Some(b) if same_body(b, ours_entry) => Body::Theirs,
            // A side that only respaced or requoted the value changed nothing to merge.
            // Theirs only laid the value out anew: ours' change made in theirs' layout.
            Some(b) if same_meaning(b, theirs) => Body::OursInTheirs,
            // Ours only laid the value out anew (a comment inside a list, a list over lines):
            // theirs' change made in ours' layout, where the value merges so.
            Some(b) if same_meaning(b, ours_entry) => Body::TheirsInOurs,
            Some(b) if only_comment(b, ours_entry) && only_value(b, theirs) => {
                Body::ValueAndComment(true)
            }
            Some(b) if only_comment(b, theirs) && only_value(b, ours_entry) => {
                Body::ValueAndComment(false)
            }
            _ if same_data(&o_item, &theirs_item) => Body::Ours,
            _ => Body::Both,
        };
        let prefix = |key: &Key| raw_text(key.leaf_decor().prefix()).to_string();
        let trivia = match base {
            Some((b_key, _)) => render::merge_trivia(
                &prefix(b_key),
                &prefix(&o_key),
                &prefix(theirs.0),
                self.markers,
            ),
            None => Trivia::Ours,
        };
        let new_prefix = match trivia {
            Trivia::Ours => prefix(&o_key),
            Trivia::Theirs => prefix(theirs.0),
            Trivia::Conflict(text) => {
                self.conflict(place.describe(name), Reason::Comments);
                text
            }
        };
        if new_prefix != prefix(&o_key)
            && let Some(mut key) = ours.key_mut(name)
        {
            key.leaf_decor_mut().set_prefix(new_prefix.clone());
        }
        // The side that only laid the value out keeps its layout, the other's change in it.
        let b = base.map(|e| e.1);
        let merged = match body {
            Body::TheirsInOurs => values::merge(place.kind, name, b, &o_item, &theirs_item),
            Body::OursInTheirs => values::merge(place.kind, name, b, &theirs_item, &o_item),
            _ => None,
        };
        match (body, merged) {
            (Body::TheirsInOurs | Body::OursInTheirs, Some(merged)) => {
                if let Some(slot) = ours.get_mut(name) {
                    *slot = merged;
                }
            }
            (Body::Ours | Body::OursInTheirs, _) => {}
            (Body::Theirs | Body::TheirsInOurs, _) => {
                let mut key = theirs.0.clone();
                key.leaf_decor_mut().set_prefix(new_prefix);
                ours.insert_formatted(&key, theirs_item);
            }
            (Body::ValueAndComment(theirs_value), _) => {
                let (value, comment) = if theirs_value {
                    (theirs_item, &o_item)
                } else {
                    (o_item.clone(), theirs.1)
                };
                if let (Item::Value(mut value), Some(suffix)) = (value, comment_of(comment)) {
                    value.decor_mut().set_suffix(suffix);
                    if let Some(slot) = ours.get_mut(name) {
                        *slot = Item::Value(value);
                    }
                }
            }
            (Body::Both, _) => {
                let b = base.map(|e| e.1);
                match values::merge(place.kind, name, b, &o_item, &theirs_item) {
                    Some(merged) => {
                        if let Some(slot) = ours.get_mut(name) {
                            *slot = merged;
                        }
                    }
                    None => {
                        let text = render::entry_text(&[], theirs.0, &theirs_item);
                        let (begin, end) = self.markers.around(true, &text);
                        render::wrap_entry(ours, name, &begin, &end, Above::Outside);
                        self.conflict(place.describe(name), Reason::BothChanged);
                    }
                }
            }
        }
    }

    /// An entry whose shape differs between the versions (a table on one side, an inline
    /// table on another), merged as one piece.
    fn merge_whole(
        &mut self,
        place: &Place,
        name: &str,
        base: Option<(&Key, &Item)>,
        ours: &mut Table,
        theirs: (&Key, &Item),
    ) {
        let Some(o_item) = ours.get(name) else {
            return;
        };
        let ours_unchanged = base.is_some_and(|(_, b)| same_text(b, o_item));
        if ours_unchanged {
            let item = self.adopt(place, name, theirs.1);
            ours.insert_formatted(theirs.0, item);
            return;
        }
        if same_data(o_item, theirs.1) {
            return;
        }
        let theirs_item = self.adopt(place, name, theirs.1);
        let text = render::entry_text(&place.path, theirs.0, &theirs_item);
        let (begin, end) = self.markers.around(true, &text);
        render::wrap_entry(ours, name, &begin, &end, Above::Outside);
        self.conflict(place.describe(name), Reason::BothChanged);
    }
}

/// What the merge of an entry's key and value (not the comments above it) takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Ours' key and value stay.
    Ours,
    /// Theirs' key and value replace ours.
    Theirs,
    /// Ours only laid the value out anew: theirs' change in ours' layout (a set or key
    /// merge), else theirs' value.
    TheirsInOurs,
    /// Theirs only laid the value out anew: ours' change in theirs' layout, else ours'.
    OursInTheirs,
    /// One side changed the value and the other only the comment after it: the one's value
    /// with the other's comment, `true` when the value is theirs.
    ValueAndComment(bool),
    /// Both changed them: a set or key merge, else a conflict.
    Both,
}

/// Whether two entries are written the same, the comments above them aside.
fn same_body(a: (&Key, &Item), b: (&Key, &Item)) -> bool {
    a.0.display_repr() == b.0.display_repr()
        && raw_text(a.0.leaf_decor().suffix()) == raw_text(b.0.leaf_decor().suffix())
        && match (a.1, b.1) {
            (Item::Value(x), Item::Value(y)) => same_value_text(x, y),
            (x, y) => same_text(x, y),
        }
}

/// Whether two entries of a value say the same: the same data and the same comment after it,
/// however spaced or quoted (a comment changed is a change: it is the planner's words).
fn same_meaning(a: (&Key, &Item), b: (&Key, &Item)) -> bool {
    a.0.get() == b.0.get() && same_data(a.1, b.1) && comment(a.1) == comment(b.1)
}

/// The text after a value, its comment included (`None` for a table).
fn comment_of(item: &Item) -> Option<String> {
    match item {
        Item::Value(v) => Some(raw_text(v.decor().suffix()).to_string()),
        _ => None,
    }
}

/// The comment after a value, however spaced: what the planner wrote.
fn comment(item: &Item) -> Option<String> {
    comment_of(item).map(|c| c.trim().to_string())
}

/// Whether `side` changed only the comment after the base's value (the same data).
fn only_comment(base: (&Key, &Item), side: (&Key, &Item)) -> bool {
    base.0.get() == side.0.get() && same_data(base.1, side.1) && comment(base.1) != comment(side.1)
}

/// Whether `side` changed the base's value and kept the comment after it.
fn only_value(base: (&Key, &Item), side: (&Key, &Item)) -> bool {
    base.0.get() == side.0.get()
        && !same_data(base.1, side.1)
        && comment(base.1).is_some()
        && comment(base.1) == comment(side.1)
}

/// How a single table of the format is named (`plan`, `plan.cui`).
fn kind_label(kind: TableKind) -> String {
    match kind {
        TableKind::Cui | TableKind::Authority => format!("plan.{}", kind.key()),
        other => other.key().to_string(),
    }
}

/// Inserts `key = item` into `table` right after the key `after` (first when `None`).
pub fn insert_after(table: &mut Table, after: Option<&str>, key: &Key, item: Item) {
    let names: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let at = after
        .and_then(|a| names.iter().position(|n| n == a).map(|i| i + 1))
        .unwrap_or(0);
    let tail: Vec<(Key, Item)> = names[at..]
        .iter()
        .filter_map(|name| table.remove_entry(name))
        .collect();
    table.insert_formatted(key, item);
    for (k, v) in tail {
        table.insert_formatted(&k, v);
    }
}

/// The tables of an array of tables (none for anything else).
fn tables(item: Option<&Item>) -> Vec<&Table> {
    item.and_then(Item::as_array_of_tables)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}
