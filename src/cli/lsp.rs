//! `scplan lsp`: the language server on standard input and output, until the editor exits.

use std::io;

use anyhow::Result;

use scplan::lsp::{self, Ending, Options};

use super::exit::{Code, fail};
use super::setup::Setup;

/// Serves the editor on this process's standard input and output. Exit status 0 after the
/// protocol's `shutdown` and `exit`, 1 when the editor exits or hangs up without `shutdown`
/// (as the protocol asks), 2 when the connection fails.
pub fn run(setup: &Setup) -> Result<Code> {
    let options = Options {
        settings: setup.settings,
        today: setup.env.today,
    };
    let ending = lsp::serve(io::stdin().lock(), io::stdout().lock(), options)
        .map_err(|e| fail(Code::Usage, e.to_string()))?;
    Ok(match ending {
        Ending::Clean => Code::Ok,
        Ending::WithoutShutdown | Ending::Closed => Code::Findings,
    })
}
