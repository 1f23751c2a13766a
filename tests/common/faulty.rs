//! The real file system but for one injected fault, shared by the tests of saving.

use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use scplan::store::{FileSystem, NewMode, OsFs};

/// A failure to inject into file creation.
#[derive(Clone, Copy)]
pub enum Fault {
    /// The folder is on a read-only file system.
    ReadOnlyFolder,
    /// The disk fills up half way through writing.
    DiskFull,
    /// Another program rewrites the plan while the save writes its temporary file.
    OtherWriter,
}

/// The real file system, but for one fault.
pub struct Faulty {
    /// The fault.
    pub fault: Fault,
    /// The plan another writer rewrites.
    pub plan: PathBuf,
    /// Editing locks are still created (so that an editor opens the plan for editing).
    pub spare_locks: bool,
    /// How many times a file was read.
    pub reads: AtomicUsize,
}

impl FileSystem for Faulty {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        self.reads.fetch_add(1, Ordering::Relaxed);
        OsFs.read(path, limit)
    }
    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        OsFs.metadata(path)
    }
    fn exists(&self, path: &Path) -> io::Result<bool> {
        OsFs.exists(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        OsFs.canonicalize(path)
    }
    fn create_new(&self, path: &Path, bytes: &[u8], mode: NewMode) -> io::Result<()> {
        if self.spare_locks && path.to_string_lossy().ends_with("scplan-lock") {
            return OsFs.create_new(path, bytes, mode);
        }
        match self.fault {
            // EROFS
            Fault::ReadOnlyFolder => Err(io::Error::from_raw_os_error(30)),
            Fault::DiskFull => {
                OsFs.create_new(path, &bytes[..bytes.len() / 2], mode)?;
                // ENOSPC
                Err(io::Error::from_raw_os_error(28))
            }
            Fault::OtherWriter => {
                fs::write(&self.plan, "written by another program\n")?;
                OsFs.create_new(path, bytes, mode)
            }
        }
    }
    fn copy_attributes(&self, from: &Path, to: &Path) -> Vec<String> {
        OsFs.copy_attributes(from, to)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        OsFs.rename(from, to)
    }
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        OsFs.sync_dir(dir)
    }
    fn remove_file(&self, path: &Path) -> io::Result<()> {
        OsFs.remove_file(path)
    }
    fn list_dir(&self, dir: &Path) -> io::Result<Vec<OsString>> {
        OsFs.list_dir(dir)
    }
}
