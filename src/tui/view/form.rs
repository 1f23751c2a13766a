//! The form of one item: every field of its table with its value, the selected one
//! highlighted, and a mark on the fields that diagnostics point at.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use toml_edit::Item;

use super::theme::{Theme, symbol};
use super::window;
use crate::edit::{items, value};
use crate::plan::model::Node;
use crate::text::sanitize;
use crate::tui::app::{Focus, Session};

/// A field's value as shown in a form (one line, sanitized).
pub fn shown_value(item: Option<&Item>) -> Option<String> {
    let raw = match item? {
        Item::Table(_) | Item::ArrayOfTables(_) => "(table)".to_string(),
        value => value::as_text(Some(value), ", ")?,
    };
    Some(sanitize(&raw.replace('\n', "⏎")))
}

/// Draws the form of `node`.
pub fn draw(frame: &mut Frame, area: Rect, s: &Session, node: Node, theme: Theme) {
    let focused = s.selection.focus == Focus::Form;
    let kind = node.kind();
    let title = format!(" {} · {} ", items::name(&s.live.plan, node), kind.header());
    let block = Block::default().title(super::pane_title(sanitize(&title), focused, theme));
    let specs = kind.fields();
    let height = area.height.saturating_sub(1) as usize;
    // On a narrow screen the names give way to the values.
    let width = (specs.iter().map(|f| f.name.len()).max().unwrap_or(0) + 2)
        .min(usize::from(area.width / 2).max(6));
    let mut lines = Vec::new();
    for i in window(specs.len(), s.selection.field, height) {
        let spec = &specs[i];
        let worst = s
            .live
            .diagnostics
            .iter()
            .filter(|d| {
                !d.waived
                    && d.target.node == Some(node)
                    && d.target.field.as_deref() == Some(spec.name)
            })
            .map(|d| d.severity)
            .min();
        let mark = worst.map_or(" ", symbol);
        let selected = i == s.selection.field;
        let name_style = match (selected, focused) {
            (true, true) => theme.selected(),
            (true, false) => theme.selected_unfocused(),
            _ => worst.map_or_else(ratatui::style::Style::default, |w| theme.severity(w)),
        };
        let required = if spec.required { "*" } else { " " };
        let mut spans = vec![
            Span::raw(if selected { "›" } else { " " }),
            Span::styled(
                mark,
                worst.map_or_else(ratatui::style::Style::default, |w| theme.severity(w)),
            ),
            Span::styled(
                format!("{:<width$.width$}", format!("{}{required}", spec.name)),
                name_style,
            ),
        ];
        // The values come from the document, still parsed for a moment as a large plan opens.
        if !s.document_ready() {
            spans.push(Span::styled("…", theme.dim()));
        } else if let Some(v) = shown_value(s.doc.get(node, spec.name)) {
            spans.push(Span::raw(v));
        } else {
            spans.push(Span::styled("—", theme.dim()));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
