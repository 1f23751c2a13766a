//! A compact tree of a TOML document for the read-only `check` path, built from toml_parser's
//! events as they arrive: one vector of small nodes, whose keys and strings point into the text
//! unless decoding changed them. It holds what toml's `DeTable` holds (the same entries, spans
//! and order, so the loader reads the same plan from it) without what makes toml's parse heavy:
//! a vector of every event beside the vector of every token (here the tokens are parsed a
//! slice at a time), and a map per table.
//!
//! It follows toml's document builder (`toml::de::parser::document` and `inline_table`) rule by
//! rule and refuses whatever that builder refuses, and also a few documents toml reads but
//! toml_edit might not (see [`parse`]): the caller reads those another way.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

use toml_edit::Datetime;
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::lexer::{Token, TokenKind};
use toml_parser::parser::{EventReceiver, RecursionGuard, ValidateWhitespace};
use toml_parser::{ErrorSink, ParseError, Raw, Source, Span};

use super::cut;
use super::spare;
use super::tree::{Kind, Style, TreeNode, float_fits};

/// No node: the end of a list of children.
const NONE: u32 = u32::MAX;
/// The root table's node.
const ROOT: u32 = 0;
/// Marks a [`Text`] held in the tree's own buffer rather than in the document.
const OWNED: u32 = 1 << 31;
/// toml's limit on nesting and on the parts of a dotted key (`toml::de::parser::LIMIT`).
const LIMIT: u32 = 80;
/// The tokens parsed at a time (384 KiB of them): the parser reads a slice of tokens, and
/// all of a plan's take about seven times the memory of its text, more than the tree.
const CHUNK_TOKENS: usize = 16 * 1024;
/// A table with more entries than this gets a hash index: looking keys up one by one would
/// make a table of many keys quadratic to build.
const INDEX_AFTER: usize = 16;

/// A table made by a header's path or a dotted key, not defined itself.
const IMPLICIT: u8 = 1;
/// An implicit table made by a dotted key.
const DOTTED: u8 = 2;
/// An inline table (`{ ... }`).
const INLINE: u8 = 4;
/// An array of tables (`[[...]]`).
const TABLES: u8 = 8;
/// A table whose entries are in [`Tree::index`].
const INDEXED: u8 = 16;

/// A string of the tree: a range of the document, or of the tree's buffer when its start has
/// the [`OWNED`] bit.
#[derive(Debug, Clone, Copy)]
struct Text {
    start: u32,
    end: u32,
}

/// What a node holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    String,
    Integer,
    Float,
    Boolean,
    Datetime,
    Array,
    Table,
}

/// One table entry, array element or the root; 40 bytes.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The span of the key, for an entry of a table.
    key: [u32; 2],
    /// The decoded key.
    key_text: Text,
    /// The span of the value: a scalar, `[...]`, `{...}`, a `[header]`, or for an implicit
    /// table the key that made it (as toml keeps it).
    span: [u32; 2],
    /// By tag: a string's [`Text`]; an integer's two halves; a boolean; a date-time's index
    /// in [`Tree::datetimes`]; a table's or an array's first and last child.
    data: [u32; 2],
    /// The next child of the same table or array.
    next: u32,
    tag: Tag,
    flags: u8,
}

/// A key part read and decoded.
#[derive(Debug, Clone, Copy)]
struct Part {
    span: [u32; 2],
    text: Text,
}

/// A parsed document: the nodes, the decoded strings that are not in the text, and the
/// date-times.
#[derive(Debug)]
pub struct Tree<'a> {
    text: &'a str,
    nodes: Vec<Node>,
    owned: String,
    datetimes: Vec<Datetime>,
    /// The entries of tables with many entries, by key.
    index: HashMap<u32, HashMap<Box<str>, u32>>,
}

thread_local! {
    /// The nodes of this thread's last tree, for its next parse (see [`spare`]).
    static SPARE_NODES: Cell<Vec<Node>> = const { Cell::new(Vec::new()) };
    /// The tokens of this thread's last parse, for its next one.
    static SPARE_TOKENS: Cell<Vec<Token>> = const { Cell::new(Vec::new()) };
}

impl Drop for Tree<'_> {
    fn drop(&mut self) {
        spare::give(&SPARE_NODES, std::mem::take(&mut self.nodes));
    }
}

/// Parses `text` into a compact tree; `None` when toml refuses it or holds a number toml_edit
/// refuses (as `numbers_fit` does for toml's tree), and also, where toml and toml_edit may
/// differ, when a dotted key goes into an array of tables or into a table a header's path made,
/// or when the text is 2 GiB or more. A large text is parsed in two halves on two cores
/// (`parse_in_halves`).
pub fn parse(text: &str) -> Option<Tree<'_>> {
    // Parsed one after the other, the halves would only add their joining.
    if text.len() >= cut::SPLIT_FROM_BYTES
        && crate::parallel::may_spread()
        && let Some(cut) = cut::before_section(text, 1, 2)
        && let Some(tree) = parse_in_halves(text, cut)
    {
        return Some(tree);
    }
    parse_in_chunks(text, CHUNK_TOKENS)
}

/// [`parse`] of `text` cut in two before a table header at `cut`, the halves parsed on two
/// cores where there are two and the second joined onto the first: the tree one parse of
/// the whole makes. A half that parses alone, the first ending outside any string, array or
/// inline table, confirms that a header starts at the cut, so the second half's tokens and
/// events are the whole's. `None` when either half does not parse, or when the second
/// names a table of the first other than an array of tables it goes on with (the caller then
/// parses the whole).
fn parse_in_halves(text: &str, cut: usize) -> Option<Tree<'_>> {
    let (head, tail) = (text.get(..cut)?, text.get(cut..)?);
    let (second, first) = crate::parallel::both(
        || parse_in_chunks(tail, CHUNK_TOKENS),
        || parse_in_chunks(head, CHUNK_TOKENS),
    );
    let mut tree = first?;
    tree.join(second?, text)?;
    Some(tree)
}

/// [`parse`], the tokens parsed some `chunk` at a time.
fn parse_in_chunks(text: &str, chunk: usize) -> Option<Tree<'_>> {
    if text.len() >= OWNED as usize {
        return None;
    }
    let source = Source::new(text);
    let mut builder = Builder {
        tree: Tree {
            text,
            nodes: first_node(spare::take(&SPARE_NODES)),
            owned: String::new(),
            datetimes: Vec::new(),
            index: HashMap::new(),
        },
        refused: false,
        key: Vec::new(),
        header: None,
        current: ROOT,
        open: Vec::new(),
    };
    let mut errors: Option<ParseError> = None;
    {
        // The same checks around the builder as toml's own parse.
        let mut whitespace = ValidateWhitespace::new(&mut builder, source);
        let mut guard = RecursionGuard::new(&mut whitespace, LIMIT);
        let mut tokens = spare::take(&SPARE_TOKENS);
        tokens.reserve(chunk.min(text.len() / 3 + 1));
        let (mut depth, mut line_start) = (0i64, true);
        for token in source.lex() {
            let kind = token.kind();
            // A header at the start of a line, outside any array or inline table, starts an
            // expression: the tokens before it are parsed as a document of their own, which
            // gives the events the whole document gives them.
            if kind == TokenKind::LeftSquareBracket
                && depth == 0
                && line_start
                && tokens.len() >= chunk
            {
                toml_parser::parser::parse_document(&tokens, &mut guard, &mut errors);
                tokens.clear();
            }
            match kind {
                TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
                TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => depth -= 1,
                _ => {}
            }
            line_start =
                kind == TokenKind::Newline || (line_start && kind == TokenKind::Whitespace);
            tokens.push(token);
        }
        toml_parser::parser::parse_document(&tokens, &mut guard, &mut errors);
        spare::give(&SPARE_TOKENS, tokens);
    }
    let complete = builder.key.is_empty() && builder.header.is_none() && builder.open.is_empty();
    if errors.is_some() || builder.refused || !complete {
        return None;
    }
    let mut tree = builder.tree;
    tree.sort_tables();
    Some(tree)
}

/// `nodes`, empty, with the root table's node.
fn first_node(mut nodes: Vec<Node>) -> Vec<Node> {
    nodes.push(Builder::node(Tag::Table, None, [0; 2], [NONE; 2], 0));
    nodes
}

impl<'a> Tree<'a> {
    /// The root table.
    pub fn root(&'a self) -> CompactNode<'a> {
        CompactNode {
            tree: self,
            id: ROOT,
        }
    }

    fn str(&self, text: Text) -> &str {
        let found = if text.start & OWNED == 0 {
            self.text.get(text.start as usize..text.end as usize)
        } else {
            self.owned
                .get((text.start & !OWNED) as usize..text.end as usize)
        };
        found.unwrap_or_default()
    }

    fn node(&self, id: u32) -> &Node {
        &self.nodes[id as usize]
    }

    /// The children of a table or an array, in order.
    fn children(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let node = self.node(id);
        let first = match node.tag {
            Tag::Table | Tag::Array => node.data[0],
            _ => NONE,
        };
        let some = |id: u32| (id != NONE).then_some(id);
        std::iter::successors(some(first), move |&child| some(self.node(child).next))
    }

    /// The entry `key` of a table, and how many entries were looked at to find it (none when
    /// the table has an index).
    fn find(&self, table: u32, key: &str) -> (Option<u32>, usize) {
        if self.node(table).flags & INDEXED != 0 {
            let found = self.index.get(&table).and_then(|i| i.get(key)).copied();
            return (found, 0);
        }
        let mut seen = 0;
        for child in self.children(table) {
            if self.str(self.node(child).key_text) == key {
                return (Some(child), seen);
            }
            seen += 1;
        }
        (None, seen)
    }

    /// Indexes the entries of a table by key.
    fn build_index(&mut self, table: u32) {
        let entries = self
            .children(table)
            .map(|child| (Box::from(self.str(self.node(child).key_text)), child))
            .collect();
        self.index.insert(table, entries);
        self.nodes[table as usize].flags |= INDEXED;
    }

    /// Adds `node` as the last child of `parent`; returns its id.
    fn add(&mut self, parent: u32, node: Node) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(node);
        self.link(parent, id);
        id
    }

    /// Makes the node `id` the last child of `parent`.
    fn link(&mut self, parent: u32, id: u32) {
        let last = self.node(parent).data[1];
        if last == NONE {
            self.nodes[parent as usize].data[0] = id;
        } else {
            self.nodes[last as usize].next = id;
        }
        self.nodes[parent as usize].data[1] = id;
        if self.node(parent).flags & INDEXED != 0 {
            let key = Box::from(self.str(self.node(id).key_text));
            self.index.entry(parent).or_default().insert(key, id);
        }
    }

    /// Joins `second`, the tree of `whole` from where this one's text ends, onto this one,
    /// which then holds `whole`: the second's nodes, strings and date-times moved to after
    /// this one's, its arrays of tables that this tree has too appended to this tree's,
    /// its other entries added to the root. `None` when the second names anything else of
    /// this tree's at the top.
    fn join(&mut self, mut second: Tree<'_>, whole: &'a str) -> Option<()> {
        let cut = u32::try_from(self.text.len()).ok()?;
        let base = u32::try_from(self.nodes.len()).ok()?;
        let owned = u32::try_from(self.owned.len()).ok()?;
        let dates = u32::try_from(self.datetimes.len()).ok()?;
        if (owned as usize).checked_add(second.owned.len())? >= OWNED as usize {
            return None;
        }
        let mut tops = Vec::new();
        for child in second.children(ROOT) {
            let key = second.str(second.node(child).key_text);
            let ours = self.find(ROOT, key).0;
            let continued = |tree: &Tree<'_>, id: u32| {
                let node = tree.node(id);
                node.tag == Tag::Array && node.flags & TABLES != 0
            };
            match ours {
                None => tops.push((None, child + base)),
                Some(ours) if continued(self, ours) && continued(&second, child) => {
                    tops.push((Some(ours), child + base));
                }
                Some(_) => return None,
            }
        }
        let id = |id: u32| if id == NONE { NONE } else { id + base };
        let text = |text: Text| match text {
            Text { start: 0, end: 0 } => text,
            Text { start, end } if start & OWNED != 0 => Text {
                start: start + owned,
                end: end + owned,
            },
            Text { start, end } => Text {
                start: start + cut,
                end: end + cut,
            },
        };
        self.nodes.extend(second.nodes.iter().map(|node| {
            let data = match node.tag {
                Tag::String => {
                    let moved = text(Text {
                        start: node.data[0],
                        end: node.data[1],
                    });
                    [moved.start, moved.end]
                }
                Tag::Datetime => [node.data[0] + dates, 0],
                Tag::Array | Tag::Table => [id(node.data[0]), id(node.data[1])],
                Tag::Integer | Tag::Float | Tag::Boolean => node.data,
            };
            let key = if node.key == [0; 2] {
                node.key
            } else {
                [node.key[0] + cut, node.key[1] + cut]
            };
            Node {
                key,
                key_text: text(node.key_text),
                span: [node.span[0] + cut, node.span[1] + cut],
                data,
                next: id(node.next),
                ..*node
            }
        }));
        self.owned.push_str(&second.owned);
        self.datetimes.extend(std::mem::take(&mut second.datetimes));
        for (table, entries) in std::mem::take(&mut second.index) {
            let entries = entries.into_iter().map(|(k, v)| (k, v + base)).collect();
            self.index.insert(table + base, entries);
        }
        self.text = whole;
        for (ours, theirs) in tops {
            self.nodes[theirs as usize].next = NONE;
            match ours {
                None => self.link(ROOT, theirs),
                Some(array) => {
                    let [first, last] = self.node(theirs).data;
                    if first != NONE {
                        match self.node(array).data[1] {
                            NONE => self.nodes[array as usize].data[0] = first,
                            end => self.nodes[end as usize].next = first,
                        }
                        self.nodes[array as usize].data[1] = last;
                    }
                }
            }
        }
        self.sort_table(ROOT, &mut Vec::new());
        Some(())
    }

    /// Keeps a decoded string: where it is in the document when decoding borrowed it from
    /// there, else a copy in the tree's buffer. `None` when the buffer would pass 2 GiB.
    fn keep(&mut self, decoded: &str) -> Option<Text> {
        if decoded.is_empty() {
            return Some(Text { start: 0, end: 0 });
        }
        let borrowed = decoded
            .as_ptr()
            .addr()
            .checked_sub(self.text.as_ptr().addr())
            .filter(|&start| {
                let end = start.checked_add(decoded.len());
                end.and_then(|end| self.text.get(start..end)) == Some(decoded)
            });
        if let Some(start) = borrowed {
            return Some(Text {
                start: start as u32,
                end: (start + decoded.len()) as u32,
            });
        }
        let start = self.owned.len();
        let end = start + decoded.len();
        if end >= OWNED as usize {
            return None;
        }
        self.owned.push_str(decoded);
        Some(Text {
            start: start as u32 | OWNED,
            end: end as u32,
        })
    }

    /// Puts the entries of every table in the order of their keys, toml's order (its tables
    /// are `BTreeMap`s), so that the loader meets them, and reports about them, in the same
    /// order on both trees.
    fn sort_tables(&mut self) {
        let mut children = Vec::new();
        for id in 0..self.nodes.len() as u32 {
            if self.node(id).tag == Tag::Table {
                self.sort_table(id, &mut children);
            }
        }
    }

    /// Puts the entries of the table `id` in the order of their keys (`children`: a vector
    /// to reuse).
    fn sort_table(&mut self, id: u32, children: &mut Vec<u32>) {
        children.clear();
        children.extend(self.children(id));
        let key = |child: &u32| self.str(self.node(*child).key_text);
        if children.is_sorted_by(|a, b| key(a) <= key(b)) {
            return;
        }
        children.sort_unstable_by(|a, b| key(a).cmp(key(b)));
        for pair in children.windows(2) {
            self.nodes[pair[0] as usize].next = pair[1];
        }
        if let (Some(&first), Some(&last)) = (children.first(), children.last()) {
            self.nodes[last as usize].next = NONE;
            self.nodes[id as usize].data = [first, last];
        }
    }
}

/// Receives the parser's events and builds the tree as they come.
struct Builder<'a> {
    tree: Tree<'a>,
    /// Whether the document holds something toml refuses, or that this tree does not read.
    refused: bool,
    /// The parts of the key being read.
    key: Vec<Part>,
    /// Inside a `[header]` or `[[header]]`: where it starts, and whether it is `[[`.
    header: Option<(u32, bool)>,
    /// The table that key/value pairs go to: the root, or the last header's.
    current: u32,
    /// The arrays and inline tables being read, innermost last.
    open: Vec<u32>,
}

impl Builder<'_> {
    fn node(tag: Tag, key: Option<Part>, span: [u32; 2], data: [u32; 2], flags: u8) -> Node {
        let (key, key_text) = key.map_or(([0; 2], Text { start: 0, end: 0 }), |k| (k.span, k.text));
        Node {
            key,
            key_text,
            span,
            data,
            next: NONE,
            tag,
            flags,
        }
    }

    /// A table entry `part` makes for itself: an implicit table spanning the key.
    fn implicit(part: Part, flags: u8) -> Node {
        Self::node(Tag::Table, Some(part), part.span, [NONE; 2], flags)
    }

    /// The entry `part` of `table`, indexing the table once it is large.
    fn entry(&mut self, table: u32, part: Part) -> Option<u32> {
        let (found, seen) = self.tree.find(table, self.tree.str(part.text));
        if seen >= INDEX_AFTER {
            self.tree.build_index(table);
        }
        found
    }

    /// Follows the path of a dotted key from `table`, making the tables it names (toml's
    /// `descend_path` with `dotted`, at the top level and in inline tables alike).
    fn descend_dotted(&mut self, mut table: u32, path: &[Part]) -> Option<u32> {
        for &part in path {
            table = match self.entry(table, part) {
                None => self
                    .tree
                    .add(table, Self::implicit(part, IMPLICIT | DOTTED)),
                // toml lets dotted keys extend only tables other dotted keys made, but also
                // the last table of an array of tables and a table a header's path made:
                // those two this tree leaves to toml_edit.
                Some(child) => {
                    let node = self.tree.node(child);
                    let made_by_dots = IMPLICIT | DOTTED;
                    if node.tag != Tag::Table || node.flags & made_by_dots != made_by_dots {
                        return None;
                    }
                    child
                }
            };
        }
        Some(table)
    }

    /// Follows the path of a header from the root, making the tables it names (toml's
    /// `descend_path` without `dotted`).
    fn descend_header(&mut self, path: &[Part]) -> Option<u32> {
        let mut table = ROOT;
        for &part in path {
            table = match self.entry(table, part) {
                None => self.tree.add(table, Self::implicit(part, IMPLICIT)),
                Some(child) => {
                    let node = self.tree.node(child);
                    match node.tag {
                        Tag::Table if node.flags & INLINE == 0 => child,
                        // A header below an array of tables goes into its last table.
                        Tag::Array if node.flags & TABLES != 0 => node.data[1],
                        _ => return None,
                    }
                }
            };
        }
        Some(table)
    }

    /// Starts a `[header]` (toml's `start_table` and `finish_table` together: nothing can
    /// change the tables above it while its own keys are read).
    fn start_header(&mut self, start: u32, end: u32, array: bool) -> Option<u32> {
        let key = self.take_key();
        let (&last, path) = key.split_last()?;
        let parent = self.descend_header(path)?;
        self.give_back(key);
        let span = [start, end];
        let existing = self.entry(parent, last);
        if array {
            let tables = match existing {
                None => self.tree.add(
                    parent,
                    Self::node(Tag::Array, Some(last), span, [NONE; 2], TABLES),
                ),
                Some(array) if self.tree.node(array).flags & TABLES != 0 => array,
                Some(_) => return None,
            };
            return Some(
                self.tree
                    .add(tables, Self::node(Tag::Table, None, span, [NONE; 2], 0)),
            );
        }
        match existing {
            None => Some(self.tree.add(
                parent,
                Self::node(Tag::Table, Some(last), span, [NONE; 2], 0),
            )),
            // A header may define a table that only headers below it named; it then takes
            // that table's entries, and its own key and span, as toml does.
            Some(table) => {
                let node = &mut self.tree.nodes[table as usize];
                if node.tag != Tag::Table || node.flags & (IMPLICIT | DOTTED) != IMPLICIT {
                    return None;
                }
                node.key = last.span;
                node.key_text = last.text;
                node.span = span;
                node.flags &= !(IMPLICIT | DOTTED);
                Some(table)
            }
        }
    }

    /// Puts a value where it belongs: as the next element of the array being read, or under
    /// the key just read, in the inline table being read or in the current table.
    fn attach(&mut self, node: Node) -> Option<u32> {
        let table = match self.open.last() {
            Some(&array) if self.tree.node(array).tag == Tag::Array => {
                if !self.key.is_empty() {
                    return None;
                }
                return Some(self.tree.add(array, node));
            }
            Some(&inline) => inline,
            None => self.current,
        };
        let key = self.take_key();
        let (&last, path) = key.split_last()?;
        let table = self.descend_dotted(table, path)?;
        self.give_back(key);
        if self.entry(table, last).is_some() {
            return None;
        }
        let id = self.tree.add(
            table,
            Node {
                key: last.span,
                key_text: last.text,
                ..node
            },
        );
        Some(id)
    }

    /// The key just read, to follow while the builder changes the tree.
    fn take_key(&mut self) -> Vec<Part> {
        std::mem::take(&mut self.key)
    }

    /// Gives the key's vector back, empty, for the next key to reuse.
    fn give_back(&mut self, mut key: Vec<Part>) {
        key.clear();
        self.key = key;
    }

    /// Opens an array or an inline table.
    fn open_value(&mut self, span: Span, tag: Tag, flags: u8) {
        let start = span.start() as u32;
        let node = Self::node(tag, None, [start, start], [NONE; 2], flags);
        match self.attach(node) {
            Some(id) => self.open.push(id),
            None => self.refused = true,
        }
    }

    /// Closes the innermost array or inline table, which ends where `span` ends.
    fn close_value(&mut self, span: Span, tag: Tag) {
        match self.open.pop() {
            Some(id) if self.tree.node(id).tag == tag => {
                self.tree.nodes[id as usize].span[1] = span.end() as u32;
            }
            _ => self.refused = true,
        }
    }

    /// Decodes a scalar as toml does, and checks its number as `numbers_fit` does.
    fn scalar_node(
        &mut self,
        span: Span,
        encoding: Option<Encoding>,
        error: &mut dyn ErrorSink,
    ) -> Option<Node> {
        let raw = raw(self.tree.text, span, encoding)?;
        let mut decoded = Cow::Borrowed("");
        let kind = raw.decode_scalar(&mut decoded, error);
        let (tag, data) = match kind {
            ScalarKind::String => {
                let text = self.tree.keep(&decoded)?;
                (Tag::String, [text.start, text.end])
            }
            ScalarKind::Boolean(b) => (Tag::Boolean, [u32::from(b), 0]),
            ScalarKind::DateTime => {
                let datetime = decoded.parse::<Datetime>().ok()?;
                self.tree.datetimes.push(datetime);
                (Tag::Datetime, [self.tree.datetimes.len() as u32 - 1, 0])
            }
            ScalarKind::Float if float_fits(&decoded) => (Tag::Float, [0; 2]),
            ScalarKind::Float => return None,
            ScalarKind::Integer(radix) => {
                let bits = i64::from_str_radix(&decoded, radix.value()).ok()? as u64;
                (Tag::Integer, [bits as u32, (bits >> 32) as u32])
            }
        };
        let span = [span.start() as u32, span.end() as u32];
        Some(Self::node(tag, None, span, data, 0))
    }
}

impl EventReceiver for Builder<'_> {
    fn std_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.refused |= self.header.is_some() || !self.open.is_empty() || !self.key.is_empty();
        self.header = Some((span.start() as u32, false));
    }

    fn std_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.close_header(span, false);
    }

    fn array_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.refused |= self.header.is_some() || !self.open.is_empty() || !self.key.is_empty();
        self.header = Some((span.start() as u32, true));
    }

    fn array_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.close_header(span, true);
    }

    fn inline_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        if !self.refused {
            self.open_value(span, Tag::Table, INLINE);
        }
        true
    }

    fn inline_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        if !self.refused {
            self.close_value(span, Tag::Table);
        }
    }

    fn array_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        if !self.refused {
            self.open_value(span, Tag::Array, 0);
        }
        true
    }

    fn array_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        if !self.refused {
            self.close_value(span, Tag::Array);
        }
    }

    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        if self.refused {
            return;
        }
        let mut decoded = Cow::Borrowed("");
        let text = raw(self.tree.text, span, encoding).and_then(|raw| {
            raw.decode_key(&mut decoded, error);
            self.tree.keep(&decoded)
        });
        // toml refuses a key of LIMIT dotted parts or more before the last.
        match text {
            Some(text) if self.key.len() < LIMIT as usize => self.key.push(Part {
                span: [span.start() as u32, span.end() as u32],
                text,
            }),
            _ => self.refused = true,
        }
    }

    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        if self.refused {
            return;
        }
        let node = self.scalar_node(span, encoding, error);
        self.refused = node.and_then(|node| self.attach(node)).is_none();
    }

    fn error(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.refused = true;
    }
}

impl Builder<'_> {
    /// Ends a header at its `]` or `]]`.
    fn close_header(&mut self, span: Span, array: bool) {
        if self.refused {
            return;
        }
        let table = match self.header.take() {
            Some((start, is_array)) if is_array == array => {
                self.start_header(start, span.end() as u32, array)
            }
            _ => None,
        };
        match table {
            Some(table) => self.current = table,
            None => self.refused = true,
        }
    }
}

/// The text of an event, to decode.
fn raw(text: &str, span: Span, encoding: Option<Encoding>) -> Option<Raw<'_>> {
    let slice = text.get(span.start()..span.end())?;
    Some(Raw::new_unchecked(slice, encoding, span))
}

/// A node of a [`Tree`].
#[derive(Debug, Clone, Copy)]
pub struct CompactNode<'a> {
    tree: &'a Tree<'a>,
    id: u32,
}

impl<'a> CompactNode<'a> {
    fn node(self) -> &'a Node {
        self.tree.node(self.id)
    }

    fn at(self, id: u32) -> Self {
        CompactNode {
            tree: self.tree,
            id,
        }
    }

    fn span(range: [u32; 2]) -> Range<usize> {
        range[0] as usize..range[1] as usize
    }

    /// The children of a table (nothing for any other node).
    fn table_children(self) -> impl Iterator<Item = Self> {
        let table = (self.node().tag == Tag::Table).then_some(self.id);
        table
            .into_iter()
            .flat_map(move |id| self.tree.children(id).map(move |child| self.at(child)))
    }

    fn find(self, key: &str) -> Option<Self> {
        if self.node().tag != Tag::Table {
            return None;
        }
        self.tree.find(self.id, key).0.map(|child| self.at(child))
    }
}

impl<'a> TreeNode<'a> for CompactNode<'a> {
    fn kind(self) -> Kind<'a> {
        let node = self.node();
        match node.tag {
            Tag::String => Kind::String(self.tree.str(Text {
                start: node.data[0],
                end: node.data[1],
            })),
            Tag::Integer => {
                let bits = u64::from(node.data[0]) | (u64::from(node.data[1]) << 32);
                Kind::Integer(bits as i64)
            }
            Tag::Float => Kind::Float,
            Tag::Boolean => Kind::Boolean(node.data[0] != 0),
            Tag::Datetime => match self.tree.datetimes.get(node.data[0] as usize) {
                Some(datetime) => Kind::Datetime(datetime),
                None => Kind::None,
            },
            Tag::Array if node.flags & TABLES != 0 => Kind::ArrayOfTables,
            Tag::Array => Kind::Array,
            // toml's tree tells a table's style by the first character of its span, which is
            // the key that made it for an implicit table.
            Tag::Table if node.flags & IMPLICIT != 0 => Kind::Table(Style::Dotted),
            Tag::Table if node.flags & INLINE != 0 => Kind::Table(Style::Inline),
            Tag::Table => Kind::Table(Style::Header),
        }
    }

    fn entries(self) -> impl Iterator<Item = (&'a str, Option<Range<usize>>, Self)> {
        self.table_children().map(|child| {
            let node = child.node();
            (
                self.tree.str(node.key_text),
                Some(Self::span(node.key)),
                child,
            )
        })
    }

    fn get(self, key: &str) -> Option<Self> {
        self.find(key)
    }

    fn elements(self) -> impl Iterator<Item = Self> {
        let array = (self.node().tag == Tag::Array).then_some(self.id);
        array
            .into_iter()
            .flat_map(move |id| self.tree.children(id).map(move |child| self.at(child)))
    }

    fn table_span(self) -> Option<Range<usize>> {
        (self.id != ROOT && self.node().tag == Tag::Table).then(|| Self::span(self.node().span))
    }

    fn key_span(self, key: &str) -> Option<Range<usize>> {
        self.find(key).map(|child| Self::span(child.node().key))
    }

    fn is_implicit(self) -> bool {
        self.kind() == Kind::Table(Style::Dotted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::load::load_tree;

    /// Plans whose expressions a slice may end between: headers indented and not, arrays and
    /// inline tables over several lines, an array of arrays with one at the start of a line,
    /// comments, and documents toml refuses.
    fn texts() -> Vec<String> {
        let sample = include_str!("../../plans/eucom-sample.toml").to_string();
        let mut out = vec![
            sample.clone(),
            include_str!("../../plans/indopacom-sample.toml").to_string(),
            crate::synth::generate(6, 5, 0.3, 11),
            sample.replace("priorities = [", "priorities = [\n[\"x\"],\n  "),
            sample.replace("\n[[country]]", "\n  # a comment\n  [[country]]"),
            sample.replace("tech_areas = [", "tech_areas = [ # open\n"),
            sample.replacen("[[country]]", "x = { a = 1,\n[[country]]", 1),
            sample.replacen("[[country]]", "x = [1,\n[[country]]", 1),
            sample.replacen("[[country]]", "]\n[[country]]", 2),
            sample.replacen("[plan]", "[plan]\n[plan]", 1),
        ];
        out.push(out[2].replace("\n", "\r\n"));
        out
    }

    /// Everything a reader of the tree can see of `node`, as text.
    fn dump<'a>(node: CompactNode<'a>, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(
            out,
            "{:?} {:?} {}",
            node.kind(),
            node.table_span(),
            node.is_implicit()
        );
        for (key, span, child) in node.entries() {
            let _ = write!(out, " {key:?}@{span:?}={{");
            dump(child, out);
            out.push('}');
        }
        for element in node.elements() {
            out.push('[');
            dump(element, out);
            out.push(']');
        }
    }

    /// The dump of a tree, or nothing when there is none.
    fn dumped(tree: Option<Tree<'_>>) -> Option<String> {
        let tree = tree?;
        let mut out = String::new();
        dump(tree.root(), &mut out);
        Some(out)
    }

    #[test]
    fn a_tree_built_in_the_buffers_of_a_larger_one_is_the_tree_of_a_fresh_parse() {
        let (small, large) = (texts()[0].clone(), crate::synth::generate(12, 8, 0.3, 5));
        // On a thread of its own, so that its buffers start empty.
        let fresh = std::thread::scope(|s| s.spawn(|| dumped(parse(&small))).join().ok().flatten());
        assert!(fresh.is_some(), "the small plan parses");
        spare::reuse_buffers();
        let large_nodes = parse(&large).map(|tree| tree.nodes.capacity());
        let reused = parse(&small);
        assert!(
            reused.as_ref().map(|tree| tree.nodes.capacity()) >= large_nodes,
            "the small plan's tree is built in the large one's nodes"
        );
        assert_eq!(dumped(reused), fresh);
    }

    /// Plans cut in two at each country section's header: sections after the cut, waivers,
    /// priorities after the sections, multi-line strings with dates and escapes.
    fn cut_texts() -> Vec<String> {
        let sample = include_str!("../../plans/eucom-sample.toml").to_string();
        let synth = crate::synth::generate(6, 5, 0.3, 11);
        let tail = "\n[[priority]]\nid = \"SP-9\"\ntitle = \"Late \\u00e9\"\n";
        let mut out = vec![
            sample.clone(),
            include_str!("../../plans/indopacom-sample.toml").to_string(),
            synth.clone(),
            format!("{synth}{tail}"),
            format!("{synth}\n[[waiver]]\ncode = \"SCP301\"\nwhen = 2026-01-02T03:04:05Z\n"),
            sample.replacen(
                "[[country]]",
                "notes = '''\n[[country]]\n'''\n[[country]]",
                1,
            ),
        ];
        out.push(out[2].replace("\n", "\r\n"));
        out
    }

    /// Where `text` may be cut: the start of every line that is `[[country]]` alone.
    fn cuts(text: &str) -> Vec<usize> {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
        let header =
            |at: usize| ["[[country]]\n", "[[country]]\r\n"].map(|h| text[at..].starts_with(h));
        starts.filter(|&at| header(at).contains(&true)).collect()
    }

    #[test]
    fn a_plan_parsed_in_two_halves_is_the_tree_of_one_parse_of_the_whole() {
        for text in cut_texts() {
            let whole = parse_in_chunks(&text, CHUNK_TOKENS);
            let (loaded, seen) = (
                whole.as_ref().map(|t| load_tree(t.root(), &text)),
                dumped(whole),
            );
            assert!(seen.is_some(), "the plan parses whole");
            assert!(
                cuts(&text).len() >= 2,
                "the plan has sections to cut between"
            );
            for cut in cuts(&text) {
                let Some(tree) = parse_in_halves(&text, cut) else {
                    // Only a cut inside the string declines.
                    assert!(text[..cut].ends_with("'''\n"), "cut at {cut} declined");
                    continue;
                };
                assert_eq!(Some(load_tree(tree.root(), &text)), loaded, "cut at {cut}");
                assert_eq!(dumped(Some(tree)), seen, "cut at {cut}");
            }
        }
    }

    #[test]
    fn a_large_plan_is_parsed_in_halves_to_the_tree_of_one_parse() {
        let text = crate::synth::generate(80, 40, 0.2, 3);
        assert!(text.len() >= cut::SPLIT_FROM_BYTES);
        let at = cut::before_section(&text, 1, 2).expect("a section past the middle");
        assert!(parse_in_halves(&text, at).is_some(), "the halves join");
        let whole = dumped(parse_in_chunks(&text, CHUNK_TOKENS));
        assert!(whole.is_some());
        assert_eq!(dumped(parse(&text)), whole);
    }

    #[test]
    fn halves_that_name_a_table_of_the_first_are_declined() {
        let sample = include_str!("../../plans/eucom-sample.toml");
        let cut = cuts(sample)[1];
        for tail in [
            "[plan.cui]\nreason = \"x\"\n",
            "[plan]\nid = \"x\"\n",
            "[country]\n",
        ] {
            let text = format!("{}{tail}{}", &sample[..cut], &sample[cut..]);
            assert!(parse_in_halves(&text, cut).is_none(), "{tail}");
            let whole = parse_in_chunks(&text, CHUNK_TOKENS).is_some();
            assert_eq!(
                parse(&text).is_some(),
                whole,
                "{tail}: as the whole parse says"
            );
        }
    }

    #[test]
    fn a_plan_parsed_a_slice_at_a_time_loads_as_when_parsed_whole() {
        let texts = texts();
        assert!(parse_in_chunks(&texts[0], 1).is_some(), "the sample parses");
        for text in texts {
            let whole = parse_in_chunks(&text, usize::MAX).map(|t| load_tree(t.root(), &text));
            for chunk in [1, 2, 7, 64, 1000] {
                let sliced = parse_in_chunks(&text, chunk).map(|t| load_tree(t.root(), &text));
                assert_eq!(sliced, whole, "slices of {chunk} tokens");
            }
        }
    }
}
