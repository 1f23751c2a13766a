//! What opens on top of a view: the help, a rule explained, a question, a picker, a text
//! field.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::chrome::{confirm_hints, editor_skip, hint_line};
use super::layout::{HelpLine, help_lines, scroll_limit};
use super::theme::Theme;
use super::{centered, window};
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::{Modal, Picker, TextEdit};
use crate::tui::keymap::{HELP_WIDTH, Keymap, Mode};

/// Draws the modal.
pub fn draw(frame: &mut Frame, modal: &Modal, keymap: &Keymap, theme: Theme) {
    match modal {
        Modal::Help(scroll) => help(frame, *scroll, keymap, theme),
        Modal::Explain(code, scroll) => explain(frame, code, *scroll, keymap, theme),
        Modal::Confirm(c) => {
            let area = centered(frame.area(), 64, 8);
            frame.render_widget(Clear, area);
            let block = Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" Confirm ", theme.bold()));
            let [text, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)])
                .areas(block.inner(area));
            frame.render_widget(block, area);
            frame.render_widget(
                Paragraph::new(sanitize(&c.question)).wrap(Wrap { trim: true }),
                text,
            );
            frame.render_widget(Paragraph::new(confirm_hints(c, keymap, theme)), keys);
        }
        Modal::Picker(p) => picker(frame, p, keymap, theme),
        Modal::Text(t) => text(frame, t, keymap, theme),
    }
}

/// A rule explained: what it finds, why it matters and how to fix what it finds.
fn explain(frame: &mut Frame, code: &str, scroll: u16, keymap: &Keymap, theme: Theme) {
    let Some(rule) = crate::check::registry::find(code) else {
        return;
    };
    let area = centered(frame.area(), 76, frame.area().height.saturating_sub(2));
    frame.render_widget(Clear, area);
    let key = |action| keymap.key_name(action);
    let title = format!(
        " {} {}: {} ",
        rule.severity.as_str(),
        rule.code,
        rule.summary
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.bold()));
    let mut lines = vec![Line::styled("Why it matters", theme.focused())];
    lines.extend(rule.why.lines().map(Line::raw));
    lines.push(Line::raw(""));
    lines.push(Line::styled("How to fix it", theme.focused()));
    lines.extend(rule.fix.lines().map(Line::raw));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "{}/{} scroll, {}: all the keys, {} closes",
            key(Action::Up),
            key(Action::Down),
            key(Action::Help),
            key(Action::Back)
        ),
        theme.dim(),
    ));
    let body = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(body, area);
}

/// The help overlay: every binding of every mode, from the keymap.
fn help(frame: &mut Frame, scroll: u16, keymap: &Keymap, theme: Theme) {
    let area = centered(
        frame.area(),
        HELP_WIDTH,
        frame.area().height.saturating_sub(2),
    );
    frame.render_widget(Clear, area);
    let key = |action| keymap.key_name(action);
    let title = format!(
        " Keys ({}/{} scroll, {} or {} closes) ",
        key(Action::Up),
        key(Action::Down),
        key(Action::Help),
        key(Action::Back),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.bold()));
    // The keys' column is as wide as its widest keys, so that no help runs into them, and
    // what they do wraps under itself.
    let rows = keymap.help_rows();
    let (width, height) = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    let laid_out = help_lines(&rows, width);
    let most = scroll_limit(laid_out.len(), height);
    let lines: Vec<Line> = laid_out
        .into_iter()
        .map(|l| match l {
            HelpLine::Heading(title) => Line::styled(title, theme.focused()),
            HelpLine::Keys(keys, help) => {
                Line::from(vec![Span::styled(keys, theme.bold()), Span::raw(help)])
            }
            HelpLine::More(help) => Line::raw(help),
            HelpLine::Blank => Line::raw(""),
        })
        .collect();
    let scroll = scroll.min(most);
    let body = Paragraph::new(lines).block(block).scroll((scroll, 0));
    frame.render_widget(body, area);
}

fn picker(frame: &mut Frame, p: &Picker, keymap: &Keymap, theme: Theme) {
    let visible = p.visible();
    let height = (visible.len() as u16 + 4 + u16::from(p.filterable))
        .clamp(6, frame.area().height.saturating_sub(2));
    let area = centered(frame.area(), 70, height);
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", sanitize(&p.title)),
        theme.bold(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [filter, list, keys] = Layout::vertical([
        Constraint::Length(u16::from(p.filterable)),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    if p.filterable {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("filter: ", theme.dim()),
                Span::raw(sanitize(&p.filter)),
                Span::styled("▏", theme.bold()),
            ])),
            filter,
        );
    }
    let mut lines = Vec::new();
    for (row, &i) in visible
        .iter()
        .enumerate()
        .skip(window(visible.len(), p.cursor, list.height as usize).start)
        .take(list.height as usize)
    {
        let o = &p.options[i];
        let check = if p.multi {
            if o.selected { "[x] " } else { "[ ] " }
        } else {
            ""
        };
        let style = if row == p.cursor {
            theme.selected()
        } else {
            Default::default()
        };
        let marker = if row == p.cursor { "›" } else { " " };
        lines.push(Line::from(vec![
            Span::styled(marker, style),
            Span::styled(format!("{check}{}", sanitize(&o.label)), style),
        ]));
    }
    if visible.is_empty() {
        lines.push(Line::styled(" nothing matches", theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), list);
    frame.render_widget(
        Paragraph::new(hint_line(keymap, Mode::Picker, theme, &|_| false)),
        keys,
    );
}

fn text(frame: &mut Frame, t: &TextEdit, keymap: &Keymap, theme: Theme) {
    let rows = if t.multiline { 10 } else { 1 };
    let area = centered(frame.area(), 72, rows + 5);
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", sanitize(&t.title)),
        theme.bold(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [field, error, keys] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(&t.area, field);
    if let Some(err) = &t.error {
        frame.render_widget(
            Paragraph::new(sanitize(err))
                .style(theme.severity(crate::check::registry::Severity::Error)),
            error,
        );
    }
    frame.render_widget(
        Paragraph::new(hint_line(
            keymap,
            Mode::Editor,
            theme,
            &editor_skip(t.multiline),
        )),
        keys,
    );
}
