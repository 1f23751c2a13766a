//! Help that ships inside the binary, for workstations without a network: shell completions
//! and a roff manual page, both generated from the command-line definition so that they list
//! every subcommand, with the rule catalogue, the keys, files, environment and exit codes.

use std::io;

use clap::{Arg, Command};
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::check::registry;
use crate::tui::keymap::{Keymap, Mode};

/// The completion script for `shell`.
pub fn completions(shell: Shell, mut cmd: Command) -> Vec<u8> {
    let name = cmd.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    out
}

/// The manual page (section 1) in roff.
pub fn man_page(mut cmd: Command) -> io::Result<Vec<u8>> {
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut page = Roff::new();
    commands(&mut page, &cmd);
    rules(&mut page);
    keys(&mut page);
    files_and_environment(&mut page);
    exit_status(&mut page);
    if let Some(version) = cmd.get_version() {
        page.control("SH", ["VERSION"]);
        page.text([roman(format!("{} {version}", cmd.get_name()))]);
    }
    page.to_writer(&mut out)?;
    Ok(out)
}

/// A term and its description, as a tagged paragraph.
fn tagged(page: &mut Roff, term: Vec<clap_mangen::roff::Inline>, description: &str) {
    page.control("TP", []);
    page.text(term);
    page.text([roman(description)]);
}

/// Every subcommand with its usage, what it does and its own arguments.
fn commands(page: &mut Roff, cmd: &Command) {
    page.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let usage = sub.clone().render_usage().to_string();
        let usage = usage.trim_start_matches("Usage:").trim();
        page.control("SS", [usage]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            page.text([roman(about.to_string())]);
        }
        let own = sub
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !a.is_global_set())
            .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"));
        for arg in own {
            tagged(page, arg_term(arg), &arg_help(arg));
        }
    }
}

/// `--format <FORMAT>` or `<FILE>`.
fn arg_term(arg: &Arg) -> Vec<clap_mangen::roff::Inline> {
    let value = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map_or_else(|| arg.get_id().as_str().to_uppercase(), |n| n.to_string());
    match arg.get_long() {
        Some(long) if arg.get_action().takes_values() => {
            vec![bold(format!("--{long}")), roman(" "), italic(value)]
        }
        Some(long) => vec![bold(format!("--{long}"))],
        None => vec![italic(format!("<{value}>"))],
    }
}

fn arg_help(arg: &Arg) -> String {
    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if values.is_empty() {
        help
    } else {
        format!("{help} [possible values: {}]", values.join(", "))
    }
}

/// The rule catalogue: code, severity, summary.
fn rules(page: &mut Roff) {
    page.control("SH", ["RULES"]);
    page.text([roman(
        "scplan check reports these rules; scplan explain CODE gives each one's reason and fix.",
    )]);
    for rule in registry::RULES {
        tagged(
            page,
            vec![
                bold(rule.code),
                roman(format!(" ({})", rule.severity.as_str())),
            ],
            rule.summary,
        );
    }
}

/// The editor's default keys, from its keymap table, by mode.
fn keys(page: &mut Roff) {
    page.control("SH", ["KEYS"]);
    page.text([roman(
        "The terminal editor's default keys (also on its help screen, ?). The [keys] table of \
         the configuration file overrides them (action = [keys]).",
    )]);
    let Ok(keymap) = Keymap::new(&Default::default()) else {
        return;
    };
    for mode in Mode::ALL {
        page.control("SS", [mode.title()]);
        for b in keymap.bindings(mode) {
            let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            tagged(page, vec![bold(keys.join(" "))], &b.help);
        }
    }
}

fn files_and_environment(page: &mut Roff) {
    page.control("SH", ["FILES"]);
    tagged(
        page,
        vec![italic("$XDG_CONFIG_HOME/scplan/config.toml")],
        "The configuration file (else ~/.config/scplan/config.toml): system_high, theme, \
         export_dir and [keys]. scplan config prints the settings in force and where each \
         came from; scplan config --check validates the file.",
    );
    tagged(
        page,
        vec![italic(".NAME.scplan-*")],
        "Files scplan writes beside a plan NAME while saving or editing (temporary, recovery \
         and lock files).",
    );
    page.control("SH", ["ENVIRONMENT"]);
    for (name, effect) in [
        ("NO_COLOR", "No colour in any output."),
        (
            "SCPLAN_CONFIG",
            "The configuration file to read, overriding XDG_CONFIG_HOME and HOME.",
        ),
        (
            "XDG_CONFIG_HOME, HOME",
            "Where the configuration file is looked for.",
        ),
        (
            "SCPLAN_TODAY",
            "Today's date (YYYY-MM-DD) instead of the clock.",
        ),
        (
            "SOURCE_DATE_EPOCH",
            "The time stamped on exports, for reproducible output.",
        ),
    ] {
        tagged(page, vec![bold(name)], effect);
    }
}

fn exit_status(page: &mut Roff) {
    page.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        (
            "0",
            "Success: the plan is clean, or the two versions are equal.",
        ),
        (
            "1",
            "Findings: an unwaived error (or warning with --deny-warnings), versions that \
             differ, or a request refused (a marking above the system high).",
        ),
        (
            "2",
            "A usage error, a bad setting or configuration file, or a file that cannot be \
             read or parsed.",
        ),
    ] {
        tagged(page, vec![bold(code)], meaning);
    }
}
