//! `scplan set`: one field changed, the rest of the file kept byte for byte. What the path
//! and the value mean is the library's ([`scplan::edit::field`]); this reads the file, saves
//! it under the editing lock and reports what the change left wrong. A scalar replaced in
//! place costs one check ([`scplan::edit::splice`]); anything else goes through the document.

use std::path::Path;

use anyhow::Result;

use scplan::check::{self, Settings};
use scplan::edit::{field, splice};
use scplan::plan::path::FieldPath;
use scplan::plan::source;

use super::exit::Code;
use super::files::rewrite;
use super::get::failure;
use super::output::list_on_stderr;

/// Sets the field at `path` in `file` to the TOML `value` and saves the plan atomically,
/// then lists the diagnostics about the item changed.
pub fn run(file: &Path, path: &str, value: &str, settings: &Settings, mono: bool) -> Result<Code> {
    let path = FieldPath::parse(path).map_err(|e| failure(file, e.into()))?;
    let value = field::parse_value(&path, value).map_err(|e| failure(file, e))?;
    // The in-place way checks the new plan already: that check is the report.
    let mut checked = None;
    let saved = rewrite(file, |loaded| {
        if let Some(spliced) =
            splice::set(loaded, &path, &value, settings).map_err(|e| failure(file, e))?
        {
            checked = Some(spliced.checked);
            return Ok(Some(spliced.bytes));
        }
        let mut doc = field::open(loaded, settings).map_err(|e| failure(file, e))?;
        field::set(&mut doc, &path, value.clone()).map_err(|e| failure(file, e))?;
        Ok(Some(source::line_ends_like(&[loaded], doc.to_bytes())))
    })?;
    // Report what the change left wrong with this item, and the plan's summary.
    let checked = match checked {
        Some(checked) => Some(checked),
        None => saved.and_then(|bytes| check::check_bytes(&bytes, settings).ok()),
    };
    if let Some(checked) = checked {
        list_on_stderr(file, checked, field::about_item(&path, &value), mono);
    }
    Ok(Code::Ok)
}
