//! `scplan export` as a process: stdout and `-o`, reproducible bytes, refusals and drafts,
//! never overwriting the plan, `--force`, and partner codes.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

const FIXTURE: &str = "tests/fixtures/export/plan.toml";
const WITH_ERRORS: &str = "tests/fixtures/rules/SCP102-fires.toml";
const NOT_TOML: &str = "tests/fixtures/structure/SCP001-syntax.toml";
const ABOVE_SYSTEM_HIGH: &str = "tests/fixtures/rules/SCP209-fires.toml";
const DRAFT: &str = "DRAFT - NOT VALIDATED";
const FORMATS: [&str; 4] = ["html", "md", "json", "csv"];

fn scplan() -> Command {
    let mut cmd = Command::cargo_bin("scplan").unwrap();
    // Never read the developer's own config file; stamp a fixed time on the child only.
    cmd.env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .env_remove("NO_COLOR");
    cmd
}

fn export(args: &[&str]) -> std::process::Output {
    scplan().arg("export").args(args).output().unwrap()
}

#[test]
fn stdout_and_file_give_the_golden_bytes_run_after_run() {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let golden = fs::read(format!("tests/fixtures/export/golden/plan.{format}")).unwrap();
        let first = export(&[FIXTURE, "--format", format]);
        let second = export(&[FIXTURE, "--format", format]);
        assert_eq!(first.status.code(), Some(0), "{format}");
        assert!(
            first.stdout == golden,
            "{format}: stdout is not the golden file"
        );
        assert!(first.stdout == second.stdout, "{format}: two runs differ");
        let out = dir.path().join(format!("plan.{format}"));
        let written = export(&[FIXTURE, "--format", format, "-o", out.to_str().unwrap()]);
        assert_eq!(written.status.code(), Some(0), "{format}");
        assert!(written.stdout.is_empty());
        assert!(
            fs::read(&out).unwrap() == golden,
            "{format}: -o wrote other bytes"
        );
    }
    // Nothing but the outputs was left in the folder (the atomic write cleans up).
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), FORMATS.len());
}

#[test]
fn a_plan_with_errors_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let out = dir.path().join(format!("x.{format}"));
        let o = export(&[WITH_ERRORS, "--format", format, "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains("error[SCP102]"), "{stderr}");
        assert!(stderr.contains("--draft"), "{stderr}");
        assert!(!out.exists(), "{format}: something was written");
        let o = export(&[WITH_ERRORS, "--format", format]);
        assert!(o.stdout.is_empty(), "{format}: something reached stdout");
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_draft_is_exported_marked_in_every_format() {
    for format in FORMATS {
        let o = export(&[WITH_ERRORS, "--format", format, "--draft"]);
        assert_eq!(o.status.code(), Some(0), "{format}");
        let out = String::from_utf8(o.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains("error[SCP102]"),
            "the draft's errors are listed"
        );
        let marks = out.matches(DRAFT).count();
        match format {
            // Top, every section (priorities, 1 country, matrix, stamp), bottom; and in HTML
            // the running header and footer that repeat on every printed page.
            "md" => assert!(marks >= 7, "{marks}"),
            "html" => {
                assert!(marks >= 9, "{marks}");
                let running = out.find("class=\"running top banner\"").unwrap();
                assert!(out[running..].starts_with(&format!(
                    "class=\"running top banner\" aria-hidden=\"true\">UNCLASSIFIED<span class=\"draft-tag\">{DRAFT}"
                )));
            }
            "csv" => {
                let lines: Vec<&str> = out.trim_end().split("\r\n").collect();
                let draft_banner = format!("UNCLASSIFIED,{DRAFT}");
                assert!(
                    lines[0]
                        .trim_start_matches('\u{feff}')
                        .starts_with(&draft_banner)
                );
                assert!(lines[lines.len() - 1].starts_with(&draft_banner));
            }
            _ => {
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                assert_eq!(doc["draft"], true);
                assert_eq!(doc["stamp"]["status"], DRAFT);
                assert_eq!(doc["stamp"]["counts"]["errors"], 1);
            }
        }
    }
}

#[test]
fn no_draft_of_a_file_that_does_not_parse_or_is_above_the_system_high() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.md");
    for (plan, code) in [(NOT_TOML, "SCP001"), (ABOVE_SYSTEM_HIGH, "SCP209")] {
        let o = export(&[
            plan,
            "--format",
            "md",
            "--draft",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{plan}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains(code) && stderr.contains("not even a draft"),
            "{stderr}"
        );
        assert!(!out.exists());
    }
    // Above the system high, not even the source lines are shown.
    let o = export(&[ABOVE_SYSTEM_HIGH, "--format", "md", "--draft"]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("13 | "));
    // With the workstation accredited higher, the same plan is an ordinary draft.
    let o = scplan()
        .args(["--system-high", "S", "export", ABOVE_SYSTEM_HIGH])
        .args(["--format", "md", "--draft"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn the_plan_itself_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    fs::copy(FIXTURE, &plan).unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    let same = [
        plan.clone(),
        dir.path().join("sub/../plan.toml"),
        dir.path().join("./plan.toml"),
    ];
    for out in &same {
        for force in [false, true] {
            let mut args = vec![
                plan.to_str().unwrap(),
                "--format",
                "md",
                "-o",
                out.to_str().unwrap(),
            ];
            if force {
                args.push("--force");
            }
            let o = export(&args);
            assert_eq!(o.status.code(), Some(2), "{}", out.display());
            assert!(String::from_utf8_lossy(&o.stderr).contains("the plan itself"));
        }
    }
    assert!(fs::read(&plan).unwrap() == fs::read(FIXTURE).unwrap());
    #[cfg(unix)]
    {
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&plan, &link).unwrap();
        let o = export(&[
            plan.to_str().unwrap(),
            "--format",
            "md",
            "-o",
            link.to_str().unwrap(),
            "--force",
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(fs::read(&plan).unwrap() == fs::read(FIXTURE).unwrap());
    }
}

#[test]
fn an_existing_output_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    fs::write(&out, "keep me").unwrap();
    let args = [FIXTURE, "--format", "json", "-o", out.to_str().unwrap()];
    let o = export(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(fs::read_to_string(&out).unwrap(), "keep me");
    let o = scplan()
        .arg("export")
        .args(args)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let golden = fs::read(Path::new("tests/fixtures/export/golden/plan.json")).unwrap();
    assert!(fs::read(&out).unwrap() == golden);
}

#[test]
fn partner_codes_and_formats_are_checked_as_usage() {
    for code in ["USA", "XYZ", "pol"] {
        let o = export(&[FIXTURE, "--format", "md", "--releasable-to", code]);
        assert_eq!(o.status.code(), Some(2), "{code}");
        assert!(o.stdout.is_empty());
        assert!(String::from_utf8_lossy(&o.stderr).contains("ISO 3166-1 alpha-3"));
    }
    let o = export(&[FIXTURE, "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    let o = export(&[FIXTURE, "--format", "md", "--releasable-to", "POL"]);
    assert_eq!(o.status.code(), Some(0));
    let golden = fs::read("tests/fixtures/export/golden/plan-releasable-pol.md").unwrap();
    assert!(o.stdout == golden);
}

#[test]
fn a_missing_plan_is_a_usage_error() {
    let o = export(&["tests/fixtures/export/nonexistent.toml", "--format", "md"]);
    assert_eq!(o.status.code(), Some(2));
}
