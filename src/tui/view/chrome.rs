//! What frames every view: the banner, the header, the key-hint bar.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::{Theme, symbol};
use crate::check::registry::Severity;
use crate::plan::marking;
use crate::plan::model::text;
use crate::report::plural;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::{Confirm, Focus, Modal, Session, View};
use crate::tui::keymap::{Keymap, Mode};

/// The banner line: the plan's marking, coloured by its level; never lower than what the
/// portions require. While some cannot be read, the roll-up as if each were at the system high
/// with NOFORN, flagged; while the declared banner is below the roll-up, the roll-up, flagged
/// until the banner is fixed.
pub fn banner(frame: &mut Frame, area: Rect, s: &Session, theme: Theme) {
    let raw = text(&s.live.plan.meta.marking);
    let required = &s.live.required;
    let declared = marking::banner_level(raw);
    let needed = marking::banner_level(&required.banner);
    let (shown, level) = if required.unreadable > 0 {
        let n = required.unreadable;
        let what = if n == 1 { "marking" } else { "markings" };
        (
            format!("{} ({n} unreadable {what})", required.banner),
            needed,
        )
    } else if needed > declared || (declared.is_none() && !raw.is_empty()) {
        let says = if raw.is_empty() {
            "no banner".to_string()
        } else {
            format!("the banner says {}: fix the banner", sanitize(raw))
        };
        (format!("{} ({says})", required.banner), needed)
    } else if raw.is_empty() {
        ("NO BANNER MARKING".to_string(), None)
    } else {
        (sanitize(raw), declared)
    };
    let style = theme.banner(level);
    frame.render_widget(
        Paragraph::new(shown)
            .alignment(Alignment::Center)
            .style(style),
        area,
    );
}

/// Plan id, title, counts and the modified flag.
pub fn header(frame: &mut Frame, area: Rect, s: &Session, theme: Theme) {
    let sum = s.summary;
    // A count is coloured only when it is not zero; its symbol tells the severity either way.
    let count = |severity: Severity, n: usize, word: &str| {
        let style = if n > 0 && severity != Severity::Info {
            theme.severity(severity)
        } else {
            theme.dim()
        };
        Span::styled(format!("{} {}", symbol(severity), plural(n, word)), style)
    };
    let mut right = vec![
        count(Severity::Error, sum.errors, "error"),
        Span::raw(" "),
        count(Severity::Warning, sum.warnings, "warning"),
        Span::raw(" "),
        count(Severity::Info, sum.infos, "info"),
    ];
    if s.modified() {
        right.push(Span::styled(" [modified]", theme.bold()));
    }
    if s.read_only.is_some() {
        right.push(Span::styled(" [read-only]", theme.bold()));
    } else if s.disk.unwritable {
        right.push(Span::styled(" [read-only file]", theme.bold()));
    }
    if s.disk.changed {
        right.push(Span::styled(
            " [changed on disk]",
            theme.severity(Severity::Warning),
        ));
    }
    let right_width: usize = right.iter().map(|sp| sp.width()).sum();
    let left_width = (area.width as usize).saturating_sub(right_width + 1);
    let title = sanitize(
        &format!(
            "{}  {}",
            text(&s.live.plan.meta.id),
            text(&s.live.plan.meta.title)
        )
        .replace('\n', " "),
    );
    let title: String = truncate(&title, left_width);
    let pad = left_width.saturating_sub(unicode_width(&title));
    let mut spans = vec![
        Span::styled(title, theme.bold()),
        Span::raw(" ".repeat(pad + 1)),
    ];
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Shortens `s` to `width` columns, with an ellipsis when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if unicode_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if unicode_width(&out) + 2 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn unicode_width(s: &str) -> usize {
    Span::raw(s).width()
}

/// The key-hint bar, or the status message.
pub fn hints(frame: &mut Frame, area: Rect, s: &Session, keymap: &Keymap, theme: Theme) {
    if let Some((message, problem)) = &s.message {
        let style = if *problem {
            theme.severity(Severity::Error)
        } else {
            theme.bold()
        };
        // A long message wraps onto the rows the layout gave it (see `layout::panes`).
        let wrapped = Paragraph::new(sanitize(message))
            .style(style)
            .wrap(Wrap { trim: false });
        frame.render_widget(wrapped, area);
        return;
    }
    if !s.document_ready() {
        // A large plan's document is still parsed: say why an edit would wait a moment.
        let waiting = Paragraph::new(" reading the plan for editing…").style(theme.dim());
        return frame.render_widget(waiting, area);
    }
    let mode = match &s.modal {
        None if s.prefix => Mode::Prefix,
        None | Some(Modal::Help(_) | Modal::Explain(..)) => {
            let line = browse_hints(s, keymap, theme, usize::from(area.width));
            return frame.render_widget(Paragraph::new(line), area);
        }
        Some(Modal::Picker(_)) => Mode::Picker,
        Some(Modal::Text(_)) => Mode::Editor,
        Some(Modal::Confirm(c)) => {
            return frame.render_widget(Paragraph::new(confirm_hints(c, keymap, theme)), area);
        }
    };
    let multiline = matches!(&s.modal, Some(Modal::Text(t)) if t.multiline);
    frame.render_widget(
        Paragraph::new(hint_line(keymap, mode, theme, &editor_skip(multiline))),
        area,
    );
}

/// The browsing keys that matter where the selection is (a label of `None`: the binding's
/// own hint), then the ones that always do, as many as fit in `width` columns.
fn browse_hints<'a>(s: &Session, keymap: &Keymap, theme: Theme, width: usize) -> Line<'a> {
    use Action::*;
    let on_id = s.selected_node().is_some_and(|n| {
        n.kind()
            .fields()
            .get(s.selection.field)
            .is_some_and(|f| f.name == "id")
    });
    let context: Vec<(Action, Option<&str>)> = match (s.view, s.selection.focus) {
        (View::Countries | View::Plan, Focus::Form) => vec![
            (
                Open,
                Some(if on_id {
                    "rename (refs follow)"
                } else {
                    "edit"
                }),
            ),
            (Back, Some("back")),
            (QuickFix, None),
            (NextDiagnostic, None),
        ],
        (View::Countries, Focus::List) => vec![
            (Open, Some("open")),
            (Add, Some("add country")),
            (NextDiagnostic, None),
            (QuickFix, None),
            (ViewMatrix, None),
        ],
        (View::Countries | View::Plan, _) => vec![
            (Open, Some("open")),
            (Add, None),
            (Link, None),
            (Delete, None),
            (QuickFix, None),
            (NextDiagnostic, None),
        ],
        (View::Matrix, _) => vec![
            (Left, Some("move")),
            (Open, Some("open")),
            (Add, Some("add country")),
        ],
        (View::Diagnostics, _) => vec![
            (Open, Some("go to")),
            (QuickFix, None),
            (Waive, None),
            (Help, Some("explain")),
        ],
        (View::Review, _) => vec![
            (ConfirmLink, Some("confirm")),
            (ConfirmPriority, Some("confirm all")),
            (Open, Some("open")),
        ],
        (View::Changes, _) => vec![(Open, Some("go to")), (ViewChanges, Some("re-read"))],
    };
    let always = [
        (Help, None),
        (Quit, None),
        (Save, None),
        (Undo, None),
        (Palette, Some("palette")),
    ];
    let mut spans = Vec::new();
    let mut used = 0;
    let mut seen = Vec::new();
    for (action, label) in context.into_iter().chain(always) {
        let Some(b) = keymap.binding(action).filter(|_| !seen.contains(&action)) else {
            continue;
        };
        seen.push(action);
        let (Some(key), Some(label)) = (b.keys.first(), label.or(b.hint.as_deref())) else {
            continue;
        };
        // The matrix cursor moves with the four arrows.
        let key = if action == Left {
            [Left, Right, Up, Down]
                .map(|a| {
                    keymap
                        .binding(a)
                        .and_then(|b| b.keys.first())
                        .map_or(String::new(), |k| k.to_string())
                })
                .concat()
        } else {
            key.to_string()
        };
        let cost = key.chars().count() + label.chars().count() + 3;
        if used + cost > width {
            break;
        }
        used += cost;
        spans.push(Span::styled(format!(" {key}"), theme.bold()));
        spans.push(Span::raw(format!(" {label} ")));
    }
    Line::from(spans)
}

/// The editor action that does not apply to a field: one key commits single lines only, and
/// another is the one way to commit several (Enter adds a line there).
pub fn editor_skip(multiline: bool) -> impl Fn(Action) -> bool {
    move |a| {
        if multiline {
            a == Action::Commit
        } else {
            a == Action::CommitMultiline
        }
    }
}

/// The keys of a question: yes, no and cancel, or, where "no" does something of its own, what
/// each does (`delete with references`, `delete only`).
pub fn confirm_hints<'a>(c: &Confirm, keymap: &Keymap, theme: Theme) -> Line<'a> {
    let Some([yes, no]) = c.labels else {
        return hint_line(keymap, Mode::Confirm, theme, &|_| false);
    };
    let mut spans = Vec::new();
    for (action, label) in [
        (Action::Yes, yes),
        (Action::No, no),
        (Action::Dismiss, "cancel"),
    ] {
        spans.push(Span::styled(
            format!(" {}", keymap.key_name(action)),
            theme.bold(),
        ));
        spans.push(Span::raw(format!(" {label} ")));
    }
    Line::from(spans)
}

/// The hints of a mode: `key label` pairs from the keymap, without the skipped actions.
pub fn hint_line<'a>(
    keymap: &Keymap,
    mode: Mode,
    theme: Theme,
    skip: &dyn Fn(Action) -> bool,
) -> Line<'a> {
    let mut spans = Vec::new();
    for b in keymap.bindings(mode).filter(|b| !skip(b.action)) {
        let (Some(hint), Some(key)) = (&b.hint, b.keys.first()) else {
            continue;
        };
        spans.push(Span::styled(format!(" {key}"), theme.bold()));
        spans.push(Span::raw(format!(" {hint} ")));
    }
    Line::from(spans)
}
