//! Diagnostics: going to the next or previous one, its quick fix, waiving it.

use super::jump::jump;
use super::{Context, apply, fields};
use crate::edit::fixes::{self, FixAction};
use crate::edit::items;
use crate::edit::value;
use crate::edit::waive::{self, WaiveError};
use crate::plan::model::Node;
use crate::tui::app::{
    Modal, Pending, PickOption, PickPurpose, Picker, Session, TextPurpose, View, Visited,
};

/// Goes to the next (`forward`) or previous diagnostic, and shows its item: after the one
/// last gone to, or after the cursor once it has moved (or the list's row in the diagnostics
/// view). A diagnostic fixed meanwhile is gone from the list: the next one is then the first
/// at or after its place.
pub(super) fn next(s: &mut Session, forward: bool) {
    let n = s.live.diagnostics.len();
    if n == 0 {
        return s.say("no diagnostics");
    }
    let first = match start(s) {
        Start::At(i) if forward => i + 1,
        Start::At(i) => i + n - 1,
        Start::Before(j) if forward => j,
        Start::Before(j) => j + n - 1,
    };
    // Waived diagnostics are skipped: they are dealt with.
    let Some(next) = (0..n)
        .map(|k| {
            if forward {
                (first + k) % n
            } else {
                (first + n - k) % n
            }
        })
        .find(|&i| !s.live.diagnostics[i].waived)
    else {
        return s.say("every diagnostic is waived");
    };
    s.current_diag = Some(next);
    s.selection.diag_row = next;
    let target = s.live.diagnostics[next].target.clone();
    if s.view != View::Diagnostics {
        jump(
            s,
            target.node.unwrap_or(Node::Plan),
            target.field.as_deref(),
        );
    }
    let d = &s.live.diagnostics[next];
    s.visited = Some(Visited {
        line: d.loc.line,
        column: d.loc.column,
        code: d.code,
        selected: s.selected_node(),
    });
    let message = format!(
        "{} {} {}: {}",
        d.severity.as_str(),
        d.code,
        d.item,
        d.message
    );
    s.say(message);
}

/// Where `]`/`[` start from in the list.
enum Start {
    /// On this diagnostic.
    At(usize),
    /// Just before this index (the list's length: after the last).
    Before(usize),
}

/// Where `]`/`[` start: the diagnostics view's row; the cursor's item once the planner has
/// moved away from where `]` went; the diagnostic last gone to, or its place once it is gone;
/// the top of the list at first.
fn start(s: &Session) -> Start {
    let list = &s.live.diagnostics;
    let before = |line: u32, column: u32| {
        Start::Before(
            list.iter()
                .position(|d| (d.loc.line, d.loc.column) >= (line, column))
                .unwrap_or(list.len()),
        )
    };
    if s.view == View::Diagnostics {
        let row = s.selection.diag_row.min(list.len() - 1);
        return if s.visited.is_some() {
            Start::At(row)
        } else {
            Start::Before(row)
        };
    }
    let selected = s.selected_node();
    let moved = s.visited.is_some_and(|v| v.selected != selected);
    if moved && let Some(node) = selected {
        // The plan's own row is the top: its file-level findings (at 1:1) come first.
        if node == Node::Plan {
            return Start::Before(0);
        }
        if let Some(h) = items::head(&s.live.plan, node) {
            return before(h.header.line, h.header.column);
        }
    }
    match (s.visited, s.current_diag) {
        (Some(v), Some(i))
            if list.get(i).is_some_and(|d| {
                (d.loc.line, d.loc.column, d.code) == (v.line, v.column, v.code)
            }) =>
        {
            Start::At(i)
        }
        (Some(v), _) => before(v.line, v.column),
        (None, _) => Start::Before(0),
    }
}

/// Fixes the focused diagnostic: its one fix at once, a menu when there are several.
pub(super) fn quick_fix(s: &mut Session, cx: &Context) {
    let Some(i) = s.focused_diagnostic() else {
        return s.say("no diagnostic here to fix");
    };
    match fixes::quick_fixes(&s.doc, &s.live.plan, &s.live.diagnostics[i], cx.today) {
        Ok(mut list) if list.len() == 1 => run(s, cx, list.remove(0).action),
        Ok(list) => {
            let options = list
                .iter()
                .enumerate()
                .map(|(n, fix)| PickOption::new(&n.to_string(), &fix.title))
                .collect();
            let title = format!("Fix {}", s.live.diagnostics[i].code);
            s.modal = Some(Modal::picker(Picker::new(
                &title,
                options,
                PickPurpose::Fix(i),
            )));
        }
        Err(err) => s.warn(err.to_string()),
    }
}

/// Carries out fix number `choice` of the diagnostic at `index` (chosen from the menu).
pub(super) fn run_chosen(s: &mut Session, cx: &Context, index: usize, choice: &str) {
    let Some(d) = s.live.diagnostics.get(index) else {
        return;
    };
    let fix = fixes::quick_fixes(&s.doc, &s.live.plan, d, cx.today)
        .ok()
        .zip(choice.parse::<usize>().ok())
        .and_then(|(mut list, n)| (n < list.len()).then(|| list.swap_remove(n)));
    if let Some(fix) = fix {
        run(s, cx, fix.action);
    }
}

/// Carries out a fix: applies it, opens the field it fills, or asks first.
fn run(s: &mut Session, cx: &Context, action: FixAction) {
    match action {
        FixAction::Apply(change) => apply(s, cx, change),
        FixAction::Open {
            before,
            node,
            field,
        } => {
            let made = before.is_some();
            if let Some(change) = before {
                apply(s, cx, change);
            }
            jump(s, node, Some(&field));
            fields::edit(s, cx, node, &field);
            // An objective just made S&T needs technology areas too: chosen right after.
            if made
                && field == "priorities"
                && value::strings(s.doc.get(node, "tech_areas")).is_empty()
                && let Some(Modal::Picker(picker)) = &mut s.modal
            {
                picker.then = Some((node, "tech_areas".to_string()));
            }
        }
        FixAction::Confirm { question, change } => {
            let question = format!("{question}? {}", cx.keymap.yes_no());
            s.modal = Some(Modal::confirm(
                question,
                Pending::Apply(Box::new(change)),
                None,
            ));
        }
    }
}

/// Asks for the reason of a waiver of the focused diagnostic.
pub(super) fn waive(s: &mut Session) {
    let Some(i) = s.focused_diagnostic() else {
        return s.say("no diagnostic here to waive");
    };
    let d = &s.live.diagnostics[i];
    match waive::waivable(d) {
        Ok(()) => {}
        // Nothing is wrong: it is done already.
        Err(done @ WaiveError::Waived { .. }) => return s.say(done.to_string()),
        Err(err) => return s.warn(err.to_string()),
    }
    let title = format!("Reason for waiving {} on {}", d.code, d.item);
    let purpose = TextPurpose::WaiverReason {
        code: d.code.to_string(),
        item: d.item.to_string(),
    };
    s.modal = Some(Modal::text(purpose, &title, "", true));
}
