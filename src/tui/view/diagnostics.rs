//! All diagnostics, in file order; opening one jumps to its item and field.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::theme::{Theme, symbol};
use super::window;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::Session;
use crate::tui::keymap::Keymap;

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, s: &Session, keymap: &Keymap, theme: Theme) {
    let key = |action| keymap.key_name(action);
    let block = Block::default().title(Span::styled(
        format!(
            " All diagnostics ({}) — {}: go to the item, {}: fix, {}: waive ",
            s.live.diagnostics.len(),
            key(Action::Open),
            key(Action::QuickFix),
            key(Action::Waive),
        ),
        theme.bold(),
    ));
    let height = area.height.saturating_sub(1) as usize;
    let mut lines = Vec::new();
    for i in window(s.live.diagnostics.len(), s.selection.diag_row, height) {
        let d = &s.live.diagnostics[i];
        let selected = i == s.selection.diag_row;
        let style = if selected {
            theme.selected()
        } else {
            Default::default()
        };
        let waived = if d.waived { " (waived)" } else { "" };
        lines.push(Line::from(vec![
            Span::styled(if selected { "›" } else { " " }, style),
            Span::styled(
                format!(
                    "{} {:<7} {}",
                    symbol(d.severity),
                    d.severity.as_str(),
                    d.code
                ),
                if selected {
                    style
                } else {
                    theme.severity(d.severity)
                },
            ),
            Span::styled(
                sanitize(&format!(
                    " {:>4}:{:<3} {}{waived}: {}",
                    d.loc.line, d.loc.column, d.item, d.message
                )),
                style,
            ),
        ]));
    }
    if s.live.diagnostics.is_empty() {
        lines.push(Line::styled(
            " The plan is clean: no errors, warnings or infos.",
            theme.ok(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
