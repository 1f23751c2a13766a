//! The open plans: each one's text as the editor holds it, kept in step with its changes
//! (whole or by range), and what scplan derives from it. A change confined to one part of the
//! plan (`[plan]`, the priorities, a country section, the waivers) re-reads that part through the
//! terminal editor's live re-check ([`LivePlan`]); any other, and any text that did not parse
//! before, is read again whole.

use lsp_types::{Range, TextDocumentContentChangeEvent};

use super::position::{Encoding, Positions};
use crate::check::diagnostic::Diagnostic;
use crate::check::live::LivePlan;
use crate::check::{self, Clearance, Settings};
use crate::plan::model::{Loc, Plan};
use crate::plan::source::{self, LineIndex};

/// Why a change could not be applied; the document is then unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// A change's range is outside the text or reversed.
    #[error("the range {0:?} is not inside the document")]
    Range(Range),
    /// A version older than the one held.
    #[error("version {got} is older than the document's version {held}")]
    Version {
        /// The version of the change.
        got: i32,
        /// The version held.
        held: i32,
    },
}

/// One open plan.
#[derive(Debug)]
pub struct Document {
    /// The version the editor gave the text.
    pub version: i32,
    /// The text as the editor holds it.
    text: String,
    /// Where each of its lines starts, moved with each change (indexing a large plan again
    /// for every keystroke would cost more than checking the part it touched).
    starts: Vec<usize>,
    /// What the last text that parsed gives (the current text's, unless `broken`).
    live: Option<LivePlan>,
    /// Why the current text gives no plan (SCP001, or over the size limit).
    broken: Option<Diagnostic>,
    /// The text's lines end in CRLF (as the checker reads it).
    crlf: bool,
}

impl Document {
    /// A document opened with `text`, checked.
    pub fn open(version: i32, text: String, settings: &Settings) -> Document {
        let mut doc = Document {
            version,
            starts: source::line_starts(&text),
            text,
            live: None,
            broken: None,
            crlf: false,
        };
        doc.reload(settings);
        doc
    }

    /// The text as the editor holds it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text's lines.
    pub fn index(&self) -> LineIndex<'_> {
        LineIndex::with_starts(&self.text, &self.starts)
    }

    /// The plan of the current text, when it parsed and may be shown: every reply that
    /// points into the text or shows its content reads this.
    pub fn plan(&self) -> Option<&Plan> {
        self.live
            .as_ref()
            .filter(|_| self.broken.is_none() && self.within())
            .map(|l| &l.plan)
    }

    /// The plan of the last text that parsed, perhaps older than the current text (while
    /// the author types, a text often does not parse): for completion, which needs the ids
    /// and not where they are.
    pub fn last_plan(&self) -> Option<&Plan> {
        self.live
            .as_ref()
            .filter(|_| self.within())
            .map(|l| &l.plan)
    }

    /// Whether the content may be shown: no marking above the system high in the last text
    /// that parsed. A text that never parsed has no content to show but the catalogue's.
    pub fn within(&self) -> bool {
        self.live
            .as_ref()
            .is_none_or(|l| Clearance::of(&l.diagnostics) == Clearance::Within)
    }

    /// Whether any plan was ever read from this document: until then, only what the
    /// catalogue says can be offered (keys, values, rules).
    pub fn ever_parsed(&self) -> bool {
        self.live.is_some()
    }

    /// The diagnostics to publish: a single SCP209 (and nothing about the content) for a plan
    /// above the system high; SCP001 for a text that does not parse; else every one.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        let Some(live) = &self.live else {
            return self.broken.iter().collect();
        };
        if !self.within() {
            // Even while the text does not parse: a syntax error's message may quote it.
            return live
                .diagnostics
                .iter()
                .filter(|d| d.code == "SCP209")
                .take(1)
                .collect();
        }
        match &self.broken {
            Some(broken) => vec![broken],
            None => live.diagnostics.iter().collect(),
        }
    }

    /// The current diagnostics when they may be shown and point into the current text.
    pub fn current_diagnostics(&self) -> &[Diagnostic] {
        match (&self.live, self.plan()) {
            (Some(live), Some(_)) => &live.diagnostics,
            _ => &[],
        }
    }

    /// Applies the editor's changes in order, then checks the new text: the part they touch
    /// when they stay inside one, else everything.
    pub fn change(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
        settings: &Settings,
    ) -> Result<(), SyncError> {
        if version < self.version {
            return Err(SyncError::Version {
                got: version,
                held: self.version,
            });
        }
        let lines = match <[_; 1]>::try_from(changes) {
            // One change of a range, as editors send a keystroke: made in place.
            Ok(
                [
                    TextDocumentContentChangeEvent {
                        range: Some(range),
                        text,
                        ..
                    },
                ],
            ) => self.replace(range, &text, encoding)?,
            Ok([whole]) => self.replace_all(vec![whole], encoding)?,
            Err(changes) => self.replace_all(changes, encoding)?,
        };
        self.version = version;
        // Grown past the size limit, the text is refused as a file that size is (read whole:
        // the reading says so); a broken text is read whole again anyway.
        if self.text.len() as u64 > source::MAX_PLAN_BYTES {
            self.reload(settings);
            return Ok(());
        }
        // No change at all (an empty list) leaves the derived state as it is.
        // Conflict markers can only have come in with the lines changed (a text that held some
        // was read whole, and is read whole again): their SCP001 comes from the whole text.
        if let Some(lines) = lines
            && (self.new_markers(lines) || !self.recheck_part(lines, settings))
        {
            self.reload(settings);
        }
        Ok(())
    }

    /// Whether the lines `first..=new_last` of the new text hold a conflict marker line.
    fn new_markers(&self, (first, _, new_last): (u32, u32, u32)) -> bool {
        let index = LineIndex::with_starts(&self.text, &self.starts);
        let begin = index.line_start(first).unwrap_or(0);
        let end = index
            .line_start(new_last.saturating_add(1))
            .unwrap_or(self.text.len());
        self.text
            .get(begin..end.max(begin))
            .is_some_and(check::conflict::holds_markers)
    }

    /// Replaces a range of the text, moving the line starts: the lines it changed (see
    /// [`Document::recheck_part`]).
    fn replace(
        &mut self,
        range: Range,
        text: &str,
        encoding: Encoding,
    ) -> Result<Option<(u32, u32, u32)>, SyncError> {
        let index = self.index();
        let positions = Positions {
            index: &index,
            encoding,
        };
        let bytes = positions.offsets(range).ok_or(SyncError::Range(range))?;
        let line_of = |starts: &[usize], at: usize| starts.partition_point(|&s| s <= at) as u32;
        let first = line_of(&self.starts, bytes.start);
        let old_last = line_of(&self.starts, bytes.end);
        self.text.replace_range(bytes.clone(), text);
        // Lines that started inside the range are gone; the text's own line breaks start new
        // ones; the lines after it move by the change in length.
        let lo = first as usize;
        let hi = old_last as usize;
        let new_starts = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| bytes.start + i + 1);
        let added: Vec<usize> = new_starts.collect();
        let count = added.len();
        self.starts.splice(lo..hi, added);
        let grew = text.len() as i64 - (bytes.end - bytes.start) as i64;
        for start in &mut self.starts[lo + count..] {
            *start = (*start as i64 + grew) as usize;
        }
        let new_last = line_of(&self.starts, bytes.start + text.len());
        Ok(Some((first, old_last, new_last)))
    }

    /// Applies several changes (or the whole text), then finds what changed by comparing the
    /// texts: the lines it changed, as [`Document::replace`] gives them.
    fn replace_all(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Result<Option<(u32, u32, u32)>, SyncError> {
        let mut text = None::<String>;
        for change in changes {
            let current = text.as_deref().unwrap_or(&self.text);
            let next = match change.range {
                None => change.text,
                Some(range) => {
                    let index = LineIndex::new(current);
                    let positions = Positions {
                        index: &index,
                        encoding,
                    };
                    let bytes = positions.offsets(range).ok_or(SyncError::Range(range))?;
                    let mut next = current.to_string();
                    next.replace_range(bytes, &change.text);
                    next
                }
            };
            text = Some(next);
        }
        let Some(text) = text else { return Ok(None) };
        let (start, old_end, new_end) = changed_span(&self.text, &text);
        let old_index = self.index();
        let line = |index: &LineIndex<'_>, at: usize| index.loc(at..at).line;
        let (first, old_last) = (line(&old_index, start), line(&old_index, old_end));
        let new_index = LineIndex::new(&text);
        let new_last = line(&new_index, new_end);
        self.starts = source::line_starts(&text);
        self.text = text;
        Ok(Some((first, old_last, new_last)))
    }

    /// Re-reads the one part of the plan that a change touched: lines `first..=old_last`
    /// (1-based) of the old text, `first..=new_last` of the new. `false` when it cannot (the
    /// change spans parts or lies outside them, the old text did not parse).
    fn recheck_part(
        &mut self,
        (first, old_last, new_last): (u32, u32, u32),
        settings: &Settings,
    ) -> bool {
        let Some(live) = self.live.as_mut().filter(|_| self.broken.is_none()) else {
            return false;
        };
        let new_index = LineIndex::with_starts(&self.text, &self.starts);
        let delta = i64::from(new_last) - i64::from(old_last);
        let Some(region) = live.locate_lines(first, old_last) else {
            return false;
        };
        let (from, next) = region.lines();
        let Some(begin) = new_index.line_start(from) else {
            return false;
        };
        let end = match next {
            None => Some(self.text.len()),
            Some(n) => u32::try_from(i64::from(n) + delta)
                .ok()
                .and_then(|n| new_index.line_start(n)),
        };
        let Some(end) = end.filter(|&e| e >= begin) else {
            return false;
        };
        let mut part = &self.text[begin..end];
        if begin == 0 {
            part = part.strip_prefix('\u{feff}').unwrap_or(part);
        }
        let part = if self.crlf {
            part.replace("\r\n", "\n")
        } else {
            part.to_string()
        };
        live.replace_part(region, part, settings)
    }

    /// Reads the whole text again, as `scplan check` reads a file.
    fn reload(&mut self, settings: &Settings) {
        let (text, layout) = match source::decode(self.text.as_bytes()) {
            Ok(decoded) => decoded,
            Err(err) => {
                self.broken = Some(Diagnostic::new(
                    "SCP001",
                    "plan",
                    Loc::START,
                    err.to_string(),
                ));
                return;
            }
        };
        self.crlf = layout.crlf;
        // As `scplan check` reads it: conflict markers are SCP001 even where the text parses.
        if let Some(conflict) = check::conflict::diagnostic(&text) {
            self.broken = Some(conflict);
            return;
        }
        match check::load_text(&text) {
            Ok(loaded) => {
                self.live = Some(LivePlan::new(
                    crop::Rope::from(text.as_str()),
                    loaded,
                    settings,
                ));
                self.broken = None;
            }
            Err(syntax) => self.broken = Some(*syntax),
        }
    }
}

/// The bytes that differ between two texts, as one replacement: where it starts, and where
/// it ends in the old text and in the new (the common prefix and suffix left out).
fn changed_span(old: &str, new: &str) -> (usize, usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = common(
        a.len().min(b.len()),
        |i| a[i],
        |i| b[i],
        |r| a[r.clone()] == b[r],
    );
    let room = a.len().min(b.len()) - prefix;
    let (la, lb) = (a.len(), b.len());
    let suffix = common(
        room,
        |i| a[la - 1 - i],
        |i| b[lb - 1 - i],
        |r| a[la - r.end..la - r.start] == b[lb - r.end..lb - r.start],
    );
    (prefix, la - suffix, lb - suffix)
}

/// How many of the first `len` positions agree (`x(i) == y(i)`), compared a block at a time
/// (`same` compares a block, with memcmp) and then byte by byte: a whole-text change of a
/// large plan costs a few milliseconds.
fn common(
    len: usize,
    x: impl Fn(usize) -> u8,
    y: impl Fn(usize) -> u8,
    same: impl Fn(std::ops::Range<usize>) -> bool,
) -> usize {
    const BLOCK: usize = 4096;
    let mut i = 0;
    while i + BLOCK <= len && same(i..i + BLOCK) {
        i += BLOCK;
    }
    while i < len && x(i) == y(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Position;

    const SAMPLE: &str = include_str!("../../plans/eucom-sample.toml");

    fn at(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    fn edit(range: Option<Range>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn conflict_markers_typed_into_a_part_are_the_merge_conflict_scp001() {
        let settings = Settings::default();
        let mut doc = Document::open(1, SAMPLE.to_string(), &settings);
        // Inside a multi-line string the markers still parse: they are found in the text.
        let typed = "notes = \"\"\"\n<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n\"\"\"\n";
        let line28 = Range::new(at(27, 0), at(27, 0));
        doc.change(
            2,
            vec![edit(Some(line28), typed)],
            Encoding::Utf16,
            &settings,
        )
        .unwrap();
        let codes: Vec<(&str, u32)> = doc
            .diagnostics()
            .iter()
            .map(|d| (d.code, d.loc.line))
            .collect();
        assert_eq!(codes, [("SCP001", 29)]);
        assert!(
            doc.diagnostics()[0]
                .message
                .contains("unresolved merge conflict")
        );
        let opened = Document::open(1, doc.text.clone(), &settings);
        assert_eq!(opened.broken, doc.broken);
        let back = Range::new(at(27, 0), at(34, 0));
        doc.change(3, vec![edit(Some(back), "")], Encoding::Utf16, &settings)
            .unwrap();
        assert_eq!(doc.text, SAMPLE);
        assert!(doc.broken.is_none());
    }

    #[test]
    fn a_text_grown_past_the_size_limit_is_refused_as_a_file_that_size_is() {
        let settings = Settings::default();
        let mut doc = Document::open(1, SAMPLE.to_string(), &settings);
        let pad = "#".repeat(source::MAX_PLAN_BYTES as usize) + "\n";
        let start = Range::new(at(0, 0), at(0, 0));
        doc.change(2, vec![edit(Some(start), &pad)], Encoding::Utf16, &settings)
            .unwrap();
        let diagnostics = doc.diagnostics();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "SCP001");
        assert!(
            diagnostics[0].message.contains("64 MiB"),
            "{}",
            diagnostics[0].message
        );
        assert!(doc.plan().is_none(), "nothing of it is shown");
        // Back under the limit, it is read again.
        let back = Range::new(at(0, 0), at(1, 0));
        doc.change(3, vec![edit(Some(back), "")], Encoding::Utf16, &settings)
            .unwrap();
        assert!(doc.broken.is_none() && doc.plan().is_some());
    }

    /// The document after `changes`, checked part by part, equals one checked whole; and
    /// whether the part alone could be checked.
    fn checked_as_whole(
        text: &str,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> (Document, bool) {
        let settings = Settings::default();
        let mut doc = Document::open(1, text.to_string(), &settings);
        doc.change(2, changes, Encoding::Utf16, &settings).unwrap();
        let mut again = Document::open(1, text.to_string(), &settings);
        let lines = again
            .replace_all(vec![edit(None, &doc.text)], Encoding::Utf16)
            .unwrap();
        assert_eq!(again.starts, source::line_starts(&doc.text));
        assert_eq!(
            doc.starts,
            source::line_starts(&doc.text),
            "line starts moved right"
        );
        let by_part = lines.is_some_and(|l| again.recheck_part(l, &settings));
        let whole = Document::open(2, doc.text.clone(), &settings);
        assert_eq!(doc.broken, whole.broken);
        let plans = (
            doc.live.as_ref().map(|l| &l.plan),
            whole.live.as_ref().map(|l| &l.plan),
        );
        if whole.broken.is_none() {
            assert_eq!(plans.0, plans.1);
            assert_eq!(doc.diagnostics(), whole.diagnostics());
        }
        (doc, by_part)
    }

    /// [`checked_as_whole`] for a change that stays in one part.
    fn same_as_whole(text: &str, changes: Vec<TextDocumentContentChangeEvent>) -> Document {
        let (doc, by_part) = checked_as_whole(text, changes);
        assert!(by_part, "the part alone was not checked");
        doc
    }

    #[test]
    fn edits_inside_parts_check_as_a_whole_check_does() {
        let lines: Vec<&str> = SAMPLE.lines().collect();
        let line_of = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap() as u32;
        // A priority's title, a link in the first section, a line added to the second, a
        // line removed from [plan], a header broken, and one text replacing everything.
        let title = line_of("[[priority]]") + 2;
        same_as_whole(
            SAMPLE,
            vec![edit(Some(Range::new(at(title, 0), at(title, 0))), "# x\n")],
        );
        let link = line_of("priorities = [\"SP-1\", \"SP-3\"]");
        let doc = same_as_whole(
            SAMPLE,
            vec![edit(Some(Range::new(at(link, 17), at(link, 21))), "SP-9")],
        );
        assert!(doc.diagnostics().iter().any(|d| d.code == "SCP103"));
        let second = line_of("[[country]]") + 112;
        same_as_whole(
            SAMPLE,
            vec![edit(
                Some(Range::new(at(second, 0), at(second, 0))),
                "  bogus = 1\n\n",
            )],
        );
        same_as_whole(
            SAMPLE,
            vec![edit(Some(Range::new(at(11, 0), at(12, 0))), "")],
        );
        let header = line_of("[[country]]");
        let (_, by_part) = checked_as_whole(
            SAMPLE,
            vec![edit(Some(Range::new(at(header, 2), at(header, 3))), "")],
        );
        assert!(!by_part, "a broken header is read whole");
        let (_, by_part) =
            checked_as_whole(SAMPLE, vec![edit(None, &SAMPLE.replace("SP-2", "SP-7"))]);
        assert!(!by_part, "a change across parts is read whole");
        // A whole-text change that touches one line is one part's.
        same_as_whole(
            SAMPLE,
            vec![edit(None, &SAMPLE.replacen("SP-3\"]", "SP-2\"]", 1))],
        );
    }

    #[test]
    fn random_edits_check_as_a_whole_check_does() {
        let settings = Settings::default();
        let mut doc = Document::open(1, SAMPLE.to_string(), &settings);
        let mut seed = 0x2545_f491_u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n.max(1)
        };
        const BITS: [&str; 8] = ["x", "", "\n", "SP-2", "# c\n", "  bogus = 1\n", "é", "1"];
        let (mut by_part, mut whole) = (0, 0);
        for version in 2..160 {
            let line = next(doc.starts.len() as u64) as u32;
            let width = doc
                .index()
                .line_text(line + 1)
                .map_or(0, |l| l.len() as u64);
            let start = at(line, next(width + 1) as u32);
            let end = at(line + u32::from(next(8) == 0), next(width + 1) as u32);
            let range = Range::new(start, if end < start { start } else { end });
            let change = vec![edit(Some(range), BITS[next(BITS.len() as u64) as usize])];
            if doc
                .change(version, change, Encoding::Utf8, &settings)
                .is_err()
            {
                continue;
            }
            let fresh = Document::open(version, doc.text.clone(), &settings);
            assert_eq!(doc.broken, fresh.broken, "{version}");
            if fresh.broken.is_none() {
                assert_eq!(
                    doc.live.as_ref().map(|l| &l.plan),
                    fresh.live.as_ref().map(|l| &l.plan)
                );
                assert_eq!(doc.diagnostics(), fresh.diagnostics(), "{version}");
                by_part += 1;
            } else {
                whole += 1;
                // Back to a text that parses, so that the next edits go part by part again.
                doc = Document::open(version, SAMPLE.to_string(), &settings);
            }
        }
        assert!(by_part > 60, "{by_part} checked, {whole} broken");
    }

    #[test]
    fn line_starts_follow_random_edits() {
        let settings = Settings::default();
        let mut doc = Document::open(1, "a\n\nbc é\r\nd".to_string(), &settings);
        let mut seed = 0x9e37_79b9_u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n.max(1)
        };
        for version in 2..300 {
            let lines = doc.starts.len() as u64;
            let (l1, l2) = (next(lines + 1) as u32, next(lines + 1) as u32);
            let range = Range::new(
                at(l1.min(l2), next(4) as u32),
                at(l1.max(l2), next(4) as u32),
            );
            let text = ["", "\n", "x", "é\n\n", "\r\n"][next(5) as usize];
            let _ = doc.change(
                version,
                vec![edit(Some(range), text)],
                Encoding::Utf16,
                &settings,
            );
            assert_eq!(doc.starts, source::line_starts(&doc.text), "{:?}", doc.text);
        }
    }

    #[test]
    fn non_ascii_and_crlf_text_stays_in_step() {
        let text = SAMPLE
            .replacen("title = \"", "title = \"Ωμέγα 😀 ", 3)
            .replace('\n', "\r\n");
        let line = text.lines().position(|l| l.contains("😀")).unwrap() as u32;
        // After the emoji (UTF-16: two units), a character inserted.
        let col = text.lines().nth(line as usize).unwrap().find("😀").unwrap();
        let units = text.lines().nth(line as usize).unwrap()[..col]
            .encode_utf16()
            .count() as u32
            + 2;
        let doc = same_as_whole(
            &text,
            vec![edit(
                Some(Range::new(at(line, units), at(line, units))),
                "!",
            )],
        );
        assert!(doc.text.contains("😀! "));
        let settings = Settings::default();
        let mut doc = Document::open(1, text.clone(), &settings);
        let bad = Range::new(at(line, 0), at(9_999, 0));
        assert_eq!(
            doc.change(2, vec![edit(Some(bad), "x")], Encoding::Utf16, &settings),
            Err(SyncError::Range(bad))
        );
        assert_eq!(doc.text, text);
    }
}
