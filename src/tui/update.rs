//! `update`: the only code that changes the editor's state. Keys become actions through the
//! keymap; text fields and filters take the other keys; whatever touches the file system is
//! returned as an [`Effect`] for the run loop to perform.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::TextArea;
use toml_edit::{Array, Item, Value};

use super::action::Action;
use super::app::*;
use super::edits;
use super::keymap::{Keymap, Mode};
use super::rows;
use crate::check::Settings;
use crate::check::registry::Severity;
use crate::plan::catalog;
use crate::plan::document::{Edit, ItemBody};
use crate::plan::model::{Collection, Node, val};
use crate::plan::schema::{FieldType, TableKind};
use jiff::civil::Date;

/// What the run loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Quit.
    Quit,
    /// Save the plan.
    Save,
    /// Save the plan, then quit if that worked.
    SaveAndQuit,
    /// Open the plan file at this path.
    Open(std::path::PathBuf),
    /// Read the (broken) file again.
    Reload,
    /// Save the plan under a new name (and go on editing that file).
    SaveAs(std::path::PathBuf),
    /// Save over a file that changed on disk.
    Overwrite,
    /// Read the plan again from disk, dropping the unsaved edits.
    ReloadFromDisk,
    /// Replace the plan being edited with the recovery file's content.
    Restore(Vec<u8>),
    /// Delete the recovery file.
    DiscardRecovery,
    /// Export in this format.
    Export {
        /// The format's name.
        format: String,
        /// Replace an existing output.
        force: bool,
        /// Export a plan with errors, marked as a draft.
        draft: bool,
    },
}

/// Fields edited as several lines.
const MULTILINE: &[&str] = &[
    "text",
    "summary",
    "description",
    "mitigation",
    "ip_terms",
    "reason",
    "marking_justification",
    "role",
    "dissemination",
    "strengths",
    "categories",
];

/// What updates read besides the state they change.
pub struct Context<'a> {
    /// The keymap.
    pub keymap: &'a Keymap,
    /// Check settings.
    pub settings: &'a Settings,
    /// Today.
    pub today: Date,
}

/// Handles one key press.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if key.kind != KeyEventKind::Press {
        return Vec::new();
    }
    let cx = Context {
        keymap: &app.keymap,
        settings: &app.settings,
        today: app.env.today,
    };
    let effects = match &mut app.screen {
        Screen::Files(list) => files_key(list, cx.keymap.action(Mode::Browse, &key)),
        Screen::Broken(_) => match cx.keymap.action(Mode::Browse, &key) {
            Some(Action::Quit) | Some(Action::Back) => vec![Effect::Quit],
            Some(Action::Open) => vec![Effect::Reload],
            _ => Vec::new(),
        },
        Screen::Edit(session) => session_key(session, &cx, key),
    };
    if effects.contains(&Effect::Quit) {
        app.should_quit = true;
    }
    effects
}

fn files_key(list: &mut FileList, action: Option<Action>) -> Vec<Effect> {
    match action {
        Some(Action::Up) => list.selected = list.selected.saturating_sub(1),
        Some(Action::Down) => {
            list.selected = (list.selected + 1).min(list.files.len().saturating_sub(1))
        }
        Some(Action::Open) => {
            if let Some(path) = list.files.get(list.selected) {
                return vec![Effect::Open(path.clone())];
            }
        }
        Some(Action::Quit) | Some(Action::Back) => return vec![Effect::Quit],
        _ => {}
    }
    Vec::new()
}

fn session_key(s: &mut Session, cx: &Context, key: KeyEvent) -> Vec<Effect> {
    match s.modal.take() {
        None => {
            s.message = None;
            match cx.keymap.action(Mode::Browse, &key) {
                Some(action) => update(s, cx, action),
                None => Vec::new(),
            }
        }
        Some(Modal::Help(scroll)) => {
            s.modal = match cx.keymap.action(Mode::Browse, &key) {
                Some(Action::Help | Action::Back | Action::Quit) => None,
                Some(Action::Down) => Some(Modal::Help(scroll.saturating_add(1))),
                Some(Action::Up) => Some(Modal::Help(scroll.saturating_sub(1))),
                Some(Action::PageDown) => Some(Modal::Help(scroll.saturating_add(10))),
                Some(Action::PageUp) => Some(Modal::Help(scroll.saturating_sub(10))),
                _ => Some(Modal::Help(scroll)),
            };
            Vec::new()
        }
        Some(Modal::Picker(picker)) => picker_key(s, cx, picker, key),
        Some(Modal::Text(edit)) => text_key(s, cx, edit, key),
        Some(Modal::Confirm(confirm)) => confirm_key(s, cx, confirm, key),
    }
}

/// Applies a browsing action.
pub fn update(s: &mut Session, cx: &Context, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => {
            if s.modified() {
                s.modal = Some(Modal::Confirm(Box::new(Confirm {
                    question: format!(
                        "Save the changes to {} before quitting? (y: save and quit, n: quit without saving, Esc: stay)",
                        file_name(&s.path)
                    ),
                    yes: Pending::SaveAndQuit,
                    no: Some(Pending::Quit),
                    back: None,
                })));
                return Vec::new();
            }
            return vec![Effect::Quit];
        }
        Action::Save => return vec![Effect::Save],
        Action::Help => s.modal = Some(Modal::Help(0)),
        Action::ViewPlan => set_view(s, View::Plan),
        Action::ViewCountries => set_view(s, View::Countries),
        Action::ViewMatrix => set_view(s, View::Matrix),
        Action::ViewDiagnostics => set_view(s, View::Diagnostics),
        Action::NextPane => next_pane(s, true),
        Action::PrevPane => next_pane(s, false),
        Action::Up => step(s, -1),
        Action::Down => step(s, 1),
        Action::PageUp => step(s, -10),
        Action::PageDown => step(s, 10),
        Action::Open => open(s, cx),
        Action::Back => back(s),
        Action::Add => add(s),
        Action::Delete => delete(s),
        Action::Duplicate => duplicate(s, cx),
        Action::MoveUp => move_item(s, cx, -1),
        Action::MoveDown => move_item(s, cx, 1),
        Action::Undo => undo(s, cx, true),
        Action::Redo => undo(s, cx, false),
        Action::Search => {
            let query = s
                .search
                .as_ref()
                .map(|q| q.query.clone())
                .unwrap_or_default();
            s.modal = Some(text_modal(
                TextPurpose::Search,
                "Search ids and text",
                &query,
                false,
            ));
        }
        Action::NextMatch => next_match(s, true),
        Action::PrevMatch => next_match(s, false),
        Action::NextDiagnostic => next_diagnostic(s, true),
        Action::PrevDiagnostic => next_diagnostic(s, false),
        Action::Link => match s.selected_node() {
            Some(node @ Node::Item(Collection::Objectives(_), _)) => {
                edit_field(s, cx, node, "priorities")
            }
            _ => s.warn("select an objective to link its priorities"),
        },
        Action::QuickFix => quick_fix(s, cx),
        Action::Waive => waive(s),
        Action::Export => {
            s.modal = Some(Modal::Picker(Box::new(Picker {
                title: "Export as".to_string(),
                options: [
                    ("html", "HTML (self-contained, print-ready)"),
                    ("md", "Markdown"),
                    ("json", "JSON"),
                    ("csv", "CSV traceability matrix"),
                ]
                .iter()
                .map(|(v, l)| PickOption {
                    value: v.to_string(),
                    label: l.to_string(),
                    selected: false,
                })
                .collect(),
                multi: false,
                filterable: false,
                filter: String::new(),
                cursor: 0,
                purpose: PickPurpose::Export,
            })))
        }
        _ => {}
    }
    Vec::new()
}

fn set_view(s: &mut Session, view: View) {
    s.view = view;
    s.focus = Focus::List;
}

fn next_pane(s: &mut Session, forward: bool) {
    match s.view {
        View::Countries => {
            let order = [Focus::List, Focus::Section, Focus::Form];
            let at = order.iter().position(|f| *f == s.focus).unwrap_or(0);
            let next = if forward { (at + 1) % 3 } else { (at + 2) % 3 };
            if order[next] != Focus::List && s.live.plan.countries.is_empty() {
                return;
            }
            s.focus = order[next];
        }
        View::Plan => {
            s.focus = if s.focus == Focus::List {
                Focus::Form
            } else {
                Focus::List
            }
        }
        View::Matrix => {
            let columns = s.live.plan.priorities.len().max(1);
            s.cell.1 = if forward {
                (s.cell.1 + 1) % columns
            } else {
                (s.cell.1 + columns - 1) % columns
            };
        }
        View::Diagnostics => {}
    }
}

fn clamp_step(value: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (value as isize + delta).clamp(0, len as isize - 1) as usize
}

fn step(s: &mut Session, delta: isize) {
    match (s.view, s.focus) {
        (View::Countries, Focus::List) => {
            s.country = clamp_step(s.country, delta, s.live.plan.countries.len());
            s.row = 0;
        }
        (View::Countries, Focus::Section) => {
            s.row = clamp_step(s.row, delta, s.section_rows().len())
        }
        (View::Plan, Focus::List) => {
            s.plan_row = clamp_step(s.plan_row, delta, rows::plan_rows(&s.live.plan).len())
        }
        (View::Countries | View::Plan, Focus::Form) => {
            let len = s.selected_node().map_or(0, |n| n.kind().fields().len());
            s.field = clamp_step(s.field, delta, len);
        }
        (View::Matrix, _) => s.cell.0 = clamp_step(s.cell.0, delta, s.live.plan.countries.len()),
        (View::Diagnostics, _) => {
            s.diag_row = clamp_step(s.diag_row, delta, s.live.diagnostics.len())
        }
        _ => {}
    }
}

fn open(s: &mut Session, cx: &Context) {
    match (s.view, s.focus) {
        (View::Countries, Focus::List) if !s.live.plan.countries.is_empty() => {
            s.focus = Focus::Section;
            s.row = 0;
        }
        (View::Countries, Focus::Section) | (View::Plan, Focus::List)
            if s.selected_node().is_some() =>
        {
            s.focus = Focus::Form;
            s.field = 0;
        }
        (View::Countries | View::Plan, Focus::Form) => {
            if let Some(node) = s.selected_node()
                && let Some(spec) = node.kind().fields().get(s.field)
            {
                edit_field(s, cx, node, spec.name);
            }
        }
        (View::Matrix, _) => matrix_cell(s),
        (View::Diagnostics, _) => {
            if let Some(d) = s.live.diagnostics.get(s.diag_row) {
                let target = d.target.clone();
                s.current_diag = Some(s.diag_row);
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

fn back(s: &mut Session) {
    s.focus = match (s.view, s.focus) {
        (View::Countries, Focus::Form) => Focus::Section,
        _ => Focus::List,
    };
}

/// The last part of a path, for questions that should not carry a long folder name.
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Asks for the name to save the plan under (in the plan's folder).
pub fn save_as_prompt(s: &mut Session) {
    let stem = s
        .path
        .file_stem()
        .map_or_else(|| "plan".to_string(), |n| n.to_string_lossy().into_owned());
    let title = "Save as (a new file in the plan's folder)";
    s.modal = Some(text_modal(
        TextPurpose::SaveAs,
        title,
        &format!("{stem}-copy.toml"),
        false,
    ));
}

/// Offers the three ways out when the file changed on disk since it was loaded.
pub fn on_disk_choice(s: &mut Session) {
    let option = |v: &str, l: &str| PickOption {
        value: v.to_string(),
        label: l.to_string(),
        selected: false,
    };
    s.modal = Some(Modal::Picker(Box::new(Picker {
        title: format!("{} changed on disk since you opened it", file_name(&s.path)),
        options: vec![
            option("save-as", "save your version under another name"),
            option(
                "reload",
                "reload the file from disk (your unsaved edits are lost; asks first)",
            ),
            option("overwrite", "overwrite the file on disk with your version"),
        ],
        multi: false,
        filterable: false,
        filter: String::new(),
        cursor: 0,
        purpose: PickPurpose::OnDisk,
    })));
}

/// Shows an item (and one of its fields) in its view.
pub fn jump(s: &mut Session, node: Node, field: Option<&str>) {
    match node.country() {
        Some(c) => {
            s.view = View::Countries;
            s.country = c;
            s.row = s
                .section_rows()
                .iter()
                .position(|n| *n == node)
                .unwrap_or(0);
        }
        None => {
            s.view = View::Plan;
            s.plan_row = rows::plan_rows(&s.live.plan)
                .iter()
                .position(|n| *n == node)
                .unwrap_or(0);
        }
    }
    s.focus = Focus::Form;
    s.field = field
        .and_then(|f| node.kind().fields().iter().position(|spec| spec.name == f))
        .unwrap_or(0);
}

/// The text of a value as it is edited: list entries one per line, "" when absent.
fn value_text(item: Option<&Item>) -> String {
    rows::value_text(item, "\n").unwrap_or_default()
}

fn text_modal(purpose: TextPurpose, title: &str, text: &str, multiline: bool) -> Modal {
    let lines: Vec<String> = if multiline {
        text.lines().map(str::to_string).collect()
    } else {
        vec![text.replace('\n', " ")]
    };
    let mut area = TextArea::new(if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    });
    if multiline {
        area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    }
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    Modal::Text(Box::new(TextEdit {
        area,
        multiline,
        original: text.to_string(),
        purpose,
        title: title.to_string(),
        error: None,
    }))
}

fn edit_field(s: &mut Session, cx: &Context, node: Node, field: &str) {
    let Some(spec) = node.kind().field(field) else {
        return;
    };
    let current = s.doc.get(node, field);
    if matches!(current, Some(Item::Table(_) | Item::ArrayOfTables(_))) {
        s.warn(format!(
            "`{field}` is a table in the file; edit it in a text editor"
        ));
        return;
    }
    let options = |values: Vec<(String, String)>, chosen: &[String]| -> Vec<PickOption> {
        values
            .into_iter()
            .map(|(value, label)| PickOption {
                selected: chosen.contains(&value),
                value,
                label,
            })
            .collect()
    };
    let chosen: Vec<String> = match current {
        Some(Item::Value(Value::Array(a))) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Item::Value(Value::String(v))) => vec![v.value().clone()],
        _ => Vec::new(),
    };
    let picker = |title: String, opts: Vec<PickOption>, multi: bool, purpose: PickPurpose| {
        let cursor = opts.iter().position(|o| o.selected).unwrap_or(0);
        Modal::Picker(Box::new(Picker {
            title,
            options: opts,
            multi,
            filterable: !multi,
            filter: String::new(),
            cursor,
            purpose,
        }))
    };
    let links = PickPurpose::Links {
        node,
        field: field.to_string(),
    };
    s.modal = Some(match spec.ty {
        FieldType::Bool => {
            let on = matches!(current, Some(Item::Value(Value::Boolean(b))) if *b.value());
            apply(
                s,
                cx,
                Edit::SetField {
                    node,
                    field: field.to_string(),
                    value: Some(Value::from(!on)),
                },
                format!("{field} = {}", !on),
            );
            return;
        }
        FieldType::Enum(values) => picker(
            field.to_string(),
            options(
                values
                    .iter()
                    .map(|v| (v.to_string(), v.to_string()))
                    .collect(),
                &chosen,
            ),
            false,
            PickPurpose::Field {
                node,
                field: field.to_string(),
            },
        ),
        FieldType::PriorityLinks => {
            let mut values: Vec<(String, String)> = s
                .live
                .plan
                .priorities
                .iter()
                .filter_map(|p| {
                    val(&p.id).map(|id| {
                        (
                            id.clone(),
                            format!("{id}  {}", crate::plan::model::text(&p.title)),
                        )
                    })
                })
                .collect();
            keep_unknown(&mut values, &chosen);
            picker(
                "Link priorities (Space selects)".to_string(),
                options(values, &chosen),
                true,
                links,
            )
        }
        FieldType::TechAreas => {
            let list = s.live.plan.meta.tech_list().unwrap_or_default();
            let mut values: Vec<(String, String)> = list
                .areas()
                .iter()
                .map(|a| {
                    (
                        a.to_string(),
                        format!("{a}  {}", catalog::tech_area_title(a)),
                    )
                })
                .collect();
            keep_unknown(&mut values, &chosen);
            picker(
                "Technology areas (Space selects)".to_string(),
                options(values, &chosen),
                true,
                links,
            )
        }
        FieldType::GovernanceLinks => {
            let Some(country) = node.country().and_then(|c| s.live.plan.countries.get(c)) else {
                return;
            };
            let mut values: Vec<(String, String)> = country
                .agreements
                .iter()
                .filter_map(|a| {
                    val(&a.id).map(|id| {
                        (
                            id.clone(),
                            format!("{id}  {}", crate::plan::model::text(&a.title)),
                        )
                    })
                })
                .chain(country.actors.iter().filter_map(|a| {
                    val(&a.id).map(|id| {
                        (
                            id.clone(),
                            format!("{id}  {}", crate::plan::model::text(&a.name)),
                        )
                    })
                }))
                .collect();
            keep_unknown(&mut values, &chosen);
            if values.is_empty() {
                s.warn(format!(
                    "{} has no agreement or actor yet: add one to the section first",
                    country.head.item
                ));
                return;
            }
            picker(
                "Governance: agreements and actors (Space selects)".to_string(),
                options(values, &chosen),
                true,
                links,
            )
        }
        ty => {
            let multiline = MULTILINE.contains(&field) || ty == FieldType::TextList;
            let title = match ty {
                FieldType::Date => format!("{field} (YYYY-MM-DD)"),
                FieldType::TextList => format!("{field} (one per line)"),
                _ => field.to_string(),
            };
            text_modal(
                TextPurpose::Field {
                    node,
                    field: field.to_string(),
                },
                &title,
                &value_text(current),
                multiline,
            )
        }
    });
}

/// Links that name nothing known stay on offer, so that accepting the picker does not drop
/// them silently.
fn keep_unknown(values: &mut Vec<(String, String)>, chosen: &[String]) {
    for c in chosen {
        if !values.iter().any(|(v, _)| v == c) {
            values.push((c.clone(), format!("{c}  (unknown)")));
        }
    }
}

fn apply(s: &mut Session, cx: &Context, edit: Edit, done: String) {
    if let Some(why) = &s.read_only {
        let why = why.clone();
        return s.warn(format!("read-only: {why}"));
    }
    match s.apply(edit, cx.settings) {
        Ok(()) => s.say(done),
        Err(err) => s.warn(format!("not changed: {err}")),
    }
}

fn picker_key(s: &mut Session, cx: &Context, mut p: Box<Picker>, key: KeyEvent) -> Vec<Effect> {
    let visible = p.visible();
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

fn accept(s: &mut Session, cx: &Context, p: Picker) -> Vec<Effect> {
    let visible = p.visible();
    let choice = visible.get(p.cursor).map(|&i| p.options[i].value.clone());
    match p.purpose {
        PickPurpose::Links { node, field } => {
            let selected: Array = p
                .options
                .iter()
                .filter(|o| o.selected)
                .map(|o| o.value.as_str())
                .collect();
            let current = value_text(s.doc.get(node, &field));
            let next: Vec<&str> = selected.iter().filter_map(|v| v.as_str()).collect();
            let absent = s.doc.get(node, &field).is_none();
            if current != next.join("\n") || (absent && !next.is_empty()) {
                apply(
                    s,
                    cx,
                    Edit::SetField {
                        node,
                        field: field.clone(),
                        value: Some(Value::Array(selected)),
                    },
                    format!("{field} set"),
                );
            }
        }
        PickPurpose::Field { node, field } => {
            if let Some(value) = choice
                && value_text(s.doc.get(node, &field)) != value
            {
                apply(
                    s,
                    cx,
                    Edit::SetField {
                        node,
                        field: field.clone(),
                        value: Some(Value::from(value.as_str())),
                    },
                    format!("{field} = {value}"),
                );
            }
        }
        PickPurpose::AddCountry => {
            if let Some(code) = choice {
                let index = s.live.plan.countries.len();
                let edit = Edit::InsertItem {
                    collection: Collection::Countries,
                    index,
                    body: ItemBody::Header(edits::new_country(&code)),
                };
                apply(s, cx, edit, format!("added {code}"));
                s.country = index;
                s.focus = Focus::List;
            }
        }
        PickPurpose::AddItem => {
            if let Some(kind) = choice {
                add_item(s, cx, &kind);
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
                s.modal = Some(Modal::Confirm(Box::new(Confirm {
                    question: format!(
                        "Reload {} from disk and lose your {} unsaved change(s)? (y/n)",
                        file_name(&s.path),
                        s.undo.len()
                    ),
                    yes: Pending::Reload,
                    no: None,
                    back: None,
                })));
            }
            Some(_) => save_as_prompt(s),
            None => {}
        },
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

fn text_key(s: &mut Session, cx: &Context, mut edit: Box<TextEdit>, key: KeyEvent) -> Vec<Effect> {
    match cx.keymap.action(Mode::Editor, &key) {
        Some(Action::Commit) if !edit.multiline => return commit(s, cx, edit),
        Some(Action::CommitMultiline) => return commit(s, cx, edit),
        Some(Action::CancelEdit) => {
            if edit.text() != edit.original && edit.purpose != TextPurpose::Search {
                s.modal = Some(Modal::Confirm(Box::new(Confirm {
                    question: "Discard the changes to this field? (y: discard, n: keep editing)"
                        .to_string(),
                    yes: Pending::DiscardText,
                    no: None,
                    back: Some(Box::new(Modal::Text(edit))),
                })));
            }
            return Vec::new();
        }
        _ => {
            // Enter in a single-line field is a commit only through the keymap; never a newline.
            if key.code != KeyCode::Enter || edit.multiline {
                edit.area.input(key);
            }
            // Dates and numbers are checked as they are typed.
            if let TextPurpose::Field { node, field } = &edit.purpose
                && let Some(spec) = node.kind().field(field)
            {
                edit.error = field_value(spec.ty, &edit.text()).err();
            }
        }
    }
    s.modal = Some(Modal::Text(edit));
    Vec::new()
}

/// The value a field's text stands for, or what is wrong with it.
fn field_value(ty: FieldType, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    match ty {
        FieldType::Date => trimmed
            .parse::<Date>()
            .map(edits::date_value)
            .map_err(|_| format!("`{trimmed}` is not a date: write YYYY-MM-DD")),
        FieldType::Integer | FieldType::Percent => match trimmed.parse::<i64>() {
            Ok(n) if ty == FieldType::Percent && !(0..=100).contains(&n) => {
                Err(format!("{n} is not a percentage from 0 to 100"))
            }
            Ok(n) => Ok(Value::from(n)),
            Err(_) => Err(format!("`{trimmed}` is not a whole number")),
        },
        FieldType::TextList => Ok(Value::Array(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect(),
        )),
        _ => Ok(Value::from(text)),
    }
}

fn commit(s: &mut Session, cx: &Context, mut edit: Box<TextEdit>) -> Vec<Effect> {
    let text = edit.text();
    match edit.purpose.clone() {
        TextPurpose::Search => search(s, &text),
        TextPurpose::SaveAs => {
            let name = text.trim();
            if name.is_empty() {
                edit.error = Some("give a file name".to_string());
                s.modal = Some(Modal::Text(edit));
                return Vec::new();
            }
            let folder = s
                .path
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            return vec![Effect::SaveAs(folder.join(name))];
        }
        TextPurpose::WaiverReason { code, item } => {
            if text.trim().is_empty() {
                edit.error = Some("a waiver needs a reason".to_string());
                s.modal = Some(Modal::Text(edit));
                return Vec::new();
            }
            let index = s.live.plan.waivers.len();
            let body = ItemBody::Header(edits::new_waiver(&code, &item, &text));
            apply(
                s,
                cx,
                Edit::InsertItem {
                    collection: Collection::Waivers,
                    index,
                    body,
                },
                format!("waived {code} on {item}"),
            );
        }
        TextPurpose::Field { node, field } => {
            if text == edit.original && s.doc.get(node, &field).is_some() {
                return Vec::new();
            }
            let Some(spec) = node.kind().field(&field) else {
                return Vec::new();
            };
            let value = match field_value(spec.ty, &text) {
                Ok(value) => value,
                Err(problem) => {
                    edit.error = Some(problem);
                    s.modal = Some(Modal::Text(edit));
                    return Vec::new();
                }
            };
            let set = Edit::SetField {
                node,
                field: field.clone(),
                value: Some(value),
            };
            let renames_id = (field == "id"
                || (field == "code" && node.kind() == TableKind::Country))
                && !edit.original.is_empty();
            if renames_id {
                let refs = edits::rename_references(&s.doc, &s.live.plan, &edit.original, &text);
                if !refs.is_empty() {
                    let mut batch = vec![set.clone()];
                    batch.extend(refs.iter().cloned());
                    s.modal = Some(Modal::Confirm(Box::new(Confirm {
                        question: format!(
                            "{} reference(s) name {}. Update them to {}? (y: update, n: rename only)",
                            refs.len(),
                            edit.original,
                            text
                        ),
                        yes: Pending::Apply(
                            Box::new(Edit::Batch(batch)),
                            format!("renamed {} to {text} with its references", edit.original),
                        ),
                        no: Some(Pending::Apply(
                            Box::new(set),
                            format!("renamed {} to {text}", edit.original),
                        )),
                        back: None,
                    })));
                    return Vec::new();
                }
            }
            apply(s, cx, set, format!("{field} set"));
        }
    }
    Vec::new()
}

fn confirm_key(s: &mut Session, cx: &Context, c: Box<Confirm>, key: KeyEvent) -> Vec<Effect> {
    let pending = match cx.keymap.action(Mode::Confirm, &key) {
        Some(Action::Yes) => Some(c.yes),
        Some(Action::No) => match c.no {
            Some(p) => Some(p),
            None => {
                s.modal = c.back.map(|b| *b);
                return Vec::new();
            }
        },
        Some(Action::Dismiss) => {
            s.modal = c.back.map(|b| *b);
            return Vec::new();
        }
        _ => {
            s.modal = Some(Modal::Confirm(c));
            return Vec::new();
        }
    };
    match pending {
        Some(Pending::Quit) => vec![Effect::Quit],
        Some(Pending::SaveAndQuit) => vec![Effect::SaveAndQuit],
        Some(Pending::Apply(edit, done)) => {
            apply(s, cx, *edit, done);
            Vec::new()
        }
        Some(Pending::Export {
            format,
            force,
            draft,
        }) => vec![Effect::Export {
            format,
            force,
            draft,
        }],
        Some(Pending::Restore(bytes)) => vec![Effect::Restore(bytes)],
        Some(Pending::DiscardRecovery) => vec![Effect::DiscardRecovery],
        Some(Pending::Overwrite) => vec![Effect::Overwrite],
        Some(Pending::Reload) => vec![Effect::ReloadFromDisk],
        Some(Pending::DiscardText) | None => Vec::new(),
    }
}

fn add(s: &mut Session) {
    let option = |v: &str, l: &str| PickOption {
        value: v.to_string(),
        label: l.to_string(),
        selected: false,
    };
    let (title, options, purpose) = match (s.view, s.focus) {
        (View::Countries, Focus::List) | (View::Matrix, _) => {
            let present: Vec<&str> = s
                .live
                .plan
                .countries
                .iter()
                .filter_map(|c| val(&c.code).map(String::as_str))
                .collect();
            let options = catalog::countries()
                .iter()
                .filter(|(code, _)| *code != "USA" && !present.contains(code))
                .map(|(code, name)| option(code, &format!("{code}  {name}")))
                .collect();
            (
                "Add a country (type to filter by code or name)",
                options,
                PickPurpose::AddCountry,
            )
        }
        (View::Countries, _) => {
            if s.live.plan.countries.is_empty() {
                return;
            }
            let mut options = vec![option("st", "S&T objective"), option("sc", "SC objective")];
            if objective_of_selection(s).is_some() {
                options.push(option("indicator", "indicator of the selected objective"));
            }
            options.extend([
                option("agreement", "agreement"),
                option("actor", "actor"),
                option("investment_pool", "investment pool"),
                option("barrier", "barrier"),
            ]);
            ("Add to this section", options, PickPurpose::AddItem)
        }
        (View::Plan, _) => {
            let mut options = vec![
                option("priority", "strategic priority"),
                option("waiver", "waiver (w on a diagnostic fills it in for you)"),
            ];
            if s.live.plan.meta.cui.is_none() {
                options.push(option("cui", "CUI designation indicator [plan.cui]"));
            }
            ("Add to the plan", options, PickPurpose::AddItem)
        }
        (View::Diagnostics, _) => return,
    };
    s.modal = Some(Modal::Picker(Box::new(Picker {
        title: title.to_string(),
        options,
        multi: false,
        filterable: matches!(purpose, PickPurpose::AddCountry),
        filter: String::new(),
        cursor: 0,
        purpose,
    })));
}

/// The (country, objective) of the selected objective or indicator.
fn objective_of_selection(s: &Session) -> Option<(usize, usize)> {
    match s.selected_node()? {
        Node::Item(Collection::Objectives(c), o) | Node::Item(Collection::Indicators(c, o), _) => {
            Some((c, o))
        }
        _ => None,
    }
}

fn add_item(s: &mut Session, cx: &Context, kind: &str) {
    let c = s.country;
    let code = s
        .live
        .plan
        .countries
        .get(c)
        .and_then(|c| val(&c.code).cloned())
        .unwrap_or_default();
    let (collection, table_kind, st) = match kind {
        "st" => (Collection::Objectives(c), TableKind::Objective, true),
        "sc" => (Collection::Objectives(c), TableKind::Objective, false),
        "indicator" => match objective_of_selection(s) {
            Some((c, o)) => (Collection::Indicators(c, o), TableKind::Indicator, false),
            None => return,
        },
        "agreement" => (Collection::Agreements(c), TableKind::Agreement, false),
        "actor" => (Collection::Actors(c), TableKind::Actor, false),
        "investment_pool" => (Collection::Pools(c), TableKind::Pool, false),
        "barrier" => (Collection::Barriers(c), TableKind::Barrier, false),
        "priority" => (Collection::Priorities, TableKind::Priority, false),
        "waiver" => (Collection::Waivers, TableKind::Waiver, false),
        "cui" => {
            // Written inline inside [plan], which keeps the change to one line.
            let mut cui = toml_edit::InlineTable::new();
            cui.insert("controlled_by", Value::from(""));
            cui.insert("categories", Value::Array(Array::new()));
            cui.insert("poc", Value::from(""));
            let edit = Edit::SetField {
                node: Node::Plan,
                field: "cui".to_string(),
                value: Some(Value::InlineTable(cui)),
            };
            apply(s, cx, edit, "added [plan.cui]".to_string());
            jump(s, Node::Cui, Some("controlled_by"));
            return;
        }
        _ => return,
    };
    let index = s.doc.len(collection);
    let table = edits::new_table(&s.live.plan, table_kind, &code, st);
    let edit = Edit::InsertItem {
        collection,
        index,
        body: ItemBody::Header(table),
    };
    apply(s, cx, edit, format!("added a {}", table_kind.noun()));
    let node = Node::Item(collection, index);
    let first_blank = ["text", "title", "name", "rule"]
        .into_iter()
        .find(|f| table_kind.field(f).is_some());
    jump(s, node, first_blank);
}

fn delete(s: &mut Session) {
    if matches!(s.view, View::Countries | View::Plan) && s.focus == Focus::Form {
        let Some(node) = s.selected_node() else {
            return;
        };
        let Some(spec) = node.kind().fields().get(s.field) else {
            return;
        };
        if s.doc.get(node, spec.name).is_some_and(|i| i.is_value()) {
            s.modal = Some(Modal::Confirm(Box::new(Confirm {
                question: format!(
                    "Remove `{}` from {}?",
                    spec.name,
                    rows::name(&s.live.plan, node)
                ),
                yes: Pending::Apply(
                    Box::new(Edit::SetField {
                        node,
                        field: spec.name.to_string(),
                        value: None,
                    }),
                    format!("removed {}", spec.name),
                ),
                no: None,
                back: None,
            })));
        }
        return;
    }
    let Some(node) = s.selected_node() else {
        return;
    };
    let name = rows::name(&s.live.plan, node);
    let remove = match node {
        Node::Item(collection, index) => Edit::RemoveItem { collection, index },
        Node::Cui | Node::Authority => Edit::SetField {
            node: Node::Plan,
            field: node.kind().key().to_string(),
            value: None,
        },
        Node::Plan => return s.warn("the [plan] table cannot be deleted"),
    };
    let id = rows::head(&s.live.plan, node).and_then(|h| match node.kind() {
        TableKind::Priority
        | TableKind::Agreement
        | TableKind::Actor
        | TableKind::Country
        | TableKind::Objective
        | TableKind::Pool => Some(h.item.clone()),
        _ => None,
    });
    let refs = id
        .as_ref()
        .map(|id| edits::references(&s.live.plan, id))
        .unwrap_or_default();
    if let (Some(id), false) = (&id, refs.is_empty()) {
        let by: Vec<String> = refs
            .iter()
            .map(|r| format!("{} ({})", r.by, r.field))
            .collect();
        let mut batch = edits::remove_references(&s.doc, &s.live.plan, id);
        batch.push(remove.clone());
        s.modal = Some(Modal::Confirm(Box::new(Confirm {
            question: format!(
                "Delete {name}? It is referenced by {}. y: delete it and those references (one undo step), n: delete it only, Esc: cancel",
                by.join(", ")
            ),
            yes: Pending::Apply(
                Box::new(Edit::Batch(batch)),
                format!("deleted {name} and its references"),
            ),
            no: Some(Pending::Apply(Box::new(remove), format!("deleted {name}"))),
            back: None,
        })));
    } else {
        s.modal = Some(Modal::Confirm(Box::new(Confirm {
            question: format!("Delete {name}? (y/n)"),
            yes: Pending::Apply(Box::new(remove), format!("deleted {name}")),
            no: None,
            back: None,
        })));
    }
}

fn duplicate(s: &mut Session, cx: &Context) {
    let Some(Node::Item(collection, index)) = s.selected_node() else {
        return s.warn("select an item to duplicate");
    };
    if collection == Collection::Countries {
        return s.warn("a country section cannot be duplicated: its code must stay unique");
    }
    match edits::duplicate(&s.doc, &s.live.plan, collection, index) {
        Some(edit) => {
            apply(
                s,
                cx,
                edit,
                format!(
                    "duplicated {}",
                    rows::name(&s.live.plan, Node::Item(collection, index))
                ),
            );
            jump_to_row(s, Node::Item(collection, index + 1));
        }
        None => s.warn("this item cannot be duplicated"),
    }
}

fn jump_to_row(s: &mut Session, node: Node) {
    let focus = s.focus;
    jump(s, node, None);
    s.focus = if focus == Focus::Form {
        Focus::Form
    } else {
        focus
    };
}

fn move_item(s: &mut Session, cx: &Context, delta: isize) {
    let Some(Node::Item(collection, from)) = s.selected_node() else {
        return;
    };
    let len = s.doc.len(collection);
    let to = from as isize + delta;
    if to < 0 || to as usize >= len {
        return;
    }
    let to = to as usize;
    apply(
        s,
        cx,
        Edit::MoveItem {
            collection,
            from,
            to,
        },
        "moved".to_string(),
    );
    if collection == Collection::Countries && s.focus == Focus::List {
        s.country = to;
    } else {
        jump_to_row(s, Node::Item(collection, to));
    }
}

fn undo(s: &mut Session, cx: &Context, backwards: bool) {
    if let Some(why) = &s.read_only {
        let why = why.clone();
        return s.warn(format!("read-only: {why}"));
    }
    let from = if backwards { &mut s.undo } else { &mut s.redo };
    let Some(edit) = from.pop() else {
        return s.say(if backwards {
            "nothing to undo"
        } else {
            "nothing to redo"
        });
    };
    match s.change(edit, cx.settings) {
        Ok(inverse) => {
            if backwards {
                s.redo.push(inverse);
            } else {
                s.undo.push(inverse);
            }
            s.say(if backwards { "undone" } else { "redone" });
        }
        Err(err) => s.warn(format!("cannot undo: {err}")),
    }
}

/// Every item in document-tree order, for search.
fn all_nodes(s: &Session) -> Vec<Node> {
    let mut nodes = rows::plan_rows(&s.live.plan);
    for c in 0..s.live.plan.countries.len() {
        nodes.extend(rows::section_rows(&s.live.plan, c));
    }
    nodes
}

fn search(s: &mut Session, query: &str) {
    let needle = query.trim().to_lowercase();
    if needle.is_empty() {
        s.search = None;
        return;
    }
    let matches: Vec<Node> = all_nodes(s)
        .into_iter()
        .filter(|&node| {
            node.kind().fields().iter().any(|spec| {
                value_text(s.doc.get(node, spec.name))
                    .to_lowercase()
                    .contains(&needle)
            })
        })
        .collect();
    if let Some(&first) = matches.first() {
        jump_to_row(s, first);
        s.focus = if first.country().is_some() {
            Focus::Section
        } else {
            Focus::List
        };
        s.say(format!(
            "{} match(es) for \"{query}\" (n/N: next/previous)",
            matches.len()
        ));
    } else {
        s.warn(format!("no match for \"{query}\""));
    }
    s.search = Some(Search {
        query: query.to_string(),
        matches,
        index: 0,
    });
}

fn next_match(s: &mut Session, forward: bool) {
    let Some(search) = &mut s.search else {
        return s.say("no search yet: press /");
    };
    if search.matches.is_empty() {
        return;
    }
    let n = search.matches.len();
    search.index = if forward {
        (search.index + 1) % n
    } else {
        (search.index + n - 1) % n
    };
    let (node, index) = (search.matches[search.index], search.index);
    jump_to_row(s, node);
    s.focus = if node.country().is_some() {
        Focus::Section
    } else {
        Focus::List
    };
    s.say(format!("match {} of {n}", index + 1));
}

fn next_diagnostic(s: &mut Session, forward: bool) {
    let n = s.live.diagnostics.len();
    if n == 0 {
        return s.say("no diagnostics");
    }
    let next = match s.current_diag {
        None if forward => 0,
        None => n - 1,
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
    };
    s.current_diag = Some(next);
    s.diag_row = next;
    let target = s.live.diagnostics[next].target.clone();
    if s.view != View::Diagnostics {
        jump(
            s,
            target.node.unwrap_or(Node::Plan),
            target.field.as_deref(),
        );
    }
    let d = &s.live.diagnostics[next];
    let message = format!(
        "{} {} {}: {}",
        d.severity.as_str(),
        d.code,
        d.item,
        d.message
    );
    s.say(message);
}

fn matrix_cell(s: &mut Session) {
    let (ci, pi) = s.cell;
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
            options.push(PickOption {
                value: o.head.item.clone(),
                label: format!("{}  {}", o.head.item, crate::plan::model::text(&o.text)),
                selected: false,
            });
        }
    }
    if options.is_empty() {
        return s.say(format!(
            "{} has no S&T objective linked to {pid}: add one with a in its section",
            country.head.item
        ));
    }
    s.modal = Some(Modal::Picker(Box::new(Picker {
        title: format!("S&T objectives of {} linked to {pid}", country.head.item),
        options,
        multi: false,
        filterable: false,
        filter: String::new(),
        cursor: 0,
        purpose: PickPurpose::Jump(nodes),
    })));
}

fn quick_fix(s: &mut Session, cx: &Context) {
    let Some(i) = s.focused_diagnostic() else {
        return s.say("no diagnostic here to fix");
    };
    let d = s.live.diagnostics[i].clone();
    match edits::quick_fix(&s.doc, &s.live.plan, &d, cx.today) {
        Some((edit, done)) => apply(s, cx, edit, format!("fixed {}: {done}", d.code)),
        None => s.warn(format!(
            "{} has no mechanical fix: {}",
            d.code,
            d.help.unwrap_or_else(|| "see `scplan explain`".to_string())
        )),
    }
}

fn waive(s: &mut Session) {
    let Some(i) = s.focused_diagnostic() else {
        return s.say("no diagnostic here to waive");
    };
    let d = &s.live.diagnostics[i];
    if d.severity == Severity::Error {
        return s.warn(format!(
            "{} is an error: errors cannot be waived, only fixed",
            d.code
        ));
    }
    if d.waived {
        return s.say(format!("{} on {} is already waived", d.code, d.item));
    }
    let title = format!("Reason for waiving {} on {}", d.code, d.item);
    s.modal = Some(text_modal(
        TextPurpose::WaiverReason {
            code: d.code.to_string(),
            item: d.item.clone(),
        },
        &title,
        "",
        true,
    ));
}
