//! Helpers shared by the process tests; each test file uses the ones it needs.
#![allow(dead_code)]

pub mod faulty;
pub mod git;
pub mod merging;

use assert_cmd::Command;
use serde_json::Value;

/// `scplan` as a child process that never reads the developer's own config file and whose
/// colour is not switched off by the developer's environment.
pub fn scplan() -> Command {
    let mut cmd = Command::cargo_bin("scplan").expect("the scplan binary is built");
    cmd.env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .env_remove("NO_COLOR");
    cmd
}

/// `text` with the lines numbered in `lines` (from 0) ending in CRLF and the rest in LF, as
/// a file edited on two systems is.
pub fn with_crlf_lines(text: &str, lines: std::ops::Range<usize>) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, line)| match lines.contains(&i) {
            true => line.replace('\n', "\r\n"),
            false => line.to_string(),
        })
        .collect()
}

/// The round-trip fixtures, plans written in unusual ways (CRLF, a byte-order mark, no final
/// newline, comments everywhere, dotted keys and inline tables, odd spacing), as bytes.
pub fn roundtrip_plans() -> Vec<Vec<u8>> {
    [
        "crlf.toml",
        "bom.toml",
        "no-final-newline.toml",
        "comments-everywhere.toml",
        "bom-crlf-no-newline.toml",
        "dotted-and-inline.toml",
        "unusual-spacing.toml",
    ]
    .iter()
    .map(|name| std::fs::read(format!("tests/fixtures/roundtrip/{name}")).unwrap())
    .collect()
}

/// Runs a command: stdout, stderr (both lossily decoded) and the exit code.
pub fn run(cmd: &mut Command) -> (String, String, Option<i32>) {
    let out = cmd.output().expect("scplan runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// The keys of a JSON object, in order (empty for anything else).
pub fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .map(|object| object.keys().map(String::as_str).collect())
        .unwrap_or_default()
}
