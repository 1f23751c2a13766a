//! `scplan check` on malformed input, each file in its own process under a timeout: the files
//! of tests/fixtures/malformed/ (syntax errors of every kind, duplicate tables, wrong types
//! everywhere, deep nesting, invalid UTF-8, binary) and huge ones made here. It never panics or
//! hangs, and every file gets at least one diagnostic with a line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// Runs `scplan check --format json` on one file; returns its diagnostics.
fn diagnostics_of(path: &Path, timeout: Duration) -> Result<Vec<Value>, String> {
    let out = Command::cargo_bin("scplan")
        .map_err(|e| e.to_string())?
        .env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .args(["check", "--format", "json"])
        .arg(path)
        .timeout(timeout)
        .output()
        .map_err(|e| format!("did not finish within {timeout:?}: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !matches!(out.status.code(), Some(0 | 1)) || stderr.contains("panicked") {
        return Err(format!("exit {:?}: {stderr}", out.status.code()));
    }
    let doc: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    Ok(doc["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}

/// Checks one file; returns what is wrong, if anything.
fn problem(path: &Path, timeout: Duration) -> Option<String> {
    match diagnostics_of(path, timeout) {
        Err(err) => Some(err),
        Ok(ds) if ds.is_empty() => Some("no diagnostic".to_string()),
        Ok(ds) if ds.iter().any(|d| d["line"].as_u64().is_none_or(|l| l < 1)) => {
            Some(format!("a diagnostic without a line: {ds:?}"))
        }
        Ok(_) => None,
    }
}

#[test]
fn every_malformed_fixture_gets_a_located_diagnostic() {
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/malformed")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "only {} malformed fixtures", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            problem(f, Duration::from_secs(20)).map(|p| format!("{}: {p}", f.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const PLAN: &str = "[plan]\nformat = 1\nid = \"X\"\ntitle = \"T\"\ncommand = \"USEUCOM\"\nversion = \"1\"\neffective = 2026-10-01\nmarking = \"UNCLASSIFIED\"\n";

#[test]
fn huge_inputs_finish_with_diagnostics() {
    let big = |c: &str, n: usize| c.repeat(n);
    let cases = [
        (
            "huge-string",
            format!("{PLAN}prepared_by = \"{}\"\n", big("x", 8_000_000)),
        ),
        (
            "huge-unterminated-string",
            format!("{PLAN}prepared_by = \"{}\n", big("x", 8_000_000)),
        ),
        (
            "huge-key",
            format!("{PLAN}\"{}\" = 1\n", big("k", 4_000_000)),
        ),
        (
            "huge-enumeration-value",
            PLAN.replace("USEUCOM", &big("U", 4_000_000)),
        ),
        (
            "huge-marking",
            PLAN.replace("UNCLASSIFIED", &big("S/", 2_000_000)),
        ),
        (
            "huge-array",
            format!("{PLAN}deep = [{}]\n", big("1,", 500_000)),
        ),
        (
            "many-tables",
            format!(
                "{PLAN}{}",
                (0..5_000)
                    .map(|i| format!("\n[[priority]]\nid = \"SP-{i}\"\n"))
                    .collect::<String>()
            ),
        ),
        (
            "huge-link",
            format!(
                "{PLAN}\n[[country]]\ncode = \"POL\"\n\n[[country.objective]]\nid = \"O\"\nkind = \"st\"\ntext = \"t\"\npriorities = [\"{}\"]\n",
                big("SP-", 1_000_000)
            ),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, text)| {
            let path = dir.path().join(format!("{name}.toml"));
            std::fs::write(&path, text).unwrap();
            problem(&path, Duration::from_secs(60)).map(|p| format!("{name}: {p}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
