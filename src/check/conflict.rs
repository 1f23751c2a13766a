//! Unresolved merge conflicts (SCP001): git's conflict markers left in a plan. They are found
//! in the text before it is parsed, because inside a multi-line string they still parse.

use super::diagnostic::Diagnostic;
use crate::plan::model::Loc;

/// The starts of the lines git writes around a conflict: ours, the divider, theirs.
const MARKERS: [&[u8]; 3] = [b"<<<<<<< ", b"=======", b">>>>>>> "];

/// The 1-based line of the first line that starts with a conflict marker.
fn first_marker_line(text: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    let at_line_start = |offset: usize| offset == 0 || bytes[offset - 1] == b'\n';
    // Each marker is searched for on its own (fast, and rare in a plan), then only its
    // occurrences at the start of a line count.
    let offset = MARKERS
        .iter()
        .filter_map(|marker| memchr::memmem::find_iter(bytes, marker).find(|&o| at_line_start(o)))
        .min()?;
    let breaks = memchr::memchr_iter(b'\n', &bytes[..offset]).count();
    u32::try_from(breaks + 1).ok()
}

/// Whether any line of `text` starts with a conflict marker (`text` starting at a line start).
pub fn holds_markers(text: &str) -> bool {
    first_marker_line(text).is_some()
}

/// SCP001 for a text holding git conflict markers, at the first marker line.
pub fn diagnostic(text: &str) -> Option<Diagnostic> {
    let line = first_marker_line(text)?;
    let loc = Loc {
        line,
        column: 1,
        len: 7,
    };
    Some(
        Diagnostic::new(
            "SCP001",
            "plan",
            loc,
            "unresolved merge conflict: git's conflict markers (<<<<<<<, =======, >>>>>>>) are still in the file".to_string(),
        )
        .with_help("resolve the conflict: keep one side (or combine the two) and remove the marker lines; or take one side whole with `git checkout --ours -- <file>` or `git checkout --theirs -- <file>`"),
    )
}

#[cfg(test)]
mod tests {
    use super::first_marker_line;

    #[test]
    fn markers_count_only_at_the_start_of_a_line() {
        assert_eq!(first_marker_line("<<<<<<< HEAD\na = 1\n"), Some(1));
        assert_eq!(first_marker_line("a = 1\n=======\n"), Some(2));
        assert_eq!(first_marker_line("a = 1\nb = 2\n>>>>>>> main\n"), Some(3));
        assert_eq!(first_marker_line("a = 1\r\n=======\r\n"), Some(2));
        // The earliest of the three, whichever it is.
        assert_eq!(first_marker_line("x\n>>>>>>> b\n<<<<<<< a\n"), Some(2));
        // Not at a line start, or not the marker exactly.
        assert_eq!(first_marker_line("a = \"<<<<<<< HEAD\"\n"), None);
        assert_eq!(first_marker_line("  =======\n"), None);
        assert_eq!(first_marker_line("<<<<<<<HEAD\n>>>>>>>\n======\n"), None);
        assert_eq!(first_marker_line(""), None);
    }
}
