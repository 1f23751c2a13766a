//! Where the panes of the editor go, from the screen's size and the state alone: the views draw
//! into these rectangles, and the mouse is hit-tested against the same ones (the run loop keeps
//! the last frame's in the state; views never store anything).

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::theme::Theme;
use super::{detail, window};
use crate::tui::app::{Panes, Session, View};
use crate::tui::keymap::{HelpRow, help_keys_width};

/// The panes of the editor on a screen of `area` showing `s`.
pub fn panes(area: Rect, s: &Session) -> Panes {
    let details = detail::lines(s, Theme { mono: true }, area.width).len();
    panes_for(area, s, details)
}

/// [`panes`] for a diagnostics pane of `details` lines.
pub(super) fn panes_for(area: Rect, s: &Session, details: usize) -> Panes {
    // The pane grows to show the focused diagnostic in full, up to half of the room; it
    // scrolls for the rest.
    let room = area.height.saturating_sub(4) / 2;
    let wanted = u16::try_from(details + 1).unwrap_or(u16::MAX);
    let [top, header, body, detail, hints, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(wanted.clamp(4, room.max(4))),
        Constraint::Length(message_rows(
            s.message.as_ref().map(|(m, _)| m.as_str()),
            area.width,
        )),
        Constraint::Length(1),
    ])
    .areas(area);
    let (left, right) = match list_width(s.view, body.width) {
        Some(width) => {
            let [left, right] =
                Layout::horizontal([Constraint::Length(width), Constraint::Min(10)]).areas(body);
            (left, right)
        }
        None => (body, Rect::default()),
    };
    Panes {
        top,
        header,
        body,
        detail,
        hints,
        bottom,
        left,
        right,
    }
}

/// The most rows the status line takes for a long message.
const MESSAGE_ROWS: u16 = 3;

/// The rows of a status line: one for the key hints, as many as a message needs to be read
/// whole on a screen `width` columns wide (up to [`MESSAGE_ROWS`]).
pub(super) fn message_rows(message: Option<&str>, width: u16) -> u16 {
    let Some(message) = message else {
        return 1;
    };
    let needed = ratatui::text::Span::raw(crate::text::sanitize(message))
        .width()
        .div_ceil(usize::from(width.max(1)));
    u16::try_from(needed)
        .unwrap_or(MESSAGE_ROWS)
        .clamp(1, MESSAGE_ROWS)
}

/// The width of the list on the left of a view `width` columns wide (`None`: the view is one
/// pane). On a narrow screen the list gives way first, so that a form keeps room for values.
fn list_width(view: View, width: u16) -> Option<u16> {
    match view {
        View::Countries if width >= 100 => Some(24),
        View::Countries if width >= 60 => Some(18),
        View::Countries => Some(9),
        View::Plan if width >= 60 => Some((width * 3 / 8).clamp(20, 48)),
        View::Plan => Some(width / 4),
        View::Matrix | View::Diagnostics | View::Review | View::Changes => None,
    }
}

/// The row of a list drawn in `area` under a one-line title (`len` rows, `selected` kept in
/// sight, as `window` shows them) at screen row `y`.
pub fn row_at(area: Rect, len: usize, selected: usize, y: u16) -> Option<usize> {
    if !area.contains(Position { x: area.x, y }) || y == area.y {
        return None;
    }
    let height = usize::from(area.height.saturating_sub(1));
    let shown = window(len, selected, height);
    let row = shown.start + usize::from(y - area.y - 1);
    shown.contains(&row).then_some(row)
}

/// How far the diagnostics pane of `panes` scrolls for `s` (no limit before a frame is drawn).
pub fn detail_scroll_max(panes: &Panes, s: &Session) -> u16 {
    if panes.detail.height == 0 {
        return u16::MAX;
    }
    let len = detail::lines(s, Theme { mono: true }, panes.detail.width).len();
    let height = usize::from(panes.detail.height.saturating_sub(1));
    u16::try_from(detail::max_scroll(len, height)).unwrap_or(u16::MAX)
}

/// One line of the help overlay as it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A mode's heading.
    Heading(&'static str),
    /// The keys column (padded) and the first line of what they do.
    Keys(String, String),
    /// A further line of what the keys above do, indented under the first.
    More(String),
    /// Space between two modes.
    Blank,
}

/// The help's `rows` as lines `width` columns wide: the keys column as wide as its widest
/// keys, and what they do wrapped at spaces under its own first line.
pub fn help_lines(rows: &[HelpRow], width: u16) -> Vec<HelpLine> {
    let keys = help_keys_width(rows);
    // Two spaces before the keys and two after.
    let text_width = usize::from(width).saturating_sub(keys + 4).max(10);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        match row {
            HelpRow::Heading(title) => out.push(HelpLine::Heading(title)),
            HelpRow::Blank => out.push(HelpLine::Blank),
            HelpRow::Keys(k, help) => {
                let mut lines = detail::wrap(help, text_width, "").into_iter();
                out.push(HelpLine::Keys(
                    format!("  {k:<keys$}  "),
                    lines.next().unwrap_or_default(),
                ));
                let indent = " ".repeat(keys + 4);
                out.extend(lines.map(|l| HelpLine::More(format!("{indent}{l}"))));
            }
        }
    }
    out
}

/// How far the help scrolls in a box `width` columns wide showing `height` rows: to its last
/// line at the box's bottom.
pub fn help_max_scroll(rows: &[HelpRow], width: u16, height: u16) -> u16 {
    scroll_limit(help_lines(rows, width).len(), height)
}

/// How far `lines` lines scroll in a box showing `height` rows: to the last at its bottom.
pub fn scroll_limit(lines: usize, height: u16) -> u16 {
    u16::try_from(lines.saturating_sub(usize::from(height))).unwrap_or(u16::MAX)
}
