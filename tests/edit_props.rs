//! Property tests of `PlanDocument` edits: random sequences of 1-12 edits on the EUCOM sample
//! plan and on the CRLF, BOM and no-final-newline fixtures (and the one with comments and
//! inline arrays). After every edit the document re-parses and keeps the file's layout; only
//! the lines of the edited item change (exactly one line for a one-line scalar); and the
//! inverses, applied in reverse order, give back the bytes of every earlier state and in the
//! end the original bytes exactly; and the editor's derived state, kept edit by edit (one
//! section re-read when the edit stays inside it), equals deriving everything again. Through
//! the editor's session, after every edit, undo and redo its text (what a save writes) is
//! exactly the document's printed text, and its file bytes the document's.
//! Regression tests for what the properties found follow.

use std::collections::HashMap;
use std::path::PathBuf;

use proptest::prelude::*;
use proptest::sample::Index;
use toml_edit::{Array, Datetime, Item, Table, Value};

use scplan::check::Settings;
use scplan::check::live::LivePlan;
use scplan::plan::document::{Edit, ItemBody, ItemPath, PlanDocument};
use scplan::plan::load;
use scplan::plan::model::{Collection, Loc, Node, Plan};
use scplan::plan::schema::{FieldType, TableKind};
use scplan::plan::source::Layout;
use scplan::store::{self, ContentHash};
use scplan::tui::app::Session;

#[path = "support/props.rs"]
mod props;

const BOM: &[u8] = "\u{feff}".as_bytes();

// ---------------------------------------------------------------------------------------------
// What the generator draws: raw choices, resolved against the document as it is at that step,
// so that every edit addresses something that exists.
// ---------------------------------------------------------------------------------------------

/// Values for whatever type the chosen field takes.
#[derive(Debug, Clone)]
struct Seed {
    text: String,
    int: i64,
    date: (u16, u8, u8),
    flag: bool,
    list: Vec<String>,
}

#[derive(Debug, Clone)]
enum Op {
    /// Set a known field that is present.
    SetExisting(Index, Index, Seed),
    /// Set a known field that is absent (inserting it).
    SetAbsent(Index, Index, Seed),
    /// Remove a known field that is present.
    RemoveField(Index, Index),
    /// Insert a new header table into a collection (present or not).
    InsertItem(Index, Index, u32),
    /// Remove an item of a non-empty collection.
    RemoveItem(Index, Index),
    /// Move an item within a non-empty collection.
    MoveItem(Index, Index, Index),
    /// Append a string to a string-array field (present or not).
    AddEntry(Index, Index, String),
    /// Remove an entry of a non-empty string array.
    RemoveEntry(Index, Index, Index),
}

fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        12 => proptest::char::range(' ', '~'),
        1 => Just('é'),
        1 => Just('—'),
        1 => Just('\t'),
        1 => Just('\u{1}'),
        1 => Just('\u{7f}'),
        1 => Just('\u{2028}'),
    ]
}

fn single_line_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(text_char(), 0..24).prop_map(|cs| cs.into_iter().collect())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => single_line_text(),
        1 => (single_line_text(), single_line_text()).prop_map(|(a, b)| format!("{a}\n{b}")),
        1 => (single_line_text(), single_line_text()).prop_map(|(a, b)| format!("{a}\r\n{b}\n")),
    ]
}

fn seed() -> impl Strategy<Value = Seed> {
    (
        text(),
        any::<i64>(),
        (1900u16..2200, 1u8..=12, 1u8..=28),
        any::<bool>(),
        proptest::collection::vec(single_line_text(), 0..4),
    )
        .prop_map(|(text, int, date, flag, list)| Seed {
            text,
            int,
            date,
            flag,
            list,
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<Index>(), any::<Index>(), seed()).prop_map(|(n, f, s)| Op::SetExisting(n, f, s)),
        3 => (any::<Index>(), any::<Index>(), seed()).prop_map(|(n, f, s)| Op::SetAbsent(n, f, s)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(n, f)| Op::RemoveField(n, f)),
        2 => (any::<Index>(), any::<Index>(), any::<u32>()).prop_map(|(c, i, m)| Op::InsertItem(c, i, m)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(c, i)| Op::RemoveItem(c, i)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(c, f, t)| Op::MoveItem(c, f, t)),
        2 => (any::<Index>(), any::<Index>(), single_line_text()).prop_map(|(n, f, s)| Op::AddEntry(n, f, s)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(n, f, i)| Op::RemoveEntry(n, f, i)),
    ]
}

// ---------------------------------------------------------------------------------------------
// Addresses in the current document.
// ---------------------------------------------------------------------------------------------

const COUNTRY_CHILDREN: [fn(usize) -> Collection; 5] = [
    Collection::Objectives,
    Collection::Agreements,
    Collection::Actors,
    Collection::Pools,
    Collection::Barriers,
];

/// Every collection that exists or could be created (the children of every item present).
fn collections(doc: &PlanDocument) -> Vec<Collection> {
    let mut out = vec![
        Collection::Priorities,
        Collection::Countries,
        Collection::Waivers,
    ];
    for c in 0..doc.len(Collection::Countries) {
        for make in COUNTRY_CHILDREN {
            out.push(make(c));
        }
        for o in 0..doc.len(Collection::Objectives(c)) {
            out.push(Collection::Indicators(c, o));
        }
    }
    out
}

/// Every table of the document: [plan], [plan.cui] and every item.
fn nodes(doc: &PlanDocument) -> Vec<Node> {
    let mut out = Vec::new();
    if doc.resolve(&ItemPath::Plan).is_some() {
        out.push(Node::Plan);
    }
    if doc.resolve(&ItemPath::Cui).is_some() {
        out.push(Node::Cui);
    }
    for collection in collections(doc) {
        for i in 0..doc.len(collection) {
            out.push(Node::Item(collection, i));
        }
    }
    out
}

fn is_value(doc: &PlanDocument, node: Node, field: &str) -> bool {
    matches!(doc.get(node, field), Some(Item::Value(_)))
}

fn string_array_len(doc: &PlanDocument, node: Node, field: &str) -> Option<usize> {
    match doc.get(node, field) {
        Some(Item::Value(Value::Array(a))) if a.iter().all(Value::is_str) => Some(a.len()),
        _ => None,
    }
}

fn value_for(ty: FieldType, seed: &Seed) -> Value {
    match ty {
        FieldType::Text | FieldType::Enum(_) => Value::from(seed.text.clone()),
        FieldType::Integer => Value::from(seed.int),
        FieldType::Percent => Value::from(seed.int.rem_euclid(101)),
        FieldType::Bool => Value::from(seed.flag),
        FieldType::Date | FieldType::DateOrText => {
            let (year, month, day) = seed.date;
            Value::from(Datetime {
                date: Some(toml_edit::Date { year, month, day }),
                time: None,
                offset: None,
            })
        }
        FieldType::TextList
        | FieldType::PriorityLinks
        | FieldType::TechAreas
        | FieldType::GovernanceLinks => Value::Array(seed.list.iter().collect::<Array>()),
        FieldType::Stamps => {
            let mut stamps = toml_edit::InlineTable::new();
            for (i, entry) in seed.list.iter().enumerate() {
                stamps.insert(format!("SP-{i}"), Value::from(entry.as_str()));
            }
            Value::InlineTable(stamps)
        }
    }
}

/// A new item of a collection, as a header table with its required keys. `marker` makes it
/// recognisable after a re-parse.
fn new_item(kind: TableKind, marker: u32) -> Table {
    let id = format!("NEW-{marker}");
    let pairs: Vec<(&str, Value)> = match kind {
        TableKind::Priority => vec![
            ("id", id.into()),
            ("title", "A new priority".into()),
            ("source", "NDS 2026".into()),
        ],
        TableKind::Country => vec![("code", id.into()), ("name", "Newland".into())],
        TableKind::Objective => vec![
            ("id", id.into()),
            ("kind", "st".into()),
            ("text", "A new objective".into()),
            ("priorities", ["SP-1"].into_iter().collect::<Array>().into()),
        ],
        TableKind::Indicator => vec![("name", id.into()), ("baseline", "0".into())],
        TableKind::Agreement => vec![
            ("id", id.into()),
            ("kind", "mou".into()),
            ("title", "A new agreement".into()),
        ],
        TableKind::Actor => vec![
            ("id", id.into()),
            ("name", "A new actor".into()),
            ("kind", "lab".into()),
        ],
        TableKind::Pool => vec![
            ("id", id.into()),
            ("name", "A new pool".into()),
            (
                "tech_areas",
                ["applied-ai"].into_iter().collect::<Array>().into(),
            ),
        ],
        TableKind::Barrier => vec![("kind", "other".into()), ("text", id.into())],
        TableKind::Waiver => vec![
            ("rule", "SCP301".into()),
            ("item", id.into()),
            ("reason", "Accepted".into()),
        ],
        TableKind::Plan | TableKind::Cui | TableKind::Authority => unreachable!("not a collection"),
    };
    let mut table = Table::new();
    for (key, value) in pairs {
        table.insert(key, Item::Value(value));
    }
    table
}

/// The key that identifies an item of this kind in `new_item`.
fn marker_key(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Country => "code",
        TableKind::Indicator => "name",
        TableKind::Barrier => "text",
        TableKind::Waiver => "item",
        _ => "id",
    }
}

/// What was done, for the checks after the edit.
#[derive(Debug, Clone)]
enum Expect {
    Field {
        node: Node,
        field: String,
        /// The edit replaced a one-line scalar with a one-line scalar: exactly one line changes
        /// (none when the new value is written as the old one was).
        one_line: bool,
        /// The new value is written exactly as the old one.
        same: bool,
    },
    Insert {
        collection: Collection,
        index: usize,
        marker: String,
    },
    Remove {
        collection: Collection,
        index: usize,
    },
    Move {
        collection: Collection,
        from: usize,
        to: usize,
    },
}

fn known_fields(node: Node) -> Vec<(&'static str, FieldType)> {
    node.kind()
        .fields()
        .iter()
        .map(|spec| (spec.name, spec.ty))
        .collect()
}

fn list_fields(node: Node) -> Vec<&'static str> {
    known_fields(node)
        .into_iter()
        .filter(|(_, ty)| ty.is_list())
        .map(|(name, _)| name)
        .collect()
}

/// Turns a drawn operation into an edit valid for the document as it is, if there is one.
fn resolve(doc: &PlanDocument, op: &Op) -> Option<(Edit, Expect)> {
    let nodes = nodes(doc);
    let pick_node =
        |i: &Index| -> Option<Node> { (!nodes.is_empty()).then(|| nodes[i.index(nodes.len())]) };
    let pick = |i: &Index, len: usize| -> Option<usize> { (len > 0).then(|| i.index(len)) };
    match op {
        Op::SetExisting(n, f, seed) | Op::SetAbsent(n, f, seed) => {
            let want_present = matches!(op, Op::SetExisting(..));
            let node = pick_node(n)?;
            let fields: Vec<_> = known_fields(node)
                .into_iter()
                .filter(|(name, _)| {
                    if want_present {
                        is_value(doc, node, name)
                    } else {
                        doc.get(node, name).is_none()
                    }
                })
                .collect();
            let (name, ty) = fields[pick(f, fields.len())?];
            let value = value_for(ty, seed);
            let bare = |v: &Value| {
                let mut v = v.clone();
                v.decor_mut().clear();
                v.to_string()
            };
            let same =
                matches!(doc.get(node, name), Some(Item::Value(old)) if bare(old) == bare(&value));
            let one_line = match doc.get(node, name) {
                Some(Item::Value(old)) => {
                    !ty.is_list()
                        && !old.to_string().contains('\n')
                        && !value.to_string().contains('\n')
                }
                _ => false,
            };
            Some((
                Edit::SetField {
                    node,
                    field: name.to_string(),
                    value: Some(value),
                },
                Expect::Field {
                    node,
                    field: name.to_string(),
                    one_line,
                    same,
                },
            ))
        }
        Op::RemoveField(n, f) => {
            let node = pick_node(n)?;
            let fields: Vec<_> = known_fields(node)
                .into_iter()
                .filter(|(name, _)| is_value(doc, node, name))
                .collect();
            let (name, _) = fields[pick(f, fields.len())?];
            Some((
                Edit::SetField {
                    node,
                    field: name.to_string(),
                    value: None,
                },
                Expect::Field {
                    node,
                    field: name.to_string(),
                    one_line: false,
                    same: false,
                },
            ))
        }
        Op::InsertItem(c, i, m) => {
            let all = collections(doc);
            let collection = all[pick(c, all.len())?];
            let index = i.index(doc.len(collection) + 1);
            let table = new_item(collection.kind(), *m);
            let marker = format!("NEW-{m}");
            Some((
                Edit::InsertItem {
                    collection,
                    index,
                    body: ItemBody::Header(table),
                },
                Expect::Insert {
                    collection,
                    index,
                    marker,
                },
            ))
        }
        Op::RemoveItem(c, i) => {
            let all: Vec<_> = collections(doc)
                .into_iter()
                .filter(|c| doc.len(*c) > 0)
                .collect();
            let collection = all[pick(c, all.len())?];
            let index = i.index(doc.len(collection));
            Some((
                Edit::RemoveItem { collection, index },
                Expect::Remove { collection, index },
            ))
        }
        Op::MoveItem(c, f, t) => {
            let all: Vec<_> = collections(doc)
                .into_iter()
                .filter(|c| doc.len(*c) > 0)
                .collect();
            let collection = all[pick(c, all.len())?];
            let len = doc.len(collection);
            let (from, to) = (f.index(len), t.index(len));
            Some((
                Edit::MoveItem {
                    collection,
                    from,
                    to,
                },
                Expect::Move {
                    collection,
                    from,
                    to,
                },
            ))
        }
        Op::AddEntry(n, f, text) => {
            let node = pick_node(n)?;
            let fields: Vec<_> = list_fields(node)
                .into_iter()
                .filter(|name| {
                    doc.get(node, name).is_none() || string_array_len(doc, node, name).is_some()
                })
                .collect();
            let name = fields[pick(f, fields.len())?];
            Some((
                Edit::AddEntry {
                    node,
                    field: name.to_string(),
                    value: text.clone(),
                },
                Expect::Field {
                    node,
                    field: name.to_string(),
                    one_line: false,
                    same: false,
                },
            ))
        }
        Op::RemoveEntry(n, f, i) => {
            let node = pick_node(n)?;
            let fields: Vec<_> = list_fields(node)
                .into_iter()
                .filter(|name| string_array_len(doc, node, name).unwrap_or(0) > 0)
                .collect();
            let name = fields[pick(f, fields.len())?];
            let index = i.index(string_array_len(doc, node, name)?);
            Some((
                Edit::RemoveEntry {
                    node,
                    field: name.to_string(),
                    index,
                },
                Expect::Field {
                    node,
                    field: name.to_string(),
                    one_line: false,
                    same: false,
                },
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Line ranges of tables in the text before an edit.
// ---------------------------------------------------------------------------------------------

/// Where each table of the document starts, from the typed plan's header locations.
struct Lines<'a> {
    lines: Vec<&'a str>,
    /// Lines that are blank or comments (and not inside a value).
    trivia: Vec<bool>,
    /// First line -> last line of the inline tables in arrays.
    inline_ends: HashMap<usize, usize>,
    /// Node -> (0-based line of its `[header]` or inline `{`, whether it is header-style).
    heads: HashMap<Node, (usize, bool)>,
}

fn all_heads(plan: &Plan) -> Vec<(Node, Loc)> {
    let mut out = Vec::new();
    if plan.meta.present {
        out.push((Node::Plan, plan.meta.header));
    }
    if let Some(cui) = &plan.meta.cui {
        out.push((Node::Cui, cui.header));
    }
    for p in &plan.priorities {
        out.push((p.head.node, p.head.header));
    }
    for c in &plan.countries {
        out.push((c.head.node, c.head.header));
        for o in &c.objectives {
            out.push((o.head.node, o.head.header));
            for i in &o.indicators {
                out.push((i.head.node, i.head.header));
            }
        }
        out.extend(c.agreements.iter().map(|a| (a.head.node, a.head.header)));
        out.extend(c.actors.iter().map(|a| (a.head.node, a.head.header)));
        out.extend(c.pools.iter().map(|a| (a.head.node, a.head.header)));
        out.extend(c.barriers.iter().map(|a| (a.head.node, a.head.header)));
    }
    for w in &plan.waivers {
        out.push((w.head.node, w.head.header));
    }
    out
}

fn parent_of(node: Node) -> Option<Node> {
    match node {
        Node::Plan => None,
        Node::Cui | Node::Authority => Some(Node::Plan),
        Node::Item(collection, _) => collection.parent(),
    }
}

fn is_descendant(node: Node, of: Node) -> bool {
    let mut cur = parent_of(node);
    while let Some(p) = cur {
        if p == of {
            return true;
        }
        cur = parent_of(p);
    }
    false
}

/// Marks the lines that hold part of a value (a multi-line string or array may hold lines that
/// look like comments or blank lines), and records the last line of every inline table in an
/// array by its first line.
fn mark_values(
    item: &Item,
    starts: &[usize],
    out: &mut [bool],
    inline: &mut HashMap<usize, usize>,
) {
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
    match item {
        Item::Value(v) => {
            if let Some(span) = v.span() {
                for flag in &mut out[line_of(span.start)..=line_of(span.end.saturating_sub(1))] {
                    *flag = true;
                }
            }
            if let Value::Array(array) = v {
                for t in array.iter().filter_map(Value::as_inline_table) {
                    if let Some(span) = t.span() {
                        let (first, last) = (line_of(span.start), line_of(span.end - 1));
                        let end = inline.entry(first).or_insert(last);
                        *end = (*end).max(last);
                    }
                }
            }
        }
        Item::Table(t) => t
            .iter()
            .for_each(|(_, i)| mark_values(i, starts, out, inline)),
        Item::ArrayOfTables(a) => a.iter().for_each(|t| {
            t.iter()
                .for_each(|(_, i)| mark_values(i, starts, out, inline))
        }),
        Item::None => {}
    }
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let parsed = toml_edit::Document::parse(text).expect("the text parses");
        let plan = load::load(parsed.as_table(), text).plan;
        let lines: Vec<&str> = text.split('\n').collect();
        let heads = all_heads(&plan)
            .into_iter()
            .map(|(node, loc)| {
                let line = loc.line as usize - 1;
                let ch = lines[line].chars().nth(loc.column as usize - 1);
                (node, (line, ch == Some('[')))
            })
            .collect();
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut in_value = vec![false; lines.len()];
        let mut inline_ends = HashMap::new();
        parsed
            .as_table()
            .iter()
            .for_each(|(_, item)| mark_values(item, &starts, &mut in_value, &mut inline_ends));
        let trivia = lines
            .iter()
            .zip(&in_value)
            .map(|(line, in_value)| {
                let t = line.trim();
                !in_value && (t.is_empty() || t.starts_with('#'))
            })
            .collect();
        Lines {
            lines,
            trivia,
            inline_ends,
            heads,
        }
    }

    fn n(&self) -> usize {
        self.lines.len()
    }

    fn head(&self, node: Node) -> (usize, bool) {
        *self
            .heads
            .get(&node)
            .unwrap_or_else(|| panic!("no header location for {node:?}"))
    }

    /// The first line of the comments and blank lines right before line `at` (which belong to
    /// the table header at `at`, or to the end of the document).
    fn region_start(&self, at: usize) -> usize {
        let mut start = at;
        while start > 0 && self.trivia[start - 1] {
            start -= 1;
        }
        start
    }

    /// The next header-style table after line `after` for which `keep` holds.
    fn next_header(&self, after: usize, keep: impl Fn(Node) -> bool) -> Option<usize> {
        self.heads
            .iter()
            .filter(|(node, (line, header))| *header && *line > after && keep(**node))
            .map(|(_, (line, _))| *line)
            .min()
    }

    /// The lines of an inline table.
    fn inline(&self, h: usize) -> (usize, usize) {
        (h, self.inline_ends.get(&h).copied().unwrap_or(h) + 1)
    }

    /// A table's own lines: for a header table its header and key/values, up to the comments
    /// before the next header (of any table, its children included).
    fn body(&self, node: Node) -> (usize, usize) {
        let (h, header) = self.head(node);
        if !header {
            return self.inline(h);
        }
        let end = self.next_header(h, |_| true).unwrap_or(self.n());
        (h, self.region_start(end))
    }

    /// A header table with everything inside it and the comments before its header.
    fn subtree(&self, node: Node) -> (usize, usize) {
        let (h, header) = self.head(node);
        if !header {
            return self.inline(h);
        }
        let end = self
            .next_header(h, |other| !is_descendant(other, node))
            .unwrap_or(self.n());
        (self.region_start(h), self.region_start(end))
    }

    /// The end of what is inside `parent` (the document's content for the root).
    fn subtree_end(&self, parent: Option<Node>) -> usize {
        match parent {
            Some(node) => self.subtree(node).1,
            None => self.region_start(self.n()),
        }
    }
}

fn is_inline_collection(doc: &PlanDocument, collection: Collection) -> bool {
    let item = match collection.parent() {
        None => return false,
        Some(parent) => doc.get(parent, collection.key()),
    };
    matches!(item, Some(Item::Value(_)))
}

fn show(lines: &[&str]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{:4} | {l}\n", i + 1))
        .collect()
}

/// Lines outside `[lo, hi)` of `before` are unchanged in `after` (same text, same place
/// relative to the start and to the end of the file).
fn assert_outside_unchanged(before: &[&str], after: &[&str], lo: usize, hi: usize, what: &str) {
    let tail = before.len() - hi;
    let ok = after.len() >= lo + tail
        && before[..lo] == after[..lo]
        && before[hi..] == after[after.len() - tail..];
    assert!(
        ok,
        "{what}: a line outside lines {}..={} changed\n--- before\n{}--- after\n{}",
        lo + 1,
        hi,
        show(before),
        show(after)
    );
}

/// `after` is `before` with one block of lines inserted somewhere in `[lo, hi]`.
fn assert_inserted_between(before: &[&str], after: &[&str], lo: usize, hi: usize, what: &str) {
    let k = after.len().saturating_sub(before.len());
    let ok = k > 0
        && (lo..=hi.min(before.len()))
            .any(|p| before[..p] == after[..p] && before[p..] == after[p + k..]);
    assert!(
        ok,
        "{what}: expected only lines inserted between lines {} and {}\n--- before\n{}--- after\n{}",
        lo,
        hi + 1,
        show(before),
        show(after)
    );
}

// ---------------------------------------------------------------------------------------------
// The checks.
// ---------------------------------------------------------------------------------------------

fn assert_layout(bytes: &[u8], layout: Layout, what: &str) {
    assert_eq!(
        bytes.starts_with(BOM),
        layout.bom,
        "{what}: byte-order mark"
    );
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let lf = body.iter().filter(|&&b| b == b'\n').count();
    let crlf = body.windows(2).filter(|w| w == b"\r\n").count();
    if layout.crlf {
        assert_eq!(crlf, lf, "{what}: every line break is CRLF");
    } else {
        assert_eq!(crlf, 0, "{what}: no CRLF in an LF file");
    }
    if !body.is_empty() {
        assert_eq!(
            body.ends_with(b"\n"),
            layout.final_newline,
            "{what}: final newline"
        );
    }
}

/// The bytes written, and the document parsed again from them.
fn assert_reparses(doc: &PlanDocument, original: Layout, what: &str) -> (Vec<u8>, PlanDocument) {
    let bytes = doc.to_bytes();
    assert_layout(&bytes, original, what);
    let again = PlanDocument::from_bytes(&bytes).unwrap_or_else(|e| {
        panic!(
            "{what}: the output does not re-parse: {e}\n{}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(again.layout(), original, "{what}: layout after re-parse");
    assert!(again.to_bytes() == bytes, "{what}: re-parse is not stable");
    (bytes, again)
}

/// Checks one edit: `again` is the document re-parsed from the bytes written after it.
fn check_edit(
    before: &PlanDocument,
    after: &PlanDocument,
    again: &PlanDocument,
    expect: &Expect,
    what: &str,
) {
    let before_text = before.to_text();
    let after_text = after.to_text();
    let lines = Lines::new(&before_text);
    let b: Vec<&str> = before_text.split('\n').collect();
    let a: Vec<&str> = after_text.split('\n').collect();
    match expect {
        Expect::Field {
            node,
            field,
            one_line,
            same,
        } => {
            let (lo, hi) = lines.body(*node);
            assert_outside_unchanged(&b, &a, lo, hi, what);
            if *one_line {
                let changed: Vec<usize> = (0..b.len().max(a.len()))
                    .filter(|&i| b.get(i) != a.get(i))
                    .collect();
                let expected = if *same { 0 } else { 1 };
                assert!(
                    b.len() == a.len() && changed.len() == expected,
                    "{what}: setting one scalar must change exactly {expected} line, changed {:?}\n--- before\n{}--- after\n{}",
                    changed.iter().map(|i| i + 1).collect::<Vec<_>>(),
                    show(&b),
                    show(&a)
                );
                assert!(
                    *same || a[changed[0]].contains(field.as_str()),
                    "{what}: the changed line is not the `{field}` line: {:?}",
                    a[changed[0]]
                );
            }
        }
        Expect::Insert {
            collection,
            index,
            marker,
        } => {
            let kind = collection.kind();
            assert_eq!(
                again.len(*collection),
                before.len(*collection) + 1,
                "{what}: length after insert"
            );
            let key = marker_key(kind);
            let got = again
                .get(Node::Item(*collection, *index), key)
                .and_then(Item::as_str)
                .map(str::to_string);
            assert_eq!(
                got.as_deref(),
                Some(marker.as_str()),
                "{what}: the new item is not at index {index} after a re-parse\n{after_text}"
            );
            if is_inline_collection(before, *collection) {
                let (lo, hi) = lines.body(collection.parent().unwrap());
                assert_outside_unchanged(&b, &a, lo, hi, what);
            } else {
                let len = before.len(*collection);
                let parent = collection.parent();
                let lo = if *index > 0 {
                    lines.subtree(Node::Item(*collection, index - 1)).1
                } else {
                    parent.map_or(0, |p| lines.head(p).0 + 1)
                };
                let hi = if *index < len {
                    lines.head(Node::Item(*collection, *index)).0
                } else if *index > 0 {
                    lines.subtree(Node::Item(*collection, index - 1)).1
                } else {
                    lines.subtree_end(parent)
                };
                assert_inserted_between(&b, &a, lo.min(hi), hi, what);
            }
        }
        Expect::Remove { collection, index } => {
            assert_eq!(
                again.len(*collection),
                before.len(*collection) - 1,
                "{what}: length after remove"
            );
            let (lo, hi) = if is_inline_collection(before, *collection) {
                lines.body(collection.parent().unwrap())
            } else {
                lines.subtree(Node::Item(*collection, *index))
            };
            assert_outside_unchanged(&b, &a, lo, hi, what);
        }
        Expect::Move {
            collection,
            from,
            to,
        } => {
            let (lo, hi) = if is_inline_collection(before, *collection) {
                lines.body(collection.parent().unwrap())
            } else {
                let first = Node::Item(*collection, *from.min(to));
                let last = Node::Item(*collection, *from.max(to));
                (lines.subtree(first).0, lines.subtree(last).1)
            };
            assert_outside_unchanged(&b, &a, lo, hi, what);
        }
    }
}

/// The editor's derived state, kept edit by edit beside the document the way the editor keeps
/// it (one section re-read when the edit stays inside it): after every edit and every undo it
/// must equal what deriving everything again from the document gives.
struct Mirror {
    live: LivePlan,
    settings: Settings,
    /// Edits that re-read one section only.
    incremental: usize,
}

impl Mirror {
    fn open(original: &[u8]) -> (PlanDocument, Mirror) {
        let settings = Settings::default();
        let (doc, live) = LivePlan::open(original, &settings).unwrap();
        let full = LivePlan::reload(&doc, &settings);
        assert_eq!(live.plan, full.plan, "open: the plans differ");
        assert_eq!(
            live.diagnostics, full.diagnostics,
            "open: the diagnostics differ"
        );
        let mirror = Mirror {
            live,
            settings,
            incremental: 0,
        };
        (doc, mirror)
    }

    fn apply(&mut self, doc: &mut PlanDocument, edit: Edit, what: &str) -> Edit {
        let reloads = self.live.reloads();
        let inverse = self
            .live
            .apply(doc, edit, &self.settings)
            .unwrap_or_else(|e| panic!("{what}: refused: {e}"));
        if self.live.reloads() == reloads {
            self.incremental += 1;
        }
        let full = LivePlan::reload(doc, &self.settings);
        assert_eq!(self.live.text(), full.text(), "{what}: the texts differ");
        assert_eq!(self.live.plan, full.plan, "{what}: the plans differ");
        assert_eq!(
            self.live.diagnostics, full.diagnostics,
            "{what}: the diagnostics differ"
        );
        inverse
    }
}

fn run_sequence(name: &str, original: &[u8], ops: &[Op]) -> usize {
    let (mut doc, mut mirror) = Mirror::open(original);
    let layout = doc.layout();
    assert!(doc.to_bytes() == original, "{name}: no round trip");
    let mut inverses = Vec::new();
    let mut states = vec![original.to_vec()];
    for (step, op) in ops.iter().enumerate() {
        let Some((edit, expect)) = resolve(&doc, op) else {
            continue;
        };
        let what = format!("{name}, step {step}: {edit:?}");
        let before = doc.clone();
        let inverse = mirror.apply(&mut doc, edit, &what);
        let (bytes, again) = assert_reparses(&doc, layout, &what);
        check_edit(&before, &doc, &again, &expect, &what);
        inverses.push((inverse, what));
        states.push(bytes);
    }
    // Undo, newest first: each inverse gives back the bytes from before its edit.
    while let Some((inverse, what)) = inverses.pop() {
        mirror.apply(&mut doc, inverse.clone(), &format!("undo of {what}"));
        states.pop();
        let expected = states.last().unwrap();
        let bytes = doc.to_bytes();
        assert!(
            &bytes == expected,
            "undo of {what} with {inverse:?} does not restore the bytes\n--- expected\n{}\n--- got\n{}",
            String::from_utf8_lossy(expected),
            String::from_utf8_lossy(&bytes)
        );
    }
    assert!(
        doc.to_bytes() == original,
        "{name}: not back to the original"
    );
    mirror.incremental
}

/// A step of an editing session: an edit, or an undo or a redo of the last one.
#[derive(Debug, Clone)]
enum Step {
    Edit(Op),
    Undo,
    Redo,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => op().prop_map(Step::Edit),
        2 => Just(Step::Undo),
        1 => Just(Step::Redo),
    ]
}

/// The editor's text is its document's printed text exactly, and the bytes a save writes
/// from it are the document's.
fn assert_text_is_the_documents(s: &Session, what: &str) {
    let text = s.doc.to_text();
    assert!(
        *s.live.text() == text,
        "{what}: the editor's text differs from the document's\n--- document\n{text}\n--- editor\n{}",
        s.live.text()
    );
    assert!(
        store::file_bytes(s.live.text(), s.doc.layout()) == s.doc.to_bytes(),
        "{what}: the bytes saved from the editor's text differ from the document's"
    );
}

/// Runs `steps` through the editor's session as its keys do (an edit is one undo step; an
/// undo or a redo applies the inverse kept and keeps the inverse of that), checking the text
/// after each.
fn run_session(name: &str, original: &[u8], steps: &[Step]) {
    let settings = Settings::default();
    let (doc, live) = LivePlan::open(original, &settings).unwrap();
    let mut s = Session::new(PathBuf::from(name), doc, live, ContentHash::of(original));
    assert_text_is_the_documents(&s, &format!("{name}: opened"));
    for (i, step) in steps.iter().enumerate() {
        let what = format!("{name}, step {i}: {step:?}");
        match step {
            Step::Edit(op) => {
                let Some((edit, _)) = resolve(&s.doc, op) else {
                    continue;
                };
                s.apply(edit, "an edit", &settings)
                    .unwrap_or_else(|e| panic!("{what}: refused: {e}"));
            }
            Step::Undo | Step::Redo => {
                let undo = matches!(step, Step::Undo);
                let from = if undo { &mut s.undo } else { &mut s.redo };
                let Some(step) = from.pop() else {
                    continue;
                };
                let inverse = s
                    .change(step.edit, &settings)
                    .unwrap_or_else(|e| panic!("{what}: refused: {e}"));
                let step = scplan::tui::app::Step {
                    edit: inverse,
                    what: step.what,
                };
                if undo {
                    s.redo.push(step);
                } else {
                    s.undo.push(step);
                }
            }
        }
        assert_text_is_the_documents(&s, &what);
    }
}

/// The plans the editor's text is checked on: every layout, comments and inline arrays.
const SESSION_FIXTURES: [&str; 6] = [
    "plans/eucom-sample.toml",
    "tests/fixtures/roundtrip/crlf.toml",
    "tests/fixtures/roundtrip/bom.toml",
    "tests/fixtures/roundtrip/no-final-newline.toml",
    "tests/fixtures/roundtrip/comments-everywhere.toml",
    "tests/fixtures/roundtrip/bom-crlf-no-newline.toml",
];

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

proptest! {
    #![proptest_config(props::config(64))]

    #[test]
    fn edits_on_the_eucom_sample(ops in proptest::collection::vec(op(), 1..=12)) {
        run_sequence("plans/eucom-sample.toml", &read("plans/eucom-sample.toml"), &ops);
    }

    #[test]
    fn edits_on_a_crlf_file(ops in proptest::collection::vec(op(), 1..=12)) {
        let path = "tests/fixtures/roundtrip/crlf.toml";
        run_sequence(path, &read(path), &ops);
    }

    #[test]
    fn edits_on_a_bom_file(ops in proptest::collection::vec(op(), 1..=12)) {
        let path = "tests/fixtures/roundtrip/bom.toml";
        run_sequence(path, &read(path), &ops);
    }

    #[test]
    fn edits_on_a_file_without_final_newline(ops in proptest::collection::vec(op(), 1..=12)) {
        let path = "tests/fixtures/roundtrip/no-final-newline.toml";
        run_sequence(path, &read(path), &ops);
    }

    #[test]
    fn edits_on_inline_arrays_and_comments(ops in proptest::collection::vec(op(), 1..=12)) {
        let path = "tests/fixtures/roundtrip/comments-everywhere.toml";
        run_sequence(path, &read(path), &ops);
    }

    #[test]
    fn edits_on_a_synthetic_plan_with_defects(
        seed in 0u64..1000,
        ops in proptest::collection::vec(op(), 1..=12),
    ) {
        let text = scplan::synth::generate(3, 3, 0.3, seed);
        run_sequence("synthetic 3x3 with defects", text.as_bytes(), &ops);
    }

    #[test]
    fn the_editors_text_is_the_documents_after_edits_undos_and_redos(
        fixture in 0..SESSION_FIXTURES.len(),
        steps in proptest::collection::vec(step(), 1..=20),
    ) {
        let path = SESSION_FIXTURES[fixture];
        run_session(path, &read(path), &steps);
    }

    #[test]
    fn the_editors_text_is_the_documents_on_a_synthetic_plan(
        seed in 0u64..1000,
        steps in proptest::collection::vec(step(), 1..=20),
    ) {
        let text = scplan::synth::generate(3, 3, 0.3, seed);
        run_session("synthetic 3x3 with defects", text.as_bytes(), &steps);
    }

    #[test]
    fn edits_on_a_bom_crlf_file_without_final_newline(ops in proptest::collection::vec(op(), 1..=12)) {
        let path = "tests/fixtures/roundtrip/bom-crlf-no-newline.toml";
        run_sequence(path, &read(path), &ops);
    }
}

/// The fixtures really have the layouts the property tests are about.
#[test]
fn fixtures_have_the_layouts_under_test() {
    let layout = |path: &str| PlanDocument::from_bytes(&read(path)).unwrap().layout();
    let crlf = layout("tests/fixtures/roundtrip/crlf.toml");
    assert!(crlf.crlf && !crlf.bom && crlf.final_newline);
    let bom = layout("tests/fixtures/roundtrip/bom.toml");
    assert!(bom.bom && !bom.crlf);
    let nonl = layout("tests/fixtures/roundtrip/no-final-newline.toml");
    assert!(!nonl.final_newline && !nonl.crlf && !nonl.bom);
    let all = layout("tests/fixtures/roundtrip/bom-crlf-no-newline.toml");
    assert!(all.bom && all.crlf && !all.final_newline);
    // Both spellings of the indicator array are in the sample plan.
    let text = String::from_utf8(read("plans/eucom-sample.toml")).unwrap();
    assert!(text.contains("[[country.objective.indicator]]"));
    assert!(text.contains("indicator = ["));
}

/// Found by the property test: a new objective given a new indicator, then moved. Moving
/// re-styled the objective's `indicator` sub-table key as if it were a value key (the header
/// became `[[  country.objective.indicator]]`), and the undo of the move, re-inserting a table
/// that had no document position, styled it again instead of restoring it.
#[test]
fn moving_a_new_item_with_a_new_child_and_back_restores_the_bytes() {
    let original = read("tests/fixtures/roundtrip/no-final-newline.toml");
    let mut doc = PlanDocument::from_bytes(&original).unwrap();
    let objectives = Collection::Objectives(0);
    let mut undo = Vec::new();
    let edits = [
        Edit::InsertItem {
            collection: objectives,
            index: 0,
            body: ItemBody::Header(new_item(TableKind::Objective, 0)),
        },
        Edit::InsertItem {
            collection: Collection::Indicators(0, 0),
            index: 0,
            body: ItemBody::Header(new_item(TableKind::Indicator, 1)),
        },
    ];
    for edit in edits {
        undo.push(doc.apply(edit).unwrap());
    }
    let before_move = doc.to_bytes();
    undo.push(
        doc.apply(Edit::MoveItem {
            collection: objectives,
            from: 0,
            to: 1,
        })
        .unwrap(),
    );
    let moved = doc.to_text();
    assert!(
        moved.contains("\n[[country.objective.indicator]]\n"),
        "the moved sub-table's header changed:\n{moved}"
    );
    let back = undo.pop().unwrap();
    doc.apply(back).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&doc.to_bytes()),
        String::from_utf8_lossy(&before_move)
    );
    while let Some(edit) = undo.pop() {
        doc.apply(edit).unwrap();
    }
    assert!(doc.to_bytes() == original);
}

/// Removing a new item and undoing the removal gives back the same bytes even when the item's
/// neighbours are now indented differently from those it was first styled after.
#[test]
fn undoing_the_removal_of_a_new_item_does_not_restyle_it() {
    let original = read("tests/fixtures/roundtrip/no-final-newline.toml");
    let mut doc = PlanDocument::from_bytes(&original).unwrap();
    let barriers = Collection::Barriers(0);
    // The first barrier of the country: no sibling to take an indentation from.
    doc.apply(Edit::InsertItem {
        collection: barriers,
        index: 0,
        body: ItemBody::Header(new_item(TableKind::Barrier, 1)),
    })
    .unwrap();
    // An indented barrier before it, as an editor's template might provide.
    let mut indented = new_item(TableKind::Barrier, 2);
    indented.decor_mut().set_prefix("\n  ");
    for name in ["kind", "text"] {
        indented
            .key_mut(name)
            .unwrap()
            .leaf_decor_mut()
            .set_prefix("  ");
    }
    doc.apply(Edit::InsertItem {
        collection: barriers,
        index: 0,
        body: ItemBody::Header(indented),
    })
    .unwrap();
    let before = doc.to_bytes();
    let undo = doc
        .apply(Edit::RemoveItem {
            collection: barriers,
            index: 1,
        })
        .unwrap();
    doc.apply(undo).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&doc.to_bytes()),
        String::from_utf8_lossy(&before)
    );
}

/// Found by the property test on `comments-everywhere.toml`: in an inline array, moving the
/// last entry first and undoing the move lost the space after the comma, because re-inserting
/// an entry at the end gave it the decor of the entry before it instead of its own.
#[test]
fn undoing_a_move_in_an_inline_array_restores_the_bytes() {
    let original = read("tests/fixtures/roundtrip/comments-everywhere.toml");
    let mut doc = PlanDocument::from_bytes(&original).unwrap();
    let indicators = Collection::Indicators(0, 0);
    assert_eq!(doc.len(indicators), 2);
    let undo = doc
        .apply(Edit::MoveItem {
            collection: indicators,
            from: 1,
            to: 0,
        })
        .unwrap();
    doc.apply(undo).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&doc.to_bytes()),
        String::from_utf8_lossy(&original)
    );
    // The same for a removal of the last entry.
    let undo = doc
        .apply(Edit::RemoveItem {
            collection: indicators,
            index: 1,
        })
        .unwrap();
    doc.apply(undo).unwrap();
    assert!(doc.to_bytes() == original);
}

/// The editor's one-part path is the one taken for edits inside [plan], a country section,
/// the priorities or the waivers, whether they keep the line count (a text), add lines (a
/// multi-line text, a new objective, a new waiver), remove them (deleting an objective), or
/// change what other parts' findings depend on (an id that repeats another section's, an
/// agreement id other sections link to, a priority id every section links to, the plan's
/// dates every section is checked against); and it agrees
/// with a full derivation every time, undos included.
#[test]
fn edits_inside_a_part_re_read_only_that_part() {
    let original = read("plans/eucom-sample.toml");
    let (mut doc, mut mirror) = Mirror::open(&original);
    let objective = Node::Item(Collection::Objectives(1), 0);
    let agreement = Node::Item(Collection::Agreements(0), 0);
    let edits = vec![
        Edit::SetField {
            node: objective,
            field: "text".to_string(),
            value: Some(Value::from("Shorter text")),
        },
        Edit::SetField {
            node: objective,
            field: "text".to_string(),
            value: Some(Value::from("three\nline\ntext")),
        },
        Edit::InsertItem {
            collection: Collection::Objectives(0),
            index: 1,
            body: ItemBody::Header(new_item(TableKind::Objective, 7)),
        },
        Edit::SetField {
            node: Node::Item(Collection::Objectives(2), 0),
            field: "id".to_string(),
            value: Some(Value::from("NEW-7")),
        },
        Edit::SetField {
            node: agreement,
            field: "id".to_string(),
            value: Some(Value::from("A-RENAMED")),
        },
        Edit::RemoveItem {
            collection: Collection::Objectives(1),
            index: 0,
        },
        Edit::SetField {
            node: Node::Item(Collection::Priorities, 0),
            field: "title".to_string(),
            value: Some(Value::from("A retitled priority")),
        },
        Edit::SetField {
            node: Node::Item(Collection::Priorities, 1),
            field: "id".to_string(),
            value: Some(Value::from("SP-RENAMED")),
        },
        Edit::InsertItem {
            collection: Collection::Waivers,
            index: 0,
            body: ItemBody::Header(new_item(TableKind::Waiver, 8)),
        },
        Edit::SetField {
            node: Node::Plan,
            field: "title".to_string(),
            value: Some(Value::from("A retitled plan\nover two lines")),
        },
        Edit::SetField {
            node: Node::Plan,
            field: "effective".to_string(),
            value: Some(Value::from(Datetime {
                date: Some(toml_edit::Date {
                    year: 2031,
                    month: 1,
                    day: 1,
                }),
                time: None,
                offset: None,
            })),
        },
        Edit::SetField {
            node: Node::Plan,
            field: "marking".to_string(),
            value: Some(Value::from("CUI")),
        },
    ];
    let mut undo = Vec::new();
    for (i, edit) in edits.into_iter().enumerate() {
        undo.push(mirror.apply(&mut doc, edit, &format!("edit {i}")));
    }
    assert!(
        mirror
            .live
            .diagnostics
            .iter()
            .any(|d| d.code == "SCP005" && &*d.item == "NEW-7"),
        "the repeated id is found across sections"
    );
    assert!(
        mirror
            .live
            .diagnostics
            .iter()
            .any(|d| d.code == "SCP103" && d.message.contains("SP-2")),
        "renaming a priority re-checks the links of every section"
    );
    assert!(
        mirror
            .live
            .diagnostics
            .iter()
            .any(|d| d.code == "SCP402" && d.message.contains("before the plan takes effect")),
        "a new effective date re-checks the objectives' dates"
    );
    while let Some(edit) = undo.pop() {
        mirror.apply(&mut doc, edit, "undo");
    }
    assert_eq!(
        mirror.incremental, 24,
        "every edit and undo re-read one part"
    );
    assert!(doc.to_bytes() == original);
}
