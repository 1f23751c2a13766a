//! Link stamps written into a plan's text, without a TOML document: the bytes the document's
//! edits ([`review`](super::review)) would print, made by replacing or inserting a few bytes,
//! so that confirming links in a large plan costs one check rather than a parse and a print.
//! Two forms are written: an objective's stamps replaced in its one-line inline
//! `reviewed_links` when it already holds every key written, and a new one-line
//! `reviewed_links` after the objective's last key. Anything else (a sub-table, a key added to
//! or removed from an existing table, text this reading does not follow) is declined, and
//! the caller takes the document's way.

use super::toml_text::{
    Entry, TextEdit, apply, entry_at, header_path, key, line_end, offset_of, quote, table_entries,
};
use crate::plan::model::{LinkStamp, Loc, Objective, ReviewedLinks, val};
use crate::plan::source::LineIndex;

/// The objective's key that holds its stamps.
const KEY: &str = "reviewed_links";

/// The stamps to write into one objective: each priority and its new stamp (`None`: the key
/// removed, which this does not write).
pub type Changes<'p> = (&'p Objective, Vec<(String, Option<String>)>);

/// `text` (the LF text the objectives were read from) with `changes` written in; `None` when
/// one of them is not in a form written here.
pub fn write(text: &str, changes: &[Changes]) -> Option<String> {
    let index = LineIndex::new(text);
    let mut edits = Vec::new();
    for (o, stamps) in changes.iter().filter(|(_, stamps)| !stamps.is_empty()) {
        let stamps: Vec<(&str, &str)> = stamps
            .iter()
            .map(|(p, stamp)| Some((p.as_str(), stamp.as_deref()?)))
            .collect::<Option<_>>()?;
        // A dotted id would be read as a nested key.
        if stamps.iter().any(|(p, _)| p.contains('.')) {
            return None;
        }
        match &o.reviewed_links {
            None => edits.push(insert(text, &index, o, &stamps)?),
            Some(ReviewedLinks {
                loc,
                stamps: Some(typed),
            }) => edits.extend(restamp(text, &index, *loc, typed, &stamps)?),
            Some(_) => return None,
        }
    }
    apply(text, &edits)
}

/// The byte where line `loc.line` starts, and that line.
fn line_at<'t>(text: &'t str, index: &LineIndex, loc: Loc) -> Option<(usize, &'t str)> {
    let start = index.line_start(loc.line)?;
    Some((start, text.get(start..line_end(text, start))?))
}

/// A new `reviewed_links = { ... }` line after the last key of objective `o`, indented like
/// that key, its keys in the order of the objective's `priorities` (others after them, in
/// the order given), as the document writes a new inline table.
fn insert(
    text: &str,
    index: &LineIndex,
    o: &Objective,
    stamps: &[(&str, &str)],
) -> Option<TextEdit> {
    let (header_at, header) = line_at(text, index, o.head.header)?;
    if !header.trim_start().starts_with("[[")
        || header_path(header).as_deref() != Some("country.objective")
    {
        return None;
    }
    let (entries, after) = table_entries(text, Some(header_at));
    let last = entries.last()?;
    // The document puts a new key after the table's last value: a dotted key makes a table,
    // which this reading does not tell from a value.
    if entries.iter().any(|e| e.key.contains('.') || e.key == KEY)
        || text.as_bytes().get(after.checked_sub(1)?) != Some(&b'\n')
    {
        return None;
    }
    let line_start = text[..last.key_range.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent = &text[line_start..last.key_range.start];
    let indent = if indent.bytes().all(|b| b == b' ' || b == b'\t') {
        indent
    } else {
        ""
    };
    let order: &[String] = val(&o.priorities).map_or(&[], |l| l.entries.as_slice());
    let mut names: Vec<&(&str, &str)> = stamps.iter().collect();
    names.sort_by_key(|(p, _)| order.iter().position(|o| o == p).unwrap_or(order.len()));
    let pairs: Vec<String> = names
        .iter()
        .map(|(p, stamp)| format!("{} = {}", key(p), quote(stamp)))
        .collect();
    Some(TextEdit {
        range: after..after,
        new_text: format!("{indent}{KEY} = {{ {} }}\n", pairs.join(", ")),
    })
}

/// The stamps replaced in the one-line inline `reviewed_links` whose key is at `loc`, which
/// holds every priority of `stamps` already (the document then keeps every other byte).
fn restamp(
    text: &str,
    index: &LineIndex,
    loc: Loc,
    typed: &[LinkStamp],
    stamps: &[(&str, &str)],
) -> Option<Vec<TextEdit>> {
    let entry = entry_at(text, offset_of(index, loc)?)?;
    let value = text.get(entry.value_range.clone())?;
    if entry.key != KEY || !value.starts_with('{') || !value.ends_with('}') || value.contains('\n')
    {
        return None;
    }
    let inner = inline_entries(text, &entry)?;
    if inner.len() != typed.len() {
        return None;
    }
    stamps
        .iter()
        .map(|(p, stamp)| {
            let e = inner.iter().find(|e| e.key == *p)?;
            let old = &text[e.value_range.clone()];
            let one_line_string = (old.starts_with('"') || old.starts_with('\''))
                && !old.starts_with("\"\"\"")
                && !old.starts_with("'''");
            one_line_string.then(|| TextEdit {
                range: e.value_range.clone(),
                new_text: quote(stamp),
            })
        })
        .collect()
}

/// The keys and values of the inline table that is `table`'s value, on one line.
fn inline_entries(text: &str, table: &Entry) -> Option<Vec<Entry>> {
    let close = table.value_range.end - 1;
    let bytes = text.as_bytes();
    let blanks = |mut at: usize| {
        while matches!(bytes.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        at
    };
    let mut out = Vec::new();
    let mut at = blanks(table.value_range.start + 1);
    while at < close {
        let e = entry_at(text, at)?;
        if e.value_range.end > close || e.key.contains('.') {
            return None;
        }
        at = blanks(e.value_range.end);
        out.push(e);
        match bytes.get(at) {
            Some(b',') => at = blanks(at + 1),
            _ if at == close => {}
            _ => return None,
        }
    }
    Some(out)
}
