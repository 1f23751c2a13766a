//! What is under the cursor, read from the text around it (not from the plan, which is out of
//! date while the text does not parse): the table whose section holds it, the key and value it
//! is in, the string or word it touches.

use std::ops::Range;

use crate::edit::toml_text::{
    self, Entry, header_path, line_end, string_at, strings_in, table_entries, value_range,
};
use crate::plan::schema::{ALL_TABLES, TableKind};

/// A string in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    /// Its bytes, quotes included (to the line's end when it is left open).
    pub range: Range<usize>,
    /// Where its contents start (after the opening quote).
    pub contents: usize,
    /// Its contents.
    pub value: String,
}

/// Where the cursor is, within its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// On a header line; the offset where the line's text starts.
    Header(usize),
    /// Where a key is being written: the bytes of the word typed so far.
    NewKey(Range<usize>),
    /// Where a key of an objective's `reviewed_links` is being written (a linked priority's
    /// id): the bytes typed so far. The keys it has already are [`Cursor::present`].
    StampKey(Range<usize>),
    /// On the key of an entry.
    Key(Entry),
    /// In the value of an entry, perhaps in one of its strings.
    Value(Entry, Option<Str>),
    /// Anywhere else (a comment, a blank stretch of a line).
    Other,
}

/// The cursor's context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The byte offset of the cursor.
    pub offset: usize,
    /// The kind of table whose section holds the cursor (`None`: the root, or a table the
    /// format does not know).
    pub table: Option<TableKind>,
    /// Where the header of that table starts (`None` for the root).
    pub header: Option<usize>,
    /// The place in the table.
    pub place: Place,
    /// The word under the cursor (letters, digits, `-`, `_`, `.`), and its bytes.
    pub word: Option<(Range<usize>, String)>,
    /// Where a key of an inline table is being written: the keys that table has already
    /// (`None` elsewhere: a table's keys are read from its section).
    pub present: Option<Vec<String>>,
}

impl Cursor {
    /// The context of the cursor at byte `offset` of `text`.
    pub fn at(text: &str, offset: usize) -> Cursor {
        let offset = offset.min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let header = header_above(text, line_start);
        let table = header.and_then(|h| table_kind(&text[h..line_end(text, h)]));
        let word = word_at(text, offset);
        let line = &text[line_start..line_end(text, line_start)];
        let line = line.trim_start_matches('\u{feff}');
        let line_start = line_end(text, line_start) - line.len();
        let indent = line.len() - line.trim_start().len();
        let mut table = table;
        let mut present = None;
        let stamps_table = header.is_some_and(|h| {
            header_path(&text[h..line_end(text, h)]).as_deref()
                == Some("country.objective.reviewed_links")
        });
        let place = if line.trim_start().starts_with('[') {
            Place::Header(line_start + indent)
        } else if stamps_table {
            // `[country.objective.reviewed_links]`: its keys are priority ids.
            match place_in_table(text, header, offset, line_start) {
                Place::NewKey(typed) => {
                    present = Some(
                        table_entries(text, header)
                            .0
                            .into_iter()
                            .map(|e| e.key)
                            .collect(),
                    );
                    Place::StampKey(typed)
                }
                place => place,
            }
        } else {
            match place_in_table(text, header, offset, line_start) {
                // In an inline table (`objective = [{ priorities = ["SP-1"] }]`): the table
                // and key are the inline table's.
                Place::Value(entry, string) => {
                    let inline = inline_keys(text, entry.value_range.start, offset);
                    match inline.writing {
                        // A key being written in an inline table: the keys it has already.
                        Some((typed, have)) if string.is_none() => {
                            match table.and_then(|k| inline_table(k, &entry.key, &inline.keys)) {
                                Some(kind) => {
                                    table = Some(kind);
                                    present = Some(have);
                                    Place::NewKey(typed)
                                }
                                None if table == Some(TableKind::Objective)
                                    && entry.key == "reviewed_links"
                                    && inline.keys.is_empty() =>
                                {
                                    present = Some(have);
                                    Place::StampKey(typed)
                                }
                                None => Place::Value(entry, string),
                            }
                        }
                        _ => match table.and_then(|kind| nested(kind, &entry.key, &inline.keys)) {
                            // The inline table's key, and its own value (not all of the line).
                            Some((kind, key)) => {
                                table = Some(kind);
                                let value_range = inline
                                    .value
                                    .map_or(entry.value_range.clone(), |v| value_range(text, v));
                                Place::Value(
                                    Entry {
                                        key,
                                        value_range,
                                        ..entry
                                    },
                                    string,
                                )
                            }
                            None => Place::Value(entry, string),
                        },
                    }
                }
                place => place,
            }
        };
        Cursor {
            offset,
            table,
            header,
            place,
            word,
            present,
        }
    }

    /// The key of the entry the cursor is in (on its key or in its value).
    pub fn key(&self) -> Option<&str> {
        match &self.place {
            Place::Key(e) | Place::Value(e, _) => Some(&e.key),
            _ => None,
        }
    }

    /// The string the cursor is in, in an entry's value.
    pub fn string(&self) -> Option<&Str> {
        match &self.place {
            Place::Value(_, s) => s.as_ref(),
            _ => None,
        }
    }

    /// What the cursor is on that could be an id, most likely first: the string it is in
    /// (a link, an id), then the word (an id inside a text or a comment).
    pub fn ids(&self) -> impl Iterator<Item = (Range<usize>, &str)> {
        let string = self
            .string()
            .map(|s| (s.contents..s.contents + s.value.len(), s.value.as_str()));
        let word = self.word.as_ref().map(|(r, w)| (r.clone(), w.as_str()));
        string.into_iter().chain(word)
    }
}

/// Where the place of `offset` is in the table whose header starts at `header`.
fn place_in_table(text: &str, header: Option<usize>, offset: usize, line_start: usize) -> Place {
    let (entries, _) = table_entries(text, header);
    let found = entries
        .into_iter()
        .find(|e| e.key_range.start <= offset && offset <= e.value_range.end);
    match found {
        Some(e) if offset <= e.key_range.end => Place::Key(e),
        Some(e) if offset >= e.value_range.start => {
            let string = strings_in(text, e.value_range.clone())
                .into_iter()
                .find(|(r, _)| r.start < offset && offset <= r.end)
                .map(|(range, value)| Str {
                    contents: range.start + quote_len(text, range.start),
                    range,
                    value,
                });
            Place::Value(e, string)
        }
        Some(_) => Place::Other,
        None => {
            let before = &text[line_start..offset];
            let typed = before.trim_start();
            let is_word = typed
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
            if is_word {
                Place::NewKey(offset - typed.len()..offset)
            } else {
                Place::Other
            }
        }
    }
}

/// Where `offset` is in the inline tables of the value that starts at `from`.
#[derive(Debug, Default)]
struct Inline {
    /// The keys of the inline tables around it, outermost first: in each, the key whose value
    /// holds it (without the innermost's when a key is being written there).
    keys: Vec<String>,
    /// When a key of the innermost inline table is being written: its bytes typed so far,
    /// and the keys that table has already.
    writing: Option<(Range<usize>, Vec<String>)>,
    /// Where the value of the innermost key of `keys` starts (after its `=`).
    value: Option<usize>,
}

/// Reads the inline tables around `offset` in the value that starts at `from` (see
/// [`Inline`]); nothing when it is in none.
fn inline_keys(text: &str, from: usize, offset: usize) -> Inline {
    /// An open array, or an inline table: its keys so far, the key whose value this is (or
    /// the one being written, and where it began).
    enum Frame {
        Array,
        Table {
            present: Vec<String>,
            key: Option<String>,
            typed: String,
            typed_from: Option<usize>,
            value_from: usize,
        },
    }
    let bytes = text.as_bytes();
    let mut stack = Vec::new();
    let mut at = from;
    while at < offset {
        let b = bytes[at];
        let top = stack.last_mut();
        match b {
            b'"' | b'\'' => {
                let (value, close) = string_at(text, at);
                if let Some(Frame::Table {
                    key: None,
                    typed,
                    typed_from,
                    ..
                }) = top
                {
                    typed.push_str(&value);
                    typed_from.get_or_insert(at);
                }
                at = close.unwrap_or_else(|| line_end(text, at));
                continue;
            }
            b'#' => {
                at = line_end(text, at);
                continue;
            }
            b'{' => stack.push(Frame::Table {
                present: Vec::new(),
                key: None,
                typed: String::new(),
                typed_from: None,
                value_from: at,
            }),
            b'[' => stack.push(Frame::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b'=' => {
                if let Some(Frame::Table {
                    present,
                    key,
                    typed,
                    typed_from,
                    value_from,
                }) = top
                {
                    let name = std::mem::take(typed);
                    present.push(name.clone());
                    *key = Some(name);
                    *typed_from = None;
                    *value_from = at + 1;
                }
            }
            b',' => {
                if let Some(Frame::Table { key, .. }) = top {
                    *key = None;
                }
            }
            _ => {
                if let Some(Frame::Table {
                    key: None,
                    typed,
                    typed_from,
                    ..
                }) = top
                    && !b.is_ascii_whitespace()
                {
                    typed.push(char::from(b));
                    typed_from.get_or_insert(at);
                }
            }
        }
        at += 1;
    }
    let mut inline = Inline::default();
    let last = stack.len().saturating_sub(1);
    for (n, frame) in stack.into_iter().enumerate() {
        match frame {
            Frame::Table {
                key: Some(key),
                value_from,
                ..
            } => {
                inline.keys.push(key);
                inline.value = Some(value_from);
            }
            // A key being written: only in the innermost table, with a bare key so far.
            Frame::Table {
                key: None,
                present,
                typed,
                typed_from,
                ..
            } if n == last
                && typed
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')) =>
            {
                let start = typed_from.unwrap_or(offset);
                inline.writing = Some((start..offset, present));
            }
            Frame::Table { key: None, .. } => return Inline::default(),
            Frame::Array => {}
        }
    }
    inline
}

/// The kind of the inline table that `keys` lead to from the key `outer` of a table of
/// `kind`, every key naming a sub-table.
fn inline_table(kind: TableKind, outer: &str, keys: &[String]) -> Option<TableKind> {
    let mut kind = kind;
    for key in std::iter::once(outer).chain(keys.iter().map(String::as_str)) {
        kind = *kind.children().iter().find(|c| c.key() == key)?;
    }
    Some(kind)
}

/// The table and key an inline table's `keys` lead to from the key `outer` of a table of
/// `kind`: `None` when the cursor is in no inline table or one of a kind the format does not
/// know.
fn nested(kind: TableKind, outer: &str, keys: &[String]) -> Option<(TableKind, String)> {
    let (last, through) = keys.split_last()?;
    Some((inline_table(kind, outer, through)?, last.clone()))
}

/// How many quote characters open the string at `at` (one, or three).
fn quote_len(text: &str, at: usize) -> usize {
    let q = text.as_bytes()[at];
    if text.as_bytes().get(at..at + 3) == Some(&[q, q, q][..]) {
        3
    } else {
        1
    }
}

/// Where the header of the table holding the line that starts at `line_start` starts: the
/// nearest header line at or above it.
fn header_above(text: &str, line_start: usize) -> Option<usize> {
    let mut end = line_end(text, line_start);
    let mut start = line_start;
    loop {
        let line = &text[start..end];
        if header_path(line).is_some() {
            return Some(start + (line.len() - line.trim_start().len()));
        }
        if start == 0 {
            return None;
        }
        end = start - 1;
        start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        end = toml_text::line_end(text, start).min(end);
    }
}

/// The code of the country whose section holds `offset`: the `code` of the nearest
/// `[[country]]` above it.
pub fn country_code(text: &str, offset: usize) -> Option<String> {
    let mut at = offset.min(text.len());
    loop {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let header = header_above(text, line_start)?;
        if table_kind(&text[header..line_end(text, header)]) == Some(TableKind::Country) {
            let (entries, _) = table_entries(text, Some(header));
            let code = entries.into_iter().find(|e| e.key == "code")?;
            return strings_in(text, code.value_range)
                .into_iter()
                .next()
                .map(|s| s.1);
        }
        // On to the line above the header's.
        let header_line = text[..header].rfind('\n').map_or(0, |i| i + 1);
        if header_line == 0 {
            return None;
        }
        at = header_line - 1;
    }
}

/// The kind of table a header line names.
pub fn table_kind(line: &str) -> Option<TableKind> {
    let path = header_path(line)?;
    let array = line
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("[[");
    ALL_TABLES.iter().copied().find(|kind| {
        let header = kind.header();
        header.starts_with("[[") == array && header.trim_matches(['[', ']']) == path
    })
}

/// The word at `offset` (touching it on either side).
fn word_at(text: &str, offset: usize) -> Option<(Range<usize>, String)> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + text[offset..]
            .char_indices()
            .take_while(|&(_, c)| is_word(c))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
    let word = text[start..end].trim_matches('.');
    (!word.is_empty()).then(|| {
        let lead = text[start..end].len() - text[start..end].trim_start_matches('.').len();
        (start + lead..start + lead + word.len(), word.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[plan]\nmarking = \"UNCLASSIFIED\"\n\n[[country]]\ncode = \"POL\"\n\n  [[country.objective]]\n  id = \"POL-ST-1\"\n  priorities = [\n    \"SP-1\",\n    \"SP\n  ]\n  te\n";

    fn at(needle: &str, after: usize) -> Cursor {
        Cursor::at(TEXT, TEXT.find(needle).unwrap() + after)
    }

    #[test]
    fn the_table_key_and_string_under_the_cursor() {
        let c = at("UNCLASS", 3);
        assert_eq!(c.table, Some(TableKind::Plan));
        assert_eq!(c.key(), Some("marking"));
        assert_eq!(c.string().unwrap().value, "UNCLASSIFIED");
        let c = at("SP-1", 2);
        assert_eq!(c.table, Some(TableKind::Objective));
        assert_eq!(c.key(), Some("priorities"));
        assert_eq!(c.ids().next().unwrap().1, "SP-1");
        // An open string at the end of an open array.
        let c = at("\"SP\n", 3);
        assert_eq!(c.key(), Some("priorities"));
        assert_eq!(c.string().unwrap().value, "SP");
        // A key being typed.
        let c = at("  te\n", 4);
        assert!(
            matches!(c.place, Place::NewKey(ref r) if &TEXT[r.clone()] == "te"),
            "{c:?}"
        );
        let c = at("[[country.objective]]", 5);
        assert!(matches!(c.place, Place::Header(_)));
        assert_eq!(c.table, Some(TableKind::Objective));
        assert!(matches!(at("code", 1).place, Place::Key(_)));
        assert_eq!(at("POL-ST-1", 5).word.unwrap().1, "POL-ST-1");
        assert_eq!(
            country_code(TEXT, TEXT.find("SP-1").unwrap()).as_deref(),
            Some("POL")
        );
        assert_eq!(country_code(TEXT, 3), None);
    }

    #[test]
    fn a_byte_order_mark_before_the_first_header_changes_nothing() {
        let text = format!("\u{feff}{TEXT}");
        let c = Cursor::at(&text, text.find("UNCLASS").unwrap() + 3);
        assert_eq!(c.table, Some(TableKind::Plan));
        assert_eq!(c.key(), Some("marking"));
        let c = Cursor::at(&text, text.find("[plan]").unwrap() + 2);
        assert_eq!(c.place, Place::Header(text.find("[plan]").unwrap()));
        assert_eq!(c.table, Some(TableKind::Plan));
    }

    #[test]
    fn inline_tables_give_their_own_table_and_key() {
        let text = "[[country]]\ncode = \"POL\"\nobjective = [{ id = \"A\", priorities = [\"SP-1\", \"SP-2\"], \"tech_areas\" = [\"x\"], indicator = [{ name = \"n\" }] }]\n";
        let at = |needle: &str, after: usize| Cursor::at(text, text.find(needle).unwrap() + after);
        let c = at("SP-2", 2);
        assert_eq!(c.table, Some(TableKind::Objective));
        assert_eq!(c.key(), Some("priorities"));
        assert_eq!(c.string().unwrap().value, "SP-2");
        assert_eq!(at("\"x\"", 1).key(), Some("tech_areas"));
        let c = at("\"n\"", 1);
        assert_eq!(c.table, Some(TableKind::Indicator));
        assert_eq!(c.key(), Some("name"));
        // Where a key of the inline table is being written: a new key of that table.
        let c = at("id = ", 1);
        assert_eq!(c.table, Some(TableKind::Objective));
        assert!(matches!(c.place, Place::NewKey(_)), "{c:?}");
        assert_eq!(c.present, Some(Vec::new()));
        assert_eq!(at("POL", 1).key(), Some("code"));
    }
}
