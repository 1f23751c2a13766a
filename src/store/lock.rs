//! The editing lock `.NAME.scplan-lock`: which process (pid, host, since when) edits the plan.
//! It is created only when absent; a lock left by a process that no longer runs on this host
//! is stale and taken over; dropping the [`Lock`] removes it.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::{FileSystem, NewMode, StoreError, io_err, process, save_target, sidecar};

/// Who holds a lock, as its file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    /// The process id.
    pub pid: u32,
    /// The host it runs on.
    pub host: String,
    /// When it took the lock (RFC 3339, UTC).
    pub since: String,
}

impl LockHolder {
    /// This process, now.
    fn this_process() -> LockHolder {
        LockHolder {
            pid: std::process::id(),
            host: process::host_name(),
            since: jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        }
    }

    /// Whether the holder is a process of this host that no longer runs.
    fn is_dead(&self) -> bool {
        self.host == process::host_name() && !process::alive(self.pid)
    }
}

/// What the user is told about a lock held by someone else; `lock` is its file.
pub(crate) fn describe(holder: Option<&LockHolder>, lock: &Path) -> String {
    match holder {
        Some(h) => format!(
            "the plan is being edited by another scplan (process {} on {}, since {}); try again once it is closed",
            h.pid, h.host, h.since
        ),
        // Being written this instant, or not a lock at all: taken over once 10 s old.
        None => format!(
            "its lock file {} does not name who holds it: another scplan may be opening the plan; try again in a few seconds (if none has it open, remove that file)",
            lock.display()
        ),
    }
}

/// How long a lock file that cannot be read as a lock counts as one being written.
const UNREADABLE_GRACE: Duration = Duration::from_secs(10);

/// How many times a stale lock is taken over before giving up (another process races for it).
const ATTEMPTS: usize = 3;

/// The editing lock of one plan, held by this process until dropped.
#[derive(Debug)]
pub struct Lock {
    fs: Arc<dyn FileSystem>,
    path: PathBuf,
    content: Vec<u8>,
}

impl Lock {
    /// Takes the editing lock of the plan at `plan`, taking over a stale one. Fails with
    /// [`StoreError::Locked`] while a live process holds it (the editor then opens the plan
    /// read-only; `scplan set` refuses).
    pub fn acquire(fs: Arc<dyn FileSystem>, plan: &Path) -> Result<Lock, StoreError> {
        let path = lock_path(fs.as_ref(), plan)?;
        let content = toml::to_string(&LockHolder::this_process())
            .unwrap_or_default()
            .into_bytes();
        let mut holder = None;
        for _ in 0..ATTEMPTS {
            match fs.create_new(&path, &content, NewMode::Exact(0o644)) {
                Ok(()) => return Ok(Lock { fs, path, content }),
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
                Err(err) => {
                    // A half-written lock of this process must not stay behind.
                    if fs.read(&path, 4096).is_ok_and(|b| content.starts_with(&b)) {
                        let _ = fs.remove_file(&path);
                    }
                    return Err(io_err(&path)(err));
                }
            }
            let (seen, state) = inspect(fs.as_ref(), &path)?;
            let stale = state.is_stale();
            holder = state.holder();
            if !stale {
                break;
            }
            // Take it over only if it is still the stale lock just read.
            if fs.read(&path, 4096).is_ok_and(|now| now == seen) {
                match fs.remove_file(&path) {
                    Ok(()) => {}
                    Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                    Err(err) => return Err(io_err(&path)(err)),
                }
            }
        }
        Err(StoreError::Locked {
            path: plan.to_path_buf(),
            holder,
            lock: path,
        })
    }

    /// Who holds the lock of the plan at `plan`, if anyone does (a stale lock counts: it is
    /// still there until taken over).
    pub fn holder(fs: &dyn FileSystem, plan: &Path) -> Result<Option<LockHolder>, StoreError> {
        let path = lock_path(fs, plan)?;
        Ok(inspect(fs, &path)?.1.holder())
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove the file only while it is still this lock (not one that took over).
        if self
            .fs
            .read(&self.path, 4096)
            .is_ok_and(|now| now == self.content)
        {
            let _ = self.fs.remove_file(&self.path);
        }
    }
}

/// The lock file of a plan: beside the target of a symbolic link.
fn lock_path(fs: &dyn FileSystem, plan: &Path) -> Result<PathBuf, StoreError> {
    Ok(sidecar(&save_target(fs, plan)?, "lock"))
}

/// What a lock file says.
enum LockState {
    /// There is none.
    Free,
    /// It names its holder.
    Held(LockHolder),
    /// It cannot be read as a lock; `old` once it has been so for longer than it takes to
    /// write one.
    Unreadable {
        /// Whether it is older than [`UNREADABLE_GRACE`].
        old: bool,
    },
}

impl LockState {
    fn holder(self) -> Option<LockHolder> {
        match self {
            LockState::Held(holder) => Some(holder),
            _ => None,
        }
    }

    fn is_stale(&self) -> bool {
        match self {
            LockState::Free => true,
            LockState::Held(holder) => holder.is_dead(),
            LockState::Unreadable { old } => *old,
        }
    }
}

/// Reads a lock file: its bytes and what they say.
fn inspect(fs: &dyn FileSystem, path: &Path) -> Result<(Vec<u8>, LockState), StoreError> {
    let bytes = match fs.read(path, 4096) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Ok((Vec::new(), LockState::Free));
        }
        Err(err) => return Err(io_err(path)(err)),
    };
    let parsed = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| toml::from_str::<LockHolder>(text).ok());
    let state = match parsed {
        Some(holder) => LockState::Held(holder),
        None => {
            let age = fs
                .metadata(path)
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| SystemTime::now().duration_since(t).ok());
            LockState::Unreadable {
                old: age.is_some_and(|a| a > UNREADABLE_GRACE),
            }
        }
    };
    Ok((bytes, state))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OsFs;

    fn os() -> Arc<dyn FileSystem> {
        Arc::new(OsFs)
    }

    fn plan() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, "x").unwrap();
        (dir, path)
    }

    fn plant(plan: &Path, holder: &LockHolder) {
        let text = toml::to_string(holder).unwrap();
        std::fs::write(sidecar(plan, "lock"), text).unwrap();
    }

    #[test]
    fn a_second_lock_is_refused_and_the_first_released_on_drop() {
        let (_dir, path) = plan();
        let lock = Lock::acquire(os(), &path).unwrap();
        assert_eq!(lock.path(), sidecar(&path, "lock"));
        let holder = Lock::holder(&OsFs, &path).unwrap().unwrap();
        assert_eq!(holder.pid, std::process::id());
        assert_eq!(holder.host, process::host_name());
        let err = Lock::acquire(os(), &path).unwrap_err();
        assert!(
            matches!(&err, StoreError::Locked { holder: Some(h), .. } if h.pid == std::process::id()),
            "{err}"
        );
        assert!(err.to_string().contains("being edited by another scplan"));
        drop(lock);
        assert!(!sidecar(&path, "lock").exists());
        assert!(Lock::holder(&OsFs, &path).unwrap().is_none());
        Lock::acquire(os(), &path).unwrap();
    }

    #[test]
    fn a_stale_lock_is_taken_over_and_a_foreign_host_respected() {
        let (_dir, path) = plan();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = LockHolder {
            pid: dead,
            host: process::host_name(),
            since: "2026-01-01T00:00:00Z".to_string(),
        };
        plant(&path, &stale);
        let lock = Lock::acquire(os(), &path).unwrap();
        assert_eq!(
            Lock::holder(&OsFs, &path).unwrap().map(|h| h.pid),
            Some(std::process::id())
        );
        drop(lock);
        let foreign = LockHolder {
            host: format!("{}-elsewhere", process::host_name()),
            ..stale
        };
        plant(&path, &foreign);
        assert!(matches!(
            Lock::acquire(os(), &path),
            Err(StoreError::Locked { holder: Some(h), .. }) if h == foreign
        ));
    }

    #[test]
    fn an_unreadable_fresh_lock_counts_as_held() {
        let (_dir, path) = plan();
        std::fs::write(sidecar(&path, "lock"), "").unwrap();
        assert!(matches!(
            Lock::acquire(os(), &path),
            Err(StoreError::Locked { holder: None, .. })
        ));
    }

    #[test]
    fn dropping_a_lock_taken_over_leaves_the_new_one() {
        let (_dir, path) = plan();
        let lock = Lock::acquire(os(), &path).unwrap();
        let other = LockHolder {
            pid: 1,
            host: "elsewhere".to_string(),
            since: "2026-01-01T00:00:00Z".to_string(),
        };
        plant(&path, &other);
        drop(lock);
        assert_eq!(Lock::holder(&OsFs, &path).unwrap(), Some(other));
    }
}
