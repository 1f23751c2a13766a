//! The JSON Schema: `assets/plan.schema.json` is what `scplan schema` prints; every sample plan
//! (as the `toml` crate turns it into JSON, dates as strings) validates against it; plans with a
//! wrong type or an unknown enumeration value do not.

use std::path::Path;

use assert_cmd::Command;
use serde_json::{Value, json};

use scplan::plan::json::{self, to_json};

const SCHEMA_FILE: &str = "assets/plan.schema.json";

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&json::schema()).expect("the generated schema is a valid schema")
}

fn json_of_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    json_of_text(&text)
}

fn json_of_text(text: &str) -> Value {
    let table: toml::Table = text.parse().expect("valid TOML");
    to_json(&toml::Value::Table(table))
}

fn errors(value: &Value) -> Vec<String> {
    validator()
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_asset_is_what_scplan_schema_prints() {
    let out = Command::cargo_bin("scplan")
        .unwrap()
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed, json::schema_text());
    let stored = std::fs::read_to_string(SCHEMA_FILE).unwrap_or_default();
    assert!(
        stored == printed,
        "{SCHEMA_FILE} is out of date with src/plan/schema.rs; regenerate it with\n    cargo run -- schema > {SCHEMA_FILE}\nand commit the result"
    );
}

#[test]
fn the_schema_declares_its_dialect_and_closes_every_table() {
    let schema = json::schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["additionalProperties"], false);
    for (name, def) in schema["$defs"].as_object().unwrap() {
        assert_eq!(def["additionalProperties"], false, "{name}");
    }
    let areas = &schema["$defs"]["objective"]["properties"]["tech_areas"]["items"]["enum"];
    let areas: Vec<&str> = areas
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(areas.contains(&"applied-ai") && areas.contains(&"hypersonics"));
    assert_eq!(areas.len(), 6 + 14);
}

#[test]
fn sample_plans_and_the_template_validate() {
    let mut files: Vec<_> = std::fs::read_dir("plans")
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.push("tests/fixtures/roundtrip/dotted-and-inline.toml".into());
    files.sort();
    assert!(files.len() >= 3);
    for file in &files {
        let errors = errors(&json_of_file(file));
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
        assert!(
            std::fs::read_to_string(file)
                .unwrap()
                .contains("schema ../assets/plan.schema.json")
                || !file.starts_with("plans"),
            "{} lacks the #:schema directive",
            file.display()
        );
    }
    let template = scplan::template::render("USAFRICOM", jiff::civil::date(2027, 10, 1), None);
    let errors = errors(&json_of_text(&template));
    assert!(errors.is_empty(), "template: {errors:#?}");
}

#[test]
fn both_spellings_of_an_array_of_tables_are_the_same_json() {
    let headers = json_of_text(
        "[[priority]]\nid = \"SP-1\"\ntitle = \"T\"\nsource = \"S\"\n\n[[priority]]\nid = \"SP-2\"\ntitle = \"U\"\nsource = \"S\"\n",
    );
    let inline = json_of_text(
        "priority = [{ id = \"SP-1\", title = \"T\", source = \"S\" }, { id = \"SP-2\", title = \"U\", source = \"S\" }]\n",
    );
    assert_eq!(headers, inline);
}

fn sample() -> Value {
    json_of_file(Path::new("plans/eucom-sample.toml"))
}

/// The errors of the EUCOM sample with the key at a JSON pointer set to `value`.
fn with(pointer: &str, value: Value) -> Vec<String> {
    let mut plan = sample();
    let (parent, key) = pointer.rsplit_once('/').unwrap_or_default();
    match plan.pointer_mut(parent) {
        Some(Value::Object(table)) => {
            table.insert(key.to_string(), value);
        }
        _ => panic!("{parent} is not a table of the sample"),
    }
    errors(&plan)
}

#[test]
fn wrong_types_fail() {
    let priority = sample()["priority"][0].clone();
    let cases = [
        ("/plan/format", json!("1")),
        ("/plan/effective", json!(2026)),
        ("/plan/effective", json!("2026-10-01T10:00:00")),
        ("/country/0/intel", json!("yes")),
        ("/country/0/objective/0/priorities", json!("SP-1")),
        ("/country/1/investment_pool/0/us_share", json!(150)),
        ("/priority", priority),
    ];
    for (pointer, value) in cases {
        assert!(
            !with(pointer, value.clone()).is_empty(),
            "{pointer} = {value} should fail the schema"
        );
    }
}

#[test]
fn missing_and_unknown_keys_fail() {
    let mut plan = sample();
    plan["priority"][0]
        .as_object_mut()
        .map(|t| t.remove("title"));
    assert!(!errors(&plan).is_empty(), "a missing required key");
    let mut plan = sample();
    plan["country"][0]["capital"] = json!("Warsaw");
    assert!(!errors(&plan).is_empty(), "an unknown key");
    let mut plan = sample();
    plan["annex"] = json!({"a": 1});
    assert!(!errors(&plan).is_empty(), "an unknown table");
}

#[test]
fn unknown_enumeration_values_fail() {
    let cases = [
        ("/plan/command", json!("USSPACECOM")),
        ("/plan/tech_list", json!("2030")),
        ("/plan/marking_profile", json!("nato")),
        ("/country/0/objective/0/kind", json!("rd")),
        ("/country/0/objective/0/tech_areas", json!(["quantum"])),
        ("/country/0/agreement/0/kind", json!("treaty")),
        ("/priority/0/nf_exception", json!("NATO")),
    ];
    for (pointer, value) in cases {
        assert!(
            !with(pointer, value.clone()).is_empty(),
            "{pointer} = {value} should fail the schema"
        );
    }
}
