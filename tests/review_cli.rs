//! `scplan review` and `scplan stamp-links` as processes: the queue as text and JSON, links
//! confirmed by link, objective and priority (only stamp values change, and `check` is clean
//! after), adoption that keeps differing stamps, and the refusals: a usage error, an unknown
//! item, a plan locked by an editor, a plan above the system high.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod common;
use common::{keys, run, scplan};

use scplan::store::lock::LockHolder;
use scplan::store::{process, sidecar};

/// The stamp of SP-1 ("Deter aggression (fictional)", "NDS 2026").
const SP1: &str = "0989eac9";
/// The stamp of SP-2 ("Build partner capacity (fictional)", "NDS 2026").
const SP2: &str = "b0fcee4e";

/// A folder holding a copy of a rule fixture as `p.toml`, and its path.
fn copy(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    fs::copy(format!("tests/fixtures/rules/{fixture}.toml"), &path).unwrap();
    (dir, path)
}

fn review(path: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    run(scplan().arg("review").arg(path).args(args))
}

fn check_codes(path: &Path) -> Vec<String> {
    let out = scplan()
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["item"].as_str().unwrap()
            )
        })
        .collect()
}

/// The lines of the two files that differ.
fn changed(before: &str, after: &str) -> Vec<(String, String)> {
    assert_eq!(before.lines().count(), after.lines().count());
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_queue_as_text_and_json() {
    let plan = Path::new("tests/fixtures/rules/SCP109-fires.toml");
    let (out, err, code) = review(plan, &["--list"]);
    assert_eq!(code, Some(1), "{err}");
    let stamp = "c566bcd3";
    assert_eq!(
        out,
        format!(
            "SP-1 Deter all aggression (fictional) (stamp {stamp})\n  suspect    POL-ST-1 (POL): reviewed at stamp {SP1}\n1 link to review: 1 suspect, 0 unstamped\n"
        )
    );
    let (out, _, code) = review(plan, &["--list", "--format", "json"]);
    assert_eq!(code, Some(1));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        keys(&doc),
        ["version", "file", "link_review", "queue", "summary"]
    );
    assert_eq!(
        doc["queue"],
        json!([{"priority": "SP-1", "title": "Deter all aggression (fictional)", "stamp": stamp,
                "links": [{"objective": "POL-ST-1", "country": "POL", "state": "suspect",
                           "reviewed": SP1}]}])
    );
    assert_eq!(doc["summary"], json!({"suspect": 1, "unstamped": 0}));
    // link_review on: unstamped links wait too; off: they do not.
    let on = Path::new("tests/fixtures/rules/SCP110-fires.toml");
    let (out, _, code) = review(on, &["--list", "--format", "json"]);
    assert_eq!(code, Some(1));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["link_review"], true);
    assert_eq!(doc["queue"][0]["links"][0]["state"], "unstamped");
    assert_eq!(doc["queue"][0]["links"][0]["reviewed"], Value::Null);
    let off = Path::new("tests/fixtures/rules/SCP110-near-miss.toml");
    let (out, _, code) = review(off, &["--list"]);
    assert_eq!((out.as_str(), code), ("no link to review\n", Some(0)));
}

#[test]
fn confirming_one_link_changes_only_its_stamp_and_check_is_then_clean() {
    let (_dir, path) = copy("SCP109-fires");
    let before = fs::read_to_string(&path).unwrap();
    assert_eq!(check_codes(&path), ["SCP109 POL-ST-1"]);
    let (out, err, code) = review(&path, &["--confirm", "POL-ST-1:SP-1"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "confirmed POL-ST-1:SP-1 (stamp c566bcd3)\n");
    let after = fs::read_to_string(&path).unwrap();
    assert_eq!(
        changed(&before, &after),
        [(
            format!("  reviewed_links = {{ SP-1 = \"{SP1}\", SP-2 = \"{SP2}\" }}"),
            format!("  reviewed_links = {{ SP-1 = \"c566bcd3\", SP-2 = \"{SP2}\" }}")
        )]
    );
    assert!(check_codes(&path).is_empty());
    // Nothing left to confirm: nothing is written.
    let (out, err, code) = review(&path, &["--confirm", "POL-ST-1"]);
    assert_eq!((out.as_str(), code), ("", Some(0)));
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), after);
}

#[test]
fn confirming_keeps_the_order_a_stamp_table_is_written_in() {
    let (_dir, path) = copy("SCP109-fires");
    let inline = format!("  reviewed_links = {{ SP-1 = \"{SP1}\", SP-2 = \"{SP2}\" }}\n");
    let text = fs::read_to_string(&path).unwrap().replace(
        &inline,
        "  reviewed_links = { SP-2 = \"00000000\", SP-1='0989eac9' }\n",
    );
    // A second objective whose stamps are a sub-table: the stamps go through the document.
    let text = format!(
        "{text}\n  [[country.objective]]\n  id = \"POL-SC-1\"\n  kind = \"sc\"\n  text = \"t\"\n  priorities = [\"SP-1\"]\n  target_date = 2029-09-30\n  [country.objective.reviewed_links]\n  SP-1 = \"00000000\"  # old\n"
    );
    fs::write(&path, &text).unwrap();
    let (_, err, code) = review(&path, &["--confirm", "POL-ST-1:SP-2", "POL-SC-1"]);
    assert_eq!(code, Some(0), "{err}");
    let after = fs::read_to_string(&path).unwrap();
    assert_eq!(
        changed(&text, &after),
        [
            (
                "  reviewed_links = { SP-2 = \"00000000\", SP-1='0989eac9' }".to_string(),
                format!("  reviewed_links = {{ SP-2 = \"{SP2}\", SP-1='0989eac9' }}")
            ),
            (
                "  SP-1 = \"00000000\"  # old".to_string(),
                "  SP-1 = \"c566bcd3\"  # old".to_string()
            ),
        ]
    );
}

#[test]
fn confirming_by_objective_and_by_priority() {
    let (_dir, path) = copy("SCP110-fires-2");
    let (out, err, code) = review(&path, &["--confirm-all-of", "SP-2"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, format!("confirmed POL-ST-1:SP-2 (stamp {SP2})\n"));
    let (out, _, code) = review(&path, &["--confirm", "POL-ST-1", "POL-ST-1:SP-1"]);
    assert_eq!(code, Some(0));
    assert_eq!(out, format!("confirmed POL-ST-1:SP-1 (stamp {SP1})\n"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(&format!(
            "  target_date = 2029-09-30\n  reviewed_links = {{ SP-1 = \"{SP1}\", SP-2 = \"{SP2}\" }}\n"
        )),
        "{text}"
    );
    assert!(!check_codes(&path).iter().any(|c| c.starts_with("SCP110")));
}

#[test]
fn adoption_stamps_every_unstamped_link_and_keeps_differing_stamps() {
    let (_dir, path) = copy("SCP110-fires");
    let (out, err, code) = run(scplan().arg("stamp-links").arg(&path));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, format!("stamped POL-ST-1:SP-2 (stamp {SP2})\n"));
    assert!(check_codes(&path).is_empty());
    let (out, err, code) = run(scplan().arg("stamp-links").arg(&path));
    assert_eq!((out.as_str(), code), ("", Some(0)));
    assert!(err.contains("nothing was written"), "{err}");

    let (_dir, path) = copy("SCP109-fires");
    let before = fs::read_to_string(&path).unwrap();
    let (out, err, code) = run(scplan().arg("stamp-links").arg(&path));
    assert_eq!((out.as_str(), code), ("", Some(1)));
    assert!(
        err.contains(&format!(
            "POL-ST-1:SP-1 keeps its stamp {SP1}, not SP-1's current c566bcd3"
        )) && err.contains("--confirm POL-ST-1:SP-1"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        before,
        "never overwritten"
    );
}

#[test]
fn refusals_leave_the_file_alone() {
    let (dir, path) = copy("SCP109-fires");
    let before = fs::read(&path).unwrap();
    let cases: [(&[&str], i32, &str); 7] = [
        (
            &["--confirm", "POL-ST-9:SP-1"],
            1,
            "there is no objective `POL-ST-9`",
        ),
        (
            &["--confirm", "POL-ST-1:SP-9"],
            1,
            "there is no priority `SP-9`",
        ),
        (
            &["--confirm-all-of", "SP-9"],
            1,
            "there is no priority `SP-9`",
        ),
        (&["--confirm", "POL-ST-1:"], 2, "is not ID or ID:PRIORITY"),
        (&[], 2, "required"),
        (
            &["--list", "--confirm", "POL-ST-1"],
            2,
            "cannot be used with",
        ),
        (
            &["--format", "json", "--confirm", "POL-ST-1"],
            2,
            "cannot be used with",
        ),
    ];
    for (args, expected, mentions) in cases {
        let (_, err, code) = review(&path, args);
        assert_eq!(code, Some(expected), "{args:?}: {err}");
        assert!(err.contains(mentions), "{args:?}: {err}");
        assert_eq!(fs::read(&path).unwrap(), before, "{args:?}");
    }
    // An editor holds the plan: refused, as `set` refuses.
    let holder = LockHolder {
        pid: std::process::id(),
        host: process::host_name(),
        since: "2026-11-28T09:00:00Z".to_string(),
    };
    fs::write(sidecar(&path, "lock"), toml::to_string(&holder).unwrap()).unwrap();
    for args in [
        ["review", "--confirm"].as_slice(),
        ["stamp-links"].as_slice(),
    ] {
        let mut cmd = scplan();
        cmd.arg(args[0]).arg(&path);
        if args.len() > 1 {
            cmd.args([args[1], "POL-ST-1"]);
        }
        let (_, err, code) = run(&mut cmd);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("being edited by another scplan"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), before);
    }
    fs::remove_file(sidecar(&path, "lock")).unwrap();
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file left behind");
}

#[test]
fn a_plan_above_the_system_high_is_refused_and_nothing_of_it_shown() {
    let (_dir, path) = copy("SCP109-fires");
    let secret = fs::read_to_string(&path)
        .unwrap()
        .replace("marking = \"UNCLASSIFIED\"", "marking = \"SECRET\"");
    fs::write(&path, &secret).unwrap();
    for args in [
        vec!["review", "--list"],
        vec!["review", "--confirm", "POL-ST-1"],
        vec!["stamp-links"],
    ] {
        let (out, err, code) = run(scplan().arg(args[0]).arg(&path).args(&args[1..]));
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("system high"), "{err}");
        assert!(!err.contains("Deter"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), secret);
    }
}

fn export(plan: &Path, format: &str, extra: &[&str]) -> String {
    let (out, err, code) = run(scplan()
        .args(["export", "--format", format])
        .arg(plan)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", "0"));
    assert_eq!(code, Some(0), "{format}: {err}");
    out
}

#[test]
fn exports_show_each_objective_s_suspect_links() {
    let plan = Path::new("tests/fixtures/rules/SCP109-fires.toml");
    let label = "SP-1 Deter all aggression (fictional)";
    let html = export(plan, "html", &[]);
    assert!(
        html.contains(&format!(
            "<dt>Suspect links</dt><dd><a class=\"link suspect\" href=\"#id-SP-1\">{label}</a> (priority changed since the link was reviewed)</dd>"
        )),
        "{html}"
    );
    let md = export(plan, "md", &[]);
    assert!(
        md.contains(&format!(
            "  - Suspect links (priority changed since the link was reviewed): {label}\n"
        )),
        "{md}"
    );
    let csv = export(plan, "csv", &[]);
    assert!(
        csv.contains(
            "Deter all aggression (fictional) (suspect link); Build partner capacity (fictional),"
        ),
        "{csv}"
    );
    let json: Value = serde_json::from_str(&export(plan, "json", &[])).unwrap();
    let objective = &json["countries"][0]["objectives"][0];
    assert_eq!(
        objective["suspect_links"],
        json!([{"id": "SP-1", "name": "Deter all aggression (fictional)"}])
    );
    let schema: Value = serde_json::from_str(scplan::export::json::SCHEMA).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    assert!(validator.is_valid(&json));
    // A plan whose links are all reviewed shows none (and the JSON has no such key).
    let clean = Path::new("tests/fixtures/rules/SCP109-near-miss.toml");
    assert!(!export(clean, "html", &[]).contains("Suspect links"));
    let json: Value = serde_json::from_str(&export(clean, "json", &[])).unwrap();
    assert!(
        json["countries"][0]["objectives"][0]
            .get("suspect_links")
            .is_none()
    );
}

#[test]
fn a_partner_copy_shows_no_suspect_link_to_a_withheld_priority() {
    let (_dir, path) = copy("SCP109-fires");
    let text = fs::read_to_string(&path).unwrap().replacen(
        "source = \"NDS 2026\"\n",
        "source = \"NDS 2026\"\nmarking = \"CUI//NF\"\nmarking_justification = \"Fictional\"\nintel = true\n",
        1,
    );
    let text = text.replace("marking = \"UNCLASSIFIED\"", "marking = \"CUI\"\n\n[plan.cui]\ncontrolled_by = \"J5 (fictional)\"\ncategories = [\"EXPT\"]\npoc = \"J5 (fictional)\"");
    fs::write(&path, text).unwrap();
    let record = path.with_extension("record.txt");
    let record = record.to_str().unwrap();
    let partner = ["--releasable-to", "POL", "--release-record", record];
    let json: Value = serde_json::from_str(&export(&path, "json", &partner)).unwrap();
    let objective = &json["countries"][0]["objectives"][0];
    // The withheld priority's link vanishes, and with it any sign that it is suspect.
    assert!(
        objective["priorities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["id"] != "SP-1"),
        "{objective}"
    );
    assert!(objective.get("suspect_links").is_none(), "{objective}");
    let json: Value = serde_json::from_str(&export(&path, "json", &[])).unwrap();
    assert_eq!(
        json["countries"][0]["objectives"][0]["suspect_links"][0]["id"],
        "SP-1"
    );
}

#[test]
fn set_and_get_take_a_table_of_stamps() {
    let (_dir, path) = copy("SCP110-fires");
    let value = format!("{{ SP-1 = \"{SP1}\", SP-2 = \"{SP2}\" }}");
    let (_, err, code) = run(scplan()
        .arg("set")
        .arg(&path)
        .args(["objective.POL-ST-1.reviewed_links", &value]));
    assert_eq!(code, Some(0), "{err}");
    let (out, _, code) = run(scplan()
        .arg("get")
        .arg(&path)
        .arg("objective.POL-ST-1.reviewed_links"));
    assert_eq!((out, code), (format!("{value}\n"), Some(0)));
    assert!(check_codes(&path).is_empty());
    // A table whose values are not strings is refused as set's type check refuses any.
    let (_, err, code) = run(scplan()
        .arg("set")
        .arg(&path)
        .args(["objective.POL-ST-1.reviewed_links", "{ SP-1 = 1 }"]));
    assert_eq!(code, Some(1));
    assert!(err.contains("reviewed_links"), "{err}");
}

#[test]
fn a_plan_that_does_not_parse_is_exit_2_never_links_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[plan]\nid = \"X\"\npriorities = [\n").unwrap();
    for args in [&["--list"][..], &["--confirm", "POL-ST-1"]] {
        let (_, err, code) = review(&path, args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("TOML syntax error"), "{err}");
    }
    let (_, err, code) = run(scplan().arg("stamp-links").arg(&path));
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_plan_with_conflict_markers_is_said_to_hold_an_unresolved_merge_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("conflicted.toml");
    let text = fs::read_to_string("plans/eucom-sample.toml")
        .unwrap()
        .replacen(
            "version = \"1.0\"\n",
            "<<<<<<< ours\nversion = \"1.1\"\n=======\nversion = \"1.2\"\n>>>>>>> theirs\n",
            1,
        );
    fs::write(&path, text).unwrap();
    let (_, err, code) = review(&path, &["--list"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unresolved merge conflict"), "{err}");
    let (_, err, _) = run(scplan().arg("get").arg(&path).arg("plan.title"));
    assert!(err.contains("unresolved merge conflict"), "{err}");
}

#[test]
fn a_revision_given_where_a_file_is_read_says_which_commands_read_revisions() {
    let (_, err, code) = review(Path::new("v1:plans/eucom.toml"), &["--list"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("read a plan from a revision"), "{err}");
    assert!(!err.contains("scplan new"), "{err}");
}
