//! `scplan diff`: what changed between two versions of a plan.

use std::path::Path;

use anyhow::Result;

use scplan::check::Settings;
use scplan::diff::{self, VersionError};

use super::args::DiffFormat;
use super::exit::{Code, fail};
use super::files::read;
use super::output::print;

/// Prints the changes from `old` to `new`: exit 0 when there are none, 1 when there are.
pub fn run(old: &Path, new: &Path, format: DiffFormat, settings: &Settings) -> Result<Code> {
    let (a, b) = (load_version(old, settings)?, load_version(new, settings)?);
    let changes = diff::diff(&a, &b);
    if changes.is_empty() {
        return Ok(Code::Ok);
    }
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    print(&match format {
        DiffFormat::Human => diff::render::human(&changes, &old_name, &new_name),
        DiffFormat::Json => diff::render::json(&changes, &old_name, &new_name),
        DiffFormat::Md => diff::render::markdown(&changes, &a, &b, &old_name, &new_name),
    })?;
    Ok(Code::Findings)
}

/// Loads one version: exit 2 when it cannot be read or parsed, 1 when it is above the system
/// high.
fn load_version(file: &Path, settings: &Settings) -> Result<diff::Version> {
    let bytes = read(file)?;
    diff::Version::load(&bytes, settings).map_err(|err| match err {
        VersionError::Unreadable(_) => fail(Code::Usage, format!("{}: {err}", file.display())),
        VersionError::Syntax { .. } => fail(Code::Usage, format!("{}:{err}", file.display())),
        VersionError::AboveSystemHigh(_) => {
            fail(Code::Findings, format!("{}:{err}", file.display()))
        }
    })
}
