//! Atomic saves: the bytes go to a temporary file in the plan's folder, flushed to disk, renamed
//! over the plan, and the folder flushed; the plan's permissions, owner and extended attributes
//! are kept. Readers (and a crash at any moment) see the old or the new content, never a mix.

use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::hash::{self, ContentHash};
use super::{FileSystem, StoreError, file_name, folder, io_err, process, save_target, sidecar};

/// What a save must make sure of before it replaces the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveOptions {
    /// Refuse when anything is at the path already (`scplan new`, save-as without overwrite).
    pub create_new: bool,
    /// Refuse when the file no longer has the content that hashed to this (it was changed on
    /// disk since it was loaded); `None` overwrites whatever is there.
    pub expect: Option<ContentHash>,
}

/// A successful save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveReport {
    /// The file written: the target of a symbolic link, else the path itself.
    pub written: PathBuf,
    /// What could not be kept or made durable, one line each (an owner, an extended attribute,
    /// the folder flush), to be shown to the user.
    pub notes: Vec<String>,
}

/// The permission bits of a plan that its owner may write.
const OWNER_WRITE: u32 = 0o200;

/// Saves `bytes` as the plan at `path` atomically. A symbolic link is kept and its target
/// replaced. A plan whose owner write bit is clear is refused ([`StoreError::ReadOnly`]) even
/// for root; so is one that changed since it was loaded ([`StoreError::ChangedOnDisk`], with
/// [`SaveOptions::expect`]). On any error the plan on disk is untouched.
pub fn save(
    fs: &dyn FileSystem,
    path: &Path,
    bytes: &[u8],
    options: SaveOptions,
) -> Result<SaveReport, StoreError> {
    let exists = || StoreError::Exists {
        path: path.to_path_buf(),
    };
    if options.create_new && fs.exists(path).map_err(io_err(path))? {
        return Err(exists());
    }
    let target = save_target(fs, path)?;
    let old = match fs.metadata(&target) {
        Ok(meta) => Some(meta),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(io_err(&target)(err)),
    };
    if old.as_ref().is_some_and(|m| m.mode() & OWNER_WRITE == 0) {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    let mode = old.as_ref().map(|m| m.mode() & 0o777);
    let notes = replace(fs, &target, &target, bytes, mode, |tmp| {
        let notes = match old {
            Some(_) => fs.copy_attributes(&target, tmp),
            None => Vec::new(),
        };
        // Checked last, right before the rename, to leave the smallest window.
        if options.create_new && fs.exists(&target).map_err(io_err(&target))? {
            return Err(exists());
        }
        if let Some(expected) = options.expect
            && hash::current(fs, &target)? != Some(expected)
        {
            return Err(StoreError::ChangedOnDisk {
                path: path.to_path_buf(),
            });
        }
        Ok(notes)
    })?;
    Ok(SaveReport {
        written: target,
        notes,
    })
}

/// Numbers the temporary files of this process, so that two saves at once never share one.
static TEMP_COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh temporary file name beside the plan: `.NAME.scplan-tmp-PID-N`.
fn temp_path(plan: &Path) -> PathBuf {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    sidecar(plan, &format!("tmp-{}-{n}", std::process::id()))
}

/// Writes `bytes` to a new temporary file beside `plan` (with `mode`, else the default), lets
/// `ready` finish it or refuse, renames it over `dest` and flushes the folder. Returns the
/// notes of `ready` and of the flush. On any error the temporary file is removed and `dest`
/// is as it was.
pub(crate) fn replace(
    fs: &dyn FileSystem,
    plan: &Path,
    dest: &Path,
    bytes: &[u8],
    mode: Option<u32>,
    ready: impl FnOnce(&Path) -> Result<Vec<String>, StoreError>,
) -> Result<Vec<String>, StoreError> {
    let tmp = temp_path(plan);
    let result = fs
        .create_new(&tmp, bytes, mode)
        .map_err(io_err(&tmp))
        .and_then(|()| ready(&tmp))
        .and_then(|notes| {
            fs.rename(&tmp, dest).map_err(io_err(dest))?;
            Ok(notes)
        });
    let mut notes = match result {
        Ok(notes) => notes,
        Err(err) => {
            // The temporary file may not exist (creation failed): nothing to report then.
            let _ = fs.remove_file(&tmp);
            return Err(err);
        }
    };
    // The rename is durable only once the folder itself is on disk.
    let dir = folder(dest);
    if let Err(err) = fs.sync_dir(&dir) {
        notes.push(format!(
            "the folder {} could not be flushed to disk ({err}); the save may not survive a power cut",
            dir.display()
        ));
    }
    Ok(notes)
}

/// Removes the temporary files that a crashed save left beside the plan at `path`: those
/// named after a process that no longer runs here. Returns the files removed. Call it when a
/// plan is opened.
pub fn clean_stale_temps(fs: &dyn FileSystem, path: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let target = save_target(fs, path)?;
    let dir = folder(&target);
    let prefix = format!(".{}.scplan-tmp-", file_name(&target));
    let mut removed = Vec::new();
    for name in fs.list_dir(&dir).map_err(io_err(&dir))? {
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let writer = rest
            .split('-')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok());
        if writer.is_some_and(|pid| pid == std::process::id() || process::alive(pid)) {
            continue;
        }
        let stale = dir.join(name.as_ref());
        match fs.remove_file(&stale) {
            Ok(()) => removed.push(stale),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(io_err(&stale)(err)),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OsFs;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_keeping_the_mode_and_refuses_existing_when_new() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        let new = SaveOptions {
            create_new: true,
            ..SaveOptions::default()
        };
        save(&OsFs, &path, b"one", new).unwrap();
        assert!(matches!(
            save(&OsFs, &path, b"two", new),
            Err(StoreError::Exists { .. })
        ));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let report = save(&OsFs, &path, b"two", SaveOptions::default()).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
        assert_eq!(report.written, fs::canonicalize(&path).unwrap());
        assert_eq!(names(dir.path()), ["p.toml"]);
    }

    #[test]
    fn a_symbolic_link_is_kept_and_its_target_saved() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("link.toml");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        save(&OsFs, &link, b"new", SaveOptions::default()).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn no_owner_write_bit_is_refused_even_for_root() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = save(&OsFs, &path, b"new", SaveOptions::default()).unwrap_err();
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
        assert!(err.to_string().contains("save it under another name"));
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["p.toml"]);
    }

    #[test]
    fn a_file_changed_since_it_was_loaded_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, "loaded").unwrap();
        let loaded = ContentHash::of(b"loaded");
        fs::write(&path, "changed by someone else").unwrap();
        let expect = SaveOptions {
            expect: Some(loaded),
            ..SaveOptions::default()
        };
        let err = save(&OsFs, &path, b"mine", expect).unwrap_err();
        assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"changed by someone else");
        assert_eq!(names(dir.path()), ["p.toml"]);
        fs::write(&path, "loaded").unwrap();
        save(&OsFs, &path, b"mine", expect).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"mine");
    }

    #[test]
    fn extended_attributes_are_kept_where_the_file_system_has_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, "old").unwrap();
        if xattr::set(&path, "user.scplan-test", b"kept").is_err() {
            // This file system takes no user attributes: there is nothing to keep.
            return;
        }
        let report = save(&OsFs, &path, b"new", SaveOptions::default()).unwrap();
        assert_eq!(report.notes, Vec::<String>::new());
        assert_eq!(
            xattr::get(&path, "user.scplan-test").unwrap().as_deref(),
            Some(&b"kept"[..])
        );
    }

    #[test]
    fn only_temporary_files_of_dead_processes_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, "plan").unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let own = std::process::id();
        for name in [
            format!(".p.toml.scplan-tmp-{dead}-0"),
            format!(".p.toml.scplan-tmp-{own}-7"),
            ".p.toml.scplan-tmp-garbage".to_string(),
            format!(".q.toml.scplan-tmp-{dead}-0"),
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        let removed = clean_stale_temps(&OsFs, &path).unwrap();
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert_eq!(
            names(dir.path()),
            [
                format!(".p.toml.scplan-tmp-{own}-7"),
                format!(".q.toml.scplan-tmp-{dead}-0"),
                "p.toml".to_string()
            ]
        );
    }
}
