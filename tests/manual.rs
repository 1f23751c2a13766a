//! The help that ships with the binary: completion scripts for four shells and the man page
//! are generated and mention every subcommand that `scplan --help` lists.

use assert_cmd::Command;

fn scplan(args: &[&str]) -> String {
    let out = Command::cargo_bin("scplan")
        .unwrap()
        .env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scplan {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The subcommands `scplan --help` lists under "Commands:" (without `help`).
fn subcommands() -> Vec<String> {
    let help = scplan(&["--help"]);
    let names: Vec<String> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect();
    for expected in ["check", "diff", "schema", "completions", "man", "config"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    names
}

#[test]
fn completions_name_every_subcommand_in_each_shell() {
    let names = subcommands();
    // How each shell's script offers a subcommand NAME.
    let patterns = [
        ("bash", "scplan,NAME)"),
        ("zsh", "'NAME:"),
        ("fish", "-a \"NAME\""),
        ("powershell", "[CompletionResult]::new('NAME',"),
    ];
    for (shell, pattern) in patterns {
        let script = scplan(&["completions", shell]);
        for name in &names {
            assert!(
                script.contains(&pattern.replace("NAME", name)),
                "{shell} completion lacks `{name}`"
            );
        }
    }
}

#[test]
fn the_bash_completion_is_valid_bash() {
    let script = scplan(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scplan.bash");
    std::fs::write(&file, script).unwrap();
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .status();
    if let Ok(status) = status {
        assert!(status.success(), "bash -n rejects the completion script");
    }
}

#[test]
fn the_man_page_has_every_subcommand_and_the_rule_catalogue() {
    let page = scplan(&["man"]);
    assert!(page.contains(".TH scplan 1"), "{page}");
    for name in subcommands() {
        assert!(
            page.contains(&format!(".SS \"scplan {name} "))
                || page.contains(&format!(".SS \"scplan {name}\"")),
            "the man page lacks `scplan {name}`"
        );
    }
    for rule in scplan::check::registry::RULES {
        assert!(
            page.contains(&format!("\\fB{}\\fR", rule.code)),
            "{}",
            rule.code
        );
    }
    for section in [
        "COMMANDS",
        "RULES",
        "KEYS",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
    ] {
        assert!(
            page.contains(&format!(".SH \"{section}\""))
                || page.contains(&format!(".SH {section}\n")),
            "{section}"
        );
    }
}

#[test]
fn the_man_page_lists_the_editor_keys() {
    let out = assert_cmd::Command::cargo_bin("scplan")
        .unwrap()
        .arg("man")
        .output()
        .unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    let keymap = scplan::tui::keymap::Keymap::new(&Default::default()).unwrap();
    for b in keymap.bindings(scplan::tui::keymap::Mode::Browse) {
        assert!(page.contains(&b.help), "man page lacks {:?}", b.action);
    }
}
