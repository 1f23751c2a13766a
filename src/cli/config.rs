//! `scplan config`: the settings in force and where each came from, or a check of the file.

use anyhow::Result;

use scplan::plan::marking::Level;

use super::exit::Code;
use super::output::print;
use super::setup::Setup;

/// Prints the report of the settings (`system_high` is the `--system-high` flag), or with
/// `check` only the validation of the config file (a bad file has already exited 2).
pub fn run(check: bool, system_high: Option<Level>, setup: &Setup) -> Result<Code> {
    print(&if check {
        setup.config.validation(&setup.location)
    } else {
        setup
            .config
            .report(&setup.location, system_high, setup.env.no_color)
    })?;
    Ok(Code::Ok)
}
