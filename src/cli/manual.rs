//! `scplan completions` and `scplan man`: the shell completion scripts and the manual page,
//! both made from the command line's grammar.

use anyhow::Result;
use clap::CommandFactory;

use scplan::manual;

use super::args::Cli;
use super::exit::Code;
use super::output::write_bytes;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<Code> {
    write_bytes(&manual::completions(shell, Cli::command()))?;
    Ok(Code::Ok)
}

/// Prints the manual page in roff.
pub fn man() -> Result<Code> {
    write_bytes(&manual::man_page(Cli::command())?)?;
    Ok(Code::Ok)
}
