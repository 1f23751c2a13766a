//! The changes view: what changed since a revision (`HEAD`, or `--since REV`), by item, with
//! the unsaved edits, as `scplan diff` names each change; then the diagnostics the changes
//! introduce and resolve. When there is no revision to compare with, why, in words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::theme::Theme;
use super::{row, window};
use crate::check::registry::Severity;
use crate::diff::render::{finding_line, line};
use crate::report::plural;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::Session;
use crate::tui::keymap::Keymap;

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, s: &Session, keymap: &Keymap, theme: Theme) {
    let key = |action| keymap.key_name(action);
    let Some(c) = &s.changes else {
        return;
    };
    let diff = match &c.diff {
        Ok(diff) => diff,
        Err(why) => {
            let block = Block::default().title(Span::styled(
                sanitize(&format!(" Changes since {} ", c.since)),
                theme.bold(),
            ));
            let text = Paragraph::new(Line::styled(
                sanitize(&format!(" {why}")),
                theme.severity(Severity::Warning),
            ))
            .wrap(Wrap { trim: false })
            .block(block);
            frame.render_widget(text, area);
            return;
        }
    };
    let title = format!(
        " Changes since {}: {} — {}: go to the item, {}: read again ",
        c.since,
        plural(diff.changes.len(), "change"),
        key(Action::Open),
        key(Action::ViewChanges),
    );
    let block = Block::default().title(Span::styled(sanitize(&title), theme.bold()));
    if diff.is_empty() {
        let line = Line::styled(
            format!(" No change since {}.", sanitize(&c.since)),
            theme.ok(),
        );
        frame.render_widget(Paragraph::new(line).block(block), area);
        return;
    }
    let mut lines: Vec<Line> = Vec::new();
    let findings: Vec<Line> = [
        ("introduced", &diff.introduced),
        ("resolved", &diff.resolved),
    ]
    .into_iter()
    .flat_map(|(word, list)| list.iter().map(move |f| finding_line(word, f)))
    .map(|text| Line::styled(format!(" {text}"), theme.dim()))
    .collect();
    let height = (area.height.saturating_sub(1) as usize).saturating_sub(findings.len().min(3));
    for i in window(diff.changes.len(), c.row, height.max(1)) {
        lines.push(row(line(&diff.changes[i]), i == c.row, true, theme));
    }
    lines.extend(findings);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
