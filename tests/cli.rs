//! The `scplan` binary as a user runs it. Every child gets its environment injected (no config
//! file, NO_COLOR, a fixed "today") instead of inheriting the developer's.

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

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
