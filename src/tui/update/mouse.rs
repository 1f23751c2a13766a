//! The mouse, turned into the same updates as keys: a click selects the row, pane or matrix
//! cell under the pointer, a second click there soon after opens it (as Enter does), the wheel
//! moves through the list under the pointer (or scrolls the diagnostics pane). Positions are
//! tested against the panes of the last frame ([`crate::tui::view::layout`]).

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{Context, Effect, update};
use crate::tui::action::Action;
use crate::tui::app::{App, Focus, Panes, Screen, Session, View};
use crate::tui::rows;
use crate::tui::view::layout::row_at;
use crate::tui::view::matrix::cell_at;

/// Two clicks at one place within this time are a double-click.
const DOUBLE_CLICK: Duration = Duration::from_millis(500);

/// Handles one mouse event at the moment `now`.
pub fn handle_mouse(app: &mut App, event: MouseEvent, now: Instant) -> Vec<Effect> {
    // A click can open a field: a document still parsed is waited for (not by the wheel or
    // the pointer moving, which only move about).
    if matches!(event.kind, MouseEventKind::Down(_)) {
        crate::tui::files::take_document(&mut app.screen, true);
    }
    let Screen::Edit(s) = &mut app.screen else {
        return Vec::new();
    };
    // A picker, a field or a question keeps the keys' attention; the mouse waits.
    if s.modal.is_some() {
        return Vec::new();
    }
    let cx = Context {
        keymap: &app.keymap,
        settings: &app.settings,
        today: app.env.today,
        since: app.since.as_deref().unwrap_or("HEAD"),
        panes: app.panes,
    };
    let (x, y) = (event.column, event.row);
    let panes = app.panes;
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            s.message = None;
            let double = app
                .last_click
                .is_some_and(|(at, cx0, cy0)| (cx0, cy0) == (x, y) && now - at <= DOUBLE_CLICK);
            app.last_click = (!double).then_some((now, x, y));
            if select(s, &panes, x, y) && double {
                return update(s, &cx, Action::Open);
            }
            Vec::new()
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = event.kind == MouseEventKind::ScrollDown;
            let action = if inside(panes.detail, x, y) {
                if down {
                    Action::DetailDown
                } else {
                    Action::DetailUp
                }
            } else {
                focus(s, &panes, x, y);
                if down { Action::Down } else { Action::Up }
            };
            update(s, &cx, action)
        }
        _ => Vec::new(),
    }
}

fn inside(area: Rect, x: u16, y: u16) -> bool {
    area.contains(Position { x, y })
}

/// Gives the focus to the pane under the pointer (the form keeps it on its side).
fn focus(s: &mut Session, panes: &Panes, x: u16, y: u16) {
    if !matches!(s.view, View::Countries | View::Plan) {
        return;
    }
    if inside(panes.left, x, y) {
        s.selection.focus = Focus::List;
    } else if inside(panes.right, x, y) && s.selection.focus != Focus::Form {
        s.selection.focus = match s.view {
            View::Countries if !s.live.plan.countries.is_empty() => Focus::Section,
            View::Countries => Focus::List,
            _ => Focus::Form,
        };
    }
}

/// Selects the row or cell under the pointer (focusing its pane); `true` when there was one.
fn select(s: &mut Session, panes: &Panes, x: u16, y: u16) -> bool {
    focus(s, panes, x, y);
    let field_at = |s: &Session, area| {
        let len = s.selected_node().map_or(0, |n| n.kind().fields().len());
        row_at(area, len, s.selection.field, y)
    };
    match (s.view, s.selection.focus) {
        (View::Countries | View::Plan, Focus::Form) if inside(panes.right, x, y) => {
            field_at(s, panes.right).map(|f| s.selection.field = f)
        }
        (View::Countries, Focus::List) if inside(panes.left, x, y) => {
            row_at(panes.left, s.live.plan.countries.len(), s.country, y).map(|c| {
                if c != s.country {
                    s.country = c;
                    s.selection.row = 0;
                }
            })
        }
        (View::Countries, Focus::Section) if inside(panes.right, x, y) => {
            row_at(panes.right, s.section_rows().len(), s.selection.row, y)
                .map(|r| s.selection.row = r)
        }
        (View::Plan, Focus::List) if inside(panes.left, x, y) => {
            let len = rows::plan_rows(&s.live.plan).len();
            row_at(panes.left, len, s.selection.plan_row, y).map(|r| s.selection.plan_row = r)
        }
        (View::Matrix, _) if inside(panes.body, x, y) => {
            cell_at(panes.body, s, x, y).map(|cell| s.selection.cell = cell)
        }
        (View::Diagnostics, _) if inside(panes.body, x, y) => row_at(
            panes.body,
            s.live.diagnostics.len(),
            s.selection.diag_row,
            y,
        )
        .map(|r| s.selection.diag_row = r),
        _ => None,
    }
    .is_some()
}
