//! `PlanDocument`: the plan's TOML document, the source of truth for every change. It loads
//! from bytes, serializes with the file's own line endings, byte-order mark and final newline,
//! addresses items by position or by id, and applies [`Edit`]s, each returning its inverse.

use toml_edit::{
    Array, ArrayOfTables, DocumentMut, InlineTable, Item, Key, Table, TableLike, Value,
};

use super::load::{self, Loaded};
use super::model::{Collection, Loc, Node, Part};
use super::schema::TableKind;
use super::source::{self, DecodeError, Layout, LineIndex};

mod halves;
pub mod lists;
mod order;

pub use halves::{Half, cut};

/// Why a document could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Too large or not UTF-8.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Not valid TOML.
    #[error("TOML syntax error at line {}, column {}: {message}", .loc.line, .loc.column)]
    Syntax {
        /// Where the parser stopped.
        loc: Loc,
        /// What it found.
        message: String,
    },
}

/// Why an edit could not be applied; the document is then unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The addressed table does not exist (or is not a table).
    #[error("no such item: {0}")]
    NoSuchItem(String),
    /// The key holds a table, not a value.
    #[error("`{0}` is a table, not a value")]
    NotAValue(String),
    /// The key does not hold an array of strings.
    #[error("`{0}` is not an array")]
    NotAnArray(String),
    /// An index past the end of a collection or array.
    #[error("index {index} is out of range for `{what}`")]
    OutOfRange {
        /// What was indexed.
        what: String,
        /// The index.
        index: usize,
    },
    /// The document could not be read (the plan is shown, but cannot be edited).
    #[error("the plan cannot be edited: {0}")]
    Unreadable(DocumentError),
}

/// One item of a collection as stored in the document: a `[[header]]` table or an inline
/// table inside an array.
#[derive(Debug, Clone)]
pub enum ItemBody {
    /// A header-style table (keeps its position and decor).
    Header(Table),
    /// An inline table (keeps its decor).
    Inline(Value),
}

/// A change to the document. Every edit applied returns its inverse; applying the inverses
/// in reverse order gives back the original bytes.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Sets `field` of `node` (inserting the key if absent); `None` removes the key.
    SetField {
        /// The table.
        node: Node,
        /// The key.
        field: String,
        /// The new value, or `None` to remove the key.
        value: Option<Value>,
    },
    /// Puts a removed key back where it was, with its formatting (the inverse of a removal).
    RestoreField {
        /// The table.
        node: Node,
        /// Its former position among the table's keys.
        index: usize,
        /// The key with its formatting.
        key: Key,
        /// The value with its formatting.
        item: Item,
    },
    /// Inserts an item into a collection at `index` (creating the collection if absent).
    InsertItem {
        /// The collection.
        collection: Collection,
        /// Where.
        index: usize,
        /// The item.
        body: ItemBody,
    },
    /// Removes the item at `index` of a collection.
    RemoveItem {
        /// The collection.
        collection: Collection,
        /// Which.
        index: usize,
    },
    /// Moves the item at `from` to `to` within its collection.
    MoveItem {
        /// The collection.
        collection: Collection,
        /// Its index now.
        from: usize,
        /// Its index afterwards.
        to: usize,
    },
    /// Appends a string to an array of strings (creating the array if absent).
    AddEntry {
        /// The table.
        node: Node,
        /// The key of the array.
        field: String,
        /// The string.
        value: String,
    },
    /// Removes the entry at `index` of an array.
    RemoveEntry {
        /// The table.
        node: Node,
        /// The key of the array.
        field: String,
        /// Which entry.
        index: usize,
    },
    /// Several edits as one step.
    Batch(Vec<Edit>),
}

impl Edit {
    /// The one part of the document this edit changes nothing outside of, if any.
    pub fn part(&self) -> Option<Part> {
        match self {
            Edit::SetField { node, .. }
            | Edit::RestoreField { node, .. }
            | Edit::AddEntry { node, .. }
            | Edit::RemoveEntry { node, .. } => Part::of_node(*node),
            Edit::InsertItem { collection, .. }
            | Edit::RemoveItem { collection, .. }
            | Edit::MoveItem { collection, .. } => Part::of_collection(*collection),
            Edit::Batch(edits) => {
                let (first, rest) = edits.split_first()?;
                let part = first.part()?;
                rest.iter().all(|e| e.part() == Some(part)).then_some(part)
            }
        }
    }
}

/// An item addressed by what names it rather than by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemPath {
    /// `[plan]`.
    Plan,
    /// `[plan.cui]`.
    Cui,
    /// `[plan.authority]`.
    Authority,
    /// The priority with this id.
    Priority(String),
    /// The country with this code.
    Country(String),
    /// The objective with this id.
    Objective(String),
    /// The agreement with this id.
    Agreement(String),
    /// The actor with this id.
    Actor(String),
    /// The investment pool with this id.
    Pool(String),
}

/// A table reached in the document: header-style or inline.
enum TableRef<'a> {
    Header(&'a Table),
    Inline(&'a InlineTable),
}

impl<'a> TableRef<'a> {
    fn like(&self) -> &'a dyn TableLike {
        match self {
            TableRef::Header(t) => *t,
            TableRef::Inline(t) => *t,
        }
    }
}

enum TableMut<'a> {
    Header(&'a mut Table),
    Inline(&'a mut InlineTable),
}

impl<'a> TableMut<'a> {
    fn like(&mut self) -> &mut dyn TableLike {
        match self {
            TableMut::Header(t) => *t,
            TableMut::Inline(t) => *t,
        }
    }

    fn into_like(self) -> &'a mut dyn TableLike {
        match self {
            TableMut::Header(t) => t,
            TableMut::Inline(t) => t,
        }
    }
}

/// The plan's TOML document and the layout of the file it came from.
#[derive(Debug, Clone)]
pub struct PlanDocument {
    doc: DocumentMut,
    layout: Layout,
}

impl PlanDocument {
    /// Loads a document from a file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DocumentError> {
        let (text, layout) = source::decode(bytes)?;
        Self::from_text(&text, layout)
    }

    /// A document with nothing in it, to be written with `layout`.
    pub fn empty(layout: Layout) -> Self {
        PlanDocument {
            doc: DocumentMut::new(),
            layout,
        }
    }

    /// Loads a document from LF text, to be written back with `layout`.
    pub fn from_text(text: &str, layout: Layout) -> Result<Self, DocumentError> {
        let doc: DocumentMut = text.parse().map_err(|err| syntax_error(text, &err))?;
        Ok(PlanDocument { doc, layout })
    }

    /// The TOML document itself and the file's layout, for code that works on the document
    /// as a whole (the three-way merge).
    pub fn into_parts(self) -> (DocumentMut, Layout) {
        (self.doc, self.layout)
    }

    /// The file's layout (line endings, byte-order mark, final newline).
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The document as LF text without a byte-order mark (what locations refer to).
    pub fn to_text(&self) -> String {
        self.doc.to_string()
    }

    /// The document as the bytes of a file with the original layout.
    pub fn to_bytes(&self) -> Vec<u8> {
        source::encode(&self.doc.to_string(), self.layout)
    }

    /// Builds the typed plan and its structural diagnostics from the current document.
    pub fn load(&self) -> Loaded {
        self.load_with_text().1
    }

    /// The document's text and the plan loaded from it.
    pub fn load_with_text(&self) -> (String, Loaded) {
        let text = self.doc.to_string();
        // toml's span-keeping parse is the faster one; both give the same plan (a test holds
        // them equal). A document built by edits always re-parses; the spanless tree is the
        // last resort.
        let loaded = match load::load_fast(&text) {
            Some(loaded) => loaded,
            None => match toml_edit::Document::parse(text.as_str()) {
                Ok(parsed) => load::load(parsed.as_table(), &text),
                Err(_) => load::load(self.doc.as_table(), &text),
            },
        };
        (text, loaded)
    }

    /// The text of a part exactly as the whole document prints it (the comments above its
    /// first header included), when its items are `[[header]]` tables: the editor re-reads one
    /// part after an edit instead of the whole plan. The part is printed on its own, after a
    /// guard line that makes it print as it does below other content; whether that equals its
    /// place in the whole text is for the caller to check.
    pub fn part_text(&mut self, part: Part) -> Option<String> {
        const GUARD: &str = "g = 0\n";
        let root = self.doc.as_table_mut();
        let key = root.key(part.key())?.clone();
        let slot = root.get_mut(part.key())?;
        // Lent to a scratch document and put back before anything can return.
        let lent = match (part, &mut *slot) {
            (Part::Country(ci), Item::ArrayOfTables(items)) => {
                let mut one = ArrayOfTables::new();
                one.push(std::mem::take(items.get_mut(ci)?));
                Item::ArrayOfTables(one)
            }
            (Part::Priorities | Part::Waivers, Item::ArrayOfTables(_))
            | (Part::Plan, Item::Table(_)) => std::mem::take(slot),
            _ => return None,
        };
        let mut scratch = DocumentMut::new();
        scratch.insert("g", toml_edit::value(0));
        scratch.insert_formatted(&key, lent);
        let text = scratch.to_string();
        if let Some(lent) = scratch.remove(key.get()) {
            match (part, slot, lent) {
                (Part::Country(ci), Item::ArrayOfTables(items), Item::ArrayOfTables(mut one)) => {
                    if let (Some(slot), false) = (items.get_mut(ci), one.is_empty()) {
                        *slot = one.remove(0);
                    }
                }
                (_, slot, lent) => *slot = lent,
            }
        }
        text.strip_prefix(GUARD).map(str::to_string)
    }

    /// The value of `field` in the table at `node`.
    pub fn get(&self, node: Node, field: &str) -> Option<&Item> {
        self.table(node)?.like().get(field)
    }

    /// The key `field` of the table at `node` as written (with its formatting) and its
    /// position among the table's keys: what an edit that replaces a sub-table puts back.
    pub fn key_at(&self, node: Node, field: &str) -> Option<(usize, &Key)> {
        let table = self.table(node)?.like();
        let index = table.iter().position(|(k, _)| k == field)?;
        Some((index, table.key(field)?))
    }

    /// The number of items in a collection (0 when absent).
    pub fn len(&self, collection: Collection) -> usize {
        let Some(parent) = self.parent(collection) else {
            return 0;
        };
        match parent.like().get(collection.key()) {
            Some(Item::ArrayOfTables(a)) => a.len(),
            Some(Item::Value(Value::Array(a))) => a.len(),
            _ => 0,
        }
    }

    /// A copy of the item at `index` of a collection, as stored.
    pub fn item_body(&self, collection: Collection, index: usize) -> Option<ItemBody> {
        match self.parent(collection)?.like().get(collection.key())? {
            Item::ArrayOfTables(a) => a.get(index).cloned().map(ItemBody::Header),
            Item::Value(Value::Array(a)) => a.get(index).cloned().map(ItemBody::Inline),
            _ => None,
        }
    }

    /// Finds an item by its id or code.
    pub fn resolve(&self, path: &ItemPath) -> Option<Node> {
        let named = |collection: Collection, key: &str, wanted: &str| -> Option<Node> {
            (0..self.len(collection))
                .map(|i| Node::Item(collection, i))
                .find(|node| {
                    matches!(self.get(*node, key), Some(Item::Value(Value::String(s))) if s.value() == wanted)
                })
        };
        let in_countries = |kind: TableKind, id: &str| -> Option<Node> {
            (0..self.len(Collection::Countries))
                .find_map(|c| named(Collection::of_country(kind, c)?, "id", id))
        };
        let node = match path {
            ItemPath::Plan => Node::Plan,
            ItemPath::Cui => Node::Cui,
            ItemPath::Authority => Node::Authority,
            ItemPath::Priority(id) => return named(Collection::Priorities, "id", id),
            ItemPath::Country(code) => return named(Collection::Countries, "code", code),
            ItemPath::Objective(id) => return in_countries(TableKind::Objective, id),
            ItemPath::Agreement(id) => return in_countries(TableKind::Agreement, id),
            ItemPath::Actor(id) => return in_countries(TableKind::Actor, id),
            ItemPath::Pool(id) => return in_countries(TableKind::Pool, id),
        };
        self.table(node).map(|_| node)
    }

    /// Applies an edit and returns its inverse; on error the document is unchanged.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::SetField { node, field, value } => self.set_field(node, field, value),
            Edit::RestoreField {
                node,
                index,
                key,
                item,
            } => {
                let mut table = self.table_mut(node)?;
                let name = key.get().to_string();
                insert_at(&mut table, index, key, item);
                Ok(Edit::SetField {
                    node,
                    field: name,
                    value: None,
                })
            }
            Edit::InsertItem {
                collection,
                index,
                body,
            } => self.insert_item(collection, index, body),
            Edit::RemoveItem { collection, index } => {
                let body = self.remove_item(collection, index)?;
                Ok(Edit::InsertItem {
                    collection,
                    index,
                    body,
                })
            }
            Edit::MoveItem {
                collection,
                from,
                to,
            } => {
                let len = self.len(collection);
                if to >= len {
                    return Err(EditError::OutOfRange {
                        what: collection.key().to_string(),
                        index: to,
                    });
                }
                let original = self.remove_item(collection, from)?;
                let mut moved = original.clone();
                if let ItemBody::Header(table) = &mut moved {
                    // A moved table takes its place from its new neighbours, not its old
                    // document position.
                    clear_positions(table);
                }
                self.insert_item(collection, to, moved)?;
                Ok(Edit::Batch(vec![
                    Edit::RemoveItem {
                        collection,
                        index: to,
                    },
                    Edit::InsertItem {
                        collection,
                        index: from,
                        body: original,
                    },
                ]))
            }
            Edit::AddEntry { node, field, value } => {
                let old = self.get(node, &field).cloned();
                let array = match &old {
                    None => Array::new(),
                    Some(Item::Value(Value::Array(a))) => a.clone(),
                    Some(_) => return Err(EditError::NotAnArray(field)),
                };
                let mut array = array;
                lists::push(&mut array, &value);
                self.set_array(node, field, old, array)
            }
            Edit::RemoveEntry { node, field, index } => {
                let old = self.get(node, &field).cloned();
                let Some(Item::Value(Value::Array(array))) = &old else {
                    return Err(EditError::NotAnArray(field));
                };
                if index >= array.len() {
                    return Err(EditError::OutOfRange { what: field, index });
                }
                let mut array = array.clone();
                lists::remove(&mut array, index);
                self.set_array(node, field, old, array)
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match self.apply(edit) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(err) => {
                            for inverse in inverses.into_iter().rev() {
                                // Undoing what this batch just did cannot fail.
                                let _ = self.apply(inverse);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }

    fn set_array(
        &mut self,
        node: Node,
        field: String,
        old: Option<Item>,
        array: Array,
    ) -> Result<Edit, EditError> {
        let inverse = match old {
            None => Edit::SetField {
                node,
                field: field.clone(),
                value: None,
            },
            Some(Item::Value(v)) => Edit::SetField {
                node,
                field: field.clone(),
                value: Some(v),
            },
            Some(_) => return Err(EditError::NotAValue(field)),
        };
        self.set_field(node, field, Some(Value::Array(array)))?;
        Ok(inverse)
    }

    fn set_field(
        &mut self,
        node: Node,
        field: String,
        value: Option<Value>,
    ) -> Result<Edit, EditError> {
        let value = value.map(escape_invisible);
        let mut table = self.table_mut(node)?;
        let like = table.like();
        match (like.get_mut(&field), value) {
            (Some(Item::Value(old)), Some(mut new)) => {
                *new.decor_mut() = old.decor().clone();
                let previous = std::mem::replace(old, new);
                Ok(Edit::SetField {
                    node,
                    field,
                    value: Some(previous),
                })
            }
            (Some(Item::None), _) | (None, None) => Ok(Edit::SetField {
                node,
                field,
                value: None,
            }),
            (Some(_), Some(_)) => Err(EditError::NotAValue(field)),
            (None, Some(mut new)) => {
                new.decor_mut().clear();
                let key = new_key(&table, &field);
                let index = usize::MAX;
                insert_at(&mut table, index, key, Item::Value(new));
                Ok(Edit::SetField {
                    node,
                    field,
                    value: None,
                })
            }
            (Some(_), None) => {
                let (index, key, item) = remove_entry(&mut table, &field)
                    .ok_or_else(|| EditError::NotAValue(field.clone()))?;
                Ok(Edit::RestoreField {
                    node,
                    index,
                    key,
                    item,
                })
            }
        }
    }

    fn insert_item(
        &mut self,
        collection: Collection,
        index: usize,
        body: ItemBody,
    ) -> Result<Edit, EditError> {
        let len = self.len(collection);
        if index > len {
            return Err(EditError::OutOfRange {
                what: collection.key().to_string(),
                index,
            });
        }
        // The first item of a list has no sibling to take its indentation from: it takes
        // that of the same list under another parent (another objective's indicators).
        let cousin = (len == 0).then(|| self.cousin_indent(collection)).flatten();
        let mut parent = self.parent_mut(collection)?;
        let key = collection.key();
        let like = parent.like();
        if like.get(key).is_none() {
            let empty = match (&parent, &body) {
                (TableMut::Header(_), ItemBody::Header(_)) => {
                    Item::ArrayOfTables(ArrayOfTables::new())
                }
                _ => Item::Value(Value::Array(Array::new())),
            };
            parent.like().insert(key, empty);
        }
        match parent.like().get_mut(key) {
            Some(Item::ArrayOfTables(array)) => {
                let mut table = match body {
                    ItemBody::Header(t) => t,
                    ItemBody::Inline(Value::InlineTable(t)) => t.into_table(),
                    ItemBody::Inline(_) => {
                        return Err(EditError::NoSuchItem(format!("a table for `{key}`")));
                    }
                };
                if table.position().is_none() {
                    let sibling = array
                        .get(index.saturating_sub(1))
                        .or_else(|| array.get(index));
                    match sibling {
                        Some(s) => style_like(&mut table, &Indent::of(s)),
                        None => style_like(&mut table, &cousin.unwrap_or_default()),
                    }
                }
                array.insert(index, table);
            }
            Some(Item::Value(Value::Array(array))) => {
                let value = match body {
                    ItemBody::Inline(v) => v,
                    ItemBody::Header(t) => {
                        let mut inline = t.into_inline_table();
                        inline.fmt();
                        Value::InlineTable(inline)
                    }
                };
                let mut value = value;
                let decor = value.decor();
                if decor.prefix().is_none() && decor.suffix().is_none() {
                    // A new entry: appended, it takes the layout of the last one; elsewhere
                    // it gets the default written out, so that its decor is explicit and an
                    // undo that re-inserts it (keeping the decor it has) restores the bytes.
                    match array.get(array.len().wrapping_sub(1)) {
                        Some(last) if index == array.len() => {
                            *value.decor_mut() = last.decor().clone();
                        }
                        _ => {
                            let prefix = if index == 0 { "" } else { " " };
                            value.decor_mut().set_prefix(prefix);
                            value.decor_mut().set_suffix("");
                        }
                    }
                }
                array.insert_formatted(index, value);
            }
            _ => return Err(EditError::NoSuchItem(key.to_string())),
        }
        Ok(Edit::RemoveItem { collection, index })
    }

    fn remove_item(&mut self, collection: Collection, index: usize) -> Result<ItemBody, EditError> {
        if index >= self.len(collection) {
            return Err(EditError::OutOfRange {
                what: collection.key().to_string(),
                index,
            });
        }
        let mut parent = self.parent_mut(collection)?;
        match parent.like().get_mut(collection.key()) {
            Some(Item::ArrayOfTables(array)) => Ok(ItemBody::Header(array.remove(index))),
            Some(Item::Value(Value::Array(array))) => Ok(ItemBody::Inline(array.remove(index))),
            _ => Err(EditError::NoSuchItem(collection.key().to_string())),
        }
    }

    fn parent(&self, collection: Collection) -> Option<TableRef<'_>> {
        match collection.parent() {
            None => Some(TableRef::Header(self.doc.as_table())),
            Some(node) => self.table(node),
        }
    }

    fn parent_mut(&mut self, collection: Collection) -> Result<TableMut<'_>, EditError> {
        match collection.parent() {
            None => Ok(TableMut::Header(self.doc.as_table_mut())),
            Some(node) => self.table_mut(node),
        }
    }

    /// The indentation of the first header table of the same kind as `collection`'s under
    /// another parent, if the document has one.
    fn cousin_indent(&self, collection: Collection) -> Option<Indent> {
        let countries = 0..self.len(Collection::Countries);
        let first = |c: Collection| match self.table(Node::Item(c, 0)) {
            Some(TableRef::Header(t)) => Some(Indent::of(t)),
            _ => None,
        };
        let under = |c: usize| match collection {
            Collection::Objectives(_) => Some(Collection::Objectives(c)),
            Collection::Agreements(_) => Some(Collection::Agreements(c)),
            Collection::Actors(_) => Some(Collection::Actors(c)),
            Collection::Pools(_) => Some(Collection::Pools(c)),
            Collection::Barriers(_) => Some(Collection::Barriers(c)),
            _ => None,
        };
        match collection {
            Collection::Priorities | Collection::Countries | Collection::Waivers => None,
            Collection::Indicators(..) => countries
                .flat_map(|c| (0..self.len(Collection::Objectives(c))).map(move |o| (c, o)))
                .find_map(|(c, o)| first(Collection::Indicators(c, o))),
            _ => countries.filter_map(under).find_map(first),
        }
    }

    fn table(&self, node: Node) -> Option<TableRef<'_>> {
        let (parent, key, index) = match node {
            Node::Plan => (TableRef::Header(self.doc.as_table()), "plan", None),
            Node::Cui | Node::Authority => (self.table(Node::Plan)?, node.kind().key(), None),
            Node::Item(collection, i) => (self.parent(collection)?, collection.key(), Some(i)),
        };
        child(parent.like().get(key)?, index)
    }

    fn table_mut(&mut self, node: Node) -> Result<TableMut<'_>, EditError> {
        let missing = || EditError::NoSuchItem(format!("{node:?}"));
        let (parent, key, index) = match node {
            Node::Plan => (TableMut::Header(self.doc.as_table_mut()), "plan", None),
            Node::Cui | Node::Authority => (self.table_mut(Node::Plan)?, node.kind().key(), None),
            Node::Item(collection, i) => (self.parent_mut(collection)?, collection.key(), Some(i)),
        };
        let item = parent.into_like().get_mut(key).ok_or_else(missing)?;
        child_mut(item, index).ok_or_else(missing)
    }
}

/// A TOML syntax error of `text`, located.
fn syntax_error(text: &str, err: &toml_edit::TomlError) -> DocumentError {
    let loc = err
        .span()
        .map_or(Loc::START, |span| LineIndex::new(text).loc(span));
    DocumentError::Syntax {
        loc,
        message: err.message().trim().to_string(),
    }
}

/// The table an item holds (or the `index`th table of an array of them).
fn child(item: &Item, index: Option<usize>) -> Option<TableRef<'_>> {
    match (item, index) {
        (Item::Table(t), None) => Some(TableRef::Header(t)),
        (Item::Value(Value::InlineTable(t)), None) => Some(TableRef::Inline(t)),
        (Item::ArrayOfTables(a), Some(i)) => a.get(i).map(TableRef::Header),
        (Item::Value(Value::Array(a)), Some(i)) => match a.get(i)? {
            Value::InlineTable(t) => Some(TableRef::Inline(t)),
            _ => None,
        },
        _ => None,
    }
}

fn child_mut(item: &mut Item, index: Option<usize>) -> Option<TableMut<'_>> {
    match (item, index) {
        (Item::Table(t), None) => Some(TableMut::Header(t)),
        (Item::Value(Value::InlineTable(t)), None) => Some(TableMut::Inline(t)),
        (Item::ArrayOfTables(a), Some(i)) => a.get_mut(i).map(TableMut::Header),
        (Item::Value(Value::Array(a)), Some(i)) => match a.get_mut(i)? {
            Value::InlineTable(t) => Some(TableMut::Inline(t)),
            _ => None,
        },
        _ => None,
    }
}

/// A key for a new entry, indented like the table's other keys. In a header table the
/// indentation is always explicit (empty when there is none), so that styling the table again
/// when an undo re-inserts it leaves the key as it is.
fn new_key(table: &TableMut, name: &str) -> Key {
    let mut key = Key::new(name);
    if let TableMut::Header(t) = table {
        let indent = t
            .iter()
            .filter(|(_, item)| item.is_value())
            .last()
            .and_then(|(last, _)| t.key(last))
            .and_then(|k| k.leaf_decor().prefix().and_then(|p| p.as_str()))
            .map(|prefix| prefix.rsplit('\n').next().unwrap_or(""))
            .filter(|indent| indent.chars().all(|c| c == ' ' || c == '\t'))
            .unwrap_or("");
        key.leaf_decor_mut().set_prefix(indent.to_string());
    }
    key
}

/// Inserts `key = item` at `index` among the table's keys (at the end when past it).
fn insert_at(table: &mut TableMut, index: usize, key: Key, item: Item) {
    match table {
        TableMut::Header(t) => {
            let names: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            if index >= names.len() {
                t.insert_formatted(&key, item);
                return;
            }
            let tail: Vec<(Key, Item)> = names[index..]
                .iter()
                .filter_map(|name| t.remove_entry(name))
                .collect();
            t.insert_formatted(&key, item);
            for (k, v) in tail {
                t.insert_formatted(&k, v);
            }
        }
        TableMut::Inline(t) => {
            let Ok(value) = item.into_value() else {
                return;
            };
            let names: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
            if index >= names.len() {
                t.insert_formatted(&key, value);
                return;
            }
            let tail: Vec<(Key, Value)> = names[index..]
                .iter()
                .filter_map(|name| t.remove_entry(name))
                .collect();
            t.insert_formatted(&key, value);
            for (k, v) in tail {
                t.insert_formatted(&k, v);
            }
        }
    }
}

/// Removes a key, returning its position, the key and the item with their formatting.
fn remove_entry(table: &mut TableMut, name: &str) -> Option<(usize, Key, Item)> {
    match table {
        TableMut::Header(t) => {
            let index = t.iter().position(|(k, _)| k == name)?;
            let (key, item) = t.remove_entry(name)?;
            Some((index, key, item))
        }
        TableMut::Inline(t) => {
            let index = t.iter().position(|(k, _)| k == name)?;
            let (key, value) = t.remove_entry(name)?;
            Some((index, key, Item::Value(value)))
        }
    }
}

/// Forgets the document positions of a table and every table inside it, so that it is
/// written where it is inserted rather than where it came from.
pub fn clear_positions(table: &mut Table) {
    table.set_position(None);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => clear_positions(t),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(clear_positions),
            _ => {}
        }
    }
}

/// Gives a table made from an inline one the layout of `like`, a header table beside it:
/// the blank lines and indentation before its header (a comment above it aside), the keys'
/// before each key.
pub fn lay_out_like(table: &mut Table, like: &Table) {
    let before = like.decor().prefix().and_then(|p| p.as_str());
    if let Some(before) = before.filter(|p| p.chars().all(char::is_whitespace)) {
        table.decor_mut().set_prefix(before.to_string());
    }
    style_like(table, &Indent::of(like));
}

/// How a header table is indented: its header line and its keys.
#[derive(Debug, Clone, Default)]
struct Indent {
    header: String,
    keys: String,
}

impl Indent {
    /// The indentation `table` is written with.
    fn of(table: &Table) -> Indent {
        let indent = |decor: Option<&toml_edit::RawString>| -> String {
            decor
                .and_then(|p| p.as_str())
                .map(|p| p.rsplit('\n').next().unwrap_or("").to_string())
                .filter(|s| s.chars().all(|c| c == ' ' || c == '\t'))
                .unwrap_or_default()
        };
        let keys = table
            .iter()
            .find(|(_, item)| item.is_value())
            .and_then(|(name, _)| table.key(name))
            .map(|k| indent(k.leaf_decor().prefix()))
            .unwrap_or_default();
        Indent {
            header: indent(table.decor().prefix()),
            keys,
        }
    }
}

/// Gives a new header table a blank line and the indentation `like`. Only the table's own
/// key/value lines are indented (the key of a sub-table is part of that sub-table's header),
/// and every prefix it sets is explicit, so that styling the same table again (an undo
/// re-inserting a removed or moved item that had no document position) changes nothing.
fn style_like(table: &mut Table, like: &Indent) {
    if table.decor().prefix().is_none() {
        table.decor_mut().set_prefix(format!("\n{}", like.header));
    }
    let names: Vec<String> = table
        .iter()
        .filter(|(_, item)| item.is_value())
        .map(|(k, _)| k.to_string())
        .collect();
    for name in names {
        if let Some(mut key) = table.key_mut(&name)
            && key.leaf_decor().prefix().is_none()
        {
            key.leaf_decor_mut().set_prefix(like.keys.clone());
        }
    }
}

/// A string holding a character that would not show in a viewer (a bidirectional override, a
/// zero-width space) written as one escaped basic string, so that the file reads as what it
/// holds; toml_edit writes those characters as they are. Other values are left alone.
fn escape_invisible(value: Value) -> Value {
    let Value::String(s) = &value else {
        return value;
    };
    let invisible = |c: char| crate::text::needs_escape(c) && !c.is_control();
    if !s.value().chars().any(invisible) {
        return value;
    }
    crate::plan::source::basic_string(s.value())
        .parse::<Value>()
        .unwrap_or(value)
}
