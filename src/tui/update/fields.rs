//! Editing a field of the selected item: a toggle for a flag, a picker for an enumeration or
//! links, a text field for the rest.

use toml_edit::{Item, Value};

use super::{Context, apply};
use crate::edit::change::Change;
use crate::edit::{links, value};
use crate::plan::document::Edit;
use crate::plan::model::{Collection, Node};
use crate::plan::schema::FieldType;
use crate::tui::action::Action;
use crate::tui::app::{Modal, PickOption, PickPurpose, Picker, Session, TextPurpose};

/// Edits the priority links of the selected objective.
pub(super) fn link(s: &mut Session, cx: &Context) {
    match s.selected_node() {
        Some(node @ Node::Item(Collection::Objectives(_), _)) => edit(s, cx, node, "priorities"),
        _ => s.warn("select an objective to link its priorities"),
    }
}

/// Edits `field` of `node` the way its type takes.
pub(super) fn edit(s: &mut Session, cx: &Context, node: Node, field: &str) {
    let Some(spec) = node.kind().field(field) else {
        return;
    };
    // Said before anything is typed, not once the typing is thrown away.
    if let Some(why) = &s.read_only {
        let why = why.clone();
        return s.warn(crate::tui::editing_lock::refused(&why));
    }
    if spec.ty == FieldType::Stamps {
        return s.warn(format!(
            "`{field}` is written by scplan: linking a priority ({}) stamps it, and the review queue ({}) confirms it",
            cx.keymap.key_name(Action::Link),
            cx.keymap.key_name(Action::ViewReview)
        ));
    }
    let current = s.doc.get(node, field);
    if matches!(current, Some(Item::Table(_) | Item::ArrayOfTables(_))) {
        return s.warn(format!(
            "`{field}` is a table in the file; edit it in a text editor"
        ));
    }
    if super::marking::is_marking(node, field) {
        return super::marking::picker(s, cx, node, field);
    }
    match spec.ty {
        FieldType::Bool => {
            let on = matches!(current, Some(Item::Value(Value::Boolean(b))) if *b.value());
            let edit = Edit::SetField {
                node,
                field: field.to_string(),
                value: Some(Value::from(!on)),
            };
            apply(s, cx, Change::new(edit, format!("{field} = {}", !on)));
        }
        FieldType::Enum(values) => {
            let chosen = value::strings(current);
            let options = values
                .iter()
                .map(|v| PickOption {
                    selected: chosen.iter().any(|c| c == v),
                    ..PickOption::new(v, v)
                })
                .collect();
            let purpose = PickPurpose::Field {
                node,
                field: field.to_string(),
            };
            s.modal = Some(picker(field.to_string(), options, false, purpose));
        }
        FieldType::PriorityLinks | FieldType::TechAreas | FieldType::GovernanceLinks => {
            links_picker(s, cx, node, field, spec.ty)
        }
        ty => {
            let multiline = spec.multiline || ty == FieldType::TextList;
            let title = match ty {
                FieldType::Date => format!("{field} (YYYY-MM-DD)"),
                FieldType::DateOrText => format!("{field} (YYYY-MM-DD, or an event)"),
                FieldType::TextList => format!("{field} (one per line)"),
                _ => field.to_string(),
            };
            let text = value::as_text(current, "\n").unwrap_or_default();
            let purpose = TextPurpose::Field {
                node,
                field: field.to_string(),
            };
            s.modal = Some(Modal::text(purpose, &title, &text, multiline));
        }
    }
}

/// A picker of a field's values, the (first) chosen one highlighted; one of several is
/// filtered by typing, several are toggled.
fn picker(title: String, options: Vec<PickOption>, multi: bool, purpose: PickPurpose) -> Modal {
    let cursor = options.iter().position(|o| o.selected).unwrap_or(0);
    Modal::picker(Picker {
        multi,
        filterable: !multi,
        cursor,
        ..Picker::new(title, options, purpose)
    })
}

/// The picker of what a link field may name.
fn links_picker(s: &mut Session, cx: &Context, node: Node, field: &str, ty: FieldType) {
    let title = match ty {
        FieldType::PriorityLinks => "Link priorities",
        FieldType::TechAreas => "Technology areas",
        _ => "Governance: agreements and actors",
    };
    match links::options(&s.doc, &s.live.plan, node, field) {
        Ok(options) => {
            let options = options.into_iter().map(PickOption::from).collect();
            let purpose = PickPurpose::Links {
                node,
                field: field.to_string(),
            };
            let toggle = cx.keymap.key_name(Action::Toggle);
            let title = format!("{title} ({toggle} selects)");
            s.modal = Some(picker(title, options, true, purpose));
        }
        Err(err) => s.warn(err.to_string()),
    }
}
