//! Parsed TOML as the loader reads it, behind one small trait that both parsers' trees
//! implement: toml_edit's document (the editor's source of truth, which keeps formatting) and
//! toml's span-keeping `DeTable` (lighter and faster, for the read-only `check` path). One
//! loader reads both, so both paths build the same plan and the same findings.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml_edit::{Datetime, Item, TableLike, Value};

/// What a node of the tree holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind<'a> {
    /// An empty slot (toml_edit only).
    None,
    /// A string, escapes decoded.
    String(&'a str),
    /// An integer.
    Integer(i64),
    /// A float.
    Float,
    /// A boolean.
    Boolean(bool),
    /// An offset or local date-time, a local date or a local time.
    Datetime(&'a Datetime),
    /// An array of values (`[...]`).
    Array,
    /// An array of tables (`[[...]]` headers).
    ArrayOfTables,
    /// A table, and how it was written.
    Table(Style),
}

/// How a table was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Under a `[header]`, or made implicitly by a header below it (`[plan.cui]` alone).
    Header,
    /// Inline: `{ ... }`.
    Inline,
    /// By dotted keys (`plan.format = 1`).
    Dotted,
}

/// A node of a parsed TOML tree: a table, an array or a scalar, with the spans it keeps.
pub trait TreeNode<'a>: Copy {
    /// What the node holds.
    fn kind(self) -> Kind<'a>;
    /// The entries of a table in the parser's order, each with the span of its key (nothing
    /// for any other node).
    fn entries(self) -> impl Iterator<Item = (&'a str, Option<Range<usize>>, Self)>;
    /// The entry `key` of a table.
    fn get(self, key: &str) -> Option<Self>;
    /// The elements of an array or of an array of tables (nothing for any other node).
    fn elements(self) -> impl Iterator<Item = Self>;
    /// Where a table starts: its `[header]`, its inline `{`, or for a dotted or implicit
    /// table the key that made it.
    fn table_span(self) -> Option<Range<usize>>;
    /// Where the key of the entry `key` of a table is (its last part, for a dotted key).
    fn key_span(self, key: &str) -> Option<Range<usize>>;
    /// Whether a table exists only because a header below it named it.
    fn is_implicit(self) -> bool;

    /// Whether a table holds values of its own, its dotted sub-tables' included.
    fn has_values(self) -> bool {
        self.entries().any(|(_, _, node)| match node.kind() {
            Kind::Table(Style::Dotted) => node.has_values(),
            Kind::Table(Style::Header) | Kind::ArrayOfTables | Kind::None => false,
            _ => true,
        })
    }
}

/// A node of toml_edit's document.
#[derive(Debug, Clone, Copy)]
pub enum EditNode<'a> {
    /// A header table: the root, or an element of an array of tables.
    Table(&'a toml_edit::Table),
    /// An entry of a table.
    Item(&'a Item),
    /// An element of an array.
    Value(&'a Value),
}

impl<'a> EditNode<'a> {
    fn table_like(self) -> Option<&'a dyn TableLike> {
        match self {
            EditNode::Table(t) | EditNode::Item(Item::Table(t)) => Some(t),
            EditNode::Item(Item::Value(Value::InlineTable(t)))
            | EditNode::Value(Value::InlineTable(t)) => Some(t),
            _ => None,
        }
    }

    fn value(self) -> Option<&'a Value> {
        match self {
            EditNode::Item(Item::Value(v)) | EditNode::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<'a> TreeNode<'a> for EditNode<'a> {
    fn kind(self) -> Kind<'a> {
        let value = match self {
            EditNode::Table(t) | EditNode::Item(Item::Table(t)) => {
                return Kind::Table(if t.is_dotted() {
                    Style::Dotted
                } else {
                    Style::Header
                });
            }
            EditNode::Item(Item::None) => return Kind::None,
            EditNode::Item(Item::ArrayOfTables(_)) => return Kind::ArrayOfTables,
            EditNode::Item(Item::Value(v)) | EditNode::Value(v) => v,
        };
        match value {
            Value::String(s) => Kind::String(s.value()),
            Value::Integer(i) => Kind::Integer(*i.value()),
            Value::Float(_) => Kind::Float,
            Value::Boolean(b) => Kind::Boolean(*b.value()),
            Value::Datetime(dt) => Kind::Datetime(dt.value()),
            Value::Array(_) => Kind::Array,
            Value::InlineTable(t) => Kind::Table(if t.is_dotted() {
                Style::Dotted
            } else {
                Style::Inline
            }),
        }
    }

    fn entries(self) -> impl Iterator<Item = (&'a str, Option<Range<usize>>, Self)> {
        self.table_like().into_iter().flat_map(|t| {
            t.iter().map(move |(key, item)| {
                let span = t.key(key).and_then(|k| k.span());
                (key, span, EditNode::Item(item))
            })
        })
    }

    fn get(self, key: &str) -> Option<Self> {
        self.table_like()?.get(key).map(EditNode::Item)
    }

    fn elements(self) -> impl Iterator<Item = Self> {
        let tables = match self {
            EditNode::Item(Item::ArrayOfTables(a)) => Some(a),
            _ => None,
        };
        let values = match self.value() {
            Some(Value::Array(a)) => Some(a),
            _ => None,
        };
        let tables = tables
            .into_iter()
            .flat_map(|a| a.iter().map(EditNode::Table));
        tables.chain(
            values
                .into_iter()
                .flat_map(|a| a.iter().map(EditNode::Value)),
        )
    }

    fn table_span(self) -> Option<Range<usize>> {
        match self {
            EditNode::Table(t) | EditNode::Item(Item::Table(t)) => t.span(),
            _ => match self.value() {
                Some(Value::InlineTable(t)) => t.span(),
                _ => None,
            },
        }
    }

    fn key_span(self, key: &str) -> Option<Range<usize>> {
        self.table_like()?.get_key_value(key)?.0.span()
    }

    fn is_implicit(self) -> bool {
        matches!(self, EditNode::Table(t) | EditNode::Item(Item::Table(t)) if t.is_implicit())
    }
}

/// A node of toml's span-keeping tree, with the text its spans refer to: the reference the
/// compact tree of the check path is held equal to (`tests/parsers_agree.rs`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct DeNode<'a> {
    text: &'a str,
    at: DeAt<'a>,
}

#[derive(Debug, Clone, Copy)]
enum DeAt<'a> {
    Root(&'a DeTable<'a>),
    Value(&'a Spanned<DeValue<'a>>),
}

impl<'a> DeNode<'a> {
    /// The root of a document parsed from `text`.
    pub fn root(table: &'a DeTable<'a>, text: &'a str) -> Self {
        DeNode {
            text,
            at: DeAt::Root(table),
        }
    }

    fn at(self, value: &'a Spanned<DeValue<'a>>) -> Self {
        DeNode {
            text: self.text,
            at: DeAt::Value(value),
        }
    }

    fn table(self) -> Option<&'a DeTable<'a>> {
        match self.at {
            DeAt::Root(t) => Some(t),
            DeAt::Value(v) => match v.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            },
        }
    }

    /// toml's tree does not say how a table was written; its span does: a header starts
    /// with `[`, an inline table with `{`, and an implicit or dotted table has the span of
    /// the key that made it.
    fn style(self, span: &Range<usize>) -> Style {
        match self.text.as_bytes().get(span.start) {
            Some(b'[') => Style::Header,
            Some(b'{') => Style::Inline,
            _ => Style::Dotted,
        }
    }
}

impl<'a> TreeNode<'a> for DeNode<'a> {
    fn kind(self) -> Kind<'a> {
        let DeAt::Value(v) = self.at else {
            return Kind::Table(Style::Header);
        };
        match v.get_ref() {
            DeValue::String(s) => Kind::String(s),
            DeValue::Integer(i) => {
                Kind::Integer(i64::from_str_radix(i.as_str(), i.radix()).unwrap_or(i64::MAX))
            }
            DeValue::Float(_) => Kind::Float,
            DeValue::Boolean(b) => Kind::Boolean(*b),
            DeValue::Datetime(dt) => Kind::Datetime(dt),
            DeValue::Array(a) => {
                // An array of tables holds tables under `[[headers]]`; an array of inline
                // tables holds `{ ... }` ones.
                let headed = a.iter().next().is_some_and(|first| {
                    first.get_ref().is_table() && self.style(&first.span()) == Style::Header
                });
                if headed {
                    Kind::ArrayOfTables
                } else {
                    Kind::Array
                }
            }
            DeValue::Table(_) => Kind::Table(self.style(&v.span())),
        }
    }

    fn entries(self) -> impl Iterator<Item = (&'a str, Option<Range<usize>>, Self)> {
        self.table().into_iter().flat_map(move |t| {
            t.iter()
                .map(move |(k, v)| (k.get_ref().as_ref(), Some(k.span()), self.at(v)))
        })
    }

    fn get(self, key: &str) -> Option<Self> {
        self.table()?.get(key).map(|v| self.at(v))
    }

    fn elements(self) -> impl Iterator<Item = Self> {
        let array = match self.at {
            DeAt::Value(v) => v.get_ref().as_array(),
            DeAt::Root(_) => None,
        };
        array
            .into_iter()
            .flat_map(move |a| a.iter().map(move |v| self.at(v)))
    }

    fn table_span(self) -> Option<Range<usize>> {
        match self.at {
            DeAt::Value(v) if v.get_ref().is_table() => Some(v.span()),
            _ => None,
        }
    }

    fn key_span(self, key: &str) -> Option<Range<usize>> {
        self.table()?.get_key_value(key).map(|(k, _)| k.span())
    }

    fn is_implicit(self) -> bool {
        self.kind() == Kind::Table(Style::Dotted)
    }
}

/// Whether every number in toml's tree is one toml_edit accepts too: an integer that fits
/// in 64 bits, a float that is finite unless written `inf`. toml checks these only when
/// deserializing; the loader must read what the editing path reads or fall back to it (the
/// compact tree checks the same as it is built; this is its reference).
#[doc(hidden)]
pub fn numbers_fit(table: &DeTable<'_>) -> bool {
    table.values().all(|v| value_fits(v.get_ref()))
}

fn value_fits(value: &DeValue<'_>) -> bool {
    match value {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).is_ok(),
        DeValue::Float(f) => float_fits(f.as_str()),
        DeValue::Array(a) => a.iter().all(|v| value_fits(v.get_ref())),
        DeValue::Table(t) => numbers_fit(t),
        DeValue::String(_) | DeValue::Boolean(_) | DeValue::Datetime(_) => true,
    }
}

/// Whether a float as toml decodes it is one toml_edit accepts: finite unless written `inf`.
pub(crate) fn float_fits(raw: &str) -> bool {
    let bare = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    raw.parse::<f64>()
        .is_ok_and(|x| x.is_finite() || bare.chars().all(|c| c.is_ascii_alphabetic()))
}
