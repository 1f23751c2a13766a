//! Reading a plan and the failures of the store, as the commands report them.

use std::path::Path;

use anyhow::Result;

use scplan::store::{self, OsFs, StoreError};

use super::exit::{Code, fail};

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
