//! Moving the editor to an item: its view, its row, and its form at a field.

use crate::plan::model::Node;
use crate::tui::app::{Focus, Session, View};
use crate::tui::rows;

/// Shows an item (and one of its fields) in its view; from a view of another kind (the matrix,
/// the diagnostics, the review queue), Esc goes back there.
pub(super) fn jump(s: &mut Session, node: Node, field: Option<&str>) {
    if !matches!(s.view, View::Countries | View::Plan) {
        s.came_from = Some(s.view);
    }
    match node.country() {
        Some(c) => {
            s.view = View::Countries;
            s.country = c;
            s.selection.row = s
                .section_rows()
                .iter()
                .position(|n| *n == node)
                .unwrap_or(0);
        }
        None => {
            s.view = View::Plan;
            s.selection.plan_row = rows::plan_rows(&s.live.plan)
                .iter()
                .position(|n| *n == node)
                .unwrap_or(0);
        }
    }
    s.selection.focus = Focus::Form;
    s.selection.field = field
        .and_then(|f| node.kind().fields().iter().position(|spec| spec.name == f))
        .unwrap_or(0);
}

/// Shows an item's row, keeping the focus where it was.
pub(super) fn jump_to_row(s: &mut Session, node: Node) {
    let focus = s.selection.focus;
    jump(s, node, None);
    s.selection.focus = if focus == Focus::Form {
        Focus::Form
    } else {
        focus
    };
}
