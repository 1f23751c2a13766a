//! `scplan set`: one field changed, the rest of the file kept byte for byte. What the path
//! and the value mean is the library's ([`scplan::edit::field`]); this reads the file, saves
//! it under the editing lock and reports what the change left wrong.

use std::path::Path;

use anyhow::Result;

use scplan::check::Settings;
use scplan::edit::field;
use scplan::plan::path::FieldPath;

use super::exit::Code;
use super::files::rewrite;
use super::get::failure;
use super::output::list_on_stderr;

/// Sets the field at `path` in `file` to the TOML `value` and saves the plan atomically,
/// then lists the diagnostics about the item changed.
pub fn run(file: &Path, path: &str, value: &str, settings: &Settings, mono: bool) -> Result<Code> {
    let path = FieldPath::parse(path).map_err(|e| failure(file, e.into()))?;
    let value = field::parse_value(&path, value).map_err(|e| failure(file, e))?;
    let saved = rewrite(file, |loaded| {
        let mut doc = field::open(loaded, settings).map_err(|e| failure(file, e))?;
        field::set(&mut doc, &path, value).map_err(|e| failure(file, e))?;
        Ok(Some(doc.to_bytes()))
    })?;
    // Report what the change left wrong with this item.
    if let Some(checked) = saved.and_then(|bytes| field::recheck(&bytes, &path, settings).ok()) {
        list_on_stderr(file, checked, |_| true, mono);
    }
    Ok(Code::Ok)
}
