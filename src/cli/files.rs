//! Reading a plan, from a file or from a git revision (`REV:PATH`), rewriting it under its
//! editing lock, and the failures of the store, as the commands report them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;

use scplan::store::{self, ContentHash, Lock, OsFs, SaveOptions, StoreError};
use scplan::vcs::{Repo, VcsError};

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
    if file == Path::new("-") {
        return fail(
            Code::Usage,
            "`-`: scplan reads plans from files, not from standard input; give the plan's path"
                .to_string(),
        );
    }
    let name = file.to_string_lossy();
    let advice = if name.contains(':') {
        // A revision where this command reads files only.
        "; only `check`, `export`, `get` and `diff` read a plan from a revision (REV:PATH)"
            .to_string()
    } else if file.extension().is_some_and(|x| x == "toml") {
        format!(
            "; to start a plan, run `scplan new {} --command USEUCOM`",
            file.display()
        )
    } else {
        String::new()
    };
    fail(
        Code::Usage,
        format!("{}: no such file{advice}", file.display()),
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

/// Where a plan is read from: a file, or the file at a git revision (`REV:PATH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file on disk.
    File(PathBuf),
    /// The file at `path` (as given: relative to the current folder, or absolute) in the
    /// revision `rev` (empty: the index).
    Revision {
        /// Any git revision: `HEAD~1`, `v2026.1`, a commit.
        rev: String,
        /// The file.
        path: PathBuf,
    },
}

impl Input {
    /// Reads a command-line argument: a file that exists is that file, even when its name has
    /// a colon; otherwise `REV:PATH` (split at the first colon) is a revision's file.
    pub fn of(arg: &Path) -> Input {
        if std::fs::symlink_metadata(arg).is_ok() {
            return Input::File(arg.to_path_buf());
        }
        match arg.to_str().and_then(|s| s.split_once(':')) {
            Some((rev, path)) => Input::Revision {
                rev: rev.to_string(),
                path: PathBuf::from(path),
            },
            None => Input::File(arg.to_path_buf()),
        }
    }

    /// The file in the work tree the input is, which no output may replace: a revision's is
    /// the file of its path now, found as the revision's is (from the current folder, else
    /// from the top of the repository).
    pub fn working_file(&self) -> PathBuf {
        match self {
            Input::File(path) => path.clone(),
            Input::Revision { path, .. } => {
                if std::fs::symlink_metadata(path).is_ok() {
                    return path.clone();
                }
                let from_top = std::env::current_dir()
                    .ok()
                    .and_then(|here| Repo::discover(&here).ok())
                    .and_then(|repo| Some(repo.top().join(repo.from_top(path)?)));
                from_top.unwrap_or_else(|| path.clone())
            }
        }
    }

    /// The input as the user names it (`plans/eucom.toml`, `HEAD~1:plans/eucom.toml`).
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Revision { rev, path } => format!("{rev}:{}", path.display()),
        }
    }
}

/// Reads a plan from a file or a revision: exit 2 when it cannot be read (no such file, no
/// git, not a repository, no such revision, over the size limit).
pub fn read_input(input: &Input) -> Result<Vec<u8>> {
    match input {
        Input::File(path) => read(path),
        Input::Revision { .. } => read_input_or_message(input)
            .map_err(|m| fail(Code::Usage, format!("{}: {m}", input.name()))),
    }
}

/// [`read_input`] for `check`, whose report names the input: the reason alone, as text.
pub fn read_input_or_message(input: &Input) -> std::result::Result<Vec<u8>, String> {
    match input {
        // The report names the file already: the reason alone.
        Input::File(path) => store::read_plan(&OsFs, path).map_err(|e| match e {
            StoreError::Io { source, .. } => scplan::io_words::of(&source),
            StoreError::TooLarge { size, .. } => {
                format!("the file is {size} bytes, over the 64 MiB limit for a plan")
            }
            StoreError::NotAFile { kind, .. } => format!("is {kind}, not a plan file"),
            other => other.to_string(),
        }),
        Input::Revision { rev, path } => read_revision(rev, path).map_err(|err| match err {
            // The argument may have been meant as a file name.
            VcsError::NoGit | VcsError::NotARepository(_) | VcsError::NoSuchRevision(_) => {
                format!("no such file, and {err}")
            }
            other => other.to_string(),
        }),
    }
}

/// The bytes of `path` in revision `rev`, asked of git from the current folder: the path is
/// taken from the current folder, and when the revision has no file there, from the top of
/// the repository, as git itself names `REV:PATH` (`HEAD:plans/eucom.toml` from `plans/`).
fn read_revision(rev: &str, path: &Path) -> std::result::Result<Vec<u8>, VcsError> {
    let here = std::env::current_dir()?;
    let repo = Repo::discover(&here)?;
    match repo.read_file(rev, &repo.tree_path(path)?) {
        Err(missing @ VcsError::NoSuchPath { .. }) => match repo.from_top(path) {
            Some(from_top) => repo.read_file(rev, &from_top).map_err(|_| missing),
            None => Err(missing),
        },
        read => read,
    }
}
