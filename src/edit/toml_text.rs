//! Where keys and values are in a plan's text, found by reading the text itself, and edits as
//! replacements of its bytes. A front end that edits text (a language server, a web form)
//! cannot use the document's edits, which print whole tables again; these touch only the bytes
//! they change. The reading is lexical and forgiving: a string left open, or an array that
//! runs into the next key while the author is typing, ends where the next line starts a key
//! or a header, so that the text around the cursor can still be read.

use std::ops::Range;

use crate::plan::model::Loc;
use crate::plan::source::LineIndex;

/// A replacement of a byte range of a text by new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    /// The bytes replaced (empty for an insertion).
    pub range: Range<usize>,
    /// What goes in their place.
    pub new_text: String,
}

/// Applies edits that do not overlap to `text`: the text after them, or `None` when one
/// falls outside the text or inside a character, or two overlap.
pub fn apply(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in sorted {
        if edit.range.start < at || edit.range.start > edit.range.end {
            return None;
        }
        out.push_str(text.get(at..edit.range.start)?);
        out.push_str(&edit.new_text);
        at = edit.range.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// The byte offset of a location in `text` (the text of a plan as an editor holds it: line
/// breaks LF or CRLF, perhaps a byte-order mark, which a location does not count). `None`
/// when the line does not exist; a column past the line's end gives the line's end.
pub fn offset_of(index: &LineIndex<'_>, loc: Loc) -> Option<usize> {
    let text = index.text();
    let mut start = index.line_start(loc.line)?;
    if loc.line == 1 && text.starts_with('\u{feff}') {
        start += '\u{feff}'.len_utf8();
    }
    let line = index.line_text(loc.line)?;
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let column = loc.column.saturating_sub(1) as usize;
    let within = line
        .char_indices()
        .nth(column)
        .map_or(line.len(), |(i, _)| i);
    Some(start + within)
}

/// TOML's quoted form of a string, on one line, so that it is valid wherever a string goes, a
/// key included: toml_edit's choice, unless that is a multi-line string (for a line break, or
/// both quotes), which no key may be; then a basic string, escaped.
pub fn quote(s: &str) -> String {
    let chosen = toml_edit::Value::from(s).to_string();
    if !chosen.starts_with("\"\"\"") && !chosen.starts_with("'''") {
        return chosen;
    }
    crate::plan::source::basic_string(s)
}

/// One key and value of a table, as found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key as written, dotted parts joined by `.`, quotes removed.
    pub key: String,
    /// Where the key is.
    pub key_range: Range<usize>,
    /// Where the value is (up to the end of the line for a value left open).
    pub value_range: Range<usize>,
}

/// The entries of the table whose header is on the line holding `header` (`None`: the root
/// table, from the top of the file), in order, up to the next header; and the end of the last
/// line that holds one of them (or of the header's line), where a new key goes.
pub fn table_entries(text: &str, header: Option<usize>) -> (Vec<Entry>, usize) {
    let bytes = text.as_bytes();
    let mut entries = Vec::new();
    let mut at = header.map_or(0, |h| next_line(text, h.min(text.len())));
    let mut last_end = at;
    while at < text.len() {
        let start = skip_blanks(bytes, at);
        match bytes.get(start) {
            None => break,
            Some(b'\n' | b'\r' | b'#') => at = next_line(text, start),
            Some(b'[') => break,
            Some(_) => {
                let Some(entry) = entry_at(text, start) else {
                    at = next_line(text, start);
                    continue;
                };
                at = next_line(text, entry.value_range.end);
                last_end = at;
                entries.push(entry);
            }
        }
    }
    (entries, last_end)
}

/// The key and value that start at `start` (the key's first byte), if it is one.
pub fn entry_at(text: &str, start: usize) -> Option<Entry> {
    let bytes = text.as_bytes();
    let mut key = String::new();
    let mut at = start;
    loop {
        at = skip_blanks(bytes, at);
        let (part, end) = key_part(text, at)?;
        key.push_str(&part);
        at = skip_blanks(bytes, end);
        if bytes.get(at) == Some(&b'.') {
            key.push('.');
            at += 1;
            continue;
        }
        break;
    }
    let key_end = text[..at].trim_end().len();
    if bytes.get(at) != Some(&b'=') {
        return None;
    }
    let value_start = skip_blanks(bytes, at + 1);
    let value_end = value_end(text, value_start);
    Some(Entry {
        key,
        key_range: start..key_end,
        value_range: value_start..value_end,
    })
}

/// One part of a key at `at`: its name and where it ends.
fn key_part(text: &str, at: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    match bytes.get(at)? {
        &quote @ (b'"' | b'\'') => {
            // No key is a multi-line string; an escaped line break is a key's like any text.
            if bytes.get(at..at + 3) == Some(&[quote, quote, quote][..]) {
                return None;
            }
            let (value, end) = string_at(text, at);
            end.map(|e| (value, e)).filter(|(_, e)| *e > at + 1)
        }
        _ => {
            let end = at
                + bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                    .count();
            (end > at).then(|| (text[at..end].to_string(), end))
        }
    }
}

/// The parts of the key that starts at `start`, each where it is written (quotes included)
/// with its name; and when its value is an inline table, the key parts of its entries too
/// (`reviewed_links = { SP-1 = "..." }`).
pub fn key_parts(text: &str, start: usize) -> Vec<(Range<usize>, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = skip_blanks(bytes, start);
    while let Some((name, end)) = key_part(text, at) {
        out.push((at..end, name));
        at = skip_blanks(bytes, end);
        if bytes.get(at) != Some(&b'.') {
            break;
        }
        at = skip_blanks(bytes, at + 1);
    }
    if bytes.get(at) != Some(&b'=') {
        return out;
    }
    let value = skip_blanks(bytes, at + 1);
    if bytes.get(value) != Some(&b'{') {
        return out;
    }
    let close = bracketed(text, value, b'}');
    let mut at = value + 1;
    while at < close {
        at += bytes[at..close]
            .iter()
            .take_while(|b| b.is_ascii_whitespace() || **b == b',')
            .count();
        match entry_at(text, at) {
            Some(entry) if entry.value_range.end > at => {
                out.extend(key_parts(text, at));
                at = entry.value_range.end;
            }
            _ => break,
        }
    }
    out
}

/// A key written bare where it can be, quoted otherwise.
pub fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
    if bare { name.to_string() } else { quote(name) }
}

/// Where the value that starts at `at` (or after the spaces there) lies.
pub fn value_range(text: &str, at: usize) -> Range<usize> {
    let start = skip_blanks(text.as_bytes(), at);
    start..value_end(text, start)
}

/// Where the value that starts at `start` ends.
fn value_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(start) {
        Some(b'"' | b'\'') => {
            let (_, end) = string_at(text, start);
            end.unwrap_or_else(|| line_end(text, start))
        }
        Some(b'[') => bracketed(text, start, b']'),
        Some(b'{') => bracketed(text, start, b'}'),
        _ => {
            start
                + bytes[start..]
                    .iter()
                    .take_while(|b| !matches!(b, b'\n' | b'\r' | b',' | b']' | b'}' | b'#'))
                    .count()
                    .min(line_end(text, start) - start)
        }
    }
    .min(text.len())
}

/// Where an array or inline table that opens at `start` closes (after `close`); a list left
/// open ends before the next line that starts a key or a header.
fn bracketed(text: &str, start: usize, close: u8) -> usize {
    let bytes = text.as_bytes();
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b if b == close => return at + 1,
            b'"' | b'\'' => match string_at(text, at).1 {
                Some(end) => at = end,
                None => at = line_end(text, at),
            },
            b'[' => at = bracketed(text, at, b']'),
            b'{' => at = bracketed(text, at, b'}'),
            b'#' => at = line_end(text, at),
            b'\n' => {
                let next = at + 1;
                if starts_key_or_header(text, next) {
                    return text[..at].trim_end_matches('\r').len();
                }
                at = next;
            }
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Whether the line starting at `at` starts with a header or a `key =`.
fn starts_key_or_header(text: &str, at: usize) -> bool {
    let start = skip_blanks(text.as_bytes(), at);
    let line = &text[start..line_end(text, start)];
    if line.starts_with("[[") || header_path(line).is_some() {
        return true;
    }
    line.find('=').is_some_and(|eq| {
        let key = line[..eq].trim();
        !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' '))
    })
}

/// The dotted path of a header line (`[[country.objective]]` -> `country.objective`), spaces
/// and quotes removed; `None` when the line is not a header.
pub fn header_path(line: &str) -> Option<String> {
    // The first line of a file may start with a byte-order mark.
    let line = line.trim_start_matches('\u{feff}').trim();
    let line = match line.find('#') {
        Some(i) if !line[..i].contains(['"', '\'']) => line[..i].trim_end(),
        _ => line,
    };
    let inner = match line.strip_prefix("[[") {
        Some(rest) => rest.strip_suffix("]]")?,
        None => line.strip_prefix('[')?.strip_suffix(']')?,
    };
    let parts: Vec<String> = inner
        .split('.')
        .map(|p| p.trim().trim_matches(['"', '\'']).to_string())
        .collect();
    let valid = parts.iter().all(|p| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    });
    valid.then(|| parts.join("."))
}

/// Every string inside the value in `range`, with its contents, in order.
pub fn strings_in(text: &str, range: Range<usize>) -> Vec<(Range<usize>, String)> {
    let bytes = text.as_bytes();
    let end = range.end.min(text.len());
    let mut out = Vec::new();
    let mut at = range.start;
    while at < end {
        match bytes[at] {
            b'"' | b'\'' => {
                let (value, close) = string_at(text, at);
                let stop = close.unwrap_or_else(|| line_end(text, at)).min(end);
                out.push((at..stop, value));
                at = stop.max(at + 1);
            }
            b'#' => at = line_end(text, at),
            _ => at += 1,
        }
    }
    out
}

/// The contents of the string that opens at `at` and the offset after its closing quote;
/// `None` for the offset when it is left open (the contents then run to the end of the line).
pub fn string_at(text: &str, at: usize) -> (String, Option<usize>) {
    let bytes = text.as_bytes();
    let quote = bytes[at];
    let triple = bytes.get(at..at + 3) == Some(&[quote, quote, quote][..]);
    let open = if triple { 3 } else { 1 };
    let mut out = String::new();
    let mut i = at + open;
    while i < bytes.len() {
        let b = bytes[i];
        if b == quote && (!triple || bytes.get(i..i + 3) == Some(&[quote, quote, quote][..])) {
            return (out, Some(i + open));
        }
        if !triple && matches!(b, b'\n' | b'\r') {
            return (out, None);
        }
        if b == b'\\' && quote == b'"' {
            let (c, next) = escape(text, i);
            out.extend(c);
            i = next;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(c);
        i += c.len_utf8().max(1);
    }
    (out, None)
}

/// The character of the escape at `at` (a backslash) and the offset after it.
fn escape(text: &str, at: usize) -> (Option<char>, usize) {
    let next = text[at + 1..].chars().next();
    let simple = |c| (Some(c), at + 2);
    match next {
        Some('n') => simple('\n'),
        Some('t') => simple('\t'),
        Some('r') => simple('\r'),
        Some('b') => simple('\u{8}'),
        Some('f') => simple('\u{c}'),
        Some('e') => simple('\u{1b}'),
        Some('"') => simple('"'),
        Some('\\') => simple('\\'),
        Some(u @ ('u' | 'U')) => {
            let len = if u == 'u' { 4 } else { 8 };
            let hex = text.get(at + 2..at + 2 + len);
            match hex.and_then(|h| u32::from_str_radix(h, 16).ok()) {
                Some(code) => (char::from_u32(code), at + 2 + len),
                None => (None, at + 2),
            }
        }
        Some(c) => (Some(c), at + 1 + c.len_utf8()),
        None => (None, at + 1),
    }
}

/// The offset after the spaces and tabs at `at`.
fn skip_blanks(bytes: &[u8], at: usize) -> usize {
    at + bytes
        .get(at..)
        .unwrap_or(&[])
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()
}

/// The offset of the line break (or the text's end) of the line holding `at`, before a CR.
pub fn line_end(text: &str, at: usize) -> usize {
    let rest = text.as_bytes().get(at..).unwrap_or(&[]);
    let end = at + memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    if end > at && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// The offset where the line after the one holding `at` starts (the text's end on the last).
pub fn next_line(text: &str, at: usize) -> usize {
    let rest = text.as_bytes().get(at..).unwrap_or(&[]);
    memchr::memchr(b'\n', rest).map_or(text.len(), |i| at + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_string_reads_back_as_itself_as_a_key_and_as_a_value() {
        let strings = [
            "SP-1",
            "x\ny",
            "a'b\"c",
            "back\\slash",
            "tab\tcr\r",
            "\u{7}bell\u{9f}",
            "'''",
            "\"\"\"",
            "é🙂",
            "",
        ];
        for s in strings {
            let text = format!("{} = {}\n", quote(s), quote(s));
            assert!(!quote(s).contains('\n'), "{s:?}");
            let doc: toml_edit::DocumentMut =
                text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            let (key, value) = doc.iter().next().unwrap();
            assert_eq!((key, value.as_str()), (s, Some(s)));
        }
    }

    #[test]
    fn entries_of_a_table_with_multi_line_arrays_and_comments() {
        let text = "[x]\na = \"one\" # c\n\"b c\" = [\n  'p',\n  \"q\\u00e9\", # x\n]\nd.e = { f = 1 }\n\n# end\n[y]\nz = 1\n";
        let (entries, end) = table_entries(text, Some(0));
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a", "b c", "d.e"]);
        assert_eq!(&text[entries[0].value_range.clone()], "\"one\"");
        let strings: Vec<String> = strings_in(text, entries[1].value_range.clone())
            .into_iter()
            .map(|s| s.1)
            .collect();
        assert_eq!(strings, ["p", "qé"]);
        assert_eq!(&text[end..end + 1], "\n");
        assert_eq!(
            &text[..end],
            "[x]\na = \"one\" # c\n\"b c\" = [\n  'p',\n  \"q\\u00e9\", # x\n]\nd.e = { f = 1 }\n"
        );
    }

    #[test]
    fn an_open_array_ends_before_the_next_key() {
        let text = "[o]\npriorities = [\"SP-1\", \"SP\ntext = \"t\"\n";
        let (entries, _) = table_entries(text, Some(0));
        assert_eq!(entries.len(), 2);
        assert_eq!(&text[entries[0].value_range.clone()], "[\"SP-1\", \"SP");
        assert_eq!(entries[1].key, "text");
    }

    #[test]
    fn headers_and_offsets() {
        assert_eq!(
            header_path(" [[ country . objective ]] # x"),
            Some("country.objective".into())
        );
        assert_eq!(header_path("[plan]"), Some("plan".into()));
        assert_eq!(header_path("priorities = [1]"), None);
        let text = "\u{feff}a = \"é\"\r\nb = 1\r\n";
        let index = LineIndex::new(text);
        let at = |line, column| {
            offset_of(
                &index,
                Loc {
                    line,
                    column,
                    len: 1,
                },
            )
        };
        assert_eq!(at(1, 1), Some(3));
        assert_eq!(at(2, 1), Some(text.find('b').unwrap()));
        assert_eq!(at(1, 99), Some(text.find('\r').unwrap()));
        assert_eq!(at(9, 1), None);
    }

    #[test]
    fn edits_apply_in_any_order_and_refuse_overlaps() {
        let e = |r: Range<usize>, t: &str| TextEdit {
            range: r,
            new_text: t.into(),
        };
        assert_eq!(
            apply("abcdef", &[e(4..5, "E"), e(0..1, "A")]).as_deref(),
            Some("AbcdEf")
        );
        assert_eq!(apply("abc", &[e(0..2, "x"), e(1..3, "y")]), None);
        assert_eq!(quote("a\"b"), "'a\"b'");
    }
}
