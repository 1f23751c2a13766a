//! Reading a plan, rewriting it under its editing lock, and the failures of the store, as the
//! commands report them.

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;

use scplan::store::{self, ContentHash, Lock, OsFs, SaveOptions, StoreError};

use super::exit::{Code, fail};
use super::output::print_notes;

/// Reads a plan file: exit 2 when it is missing, unreadable or over the size limit.
pub fn read(file: &Path) -> Result<Vec<u8>> {
    store::read_plan(&OsFs, file).map_err(|err| match &err {
        StoreError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            missing(file)
        }
        _ => fail(Code::Usage, err.to_string()),
    })
}

/// The error for a plan that does not exist.
pub fn missing(file: &Path) -> anyhow::Error {
    fail(
        Code::Usage,
        format!(
            "{}: no such file; to start a plan, run `scplan new {} --command USEUCOM`",
            file.display(),
            file.display()
        ),
    )
}

/// A store error as the run's failure: a refusal (locked, changed on disk, read-only) exits 1,
/// anything else 2; nothing was written either way.
pub fn refused(err: StoreError) -> anyhow::Error {
    let code = match err {
        StoreError::Locked { .. }
        | StoreError::ChangedOnDisk { .. }
        | StoreError::ReadOnly { .. } => Code::Findings,
        _ => Code::Usage,
    };
    fail(code, format!("not saved: {err}"))
}

/// Rewrites a plan under its editing lock: reads it, lets `change` make its new bytes from the
/// old (`None`: nothing to write) and saves them atomically, refusing when the file changed on
/// disk meanwhile. The lock is held from the read to the write, so an editor that has the plan
/// open makes the command refuse, and no editor opens it meanwhile. Returns the bytes saved.
pub fn rewrite(
    file: &Path,
    change: impl FnOnce(&[u8]) -> Result<Option<Vec<u8>>>,
) -> Result<Option<Vec<u8>>> {
    if !file.exists() {
        return Err(missing(file));
    }
    let _lock = Lock::acquire(Arc::new(OsFs), file).map_err(refused)?;
    store::clean_stale_temps(&OsFs, file).map_err(refused)?;
    let loaded = read(file)?;
    let Some(bytes) = change(&loaded)? else {
        return Ok(None);
    };
    let options = SaveOptions {
        expect: Some(ContentHash::of(&loaded)),
        ..SaveOptions::default()
    };
    let report = store::save(&OsFs, file, &bytes, options).map_err(refused)?;
    print_notes(&report);
    Ok(Some(bytes))
}
