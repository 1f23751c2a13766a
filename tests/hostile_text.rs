//! Plan text is never sent raw to a terminal: a plan (and its file name) holding an OSC 52
//! clipboard escape, CSI sequences, NUL, a C1 control and a bidirectional override, in values,
//! keys and raw source lines, gives human `check` output with a visible stand-in for each.

use std::path::Path;

use assert_cmd::Command;

/// Values and keys written with TOML escapes: they reach messages and items decoded. `RLO`
/// stands for a raw U+202E (which a Rust literal may not hold).
const ESCAPED: &str = r#"[plan]
format = 1
id = "X\u001b]52;c;aGk=\u0007"
title = "T RLO reversed"
command = "EVIL\u0000\u202e\u001b[31m"
version = "1"
effective = 2026-10-01
marking = "UNCLASSIFIED\u009b2J"
"\u001b[2Jkey\u202e" = 1
"rawRLOkey" = 2

[[priority]]
id = "SP\u0000-1"
title = "\u001b]52;c;aGk=\u0007"
"#;

/// Raw control characters in the file itself: a syntax error whose source line is shown.
const RAW: &str = "[plan]\ntitle = \"a\u{1b}]52;c;aGk=\u{7}\u{1b}[31mred\u{0} \u{9b} \u{202e}\"\n";

fn check_human(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let out = Command::cargo_bin("scplan")
        .unwrap()
        .env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).unwrap()
}

fn assert_nothing_raw(out: &str) {
    for c in ['\u{1b}', '\u{0}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!out.contains(c), "raw U+{:04X} in:\n{out}", c as u32);
    }
    let raw = |c: char| c != '\n' && scplan::text::needs_escape(c);
    assert!(!out.chars().any(raw), "{out}");
}

#[test]
fn escaped_values_and_keys_are_shown_with_stand_ins() {
    let dir = tempfile::tempdir().unwrap();
    let text = ESCAPED.replace("RLO", "\u{202e}");
    let out = check_human(dir.path(), "evil\u{1b}[31m.toml", &text);
    assert_nothing_raw(&out);
    for visible in [
        "evil␛[31m.toml",                // the path
        "EVIL␀<U+202E>␛[31m",            // a value quoted in a message
        "UNCLASSIFIED<U+009B>2J",        // a C1 control
        "unknown key `␛[2Jkey<U+202E>`", // a key
        "raw<U+202E>key",                // a raw bidirectional override in a source line
        "[SP␀-1]",                       // an item
        "add \"SP␀-1\"",                 // help
    ] {
        assert!(out.contains(visible), "no `{visible}` in:\n{out}");
    }
}

#[test]
fn raw_control_characters_in_source_lines_are_shown_with_stand_ins() {
    let dir = tempfile::tempdir().unwrap();
    let out = check_human(dir.path(), "raw.toml", RAW);
    assert_nothing_raw(&out);
    assert!(
        out.contains("title = \"a␛]52;c;aGk=␇␛[31mred␀ <U+009B> <U+202E>\""),
        "{out}"
    );
}
