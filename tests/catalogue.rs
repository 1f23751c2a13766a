//! The table catalogue (`src/plan/schema.rs`) is the one declaration of every table and key:
//! this test reads nothing but the catalogue and proves that the places derived from it agree
//! with it: the JSON Schema, the loader (an unknown-key probe and a wrong-type probe per key),
//! the editor's form of every table and `scplan get`.

mod common;
#[path = "support/editor.rs"]
mod editor;

use editor::press;
use ratatui::crossterm::event::KeyCode;

use scplan::check::{Settings, check_text};
use scplan::plan::catalog;
use scplan::plan::json;
use scplan::plan::schema::{ALL_TABLES, FieldSpec, FieldType, ROOT_CHILDREN, TableKind};
use scplan::tui::app::{App, Screen};
use serde_json::Value;

/// A value of the right type for a key (the id of its table names it uniquely).
fn valid_value(kind: TableKind, spec: &FieldSpec) -> String {
    if kind.id_key() == Some(spec.name) {
        return format!("\"{}-1\"", kind.key());
    }
    match spec.ty {
        FieldType::Text => "\"t\"".to_string(),
        FieldType::Enum(values) => format!("\"{}\"", values[0]),
        FieldType::Integer => "1".to_string(),
        FieldType::Percent => "50".to_string(),
        FieldType::Bool => "false".to_string(),
        FieldType::Date | FieldType::DateOrText => "2026-10-01".to_string(),
        FieldType::TextList => "[\"t\"]".to_string(),
        FieldType::PriorityLinks => format!("[\"{}-1\"]", TableKind::Priority.key()),
        FieldType::TechAreas => format!("[\"{}\"]", catalog::TECH_AREAS_2025[0]),
        FieldType::GovernanceLinks => format!("[\"{}-1\"]", TableKind::Agreement.key()),
        FieldType::Stamps => format!("{{ {}-1 = \"0123abcd\" }}", TableKind::Priority.key()),
    }
}

/// A value of a type the key does not take.
fn wrong_value(spec: &FieldSpec) -> &'static str {
    match spec.ty {
        FieldType::Text | FieldType::Enum(_) | FieldType::DateOrText => "1",
        FieldType::Integer | FieldType::Percent | FieldType::Bool | FieldType::Date => "\"x\"",
        _ => "1",
    }
}

/// What to change in the generated plan.
enum Probe<'a> {
    /// Nothing.
    None,
    /// Give `key` of the table `kind` this raw value.
    Value(TableKind, &'a str, &'a str),
    /// Add this key to the table `kind`.
    Extra(TableKind, &'a str),
}

/// A plan holding one table of every kind with every key, written from the catalogue.
fn plan_text(probe: &Probe) -> String {
    fn table(kind: TableKind, probe: &Probe, out: &mut String) {
        out.push_str(kind.header());
        out.push('\n');
        for spec in kind.fields() {
            let value = match probe {
                Probe::Value(k, key, value) if *k == kind && *key == spec.name => value.to_string(),
                _ => valid_value(kind, spec),
            };
            out.push_str(&format!("{} = {value}\n", spec.name));
        }
        if let Probe::Extra(k, key) = probe
            && *k == kind
        {
            out.push_str(&format!("{key} = \"x\"\n"));
        }
        for child in kind.children() {
            table(*child, probe, out);
        }
    }
    let mut out = String::new();
    for kind in ROOT_CHILDREN {
        table(*kind, probe, &mut out);
    }
    out
}

fn every_key() -> impl Iterator<Item = (TableKind, &'static FieldSpec)> {
    ALL_TABLES
        .iter()
        .flat_map(|kind| kind.fields().iter().map(move |spec| (*kind, spec)))
}

#[test]
fn every_table_is_reached_from_the_root_once() {
    let mut seen = Vec::new();
    let mut pending: Vec<TableKind> = ROOT_CHILDREN.to_vec();
    while let Some(kind) = pending.pop() {
        assert!(!seen.contains(&kind), "{kind:?} reached twice");
        seen.push(kind);
        pending.extend(kind.children());
    }
    seen.sort();
    let mut all = ALL_TABLES.to_vec();
    all.sort();
    assert_eq!(seen, all);
    for kind in ALL_TABLES {
        assert_eq!(TableKind::from_key(kind.key()), Some(*kind));
        for spec in kind.fields() {
            assert!(
                !spec.label.is_empty(),
                "{kind:?}.{} has no label",
                spec.name
            );
            assert!(!spec.help.is_empty(), "{kind:?}.{} has no help", spec.name);
        }
    }
}

#[test]
fn the_json_schema_declares_every_key_as_the_catalogue_does() {
    let schema = json::schema();
    for kind in ALL_TABLES {
        let def = &schema["$defs"][kind.key()];
        assert_eq!(def["additionalProperties"], false, "{kind:?}");
        let properties = def["properties"].as_object().expect("properties");
        assert_eq!(
            properties.len(),
            kind.fields().len() + kind.children().len(),
            "{kind:?}: the schema's keys and the catalogue's"
        );
        let required: Vec<&str> = def["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for spec in kind.fields() {
            let property = &properties[spec.name];
            let expected = match spec.ty {
                FieldType::Integer | FieldType::Percent => "integer",
                FieldType::Bool => "boolean",
                FieldType::Text | FieldType::Enum(_) | FieldType::Date | FieldType::DateOrText => {
                    "string"
                }
                FieldType::Stamps => "object",
                _ => "array",
            };
            assert_eq!(property["type"], expected, "{kind:?}.{}", spec.name);
            if spec.ty == FieldType::Stamps {
                assert_eq!(
                    property["additionalProperties"]["pattern"], "^[0-9a-f]{8}$",
                    "{kind:?}.{}: every value a stamp",
                    spec.name
                );
            }
            if let FieldType::Enum(values) = spec.ty {
                assert_eq!(property["enum"], serde_json::json!(values));
            }
            assert_eq!(property["description"], spec.help);
            assert_eq!(property["title"], spec.label);
            assert_eq!(
                required.contains(&spec.name),
                spec.required,
                "{kind:?}.{} required",
                spec.name
            );
        }
    }
}

#[test]
fn the_generated_plan_has_no_structural_finding() {
    let checked = check_text(plan_text(&Probe::None), &Settings::default());
    let structural: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, "SCP001" | "SCP002" | "SCP003" | "SCP004"))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(structural.is_empty(), "{structural:#?}");
}

#[test]
fn the_loader_refuses_a_wrong_type_for_every_key() {
    for (kind, spec) in every_key() {
        let text = plan_text(&Probe::Value(kind, spec.name, wrong_value(spec)));
        let checked = check_text(text, &Settings::default());
        assert!(
            checked.diagnostics.iter().any(|d| d.code == "SCP003"
                && d.target.node.map(|n| n.kind()) == Some(kind)
                && d.target.field.as_deref() == Some(spec.name)),
            "no SCP003 for {kind:?}.{} = {}: {:#?}",
            spec.name,
            wrong_value(spec),
            checked.diagnostics
        );
    }
}

#[test]
fn the_loader_knows_every_key_and_suggests_it_when_misspelt() {
    for (kind, spec) in every_key() {
        let misspelt = format!("{}x", spec.name);
        let text = plan_text(&Probe::Extra(kind, &misspelt));
        let checked = check_text(text, &Settings::default());
        let found = checked.diagnostics.iter().find(|d| {
            d.code == "SCP004"
                && d.target.node.map(|n| n.kind()) == Some(kind)
                && d.message.contains(&format!("`{misspelt}`"))
        });
        let Some(found) = found else {
            panic!("no SCP004 for {kind:?}.{misspelt}");
        };
        assert_eq!(
            found.help.as_deref(),
            Some(format!("did you mean `{}`?", spec.name).as_str()),
            "{kind:?}.{misspelt}"
        );
    }
}

#[test]
fn get_reads_every_key_of_every_table_it_can_name() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("plan.toml");
    std::fs::write(&file, plan_text(&Probe::None)).expect("the plan is written");
    for (kind, spec) in every_key() {
        let item = match kind {
            TableKind::Plan => "plan".to_string(),
            kind if TableKind::Plan.children().contains(&kind) => format!("plan.{}", kind.key()),
            TableKind::Indicator | TableKind::Barrier | TableKind::Waiver => continue,
            other => format!("{}.{}-1", other.key(), other.key()),
        };
        let path = format!("{item}.{}", spec.name);
        let (out, err, code) = common::run(common::scplan().arg("get").arg(&file).arg(&path));
        assert_eq!(code, Some(0), "get {path}: {err}");
        assert_eq!(out.trim_end(), valid_value(kind, spec), "get {path}");
    }
}

fn selected(app: &App) -> Option<scplan::plan::model::Node> {
    match &app.screen {
        Screen::Edit(session) => session.selected_node(),
        _ => None,
    }
}

/// Walks the rows of the current list with Down, noting the form shown for each kind (opened
/// with Enter and closed with Esc where the list does not show it beside).
fn walk(app: &mut App, seen: &mut Vec<TableKind>, open: bool) {
    let mut last = None;
    for _ in 0..40 {
        let node = selected(app);
        if node.is_none() || node == last {
            break;
        }
        if let Some(node) = node {
            let kind = node.kind();
            if open {
                press(app, KeyCode::Enter);
            }
            let text = editor::screen(app, 200, 80);
            if open {
                press(app, KeyCode::Esc);
            }
            for spec in kind.fields() {
                assert!(
                    text.contains(spec.name),
                    "the form of {kind:?} lacks `{}`:\n{text}",
                    spec.name
                );
            }
            seen.push(kind);
        }
        last = node;
        press(app, KeyCode::Down);
    }
}

#[test]
fn the_editor_shows_every_key_of_every_table_in_its_form() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("plan.toml");
    std::fs::write(&file, plan_text(&Probe::None)).expect("the plan is written");
    let mut app = editor::open(&file, Settings::default());
    let mut seen = Vec::new();
    // The plan view: [plan], its blocks, the priorities and the waivers, each with its form.
    press(&mut app, KeyCode::Char('1'));
    walk(&mut app, &mut seen, false);
    // The countries view: the section of the first country, row by row.
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Tab);
    walk(&mut app, &mut seen, true);
    seen.sort();
    seen.dedup();
    let mut all = ALL_TABLES.to_vec();
    all.sort();
    assert_eq!(seen, all, "every kind of table has a form");
}
