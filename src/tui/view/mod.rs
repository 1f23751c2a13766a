//! Pure functions from state to frame. Views never change the state.

mod changes;
mod chrome;
mod conflict;
mod countries;
mod detail;
mod diagnostics;
mod form;
pub mod layout;
pub mod matrix;
mod modal;
mod plan;
mod review;
mod screens;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::app::{App, Panes, Screen, Session, View};
use theme::Theme;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let theme = Theme { mono: app.mono };
    match &app.screen {
        Screen::Files(list) => screens::files(frame, list, theme, &app.keymap),
        Screen::Broken(broken) => screens::broken(frame, broken, theme, &app.keymap),
        Screen::Loading(loading) => screens::loading(frame, loading, theme, &app.keymap),
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
    let details = detail::lines(s, theme, frame.area().width);
    let panes = layout::panes_for(frame.area(), s, details.len());
    let Panes {
        top,
        header,
        body,
        detail: diags,
        hints,
        bottom,
        ..
    } = panes;
    chrome::banner(frame, top, s, theme);
    chrome::header(frame, header, s, theme);
    match s.view {
        View::Countries => countries::draw(frame, &panes, s, &app.keymap, theme),
        View::Plan => plan::draw(frame, &panes, s, theme),
        View::Matrix => matrix::draw(frame, body, s, &app.keymap, theme),
        View::Diagnostics => diagnostics::draw(frame, body, s, &app.keymap, theme),
        View::Review => review::draw(frame, body, s, &app.keymap, theme),
        View::Changes => changes::draw(frame, body, s, &app.keymap, theme),
    }
    detail::draw(frame, diags, details, s.detail_scroll, &app.keymap, theme);
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

/// A pane's title: the focused pane's bold, after a marker, so that the focus is seen without
/// colour too.
fn pane_title<'a>(text: impl Into<String>, focused: bool, theme: Theme) -> Span<'a> {
    let text = text.into();
    if focused {
        Span::styled(format!("▸ {}", text.trim_start()), theme.focused())
    } else {
        Span::raw(text)
    }
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
