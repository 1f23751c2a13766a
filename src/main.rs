//! The `scplan` command line: it parses the arguments and hands each command to its module
//! under `cli/`, which gives the exit status (defined in `cli/exit.rs`).
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use cli::args::{Cli, Command, ReviewFormat};
use cli::exit::{self, Code, fail};
use cli::setup::Setup;

/// Parses the arguments (clap exits 2 itself on a usage error), runs, and exits with the status.
fn main() -> ExitCode {
    // Under a file size limit (`ulimit -f`) a write past it would kill the process with no
    // word and leave its temporary file; with the signal noted, the write fails (EFBIG) and
    // is reported like any other.
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    match run(Cli::parse()) {
        Ok(code) => code.into(),
        Err(err) => exit::report(&err).into(),
    }
}

/// Runs what the command line asks for.
fn run(args: Cli) -> Result<Code> {
    // Global options may come before the subcommand, so clap accepts a FILE there too.
    if let (Some(_), Some(file)) = (&args.command, &args.file) {
        return Err(fail(
            Code::Usage,
            format!(
                "unexpected argument `{}` before the subcommand; to open a plan, run `scplan FILE` alone",
                file.display()
            ),
        ));
    }
    if let (Some(_), Some(_)) = (&args.command, &args.since) {
        return Err(fail(
            Code::Usage,
            "--since before a subcommand: it belongs to the editor (`scplan edit FILE --since REV`)",
        ));
    }
    let setup = Setup::load(args.system_high, args.config)?;
    let command = match (args.command, args.file) {
        (Some(command), _) => command,
        (None, Some(file)) => Command::Edit {
            file,
            since: args.since,
        },
        (None, None) => return cli::edit::folder(&setup),
    };
    let (settings, mono) = (setup.settings, setup.mono);
    match command {
        Command::Edit { file, since } => cli::edit::open(&file, since, &setup),
        Command::New {
            file,
            command,
            effective,
            schema,
            level,
        } => cli::new::run(
            &file,
            &command,
            effective.unwrap_or_else(|| scplan::template::next_october_first(setup.env.today)),
            schema.as_deref(),
            level,
        ),
        Command::Check {
            files,
            format,
            deny_warnings,
        } => cli::check::run(&files, format, deny_warnings, &settings, mono),
        Command::Export {
            file,
            format,
            output,
            force,
            draft,
            releasable_to,
            release_record,
        } => cli::export::run(
            &file,
            output.as_deref(),
            release_record.as_deref(),
            force,
            scplan::export::Request {
                format,
                draft,
                releasable_to,
                time: setup.env.stamp_time(),
            },
            &settings,
            mono,
        ),
        Command::Get { file, path, raw } => cli::get::run(&file, &path, raw, &settings),
        Command::Set { file, path, value } => cli::set::run(&file, &path, &value, &settings, mono),
        Command::Review {
            file,
            list,
            confirm,
            confirm_all_of,
            format,
        } => {
            if list {
                cli::review::list(&file, format.unwrap_or(ReviewFormat::Text), &settings)
            } else {
                cli::review::confirm(&file, &confirm, confirm_all_of.as_deref(), &settings)
            }
        }
        Command::StampLinks { file } => cli::stamp_links::run(&file, &settings),
        Command::Diff { old, new, format } => {
            cli::diff::run(&old, new.as_deref(), format, &settings)
        }
        Command::Merge {
            base,
            ours,
            theirs,
            output,
            labels,
            marker_size,
            path,
        } => cli::merge::run(
            [&base, &ours, &theirs],
            output.as_deref(),
            cli::merge::options(&labels, marker_size)?,
            path.as_deref(),
            &settings,
            mono,
        ),
        Command::GitSetup { pattern } => cli::git_setup::run(&pattern),
        Command::Rules => cli::explain::rules(),
        Command::Explain { code } => cli::explain::explain(&code),
        Command::Schema => cli::schema::run(),
        Command::Completions { shell } => cli::manual::completions(shell),
        Command::Man => cli::manual::man(),
        Command::Config { check } => cli::config::run(check, args.system_high, &setup),
        Command::Lsp => cli::lsp::run(&setup),
    }
}
