//! One sanitizer for every piece of plan text shown on a terminal: control characters,
//! escape sequences and bidirectional overrides become visible stand-ins, never raw bytes;
//! and a word-level difference of two texts.

/// Makes `s` safe to print: C0 controls become their Unicode control pictures (ESC -> `␛`,
/// NUL -> `␀`), DEL -> `␡`, C1 controls and bidirectional or invisible formatting characters
/// The first `at_most` of `items` joined by `separator`, then "and N more" for the rest: a
/// list that fits a question on a small screen.
pub fn first_of(items: &[String], at_most: usize, separator: &str) -> String {
    let shown = items
        .iter()
        .take(at_most)
        .cloned()
        .collect::<Vec<_>>()
        .join(separator);
    match items.len().saturating_sub(at_most) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// -> `<U+XXXX>`. A tab becomes one space, so that columns stay aligned.
pub fn sanitize(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_visible(&mut out, c);
    }
    out
}

/// Like [`sanitize`], but keeps line feeds, for multi-line text written to documents
/// (exports) where a line break is structure, not an escape.
pub fn sanitize_lines(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

/// Whether a character must not reach a terminal as it is.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_format_control(c)
}

fn push_visible(out: &mut String, c: char) {
    match c {
        '\t' => out.push(' '),
        c if needs_escape(c) => out.push_str(&stand_in(c)),
        c => out.push(c),
    }
}

/// What shows a character that must not reach a terminal: its control picture (`␛` for
/// ESC, `␡` for DEL), else `<U+202E>`.
pub fn stand_in(c: char) -> String {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('?').to_string(),
        '\u{7f}' => '\u{2421}'.to_string(),
        c => format!("<U+{:04X}>", c as u32),
    }
}

/// Bidirectional overrides, isolates and marks, and other invisible format characters that
/// can make text read differently from what it is.
fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// One run of a word-level difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordDiff {
    /// Words in both texts.
    Same(String),
    /// Words only in the old text.
    Removed(String),
    /// Words only in the new text.
    Added(String),
}

/// The most words a text may have for [`word_diff`] to compare word by word; longer texts
/// are shown as all removed, then all added (the table of the comparison grows as the product).
const MAX_DIFF_WORDS: usize = 2000;

/// The word-level difference of two texts (words split at whitespace, runs joined by one
/// space): a longest common subsequence of words, neighbouring words of one kind merged.
pub fn word_diff(old: &str, new: &str) -> Vec<WordDiff> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let mut ops: Vec<WordDiff> = Vec::new();
    let mut push = |op: WordDiff| {
        let merged = match (ops.last_mut(), &op) {
            (Some(WordDiff::Same(x)), WordDiff::Same(y))
            | (Some(WordDiff::Removed(x)), WordDiff::Removed(y))
            | (Some(WordDiff::Added(x)), WordDiff::Added(y)) => {
                x.push(' ');
                x.push_str(y);
                true
            }
            _ => false,
        };
        if !merged {
            ops.push(op);
        }
    };
    if a.len() > MAX_DIFF_WORDS || b.len() > MAX_DIFF_WORDS {
        if !a.is_empty() {
            push(WordDiff::Removed(a.join(" ")));
        }
        if !b.is_empty() {
            push(WordDiff::Added(b.join(" ")));
        }
        return ops;
    }
    // lcs[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0usize; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            push(WordDiff::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < a.len()
            && (j == b.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            push(WordDiff::Removed(a[i].to_string()));
            i += 1;
        } else {
            push(WordDiff::Added(b[j].to_string()));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_long_list_shows_its_first_items_and_counts_the_rest() {
        let items: Vec<String> = (1..=9).map(|i| format!("O-{i}")).collect();
        assert_eq!(first_of(&items[..2], 6, ", "), "O-1, O-2");
        assert_eq!(
            first_of(&items[..6], 6, ", "),
            "O-1, O-2, O-3, O-4, O-5, O-6"
        );
        assert_eq!(first_of(&items, 3, "; "), "O-1; O-2; O-3 and 6 more");
        assert_eq!(first_of(&[], 3, ", "), "");
    }

    use super::*;

    #[test]
    fn escapes_become_visible() {
        assert_eq!(sanitize("a\u{1b}]52;c;x\u{7}b"), "a␛]52;c;x␇b");
        assert_eq!(sanitize("\u{1b}[31mred"), "␛[31mred");
        assert_eq!(sanitize("nul\u{0}"), "nul␀");
        assert_eq!(sanitize("abc\u{202e}def"), "abc<U+202E>def");
        assert_eq!(sanitize("c1\u{9b}x"), "c1<U+009B>x");
        assert_eq!(sanitize("del\u{7f}"), "del␡");
        assert_eq!(sanitize("tab\there"), "tab here");
        assert_eq!(sanitize("plain Łódź 東京"), "plain Łódź 東京");
    }

    #[test]
    fn line_feeds_survive_sanitize_lines() {
        assert_eq!(sanitize_lines("a\nb\u{1b}\r\n"), "a\nb␛␍\n");
    }

    #[test]
    fn output_has_no_control_characters() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert!(!sanitize(&all).chars().any(needs_escape));
    }

    #[test]
    fn word_diff_keeps_common_words_and_marks_the_rest() {
        use super::WordDiff::*;
        let same = |s: &str| Same(s.to_string());
        let gone = |s: &str| Removed(s.to_string());
        let new = |s: &str| Added(s.to_string());
        assert_eq!(
            word_diff(
                "Deter aggression (fictional)",
                "Deter  coercion\n(fictional)"
            ),
            vec![
                same("Deter"),
                gone("aggression"),
                new("coercion"),
                same("(fictional)")
            ]
        );
        assert_eq!(word_diff("a b c", "a b c"), vec![same("a b c")]);
        assert_eq!(word_diff("", "x y"), vec![new("x y")]);
        assert_eq!(word_diff("x y", ""), vec![gone("x y")]);
        assert_eq!(word_diff("", ""), vec![]);
        assert_eq!(
            word_diff("one two three four", "one three four five"),
            vec![same("one"), gone("two"), same("three four"), new("five")]
        );
    }
}
