//! `scplan schema`: the JSON Schema of the plan format, for editors with TOML schema support.

use anyhow::Result;

use scplan::plan::json;

use super::exit::Code;
use super::output::print;

/// Prints the schema.
pub fn run() -> Result<Code> {
    print(&json::schema_text())?;
    Ok(Code::Ok)
}
