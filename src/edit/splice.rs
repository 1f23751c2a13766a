//! `scplan set` without a TOML document: when a field already holds a one-line scalar and is
//! given another, the new value's text replaces the old value's bytes and nothing else moves,
//! which is exactly what the document's edit would print (it keeps the old value's spacing
//! and comment). The value is found by reading the text
//! ([`toml_text`](super::toml_text)), and the one check of
//! the result confirms it: the item's header and the key are where the checked plan has them.
//! Anything else (a key to insert, a list, an inline table, a marking, text that does not read
//! cleanly) is declined, and the caller takes the document's way.

use std::ops::Range;

use toml_edit::Value;

use super::field::{FieldError, item_id};
use super::toml_text::{header_path, line_end, next_line, table_entries};
use crate::check::{self, Checked, Clearance, Settings};
use crate::plan::document::ItemPath;
use crate::plan::located::Located;
use crate::plan::model::{Head, Opt, Plan, text};
use crate::plan::path::{FieldPath, check_type};
use crate::plan::source;

/// A change made in place: the file's new bytes and the check of them.
#[derive(Debug)]
pub struct Spliced {
    /// The plan's new bytes, as the file holds them (its line ends and byte-order mark kept).
    pub bytes: Vec<u8>,
    /// The check of the new plan.
    pub checked: Checked,
}

/// Sets the field at `path` in the plan's `bytes` to `value` by replacing the old value's
/// bytes, with one check of the result. `Ok(None)`: declined, nothing decided (take the
/// document's way, which reports any error). A plan above the system high is refused as
/// [`field::open`](super::field::open) refuses it.
pub fn set(
    bytes: &[u8],
    path: &FieldPath,
    value: &Value,
    settings: &Settings,
) -> Result<Option<Spliced>, FieldError> {
    // A value of the wrong type is refused after the plan's clearance, as the document's way
    // does: that way says which.
    if path
        .spec()
        .map_or(true, |spec| check_type(spec, value).is_err())
    {
        return Ok(None);
    }
    // A marking decides whether the plan may be copied at all (SCP209): that is judged on
    // the plan as it was, by the document's way.
    if matches!(path.field.as_str(), "marking" | "marking_profile") {
        return Ok(None);
    }
    let Some(new_value) = scalar_text(value) else {
        return Ok(None);
    };
    let Ok((text, layout)) = source::decode(bytes) else {
        return Ok(None);
    };
    let Some(found) = find(&text, path) else {
        return Ok(None);
    };
    let mut new_text = String::with_capacity(text.len() + new_value.len());
    new_text.push_str(&text[..found.value.start]);
    new_text.push_str(&new_value);
    new_text.push_str(&text[found.value.end..]);
    drop(text);
    let bytes = source::encode(&new_text, layout);
    let mut checked = check::check_text(new_text, settings);
    let Some(plan) = checked.plan.as_mut() else {
        return Ok(None);
    };
    if !confirmed(plan, path, &found) {
        return Ok(None);
    }
    if Clearance::of(&checked.diagnostics) == Clearance::Above
        && let Some(d) = checked.diagnostics.iter().find(|d| d.code == "SCP209")
    {
        return Err(FieldError::AboveSystemHigh(Box::new(d.clone())));
    }
    Ok(Some(Spliced { bytes, checked }))
}

/// The text of a value that fits on one line and holds no other value; `None` otherwise.
fn scalar_text(value: &Value) -> Option<String> {
    if matches!(value, Value::Array(_) | Value::InlineTable(_)) {
        return None;
    }
    let mut value = value.clone();
    value.decor_mut().clear();
    let text = value.to_string();
    (!text.contains(['\n', '\r'])).then_some(text)
}

/// Where the field was found: the item's header line, the key's line and column (1-based, as
/// the plan's locations count), and the old value's bytes.
#[derive(Debug)]
struct Found {
    header_line: u32,
    key: (u32, u32),
    value: Range<usize>,
}

/// The old value of the field at `path`: in the first table with the item's header (and id),
/// a key of that name holding a one-line scalar followed by nothing but a comment.
fn find(text: &str, path: &FieldPath) -> Option<Found> {
    let header = path.kind.header();
    let array = header.starts_with("[[");
    let wanted_path = header.trim_matches(['[', ']']);
    let id = item_id(&path.item);
    let id_key = path.kind.id_key();
    let (_, mut end) = table_entries(text, None);
    loop {
        let at = next_header(text, end)?;
        let line = &text[at..line_end(text, at)];
        let (entries, after) = table_entries(text, Some(at));
        end = after;
        if header_path(line).as_deref() != Some(wanted_path)
            || line.trim_start().starts_with("[[") != array
        {
            continue;
        }
        let named = match (id, id_key) {
            (Some(id), Some(key)) => entries.iter().any(|e| {
                e.key == key
                    && text[e.value_range.clone()]
                        .trim_end()
                        .parse::<Value>()
                        .is_ok_and(|v| v.as_str() == Some(id))
            }),
            (None, None) => true,
            _ => return None,
        };
        if !named {
            continue;
        }
        // The first such table is the item; a key it lacks would have to be inserted.
        let entry = entries.iter().find(|e| e.key == path.field)?;
        let value = old_value(text, entry.value_range.clone())?;
        return Some(Found {
            header_line: line_number(text, at),
            key: (
                line_number(text, entry.key_range.start),
                column(text, entry.key_range.start),
            ),
            value,
        });
    }
}

/// The bytes of a value read at `range` when they are a scalar TOML value alone on its line
/// (up to a comment), without the spaces after it.
fn old_value(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let token = text.get(range.clone())?.trim_end();
    let value: Value = token.parse().ok()?;
    if matches!(value, Value::Array(_) | Value::InlineTable(_)) {
        return None;
    }
    let end = range.start + token.len();
    let rest = text[end..line_end(text, end)].trim_start();
    (rest.is_empty() || rest.starts_with('#')).then_some(range.start..end)
}

/// The start of the next header line at or after `at`, past blank and comment lines; `None`
/// at the end of the text, or when a line that is neither comes first (text this reading
/// does not follow).
fn next_header(text: &str, mut at: usize) -> Option<usize> {
    while at < text.len() {
        let line = text[at..line_end(text, at)].trim_start();
        if line.starts_with('[') {
            return Some(at);
        }
        if !(line.is_empty() || line.starts_with('#')) {
            return None;
        }
        at = next_line(text, at);
    }
    None
}

/// The 1-based line holding the byte at `at`.
fn line_number(text: &str, at: usize) -> u32 {
    let breaks = memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}

/// The 1-based column, in characters, of the byte at `at`.
fn column(text: &str, at: usize) -> u32 {
    let start = memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |i| i + 1);
    u32::try_from(text[start..at].chars().count() + 1).unwrap_or(u32::MAX)
}

/// Whether the checked plan agrees with the reading: the item the path names (the first with
/// its id, as the document finds it) has its header where the text had it, and some key of
/// the plan is where the field's key was read.
fn confirmed(plan: &mut Plan, path: &FieldPath, found: &Found) -> bool {
    if header_line(plan, &path.item) != Some(found.header_line) {
        return false;
    }
    let mut seen = false;
    plan.visit_locs(&mut |loc| seen |= (loc.line, loc.column) == found.key);
    seen
}

/// The header line of the item at `item` in a typed plan.
fn header_line(plan: &Plan, item: &ItemPath) -> Option<u32> {
    let meta = &plan.meta;
    let countries = || plan.countries.iter();
    let named: Box<dyn Iterator<Item = (&Opt<String>, &Head)>> = match item {
        ItemPath::Plan => return meta.present.then_some(meta.header.line),
        ItemPath::Cui => return meta.cui.as_ref().map(|t| t.header.line),
        ItemPath::Authority => return meta.authority.as_ref().map(|t| t.header.line),
        ItemPath::Priority(_) => Box::new(plan.priorities.iter().map(|p| (&p.id, &p.head))),
        ItemPath::Country(_) => Box::new(countries().map(|c| (&c.code, &c.head))),
        ItemPath::Objective(_) => Box::new(
            countries()
                .flat_map(|c| &c.objectives)
                .map(|o| (&o.id, &o.head)),
        ),
        ItemPath::Agreement(_) => Box::new(
            countries()
                .flat_map(|c| &c.agreements)
                .map(|a| (&a.id, &a.head)),
        ),
        ItemPath::Actor(_) => Box::new(
            countries()
                .flat_map(|c| &c.actors)
                .map(|a| (&a.id, &a.head)),
        ),
        ItemPath::Pool(_) => Box::new(countries().flat_map(|c| &c.pools).map(|p| (&p.id, &p.head))),
    };
    let id = item_id(item)?;
    named
        .into_iter()
        .find(|(key, _)| text(key) == id)
        .map(|(_, head)| head.header.line)
}
