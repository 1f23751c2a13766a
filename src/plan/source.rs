//! From bytes to TOML text and back: the 64 MiB limit, UTF-8, the byte-order mark, line
//! endings and the final newline, offset -> line/column resolution, and strings written as
//! TOML basic strings.

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;

use super::model::Loc;

/// The largest plan file scplan reads.
pub const MAX_PLAN_BYTES: u64 = 64 * 1024 * 1024;

/// How a file was laid out, so that serializing gives it back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// Lines end in CRLF.
    pub crlf: bool,
    /// The file starts with a UTF-8 byte-order mark.
    pub bom: bool,
    /// The file ends with a newline (or is empty).
    pub final_newline: bool,
}

/// Why bytes could not become TOML text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The file is over [`MAX_PLAN_BYTES`].
    #[error("the file is {0} bytes, over the 64 MiB limit for a plan")]
    TooLarge(u64),
    /// The bytes are not UTF-8.
    #[error("the file is not UTF-8 (invalid byte at line {}, column {})", .0.line, .0.column)]
    InvalidUtf8(Loc),
}

const BOM: &str = "\u{feff}";

/// Decodes a plan's bytes into text with LF line endings and no byte-order mark, and the
/// layout to reapply when writing it back.
pub fn decode(bytes: &[u8]) -> Result<(String, Layout), DecodeError> {
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(DecodeError::TooLarge(bytes.len() as u64));
    }
    decode_vec(bytes.to_vec())
}

/// [`decode`] for bytes the caller gives up: the text reuses their buffer, so that a plan is
/// held once in memory, not twice.
pub fn decode_vec(bytes: Vec<u8>) -> Result<(String, Layout), DecodeError> {
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(DecodeError::TooLarge(bytes.len() as u64));
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            // The prefix is valid UTF-8 by construction; fall back to 1:1 if not.
            let prefix = std::str::from_utf8(valid).unwrap_or("");
            let prefix = prefix.strip_prefix(BOM).unwrap_or(prefix);
            let index = LineIndex::new(prefix);
            return Err(DecodeError::InvalidUtf8(
                index.loc(prefix.len()..prefix.len() + 1),
            ));
        }
    };
    let bom = text.starts_with(BOM);
    if bom {
        text.drain(..BOM.len());
    }
    let crlf_count = if text.as_bytes().contains(&b'\r') {
        text.matches("\r\n").count()
    } else {
        0
    };
    // A file is CRLF when most of its line breaks are; it is then read with LF breaks
    // (toml_edit writes LF) and the CRs are put back on writing. Not when it holds a CR of
    // its own (no valid TOML does): before a CRLF, the CRLF's LF would make it a line break.
    let crlf = crlf_count > 0 && crlf_count * 2 >= line_breaks(&text) && !has_lone_cr(&text);
    let final_newline = text.is_empty() || text.ends_with('\n');
    if crlf {
        text = text.replace("\r\n", "\n");
    }
    Ok((
        text,
        Layout {
            crlf,
            bom,
            final_newline,
        },
    ))
}

/// Whether a CR of `text` is not followed by an LF.
fn has_lone_cr(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'))
}

/// `new` (a file's bytes as [`encode`] makes them) with the line ends of the `models` (the
/// file as it was; in a merge, ours then theirs) where their lines are the same, and a new or
/// changed line ending as the line above it: a file whose lines end in both ways keeps each
/// line's end as found, where the document writes one kind. `new` as it is when every model
/// ends its lines one way (the layout keeps that).
pub fn line_ends_like(models: &[&[u8]], new: Vec<u8>) -> Vec<u8> {
    if !models.iter().any(|m| mixed_ends(m)) {
        return new;
    }
    let now = lines(&new);
    let new_text: Vec<&[u8]> = now.iter().map(|l| &new[l.0..l.1]).collect();
    // Each new line's end, from the first model that has the line as it is.
    let mut ends: Vec<Option<&[u8]>> = vec![None; now.len()];
    for model in models {
        let old = lines(model);
        let old_text: Vec<&[u8]> = old.iter().map(|l| &model[l.0..l.1]).collect();
        for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old_text, &new_text) {
            if let similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = op
            {
                for k in 0..len {
                    let (line, end) = (&old[old_index + k], &mut ends[new_index + k]);
                    // A last line without an end that is no longer last keeps the new one's.
                    if end.is_none()
                        && (line.2 > line.1 || now[new_index + k].2 == now[new_index + k].1)
                    {
                        *end = Some(&model[line.1..line.2]);
                    }
                }
            }
        }
    }
    let mut out = Vec::with_capacity(new.len() + new.len() / 16);
    let mut above: Option<&[u8]> = None;
    for (n, &(start, end, next)) in now.iter().enumerate() {
        out.extend_from_slice(&new[start..end]);
        let own = &new[end..next];
        let chosen = match ends[n] {
            Some(found) => found,
            // A line of its own, not the file's last: it ends as the line above.
            None if !own.is_empty() => above.unwrap_or(own),
            None => own,
        };
        out.extend_from_slice(chosen);
        if !chosen.is_empty() {
            above = Some(chosen);
        }
    }
    out
}

/// Whether a file ends some of its lines in CRLF and others in LF.
pub fn mixed_ends(bytes: &[u8]) -> bool {
    let crlf = memchr::memmem::find_iter(bytes, b"\r\n").count();
    crlf > 0 && crlf < memchr::memchr_iter(b'\n', bytes).count()
}

/// Each line of `bytes`: where it starts, where its content ends (before `\r\n` or `\n`),
/// and where the next starts.
fn lines(bytes: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        let content = if nl > start && bytes[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        out.push((start, content, nl + 1));
        start = nl + 1;
    }
    if start < bytes.len() {
        out.push((start, bytes.len(), bytes.len()));
    }
    out
}

/// How many LF characters a text holds.
fn line_breaks(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}

/// Turns LF text as toml_edit writes it back into the bytes of a file with `layout`.
pub fn encode(text: &str, layout: Layout) -> Vec<u8> {
    let body = if layout.final_newline {
        text
    } else {
        text.strip_suffix('\n').unwrap_or(text)
    };
    let mut out = Vec::with_capacity(body.len() + body.len() / 16 + 3);
    if layout.bom {
        out.extend_from_slice(BOM.as_bytes());
    }
    if layout.crlf {
        for (i, line) in body.split('\n').enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(line.as_bytes());
        }
    } else {
        out.extend_from_slice(body.as_bytes());
    }
    out
}

/// A string as a TOML basic string on one line, escaped (control and invisible format
/// characters as `\uXXXX`): valid wherever a string goes, a key included.
pub fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Bidirectional overrides and other invisible characters too, so that the file
            // reads as it is in any viewer.
            c if crate::text::needs_escape(c) => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The byte offset where each line of `text` starts (the first is 0).
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::with_capacity(line_breaks(text) + 1);
    starts.push(0);
    // memchr (already linked in through csv and serde_json) finds line breaks with SIMD;
    // `match_indices('\n')` pays a searcher call per short line.
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    starts
}

/// Resolves byte offsets in a text to 1-based lines and character columns.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset of each line's start: built here, or kept by a caller that edits the
    /// text and moves them itself (a language server's open document).
    starts: Cow<'a, [usize]>,
    /// The 0-based line of the last lookup: the loader asks for offsets mostly in file order,
    /// so the next one is usually on that line or the one after, with no binary search.
    last: Cell<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = line_starts(text);
        LineIndex {
            text,
            starts: Cow::Owned(starts),
            last: Cell::new(0),
        }
    }

    /// The index of `text` from its line starts as [`line_starts`] gives them (kept current
    /// by a caller that edits the text), without indexing the text again.
    pub fn with_starts(text: &'a str, starts: &'a [usize]) -> Self {
        LineIndex {
            text,
            starts: Cow::Borrowed(starts),
            last: Cell::new(0),
        }
    }

    /// An index of the same text and line starts, for another thread (each keeps its own
    /// last lookup).
    pub fn shared(&self) -> LineIndex<'_> {
        LineIndex::with_starts(self.text, &self.starts)
    }

    /// The 0-based line holding the byte at `offset` (at most the text's length).
    fn line_of(&self, offset: usize) -> usize {
        // Lines within NEAR of the last lookup: a small, cached search when the offset is
        // among them, as it is for the keys of one table (read in key order, not file order).
        const NEAR: usize = 32;
        let last = self.last.get();
        let lo = last.saturating_sub(NEAR);
        let hi = (last + NEAR + 1).min(self.starts.len());
        let near = &self.starts[lo..hi];
        let is_near = near[0] <= offset && self.starts.get(hi).is_none_or(|&next| offset < next);
        // The line is the last one starting at or before `offset` (line 0 starts at 0).
        let line = if is_near {
            lo + near.partition_point(|&s| s <= offset) - 1
        } else {
            self.starts.partition_point(|&s| s <= offset) - 1
        };
        self.last.set(line);
        line
    }

    /// The location of a byte span.
    pub fn loc(&self, span: Range<usize>) -> Loc {
        let start = span.start.min(self.text.len());
        let line = self.line_of(start);
        let line_start = self.starts[line];
        let column = char_count(self.text, line_start, start) + 1;
        // The line ends at the line break before the next line's start, or at the text's end.
        let line_end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let end = span.end.clamp(start, line_end);
        let len = char_count(self.text, start, end).max(1);
        Loc {
            line: line as u32 + 1,
            column: column as u32,
            len: len as u32,
        }
    }

    /// The byte offset where a 1-based line starts, `None` past the last line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let i = (line as usize).checked_sub(1)?;
        self.starts.get(i).copied()
    }

    /// How many lines the text has (an empty text, or one ending in a line break, has an
    /// empty last line).
    pub fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: u32) -> Option<&'a str> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&next| next - 1);
        Some(self.text[start..end].trim_end_matches('\r'))
    }
}

/// Characters between two byte offsets, tolerating offsets inside a character.
fn char_count(text: &str, from: usize, to: usize) -> usize {
    // Plans are mostly ASCII, where characters are bytes: no decoding.
    if text.as_bytes()[from..to].is_ascii() {
        return to - from;
    }
    text.get(from..to)
        .map(|s| s.chars().count())
        .unwrap_or_else(|| {
            String::from_utf8_lossy(&text.as_bytes()[from..to])
                .chars()
                .count()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_bom_and_missing_newline_round_trip() {
        let raw = "\u{feff}a = 1\r\nb = 2";
        let (text, layout) = decode(raw.as_bytes()).unwrap();
        assert_eq!(text, "a = 1\nb = 2");
        assert!(layout.crlf && layout.bom && !layout.final_newline);
        assert_eq!(encode(&format!("{text}\n"), layout), raw.as_bytes());
    }

    #[test]
    fn a_lone_cr_in_a_crlf_file_is_left_for_the_parser_to_refuse() {
        for raw in [
            "a = 1\r\r\nb = 2\r\n",
            "a = \"\"\"x\r\r\ny\"\"\"\r\nb = 2\r\n",
        ] {
            let (text, _) = decode(raw.as_bytes()).unwrap();
            assert_eq!(text, raw);
            let checked = crate::check::check_text(text, &crate::check::Settings::default());
            assert!(
                checked.diagnostics.iter().any(|d| d.code == "SCP001"),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn lines_kept_keep_their_own_ends_in_a_file_that_mixes_them() {
        let model: &[u8] = b"a = 1\r\nb = 2\nc = 3\r\nd = 4\n";
        let new = b"a = 1\nb = 5\nc = 3\nx = 0\nd = 4\n".to_vec();
        // A changed or new line ends as the line above it.
        assert_eq!(
            line_ends_like(&[model], new),
            b"a = 1\r\nb = 5\r\nc = 3\r\nx = 0\r\nd = 4\n"
        );
        // A line another model has as it is takes that model's end.
        let theirs: &[u8] = b"a = 1\r\nb = 5\nc = 3\r\nd = 4\n";
        assert_eq!(
            line_ends_like(&[model, theirs], b"a = 1\nb = 5\nc = 3\nd = 4\n".to_vec()),
            b"a = 1\r\nb = 5\nc = 3\r\nd = 4\n"
        );
        // One kind of end throughout: the layout's, untouched.
        let lf = b"a = 1\nb = 5\n".to_vec();
        assert_eq!(line_ends_like(&[b"a = 1\nb = 2\n"], lf.clone()), lf);
        let crlf = b"a = 1\r\nb = 5\r\n".to_vec();
        assert_eq!(line_ends_like(&[b"a = 1\r\nb = 2\r\n"], crlf.clone()), crlf);
    }

    #[test]
    fn invalid_utf8_points_at_the_bad_byte() {
        let err = decode(b"a = 1\nb = \"\xff\"\n").unwrap_err();
        assert_eq!(
            err,
            DecodeError::InvalidUtf8(Loc {
                line: 2,
                column: 6,
                len: 1
            })
        );
    }

    #[test]
    fn lookups_in_any_order_match_a_scan_of_the_text() {
        let text = "a = 1\n\n  é = \"ü\"\nlast";
        let index = LineIndex::new(text);
        let scan = |offset: usize| {
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let line = before.matches('\n').count() as u32 + 1;
            (line, text[line_start..offset].chars().count() as u32 + 1)
        };
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        // Forwards, backwards and jumping about: the remembered line must never leak through.
        for &i in offsets
            .iter()
            .chain(offsets.iter().rev())
            .chain([&0, &17, &3, &11])
        {
            let loc = index.loc(i..i + 1);
            assert_eq!((loc.line, loc.column), scan(i), "offset {i}");
        }
    }

    #[test]
    fn columns_count_characters() {
        let text = "é = 1\nname = \"x\"\n";
        let index = LineIndex::new(text);
        let at = text.find('=').unwrap();
        assert_eq!(index.loc(at..at + 1).column, 3);
        assert_eq!(index.loc(7..11).line, 2);
        assert_eq!(index.line_text(2), Some("name = \"x\""));
    }
}
