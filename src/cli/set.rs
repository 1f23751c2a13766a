//! `scplan set`: one field changed, the rest of the file kept byte for byte. What the path
//! and the value mean is the library's ([`scplan::edit::field`]); this reads the file, saves
//! it under the editing lock and reports what the change left wrong.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;

use scplan::check::Settings;
use scplan::edit::field;
use scplan::plan::path::FieldPath;
use scplan::store::{self, ContentHash, Lock, OsFs, SaveOptions};

use super::exit::Code;
use super::files::{missing, read, refused};
use super::get::failure;
use super::output::{list_on_stderr, print_notes};

/// Sets the field at `path` in `file` to the TOML `value` and saves the plan atomically,
/// then lists the diagnostics about the item changed.
pub fn run(file: &Path, path: &str, value: &str, settings: &Settings, mono: bool) -> Result<Code> {
    let path = FieldPath::parse(path).map_err(|e| failure(file, e.into()))?;
    let value = field::parse_value(&path, value).map_err(|e| failure(file, e))?;
    if !file.exists() {
        return Err(missing(file));
    }
    // Hold the editing lock from the read to the write: an editor that has the plan open
    // makes `set` refuse, and no editor opens it meanwhile.
    let _lock = Lock::acquire(Arc::new(OsFs), file).map_err(refused)?;
    store::clean_stale_temps(&OsFs, file).map_err(refused)?;
    let loaded = read(file)?;
    let mut doc = field::open(&loaded, settings).map_err(|e| failure(file, e))?;
    field::set(&mut doc, &path, value).map_err(|e| failure(file, e))?;
    let bytes = doc.to_bytes();
    let options = SaveOptions {
        expect: Some(ContentHash::of(&loaded)),
        ..SaveOptions::default()
    };
    let report = store::save(&OsFs, file, &bytes, options).map_err(refused)?;
    print_notes(&report);
    // Report what the change left wrong with this item.
    if let Ok(checked) = field::recheck(&bytes, &path, settings) {
        list_on_stderr(file, checked, |_| true, mono);
    }
    Ok(Code::Ok)
}
