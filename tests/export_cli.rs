//! `scplan export` as a process: stdout and `-o`, reproducible bytes, refusals and drafts,
//! never overwriting the plan, `--force`, and partner codes.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use scplan::store;

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
            // the page's top and bottom margins, repeated on every printed page.
            "md" => assert!(marks >= 7, "{marks}"),
            "html" => {
                assert!(marks >= 8, "{marks}");
                let margins = format!("content: \"UNCLASSIFIED - {DRAFT}\"");
                assert_eq!(out.matches(&margins).count(), 2, "{margins}");
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
    for code in ["USA", "usa", "XYZ", "Poland"] {
        let o = export(&[FIXTURE, "--format", "md", "--releasable-to", code]);
        assert_eq!(o.status.code(), Some(2), "{code}");
        assert!(o.stdout.is_empty());
        assert!(String::from_utf8_lossy(&o.stderr).contains("ISO 3166-1 alpha-3"));
    }
    let o = export(&[FIXTURE, "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let golden = fs::read("tests/fixtures/export/golden/plan-releasable-pol.md").unwrap();
    // Any letter case names the same partner.
    for code in ["POL", "pol"] {
        let record = dir.path().join(format!("{code}.txt"));
        let o = export(&[
            FIXTURE,
            "--format",
            "md",
            "--releasable-to",
            code,
            "--release-record",
            record.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{code}");
        assert!(o.stdout == golden, "{code}");
        assert!(record.exists());
    }
}

#[test]
fn a_missing_plan_is_a_usage_error() {
    let o = export(&["tests/fixtures/export/nonexistent.toml", "--format", "md"]);
    assert_eq!(o.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Markings nobody can read

/// A plan whose banner would be computed from its readable portions only: one priority
/// misspelt `SERCET//NF`, one objective `SECRETISH`.
const UNREADABLE: &str = r#"[plan]
format = 1
id = "T-UNREADABLE"
title = "Unreadable markings (FICTIONAL TEST DATA)"
command = "USEUCOM"
version = "1"
effective = 2026-10-01
marking = "UNCLASSIFIED"

[[priority]]
id = "SP-1"
title = "Priority with a misspelt marking"
source = "s"
marking = "SERCET//NF"

[[country]]
code = "POL"
name = "Poland"

  [[country.objective]]
  id = "POL-ST-1"
  kind = "st"
  text = "Objective with a marking that is no level"
  priorities = ["SP-1"]
  tech_areas = ["applied-ai"]
  target_date = 2028-09-30
  marking = "SECRETISH"

    [[country.objective.indicator]]
    name = "i"
    baseline = "b"
    target = "t"

  [[country.agreement]]
  id = "POL-AG-1"
  kind = "mou"
  title = "a"
  last_reviewed = 2026-03-01
"#;

#[test]
fn no_export_of_any_kind_while_a_marking_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    fs::write(&plan, UNREADABLE).unwrap();
    let out = dir.path().join("out");
    let record = dir.path().join("record.txt");
    for format in FORMATS {
        for extra in [
            &[][..],
            &["--draft"],
            &["--releasable-to", "POL"],
            &["--draft", "--releasable-to", "pol"],
        ] {
            let mut args = vec![plan.to_str().unwrap(), "--format", format];
            args.extend(extra);
            let with_record = extra.contains(&"--releasable-to");
            if with_record {
                args.extend(["--release-record", record.to_str().unwrap()]);
            }
            let o = export(&args);
            assert_eq!(o.status.code(), Some(1), "{format} {extra:?}");
            assert!(
                o.stdout.is_empty(),
                "{format} {extra:?}: an export was written"
            );
            let stderr = String::from_utf8_lossy(&o.stderr);
            let file = plan.display();
            for needle in [
                format!("SP-1 (priority) `SERCET//NF` at {file}:14:1 (SCP201)"),
                format!("POL-ST-1 (objective) `SECRETISH` at {file}:27:3 (SCP201)"),
                "fix them first".to_string(),
            ] {
                assert!(stderr.contains(&needle), "{needle:?} not in {stderr}");
            }
            assert!(
                !stderr.contains("--draft"),
                "a draft is no way out: {stderr}"
            );
            args.extend(["-o", out.to_str().unwrap()]);
            assert_eq!(export(&args).status.code(), Some(1));
        }
    }
    let mut left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["plan.toml"], "something was written");
}

// ---------------------------------------------------------------------------------------------
// Partner copies and their release records

#[test]
fn a_partner_copy_gets_its_release_record_beside_it_or_where_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pol.html");
    let o = export(&[
        FIXTURE,
        "--format",
        "html",
        "--releasable-to",
        "POL",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let beside = dir.path().join("pol.html.release-record.txt");
    let record = fs::read_to_string(&beside).unwrap();
    assert!(record.contains("recipient: Poland (POL)"), "{record}");
    assert!(record.contains("  (CUI//SP-EXPT//NF) SP-3"), "{record}");
    assert!(
        record.contains("date (UTC): 2026-05-28T20:26:40Z"),
        "{record}"
    );
    let copy = fs::read_to_string(&out).unwrap();
    assert!(copy.contains("Prepared for release to Poland (POL)"));
    assert!(!copy.contains("SP-3"));
    // Again without --force: the copy and the record both exist.
    let again = export(&[
        FIXTURE,
        "--format",
        "html",
        "--releasable-to",
        "POL",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    // A record named on the command line.
    let elsewhere = dir.path().join("fdo.txt");
    let json = dir.path().join("pol.json");
    let o = export(&[
        FIXTURE,
        "--format",
        "json",
        "--releasable-to",
        "POL",
        "-o",
        json.to_str().unwrap(),
        "--release-record",
        elsewhere.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(elsewhere.exists() && json.exists());
    assert!(!dir.path().join("pol.json.release-record.txt").exists());
}

#[test]
fn a_release_record_is_never_the_copy_nor_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pol.md");
    let out = out.to_str().unwrap();
    let same = export(&[
        FIXTURE,
        "--format",
        "md",
        "--releasable-to",
        "POL",
        "-o",
        out,
        "--release-record",
        out,
    ]);
    assert_eq!(same.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&same.stderr).contains("cannot be the copy itself"));
    // On standard output there is no "beside": the record must be named.
    let stdout = export(&[FIXTURE, "--format", "md", "--releasable-to", "POL"]);
    assert_eq!(stdout.status.code(), Some(2));
    assert!(stdout.stdout.is_empty());
    assert!(String::from_utf8_lossy(&stdout.stderr).contains("--release-record"));
    // And a record goes only with a partner copy.
    let alone = export(&[FIXTURE, "--format", "md", "--release-record", out]);
    assert_eq!(alone.status.code(), Some(2));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

// ---------------------------------------------------------------------------------------------
// Output folders and file modes

#[test]
fn an_output_in_a_missing_folder_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    let out = missing.join("plan.md");
    let o = export(&[FIXTURE, "--format", "md", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!("{}: the folder does not exist", missing.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("scplan-tmp"), "{stderr}");
    let record = missing.join("record.txt");
    let o = export(&[
        FIXTURE,
        "--format",
        "md",
        "--releasable-to",
        "POL",
        "-o",
        dir.path().join("pol.md").to_str().unwrap(),
        "--release-record",
        record.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the folder does not exist"));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs scplan with `umask` in a shell, as a user's session would.
#[cfg(unix)]
fn with_umask(umask: &str, args: &[&str]) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("scplan");
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .env("SOURCE_DATE_EPOCH", "1780000000");
    cmd.output().unwrap()
}

#[cfg(unix)]
#[test]
fn exports_and_records_get_the_plan_mode_within_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    for (plan_mode, umask, expected) in [
        (0o600, "022", 0o600),
        (0o640, "022", 0o640),
        (0o644, "077", 0o600),
        (0o666, "022", 0o644),
    ] {
        let plan = dir.path().join(format!("plan-{plan_mode:o}-{umask}.toml"));
        fs::copy(FIXTURE, &plan).unwrap();
        fs::set_permissions(&plan, fs::Permissions::from_mode(plan_mode)).unwrap();
        for format in FORMATS {
            let out = dir.path().join(format!("{plan_mode:o}-{umask}.{format}"));
            let o = with_umask(
                umask,
                &[
                    "export",
                    plan.to_str().unwrap(),
                    "--format",
                    format,
                    "--releasable-to",
                    "POL",
                    "-o",
                    out.to_str().unwrap(),
                ],
            );
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            let record = store::record_beside(&out);
            assert_eq!(mode(&out), expected, "{format} of a {plan_mode:o} plan");
            assert_eq!(mode(&record), expected, "record of a {plan_mode:o} plan");
        }
    }
    // Replacing an export that was wider gives it the plan's mode, not the old file's.
    let plan = dir.path().join("plan-600-022.toml");
    let out = dir.path().join("wide.md");
    fs::write(&out, "old").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o644)).unwrap();
    let o = with_umask(
        "022",
        &[
            "export",
            plan.to_str().unwrap(),
            "--format",
            "md",
            "-o",
            out.to_str().unwrap(),
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(mode(&out), 0o600);
}

#[cfg(unix)]
#[test]
fn a_new_plan_is_never_wider_than_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    for (umask, expected) in [("077", 0o600), ("027", 0o640), ("022", 0o644)] {
        let plan = dir.path().join(format!("new-{umask}.toml"));
        let o = with_umask(
            umask,
            &["new", plan.to_str().unwrap(), "--command", "USEUCOM"],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(mode(&plan), expected, "umask {umask}");
    }
}

/// The `summary:` line of a command's standard error.
fn summary_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().find(|l| l.starts_with("summary:"));
    line.unwrap_or_default().to_string()
}

#[test]
fn a_refusal_sums_up_the_plan_as_check_does_and_says_how_many_it_lists() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    // The sample (one waived diagnostic) with a link to a priority it does not have.
    let sample = fs::read_to_string("plans/eucom-sample.toml").unwrap();
    let broken = sample.replacen("priorities = [\"", "priorities = [\"SP-404\", \"", 1);
    assert_ne!(broken, sample);
    fs::write(&plan, broken).unwrap();
    let check = scplan().arg("check").arg(&plan).output().unwrap();
    let whole = summary_line(&check.stdout);
    assert!(
        whole.contains("1 error") && whole.contains("1 waived"),
        "{whole}"
    );
    let copy = dir.path().join("plan.md").display().to_string();
    let out = export(&["--format", "md", "-o", &copy, &plan.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let refused = summary_line(&out.stderr);
    assert!(refused.starts_with(&whole), "{refused} / {whole}");
    assert!(
        refused.contains("; 1 listed above (`scplan check "),
        "{refused}"
    );
}
