//! `scplan check` of many files in one call (checked on every core): the report and the exit
//! status are those of checking the files one after the other, for a mix of clean plans,
//! plans with findings, files that do not parse and files that cannot be read, and the same on
//! every run; `scplan diff` of two files with the same bytes answers from the bytes.

use serde_json::Value;

mod common;

use common::{run, scplan};

/// The files of the mix: clean, with findings, not TOML, not UTF-8, missing, a folder.
fn mix() -> Vec<String> {
    let mut files: Vec<String> = [
        "plans/eucom-sample.toml",
        "tests/fixtures/rules/SCP101-fires.toml",
        "tests/fixtures/structure/SCP001-syntax.toml",
        "tests/fixtures/structure/SCP001-invalid-utf8.toml",
        "tests/fixtures/no-such-plan.toml",
        "tests/fixtures",
        "tests/fixtures/rules/SCP101-near-miss-2.toml",
    ]
    .map(String::from)
    .to_vec();
    // Enough files that the workers finish out of order.
    for i in 0..12 {
        files.push(files[i % 7].clone());
    }
    files
}

/// A run's report without its last line (the summary), and that line.
fn split_summary(out: &str) -> (&str, &str) {
    let body = out.trim_end_matches('\n');
    let cut = body.rfind('\n').map_or(0, |i| i + 1);
    (&out[..cut], &out[cut..])
}

#[test]
fn many_files_report_as_one_after_the_other() {
    let files = mix();
    let (out, _, code) = run(scplan().arg("check").args(&files));
    let mut expected = String::new();
    let mut worst = 0;
    for file in &files {
        let (one, _, one_code) = run(scplan().args(["check", file]));
        expected.push_str(split_summary(&one).0);
        worst = worst.max(one_code.unwrap());
    }
    let (body, summary) = split_summary(&out);
    assert_eq!(body, expected);
    assert!(
        summary.contains(&format!("in {} files", files.len()))
            && summary.contains("could not be read"),
        "{summary}"
    );
    assert_eq!(code, Some(worst));
    assert_eq!(code, Some(2), "unreadable files exit 2");
    // Every run gives the same bytes.
    for _ in 0..3 {
        assert_eq!(run(scplan().arg("check").args(&files)).0, out);
    }
}

#[test]
fn many_files_as_json_keep_their_order_and_counts() {
    let files = mix();
    let (out, _, code) = run(scplan().args(["check", "--format", "json"]).args(&files));
    assert_eq!(code, Some(2));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let listed: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(listed, files);
    let mut errors = 0;
    for (file, entry) in files.iter().zip(doc["files"].as_array().unwrap()) {
        let (one, _, _) = run(scplan().args(["check", "--format", "json", file]));
        let one: Value = serde_json::from_str(&one).unwrap();
        assert_eq!(&one["files"][0], entry, "{file}");
        errors += one["summary"]["errors"].as_u64().unwrap();
    }
    assert_eq!(doc["summary"]["errors"].as_u64(), Some(errors));
    // Without unreadable files, findings exit 1 and clean plans 0.
    let good = [
        "plans/eucom-sample.toml",
        "tests/fixtures/rules/SCP101-fires.toml",
    ];
    assert_eq!(run(scplan().arg("check").args(good)).2, Some(1));
    assert_eq!(run(scplan().args(["check", good[0], good[0]])).2, Some(0));
}

#[test]
fn a_diff_of_the_same_bytes_is_equal_unless_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, source, expected) in [
        ("plan", "plans/eucom-sample.toml", Some(0)),
        // The same bytes need no comparison, but a file that does not parse is refused as in
        // any diff.
        (
            "broken",
            "tests/fixtures/structure/SCP001-syntax.toml",
            Some(2),
        ),
    ] {
        let a = dir.path().join(format!("{name}-a.toml"));
        let b = dir.path().join(format!("{name}-b.toml"));
        std::fs::copy(source, &a).unwrap();
        std::fs::copy(source, &b).unwrap();
        let (out, err, code) = run(scplan().args(["diff".as_ref(), a.as_os_str(), b.as_os_str()]));
        assert_eq!((out.as_str(), code), ("", expected), "{name}: {err}");
        assert_eq!(err.is_empty(), expected == Some(0), "{name}: {err}");
    }
    // Different bytes are read as plans: the broken one is refused.
    let (_, err, code) = run(scplan().args([
        "diff",
        "plans/eucom-sample.toml",
        "tests/fixtures/structure/SCP001-syntax.toml",
    ]));
    assert_eq!(code, Some(2), "{err}");
}
