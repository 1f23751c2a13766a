//! Hostile files: empty, not UTF-8, random bytes, pathological nesting. Each is run through the
//! real binary as a child process with a deadline: `check` must answer with diagnostics that
//! have a location (exit 0 or 1), never panic, overflow its stack or hang; `get`, `set` and
//! opening the file must refuse cleanly and leave the file as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// Generous for a debug build; a hang is what it catches.
const DEADLINE: Duration = Duration::from_secs(30);

fn scplan(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scplan"));
    cmd.env_remove("SCPLAN_CONFIG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("NO_COLOR", "1")
        .env("SCPLAN_TODAY", "2026-11-28")
        .timeout(DEADLINE);
    cmd
}

/// Runs the child and checks that it finished by itself, in time, without a panic.
fn run(cmd: &mut Command, what: &str) -> Output {
    let start = Instant::now();
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code().is_some(),
        "{what}: killed ({:?} after {:?}; the deadline is {DEADLINE:?})\n{stderr}",
        out.status,
        start.elapsed()
    );
    for sign in ["panicked", "overflowed", "RUST_BACKTRACE"] {
        assert!(!stderr.contains(sign), "{what}: {sign}\n{stderr}");
    }
    out
}

struct Hostile {
    dir: TempDir,
}

impl Hostile {
    fn new() -> Self {
        Hostile {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    /// `check --format json` on the file: exit 0 or 1, and the file's diagnostics, each with a
    /// line and a column. Also runs the human format, `get`, `set` and opening the file.
    fn check(&self, name: &str, bytes: &[u8]) -> Vec<(String, u64, u64)> {
        let path = self.file(name, bytes);
        let home = self.dir.path();
        let out = run(
            scplan(home).args(["check", "--format", "json"]).arg(&path),
            name,
        );
        let code = out.status.code().unwrap();
        assert!(code == 0 || code == 1, "{name}: exit {code}");
        let report: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        let file = &report["files"][0];
        assert!(file.get("error").is_none(), "{name}: {file}");
        let diagnostics: Vec<(String, u64, u64)> = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                )
            })
            .collect();
        assert!(!diagnostics.is_empty(), "{name}: no diagnostic");
        for (code, line, column) in &diagnostics {
            assert!(
                *line >= 1 && *column >= 1,
                "{name}: {code} at {line}:{column}"
            );
        }
        let errors = report["summary"]["errors"].as_u64().unwrap();
        assert_eq!(
            code == 1,
            errors > 0,
            "{name}: exit {code} with {errors} errors"
        );

        // The human report of the same file.
        let human = run(scplan(home).arg("check").arg(&path), name);
        assert_eq!(human.status.code(), Some(code), "{name}: human check");

        // The headless editing commands refuse or work, but never panic or hang; a file that
        // does not parse is never written.
        let parses = !diagnostics.iter().any(|(c, _, _)| c == "SCP001");
        let get = run(
            scplan(home).arg("get").arg(&path).arg("plan.id"),
            &format!("get {name}"),
        );
        assert!(matches!(get.status.code(), Some(0..=2)), "get {name}");
        let set = run(
            scplan(home)
                .arg("set")
                .arg(&path)
                .args(["plan.id", "\"X\""]),
            &format!("set {name}"),
        );
        assert!(matches!(set.status.code(), Some(0..=2)), "set {name}");
        if !parses {
            assert_ne!(set.status.code(), Some(0), "set {name}");
            assert!(
                fs::read(&path).unwrap() == bytes,
                "set {name}: file changed"
            );
        }
        let open = run(scplan(home).arg(&path), &format!("open {name}"));
        assert!(matches!(open.status.code(), Some(1 | 2)), "open {name}");
        diagnostics
    }
}

/// Where the first byte that is not UTF-8 is, as PLAN-FORMAT.md locates it: 1-based line, and
/// column in characters, a byte-order mark not counted.
fn first_bad_byte(bytes: &[u8]) -> (u64, u64) {
    let valid = std::str::from_utf8(bytes).unwrap_err().valid_up_to();
    let prefix = std::str::from_utf8(&bytes[..valid]).unwrap();
    let prefix = prefix.strip_prefix('\u{feff}').unwrap_or(prefix);
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u64, column as u64)
}

/// A fixed-seed generator (xorshift64*), so that the "random" files are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn codes(diagnostics: &[(String, u64, u64)]) -> Vec<&str> {
    diagnostics.iter().map(|(c, _, _)| c.as_str()).collect()
}

#[test]
fn empty_files_get_a_missing_plan_at_1_1() {
    let h = Hostile::new();
    for (name, bytes) in [
        ("empty.toml", &b""[..]),
        ("bom-only.toml", "\u{feff}".as_bytes()),
        ("blank-lines.toml", b"\r\n\n   \n\t\n"),
        ("comment-only.toml", b"# nothing here\n"),
    ] {
        let diagnostics = h.check(name, bytes);
        assert!(
            diagnostics.contains(&("SCP002".to_string(), 1, 1)),
            "{name}: {diagnostics:?}"
        );
    }
}

/// PLAN-FORMAT.md: a missing `[[priority]]` is SCP106 at 1:1 when there is no `[plan]`.
#[test]
fn an_empty_file_also_has_no_priority() {
    let h = Hostile::new();
    let mut diagnostics = h.check("empty.toml", b"");
    diagnostics.sort();
    assert_eq!(
        diagnostics,
        [("SCP002".to_string(), 1, 1), ("SCP106".to_string(), 1, 1)]
    );
}

#[test]
fn invalid_utf8_is_one_scp001_at_the_first_bad_byte() {
    let h = Hostile::new();
    let cases: [(&str, &[u8]); 4] = [
        ("latin1.toml", b"[plan]\nid = \"caf\xe9\"\n"),
        (
            "bom-crlf.toml",
            b"\xef\xbb\xbf[plan]\r\ntitle = \"\xc5\x81\xc3\xb3d\xc5\xba \xc3\x28\"\r\n",
        ),
        ("truncated.toml", b"[plan]\nid = \"\xe2\x82"),
        ("lone-continuation.toml", b"\x80"),
    ];
    for (name, bytes) in cases {
        let diagnostics = h.check(name, bytes);
        let (line, column) = first_bad_byte(bytes);
        assert_eq!(
            diagnostics,
            [("SCP001".to_string(), line, column)],
            "{name}"
        );
    }
    // The column counts characters, not bytes, and not the byte-order mark.
    assert_eq!(first_bad_byte(cases[1].1), (2, 15));
}

#[test]
fn random_bytes_are_one_scp001() {
    let h = Hostile::new();
    let mut rng = Rng(0x5ca1_ab1e_2026_1128);
    for i in 0..4 {
        let bytes = rng.bytes(64 * 1024);
        let name = format!("random-{i}.bin");
        let diagnostics = h.check(&name, &bytes);
        let (line, column) = first_bad_byte(&bytes);
        assert_eq!(
            diagnostics,
            [("SCP001".to_string(), line, column)],
            "{name}"
        );
    }
}

#[test]
fn random_toml_like_text_is_diagnosed() {
    let h = Hostile::new();
    let alphabet: Vec<char> = "[]{}=\"'#.,:-_ \t\n\rabcxyz0123456789é\u{0}\u{7f}"
        .chars()
        .collect();
    let mut rng = Rng(0x0DDB_A110);
    for i in 0..8 {
        let text: String = (0..20_000)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        let name = format!("garbage-{i}.toml");
        let diagnostics = h.check(&name, text.as_bytes());
        if codes(&diagnostics).contains(&"SCP001") {
            assert_eq!(diagnostics.len(), 1, "{name}: SCP001 and nothing else");
        }
    }
}

#[test]
fn control_characters_in_strings_are_scp001() {
    let h = Hostile::new();
    let diagnostics = h.check("nul.toml", b"[plan]\nid = \"a\0b\"\n");
    assert_eq!(codes(&diagnostics), ["SCP001"]);
    assert_eq!(diagnostics[0].1, 2);
}

#[test]
fn ten_thousand_deep_nesting_is_one_scp001() {
    let h = Hostile::new();
    let n = 10_000;
    let arrays = format!("a = {}{}\n", "[".repeat(n), "]".repeat(n));
    let tables = format!("a = {}1{}\n", "{b = ".repeat(n), "}".repeat(n));
    let in_plan = format!(
        "[plan]\nformat = 1\ntitle = {}{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let dotted_key = format!("{} = 1\n", vec!["a"; n].join("."));
    let header = format!("[{}]\nx = 1\n", vec!["a"; n].join("."));
    let array_header = format!("[[{}]]\nx = 1\n", vec!["a"; n].join("."));
    for (name, text, line) in [
        ("arrays.toml", arrays, 1),
        ("inline-tables.toml", tables, 1),
        ("in-plan.toml", in_plan, 3),
        ("dotted-key.toml", dotted_key, 1),
        ("header.toml", header, 1),
        ("array-header.toml", array_header, 1),
    ] {
        let diagnostics = h.check(name, text.as_bytes());
        assert_eq!(codes(&diagnostics), ["SCP001"], "{name}");
        assert_eq!(diagnostics[0].1, line, "{name}");
    }
}

/// Nesting just under the parser's limit parses: the loader must take it apart without
/// trouble (a wrong type, an unknown key) and `set` must still work on the rest.
#[test]
fn deep_nesting_the_parser_accepts_is_loaded() {
    let h = Hostile::new();
    let depth = 60;
    let text = format!(
        "[plan]\nformat = 1\nid = \"X\"\ntitle = {}{}\nnested = {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth),
        "{b = ".repeat(depth),
        "}".repeat(depth)
    );
    let diagnostics = h.check("deep-values.toml", text.as_bytes());
    assert!(
        diagnostics.contains(&("SCP003".to_string(), 4, 1)),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics.contains(&("SCP004".to_string(), 5, 1)),
        "{diagnostics:?}"
    );
}

#[test]
fn a_very_long_line_is_diagnosed() {
    let h = Hostile::new();
    let text = format!("[plan]\ntitle = \"{}\"\nbroken = \n", "x".repeat(2_000_000));
    let diagnostics = h.check("long-line.toml", text.as_bytes());
    assert_eq!(diagnostics, [("SCP001".to_string(), 3, 10)]);
}
