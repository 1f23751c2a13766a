//! `scplan check` as a process: human, JSON and SARIF reports, exit codes, system high, the
//! rule catalogue commands.

use std::fmt::Write as _;

use serde_json::Value;

mod common;

use common::{keys, scplan};

fn json_of(args: &[&str]) -> (Value, i32) {
    let out = scplan()
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    (doc, out.status.code().unwrap_or(-1))
}

#[test]
fn sample_plans_stay_clean() {
    let (doc, code) = json_of(&["plans/eucom-sample.toml", "plans/indopacom-sample.toml"]);
    assert_eq!(code, 0);
    let summary = &doc["summary"];
    assert_eq!(
        (
            summary["errors"].as_u64(),
            summary["warnings"].as_u64(),
            summary["infos"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    // Each sample carries exactly one waiver, which applies.
    assert_eq!(summary["waived"].as_u64(), Some(2));
}

#[test]
fn json_has_exactly_the_specified_shape() {
    let (doc, code) = json_of(&["tests/fixtures/rules/SCP102-fires.toml"]);
    assert_eq!(code, 1);
    assert_eq!(keys(&doc), ["version", "files", "summary"]);
    assert_eq!(doc["version"], 1);
    let file = &doc["files"][0];
    assert_eq!(file["file"], "tests/fixtures/rules/SCP102-fires.toml");
    let d = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SCP102")
        .expect("SCP102 reported");
    assert_eq!(
        keys(d),
        [
            "code", "severity", "message", "item", "line", "column", "waived"
        ]
    );
    assert_eq!(d["code"], "SCP102");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        keys(&doc["summary"]),
        ["errors", "warnings", "infos", "waived"]
    );
}

#[test]
fn an_unreadable_file_is_reported_and_the_others_checked() {
    let (doc, code) = json_of(&[
        "tests/fixtures/rules/SCP102-fires.toml",
        "no/such/plan.toml",
    ]);
    assert_eq!(code, 2);
    assert!(
        doc["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "SCP102")
    );
    assert!(
        doc["files"][1]["error"]
            .as_str()
            .is_some_and(|e| !e.is_empty())
    );
    assert_eq!(doc["files"][1]["diagnostics"], Value::Array(vec![]));
}

#[test]
fn human_output_reads_like_rustc_without_colour_when_piped() {
    let out = scplan()
        .args(["check", "tests/fixtures/rules/SCP102-fires.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("error[SCP102]: "), "{text}");
    assert!(
        text.contains("--> tests/fixtures/rules/SCP102-fires.toml:"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with('|') && l.contains('^')),
        "{text}"
    );
    assert!(text.contains("= help: "), "{text}");
    assert!(
        text.contains("summary: 1 error, 2 warnings, 0 infos in 1 file"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour when piped");
}

#[test]
fn every_diagnostic_of_a_huge_plan_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let mut text = String::from(
        "[plan]\nformat = 1\nid = \"X\"\ntitle = \"Huge (fictional)\"\ncommand = \"USEUCOM\"\nversion = \"1\"\neffective = 2026-10-01\nmarking = \"UNCLASSIFIED\"\n\n[[priority]]\nid = \"SP-1\"\ntitle = \"T\"\nsource = \"S\"\n\n[[country]]\ncode = \"POL\"\nname = \"Poland\"\n[[country.agreement]]\nid = \"POL-AG-1\"\nkind = \"mou\"\ntitle = \"T\"\nlast_reviewed = 2026-01-01\n",
    );
    let n = 2500;
    for i in 1..=n {
        // Each objective lacks an indicator (SCP401) and a target date (SCP402).
        let _ = write!(
            text,
            "[[country.objective]]\nid = \"POL-ST-{i}\"\nkind = \"st\"\ntext = \"t\"\npriorities = [\"SP-1\"]\ntech_areas = [\"applied-ai\"]\n"
        );
    }
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let (doc, code) = json_of(&[path]);
    assert_eq!(code, 0);
    let diagnostics = doc["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2 * n);
    assert_eq!(doc["summary"]["warnings"].as_u64(), Some(2 * n as u64));
    let out = scplan().args(["check", path]).output().unwrap();
    let human = String::from_utf8(out.stdout).unwrap();
    assert_eq!(human.matches("warning[SCP401]").count(), n);
    assert_eq!(human.matches("warning[SCP402]").count(), n);
    let out = scplan()
        .args(["check", "--deny-warnings", path])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "--deny-warnings fails on warnings"
    );
}

#[test]
fn sarif_is_structurally_valid_with_one_result_per_diagnostic() {
    let files = [
        "tests/fixtures/structure/many-errors.toml",
        "tests/fixtures/rules/SCP501-fires.toml",
        "plans/eucom-sample.toml",
    ];
    let (json, _) = json_of(&files);
    let out = scplan()
        .args(["check", "--format", "sarif"])
        .args(files)
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "scplan");
    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(rule_ids.len(), scplan::check::registry::RULES.len());
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string() && rule["help"]["text"].is_string());
    }
    let results = runs[0]["results"].as_array().unwrap();
    let expected: usize = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["diagnostics"].as_array().unwrap().len())
        .sum();
    assert_eq!(results.len(), expected);
    let codes: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap())
        })
        .collect();
    for (result, code) in results.iter().zip(codes) {
        assert_eq!(result["ruleId"], code);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rule_ids[index], code);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].is_string());
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["startLine"].as_u64().unwrap() >= 1
                && region["startColumn"].as_u64().unwrap() >= 1
        );
        assert!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    }
    assert!(
        results.iter().any(|r| r["suppressions"].is_array()),
        "waived results carry a suppression"
    );
}

#[test]
fn system_high_comes_from_flag_then_config_then_default() {
    let secret = "tests/fixtures/rules/SCP209-fires.toml";
    let has_209 = |doc: &Value| {
        doc["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "SCP209")
    };
    let (doc, _) = json_of(&[secret]);
    assert!(has_209(&doc), "default system high is CUI");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "system_high = \"TS\"\n").unwrap();
    let out = scplan()
        .env("SCPLAN_CONFIG", &config)
        .args(["check", "--format", "json", secret])
        .output()
        .unwrap();
    assert!(
        !has_209(&serde_json::from_slice(&out.stdout).unwrap()),
        "config raises it"
    );
    let out = scplan()
        .env("SCPLAN_CONFIG", &config)
        .args(["--system-high", "U", "check", "--format", "json", secret])
        .output()
        .unwrap();
    assert!(
        has_209(&serde_json::from_slice(&out.stdout).unwrap()),
        "the flag wins"
    );
    std::fs::write(&config, "system_high = \"SECRET\"\n").unwrap();
    let out = scplan()
        .env("SCPLAN_CONFIG", &config)
        .args(["check", secret])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("system_high") && err.contains("config.toml"),
        "{err}"
    );
    let out = scplan()
        .args(["--system-high", "SECRET", "check", secret])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_plan_above_system_high_is_shown_by_location_only() {
    let out = scplan()
        .args(["check", "tests/fixtures/rules/SCP209-fires.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("error[SCP209]"));
    assert!(text.contains("--> tests/fixtures/rules/SCP209-fires.toml:"));
    assert!(
        !text.lines().any(|l| l.contains(" | ")),
        "no source line: {text}"
    );
    assert!(!text.contains('^'));
}

#[test]
fn a_plan_above_system_high_has_none_of_its_content_in_any_report() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("secret.toml");
    let fixture = std::fs::read_to_string("tests/fixtures/rules/SCP209-fires.toml").unwrap();
    // Values the messages of other rules would quote: an unknown command, a dangling link.
    let secret = fixture
        .replacen(
            "command = \"USEUCOM\"",
            "command = \"OPERATION NIGHTFALL\"",
            1,
        )
        .replacen(
            "priorities = [\"SP-1\"",
            "priorities = [\"NIGHTFALL-LIST\"",
            1,
        );
    assert_ne!(secret, fixture);
    std::fs::write(&plan, secret).unwrap();
    for format in ["human", "json", "sarif"] {
        let out = scplan()
            .args(["check", "--format", format])
            .arg(&plan)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("SCP209"), "{format}: {text}");
        assert!(
            text.contains("SCP006") && text.contains("SCP103"),
            "{format}: {text}"
        );
        assert!(
            !text.to_uppercase().contains("NIGHTFALL"),
            "{format}: {text}"
        );
    }
}

#[test]
fn rules_and_explain() {
    let out = scplan().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), scplan::check::registry::RULES.len());
    assert!(
        text.lines()
            .any(|l| l.starts_with("SCP205") && l.contains("warning"))
    );
    let out = scplan().args(["explain", "SCP205"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("intelligence") && text.contains("How to fix"),
        "{text}"
    );
    let out = scplan().args(["explain", "SCP2O5"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("SCP205"));
}

#[test]
fn sarif_uris_are_percent_encoded_paths() {
    let dir = tempfile::tempdir().unwrap();
    let name = "my plan#1:ü.toml";
    std::fs::copy("plans/eucom-sample.toml", dir.path().join(name)).unwrap();
    let out = scplan()
        .current_dir(dir.path())
        .args(["check", "--format", "sarif", name])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "my%20plan%231%3A%C3%BC.toml"
        );
    }
}
