//! `scplan edit FILE`, `scplan FILE` and a bare `scplan`: the terminal editor.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use clap::CommandFactory;

use scplan::store::{OsFs, StoreError};
use scplan::tui::app::App;
use scplan::tui::run::{self, StartError};

use super::args::Cli;
use super::exit::{Code, fail};
use super::files::missing;
use super::setup::Setup;

/// Opens one plan in the editor; its changes view compares with `since` (`None`: `HEAD`).
pub fn open(file: &Path, since: Option<String>, setup: &Setup) -> Result<Code> {
    let mut app = run::app(
        Arc::new(OsFs),
        Some(file),
        Vec::new(),
        &setup.env,
        &setup.config,
        setup.settings,
    )
    .map_err(|err| match &err {
        StartError::Store(StoreError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            missing(file)
        }
        _ => fail(Code::Usage, err.to_string()),
    })?;
    app.since = since;
    run_editor(app)
}

/// Opens the editor on the plans of the current folder; prints the help (exit 2) when there
/// are none.
pub fn folder(setup: &Setup) -> Result<Code> {
    let files = run::plan_files(Path::new("."));
    if files.is_empty() {
        Cli::command().print_help()?;
        return Ok(Code::Usage);
    }
    let app = run::app(
        Arc::new(OsFs),
        None,
        files,
        &setup.env,
        &setup.config,
        setup.settings,
    )
    .map_err(|e| fail(Code::Usage, e.to_string()))?;
    run_editor(app)
}

/// Runs the editor, which needs a terminal on both ends.
fn run_editor(app: App) -> Result<Code> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(fail(
            Code::Usage,
            "the editor needs a terminal; in scripts use `scplan check`, `scplan get` and `scplan set`",
        ));
    }
    run::run(app)?;
    Ok(Code::Ok)
}
