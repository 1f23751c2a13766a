//! Pickers: moving, toggling and filtering the options, and what accepting one does
//! (a field or links set, an item added, a jump, an export, a way out of a file changed on
//! disk).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml_edit::Value;

use super::jump::jump;
use super::{Context, Effect, apply, diagnostics, items, marking, matrix};
use crate::edit::change::Change;
use crate::edit::{links, review, value};
use crate::plan::document::Edit;
use crate::tui::action::Action;
use crate::tui::app::{Modal, Pending, PickOption, PickPurpose, Picker, Session};
use crate::tui::keymap::Mode;
use crate::tui::prompts;

/// A key in a picker.
pub(super) fn key(s: &mut Session, cx: &Context, mut p: Box<Picker>, key: KeyEvent) -> Vec<Effect> {
    let visible = p.visible();
    // Where typing filters, a letter is text before it is a key (`j` filters, not moves).
    let typed = match key.code {
        KeyCode::Char(c) if c != ' ' && !key.modifiers.contains(KeyModifiers::CONTROL) => {
            p.filterable.then_some(c)
        }
        _ => None,
    };
    if let Some(c) = typed {
        p.filter.push(c);
        p.cursor = 0;
        s.modal = Some(Modal::Picker(p));
        return Vec::new();
    }
    match cx.keymap.action(Mode::Picker, &key) {
        Some(Action::PickerUp) => p.cursor = p.cursor.saturating_sub(1),
        Some(Action::PickerDown) => p.cursor = (p.cursor + 1).min(visible.len().saturating_sub(1)),
        Some(Action::Toggle) if p.multi => {
            if let Some(&i) = visible.get(p.cursor) {
                p.options[i].selected = !p.options[i].selected;
            }
        }
        Some(Action::Cancel) => return Vec::new(),
        Some(Action::Accept) => return accept(s, cx, *p),
        _ => match key.code {
            KeyCode::Char(c) if p.filterable && !key.modifiers.contains(KeyModifiers::CONTROL) => {
                p.filter.push(c);
                p.cursor = 0;
            }
            KeyCode::Backspace if p.filterable => {
                p.filter.pop();
                p.cursor = 0;
            }
            _ => {}
        },
    }
    s.modal = Some(Modal::Picker(p));
    Vec::new()
}

fn accept(s: &mut Session, cx: &Context, mut p: Picker) -> Vec<Effect> {
    let effects = accepted(s, cx, &p);
    // The flow's next field, unless the choice opened something else.
    if let Some((node, field)) = p.then.take()
        && s.modal.is_none()
    {
        super::fields::edit(s, cx, node, &field);
    }
    effects
}

fn accepted(s: &mut Session, cx: &Context, p: &Picker) -> Vec<Effect> {
    let visible = p.visible();
    let choice = visible.get(p.cursor).map(|&i| p.options[i].value.clone());
    match p.purpose.clone() {
        PickPurpose::Links { node, field } => {
            let chosen: Vec<&str> = p
                .options
                .iter()
                .filter(|o| o.selected)
                .map(|o| o.value.as_str())
                .collect();
            if let Some((change, after)) = links::set(&s.doc, node, &field, &chosen) {
                // One undo step with the stamps the links keep in step.
                match review::linked(&s.doc, &s.live.plan, node, &field, change.edit, &after) {
                    Ok(edit) => apply(s, cx, Change::new(edit, change.message)),
                    Err(err) => s.warn(format!("not changed: {err}")),
                }
            }
        }
        PickPurpose::Field { node, field } => {
            if choice.as_deref() == Some(marking::OTHER) {
                marking::typed(s, node, &field, None);
            } else if choice.is_none() && marking::is_marking(node, &field) && !p.filter.is_empty()
            {
                // A marking typed that no option is: the text field, with it, to confirm.
                marking::typed(s, node, &field, Some(&p.filter));
            } else if marking::is_marking(node, &field)
                && let Some(why) = choice
                    .as_deref()
                    .and_then(|v| marking::refused(node, v, cx))
            {
                s.warn(why);
            } else if let Some(value) = choice
                && value::as_text(s.doc.get(node, &field), "\n").unwrap_or_default() != value
            {
                let edit = Edit::SetField {
                    node,
                    field: field.clone(),
                    value: Some(Value::from(value.as_str())),
                };
                apply(s, cx, Change::new(edit, format!("{field} = {value}")));
            }
        }
        PickPurpose::AddCountry => {
            if let Some(code) = choice {
                items::add_country(s, cx, &code);
            }
        }
        PickPurpose::CopyCountry(index) => {
            if let Some(code) = choice {
                items::copy_country(s, cx, index, &code);
            }
        }
        PickPurpose::AddItem => {
            if let Some(kind) = choice {
                items::add_item(s, cx, &kind);
            }
        }
        PickPurpose::Jump(nodes) => {
            if let Some(&node) = visible.get(p.cursor).and_then(|&i| nodes.get(i)) {
                jump(s, node, None);
            }
        }
        PickPurpose::OnDisk => match choice.as_deref() {
            Some("overwrite") => return vec![Effect::Overwrite],
            Some("reload") => {
                let question = format!(
                    "Reload {} from disk and lose your {} unsaved change(s)? {}",
                    s.file_name(),
                    s.undo.len(),
                    cx.keymap.yes_no()
                );
                s.modal = Some(Modal::confirm(question, Pending::Reload, None));
            }
            Some(_) => prompts::save_as(s),
            None => {}
        },
        PickPurpose::Palette { actions, nodes } => {
            let Some(&i) = visible.get(p.cursor) else {
                return Vec::new();
            };
            match actions.get(i) {
                Some(&action) => return super::update(s, cx, action),
                None => {
                    if let Some(&node) = nodes.get(i - actions.len()) {
                        jump(s, node, None);
                    }
                }
            }
        }
        PickPurpose::Cover { country, priority } => {
            if let Some(choice) = choice {
                matrix::cover(s, cx, country, &priority, &choice);
            }
        }
        PickPurpose::Fix(index) => {
            if let Some(choice) = choice {
                diagnostics::run_chosen(s, cx, index, &choice);
            }
        }
        PickPurpose::Export => {
            if let Some(format) = choice {
                return vec![Effect::Export {
                    format,
                    force: false,
                    draft: false,
                }];
            }
        }
    }
    Vec::new()
}

/// Asks for the format to export in.
pub(super) fn export(s: &mut Session) {
    let options = [
        ("html", "HTML (self-contained, print-ready)"),
        ("md", "Markdown"),
        ("json", "JSON"),
        ("csv", "CSV traceability matrix"),
        ("csv-links", "CSV, a row per objective-priority link"),
        ("docx", "Word document"),
        ("xlsx", "Excel workbook, a sheet per table"),
    ]
    .iter()
    .map(|(v, l)| PickOption::new(v, l))
    .collect();
    s.modal = Some(Modal::picker(Picker::new(
        "Export as",
        options,
        PickPurpose::Export,
    )));
}
