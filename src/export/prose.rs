//! The author's text in documents: one rule for every format read by people. A single line
//! break inside a text is the author's wrap, not structure, so it is joined with a space; a
//! blank line (only whitespace between two line breaks) separates paragraphs. JSON keeps the
//! text exactly, as programs read it.

use std::borrow::Cow;

use crate::text::{needs_escape, sanitize_lines};

/// Splits text into its paragraphs, each one line: lines are trimmed, the lines of a
/// paragraph joined with a space, and blank lines separate paragraphs. Empty text is one
/// empty paragraph, so that a caller always has something to lay out.
pub fn paragraphs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in s.split('\n').map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() || out.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// The text with its line wraps joined: its [`paragraphs`] separated by one blank line.
pub fn reflow(s: &str) -> String {
    paragraphs(s).join("\n\n")
}

/// Plan text as every document export shows it: control characters made visible (line
/// breaks kept), then the line wraps joined.
pub fn document_text(s: &str) -> Cow<'_, str> {
    // Most plan text is one line with nothing to make visible (a line break is a control
    // character): only trimmed, with no line split, joined or copied on the way.
    let plain = if s.is_ascii() {
        !s.bytes().any(|b| b < 0x20 || b == 0x7f)
    } else {
        !s.chars().any(needs_escape)
    };
    if plain {
        return Cow::Borrowed(s.trim());
    }
    Cow::Owned(reflow(&sanitize_lines(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_are_joined_and_blank_lines_separate_paragraphs() {
        assert_eq!(paragraphs("one\n  two\n\n \nthree\r"), ["one two", "three"]);
        assert_eq!(reflow("a\nb\n\nc\nd"), "a b\n\nc d");
        assert_eq!(reflow(""), "");
        assert_eq!(reflow("\n\nx\n\n"), "x");
    }

    #[test]
    fn controls_are_made_visible_before_joining() {
        assert_eq!(document_text("a\u{1b}[31m\nb"), "a\u{241b}[31m b");
        for s in [
            "  plain text ",
            "",
            " ",
            "é\u{2028}x",
            "a\tb",
            "x\r",
            "\u{85}y",
        ] {
            assert_eq!(document_text(s), reflow(&sanitize_lines(s)), "{s:?}");
        }
    }
}
