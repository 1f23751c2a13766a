//! `scplan git-setup`: the `.gitattributes` line that sends plans to scplan's merge driver, and
//! the repository configuration that defines the driver. Both are idempotent: what is already
//! there is left as it is.

use std::io;
use std::path::PathBuf;

use super::{Repo, VcsError};

/// The driver's name in `.gitattributes` (`merge=scplan`) and in the configuration.
pub const DRIVER_NAME: &str = "scplan";

/// The command git runs for a merge: base, ours and theirs as temporary files, the result
/// written over ours, the conflict marker size and the path the result is stored under.
pub const DRIVER_COMMAND: &str = "scplan merge %O %A %B -o %A -L %L --path %P";

/// The driver's human-readable name (`merge.scplan.name`).
pub const DRIVER_LABEL: &str = "scplan: plans merged item by item";

/// The files sent to the driver unless another pattern is given. scplan merges a TOML file
/// that is not a plan line by line, as git would, so every TOML file may go to it.
pub const DEFAULT_PATTERN: &str = "*.toml";

/// The `.gitattributes` line for `pattern`.
pub fn attributes_line(pattern: &str) -> String {
    format!("{pattern} merge={DRIVER_NAME}")
}

/// The configuration the driver needs, key and value.
pub fn config_entries() -> [(String, &'static str); 2] {
    [
        (format!("merge.{DRIVER_NAME}.name"), DRIVER_LABEL),
        (format!("merge.{DRIVER_NAME}.driver"), DRIVER_COMMAND),
    ]
}

/// What `.gitattributes` at the top of the work tree must become so that `pattern` goes to
/// the driver: `None` when a line already does so, else the file's path and new content
/// (the old content with the line added).
pub fn attributes_update(
    repo: &Repo,
    pattern: &str,
) -> Result<Option<(PathBuf, Vec<u8>)>, VcsError> {
    let path = repo.top().join(".gitattributes");
    let old = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(err) => return Err(err.into()),
    };
    let wanted = format!("merge={DRIVER_NAME}");
    let present = String::from_utf8_lossy(&old).lines().any(|line| {
        let mut fields = line.split_whitespace();
        fields.next() == Some(pattern) && fields.any(|attribute| attribute == wanted)
    });
    if present {
        return Ok(None);
    }
    let mut new = old;
    if !new.is_empty() && !new.ends_with(b"\n") {
        new.push(b'\n');
    }
    new.extend_from_slice(attributes_line(pattern).as_bytes());
    new.push(b'\n');
    Ok(Some((path, new)))
}

/// Sets each configuration entry that is not already set to its value; returns each key and
/// value with whether it was written now.
pub fn configure(repo: &Repo) -> Result<Vec<(String, &'static str, bool)>, VcsError> {
    let mut out = Vec::new();
    for (key, value) in config_entries() {
        let written = if repo.config_get(&key)?.as_deref() == Some(value) {
            false
        } else {
            repo.config_set(&key, value)?;
            true
        };
        out.push((key, value, written));
    }
    Ok(out)
}
