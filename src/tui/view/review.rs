//! The review queue: suspect (and, with `plan.link_review`, unstamped) links by priority;
//! for the selected one the priority's text now, when the link was reviewed (from git), and
//! the words that changed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use super::{row, window};
use crate::check::registry::Severity;
use crate::edit::review::queue;
use crate::edit::review::queue_rows;
use crate::plan::review::LinkState;
use crate::text::{WordDiff, sanitize, word_diff};
use crate::tui::action::Action;
use crate::tui::app::Session;
use crate::tui::keymap::Keymap;
use crate::tui::review::{current_text, selected};

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, s: &Session, keymap: &Keymap, theme: Theme) {
    let key = |action| keymap.key_name(action);
    let groups = queue(&s.live.plan);
    let flat = queue_rows(&groups);
    let block = Block::default().title(Span::styled(
        format!(
            " Review queue ({}) — {}: confirm, {}: all of the priority, {}: edit ",
            flat.len(),
            key(Action::ConfirmLink),
            key(Action::ConfirmPriority),
            key(Action::Open),
        ),
        theme.bold(),
    ));
    if flat.is_empty() {
        let objectives = || s.live.plan.countries.iter().flat_map(|c| &c.objectives);
        let stamped = objectives().any(|o| o.reviewed_links.is_some());
        // Without link review, a link with no stamp waits for nothing: say that it is there.
        let unstamped = objectives()
            .filter(|o| o.reviewed_links.is_none())
            .filter_map(|o| o.priorities.as_ref()?.value.as_ref())
            .map(|l| l.entries.len())
            .sum::<usize>();
        let said = if s.live.plan.meta.link_review() || (stamped && unstamped == 0) {
            " No link waits for review: every link's priority is as it was when confirmed."
                .to_string()
        } else if stamped {
            format!(
                " No stamped link waits for review: each one's priority is as it was when confirmed. {unstamped} link(s) of objectives without stamps are not reviewed (link review is off)."
            )
        } else {
            " No link is stamped yet: a link is reviewed once confirmed here, or stamped with `scplan stamp-links`."
                .to_string()
        };
        let line = Line::styled(said, theme.ok());
        let text = Paragraph::new(line).block(block).wrap(Wrap { trim: false });
        frame.render_widget(text, area);
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [list, detail] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Min(3)]).areas(inner);
    // The rows: a heading per priority, then its links.
    let mut lines = Vec::new();
    let mut at = 0;
    for (g, group) in groups.iter().enumerate() {
        lines.push(Line::styled(
            sanitize(&format!("{} {}", group.priority, group.title)),
            theme.bold(),
        ));
        for (l, link) in group.links.iter().enumerate() {
            let index = flat.iter().position(|&x| x == (g, l)).unwrap_or(0);
            let selected = index == s.selection.review_row;
            if selected {
                at = lines.len();
            }
            let state = match &link.state {
                LinkState::Suspect { stored } => format!("suspect (stamp {stored})"),
                _ => "unstamped".to_string(),
            };
            let text = sanitize(&format!("  {} ({}) {state}", link.objective, link.country));
            lines.push(row(text, selected, true, theme));
        }
    }
    let shown: Vec<Line> = window(lines.len(), at, list.height as usize)
        .map(|i| lines[i].clone())
        .collect();
    frame.render_widget(Paragraph::new(shown), list);
    draw_detail(frame, detail, s, theme);
}

/// The words of the selected link's priority that changed since it was reviewed, then its
/// text now and then.
fn draw_detail(frame: &mut Frame, area: Rect, s: &Session, theme: Theme) {
    let Some((group, _)) = selected(s) else {
        return;
    };
    let now = current_text(&s.live.plan, &group.priority);
    let label = |t: &str| Span::styled(format!("{t:<10}"), theme.bold());
    let mut lines = vec![Line::from(vec![label("now:"), Span::raw(sanitize(&now))])];
    let detail = s.review.as_ref().filter(|d| d.priority == group.priority);
    match detail.map(|d| (&d.reviewed, &d.stored)) {
        Some((Ok(Some(old)), _)) => {
            lines.push(Line::from(vec![
                label("reviewed:"),
                Span::raw(sanitize(&old.text)),
            ]));
            lines.push(Line::styled(
                sanitize(&format!(
                    "          (in \"{}\", {} commit(s) of the file back)",
                    old.subject, old.back
                )),
                theme.dim(),
            ));
            let mut spans = vec![label("changes:")];
            for op in word_diff(&old.text, &now) {
                spans.push(match op {
                    WordDiff::Same(t) => Span::raw(format!("{} ", sanitize(&t))),
                    WordDiff::Removed(t) => Span::styled(
                        format!("[-{}-] ", sanitize(&t)),
                        theme.severity(Severity::Error),
                    ),
                    WordDiff::Added(t) => {
                        Span::styled(format!("{{+{}+}} ", sanitize(&t)), theme.ok())
                    }
                });
            }
            // The words that changed come first: on a small screen the texts below wrap
            // past the pane's end.
            lines.insert(0, Line::from(spans));
        }
        Some((Ok(None), None)) => lines.push(Line::styled(
            "          no stamp yet: confirm the link once it is reviewed",
            theme.dim(),
        )),
        Some((Ok(None), Some(_))) => lines.push(Line::styled(
            "          no revision in git has the stored stamp",
            theme.dim(),
        )),
        Some((Err(why), _)) => lines.push(Line::styled(
            sanitize(&format!(
                "          the text when reviewed is unknown: {why}"
            )),
            theme.dim(),
        )),
        None => {}
    }
    let block = Block::default().borders(Borders::TOP).title(Span::styled(
        sanitize(&format!(" {} ", group.priority)),
        theme.bold(),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
