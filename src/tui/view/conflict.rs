//! The conflict view: each conflict of a file with conflict markers (its line, its labels,
//! whether and how it is resolved), and the selected one's sides: ours, the base when the
//! merge tool wrote one, theirs, and its resolution.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::chrome::hint_line;
use super::theme::Theme;
use super::{row, window};
use crate::check::registry::Severity;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::Conflicts;
use crate::tui::keymap::{Keymap, Mode};

/// Draws the screen (its text field or question is drawn on top by the caller).
pub fn draw(frame: &mut Frame, c: &Conflicts, theme: Theme, keymap: &Keymap) {
    let list_height = u16::try_from(c.blocks.len() + 1).unwrap_or(u16::MAX).min(7);
    let message = c.message.as_ref().map(|(m, _)| m.as_str());
    let [top, head, list, detail, keys, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(list_height),
        Constraint::Min(3),
        Constraint::Length(super::layout::message_rows(message, frame.area().width)),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    for area in [top, bottom] {
        let banner = Paragraph::new(sanitize(&c.banner))
            .alignment(Alignment::Center)
            .style(theme.banner(c.banner_level));
        frame.render_widget(banner, area);
    }
    let name = c.path.file_name().map_or_else(
        || c.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = format!(
        "{name}: {} conflict(s) from a merge, {} left: resolve each to open the plan",
        c.blocks.len(),
        c.left()
    );
    frame.render_widget(
        Paragraph::new(sanitize(&title)).style(theme.severity(Severity::Warning)),
        head,
    );
    let rows: Vec<Line> = window(c.blocks.len(), c.selected, list_height as usize - 1)
        .map(|i| {
            let b = &c.blocks[i];
            let state = c.resolutions[i]
                .as_ref()
                .map_or("unresolved".to_string(), |r| format!("resolved: {}", r.how));
            let base = if b.base.is_some() { " (with base)" } else { "" };
            let text = format!(
                " line {:<5} {} / {}{base}  {state}",
                b.line, b.ours_label, b.theirs_label
            );
            row(sanitize(&text), i == c.selected, true, theme)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(rows).block(
            Block::default()
                .borders(Borders::TOP)
                .title(Span::styled(" Conflicts ", theme.bold())),
        ),
        list,
    );
    frame.render_widget(
        Paragraph::new(sides(c, theme)).block(Block::default().borders(Borders::TOP)),
        detail,
    );
    let mut hints = hint_line(keymap, Mode::Conflict, theme, &|_| false);
    for (action, word) in [
        (Action::Undo, "undo"),
        (Action::Quit, "quit"),
        (Action::Help, "help"),
    ] {
        if let Some(key) = keymap.bindings(Mode::Browse).find(|b| b.action == action) {
            let key = key
                .keys
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            hints
                .spans
                .push(Span::styled(format!(" {key}"), theme.bold()));
            hints.spans.push(Span::raw(format!(" {word} ")));
        }
    }
    let line = match &c.message {
        Some((message, problem)) => Line::styled(
            sanitize(message),
            if *problem {
                theme.severity(Severity::Error)
            } else {
                theme.bold()
            },
        ),
        None => hints,
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), keys);
}

/// The selected conflict's sides, each under its heading, then its resolution.
fn sides(c: &Conflicts, theme: Theme) -> Vec<Line<'static>> {
    let Some(b) = c.blocks.get(c.selected) else {
        return Vec::new();
    };
    let mut parts = vec![(format!("ours ({})", b.ours_label), b.ours.as_str())];
    if let Some((label, base)) = &b.base {
        parts.push((format!("base ({label})"), base.as_str()));
    }
    parts.push((format!("theirs ({})", b.theirs_label), b.theirs.as_str()));
    if let Some(r) = &c.resolutions[c.selected] {
        parts.push((format!("resolved ({})", r.how), r.text.as_str()));
    }
    let mut lines = Vec::new();
    for (heading, text) in parts {
        lines.push(Line::styled(sanitize(&heading), theme.bold()));
        if text.is_empty() {
            lines.push(Line::styled("  (no lines)", theme.dim()));
        }
        for l in text.lines() {
            lines.push(Line::raw(format!("  {}", sanitize(l))));
        }
    }
    lines
}
