//! Positions: LSP counts a line's characters in UTF-16 code units unless the client and the
//! server agree on UTF-8 (preferred here when the client offers it: no conversion on ASCII
//! and none to get wrong); scplan's locations count Unicode scalar values. Every conversion
//! between the two, and to byte offsets in the text, is here.

use lsp_types::{ClientCapabilities, Position, PositionEncodingKind, Range};

use crate::edit::toml_text;
use crate::plan::model::Loc;
use crate::plan::source::LineIndex;

/// The unit a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (which every client supports).
    pub fn negotiate(capabilities: &ClientCapabilities) -> Encoding {
        let offered = capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// Its name in the protocol.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// How many units a character takes.
    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
        }
    }
}

/// Converts between positions and byte offsets of one text.
#[derive(Debug, Clone, Copy)]
pub struct Positions<'a> {
    /// The text's lines.
    pub index: &'a LineIndex<'a>,
    /// The negotiated encoding.
    pub encoding: Encoding,
}

impl Positions<'_> {
    /// The byte offset of a position: `None` past the line after the last (which means the
    /// text's end). A character past the end of its line means the line's end, as the
    /// protocol says; one inside a character means the character's start.
    pub fn offset(&self, pos: Position) -> Option<usize> {
        let line = pos.line.checked_add(1)?;
        // The line after the last one: the end of the text (an editor appending at the end).
        if line == self.index.line_count() + 1 {
            return Some(self.index.text().len());
        }
        let start = self.index.line_start(line)?;
        let text = self.index.line_text(line)?;
        let mut units = 0u32;
        for (i, c) in text.char_indices() {
            let next = units + self.encoding.units(c);
            if next > pos.character {
                return Some(start + i);
            }
            units = next;
        }
        Some(start + text.len())
    }

    /// The position of a byte offset (clamped to the text, moved back to a character's start).
    pub fn position(&self, offset: usize) -> Position {
        let text = self.index.text();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.loc(offset..offset).line;
        let start = self.index.line_start(line).unwrap_or(0);
        let character = text[start..offset]
            .chars()
            .map(|c| self.encoding.units(c))
            .sum();
        Position {
            line: line - 1,
            character,
        }
    }

    /// The range of byte offsets.
    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }

    /// The range a diagnostic's location covers (its `len` characters, on its line).
    pub fn loc_range(&self, loc: Loc) -> Range {
        let Some(start) = toml_text::offset_of(self.index, loc) else {
            let end = self.position(self.index.text().len());
            return Range { start: end, end };
        };
        let text = self.index.text();
        let line_end = toml_text::line_end(text, start);
        let end = text[start..line_end]
            .char_indices()
            .nth(loc.len.max(1) as usize)
            .map_or(line_end, |(i, _)| start + i);
        self.range(start..end)
    }

    /// The byte range of a protocol range: `None` when it is outside the text or reversed.
    pub fn offsets(&self, range: Range) -> Option<std::ops::Range<usize>> {
        let start = self.offset(range.start)?;
        let end = self.offset(range.end)?;
        (start <= end).then_some(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_count_the_same_text_differently() {
        let text = "a = \"é😀x\"\r\nb\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        for (encoding, character) in [(Encoding::Utf16, 8), (Encoding::Utf8, 11)] {
            let p = Positions {
                index: &index,
                encoding,
            };
            let pos = p.position(x);
            assert_eq!(pos, Position::new(0, character));
            assert_eq!(p.offset(pos), Some(x));
            // Past the end of a line: its end (before the CR); past the last line: nothing.
            assert_eq!(
                p.offset(Position::new(0, 999)),
                Some(text.find('\r').unwrap())
            );
            assert_eq!(p.offset(Position::new(2, 0)), Some(text.len()));
            assert_eq!(p.offset(Position::new(3, 5)), Some(text.len()));
            assert_eq!(p.offset(Position::new(4, 0)), None);
            assert_eq!(p.offset(Position::new(u32::MAX, 0)), None);
        }
        let p = Positions {
            index: &index,
            encoding: Encoding::Utf16,
        };
        // Inside the surrogate pair of the emoji: the emoji's start.
        assert_eq!(
            p.offset(Position::new(0, 7)),
            Some(text.find('😀').unwrap())
        );
        let loc = Loc {
            line: 1,
            column: 7,
            len: 2,
        };
        assert_eq!(
            p.loc_range(loc),
            Range::new(Position::new(0, 6), Position::new(0, 9))
        );
    }
}
