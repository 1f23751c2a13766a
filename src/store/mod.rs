//! The file system around a plan: reading it within the size limit, atomic saves, detection of
//! changes made on disk, the recovery file, the editing lock, and the panic hook that keeps
//! unsaved edits. Every access goes through a [`FileSystem`], so that tests can make a folder
//! read-only or a disk full. The files written beside a plan `NAME` are `.NAME.scplan-tmp-*`,
//! `.NAME.scplan-recovery` and `.NAME.scplan-lock`, beside the target of a symbolic link.

pub mod fs;
pub mod hash;
pub mod lock;
pub mod output;
pub mod panic;
pub mod process;
pub mod recovery;
pub mod save;

use std::io;
use std::path::{Path, PathBuf};

use crate::plan::source::MAX_PLAN_BYTES;

pub use fs::{FileSystem, NewMode, OsFs};
pub use hash::{ContentHash, changed_on_disk};
pub use lock::{Lock, LockHolder};
pub use output::{Outputs, check_output, export_outputs, record_beside, same_file, write_outputs};
pub use save::{
    SaveOptions, SaveReport, clean_stale_temps, derived_mode, file_bytes, save, save_and_hash,
};

/// Why a plan file (or a file beside it) could not be read or written. On every error of a
/// save the plan on disk is as it was.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is over the size limit.
    #[error("{}: the file is {size} bytes, over the 64 MiB limit for a plan", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// The path is a folder, a pipe or a device, not a plan file.
    #[error("{}: is {kind}, not a plan file; give the path of a .toml plan", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is (`a folder`, `a named pipe`, `a device`).
        kind: &'static str,
    },
    /// What would be saved is over the size limit: nothing is written.
    #[error(
        "{}: the plan would be {size} bytes, over the 64 MiB limit for a plan, and no command could open it again; nothing was written",
        path.display()
    )]
    WouldBeTooLarge {
        /// The plan.
        path: PathBuf,
        /// The size it would have.
        size: u64,
    },
    /// A file could not be written in its folder (full, read-only, not ours, a size limit).
    #[error("{}: cannot be written ({}){}", path.display(), crate::io_words::of(source), write_advice(source, path))]
    CannotWrite {
        /// The file that was to be written.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// An I/O error, with the file it concerns.
    #[error("{}: {}", path.display(), crate::io_words::of(source))]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// The file exists and must not be replaced.
    #[error("{}: the file already exists", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The plan's file lacks its owner's write permission: it is not saved over (whoever runs
    /// scplan, root included). Save it under another name instead.
    #[error("{}: the file is read-only; save it under another name", path.display())]
    ReadOnly {
        /// The plan as named by the user.
        path: PathBuf,
    },
    /// The file on disk is no longer what was loaded: someone else changed it since.
    #[error("{}: the file changed on disk since it was read; nothing was written", path.display())]
    ChangedOnDisk {
        /// The plan as named by the user.
        path: PathBuf,
    },
    /// Another scplan holds the plan's editing lock.
    #[error("{}: {}", path.display(), lock::describe(holder.as_ref(), lock))]
    Locked {
        /// The plan as named by the user.
        path: PathBuf,
        /// Who holds the lock, when its file could be read.
        holder: Option<LockHolder>,
        /// The lock file.
        lock: PathBuf,
    },
    /// An output path names the plan it is made from.
    #[error("{}: that is the plan itself; choose another output file", path.display())]
    IsThePlan {
        /// The output path as given.
        path: PathBuf,
    },
    /// A file was to be written where a folder is (or a path ending in `/` names one).
    #[error("{}: is a folder; name a file in it", path.display())]
    IsAFolder {
        /// The path as given.
        path: PathBuf,
    },
    /// The folder an output is to be written in does not exist.
    #[error("{}: the folder does not exist; create it first or choose another output", path.display())]
    MissingFolder {
        /// The folder.
        path: PathBuf,
    },
    /// What an output's path names as its folder is not a folder.
    #[error("{}: not a folder; choose another output", path.display())]
    NotAFolder {
        /// The path taken for a folder.
        path: PathBuf,
    },
    /// A release record would be written over the partner copy it accounts for.
    #[error("{}: the release record cannot be the copy itself; choose another --release-record", path.display())]
    RecordIsTheCopy {
        /// The path given for both.
        path: PathBuf,
    },
    /// A partner copy goes to standard output and no file was named for its release record.
    #[error(
        "a partner copy on standard output needs --release-record FILE, for the record of what was withheld (or write the copy with -o)"
    )]
    NoRecordPath,
    /// No copy of a plan marked above the system high is written (recovery file).
    #[error("{}: the plan is marked above the system high; no recovery copy is written", path.display())]
    AboveSystemHigh {
        /// The plan as named by the user.
        path: PathBuf,
    },
}

/// What to do when a file cannot be written into its folder, by why.
fn write_advice(err: &io::Error, path: &Path) -> String {
    let dir = folder(path);
    match err.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => format!(
            ": the disk holding {} is full; free some space, or write the file elsewhere",
            dir.display()
        ),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => format!(
            ": {} cannot be written to; write the file elsewhere",
            dir.display()
        ),
        io::ErrorKind::FileTooLarge => {
            ": a file size limit is in force (`ulimit -f`); raise it, or write elsewhere"
                .to_string()
        }
        _ => String::new(),
    }
}

/// The error of a file that could not be written beside `path` (its temporary file): said
/// of `path`, with what to do.
pub(crate) fn write_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::CannotWrite {
        path: path.to_path_buf(),
        source,
    }
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a path that is not a regular file is, in words.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a named pipe"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Reads a plan file, refusing one over 64 MiB before reading it, and anything but a regular
/// file.
pub fn read_plan(fs: &dyn FileSystem, path: &Path) -> Result<Vec<u8>, StoreError> {
    let too_large = |size| StoreError::TooLarge {
        path: path.to_path_buf(),
        size,
    };
    let meta = fs.metadata(path).map_err(io_err(path))?;
    // A folder, a pipe or a device is no plan: reading a pipe would wait for ever, a device
    // give no end.
    if !meta.is_file() {
        return Err(StoreError::NotAFile {
            path: path.to_path_buf(),
            kind: kind_of(&meta.file_type()),
        });
    }
    let size = meta.len();
    if size > MAX_PLAN_BYTES {
        return Err(too_large(size));
    }
    // Read one byte past the limit so that a file growing while read is still refused.
    let bytes = fs.read(path, MAX_PLAN_BYTES + 1).map_err(io_err(path))?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The file a save really writes: the target of a symbolic link (followed to the end), else
/// the path itself (also for a file that does not exist yet).
pub fn save_target(fs: &dyn FileSystem, path: &Path) -> Result<PathBuf, StoreError> {
    match fs.canonicalize(path) {
        Ok(target) => Ok(target),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(err) => Err(io_err(path)(err)),
    }
}

/// The name of a sidecar file beside `plan`: `.NAME.scplan-SUFFIX`.
pub fn sidecar(plan: &Path, suffix: &str) -> PathBuf {
    plan.with_file_name(format!(".{}.scplan-{suffix}", file_name(plan)))
}

/// The plan's file name as text ("" for a path without one).
fn file_name(plan: &Path) -> String {
    plan.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The folder holding `file` (`.` for a bare file name).
fn folder(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses a path to write a file at that is a folder, or that ends in `/` (which names a
/// folder, there or not).
pub fn not_a_folder(fs: &dyn FileSystem, path: &Path) -> Result<(), StoreError> {
    let slash = path.as_os_str().as_encoded_bytes().ends_with(b"/");
    let is_dir = fs.metadata(path).is_ok_and(|m| m.is_dir());
    if is_dir {
        return Err(StoreError::IsAFolder {
            path: path.to_path_buf(),
        });
    }
    if slash {
        return Err(StoreError::MissingFolder {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Refuses an output path whose folder does not exist or is no folder. Said before anything
/// is made: the atomic write would otherwise fail on its temporary file, and name that.
pub fn check_folder(fs: &dyn FileSystem, out: &Path) -> Result<(), StoreError> {
    let dir = folder(out);
    match fs.metadata(&dir) {
        Ok(meta) if !meta.is_dir() => Err(StoreError::NotAFolder { path: dir }),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            Err(StoreError::MissingFolder { path: dir })
        }
        Err(err) if err.kind() == io::ErrorKind::NotADirectory => {
            Err(StoreError::NotAFolder { path: dir })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_names_keep_the_extension() {
        assert_eq!(
            sidecar(Path::new("plans/eucom.toml"), "lock"),
            PathBuf::from("plans/.eucom.toml.scplan-lock")
        );
        assert_eq!(folder(Path::new("p.toml")), PathBuf::from("."));
        assert_eq!(folder(Path::new("a/p.toml")), PathBuf::from("a"));
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_PLAN_BYTES + 1).unwrap();
        assert!(matches!(
            read_plan(&OsFs, &path),
            Err(StoreError::TooLarge { size, .. }) if size == MAX_PLAN_BYTES + 1
        ));
    }
}
