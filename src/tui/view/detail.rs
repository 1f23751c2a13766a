//! The pane under the view: the diagnostics about the selection, the focused one in full
//! (its rule's title, then its message and help wrapped to the width), the others a line
//! each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::{Theme, symbol};
use crate::check::registry;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::{Session, View};
use crate::tui::keymap::Keymap;

/// The pane's lines at `width` (its border not counted).
pub fn lines(s: &Session, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let list = s.selection_diagnostics();
    let focused = s.focused_diagnostic();
    let width = usize::from(width.max(8));
    let mut lines: Vec<Line<'static>> = Vec::new();
    // In the changes view, the selected change in full first (its row is cut at the width).
    if s.view == View::Changes
        && let Some(c) = &s.changes
        && let Ok(diff) = &c.diff
        && let Some(change) = diff.changes.get(c.row)
    {
        let text = sanitize(&crate::diff::render::line(change));
        let wrapped = wrap(&text, width, " ");
        lines.extend(wrapped.into_iter().map(|l| Line::styled(l, theme.bold())));
    }
    for &i in &list {
        let d = &s.live.diagnostics[i];
        let waived = if d.waived { " (waived)" } else { "" };
        if Some(i) != focused {
            let code = Span::styled(
                format!("{} {} {}", symbol(d.severity), d.severity.as_str(), d.code),
                theme.severity(d.severity),
            );
            lines.push(Line::from(vec![
                Span::raw(" "),
                code,
                Span::raw(sanitize(&format!(" {}{waived}: {}", d.item, d.message))),
            ]));
            continue;
        }
        let title = registry::find(d.code).map_or("", |r| r.summary);
        let head = sanitize(&format!(
            "{} {} {} · {title}",
            symbol(d.severity),
            d.severity.as_str(),
            d.code
        ));
        for (n, part) in wrap(&head, width - 1, "").into_iter().enumerate() {
            let (marker, style) = match n {
                0 => ("›", theme.severity(d.severity)),
                _ => (" ", theme.bold()),
            };
            lines.push(Line::from(vec![
                Span::raw(marker),
                Span::styled(part, style),
            ]));
        }
        let message = sanitize(&format!("{}{waived}: {}", d.item, d.message));
        lines.extend(wrap(&message, width, "  ").into_iter().map(Line::raw));
        if let Some(help) = &d.help {
            let help = sanitize(&format!("help: {help}"));
            let wrapped = wrap(&help, width, "  ");
            lines.extend(wrapped.into_iter().map(|l| Line::styled(l, theme.dim())));
        }
    }
    if list.is_empty() {
        lines.push(Line::styled(" no diagnostics here", theme.dim()));
    }
    lines
}

/// Draws `lines` (from [`lines`]) in `area`, scrolled down `scroll` lines (as far as there
/// is more to read); a row above and below says how many lines are out of sight there and
/// which keys scroll.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: u16,
    keymap: &Keymap,
    theme: Theme,
) {
    let height = usize::from(area.height.saturating_sub(1));
    let key = |action| keymap.key_name(action);
    let mut shown = lines;
    if shown.len() > height && height > 2 {
        let len = shown.len();
        // A row says what is above (when scrolled) and one what is below (when there is more).
        let top = usize::from(scroll).min(max_scroll(len, height));
        let mut room = height - usize::from(top > 0);
        if top + room < len {
            room -= 1;
        }
        let below = len - top - room;
        let mut window: Vec<Line<'static>> = shown.drain(top..top + room).collect();
        if top > 0 {
            let above = format!(
                "  ↑ {top} more line(s) above ({}: scroll up)",
                key(Action::DetailUp)
            );
            window.insert(0, Line::styled(above, theme.dim()));
        }
        if below > 0 {
            let under = format!(
                "  … {below} more line(s) ({}: scroll, {}: all diagnostics)",
                key(Action::DetailDown),
                key(Action::ViewDiagnostics)
            );
            window.push(Line::styled(under, theme.dim()));
        }
        shown = window;
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .title(" diagnostics for the selection ")
        .border_style(theme.dim());
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

/// How far `len` lines scroll in a pane of `height` rows: until the last is in sight under
/// the row that says what is above.
pub fn max_scroll(len: usize, height: usize) -> usize {
    if len > height && height > 2 {
        len + 1 - height
    } else {
        0
    }
}

/// `text` broken into lines of at most `width` columns at spaces (a word longer than a line
/// is cut), every line after the first starting with `indent`; the first starts with it too.
pub(super) fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = indent.to_string();
    for word in text.split(' ') {
        let fits = columns(&line) + 1 + columns(word) <= width;
        if line.trim().is_empty() || fits {
            if !line.trim().is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            out.push(std::mem::replace(&mut line, format!("{indent}{word}")));
        }
        while columns(&line) > width {
            let cut = cut_at(&line, width);
            let rest = format!("{indent}{}", &line[cut..]);
            line.truncate(cut);
            out.push(std::mem::replace(&mut line, rest));
        }
    }
    out.push(line);
    out
}

/// The width of `s` in terminal columns.
fn columns(s: &str) -> usize {
    Span::raw(s).width()
}

/// The byte offset of the longest start of `s` that fits in `width` columns.
fn cut_at(s: &str, width: usize) -> usize {
    let mut used = 0;
    for (at, c) in s.char_indices() {
        used += columns(c.encode_utf8(&mut [0; 4]));
        if used > width {
            return at.max(c.len_utf8());
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn text_is_wrapped_at_spaces_and_long_words_are_cut() {
        assert_eq!(
            wrap("one two three four", 11, "  "),
            ["  one two", "  three", "  four"]
        );
        assert_eq!(wrap("abcdefghij", 6, "  "), ["  abcd", "  efgh", "  ij"]);
        assert_eq!(wrap("", 6, "  "), ["  "]);
    }
}
