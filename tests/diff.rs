//! `scplan diff` as a process, on pairs of fixtures in tests/fixtures/diff: every later version
//! there is `base.toml` changed in one way, and each test asserts the whole JSON of the changes.

use std::path::Path;

use serde_json::{Value, json};

mod common;

use common::{keys, run, scplan};

const DIR: &str = "tests/fixtures/diff";

fn path(name: &str) -> String {
    format!("{DIR}/{name}.toml")
}

/// The JSON diff of two fixtures, checking that it exits 1 (different).
fn json_diff(old: &str, new: &str) -> Value {
    json_diff_files(Path::new(&path(old)), Path::new(&path(new)))
}

/// The JSON diff of two files, checking that it exits 1 (different).
fn json_diff_files(old: &Path, new: &Path) -> Value {
    let out = scplan()
        .args(["diff", "--format", "json"])
        .arg(old)
        .arg(new)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn text_diff(args: &[&str]) -> (String, String, Option<i32>) {
    run(scplan().arg("diff").args(args))
}

/// One change as the JSON has it.
fn c(
    change: &str,
    entity: &str,
    key: &str,
    country: Option<&str>,
    field: Option<&str>,
    old: Value,
    new: Value,
) -> Value {
    json!({"change": change, "entity": entity, "key": key, "country": country,
           "field": field, "old": old, "new": new})
}

fn findings(list: &[(&str, &str)]) -> Value {
    list.iter()
        .map(|(code, item)| json!({"code": code, "item": item}))
        .collect()
}

fn assert_changes(doc: &Value, expected: Vec<Value>) {
    let actual = doc["changes"].as_array().expect("changes");
    for (i, (a, e)) in actual.iter().zip(&expected).enumerate() {
        assert_eq!(a, e, "change {i}");
    }
    assert_eq!(actual.len(), expected.len(), "{actual:#?}");
}

#[test]
fn the_json_has_exactly_the_specified_shape() {
    let doc = json_diff("base", "fields");
    assert_eq!(
        keys(&doc),
        ["version", "old", "new", "changes", "diagnostics"]
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["old"], path("base"));
    assert_eq!(doc["new"], path("fields"));
    assert_eq!(
        keys(&doc["changes"][0]),
        ["change", "entity", "key", "country", "field", "old", "new"]
    );
    assert_eq!(keys(&doc["diagnostics"]), ["introduced", "resolved"]);
}

#[test]
fn fields_set_changed_and_removed() {
    let doc = json_diff("base", "fields");
    assert_changes(
        &doc,
        vec![
            c(
                "changed",
                "plan",
                "plan",
                None,
                Some("version"),
                json!("1.0"),
                json!("1.1"),
            ),
            c(
                "changed",
                "plan",
                "plan",
                None,
                Some("prepared_by"),
                json!(null),
                json!("J5 (fictional)"),
            ),
            c(
                "changed",
                "priority",
                "SP-1",
                None,
                Some("description"),
                json!("Fictional priority one"),
                json!(null),
            ),
            c(
                "changed",
                "indicator",
                "POL-ST-1 indicator 1",
                Some("POL"),
                Some("target"),
                json!("3"),
                json!("4"),
            ),
            c(
                "changed",
                "agreement",
                "POL-AG-1",
                Some("POL"),
                Some("last_reviewed"),
                json!("2026-02-01"),
                json!("2027-02-01"),
            ),
            c(
                "changed",
                "investment_pool",
                "POL-IP-1",
                Some("POL"),
                Some("us_share"),
                json!(50),
                json!(40),
            ),
            c(
                "changed",
                "barrier",
                "POL barrier 1",
                Some("POL"),
                Some("mitigation"),
                json!("Pre-cleared technology lists (fictional)"),
                json!("Pre-cleared lists and a joint licensing cell (fictional)"),
            ),
            c(
                "changed",
                "country",
                "DEU",
                Some("DEU"),
                Some("summary"),
                json!(null),
                json!("Second fictional section"),
            ),
            c(
                "changed",
                "waiver",
                "SCP302 DEU-AG-1",
                None,
                Some("approved_by"),
                json!(null),
                json!("J5 (fictional)"),
            ),
        ],
    );
    assert_eq!(
        doc["diagnostics"],
        json!({"introduced": [], "resolved": []})
    );
}

#[test]
fn items_added_and_removed_with_what_they_hold() {
    let doc = json_diff("base", "items");
    assert_changes(
        &doc,
        vec![
            c(
                "added",
                "priority",
                "SP-4",
                None,
                None,
                json!(null),
                json!({"id": "SP-4", "title": "Strengthen space resilience (fictional)", "source": "NDS 2026"}),
            ),
            c(
                "removed",
                "country",
                "DEU",
                Some("DEU"),
                None,
                json!({"code": "DEU", "name": "Germany"}),
                json!(null),
            ),
            c(
                "removed",
                "objective",
                "DEU-ST-1",
                Some("DEU"),
                None,
                json!({"id": "DEU-ST-1", "kind": "st", "text": "Supply-chain logistics research (fictional)",
                     "priorities": ["SP-3"], "tech_areas": ["contested-logistics"], "governance": ["DEU-AG-1"],
                     "target_date": "2029-09-30"}),
                json!(null),
            ),
            c(
                "removed",
                "indicator",
                "DEU-ST-1 indicator 1",
                Some("DEU"),
                None,
                json!({"name": "Prototypes demonstrated", "baseline": "0", "target": "2"}),
                json!(null),
            ),
            c(
                "removed",
                "agreement",
                "DEU-AG-1",
                Some("DEU"),
                None,
                json!({"id": "DEU-AG-1", "kind": "mou", "title": "Logistics research MOU (fictional)",
                     "signed": "2020-05-01", "expires": "2030-05-01", "last_reviewed": "2026-03-01"}),
                json!(null),
            ),
            c(
                "added",
                "indicator",
                "POL-ST-1 indicator 2",
                Some("POL"),
                None,
                json!(null),
                json!({"name": "Researchers exchanged", "baseline": "2", "target": "10"}),
            ),
            c(
                "added",
                "actor",
                "POL-AC-2",
                Some("POL"),
                None,
                json!(null),
                json!({"id": "POL-AC-2", "name": "Fictional technical university", "kind": "university",
                     "last_reviewed": "2026-05-01"}),
            ),
            c(
                "removed",
                "investment_pool",
                "POL-IP-1",
                Some("POL"),
                None,
                json!({"id": "POL-IP-1", "name": "Fictional early-stage AI pool", "tech_areas": ["applied-ai"],
                     "us_share": 50, "ip_terms": "Background IP stays with its owner (fictional)"}),
                json!(null),
            ),
            c(
                "removed",
                "barrier",
                "POL barrier 1",
                Some("POL"),
                None,
                json!({"kind": "export-control", "text": "Licensing delays (fictional)",
                     "mitigation": "Pre-cleared technology lists (fictional)"}),
                json!(null),
            ),
            c(
                "added",
                "country",
                "EST",
                Some("EST"),
                None,
                json!(null),
                json!({"code": "EST", "name": "Estonia"}),
            ),
            c(
                "added",
                "objective",
                "EST-ST-1",
                Some("EST"),
                None,
                json!(null),
                json!({"id": "EST-ST-1", "kind": "st", "text": "Resilient space data links (fictional)",
                     "priorities": ["SP-3", "SP-4"], "tech_areas": ["quantum-battlefield-information-dominance"],
                     "governance": ["EST-AG-1"], "target_date": "2030-09-30"}),
            ),
            c(
                "added",
                "indicator",
                "EST-ST-1 indicator 1",
                Some("EST"),
                None,
                json!(null),
                json!({"name": "Links demonstrated", "baseline": "0", "target": "1"}),
            ),
            c(
                "added",
                "agreement",
                "EST-AG-1",
                Some("EST"),
                None,
                json!(null),
                json!({"id": "EST-AG-1", "kind": "information-exchange", "title": "Space data exchange (fictional)",
                     "signed": "2025-01-15", "expires": "2030-05-01", "last_reviewed": "2026-06-01"}),
            ),
            c(
                "removed",
                "waiver",
                "SCP302 DEU-AG-1",
                None,
                None,
                json!({"rule": "SCP302", "item": "DEU-AG-1", "reason": "Fictional: renewal under negotiation"}),
                json!(null),
            ),
            c(
                "added",
                "waiver",
                "SCP302 EST-AG-1",
                None,
                None,
                json!(null),
                json!({"rule": "SCP302", "item": "EST-AG-1", "reason": "Fictional: extension signed, text in staffing"}),
            ),
        ],
    );
    assert_eq!(
        doc["diagnostics"]["introduced"],
        findings(&[("SCP302", "EST-AG-1")])
    );
    assert_eq!(
        doc["diagnostics"]["resolved"],
        findings(&[("SCP302", "DEU-AG-1")])
    );
}

#[test]
fn links_added_and_removed() {
    let doc = json_diff("base", "links");
    assert_changes(
        &doc,
        vec![
            c(
                "changed",
                "objective",
                "POL-ST-1",
                Some("POL"),
                Some("priorities"),
                json!(["SP-1", "SP-2"]),
                json!(["SP-1", "SP-3"]),
            ),
            c(
                "changed",
                "objective",
                "POL-ST-1",
                Some("POL"),
                Some("tech_areas"),
                json!(["applied-ai"]),
                json!(["applied-ai", "contested-logistics"]),
            ),
            c(
                "changed",
                "objective",
                "POL-ST-1",
                Some("POL"),
                Some("governance"),
                json!(["POL-AG-1"]),
                json!(["POL-AG-1", "POL-AC-1"]),
            ),
            c(
                "changed",
                "objective",
                "POL-SC-1",
                Some("POL"),
                Some("priorities"),
                json!(null),
                json!(["SP-2"]),
            ),
        ],
    );
    assert_eq!(
        doc["diagnostics"]["introduced"],
        findings(&[("SCP104", "SP-2")])
    );
    let (out, _, code) = text_diff(&[&path("base"), &path("links")]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains(
            "changed    objective POL-ST-1: priorities: added \"SP-3\"; removed \"SP-2\"\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("changed    objective POL-SC-1: priorities: added \"SP-2\"\n"),
        "{out}"
    );
}

#[test]
fn markings_raised_and_lowered() {
    let raised = vec![
        c(
            "changed",
            "plan",
            "plan",
            None,
            Some("marking"),
            json!("UNCLASSIFIED"),
            json!("CUI"),
        ),
        c(
            "changed",
            "plan",
            "plan",
            None,
            Some("cui.controlled_by"),
            json!(null),
            json!("USEUCOM J5 (fictional)"),
        ),
        c(
            "changed",
            "plan",
            "plan",
            None,
            Some("cui.categories"),
            json!(null),
            json!(["EXPT"]),
        ),
        c(
            "changed",
            "plan",
            "plan",
            None,
            Some("cui.poc"),
            json!(null),
            json!("J5 S&T cell (fictional)"),
        ),
        c(
            "changed",
            "priority",
            "SP-2",
            None,
            Some("marking"),
            json!(null),
            json!("CUI"),
        ),
        c(
            "changed",
            "priority",
            "SP-2",
            None,
            Some("marking_justification"),
            json!(null),
            json!("Fictional: export-controlled detail"),
        ),
        c(
            "changed",
            "country",
            "POL",
            Some("POL"),
            Some("marking"),
            json!(null),
            json!("U"),
        ),
        c(
            "changed",
            "agreement",
            "POL-AG-1",
            Some("POL"),
            Some("marking"),
            json!(null),
            json!("CUI//REL TO USA, POL"),
        ),
        c(
            "changed",
            "agreement",
            "POL-AG-1",
            Some("POL"),
            Some("marking_justification"),
            json!(null),
            json!("Fictional: export-controlled detail"),
        ),
    ];
    let lowered: Vec<Value> = raised
        .iter()
        .map(|change| {
            let mut change = change.clone();
            let old = change["old"].take();
            change["old"] = change["new"].take();
            change["new"] = old;
            change
        })
        .collect();
    assert_changes(&json_diff("base", "markings"), raised);
    assert_changes(&json_diff("markings", "base"), lowered);

    let (up, _, _) = text_diff(&[&path("base"), &path("markings")]);
    assert!(
        up.contains("raised     plan: marking: \"UNCLASSIFIED\" -> \"CUI\"\n"),
        "{up}"
    );
    assert!(
        up.contains("raised     priority SP-2: marking: (absent) -> \"CUI\"\n"),
        "{up}"
    );
    assert!(
        up.contains("raised     agreement POL-AG-1: marking:"),
        "{up}"
    );
    // Absent means U: writing it out is a change, not a raise.
    assert!(
        up.contains("changed    country POL: marking: (absent) -> \"U\"\n"),
        "{up}"
    );
    let (down, _, _) = text_diff(&[&path("markings"), &path("base")]);
    assert!(
        down.contains("lowered    plan: marking: \"CUI\" -> \"UNCLASSIFIED\"\n"),
        "{down}"
    );
    assert!(
        down.contains("lowered    priority SP-2: marking: \"CUI\" -> (absent)\n"),
        "{down}"
    );
    let (md, _, _) = text_diff(&["--format", "md", &path("markings"), &path("base")]);
    assert!(
        md.contains("| lowered | priority SP-2 | `marking` | CUI | — |"),
        "{md}"
    );
    // The memo carries the higher of the two banners, whichever version has it.
    assert!(
        md.starts_with("**CUI**\n") && md.ends_with("\n**CUI**\n"),
        "{md}"
    );
}

#[test]
fn moves_between_countries_and_order_changes() {
    let doc = json_diff("base", "moved");
    assert_changes(
        &doc,
        vec![
            c(
                "moved",
                "priority",
                "SP-2",
                None,
                Some("position"),
                json!(2),
                json!(1),
            ),
            c(
                "moved",
                "country",
                "DEU",
                Some("DEU"),
                Some("position"),
                json!(2),
                json!(1),
            ),
            c(
                "moved",
                "objective",
                "POL-SC-1",
                Some("DEU"),
                Some("country"),
                json!("POL"),
                json!("DEU"),
            ),
        ],
    );
    assert_eq!(
        doc["diagnostics"],
        json!({"introduced": [], "resolved": []})
    );
}

#[test]
fn diagnostics_introduced_and_resolved() {
    let doc = json_diff("base", "diagnostics");
    assert_changes(
        &doc,
        vec![
            c(
                "changed",
                "actor",
                "POL-AC-1",
                Some("POL"),
                Some("last_reviewed"),
                json!("2026-02-01"),
                json!(null),
            ),
            c(
                "changed",
                "agreement",
                "DEU-AG-1",
                Some("DEU"),
                Some("expires"),
                json!("2030-05-01"),
                json!("2032-05-01"),
            ),
        ],
    );
    assert_eq!(
        doc["diagnostics"]["introduced"],
        findings(&[("SCP301", "POL-AC-1"), ("SCP503", "plan")])
    );
    assert_eq!(
        doc["diagnostics"]["resolved"],
        findings(&[("SCP302", "DEU-AG-1")])
    );
}

#[test]
fn the_same_plan_written_differently_is_equal() {
    for format in ["human", "json", "md"] {
        for (old, new) in [
            ("base", "base"),
            ("base", "reformatted"),
            ("reformatted", "base"),
        ] {
            let (out, err, code) = text_diff(&["--format", format, &path(old), &path(new)]);
            assert_eq!(code, Some(0), "{old} -> {new} ({format}): {out}{err}");
            assert!(
                out.is_empty() && err.is_empty(),
                "{old} -> {new} ({format}): {out}{err}"
            );
        }
    }
}

#[test]
fn the_markdown_annex_matches_its_golden_file() {
    let golden = format!("{DIR}/review.md");
    let (out, err, code) = text_diff(&["--format", "md", &path("base"), &path("review")]);
    assert_eq!(code, Some(1), "{err}");
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        out == expected,
        "{golden} differs from the output; if the change is intended, regenerate it with\n    cargo run -- diff --format md {} {} > {golden}\n--- output ---\n{out}",
        path("base"),
        path("review")
    );
}

#[test]
fn unreadable_or_unparseable_files_exit_2() {
    let (out, err, code) =
        text_diff(&[&path("base"), "tests/fixtures/structure/SCP001-syntax.toml"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("SCP001-syntax.toml:") && err.contains("SCP001"),
        "{err}"
    );
    let (_, err, code) = text_diff(&[&format!("{DIR}/missing.toml"), &path("base")]);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing.toml"), "{err}");
    let (_, _, code) = text_diff(&[
        "tests/fixtures/structure/SCP001-invalid-utf8.toml",
        &path("base"),
    ]);
    assert_eq!(code, Some(2));
}

#[test]
fn a_plan_above_the_system_high_is_refused() {
    for args in [
        [&path("base"), &path("secret")],
        [&path("secret"), &path("base")],
    ] {
        let (out, err, code) = text_diff(&args.map(String::as_str));
        assert_eq!(code, Some(1));
        assert!(out.is_empty(), "nothing of the plan is shown: {out}");
        assert!(
            err.contains("secret.toml:") && err.contains("system high"),
            "{err}"
        );
        assert!(!err.contains("Secure supply chains"), "{err}");
    }
    let (md, _, code) = text_diff(&[
        "--system-high",
        "S",
        "--format",
        "md",
        &path("base"),
        &path("secret"),
    ]);
    assert_eq!(code, Some(1));
    assert!(
        md.starts_with("**SECRET**\n") && md.ends_with("\n**SECRET**\n"),
        "{md}"
    );
}

#[test]
fn identical_files_are_refused_as_any_diff() {
    // Equal bytes need no comparison, but a plan above the system high or unreadable is
    // refused all the same.
    let secret = path("secret");
    let (out, err, code) = text_diff(&[&secret, &secret]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty(), "nothing of the plan is shown: {out}");
    assert!(
        err.contains("secret.toml:") && err.contains("system high"),
        "{err}"
    );
    assert!(!err.contains("Secure supply chains"), "{err}");
    let (out, err, code) = text_diff(&["--system-high", "S", &secret, &secret]);
    assert_eq!((code, out.as_str(), err.as_str()), (Some(0), "", ""));
    for broken in [
        "tests/fixtures/structure/SCP001-syntax.toml",
        "tests/fixtures/structure/SCP001-invalid-utf8.toml",
    ] {
        let (out, err, code) = text_diff(&["--format", "json", broken, broken]);
        assert_eq!(code, Some(2), "{broken}: {err}");
        assert!(out.is_empty(), "{broken}: {out}");
        assert!(err.contains("SCP001"), "{broken}: {err}");
    }
}

#[test]
fn stamps_written_read_as_links_reviewed() {
    let doc = json_diff("base", "stamped");
    let reviewed = |key: &str, p: &str, stamp: &str| {
        c(
            "reviewed",
            "objective",
            key,
            Some(if key.starts_with("POL") { "POL" } else { "DEU" }),
            Some(&format!("reviewed_links.{p}")),
            json!(null),
            json!(stamp),
        )
    };
    assert_changes(
        &doc,
        vec![
            reviewed("POL-ST-1", "SP-1", "1ea7da68"),
            reviewed("POL-ST-1", "SP-2", "b0fcee4e"),
            reviewed("DEU-ST-1", "SP-3", "01bd2877"),
        ],
    );
    let (out, _, code) = text_diff(&[&path("base"), &path("stamped")]);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with("reviewed   objective POL-ST-1: link SP-1 reviewed\n"),
        "{out}"
    );
    assert!(out.contains("3 changes (0 added, 0 removed, 0 changed, 0 moved, 3 reviewed)"));
    // Stamps removed are no review: the stamp goes to nothing.
    let (out, _, _) = text_diff(&[&path("stamped"), &path("base")]);
    assert!(
        out.contains("changed    objective DEU-ST-1: link SP-3 stamp removed\n"),
        "{out}"
    );
}

#[test]
fn a_priority_change_lists_the_links_it_makes_suspect() {
    let doc = json_diff("stamped", "reworded");
    assert_changes(
        &doc,
        vec![
            c(
                "changed",
                "priority",
                "SP-1",
                None,
                Some("title"),
                json!("Deter aggression (fictional)"),
                json!("Deter and deny aggression (fictional)"),
            ),
            c(
                "changed",
                "priority",
                "SP-3",
                None,
                Some("description"),
                json!(null),
                json!("Fictional priority three"),
            ),
            // Its stamp is SP-1's old one: the link waits for review.
            c(
                "suspect",
                "objective",
                "POL-ST-1",
                Some("POL"),
                Some("reviewed_links.SP-1"),
                json!("1ea7da68"),
                json!("99d35bf9"),
            ),
            // Confirmed in the same version: reviewed, not suspect.
            c(
                "reviewed",
                "objective",
                "DEU-ST-1",
                Some("DEU"),
                Some("reviewed_links.SP-3"),
                json!("01bd2877"),
                json!("e28fca3b"),
            ),
        ],
    );
    assert_eq!(
        doc["diagnostics"]["introduced"],
        findings(&[("SCP109", "POL-ST-1")])
    );
    let (out, _, _) = text_diff(&[&path("stamped"), &path("reworded")]);
    assert!(
        out.contains(
            "suspect    objective POL-ST-1: link SP-1 is suspect: SP-1 changed since the link was reviewed\n"
        ),
        "{out}"
    );
    assert!(out.contains("; 1 link made suspect;"), "{out}");
    let (md, _, _) = text_diff(&["--format", "md", &path("stamped"), &path("reworded")]);
    assert!(
        md.contains("| link SP-3 reviewed | objective DEU-ST-1 | `reviewed_links.SP-3` | 01bd2877 | e28fca3b |"),
        "{md}"
    );
}

/// The JSON diff of two texts written to a temporary folder.
fn json_diff_texts(old: &str, new: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("old.toml"), dir.path().join("new.toml"));
    std::fs::write(&a, old).unwrap();
    std::fs::write(&b, new).unwrap();
    json_diff_files(&a, &b)
}

#[test]
fn keys_scplan_does_not_read_and_values_of_the_wrong_type_are_changes_too() {
    let base = std::fs::read_to_string(path("base")).unwrap();
    let with =
        |notes: &str| base.replacen("[plan]\n", &format!("[plan]\nnotes = \"{notes}\"\n"), 1);
    let doc = json_diff_texts(&with("alpha"), &with("beta"));
    assert_changes(
        &doc,
        vec![c(
            "changed",
            "plan",
            "plan",
            None,
            Some("notes"),
            json!("alpha"),
            json!("beta"),
        )],
    );
    let stamps = |n: u32| {
        base.replacen(
            "id = \"POL-ST-1\"\n",
            &format!("id = \"POL-ST-1\"\n  reviewed_links = {n}\n"),
            1,
        )
    };
    let doc = json_diff_texts(&stamps(5), &stamps(6));
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["field"], "reviewed_links");
    assert_eq!(
        (changes[0]["old"].clone(), changes[0]["new"].clone()),
        (json!(5), json!(6))
    );
}
