//! The recovery file `.NAME.scplan-recovery` (mode 0600): the unsaved bytes of a plan, written
//! atomically while there are unsaved changes and on a panic, offered on the next open when it
//! differs from the plan (with the items that differ), removed after a save or a clean quit.
//! Beside it, `.NAME.scplan-recovery-base` holds the plan as it was on disk when the edits
//! began: when the plan has changed on disk since (`scplan set`, git, another editor), the
//! edits are merged onto it by id rather than offered over it. Neither is ever written for a
//! plan marked above the system high.

use std::io;
use std::path::{Path, PathBuf};

use super::save::replace;
use super::{FileSystem, NewMode, StoreError, io_err, read_plan, save_target, sidecar};
use crate::check::{Clearance, Settings};
use crate::diff::{self, Version};
use crate::plan::marking::Level;

/// Only the owner may read or write a recovery file.
const RECOVERY_MODE: u32 = 0o600;

/// The recovery file of the plan at `plan` (beside the target of a symbolic link).
pub fn recovery_path(fs: &dyn FileSystem, plan: &Path) -> Result<PathBuf, StoreError> {
    Ok(sidecar(&save_target(fs, plan)?, "recovery"))
}

/// Writes `bytes`, the plan's unsaved content, to its recovery file atomically, and returns the
/// file. For a plan above the system high ([`Clearance::Above`]) nothing is written, an older
/// recovery file is removed, and [`StoreError::AboveSystemHigh`] is returned.
pub fn write_recovery(
    fs: &dyn FileSystem,
    plan: &Path,
    bytes: &[u8],
    clearance: Clearance,
) -> Result<PathBuf, StoreError> {
    if clearance == Clearance::Above {
        remove_recovery(fs, plan)?;
        return Err(StoreError::AboveSystemHigh {
            path: plan.to_path_buf(),
        });
    }
    let target = save_target(fs, plan)?;
    let path = sidecar(&target, "recovery");
    replace(
        fs,
        &target,
        &path,
        bytes,
        NewMode::Exact(RECOVERY_MODE),
        |_| Ok(Vec::new()),
    )?;
    Ok(path)
}

/// The file beside the recovery file that holds the plan the edits began from.
fn base_path(fs: &dyn FileSystem, plan: &Path) -> Result<PathBuf, StoreError> {
    Ok(sidecar(&save_target(fs, plan)?, "recovery-base"))
}

/// Writes `bytes`, the plan on disk that the unsaved edits began from, beside its recovery
/// file (as [`write_recovery`] does, and never above the system high).
pub fn write_recovery_base(
    fs: &dyn FileSystem,
    plan: &Path,
    bytes: &[u8],
    clearance: Clearance,
) -> Result<(), StoreError> {
    if clearance == Clearance::Above {
        return Err(StoreError::AboveSystemHigh {
            path: plan.to_path_buf(),
        });
    }
    let target = save_target(fs, plan)?;
    replace(
        fs,
        &target,
        &base_path(fs, plan)?,
        bytes,
        NewMode::Exact(RECOVERY_MODE),
        |_| Ok(Vec::new()),
    )?;
    Ok(())
}

/// The content of the plan's recovery file, `None` when there is none.
pub fn read_recovery(fs: &dyn FileSystem, plan: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match read_plan(fs, &recovery_path(fs, plan)?) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(StoreError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Removes the plan's recovery file (after a successful save or a clean quit); no file is fine.
pub fn remove_recovery(fs: &dyn FileSystem, plan: &Path) -> Result<(), StoreError> {
    for path in [base_path(fs, plan)?, recovery_path(fs, plan)?] {
        match fs.remove_file(&path) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(io_err(&path)(err)),
            _ => {}
        }
    }
    Ok(())
}

/// A recovery file that differs from the plan: what to offer on open (restore or discard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The recovery file.
    pub path: PathBuf,
    /// Its content: the unsaved plan.
    pub bytes: Vec<u8>,
    /// What it changes, one line per change (`objective POL-ST-1: text changed`).
    pub changes: Vec<String>,
    /// How the plan on disk changed since the edits began.
    pub disk: DiskSince,
}

/// The plan on disk since the unsaved edits began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskSince {
    /// Unchanged (or not known: a recovery file written without its base).
    Unchanged,
    /// Changed, and the edits merge onto it cleanly: [`Pending::bytes`] is the merge.
    Merged,
    /// Changed, and this many of the edits conflict with it: [`Pending::bytes`] are the edits
    /// alone, which would undo the changes on disk.
    Conflicts(usize),
}

/// The plan's recovery file when it differs from `plan_bytes` (what is on disk). One that
/// holds the same bytes is left over from nothing unsaved: it is removed.
pub fn pending_recovery(
    fs: &dyn FileSystem,
    plan: &Path,
    plan_bytes: &[u8],
) -> Result<Option<Pending>, StoreError> {
    let Some(mut bytes) = read_recovery(fs, plan)? else {
        return Ok(None);
    };
    let base = match read_plan(fs, &base_path(fs, plan)?) {
        Ok(base) => Some(base),
        Err(StoreError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(err),
    };
    let mut disk = DiskSince::Unchanged;
    if let Some(base) = base.filter(|b| b != plan_bytes) {
        match crate::merge::merge(&base, &bytes, plan_bytes, &Default::default()) {
            Ok(merged) if merged.conflicts.is_empty() => {
                bytes = merged.bytes;
                disk = DiskSince::Merged;
            }
            Ok(merged) => disk = DiskSince::Conflicts(merged.conflicts.len()),
            // A side that does not parse: the edits stand alone, and may undo what changed.
            Err(_) => disk = DiskSince::Conflicts(1),
        }
    }
    if bytes == plan_bytes {
        remove_recovery(fs, plan)?;
        return Ok(None);
    }
    Ok(Some(Pending {
        path: recovery_path(fs, plan)?,
        changes: differences(plan_bytes, &bytes),
        bytes,
        disk,
    }))
}

/// What `recovered` changes in `plan`, one line per change, keyed by item as `scplan diff`
/// keys them; when either is not a readable plan, the whole plan counts as changed.
pub fn differences(plan: &[u8], recovered: &[u8]) -> Vec<String> {
    // A recovery file exists only for a plan within the system high, so none is refused here.
    let settings = Settings {
        system_high: Level::Ts,
    };
    match (
        Version::load(plan, &settings),
        Version::load(recovered, &settings),
    ) {
        (Ok(old), Ok(new)) => diff::diff(&old, &new)
            .changes
            .iter()
            .map(|c| match &c.field {
                Some(field) => format!("{}: {field} {}", c.label(), diff::render::verb(c)),
                None => format!("{}: {}", c.label(), diff::render::verb(c)),
            })
            .collect(),
        _ => vec!["plan: the whole file (one version does not parse)".to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OsFs;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn written_private_offered_when_different_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("p.toml");
        let saved = b"[plan]\ntitle = \"old\"\n";
        std::fs::write(&plan, saved).unwrap();
        let unsaved = b"[plan]\ntitle = \"new\"\n";
        let path = write_recovery(&OsFs, &plan, unsaved, Clearance::Within).unwrap();
        assert_eq!(path, dir.path().join(".p.toml.scplan-recovery"));
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        let pending = pending_recovery(&OsFs, &plan, saved).unwrap().unwrap();
        assert_eq!(pending.bytes, unsaved);
        assert_eq!(pending.changes, vec!["plan: title changed"]);
        // The same bytes as the plan: nothing to offer, and the file goes.
        assert_eq!(pending_recovery(&OsFs, &plan, unsaved).unwrap(), None);
        assert!(!path.exists());
        remove_recovery(&OsFs, &plan).unwrap();
    }

    #[test]
    fn never_written_above_the_system_high() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("p.toml");
        let path = write_recovery(&OsFs, &plan, b"older", Clearance::Within).unwrap();
        let err = write_recovery(&OsFs, &plan, b"secret", Clearance::Above).unwrap_err();
        assert!(matches!(err, StoreError::AboveSystemHigh { .. }), "{err}");
        assert!(!path.exists());
        assert_eq!(read_recovery(&OsFs, &plan).unwrap(), None);
    }

    #[test]
    fn unreadable_plans_differ_as_a_whole() {
        assert_eq!(
            differences(b"[plan", b"[plan]\n"),
            ["plan: the whole file (one version does not parse)"]
        );
    }
}
