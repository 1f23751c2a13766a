//! The countries view: the list of sections with their status, and the selected section (or
//! the form of its selected item).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use super::{form, row, window};
use crate::check::registry::Severity;
use crate::plan::model::text;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::{Focus, Panes, Session};
use crate::tui::keymap::Keymap;
use crate::tui::rows;

/// Unwaived errors and warnings per country section.
pub fn counts(s: &Session) -> Vec<(usize, usize)> {
    let mut counts = vec![(0, 0); s.live.plan.countries.len()];
    for d in s.live.diagnostics.iter().filter(|d| !d.waived) {
        if let Some(c) = d.target.node.and_then(crate::plan::model::Node::country)
            && let Some(slot) = counts.get_mut(c)
        {
            match d.severity {
                Severity::Error => slot.0 += 1,
                Severity::Warning => slot.1 += 1,
                Severity::Info => {}
            }
        }
    }
    counts
}

/// Draws the view.
pub fn draw(frame: &mut Frame, panes: &Panes, s: &Session, keymap: &Keymap, theme: Theme) {
    let add = keymap.key_name(Action::Add);
    let (left, right) = (panes.left, panes.right);
    draw_list(frame, left, s, &add, theme);
    if s.selection.focus == Focus::Form
        && let Some(node) = s.selected_node()
    {
        form::draw(frame, right, s, node, theme);
    } else {
        draw_section(frame, right, s, &add, theme);
    }
}

/// The list of sections; `add` is the key that adds one.
fn draw_list(frame: &mut Frame, area: Rect, s: &Session, add: &str, theme: Theme) {
    let focused = s.selection.focus == Focus::List;
    let block = Block::default()
        .borders(Borders::RIGHT)
        .title(super::pane_title("Countries", focused, theme));
    let height = area.height.saturating_sub(1) as usize;
    let counts = counts(s);
    let mut lines = Vec::new();
    if s.live.plan.countries.is_empty() {
        lines.push(Line::styled(format!(" none yet: {add} adds"), theme.dim()));
    }
    for i in window(s.live.plan.countries.len(), s.country, height) {
        let c = &s.live.plan.countries[i];
        let (errors, warnings) = counts[i];
        let status = match (errors, warnings) {
            (0, 0) => "✓".to_string(),
            (0, w) => format!("⚠{w}"),
            (e, 0) => format!("✗{e}"),
            (e, w) => format!("✗{e} ⚠{w}"),
        };
        let code = sanitize(text(&c.code));
        lines.push(row(
            format!(" {code:<4} {status}"),
            i == s.country,
            focused,
            theme,
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The selected section; `add` is the key that adds one when there is none.
fn draw_section(frame: &mut Frame, area: Rect, s: &Session, add: &str, theme: Theme) {
    let focused = s.selection.focus == Focus::Section;
    let Some(country) = s.live.plan.countries.get(s.country) else {
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw(""),
                Line::styled(" This plan has no country sections yet.", theme.bold()),
                Line::raw(format!(
                    " Press {add} in the countries list to add one from the ISO code list."
                )),
            ])
            // A narrow pane wraps the hint rather than cutting it off.
            .wrap(Wrap { trim: false }),
            area,
        );
        return;
    };
    let title = sanitize(&format!(
        " {} {} ({})",
        text(&country.code),
        text(&country.name),
        country.portion.marking_text().unwrap_or("?")
    ));
    let block = Block::default().title(super::pane_title(title, focused, theme));
    let node_rows = s.section_rows();
    let height = area.height.saturating_sub(1) as usize;
    let worst = |node| {
        s.live
            .diagnostics
            .iter()
            .filter(|d| !d.waived && d.target.node == Some(node))
            .map(|d| d.severity)
            .min()
    };
    let mut lines = Vec::new();
    for i in window(node_rows.len(), s.selection.row, height) {
        let node = node_rows[i];
        let mark = match worst(node) {
            Some(Severity::Error) => "✗ ",
            Some(Severity::Warning) => "⚠ ",
            Some(Severity::Info) => "ℹ ",
            None => "  ",
        };
        let label = if i == 0 {
            "section: summary, strengths, marking".to_string()
        } else {
            rows::label(&s.live.plan, node)
        };
        let mut line = row(
            format!("{mark}{label}"),
            i == s.selection.row,
            focused,
            theme,
        );
        if let Some(sev) = worst(node)
            && i != s.selection.row
        {
            line.spans[1] = Span::styled(line.spans[1].content.to_string(), theme.severity(sev));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
