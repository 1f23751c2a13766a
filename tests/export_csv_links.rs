//! `scplan export --format csv-links`: one row per objective-priority link under a header on
//! row 1, the banner and the stamp in columns of every row, inert cells, and the gate, draft
//! and partner-copy rules of every format.

use std::fs;

use assert_cmd::Command;
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/export/plan.toml";
const HOSTILE: &str = "tests/fixtures/export/hostile.toml";
const WITH_ERRORS: &str = "tests/fixtures/rules/SCP102-fires.toml";
const DRAFT: &str = "DRAFT - NOT VALIDATED";

fn export(args: &[&str]) -> std::process::Output {
    let mut cmd = Command::cargo_bin("scplan").unwrap();
    cmd.env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .arg("export")
        .args(args)
        .output()
        .unwrap()
}

/// The records of a csv-links export, header first; the byte-order mark and CRLF checked.
fn records(args: &[&str]) -> Vec<Vec<String>> {
    let out = export(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body = out
        .stdout
        .strip_prefix("\u{feff}".as_bytes())
        .expect("a byte-order mark");
    assert!(body.ends_with(b"\r\n"), "RFC 4180 lines end in CRLF");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

/// The objective-priority links of a JSON export: `(objective, priority)`.
fn json_links(args: &[&str]) -> Vec<(String, String)> {
    let out = export(&[args, &["--format", "json"]].concat());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut links = Vec::new();
    for c in doc["countries"].as_array().unwrap() {
        for o in c["objectives"].as_array().unwrap() {
            for l in o["priorities"].as_array().unwrap() {
                links.push((
                    o["id"].as_str().unwrap().to_string(),
                    l["id"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    links
}

#[test]
fn one_row_per_link_under_the_header_each_marked_and_stamped() {
    let rows = records(&[FIXTURE, "--format", "csv-links"]);
    let header = &rows[0];
    assert_eq!(
        header,
        &scplan::export::csv::LINKS_HEADER.map(str::to_string)
    );
    for name in [
        "objective_id",
        "country_code",
        "priority_id",
        "marking",
        "stamp",
    ] {
        assert!(header.contains(&name.to_string()), "{name}");
    }
    let (objective, priority) = (
        column(header, "objective_id"),
        column(header, "priority_id"),
    );
    let got: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[objective].clone(), r[priority].clone()))
        .collect();
    let expected = json_links(&[FIXTURE]);
    assert!(expected.len() >= 6, "{expected:?}");
    assert_eq!(got, expected);
    let (marking, stamp) = (column(header, "marking"), column(header, "stamp"));
    let sha = scplan::export::stamp::sha256_hex(&fs::read(FIXTURE).unwrap());
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len());
        assert_eq!(row[marking], "CUI//SP-EXPT//NOFORN");
        assert!(
            row[stamp].starts_with("status: validated: no unwaived error; "),
            "{}",
            row[stamp]
        );
        assert!(row[stamp].contains(&format!("plan SHA-256: {sha}")));
        assert!(row[column(header, "designation")].contains("Controlled By: Fictional Command J5"));
    }
    let pol = rows.iter().find(|r| r[objective] == "POL-ST-1").unwrap();
    assert_eq!(pol[column(header, "country_code")], "POL");
    assert_eq!(
        pol[column(header, "priority_title")],
        "Alpha priority open to all partners"
    );
}

#[test]
fn cells_never_run_as_formulas() {
    let rows = records(&[HOSTILE, "--format", "csv-links"]);
    let header = &rows[0];
    let title = column(header, "priority_title");
    let sp1 = rows
        .iter()
        .find(|r| r[column(header, "priority_id")] == "SP-1")
        .unwrap();
    assert!(sp1[title].starts_with("'@SUM(1+1)"), "{}", sp1[title]);
    assert!(
        rows.iter()
            .any(|r| r[column(header, "priority_id")] == "SP-<b>2</b>")
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} would run as a formula"
            );
        }
    }
}

#[test]
fn a_partner_copy_has_only_released_links_and_says_so_on_every_row() {
    let args = [FIXTURE, "--format", "csv-links", "--releasable-to", "POL"];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pol.links.csv");
    let out = out.to_str().unwrap();
    let written = export(&[&args[..], &["-o", out]].concat());
    assert_eq!(written.status.code(), Some(0));
    assert!(dir.path().join("pol.links.csv.release-record.txt").exists());
    let text = String::from_utf8(fs::read(out).unwrap()).unwrap();
    for withheld in ["SP-3", "POL-ST-2", "GBR", "NOFORN"] {
        assert!(
            !text.contains(withheld),
            "the partner copy names {withheld}"
        );
    }
    let rows = records(&[&args[..], &["--release-record", &format!("{out}.2")]].concat());
    let marking = column(&rows[0], "marking");
    let record = format!("{out}.3");
    let expected = json_links(&[
        FIXTURE,
        "--releasable-to",
        "POL",
        "--release-record",
        &record,
    ]);
    assert_eq!(rows.len(), expected.len() + 1);
    for row in &rows[1..] {
        assert_eq!(row[marking], "CUI//SP-EXPT//REL TO USA, POL");
        assert!(
            row[column(&rows[0], "stamp")]
                .ends_with("releasable to: POL; release: Prepared for release to Poland (POL)")
        );
    }
}

#[test]
fn the_gate_holds_and_a_draft_is_marked_on_its_one_row() {
    let refused = export(&[WITH_ERRORS, "--format", "csv-links"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(refused.stdout.is_empty());
    // The draft's plan has no link: one row still carries the marking and the stamp.
    let rows = records(&[WITH_ERRORS, "--format", "csv-links", "--draft"]);
    assert_eq!(rows.len(), 2);
    let row = &rows[1];
    assert_eq!(row[column(&rows[0], "marking")], "UNCLASSIFIED");
    assert!(row[column(&rows[0], "stamp")].starts_with(&format!("status: {DRAFT}; ")));
    assert_eq!(row[column(&rows[0], "objective_id")], "");
}

#[test]
fn the_format_is_listed_in_help() {
    let mut cmd = Command::cargo_bin("scplan").unwrap();
    let out = cmd.args(["export", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("csv-links"), "{help}");
}
