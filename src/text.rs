//! One sanitizer for every piece of plan text shown on a terminal: control characters,
//! escape sequences and bidirectional overrides become visible stand-ins, never raw bytes.

/// Makes `s` safe to print: C0 controls become their Unicode control pictures (ESC -> `␛`,
/// NUL -> `␀`), DEL -> `␡`, C1 controls and bidirectional or invisible formatting characters
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
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\u{7f}' => out.push('\u{2421}'),
        c if needs_escape(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
        c => out.push(c),
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

#[cfg(test)]
mod tests {
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
}
