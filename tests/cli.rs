//! The `scplan` binary as a user runs it: exit codes, the JSON report, `new`, `get`, `set`, and
//! the refusals. Every child gets its environment injected (no config file, NO_COLOR, a fixed
//! "today") instead of inheriting the developer's.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

mod common;

/// A temporary home for one test: the child's HOME and XDG_CONFIG_HOME (with no config file in
/// them) and a place for copies of plans.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// `scplan`, run from the repository root so that `plans/...` paths work.
    fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_scplan"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("SCPLAN_CONFIG")
            .env_remove("SOURCE_DATE_EPOCH")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("NO_COLOR", "1")
            .env("SCPLAN_TODAY", "2026-11-28")
            .timeout(Duration::from_secs(60));
        cmd
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A copy of a file of the repository.
    fn copy(&self, from: &str, name: &str) -> PathBuf {
        let to = self.path(name);
        fs::copy(repo(from), &to).unwrap();
        to
    }
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn sample_plans() -> Vec<String> {
    let mut plans: Vec<String> = fs::read_dir(repo("plans"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .map(|name| format!("plans/{name}"))
        .collect();
    plans.sort();
    assert!(plans.len() >= 2, "expected the sample plans");
    plans
}

fn json(stdout: &[u8]) -> Value {
    serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(stdout)
        )
    })
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    keys
}

/// The lines of `a` and `b` (split on `\n`, so CR stays part of a line) that differ, by index.
fn changed_lines(a: &[u8], b: &[u8]) -> Vec<usize> {
    let a: Vec<&[u8]> = a.split(|&c| c == b'\n').collect();
    let b: Vec<&[u8]> = b.split(|&c| c == b'\n').collect();
    (0..a.len().max(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

#[test]
fn check_passes_the_sample_plans() {
    let sb = Sandbox::new();
    sb.cmd()
        .arg("check")
        .args(sample_plans())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("error[").not())
        .stdout(predicate::str::contains("0 errors"))
        .stderr(predicate::str::is_empty());
    let out = sb
        .cmd()
        .args(["check", "--format", "json"])
        .args(sample_plans())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out.stdout);
    assert_eq!(report["summary"]["errors"], 0);
    for file in report["files"].as_array().unwrap() {
        assert!(file.get("error").is_none(), "{file}");
        let errors: Vec<&Value> = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file["file"]);
    }
}

#[test]
fn check_json_has_the_documented_shape() {
    let sb = Sandbox::new();
    let fixture = "tests/fixtures/structure/SCP007-usa.toml";
    let out = sb
        .cmd()
        .args(["check", "--format", "json", fixture])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "an error in the plan is exit 1");
    let report = json(&out.stdout);
    assert_eq!(keys(&report), ["files", "summary", "version"]);
    assert_eq!(report["version"], 1);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(keys(&files[0]), ["diagnostics", "file"]);
    assert_eq!(files[0]["file"], fixture, "the path as given");
    let diagnostics = files[0]["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        assert_eq!(
            keys(d),
            [
                "code", "column", "item", "line", "message", "severity", "waived"
            ]
        );
        assert!(d["code"].as_str().unwrap().starts_with("SCP"));
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()));
        assert!(!d["message"].as_str().unwrap().is_empty());
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
        assert!(d["waived"].is_boolean());
    }
    let scp007 = diagnostics
        .iter()
        .find(|d| d["code"] == "SCP007")
        .expect("SCP007");
    assert_eq!(scp007["severity"], "error");
    assert_eq!(scp007["item"], "USA");
    assert_eq!(
        (scp007["line"].as_u64(), scp007["column"].as_u64()),
        (Some(25), Some(1))
    );
    // Sorted by line, then column, then code.
    let order: Vec<(u64, u64, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    // The summary counts the unwaived diagnostics by severity.
    let summary = &report["summary"];
    assert_eq!(keys(summary), ["errors", "infos", "waived", "warnings"]);
    let count = |severity: &str| {
        diagnostics
            .iter()
            .filter(|d| d["severity"] == severity && d["waived"] == false)
            .count() as u64
    };
    assert_eq!(summary["errors"].as_u64(), Some(count("error")));
    assert_eq!(summary["warnings"].as_u64(), Some(count("warning")));
    assert_eq!(summary["infos"].as_u64(), Some(count("info")));
}

#[test]
fn an_unreadable_file_is_exit_2_and_the_others_are_still_checked() {
    let sb = Sandbox::new();
    let missing = sb.path("missing.toml");
    let directory = sb.path("a-directory.toml");
    fs::create_dir(&directory).unwrap();
    let bad = "tests/fixtures/structure/SCP007-usa.toml";
    let out = sb
        .cmd()
        .args(["check", "--format", "json", "plans/eucom-sample.toml"])
        .arg(&missing)
        .arg(bad)
        .arg(&directory)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out.stdout);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    for unreadable in [&files[1], &files[3]] {
        assert_eq!(keys(unreadable), ["diagnostics", "error", "file"]);
        assert!(!unreadable["error"].as_str().unwrap().is_empty());
        assert_eq!(unreadable["diagnostics"], serde_json::json!([]));
    }
    assert_eq!(files[1]["file"], missing.display().to_string());
    assert!(files[0].get("error").is_none());
    assert!(files[2].get("error").is_none());
    assert!(
        files[2]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "SCP007"),
        "the file after the missing one is still checked"
    );
    // The human format: the same exit status, and the readable file's findings.
    sb.cmd()
        .args(["check", bad])
        .arg(&missing)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("SCP007"));
}

#[test]
fn an_invalid_system_high_is_exit_2() {
    let sb = Sandbox::new();
    for args in [
        [
            "check",
            "--system-high",
            "SECRET",
            "plans/eucom-sample.toml",
        ],
        ["--system-high", "X", "check", "plans/eucom-sample.toml"],
    ] {
        sb.cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("system-high"));
    }
}

#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let sb = Sandbox::new();
    for args in [
        ["--system-high", "S", "check", "plans/eucom-sample.toml"],
        ["check", "--system-high", "S", "plans/eucom-sample.toml"],
        ["check", "plans/eucom-sample.toml", "--system-high", "TS"],
    ] {
        sb.cmd().args(args).assert().code(0);
    }
    // A plan to open and a subcommand together is a usage error, not a silent choice.
    sb.cmd()
        .args([
            "plans/eucom-sample.toml",
            "check",
            "plans/eucom-sample.toml",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
    let config = sb.path("ok.toml");
    fs::write(&config, "system_high = \"S\"\n").unwrap();
    sb.cmd()
        .arg("--config")
        .arg(&config)
        .args(["check", "plans/eucom-sample.toml"])
        .assert()
        .code(0);
}

#[test]
fn a_bad_config_file_is_exit_2_naming_the_key_and_the_file() {
    let sb = Sandbox::new();
    let typo = sb.path("typo.toml");
    fs::write(&typo, "sytem_high = \"S\"\n").unwrap();
    let typo_name = typo.display().to_string();
    // --config, after and before the subcommand.
    sb.cmd()
        .args(["check", "plans/eucom-sample.toml", "--config"])
        .arg(&typo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sytem_high"))
        .stderr(predicate::str::contains(typo_name.as_str()));
    sb.cmd()
        .arg("--config")
        .arg(&typo)
        .args(["check", "plans/eucom-sample.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sytem_high"));
    // SCPLAN_CONFIG in the child's environment.
    let bad_value = sb.path("bad-value.toml");
    fs::write(&bad_value, "system_high = \"SECRET\"\n").unwrap();
    sb.cmd()
        .env("SCPLAN_CONFIG", &bad_value)
        .args(["check", "plans/eucom-sample.toml"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("system_high"))
        .stderr(predicate::str::contains(bad_value.display().to_string()));
    // The default location, $XDG_CONFIG_HOME/scplan/config.toml.
    let dir = sb.path("config/scplan");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("config.toml"), "theme = 3\n").unwrap();
    sb.cmd()
        .args(["check", "plans/eucom-sample.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("theme"))
        .stderr(predicate::str::contains("config.toml"));
}

// ---------------------------------------------------------------------------------------------
// new
// ---------------------------------------------------------------------------------------------

#[test]
fn new_creates_a_plan_that_checks_without_errors() {
    let sb = Sandbox::new();
    let plan = sb.path("afr.toml");
    sb.cmd()
        .arg("new")
        .arg(&plan)
        .args(["--command", "USEUCOM"])
        .assert()
        .code(0);
    let text = fs::read_to_string(&plan).unwrap();
    assert!(text.contains("command = \"USEUCOM\""));
    // SCPLAN_TODAY = 2026-11-28: the next October 1 is 2027-10-01.
    assert!(text.contains("effective = 2027-10-01"), "{text}");
    assert!(!text.starts_with("#:schema"));
    let out = sb
        .cmd()
        .args(["check", "--format", "json"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out.stdout);
    assert_eq!(report["summary"]["errors"], 0);
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().all(|d| d["code"] != "SCP001"),
        "{diagnostics:?}"
    );
    sb.cmd()
        .arg("get")
        .arg(&plan)
        .arg("plan.effective")
        .assert()
        .code(0)
        .stdout("2027-10-01\n");
}

/// The template's priority is linked by no S&T objective: one SCP104 warning, nothing else.
/// SCP104 is a traceability rule; `check::rules` does not run it on this branch yet.
#[test]
fn a_new_plan_has_exactly_one_scp104_warning() {
    let sb = Sandbox::new();
    let plan = sb.path("new.toml");
    sb.cmd()
        .arg("new")
        .arg(&plan)
        .args(["--command", "USEUCOM"])
        .assert()
        .code(0);
    let out = sb
        .cmd()
        .args(["check", "--format", "json"])
        .arg(&plan)
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SCP104"]);
    assert_eq!(diagnostics[0]["severity"], "warning");
}

#[test]
fn new_takes_effective_and_schema() {
    let sb = Sandbox::new();
    let plan = sb.path("ind.toml");
    sb.cmd()
        .arg("new")
        .arg(&plan)
        .args(["--command", "USINDOPACOM", "--effective", "2027-01-15"])
        .args(["--schema", "../assets/plan.schema.json"])
        .assert()
        .code(0);
    let text = fs::read_to_string(&plan).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("#:schema ../assets/plan.schema.json")
    );
    assert!(text.contains("effective = 2027-01-15"));
    assert!(text.contains("command = \"USINDOPACOM\""));
    sb.cmd().arg("check").arg(&plan).assert().code(0);
    // The default effective date follows the injected clock.
    let early = sb.path("early.toml");
    sb.cmd()
        .env("SCPLAN_TODAY", "2026-03-01")
        .arg("new")
        .arg(&early)
        .args(["--command", "USAFRICOM"])
        .assert()
        .code(0);
    assert!(
        fs::read_to_string(&early)
            .unwrap()
            .contains("effective = 2026-10-01")
    );
    // A bad date or command is a usage error, and no file is written.
    let none = sb.path("none.toml");
    sb.cmd()
        .arg("new")
        .arg(&none)
        .args(["--command", "USEUCOM", "--effective", "2027-13-01"])
        .assert()
        .code(2);
    sb.cmd()
        .arg("new")
        .arg(&none)
        .args(["--command", "USSPACECOM"])
        .assert()
        .code(2);
    assert!(!none.exists());
}

#[test]
fn new_refuses_an_existing_file_and_leaves_it_untouched() {
    let sb = Sandbox::new();
    let plan = sb.copy("plans/eucom-sample.toml", "existing.toml");
    let before = fs::read(&plan).unwrap();
    sb.cmd()
        .arg("new")
        .arg(&plan)
        .args(["--command", "USEUCOM"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists"));
    assert!(fs::read(&plan).unwrap() == before);
    let entries = fs::read_dir(sb.dir.path()).unwrap().count();
    assert_eq!(entries, 1, "no temporary file left behind");
}

// ---------------------------------------------------------------------------------------------
// get
// ---------------------------------------------------------------------------------------------

#[test]
fn get_prints_toml_values_and_raw_strings() {
    let sb = Sandbox::new();
    let get = |path: &str, raw: bool| {
        let mut cmd = sb.cmd();
        cmd.args(["get", "plans/eucom-sample.toml", path]);
        if raw {
            cmd.arg("--raw");
        }
        cmd.assert().code(0)
    };
    get("plan.id", false).stdout("\"EUCOM-TCP-FY27\"\n");
    get("plan.id", true).stdout("EUCOM-TCP-FY27\n");
    get("plan.effective", false).stdout("2026-10-01\n");
    get("plan.format", false).stdout("1\n");
    get("objective.POL-ST-1.priorities", false).stdout("[\"SP-1\", \"SP-3\"]\n");
    get("investment_pool.DEU-IP-1.us_share", false).stdout("50\n");
    get("agreement.POL-AG-1.kind", true).stdout("cooperative-rdte\n");
    // --raw only changes strings.
    get("plan.effective", true).stdout("2026-10-01\n");
    // A multi-line string, raw: its contents.
    let summary = sb
        .cmd()
        .args([
            "get",
            "plans/eucom-sample.toml",
            "country.POL.summary",
            "--raw",
        ])
        .output()
        .unwrap();
    assert_eq!(summary.status.code(), Some(0));
    let summary = String::from_utf8(summary.stdout).unwrap();
    assert!(summary.starts_with("Frontline Ally") && !summary.contains("\"\"\""));
}

#[test]
fn get_refuses_unknown_items_fields_and_unset_fields() {
    let sb = Sandbox::new();
    for path in [
        "agreement.POL-AG-9.kind",
        "agreement.POL-AG-1.kindx",
        "country.POL.marking_justification",
        "widget.X.name",
    ] {
        sb.cmd()
            .args(["get", "plans/eucom-sample.toml", path])
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// set
// ---------------------------------------------------------------------------------------------

#[test]
fn set_of_one_scalar_changes_exactly_one_line_lf_and_crlf() {
    let sb = Sandbox::new();
    let cases = [
        (
            "plans/eucom-sample.toml",
            "lf.toml",
            "plan.version",
            "\"2.0\"",
        ),
        (
            "plans/eucom-sample.toml",
            "lf-date.toml",
            "agreement.POL-AG-1.last_reviewed",
            "2026-11-28",
        ),
        (
            "tests/fixtures/roundtrip/crlf.toml",
            "crlf.toml",
            "plan.version",
            "\"2.0\"",
        ),
        (
            "tests/fixtures/roundtrip/crlf.toml",
            "crlf-id.toml",
            "objective.POL-ST-1.text",
            "\"New text, with \\\"quotes\\\"\"",
        ),
        (
            "tests/fixtures/roundtrip/bom-crlf-no-newline.toml",
            "bom.toml",
            "priority.SP-1.source",
            "\"NDS 2026\"",
        ),
    ];
    for (from, name, path, value) in cases {
        let plan = sb.copy(from, name);
        let before = fs::read(&plan).unwrap();
        sb.cmd()
            .arg("set")
            .arg(&plan)
            .args([path, value])
            .assert()
            .code(0);
        let after = fs::read(&plan).unwrap();
        let changed = changed_lines(&before, &after);
        assert_eq!(
            changed.len(),
            1,
            "{name}: {path}: lines {changed:?} changed"
        );
        assert_eq!(
            before.split(|&c| c == b'\n').count(),
            after.split(|&c| c == b'\n').count()
        );
        let line = after.split(|&c| c == b'\n').nth(changed[0]).unwrap();
        let line = String::from_utf8_lossy(line);
        let field = path.rsplit('.').next().unwrap();
        assert!(
            line.contains(field) && line.contains(value),
            "{name}: {line:?}"
        );
        let crlf = before.windows(2).any(|w| w == b"\r\n");
        let last = changed[0] + 1 == after.split(|&c| c == b'\n').count();
        assert_eq!(
            line.ends_with('\r'),
            crlf && !last,
            "{name}: line ending kept"
        );
        assert_eq!(
            before.starts_with(b"\xef\xbb\xbf"),
            after.starts_with(b"\xef\xbb\xbf")
        );
        assert_eq!(before.ends_with(b"\n"), after.ends_with(b"\n"));
        sb.cmd()
            .arg("get")
            .arg(&plan)
            .arg(path)
            .assert()
            .code(0)
            .stdout(format!("{value}\n"));
    }
}

#[test]
fn set_keeps_each_lines_end_in_a_file_that_mixes_them() {
    let sb = Sandbox::new();
    let sample = fs::read_to_string(repo("plans/eucom-sample.toml")).unwrap();
    // A few lines end in CRLF, the rest in LF, as a file edited on two systems does.
    let mixed = common::with_crlf_lines(&sample, 3..8);
    let plan = sb.path("mixed.toml");
    fs::write(&plan, &mixed).unwrap();
    // A list, which the document writes (no splice of one value).
    sb.cmd()
        .args([
            "set",
            plan.to_str().unwrap(),
            "objective.POL-ST-1.priorities",
            "[\"SP-1\"]",
        ])
        .assert()
        .success();
    let after = fs::read_to_string(&plan).unwrap();
    assert_eq!(after.matches("\r\n").count(), 5, "{after}");
    let expected = mixed.replacen(
        "priorities = [\"SP-1\", \"SP-3\"]",
        "priorities = [\"SP-1\"]",
        1,
    );
    assert_eq!(after, expected);
}

#[test]
fn set_sums_up_the_whole_plan_as_check_does() {
    let sb = Sandbox::new();
    let plan = sb.copy("plans/eucom-sample.toml", "plan.toml");
    let plan = plan.to_str().unwrap();
    let out = sb
        .cmd()
        .args(["set", plan, "objective.POL-ST-1.priorities", "[\"SP-404\"]"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    let check = sb.cmd().args(["check", plan]).output().unwrap();
    let whole = String::from_utf8_lossy(&check.stdout).to_string();
    let summary = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("summary:"))
            .unwrap_or("")
            .to_string()
    };
    assert!(summary(&whole).contains("1 waived"), "{whole}");
    // The set lists the item's diagnostics, under the plan's whole summary.
    assert!(
        summary(&said).starts_with(&summary(&whole)),
        "{said}\n{whole}"
    );
    assert!(said.contains("SCP103"), "{said}");
}

#[test]
fn set_inserts_an_absent_known_field() {
    let sb = Sandbox::new();
    for (from, name) in [
        ("plans/eucom-sample.toml", "lf.toml"),
        ("tests/fixtures/roundtrip/crlf.toml", "crlf.toml"),
    ] {
        let plan = sb.copy(from, name);
        let before = fs::read(&plan).unwrap();
        sb.cmd()
            .arg("set")
            .arg(&plan)
            .args(["objective.POL-ST-1.marking_justification", "\"Because\""])
            .assert()
            .code(0);
        let after = fs::read(&plan).unwrap();
        let b: Vec<&[u8]> = before.split(|&c| c == b'\n').collect();
        let a: Vec<&[u8]> = after.split(|&c| c == b'\n').collect();
        assert_eq!(a.len(), b.len() + 1, "{name}: one line added");
        let at = (0..b.len()).find(|&i| a[i] != b[i]).unwrap_or(b.len());
        assert_eq!(&a[at + 1..], &b[at..], "{name}: the rest is unchanged");
        let added = String::from_utf8_lossy(a[at]);
        assert!(
            added.trim_end() == "  marking_justification = \"Because\"",
            "{name}: {added:?}"
        );
        sb.cmd()
            .arg("get")
            .arg(&plan)
            .args(["objective.POL-ST-1.marking_justification", "--raw"])
            .assert()
            .code(0)
            .stdout("Because\n");
    }
}

#[test]
fn set_refuses_unknown_items_fields_and_wrong_types_leaving_the_file_alone() {
    let sb = Sandbox::new();
    let plan = sb.copy("plans/eucom-sample.toml", "plan.toml");
    let before = fs::read(&plan).unwrap();
    let refusals = [
        ("agreement.POL-AG-9.kind", "\"mou\"", "POL-AG-9"),
        ("country.XYZ.name", "\"X\"", "XYZ"),
        ("agreement.POL-AG-1.kindx", "\"mou\"", "kindx"),
        ("agreement.POL-AG-1.signed", "\"2020-01-01\"", "signed"),
        ("agreement.POL-AG-1.signed", "2020-01-01T10:00:00", "signed"),
        ("priority.SP-1.title", "5", "title"),
        ("objective.POL-ST-1.priorities", "[1, 2]", "priorities"),
        ("investment_pool.DEU-IP-1.us_share", "\"50\"", "us_share"),
        ("plan.title", "not toml", "TOML"),
        ("plan", "\"x\"", "path"),
    ];
    for (path, value, mentions) in refusals {
        sb.cmd()
            .arg("set")
            .arg(&plan)
            .args([path, value])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(mentions));
        assert!(
            fs::read(&plan).unwrap() == before,
            "{path} = {value}: the file changed"
        );
    }
    let entries = fs::read_dir(sb.dir.path()).unwrap().count();
    assert_eq!(entries, 1, "no temporary file left behind");
}

#[test]
fn set_writes_a_well_typed_value_that_breaks_a_rule_and_reports_it() {
    let sb = Sandbox::new();
    let plan = sb.copy("plans/eucom-sample.toml", "plan.toml");
    let before = fs::read(&plan).unwrap();
    sb.cmd()
        .arg("set")
        .arg(&plan)
        .args(["agreement.POL-AG-1.kind", "\"treaty\""])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("SCP006"))
        .stderr(predicate::str::contains("POL-AG-1"))
        .stderr(predicate::str::contains("treaty"));
    let after = fs::read(&plan).unwrap();
    assert_eq!(changed_lines(&before, &after).len(), 1);
    assert!(
        String::from_utf8(after)
            .unwrap()
            .contains("kind = \"treaty\"")
    );
    // `check` agrees.
    let out = sb
        .cmd()
        .args(["check", "--format", "json"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["code"] == "SCP006" && d["item"] == "POL-AG-1")
    );
}

// ---------------------------------------------------------------------------------------------
// Opening a plan, and files that must not be read.
// ---------------------------------------------------------------------------------------------

#[test]
fn opening_a_missing_file_is_exit_2_with_a_hint_to_use_new() {
    let sb = Sandbox::new();
    let missing = sb.path("nothere.toml");
    sb.cmd()
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scplan new"));
    sb.cmd()
        .arg("edit")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scplan new"));
    assert!(!missing.exists());
}

/// A sparse file just over the limit: refused before it is read.
fn oversized(sb: &Sandbox) -> PathBuf {
    let path = sb.path("huge.toml");
    let file = fs::File::create(&path).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    path
}

#[test]
fn a_file_over_64_mib_is_refused_with_exit_2() {
    let sb = Sandbox::new();
    let huge = oversized(&sb);
    let out = sb
        .cmd()
        .args(["check", "--format", "json"])
        .arg(&huge)
        .arg("plans/eucom-sample.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out.stdout);
    let files = report["files"].as_array().unwrap();
    let error = files[0]["error"].as_str().expect("an error entry");
    assert!(error.contains("64 MiB"), "{error}");
    assert_eq!(files[0]["diagnostics"], serde_json::json!([]));
    assert!(files[1].get("error").is_none(), "the other file is checked");
    // Human check (the file named once), opening it, get and set.
    let out = sb.cmd().arg("check").arg(&huge).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(said.matches("huge.toml").count(), 1, "{said}");
    assert!(!said.contains("panicked"), "{said}");
    sb.cmd()
        .arg(&huge)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("64 MiB"));
    sb.cmd()
        .arg("get")
        .arg(&huge)
        .arg("plan.id")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("64 MiB"));
    sb.cmd()
        .arg("set")
        .arg(&huge)
        .args(["plan.id", "\"X\""])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("64 MiB"));
    assert_eq!(fs::metadata(&huge).unwrap().len(), 64 * 1024 * 1024 + 1);
}

#[test]
fn merge_refuses_markers_too_short_to_read_back_and_more_than_three_labels() {
    let sample = "plans/eucom-sample.toml";
    let merge = |options: &[&str]| {
        let mut cmd = Command::cargo_bin("scplan").unwrap();
        let out = cmd
            .args(["merge", sample, sample, sample])
            .args(options)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = merge(&["--marker-size", "3"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("give 7 or more"));
    let (code, err) = merge(&["-L", "a", "-L", "b", "-L", "c", "-L", "d"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("at most three"));
    // Git's own %L, a number among the labels, still sets a size.
    assert_eq!(merge(&["-L", "ours", "-L", "10"]).0, Some(0));
}

#[test]
fn file_errors_are_said_in_words_naming_the_file() {
    let sb = Sandbox::new();
    let missing = sb.path("missing.toml");
    let out = sb.cmd().arg("check").arg(&missing).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("missing.toml: no such file"), "{said}");
    assert!(!said.contains("os error"), "{said}");
    // An output that is a folder, or a folder that is not there.
    let folder = sb.path("exports");
    fs::create_dir(&folder).unwrap();
    for force in [false, true] {
        let mut cmd = sb.cmd();
        cmd.args(["export", "plans/eucom-sample.toml", "--format", "md", "-o"])
            .arg(&folder);
        if force {
            cmd.arg("--force");
        }
        cmd.assert().code(2).stderr(predicate::str::contains(
            "exports: is a folder; name a file in it",
        ));
    }
    let slash = format!("{}/", sb.path("nowhere").display());
    sb.cmd()
        .args([
            "export",
            "plans/eucom-sample.toml",
            "--format",
            "md",
            "-o",
            &slash,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the folder does not exist"));
    sb.cmd()
        .arg("new")
        .arg(&folder)
        .args(["--command", "USEUCOM"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a folder"));
    // A lock file that names no holder is named, with what to do.
    let plan = sb.copy("plans/eucom-sample.toml", "p.toml");
    fs::write(sb.path(".p.toml.scplan-lock"), "garbage").unwrap();
    sb.cmd()
        .arg("set")
        .arg(&plan)
        .args(["plan.title", "\"x\""])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            ".p.toml.scplan-lock does not name who holds it",
        ))
        .stderr(predicate::str::contains("remove that file"));
}

#[test]
fn set_makes_a_missing_cui_block_and_reports_an_id_set_anew() {
    let sb = Sandbox::new();
    let plan = sb.copy("plans/eucom-sample.toml", "p.toml");
    sb.cmd()
        .arg("set")
        .arg(&plan)
        .args(["plan.cui.poc", "\"J5 desk\""])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "missing required key `controlled_by` in [plan.cui]",
        ));
    let text = fs::read_to_string(&plan).unwrap();
    assert!(
        text.contains("\n\n[plan.cui]\npoc = \"J5 desk\"\n"),
        "{text}"
    );
    sb.cmd()
        .arg("set")
        .arg(&plan)
        .args(["priority.SP-1.id", "\"SP-10\""])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "`SP-1` in `priorities` names no priority",
        ))
        .stderr(predicate::str::contains("[SP-10]"));
}
