//! Text fields: typing (dates and numbers checked as they are typed), committing the text to
//! what it is for (a field, possibly a rename that references follow; a waiver's reason; a
//! search; a file name), cancelling.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{Context, Effect, apply, search};
use crate::edit::change::Change;
use crate::edit::{rename, value, waive};
use crate::plan::document::Edit;
use crate::plan::model::Node;
use crate::tui::action::Action;
use crate::tui::app::{Confirm, Modal, Pending, Session, TextEdit, TextPurpose};
use crate::tui::keymap::Mode;

/// A key in a text field.
pub(super) fn key(
    s: &mut Session,
    cx: &Context,
    mut edit: Box<TextEdit>,
    key: KeyEvent,
) -> Vec<Effect> {
    match cx.keymap.action(Mode::Editor, &key) {
        Some(Action::Commit) if !edit.multiline => return commit(s, cx, edit),
        Some(Action::CommitMultiline) => return commit(s, cx, edit),
        Some(action @ (Action::ClearText | Action::UndoText | Action::RedoText)) => {
            in_area(&mut edit.area, action);
            // What was wrong with the text went with it, or is judged again.
            if action == Action::ClearText {
                edit.error = None;
            } else {
                rejudge(&mut edit);
            }
        }
        Some(Action::CancelEdit) => {
            if edit.text() != edit.original && edit.purpose != TextPurpose::Search {
                let question = format!(
                    "Discard the changes to this field? ({}: discard, {}: keep editing)",
                    cx.keymap.key_name(Action::Yes),
                    cx.keymap.key_name(Action::No),
                );
                s.modal = Some(Modal::Confirm(Box::new(Confirm {
                    question,
                    yes: Pending::DiscardText,
                    no: None,
                    back: Some(Box::new(Modal::Text(edit))),
                    labels: None,
                })));
            }
            return Vec::new();
        }
        _ => {
            // Enter in a single-line field is a commit only through the keymap; never a newline.
            if key.code != KeyCode::Enter || edit.multiline {
                edit.area.input(key);
            }
            rejudge(&mut edit);
        }
    }
    s.modal = Some(Modal::Text(edit));
    Vec::new()
}

/// What the text area does of its own for `action`: clear it, undo or redo a change.
pub(super) fn in_area(area: &mut ratatui_textarea::TextArea<'static>, action: Action) {
    match action {
        Action::ClearText => {
            area.select_all();
            area.cut();
        }
        Action::UndoText => {
            area.undo();
        }
        Action::RedoText => {
            area.redo();
        }
        _ => {}
    }
}

/// Dates and numbers are checked as they are typed: a field's error follows its text.
fn rejudge(edit: &mut TextEdit) {
    if let TextPurpose::Field { node, field } = &edit.purpose
        && let Some(spec) = node.kind().field(field)
    {
        edit.error = value::parse(spec.ty, &edit.text())
            .err()
            .map(|e| e.to_string());
    }
}

/// Keeps the field open, saying what is wrong with its text.
fn refuse(s: &mut Session, mut edit: Box<TextEdit>, problem: String) -> Vec<Effect> {
    edit.error = Some(problem);
    s.modal = Some(Modal::Text(edit));
    Vec::new()
}

fn commit(s: &mut Session, cx: &Context, edit: Box<TextEdit>) -> Vec<Effect> {
    let text = edit.text();
    match edit.purpose.clone() {
        TextPurpose::Search => search::search(s, cx, &text),
        TextPurpose::SaveAs => {
            let name = text.trim();
            if name.is_empty() {
                return refuse(s, edit, "give a file name".to_string());
            }
            let folder = s
                .path
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            return vec![Effect::SaveAs(folder.join(name))];
        }
        TextPurpose::WaiverReason { code, item } => {
            match waive::waive(&s.live.plan, &code, &item, &text) {
                Ok(change) => apply(s, cx, change),
                Err(err) => return refuse(s, edit, err.to_string()),
            }
        }
        TextPurpose::Field { node, field } => return commit_field(s, cx, edit, node, &field),
        // A conflict's text is committed by the conflict view, never in a session.
        TextPurpose::Conflict(_) => {}
    }
    Vec::new()
}

/// Sets a field from its text; a new id that references name asks whether they follow.
fn commit_field(
    s: &mut Session,
    cx: &Context,
    edit: Box<TextEdit>,
    node: Node,
    field: &str,
) -> Vec<Effect> {
    let text = edit.text();
    if text == edit.original && s.doc.get(node, field).is_some() {
        return Vec::new();
    }
    let Some(spec) = node.kind().field(field) else {
        return Vec::new();
    };
    let value = match value::parse(spec.ty, &text) {
        Ok(value) => value,
        Err(problem) => return refuse(s, edit, problem.to_string()),
    };
    if super::marking::is_marking(node, field)
        && let Some(why) = super::marking::refused(node, text.trim(), cx)
    {
        return refuse(s, edit, why);
    }
    let old = &edit.original;
    // Two items of one id would merge their references (SCP005): the id is someone else's.
    if rename::names_the_item(node, field)
        && text.trim() != old.trim()
        && s.live.plan.ids().any(|id| id == text.trim())
    {
        let taken = crate::edit::rename_refs::RenameError::Taken(text.trim().to_string());
        return refuse(s, edit, format!("{taken}; choose another"));
    }
    if let Some(r) = rename::rename(&s.doc, &s.live.plan, node, field, old, &text) {
        let question = format!(
            "{} reference(s) name {old}. Update them to {text}? ({}: update, {}: rename only)",
            r.references,
            cx.keymap.key_name(Action::Yes),
            cx.keymap.key_name(Action::No),
        );
        s.modal = Some(Modal::choice(
            question,
            Pending::Apply(Box::new(r.with_references)),
            Pending::Apply(Box::new(r.alone)),
            ["update references", "rename only"],
        ));
        return Vec::new();
    }
    // The same value written another way (spaces around a date): nothing to change.
    let bare = |v: &toml_edit::Value| {
        let mut v = v.clone();
        v.decor_mut().clear();
        v.to_string()
    };
    if let Some(toml_edit::Item::Value(current)) = s.doc.get(node, field)
        && bare(current) == bare(&value)
    {
        s.say(format!("{field} unchanged"));
        return Vec::new();
    }
    // A list's entries kept as they are written: only what was typed changes.
    let value = value::keep_layout(s.doc.get(node, field), value);
    let set = Edit::SetField {
        node,
        field: field.to_string(),
        value: Some(value),
    };
    apply(s, cx, Change::new(set, format!("{field} set")));
    Vec::new()
}
