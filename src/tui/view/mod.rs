//! Pure functions from state to frame. Views never change the state.

mod changes;
mod chrome;
mod conflict;
mod countries;
mod detail;
mod diagnostics;
mod form;
mod matrix;
mod modal;
mod plan;
mod review;
mod screens;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::app::{App, Screen, Session, View};
use theme::Theme;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let theme = Theme { mono: app.mono };
    match &app.screen {
        Screen::Files(list) => screens::files(frame, list, theme, &app.keymap),
        Screen::Broken(broken) => screens::broken(frame, broken, theme, &app.keymap),
        Screen::Edit(session) => edit(frame, session, app, theme),
        Screen::Conflicts(c) => {
            conflict::draw(frame, c, theme, &app.keymap);
            if let Some(m) = &c.modal {
                modal::draw(frame, m, &app.keymap, theme);
            }
        }
    }
}

fn edit(frame: &mut Frame, s: &Session, app: &App, theme: Theme) {
    let area = frame.area();
    let details = detail::lines(s, theme, area.width);
    // The pane grows to show the focused diagnostic in full, up to half of the room.
    let room = area.height.saturating_sub(4) / 2;
    let wanted = u16::try_from(details.len() + 1).unwrap_or(u16::MAX);
    let [top, header, body, diags, hints, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(wanted.clamp(4, room.max(4))),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    chrome::banner(frame, top, s, theme);
    chrome::header(frame, header, s, theme);
    match s.view {
        View::Countries => countries::draw(frame, body, s, &app.keymap, theme),
        View::Plan => plan::draw(frame, body, s, theme),
        View::Matrix => matrix::draw(frame, body, s, &app.keymap, theme),
        View::Diagnostics => diagnostics::draw(frame, body, s, &app.keymap, theme),
        View::Review => review::draw(frame, body, s, &app.keymap, theme),
        View::Changes => changes::draw(frame, body, s, &app.keymap, theme),
    }
    detail::draw(frame, diags, details, &app.keymap, theme);
    chrome::hints(frame, hints, s, &app.keymap, theme);
    chrome::banner(frame, bottom, s, theme);
    if let Some(m) = &s.modal {
        modal::draw(frame, m, &app.keymap, theme);
    }
}

/// The rows of a list that fit in `height`, keeping `selected` visible.
fn window(len: usize, selected: usize, height: usize) -> std::ops::Range<usize> {
    if height == 0 || len == 0 {
        return 0..0;
    }
    let start = if selected >= height {
        selected + 1 - height
    } else {
        0
    };
    start..len.min(start + height)
}

/// A list row: a marker column and the text, styled when selected.
fn row<'a>(text: String, selected: bool, focused: bool, theme: Theme) -> Line<'a> {
    let style = match (selected, focused) {
        (true, true) => theme.selected(),
        (true, false) => theme.selected_unfocused(),
        _ => Style::default(),
    };
    let marker = if selected { "›" } else { " " };
    Line::from(vec![Span::styled(marker, style), Span::styled(text, style)])
}

/// A rectangle centred in `area`, of at most the given size.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
