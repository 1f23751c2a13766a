//! The screens besides the editor: choosing a plan file, a plan that does not parse, and a
//! large plan being opened.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Theme;
use super::{row, window};
use crate::text::sanitize;
use crate::tui::app::{Broken, FileList, Loading};
use crate::tui::keymap::Keymap;

/// The plan files to choose from.
pub fn files(frame: &mut Frame, list: &FileList, theme: Theme, keymap: &Keymap) {
    let [body, keys] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(frame.area());
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        " scplan: choose a plan to open ",
        theme.bold(),
    ));
    let height = block.inner(body).height as usize;
    let lines: Vec<Line> = window(list.files.len(), list.selected, height)
        .map(|i| {
            row(
                sanitize(&list.files[i].display().to_string()),
                i == list.selected,
                true,
                theme,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), body);
    let open = keymap.key_name(crate::tui::action::Action::Open);
    let quit = keymap.key_name(crate::tui::action::Action::Quit);
    let line = match &list.message {
        Some(problem) => Paragraph::new(sanitize(problem))
            .style(theme.severity(crate::check::registry::Severity::Error)),
        None => Paragraph::new(format!(" {open} open  {quit} quit")).style(theme.dim()),
    };
    frame.render_widget(line, keys);
}

/// A plan that does not parse: the error, and the lines around it.
pub fn broken(frame: &mut Frame, b: &Broken, theme: Theme, keymap: &Keymap) {
    let [head, body, keys] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let d = &b.diagnostic;
    let error = crate::check::registry::Severity::Error;
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                sanitize(&format!(
                    "{} cannot be opened for editing",
                    b.path.display()
                )),
                theme.severity(error),
            ),
            Line::raw(sanitize(&format!(
                "line {}, column {}: {}",
                d.loc.line, d.loc.column, d.message
            ))),
            Line::styled(
                sanitize(&format!("help: {}", d.help.clone().unwrap_or_default())),
                theme.dim(),
            ),
        ]),
        head,
    );
    let lines: Vec<&str> = b.text.lines().collect();
    let at = d.loc.line.saturating_sub(1) as usize;
    let height = body.height.saturating_sub(2) as usize;
    let start = at.saturating_sub(height / 2);
    let width = (start + height).to_string().len();
    let mut shown = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(start).take(height) {
        let mark = if i == at { ">" } else { " " };
        let style = if i == at {
            theme.bold()
        } else {
            Default::default()
        };
        shown.push(Line::from(vec![
            Span::styled(format!("{mark}{:>width$} │ ", i + 1), theme.dim()),
            Span::styled(sanitize(line), style),
        ]));
        if i == at {
            let before: String = line
                .chars()
                .take(d.loc.column.saturating_sub(1) as usize)
                .collect();
            let pad = sanitize(&before).chars().count();
            shown.push(Line::styled(
                format!(" {:>width$} │ {}^", "", " ".repeat(pad)),
                theme.severity(error),
            ));
        }
    }
    if lines.is_empty() {
        shown.push(Line::styled(" (the file is empty)", theme.dim()));
    }
    frame.render_widget(
        Paragraph::new(shown).block(Block::default().borders(Borders::TOP | Borders::BOTTOM)),
        body,
    );
    let open = keymap.key_name(crate::tui::action::Action::Open);
    let quit = keymap.key_name(crate::tui::action::Action::Quit);
    frame.render_widget(
        Paragraph::new(format!(
            " {open} reload after fixing the file in another editor   {quit} quit"
        ))
        .style(theme.dim()),
        keys,
    );
}

/// A large plan being opened in the background: what, how large, for how long so far.
pub fn loading(frame: &mut Frame, loading: &Loading, theme: Theme, keymap: &Keymap) {
    let [body, keys] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(frame.area());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" scplan: opening a plan ", theme.bold()));
    let elapsed = loading.started.elapsed().as_secs_f64();
    // A turning mark, so that a long open visibly goes on.
    let turn = ["|", "/", "-", "\\"][(elapsed * 4.0) as usize % 4];
    let lines = vec![
        Line::raw(""),
        Line::styled(
            sanitize(&format!(" Opening {}", loading.path.display())),
            theme.bold(),
        ),
        Line::raw(format!(
            " {:.1} MB: reading the document and checking every rule {turn} {elapsed:.1} s",
            loading.size as f64 / 1e6
        )),
    ];
    frame.render_widget(Paragraph::new(lines).block(block), body);
    let quit = keymap.key_name(crate::tui::action::Action::Quit);
    frame.render_widget(
        Paragraph::new(format!(" {quit} quit")).style(theme.dim()),
        keys,
    );
}
