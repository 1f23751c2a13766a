//! Where a large plan's text may be cut in two, for its halves to be parsed on two cores:
//! before a country section's header. Found by reading lines, so a parse must confirm it
//! (such a line could sit inside a multi-line string).

/// The header line a cut goes before.
const CUT_HEADER: &str = "[[country]]\n";

/// Texts shorter than this are parsed whole: their parse takes about as long as starting a
/// thread to share it.
pub const CUT_FROM_BYTES: usize = 256 * 1024;

/// Texts shorter than this are read on one core by a check (whose other core is free): the
/// read takes a few milliseconds, and a thread started for so short a job often waits for
/// the first thread's core rather than taking the free one, so that the two take turns.
pub const SPLIT_FROM_BYTES: usize = 2 << 20;

/// The start of the first line at or after `numerator / denominator` of `text` that is a
/// country section's header written as `[[country]]` alone. `None` for a text shorter than
/// [`CUT_FROM_BYTES`], or when there is no such line.
pub fn before_section(text: &str, numerator: usize, denominator: usize) -> Option<usize> {
    if text.len() < CUT_FROM_BYTES || numerator > denominator {
        return None;
    }
    let mut middle = text
        .len()
        .checked_mul(numerator)?
        .checked_div(denominator)?;
    while !text.is_char_boundary(middle) {
        middle -= 1;
    }
    let mut at = text[..middle].rfind('\n').map_or(0, |i| i + 1);
    loop {
        let rest = &text[at..];
        if rest.starts_with(CUT_HEADER) {
            return Some(at);
        }
        at += rest.find('\n')? + 1;
    }
}
