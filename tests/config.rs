//! `scplan config` as a process: every key is read, precedence is flag > environment >
//! config file > default, and a bad file is an error naming the key and the file (exit 2).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// scplan with only the environment given here (no HOME, no XDG_CONFIG_HOME, no NO_COLOR).
fn scplan() -> Command {
    let mut cmd = Command::cargo_bin("scplan").unwrap();
    cmd.env_clear();
    cmd
}

fn run(cmd: &mut Command) -> (String, String, Option<i32>) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn config_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The line of `scplan config` output that sets `key`, with its source comment.
fn line<'a>(out: &'a str, key: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(key) || l.starts_with(&format!("# {key}")))
        .unwrap_or_else(|| panic!("no `{key}` line in\n{out}"))
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
    assert!(
        line(&out, "system_high").starts_with("system_high = \"S\" ")
            && line(&out, "system_high").ends_with("# config file")
    );
    assert!(
        line(&out, "theme").starts_with("theme = \"mono\" ")
            && line(&out, "theme").ends_with("# config file")
    );
    assert!(
        line(&out, "export_dir").starts_with("export_dir = \"exports\" ")
            && line(&out, "export_dir").ends_with("# config file")
    );
    assert!(line(&out, "[keys]").ends_with("# config file"), "{out}");
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
    assert!(
        line(&out, "system_high").starts_with("system_high = \"CUI\"")
            && line(&out, "system_high").ends_with("# default")
    );
    assert!(
        line(&out, "theme").starts_with("theme = \"color\"")
            && line(&out, "theme").ends_with("# default")
    );
    assert!(line(&out, "export_dir").ends_with("# default"));
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
    assert!(
        line(&out, "system_high").starts_with("system_high = \"TS\"")
            && line(&out, "system_high").ends_with("# flag --system-high"),
        "{out}"
    );
    let (out, _, _) = run(scplan()
        .env("SCPLAN_CONFIG", &path)
        .env("NO_COLOR", "1")
        .arg("config"));
    assert!(
        line(&out, "theme").starts_with("theme = \"mono\"")
            && line(&out, "theme").ends_with("# environment NO_COLOR"),
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
    assert!(
        out.contains("(chosen by --config; read)")
            && line(&out, "system_high").starts_with("system_high = \"C\""),
        "{out}"
    );

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
