//! `scplan config` as a process: every key is read, precedence is flag > environment >
//! config file > default, and a bad file is an error naming the key and the file (exit 2).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

use common::run;

/// scplan with only the environment given here (no HOME, no XDG_CONFIG_HOME, no NO_COLOR).
fn scplan() -> Command {
    let mut cmd = common::scplan();
    cmd.env_clear();
    cmd
}

fn config_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The line of `scplan config` output about `key`: the setting and its source comment.
fn setting<'a>(out: &'a str, key: &str) -> (&'a str, &'a str) {
    let line = out
        .lines()
        .find(|l| l.starts_with(key) || l.starts_with(&format!("# {key}")))
        .unwrap_or_else(|| panic!("no `{key}` line in\n{out}"));
    let (setting, source) = line.rsplit_once(" # ").unwrap_or((line, ""));
    (setting.trim_end(), source)
}

#[test]
fn every_key_is_read_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_file(
        dir.path(),
        "system_high = \"S\"\ntheme = \"mono\"\nexport_dir = \"exports\"\n\n[keys]\nsave = [\"ctrl-s\", \"f2\"]\nquit = [\"q\"]\n",
    );
    let (out, err, code) = run(scplan().env("SCPLAN_CONFIG", &path).arg("config"));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(&format!(
            "# config file: {} (chosen by SCPLAN_CONFIG; read)",
            path.display()
        )),
        "{out}"
    );
    assert_eq!(
        setting(&out, "system_high"),
        ("system_high = \"S\"", "config file"),
        "{out}"
    );
    assert_eq!(
        setting(&out, "theme"),
        ("theme = \"mono\"", "config file"),
        "{out}"
    );
    assert_eq!(
        setting(&out, "export_dir"),
        ("export_dir = \"exports\"", "config file"),
        "{out}"
    );
    assert_eq!(setting(&out, "[keys]"), ("[keys]", "config file"), "{out}");
    assert!(
        out.contains("\nquit = [\"q\"]\n") && out.contains("\nsave = [\"ctrl-s\", \"f2\"]\n"),
        "{out}"
    );
    // What `scplan config` prints is itself a valid config file with the same settings.
    let copy = dir.path().join("copy.toml");
    std::fs::write(&copy, &out).unwrap();
    let (again, err, code) = run(scplan().env("SCPLAN_CONFIG", &copy).arg("config"));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        again.lines().skip(2).collect::<Vec<_>>(),
        out.lines().skip(2).collect::<Vec<_>>()
    );
}

#[test]
fn defaults_apply_without_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _, code) = run(scplan().env("XDG_CONFIG_HOME", dir.path()).arg("config"));
    assert_eq!(code, Some(0));
    let expected = dir.path().join("scplan").join("config.toml");
    assert!(
        out.contains(&format!(
            "# config file: {} (chosen by XDG_CONFIG_HOME; not found, defaults apply)",
            expected.display()
        )),
        "{out}"
    );
    assert_eq!(
        setting(&out, "system_high"),
        ("system_high = \"CUI\"", "default"),
        "{out}"
    );
    assert_eq!(
        setting(&out, "theme"),
        ("theme = \"color\"", "default"),
        "{out}"
    );
    assert_eq!(
        setting(&out, "export_dir"),
        ("# export_dir: the plan's folder", "default")
    );
    let (out, _, code) = run(scplan().arg("config"));
    assert_eq!(code, Some(0));
    assert!(out.contains("# config file: none"), "{out}");
    let (out, _, code) = run(scplan().env("HOME", dir.path()).args(["config", "--check"]));
    assert_eq!(code, Some(0));
    assert!(
        out.contains("no such file; the built-in defaults apply"),
        "{out}"
    );
}

#[test]
fn flag_beats_environment_beats_file_beats_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_file(dir.path(), "system_high = \"S\"\ntheme = \"color\"\n");
    let (out, _, _) =
        run(scplan()
            .env("SCPLAN_CONFIG", &path)
            .args(["--system-high", "TS", "config"]));
    assert_eq!(
        setting(&out, "system_high"),
        ("system_high = \"TS\"", "flag --system-high"),
        "{out}"
    );
    let (out, _, _) = run(scplan()
        .env("SCPLAN_CONFIG", &path)
        .env("NO_COLOR", "1")
        .arg("config"));
    assert_eq!(
        setting(&out, "theme"),
        ("theme = \"mono\"", "environment NO_COLOR"),
        "{out}"
    );
    // --config beats SCPLAN_CONFIG.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "system_high = \"C\"\n").unwrap();
    let (out, _, _) = run(scplan()
        .env("SCPLAN_CONFIG", &path)
        .arg("--config")
        .arg(&other)
        .arg("config"));
    assert!(out.contains("(chosen by --config; read)"), "{out}");
    assert_eq!(
        setting(&out, "system_high"),
        ("system_high = \"C\"", "config file")
    );
    // A file named by --config that is not there is said, exit 2, nothing checked.
    let (out, err, code) = run(scplan()
        .arg("--config")
        .arg(dir.path().join("typo.toml"))
        .args(["check", "plans/eucom-sample.toml"]));
    assert_eq!(code, Some(2), "{out}");
    assert!(err.contains("typo.toml: no such config file"), "{err}");

    // The settings in force are the ones check uses: a SECRET plan is above a CUI system high.
    let secret = "tests/fixtures/diff/secret.toml";
    let spills = |cmd: &mut Command| {
        run(cmd.args(["check", "--format", "json", secret]))
            .0
            .contains("SCP209")
    };
    assert!(spills(&mut scplan()), "default CUI");
    assert!(!spills(scplan().env("SCPLAN_CONFIG", &path)), "file S");
    assert!(
        spills(
            scplan()
                .env("SCPLAN_CONFIG", &path)
                .args(["--system-high", "CUI"])
        ),
        "flag CUI over file S"
    );
}

#[test]
fn bad_values_name_the_key_and_the_file() {
    let cases = [
        ("system_high = \"SECRET\"\n", "`system_high`"),
        ("theme = \"dark\"\n", "`theme`"),
        ("export_dir = 3\n", "`export_dir`"),
        ("keys = \"ctrl-s\"\n", "`keys`"),
        ("[keys]\nsave = [\"\"]\n", "`keys.save`"),
        ("[keys]\nsave = \"ctrl-s\"\n", "`keys.save`"),
        ("colour = \"mono\"\n", "`colour`"),
        ("theme = \n", "config file"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (text, key) in cases {
        let path = config_file(dir.path(), text);
        for args in [
            &["config", "--check"][..],
            &["config"],
            &["check", "plans/eucom-sample.toml"],
        ] {
            let (out, err, code) = run(scplan().env("SCPLAN_CONFIG", &path).args(args));
            assert_eq!(code, Some(2), "{text:?} {args:?}: {out}{err}");
            assert!(
                err.contains(key) && err.contains(&path.display().to_string()),
                "{text:?}: {err}"
            );
        }
    }
    let path = config_file(dir.path(), "theme = \"mono\"\n");
    let (out, _, code) = run(scplan()
        .env("SCPLAN_CONFIG", &path)
        .args(["config", "--check"]));
    assert_eq!(code, Some(0));
    assert_eq!(out, format!("{}: valid\n", path.display()));
}

#[test]
fn key_overrides_are_checked_against_the_editors_actions() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    for (text, ok, needle) in [
        ("[keys]\nsave = [\"ctrl-w\"]\n", true, "valid"),
        ("[keys]\nsav = [\"x\"]\n", false, "`sav` is not an action"),
        (
            "[keys]\nsave = [\"ctrl-\"]\n",
            false,
            "`ctrl-` is not a key name",
        ),
    ] {
        std::fs::write(&config, text).unwrap();
        let out = assert_cmd::Command::cargo_bin("scplan")
            .unwrap()
            .env("SCPLAN_CONFIG", &config)
            .args(["config", "--check"])
            .output()
            .unwrap();
        assert_eq!(out.status.success(), ok, "{text}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains(needle), "{text}: {all}");
        if !ok {
            assert_eq!(out.status.code(), Some(2));
            assert!(all.contains("config.toml"), "names the file: {all}");
        }
    }
}
