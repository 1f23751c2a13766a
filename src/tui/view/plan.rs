//! The plan view: `[plan]`, `[plan.cui]`, priorities and waivers on the left, the selected
//! one's form on the right.

use ratatui::Frame;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Theme;
use super::{form, row, window};
use crate::tui::app::{Focus, Panes, Session};
use crate::tui::rows;

/// Draws the view.
pub fn draw(frame: &mut Frame, panes: &Panes, s: &Session, theme: Theme) {
    let (left, right) = (panes.left, panes.right);
    let focused = s.selection.focus == Focus::List;
    let block = Block::default()
        .borders(Borders::RIGHT)
        .title(super::pane_title(
            "Plan, priorities, waivers",
            focused,
            theme,
        ));
    let nodes = rows::plan_rows(&s.live.plan);
    let height = left.height.saturating_sub(1) as usize;
    let lines: Vec<_> = window(nodes.len(), s.selection.plan_row, height)
        .map(|i| {
            row(
                rows::label(&s.live.plan, nodes[i]),
                i == s.selection.plan_row,
                focused,
                theme,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), left);
    if let Some(&node) = nodes.get(s.selection.plan_row) {
        form::draw(frame, right, s, node, theme);
    }
}
