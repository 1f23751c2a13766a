//! The file system: reading a plan within the size limit, and atomic saves (a temporary file
//! in the same folder, fsync, rename over the plan, fsync the folder, permissions kept).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::plan::source::MAX_PLAN_BYTES;

/// Why a plan file could not be read or written.
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
    /// An I/O error, with the file it concerns.
    #[error("{}: {source}", path.display())]
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
    /// An output path names the plan it is made from.
    #[error("{}: that is the plan itself; choose another output file", path.display())]
    IsThePlan {
        /// The output path as given.
        path: PathBuf,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads a plan file, refusing one over 64 MiB before reading it.
pub fn read_plan(path: &Path) -> Result<Vec<u8>, StoreError> {
    let file = File::open(path).map_err(io_err(path))?;
    let size = file.metadata().map_err(io_err(path))?.len();
    if size > MAX_PLAN_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Read one byte past the limit so that a file growing while read is still refused.
    file.take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err(path))?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// The file a save really writes: the target of a symbolic link, else the path itself.
pub fn save_target(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether `a` and `b` name the same file once links and `..` are resolved; `b` need not
/// exist (its folder is resolved instead), so an output path can be compared with its plan.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| {
        fs::canonicalize(p).ok().or_else(|| {
            let name = p.file_name()?;
            let parent = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            Some(fs::canonicalize(parent).ok()?.join(name))
        })
    };
    match (resolve(a), resolve(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// Refuses an output path that is the plan itself (under any name), or that exists when
/// `replace` is not given.
pub fn check_output(plan: &Path, out: &Path, replace: bool) -> Result<(), StoreError> {
    if same_file(plan, out) {
        return Err(StoreError::IsThePlan {
            path: out.to_path_buf(),
        });
    }
    if !replace && fs::symlink_metadata(out).is_ok() {
        return Err(StoreError::Exists {
            path: out.to_path_buf(),
        });
    }
    Ok(())
}

/// The name of a sidecar file beside `plan`: `.NAME.scplan-SUFFIX`.
pub fn sidecar(plan: &Path, suffix: &str) -> PathBuf {
    let name = plan
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    plan.with_file_name(format!(".{name}.scplan-{suffix}"))
}

/// Writes `bytes` to `path` atomically: readers see the old or the new content, never a mix.
/// With `create_new`, an existing file is refused.
pub fn write_atomic(path: &Path, bytes: &[u8], create_new: bool) -> Result<(), StoreError> {
    if create_new && fs::symlink_metadata(path).is_ok() {
        return Err(StoreError::Exists {
            path: path.to_path_buf(),
        });
    }
    let target = save_target(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    let tmp = sidecar(&target, &format!("tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io_err(&tmp))?;
        file.write_all(bytes).map_err(io_err(&tmp))?;
        if let Some(perms) = &permissions {
            file.set_permissions(perms.clone()).map_err(io_err(&tmp))?;
        }
        file.sync_all().map_err(io_err(&tmp))?;
        drop(file);
        if create_new && fs::symlink_metadata(&target).is_ok() {
            return Err(StoreError::Exists {
                path: path.to_path_buf(),
            });
        }
        fs::rename(&tmp, &target).map_err(io_err(&target))?;
        // The rename is durable only once the folder itself is on disk.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
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
    }

    #[test]
    fn same_file_sees_through_links_and_missing_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("p.toml");
        fs::write(&plan, "x").unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        assert!(same_file(&plan, &sub.join("../p.toml")));
        assert!(matches!(
            check_output(&plan, &sub.join("../p.toml"), true),
            Err(StoreError::IsThePlan { .. })
        ));
        assert!(matches!(
            check_output(&dir.path().join("x"), &plan, false),
            Err(StoreError::Exists { .. })
        ));
        assert!(check_output(&dir.path().join("x"), &plan, true).is_ok());
        assert!(!same_file(&plan, &dir.path().join("p.html")));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.toml");
            std::os::unix::fs::symlink(&plan, &link).unwrap();
            assert!(same_file(&plan, &link));
        }
    }

    #[test]
    fn atomic_write_replaces_and_refuses_existing_when_new() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        write_atomic(&path, b"one", true).unwrap();
        assert!(matches!(
            write_atomic(&path, b"two", true),
            Err(StoreError::Exists { .. })
        ));
        write_atomic(&path, b"two", false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1);
    }
}
