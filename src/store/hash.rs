//! Change detection: the SHA-256 of the bytes a plan was loaded from, compared with what is on
//! disk now.

use std::fmt;
use std::io;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{FileSystem, StoreError, read_plan};

/// The SHA-256 of a file's content.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash([u8; 32]);

impl ContentHash {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(Sha256::digest(bytes).into())
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

/// Whether the plan at `path` no longer holds the content that hashed to `loaded`: it was
/// changed, replaced or removed since.
pub fn changed_on_disk(
    fs: &dyn FileSystem,
    path: &Path,
    loaded: &ContentHash,
) -> Result<bool, StoreError> {
    match current(fs, path) {
        Ok(now) => Ok(now != Some(*loaded)),
        Err(StoreError::TooLarge { .. }) => Ok(true),
        Err(err) => Err(err),
    }
}

/// What identifies a file's content without reading it: its device and inode, size, and the
/// times of its last change (nanoseconds): a write, a replacement or a removal changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    /// Whether the file system keeps times finer than a second: a stamp with whole-second
    /// times could miss a rewrite of the same size within that second, so it is not trusted.
    pub(crate) fn fine(self) -> bool {
        self.mtime.1 != 0 || self.ctime.1 != 0
    }
}

/// The stamp of the file at `path`, `None` when it cannot be read.
pub(crate) fn stamp(fs: &dyn FileSystem, path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let m = fs.metadata(path).ok()?;
    Some(Stamp {
        dev: m.dev(),
        ino: m.ino(),
        len: m.len(),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    })
}

/// The hash of what is at `path` now, `None` when nothing is.
pub(crate) fn current(fs: &dyn FileSystem, path: &Path) -> Result<Option<ContentHash>, StoreError> {
    match read_plan(fs, path) {
        Ok(bytes) => Ok(Some(ContentHash::of(&bytes))),
        Err(StoreError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OsFs;

    #[test]
    fn hash_is_sha256_and_changes_are_seen() {
        assert_eq!(
            ContentHash::of(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, "one").unwrap();
        let loaded = ContentHash::of(b"one");
        assert!(!changed_on_disk(&OsFs, &path, &loaded).unwrap());
        std::fs::write(&path, "two").unwrap();
        assert!(changed_on_disk(&OsFs, &path, &loaded).unwrap());
        std::fs::remove_file(&path).unwrap();
        assert!(changed_on_disk(&OsFs, &path, &loaded).unwrap());
    }
}
