//! `scplan get`: one field's value, printed as TOML. What the path means is the library's
//! ([`scplan::edit::field`]); this reads the file and prints.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;

use scplan::check::Settings;
use scplan::edit::field::{self, FieldError};
use scplan::plan::path::FieldPath;
use scplan::text::sanitize_lines;

use super::exit::{Code, fail};
use super::files::{Input, read_input};
use super::output::print;

/// Prints the value of the field at `path` in `file` (a string's contents with `raw`), its
/// control characters made visible on a terminal.
pub fn run(file: &Path, path: &str, raw: bool, settings: &Settings) -> Result<Code> {
    let path = FieldPath::parse(path).map_err(|e| failure(file, e.into()))?;
    let bytes = read_input(&Input::of(file))?;
    let value = field::open(&bytes, settings)
        .and_then(|doc| field::get(&doc, &path))
        .map_err(|e| failure(file, e))?;
    let text = field::render(&value, raw);
    // A terminal gets control and invisible characters as stand-ins (an escape sequence in a
    // plan would act on it); a pipe gets the value as it is.
    let text = if std::io::stdout().is_terminal() {
        sanitize_lines(&text)
    } else {
        text
    };
    print(&format!("{text}\n"))?;
    Ok(Code::Ok)
}

/// A refusal of `get` or `set` as the run's failure: exit 2 when the plan cannot be checked
/// at all, 1 otherwise; the errors about the plan's content name its file.
pub fn failure(file: &Path, err: FieldError) -> anyhow::Error {
    match err {
        FieldError::Unreadable(_) => fail(Code::Usage, err.to_string()),
        FieldError::AboveSystemHigh(_) | FieldError::Syntax(_) => {
            fail(Code::Findings, format!("{}:{err}", file.display()))
        }
        _ => fail(Code::Findings, format!("{}: {err}", file.display())),
    }
}
