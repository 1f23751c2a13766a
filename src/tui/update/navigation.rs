//! Moving around: views, panes, rows, opening what is selected, going back, and jumping to
//! an item (from a diagnostic, a search match, a matrix cell).

use super::jump::jump;
use super::{Context, fields};
use crate::plan::model::{Collection, Node, text, val};
use crate::tui::app::{Focus, Modal, PickOption, PickPurpose, Picker, Session, View};
use crate::tui::rows;

pub(super) fn set_view(s: &mut Session, view: View) {
    s.view = view;
    s.came_from = None;
    s.selection.focus = Focus::List;
}

pub(super) fn next_pane(s: &mut Session, forward: bool) {
    match s.view {
        View::Countries => {
            let order = [Focus::List, Focus::Section, Focus::Form];
            let at = order
                .iter()
                .position(|f| *f == s.selection.focus)
                .unwrap_or(0);
            let next = if forward { (at + 1) % 3 } else { (at + 2) % 3 };
            if order[next] != Focus::List && s.live.plan.countries.is_empty() {
                return;
            }
            s.selection.focus = order[next];
        }
        View::Plan => {
            s.selection.focus = if s.selection.focus == Focus::List {
                Focus::Form
            } else {
                Focus::List
            }
        }
        View::Matrix => {
            let columns = s.live.plan.priorities.len().max(1);
            s.selection.cell.1 = if forward {
                (s.selection.cell.1 + 1) % columns
            } else {
                (s.selection.cell.1 + columns - 1) % columns
            };
        }
        View::Diagnostics | View::Review | View::Changes => {}
    }
}

/// Left or right: the matrix cursor's priority (stopping at either end; the columns scroll
/// with it), elsewhere the pane.
pub(super) fn sideways(s: &mut Session, forward: bool) {
    match s.view {
        View::Matrix => {
            let delta = if forward { 1 } else { -1 };
            let columns = s.live.plan.priorities.len();
            s.selection.cell.1 = clamp_step(s.selection.cell.1, delta, columns);
        }
        _ => next_pane(s, forward),
    }
}

fn clamp_step(value: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (value as isize)
        .saturating_add(delta)
        .clamp(0, len as isize - 1) as usize
}

/// Far enough to reach either end of any list in one step.
pub(super) const FAR: isize = isize::MAX / 4;

/// The first (`!last`) or last row of the list with the focus; in the matrix, the first or
/// last priority.
pub(super) fn edge(s: &mut Session, last: bool) {
    let delta = if last { FAR } else { -FAR };
    match s.view {
        View::Matrix => {
            let columns = s.live.plan.priorities.len();
            s.selection.cell.1 = clamp_step(s.selection.cell.1, delta, columns);
        }
        _ => step(s, delta),
    }
}

pub(super) fn step(s: &mut Session, delta: isize) {
    match (s.view, s.selection.focus) {
        (View::Countries, Focus::List) => {
            s.country = clamp_step(s.country, delta, s.live.plan.countries.len());
            s.selection.row = 0;
        }
        (View::Countries, Focus::Section) => {
            s.selection.row = clamp_step(s.selection.row, delta, s.section_rows().len())
        }
        (View::Plan, Focus::List) => {
            s.selection.plan_row = clamp_step(
                s.selection.plan_row,
                delta,
                rows::plan_rows(&s.live.plan).len(),
            )
        }
        (View::Countries | View::Plan, Focus::Form) => {
            let len = s.selected_node().map_or(0, |n| n.kind().fields().len());
            s.selection.field = clamp_step(s.selection.field, delta, len);
        }
        (View::Matrix, _) => {
            s.selection.cell.0 = clamp_step(s.selection.cell.0, delta, s.live.plan.countries.len())
        }
        (View::Diagnostics, _) => {
            s.selection.diag_row = clamp_step(s.selection.diag_row, delta, s.live.diagnostics.len())
        }
        _ => {}
    }
}

pub(super) fn open(s: &mut Session, cx: &Context) {
    match (s.view, s.selection.focus) {
        (View::Countries, Focus::List) if !s.live.plan.countries.is_empty() => {
            s.selection.focus = Focus::Section;
            s.selection.row = 0;
        }
        (View::Countries, Focus::Section) | (View::Plan, Focus::List)
            if s.selected_node().is_some() =>
        {
            s.selection.focus = Focus::Form;
            s.selection.field = 0;
        }
        (View::Countries | View::Plan, Focus::Form) => {
            if let Some(node) = s.selected_node()
                && let Some(spec) = node.kind().fields().get(s.selection.field)
            {
                fields::edit(s, cx, node, spec.name);
            }
        }
        (View::Matrix, _) => matrix_cell(s),
        (View::Diagnostics, _) => {
            if let Some(d) = s.live.diagnostics.get(s.selection.diag_row) {
                let target = d.target.clone();
                s.current_diag = Some(s.selection.diag_row);
                jump(
                    s,
                    target.node.unwrap_or(Node::Plan),
                    target.field.as_deref(),
                );
            }
        }
        _ => {}
    }
}

pub(super) fn back(s: &mut Session) {
    if let Some(view) = s.came_from.take() {
        return set_view(s, view);
    }
    s.selection.focus = match (s.view, s.selection.focus) {
        (View::Countries, Focus::Form) => Focus::Section,
        _ => Focus::List,
    };
}

/// The S&T objectives of a matrix cell's country linked to its priority, to jump to; for an
/// empty cell, the ways to fill it.
fn matrix_cell(s: &mut Session) {
    let (ci, pi) = s.selection.cell;
    let (Some(country), Some(priority)) = (
        s.live.plan.countries.get(ci),
        s.live.plan.priorities.get(pi),
    ) else {
        return;
    };
    let Some(pid) = val(&priority.id) else { return };
    let mut nodes = Vec::new();
    let mut options = Vec::new();
    for (oi, o) in country.objectives.iter().enumerate() {
        if o.is_st() && val(&o.priorities).is_some_and(|l| l.entries.contains(pid)) {
            nodes.push(Node::Item(Collection::Objectives(ci), oi));
            let label = format!("{}  {}", o.head.item, text(&o.text));
            options.push(PickOption::new(&o.head.item, &label));
        }
    }
    if options.is_empty() {
        let pid = pid.clone();
        return super::matrix::offer(s, ci, &pid);
    }
    let title = format!("S&T objectives of {} linked to {pid}", country.head.item);
    s.modal = Some(Modal::picker(Picker::new(
        title,
        options,
        PickPurpose::Jump(nodes),
    )));
}
