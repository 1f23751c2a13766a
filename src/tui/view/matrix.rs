//! The coverage matrix: countries x priorities, the number of S&T objectives in each cell;
//! empty cells and priorities no country serves stand out (and are marked, not only coloured);
//! row and column totals, the selected priority's title and a legend under the table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::theme::Theme;
use super::window;
use crate::plan::model::{text, val};
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::Session;
use crate::tui::keymap::Keymap;

/// S&T objective counts: `[country][priority]`.
pub fn coverage(s: &Session) -> Vec<Vec<usize>> {
    s.live
        .plan
        .countries
        .iter()
        .map(|c| {
            s.live
                .plan
                .priorities
                .iter()
                .map(|p| {
                    let Some(id) = val(&p.id) else { return 0 };
                    c.objectives
                        .iter()
                        .filter(|o| {
                            o.is_st() && val(&o.priorities).is_some_and(|l| l.entries.contains(id))
                        })
                        .count()
                })
                .collect()
        })
        .collect()
}

/// Where the cells of the matrix are in the view's `area`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// The width of the country column.
    pub first: usize,
    /// The width of every priority column.
    pub col_width: usize,
    /// The priorities shown, left to right.
    pub columns: std::ops::Range<usize>,
    /// The countries shown, top to bottom.
    pub rows: std::ops::Range<usize>,
}

/// The grid of the matrix of `s` in `area` (the selected cell kept in sight).
pub fn grid(area: Rect, s: &Session) -> Grid {
    let col_width = s
        .live
        .plan
        .priorities
        .iter()
        .map(|p| sanitize(text(&p.id)).chars().count())
        .max()
        .unwrap_or(3)
        .max(3)
        + 2;
    let first = 6;
    // One column is the row totals.
    let fit = ((area.width as usize).saturating_sub(first) / col_width)
        .saturating_sub(1)
        .max(1);
    // The title, the header, and under the rows: the totals, the selected priority, the legend.
    let height = area.height.saturating_sub(5) as usize;
    Grid {
        first,
        col_width,
        columns: window(s.live.plan.priorities.len(), s.selection.cell.1, fit),
        rows: window(s.live.plan.countries.len(), s.selection.cell.0, height),
    }
}

/// The cell (country, priority) at a screen position in the view's `area`.
pub fn cell_at(area: Rect, s: &Session, x: u16, y: u16) -> Option<(usize, usize)> {
    let g = grid(area, s);
    let row = usize::from(y.checked_sub(area.y + 2)?);
    let col = usize::from(x.checked_sub(area.x)?).checked_sub(g.first)? / g.col_width;
    let country = g.rows.start + row;
    let priority = g.columns.start + col;
    (g.rows.contains(&country) && g.columns.contains(&priority)).then_some((country, priority))
}

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, s: &Session, keymap: &Keymap, theme: Theme) {
    let block = Block::default().title(Span::styled(
        " Coverage: S&T objectives per country and priority ",
        theme.bold(),
    ));
    let cells = coverage(s);
    let ids: Vec<String> = s
        .live
        .plan
        .priorities
        .iter()
        .map(|p| sanitize(text(&p.id)))
        .collect();
    let uncovered: Vec<bool> = (0..ids.len())
        .map(|p| cells.iter().all(|row| row[p] == 0))
        .collect();
    let Grid {
        first,
        col_width,
        columns,
        rows,
    } = grid(area, s);
    let mut head = vec![Span::raw(format!("{:<first$}", ""))];
    for p in columns.clone() {
        let label = format!("{}{}", ids[p], if uncovered[p] { "!" } else { "" });
        let style = if uncovered[p] {
            theme.gap()
        } else {
            theme.bold()
        };
        head.push(Span::styled(format!("{label:>col_width$}"), style));
    }
    head.push(Span::styled(format!("{:>col_width$}", "all"), theme.bold()));
    let mut lines = vec![Line::from(head)];
    for c in rows {
        let code = sanitize(text(&s.live.plan.countries[c].code));
        let mut spans = vec![Span::styled(
            format!("{code:<first$}"),
            if c == s.selection.cell.0 {
                theme.bold()
            } else {
                Default::default()
            },
        )];
        for p in columns.clone() {
            let n = cells[c][p];
            let shown = if n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            };
            let mut style = if n == 0 {
                theme.gap()
            } else {
                Default::default()
            };
            if (c, p) == s.selection.cell {
                style = theme.selected();
            }
            spans.push(Span::styled(format!("{shown:>col_width$}"), style));
        }
        let total: usize = cells[c].iter().sum();
        spans.push(Span::styled(format!("{total:>col_width$}"), theme.bold()));
        lines.push(Line::from(spans));
    }
    if cells.is_empty() {
        lines.push(Line::styled(" no country sections yet", theme.dim()));
    }
    let mut totals = vec![Span::styled(format!("{:<first$}", "all"), theme.bold())];
    for p in columns {
        let total: usize = cells.iter().map(|row| row[p]).sum();
        totals.push(Span::styled(format!("{total:>col_width$}"), theme.bold()));
    }
    let all: usize = cells.iter().flatten().sum();
    totals.push(Span::styled(format!("{all:>col_width$}"), theme.bold()));
    lines.push(Line::from(totals));
    if let Some(p) = s.live.plan.priorities.get(s.selection.cell.1) {
        let title = format!("{} · {}", ids[s.selection.cell.1], text(&p.title));
        lines.push(Line::styled(sanitize(&title), theme.focused()));
    }
    let key = |action| keymap.key_name(action);
    // Short enough to stay whole at 80 columns.
    lines.push(Line::styled(
        format!(
            "· none  ! uncovered  {}: open  {}/{}: priority  {}/{}: country",
            key(Action::Open),
            key(Action::Left),
            key(Action::Right),
            key(Action::Up),
            key(Action::Down)
        ),
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
