//! Atomic saves: the bytes go to a temporary file in the plan's folder, flushed to disk, renamed
//! over the plan, and the folder flushed; the plan's permissions, owner and extended attributes
//! are kept. Readers (and a crash at any moment) see the old or the new content, never a mix.

use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crop::Rope;

use super::hash::{self, ContentHash};
use super::{
    FileSystem, NewMode, StoreError, file_name, folder, io_err, process, save_target, sidecar,
};
use crate::plan::source::Layout;

/// The bytes of a plan file with `layout` whose text (LF, no byte-order mark, as the document
/// prints it) is `text`: what [`crate::plan::source::encode`] makes of the same text, written
/// from the rope's chunks into one buffer (the editor keeps its text as a rope, and printing
/// a large document again takes most of a save).
pub fn file_bytes(text: &Rope, layout: Layout) -> Vec<u8> {
    let len = text.byte_len();
    // The document always ends its text with a line break; a file without one drops it.
    let end = if !layout.final_newline && len > 0 && text.byte(len - 1) == b'\n' {
        len - 1
    } else {
        len
    };
    let extra = if layout.crlf { end / 16 } else { 0 };
    let mut out = Vec::with_capacity(end + extra + 3);
    if layout.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    for chunk in text.byte_slice(..end).chunks() {
        let chunk = chunk.as_bytes();
        if !layout.crlf {
            out.extend_from_slice(chunk);
            continue;
        }
        let mut from = 0;
        for lf in memchr::memchr_iter(b'\n', chunk) {
            out.extend_from_slice(&chunk[from..lf]);
            out.extend_from_slice(b"\r\n");
            from = lf + 1;
        }
        out.extend_from_slice(&chunk[from..]);
    }
    out
}

/// What a save must make sure of before it replaces the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveOptions {
    /// Refuse when anything is at the path already (`scplan new`, save-as without overwrite).
    pub create_new: bool,
    /// Refuse when the file no longer has the content that hashed to this (it was changed on
    /// disk since it was loaded); `None` overwrites whatever is there.
    pub expect: Option<ContentHash>,
    /// The permission bits of a file that does not exist yet, less the umask: a save-as passes
    /// [`derived_mode`] of the plan it comes from. `None`: the system default. A file that
    /// exists keeps its own mode.
    pub new_mode: Option<u32>,
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
    // A plan over the limit could not be opened again by any command: it is not written.
    if bytes.len() as u64 > super::MAX_PLAN_BYTES {
        return Err(StoreError::WouldBeTooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
        });
    }
    super::not_a_folder(fs, path)?;
    if options.create_new && fs.exists(path).map_err(io_err(path))? {
        return Err(exists());
    }
    let target = save_target(fs, path)?;
    let old = match fs.metadata(&target) {
        Ok(meta) => Some(meta),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(io_err(&target)(err)),
    };
    if old.is_none() {
        // A new file in a folder that is not there: said of the folder, not of the temporary
        // file the atomic write would fail to make.
        super::check_folder(fs, &target)?;
    }
    if old.as_ref().is_some_and(|m| m.mode() & OWNER_WRITE == 0) {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    let mode = match &old {
        // The special bits too (set-group-ID, sticky): what the system refuses is noted.
        Some(meta) => NewMode::Exact(meta.mode() & 0o7777),
        None => options.new_mode.map_or(NewMode::Default, NewMode::Masked),
    };
    // What is on disk is read and hashed on another core while the new bytes are written and
    // flushed; right before the rename, the file's stamp says whether it is still what was
    // hashed (else it is read and hashed again there).
    let notes = std::thread::scope(|scope| {
        let on_disk = options
            .expect
            .map(|_| both_or_here(scope, || stamped_hash(fs, &target)));
        replace(fs, &target, &target, bytes, mode, |tmp| {
            let notes = match old {
                Some(_) => fs.copy_attributes(&target, tmp),
                None => Vec::new(),
            };
            // Checked last, right before the rename, to leave the smallest window.
            if options.create_new && fs.exists(&target).map_err(io_err(&target))? {
                return Err(exists());
            }
            if let (Some(expected), Some(on_disk)) = (options.expect, on_disk) {
                let (stamp, hashed) = on_disk.join()?;
                let now =
                    if stamp.is_some_and(hash::Stamp::fine) && stamp == hash::stamp(fs, &target) {
                        hashed
                    } else {
                        hash::current(fs, &target)?
                    };
                if now != Some(expected) {
                    return Err(StoreError::ChangedOnDisk {
                        path: path.to_path_buf(),
                    });
                }
            }
            Ok(notes)
        })
    })?;
    Ok(SaveReport {
        written: target,
        notes,
    })
}

/// [`save`], with the hash of the bytes saved (what the next save expects on disk), worked
/// out on another core while they are written.
pub fn save_and_hash(
    fs: &dyn FileSystem,
    path: &Path,
    bytes: &[u8],
    options: SaveOptions,
) -> Result<(SaveReport, ContentHash), StoreError> {
    std::thread::scope(|scope| {
        let hash = both_or_here(scope, || Ok(ContentHash::of(bytes)));
        let report = save(fs, path, bytes, options)?;
        Ok((report, hash.join()?))
    })
}

/// The stamp of the file at `path` and the hash of its content (`None`: nothing is there),
/// the stamp taken before the read, so that a change during the read shows as a new stamp.
fn stamped_hash(
    fs: &dyn FileSystem,
    path: &Path,
) -> Result<(Option<hash::Stamp>, Option<ContentHash>), StoreError> {
    let stamp = hash::stamp(fs, path);
    Ok((stamp, hash::current(fs, path)?))
}

/// Work started on another thread where one can be had, else done here when joined.
enum Job<'scope, T, F> {
    /// Running on a thread of the scope.
    Running(std::thread::ScopedJoinHandle<'scope, Result<T, StoreError>>),
    /// To do on joining.
    Here(F),
}

impl<T, F: FnOnce() -> Result<T, StoreError>> Job<'_, T, F> {
    /// The job's result; a panic in it is this thread's.
    fn join(self) -> Result<T, StoreError> {
        match self {
            Job::Running(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Job::Here(job) => job(),
        }
    }
}

/// Starts `job` on a thread of `scope`, or keeps it to run on joining when no thread starts.
fn both_or_here<'scope, T: Send + 'scope, F>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    job: F,
) -> Job<'scope, T, F>
where
    F: FnOnce() -> Result<T, StoreError> + Send + Clone + 'scope,
{
    match std::thread::Builder::new().spawn_scoped(scope, job.clone()) {
        Ok(handle) => Job::Running(handle),
        Err(_) => Job::Here(job),
    }
}

/// Numbers the temporary files of this process, so that two saves at once never share one.
static TEMP_COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh temporary file name beside the plan: `.NAME.scplan-tmp-PID-N`.
fn temp_path(plan: &Path) -> PathBuf {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    sidecar(plan, &format!("tmp-{}-{n}", std::process::id()))
}

/// The permission bits of a file made from the plan at `plan` (an export, a release record, a
/// save-as): the plan's own, plus read and write for its owner, who must be able to replace it
/// (a save-as of a read-only plan is written to again). Owner-only when the plan's bits cannot
/// be read, so that a failure never opens a copy wider. The umask comes off at creation.
pub fn derived_mode(fs: &dyn FileSystem, plan: &Path) -> u32 {
    const OWNER_READ_WRITE: u32 = 0o600;
    fs.metadata(plan)
        .map_or(OWNER_READ_WRITE, |m| m.mode() & 0o777 | OWNER_READ_WRITE)
}

/// Writes `bytes` to a new temporary file beside `plan` (with `mode`), lets
/// `ready` finish it or refuse, renames it over `dest` and flushes the folder. Returns the
/// notes of `ready` and of the flush. On any error the temporary file is removed and `dest`
/// is as it was.
pub(crate) fn replace(
    fs: &dyn FileSystem,
    plan: &Path,
    dest: &Path,
    bytes: &[u8],
    mode: NewMode,
    ready: impl FnOnce(&Path) -> Result<Vec<String>, StoreError>,
) -> Result<Vec<String>, StoreError> {
    let tmp = temp_path(plan);
    let result = fs
        .create_new(&tmp, bytes, mode)
        .map_err(super::write_err(dest))
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
