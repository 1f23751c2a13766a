//! The file-system layer every store operation goes through. [`OsFs`] is the real one; tests
//! wrap it to make a folder read-only or a disk full and check that nothing is lost.

use std::ffi::OsString;
use std::fs::{self, File, Metadata, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The file operations a save, a recovery file and a lock need.
pub trait FileSystem: Send + Sync {
    /// Reads a file, at most `limit` bytes of it.
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;
    /// The metadata of a file, following symbolic links.
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;
    /// Whether anything, a dangling symbolic link included, is at `path`.
    fn exists(&self, path: &Path) -> io::Result<bool>;
    /// The path with every symbolic link resolved.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// Creates a file that must not exist yet, with the permission bits `mode` asks for from
    /// the start, writes `bytes` and flushes them to disk.
    fn create_new(&self, path: &Path, bytes: &[u8], mode: NewMode) -> io::Result<()>;
    /// Gives `to` the owner, group and extended attributes of `from` where the system allows;
    /// returns a line for each one that could not be kept.
    fn copy_attributes(&self, from: &Path, to: &Path) -> Vec<String>;
    /// Renames `from` over `to` in one step.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes a folder's entries (a rename in it) to disk.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Removes a file.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// The names of the entries of a folder.
    fn list_dir(&self, dir: &Path) -> io::Result<Vec<OsString>>;
    /// Creates a folder and every missing folder above it. The operating system's unless a
    /// layer overrides it (a layer that only injects faults into writing files need not).
    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)
    }
}

/// The permission bits a new file is created with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewMode {
    /// The system default: 0666 less the umask.
    Default,
    /// Exactly these bits, whatever the umask: a save keeps the plan's mode, a recovery file
    /// is 0600.
    Exact(u32),
    /// These bits less the umask: a file made from a plan (an export, a release record, a
    /// save-as) is open to no one the plan is not open to, nor beyond what the umask allows.
    Masked(u32),
}

impl std::fmt::Debug for dyn FileSystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileSystem")
    }
}

/// The operating system's file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsFs;

impl FileSystem for OsFs {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let file = File::open(path)?;
        // Sized from the file's length, the buffer is filled in place instead of growing (and
        // being copied) by doubling; a file that grows meanwhile is still read to `limit`.
        let size = file.metadata().map_or(0, |m| m.len()).min(limit);
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(limit).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        fs::metadata(path)
    }

    fn exists(&self, path: &Path) -> io::Result<bool> {
        match fs::symlink_metadata(path) {
            Ok(_) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err),
        }
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        fs::canonicalize(path)
    }

    fn create_new(&self, path: &Path, bytes: &[u8], mode: NewMode) -> io::Result<()> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        // The kernel takes the umask off the bits given at creation; only an exact mode is
        // set again afterwards, to undo that.
        if let NewMode::Exact(bits) | NewMode::Masked(bits) = mode {
            options.mode(bits);
        }
        let mut file = options.open(path)?;
        if let NewMode::Exact(bits) = mode {
            file.set_permissions(Permissions::from_mode(bits))?;
        }
        file.write_all(bytes)?;
        file.sync_all()
    }

    fn copy_attributes(&self, from: &Path, to: &Path) -> Vec<String> {
        let mut lost = Vec::new();
        if let (Ok(old), Ok(new)) = (fs::metadata(from), fs::metadata(to))
            && (old.uid(), old.gid()) != (new.uid(), new.gid())
            && let Err(err) = std::os::unix::fs::chown(to, Some(old.uid()), Some(old.gid()))
        {
            // Only root gives a file away; an ordinary user may still keep its group.
            let group_kept = old.gid() == new.gid()
                || std::os::unix::fs::chown(to, None, Some(old.gid())).is_ok();
            let what = if group_kept {
                "owner"
            } else {
                "owner and group"
            };
            lost.push(format!("{what} {}:{} ({err})", old.uid(), old.gid()));
        }
        if let (Ok(old), Ok(new)) = (fs::metadata(from), fs::metadata(to)) {
            let want = old.mode() & 0o7777;
            // A change of owner clears the set-ID bits: they are set again after it.
            if new.mode() & 0o7777 != want {
                let _ = fs::set_permissions(to, Permissions::from_mode(want));
            }
            let got = fs::metadata(to).map_or(want, |m| m.mode() & 0o7777);
            if want != got {
                lost.push(format!(
                    "permissions {want:04o} (kept as {got:04o}: the system clears the special bits here)"
                ));
            }
        }
        lost.extend(copy_xattrs(from, to));
        lost
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        File::open(dir)?.sync_all()
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn list_dir(&self, dir: &Path) -> io::Result<Vec<OsString>> {
        fs::read_dir(dir)?
            .map(|entry| entry.map(|e| e.file_name()))
            .collect()
    }
}

/// Copies every extended attribute (ACLs included) that `to` does not already have with the
/// same value; returns a line for each one the system refused.
fn copy_xattrs(from: &Path, to: &Path) -> Vec<String> {
    let names = match xattr::list(from) {
        Ok(names) => names,
        // The file system or platform has no extended attributes: there is nothing to keep.
        Err(err) if unsupported(&err) => return Vec::new(),
        Err(err) => return vec![format!("extended attributes ({err})")],
    };
    let mut lost = Vec::new();
    for name in names {
        let shown = name.to_string_lossy();
        let copied = xattr::get(from, &name).and_then(|value| match value {
            Some(value) if xattr::get(to, &name).ok().flatten().as_ref() != Some(&value) => {
                xattr::set(to, &name, &value)
            }
            _ => Ok(()),
        });
        if let Err(err) = copied {
            lost.push(format!("extended attribute {shown} ({err})"));
        }
    }
    lost
}

/// Whether an error says that the file system does not do extended attributes at all.
fn unsupported(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::Unsupported
        || err.raw_os_error() == Some(rustix::io::Errno::NOTSUP.raw_os_error())
}
