//! The loader's reading of one key: locations, type checks, enumerations, texts, dates,
//! numbers, lists and technology areas, each reporting what is wrong.

use std::ops::Range;

use jiff::civil::Date;

use super::{Cx, Reader, TableAt, describe};
use crate::plan::catalog;
use crate::plan::finding::Finding;
use crate::plan::model::*;
use crate::plan::review;
use crate::plan::schema::{FieldSpec, FieldType, TableKind};
use crate::plan::tree::{Kind, Style, TreeNode};

impl Cx<'_> {
    pub(super) fn loc(&self, span: Option<std::ops::Range<usize>>) -> Loc {
        span.map_or(Loc::START, |s| {
            let mut loc = self.lines.loc(s);
            loc.line += self.line_base;
            loc
        })
    }

    /// Where the entry `name` of a table is: its key, or its header when it is a sub-table.
    pub(super) fn key_loc<'n, N: TreeNode<'n>>(&self, table: N, name: &str) -> Loc {
        match table.get(name) {
            Some(item) => self.entry_loc(table.key_span(name), item),
            None => Loc::START,
        }
    }

    /// Where an entry whose key has `key_span` is: its key, or its header when it is a
    /// sub-table.
    pub(super) fn entry_loc<'n, N: TreeNode<'n>>(
        &self,
        key_span: Option<Range<usize>>,
        item: N,
    ) -> Loc {
        let table_span = match item.kind() {
            Kind::Table(Style::Header) => item.table_span(),
            Kind::ArrayOfTables => item.elements().next().and_then(|t| t.table_span()),
            _ => None,
        };
        let span = table_span.or(key_span);
        self.loc(span.map(|span| self.header_start(self.dotted_start(span))))
    }

    /// A key inside a header (`[plan.cui.foo]` makes `plan.cui` by naming it) is reported at
    /// the header's `[`, as the header of the table it makes.
    fn header_start(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let bytes = self.lines.text().as_bytes();
        let mut start = span.start;
        while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
            start -= 1;
        }
        if start == 0 || bytes[start - 1] != b'[' {
            return span;
        }
        while start > 0 && bytes[start - 1] == b'[' {
            start -= 1;
        }
        start..span.end
    }

    /// A key written as the last part of a dotted key (`plan.format = 1`) starts where the
    /// whole dotted key starts.
    pub(super) fn dotted_start(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let text = self.lines.text();
        // Most keys are not dotted: the character before one, spaces and tabs aside, is a line
        // break or another ASCII character than `.`, which settles it without the scan below.
        match text.as_bytes()[..span.start]
            .iter()
            .rfind(|&&b| b != b' ' && b != b'\t')
        {
            None | Some(b'\n') => return span,
            Some(&b) if b.is_ascii_graphic() && b != b'.' => return span,
            _ => {}
        }
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..span.start];
        if !before.trim_end().ends_with('.') {
            return span;
        }
        let part_of_key =
            |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | '\t' | '"' | '\'');
        let offset = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| part_of_key(*c))
            .last()
            .map_or(span.start, |(i, _)| line_start + i);
        let offset =
            offset + text[offset..span.start].len() - text[offset..span.start].trim_start().len();
        offset..span.end
    }

    pub(super) fn push(&mut self, d: Finding) {
        self.diags.push(d);
    }

    pub(super) fn unknown_key<'k>(
        &mut self,
        name: &str,
        known: impl Iterator<Item = &'k str>,
        item: &str,
        loc: Loc,
        node: Option<Node>,
    ) {
        let known: Vec<&str> = known.collect();
        let mut d = Finding::new(
            "SCP004",
            item,
            loc,
            format!("unknown key `{name}`: scplan ignores it"),
        );
        d = match catalog::closest(name, known.iter().copied()) {
            Some(best) => d.with_help(format!("did you mean `{best}`?")),
            None => d.with_help(format!("known keys here: {}", known.join(", "))),
        };
        if let Some(node) = node {
            d = d.at(node, Some(name));
        }
        self.push(d);
    }

    /// Opens a table: finds its item name, records its known keys and reports unknown ones.
    pub(super) fn open<'n, N: TreeNode<'n>>(
        &mut self,
        at: &TableAt<N>,
        kind: TableKind,
        node: Node,
        parent_item: &str,
    ) -> Reader<N> {
        // Only tables with an id key are named by it; the rest by their parent.
        let (item, named) = match kind.id_key().and_then(|key| at.table.get(key)).map(N::kind) {
            Some(Kind::String(s)) => (s.to_string(), true),
            _ => (parent_item.to_string(), false),
        };
        let mut reader = Reader {
            kind,
            head: Head {
                node,
                header: at.header,
                item,
                named,
            },
            keys: Vec::with_capacity(kind.fields().len()),
        };
        for (name, key_span, entry) in at.table.entries() {
            let loc = self.entry_loc(key_span, entry);
            if let Some(spec) = kind.field(name) {
                reader.keys.push((spec.name, loc, entry));
            } else if let Some(child) = kind.children().iter().find(|k| k.key() == name) {
                reader.keys.push((child.key(), loc, entry));
            } else {
                let item = reader.head.item.clone();
                self.unknown_key(name, kind.known_keys(), &item, loc, Some(node));
            }
        }
        reader
    }

    pub(super) fn diag<N>(
        &mut self,
        r: &Reader<N>,
        code: &'static str,
        loc: Loc,
        field: &str,
        message: String,
    ) {
        let d = Finding::new(code, r.head.item.clone(), loc, message).at(r.head.node, Some(field));
        self.push(d);
    }

    /// [`Self::diag`] with what to do about it.
    pub(super) fn diag_helped<N>(
        &mut self,
        r: &Reader<N>,
        (code, loc, field): (&'static str, Loc, &str),
        message: String,
        help: String,
    ) {
        let d = Finding::new(code, r.head.item.clone(), loc, message)
            .at(r.head.node, Some(field))
            .with_help(help);
        self.push(d);
    }

    pub(super) fn wrong_type<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        spec: &FieldSpec,
        loc: Loc,
        item: N,
    ) {
        let found = describe(item.kind());
        self.diag(
            r,
            "SCP003",
            loc,
            spec.name,
            format!(
                "`{}` must be {}, not {found}",
                spec.name,
                spec.ty.describe()
            ),
        );
    }

    /// Reports the required keys of a table that are absent.
    pub(super) fn finish<N>(&mut self, r: &Reader<N>) {
        for spec in r.kind.fields().iter().filter(|s| s.required) {
            if !r.has(spec.name) {
                let d = Finding::new(
                    "SCP002",
                    r.head.item.clone(),
                    r.head.header,
                    format!(
                        "missing required key `{}` in {}",
                        spec.name,
                        r.kind.header()
                    ),
                )
                .with_help(format!(
                    "add `{} = ...` ({})",
                    spec.name,
                    spec.ty.describe()
                ))
                .at(r.head.node, Some(spec.name));
                self.push(d);
            }
        }
    }

    pub(super) fn text<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        name: &'static str,
    ) -> Opt<String> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        match item.kind() {
            Kind::String(s) => {
                let value = s.to_string();
                if spec.not_blank && value.trim().is_empty() {
                    self.diag(
                        r,
                        "SCP009",
                        loc,
                        name,
                        format!("`{name}` is blank: write the {name}"),
                    );
                }
                if let FieldType::Enum(values) = spec.ty
                    && !values.contains(&value.as_str())
                {
                    self.bad_enum(r, name, loc, &value, values);
                    return Some(Field { value: None, loc });
                }
                Some(Field {
                    value: Some(value),
                    loc,
                })
            }
            _ => {
                self.wrong_type(r, spec, loc, item);
                Some(Field { value: None, loc })
            }
        }
    }

    pub(super) fn bad_enum<N>(
        &mut self,
        r: &Reader<N>,
        name: &str,
        loc: Loc,
        value: &str,
        values: &[&str],
    ) {
        let mut d = Finding::new(
            "SCP006",
            r.head.item.clone(),
            loc,
            format!(
                "`{name}` = \"{value}\" is not one of: {}",
                values.join(", ")
            ),
        )
        .at(r.head.node, Some(name));
        if let Some(best) = catalog::closest(value, values.iter().copied()) {
            d = d.with_help(format!("did you mean \"{best}\"?"));
        }
        self.push(d);
    }

    pub(super) fn date<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        name: &'static str,
    ) -> Opt<Date> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        if let Kind::Datetime(dt) = item.kind()
            && let (Some(d), None, None) = (dt.date, dt.time, dt.offset)
        {
            // The parsers accept only real dates; one that is not is a wrong value all the
            // same, said as such rather than as a wrong type.
            let Ok(date) = Date::new(d.year as i16, d.month as i8, d.day as i8) else {
                let message = format!("`{name}` = {d} is not a valid date");
                self.diag(r, "SCP003", loc, name, message);
                return Some(Field { value: None, loc });
            };
            return Some(Field {
                value: Some(date),
                loc,
            });
        }
        self.wrong_type(r, spec, loc, item);
        Some(Field { value: None, loc })
    }

    /// A local date, or a non-blank string (an event or an exemption).
    pub(super) fn date_or_text<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        name: &'static str,
    ) -> Opt<Declassify> {
        let (loc, item) = r.get(name)?;
        if let Kind::String(_) = item.kind() {
            let text = self.text(r, name)?;
            return Some(Field {
                value: text.value.map(Declassify::Event),
                loc,
            });
        }
        let date = self.date(r, name)?;
        Some(Field {
            value: date.value.map(Declassify::Date),
            loc,
        })
    }

    pub(super) fn integer<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        name: &'static str,
    ) -> Opt<i64> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        match item.kind() {
            Kind::Integer(value) => {
                if spec.ty == FieldType::Percent && !(0..=100).contains(&value) {
                    self.diag_helped(
                        r,
                        ("SCP003", loc, name),
                        format!("{name} {value} is outside 0..=100 (a percentage)"),
                        format!("write `{name}` as a whole number from 0 to 100"),
                    );
                    return Some(Field { value: None, loc });
                }
                Some(Field {
                    value: Some(value),
                    loc,
                })
            }
            _ => {
                self.wrong_type(r, spec, loc, item);
                Some(Field { value: None, loc })
            }
        }
    }

    pub(super) fn boolean<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        name: &'static str,
    ) -> Opt<bool> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        match item.kind() {
            Kind::Boolean(value) => Some(Field {
                value: Some(value),
                loc,
            }),
            _ => {
                self.wrong_type(r, spec, loc, item);
                Some(Field { value: None, loc })
            }
        }
    }

    pub(super) fn list<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        name: &'static str,
    ) -> Opt<List> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        if item.kind() != Kind::Array {
            self.wrong_type(r, spec, loc, item);
            return Some(Field { value: None, loc });
        }
        let mut list = List::default();
        let mut wrong = false;
        for value in item.elements() {
            list.raw_len += 1;
            match value.kind() {
                Kind::String(s) => list.entries.push(s.to_string()),
                _ => wrong = true,
            }
        }
        if wrong {
            self.diag(
                r,
                "SCP003",
                loc,
                name,
                format!("`{name}` must be an array of strings; some entries are not strings"),
            );
        }
        if spec.ty == FieldType::TechAreas {
            self.tech_areas(r, name, loc, &list);
        }
        Some(Field {
            value: Some(list),
            loc,
        })
    }

    /// A table of priority ids to review stamps (`reviewed_links`), written inline, as a
    /// sub-table or with dotted keys. A value that is not a stamp is SCP006 at its key (at the
    /// table's key when it is inline, as an inline table sits on one line).
    pub(super) fn stamps<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        name: &'static str,
    ) -> Option<ReviewedLinks> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        let inline = match item.kind() {
            Kind::Table(style) => style == Style::Inline,
            _ => {
                self.wrong_type(r, spec, loc, item);
                return Some(ReviewedLinks { loc, stamps: None });
            }
        };
        let mut stamps = Vec::new();
        for (key, key_span, value) in item.entries() {
            let at = if inline {
                loc
            } else {
                self.entry_loc(key_span, value)
            };
            let stamp = match value.kind() {
                Kind::String(s) if review::is_stamp(s) => Some(s.to_string()),
                other => {
                    let found = match other {
                        Kind::String(s) => format!("\"{s}\""),
                        other => describe(other).to_string(),
                    };
                    let d = Finding::new(
                        "SCP006",
                        r.head.item.clone(),
                        at,
                        format!(
                            "the stamp of `{key}` in `{name}` must be 8 lower-case hex digits, not {found}"
                        ),
                    )
                    .with_help(crate::plan::review::confirm_help(
                        &r.head,
                        key,
                        "write the priority's current stamp",
                    ))
                    .at(r.head.node, Some(name))
                    .naming(key);
                    self.push(d);
                    None
                }
            };
            stamps.push(LinkStamp {
                priority: key.to_string(),
                stamp,
                loc: at,
            });
        }
        Some(ReviewedLinks {
            loc,
            stamps: Some(stamps),
        })
    }

    pub(super) fn tech_areas<N>(&mut self, r: &Reader<N>, name: &str, loc: Loc, list: &List) {
        if let Some(tech_list) = self.tech_list {
            for d in super::tech::findings(tech_list, &r.head, name, loc, list) {
                self.push(d);
            }
        }
    }

    pub(super) fn portion<'n, N: TreeNode<'n>>(&mut self, r: &Reader<N>) -> Portion {
        Portion {
            marking: self.text(r, "marking"),
            justification: self.text(r, "marking_justification"),
            intel: self.boolean(r, "intel"),
            nf_exception: self.text(r, "nf_exception"),
        }
    }

    /// Reads every table of a collection with `read`.
    pub(super) fn items<'n, N: TreeNode<'n>, T>(
        &mut self,
        parent: N,
        collection: Collection,
        parent_item: &str,
        parent_node: Option<Node>,
        mut read: impl FnMut(&mut Self, TableAt<N>, usize) -> T,
    ) -> Vec<T> {
        self.collection(parent, collection, parent_item, parent_node)
            .into_iter()
            .map(|(i, t)| read(self, t, i))
            .collect()
    }

    /// The tables of a collection (either TOML spelling), reporting a wrong shape as SCP003.
    pub(super) fn collection<'n, N: TreeNode<'n>>(
        &mut self,
        parent: N,
        collection: Collection,
        parent_item: &str,
        parent_node: Option<Node>,
    ) -> Vec<(usize, TableAt<N>)> {
        let key = collection.key();
        let Some(item) = parent.get(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut wrong = !matches!(item.kind(), Kind::ArrayOfTables | Kind::Array);
        for (i, t) in item.elements().enumerate() {
            if matches!(t.kind(), Kind::Table(Style::Header | Style::Inline)) {
                let header = self.loc(t.table_span());
                out.push((i, TableAt { table: t, header }));
            } else {
                wrong = true;
            }
        }
        if wrong {
            let header = collection.kind().header();
            let mut d = Finding::new(
                "SCP003",
                parent_item,
                self.key_loc(parent, key),
                format!("`{key}` must be an array of tables: write each as {header}"),
            );
            if let Some(node) = parent_node {
                d = d.at(node, Some(key));
            }
            self.push(d);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use toml_edit::{Date, Datetime, DocumentMut, value};

    /// A date the parsers would refuse, put into a document by hand.
    #[test]
    fn a_date_that_does_not_exist_is_said_to_be_no_valid_date() {
        let mut doc: DocumentMut = "[plan]\n".parse().expect("a document");
        let feb_30 = Datetime {
            date: Some(Date {
                year: 2026,
                month: 2,
                day: 30,
            }),
            time: None,
            offset: None,
        };
        doc["plan"]["effective"] = value(feb_30);
        let loaded = super::super::load(doc.as_table(), "");
        let found: Vec<&str> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.code == "SCP003")
            .map(|d| &*d.message)
            .collect();
        assert_eq!(found, ["`effective` = 2026-02-30 is not a valid date"]);
    }

    /// Every value out of its range says what to write instead.
    #[test]
    fn a_value_out_of_range_says_what_to_write() {
        let plans = [
            ("[plan]\nformat = 2\n", "SCP008", "write `format = 1`"),
            (
                "[plan]\neffective = 2026-10-01\nperiod_end = 2025-09-30\n",
                "SCP003",
                "make `period_end` a date after `effective` (2026-10-01)",
            ),
            (
                "[[country]]\ncode = \"POL\"\n[[country.investment_pool]]\nid = \"POL-IP-1\"\nus_share = 101\n",
                "SCP003",
                "write `us_share` as a whole number from 0 to 100",
            ),
        ];
        for (text, code, help) in plans {
            let loaded = crate::check::load_text(text).expect("the plan parses");
            let found: Vec<&str> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.code == code)
                .filter_map(|d| d.help.as_deref())
                .collect();
            assert!(found.iter().any(|h| h.contains(help)), "{text}: {found:?}");
        }
    }
}
