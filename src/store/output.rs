//! Where an export and its release record may be written: never over the plan they come from,
//! under any name, nor over each other; over an existing file only when asked; into a folder
//! that exists. They are written atomically with the plan's permission bits (less the umask).

use std::path::{Path, PathBuf};

use super::save::{derived_mode, replace};
use super::{
    FileSystem, NewMode, SaveReport, StoreError, check_folder, folder, io_err, save_target,
};

/// Whether `a` and `b` name the same file once links and `..` are resolved; `b` need not
/// exist (its folder is resolved instead), so an output path can be compared with its plan.
pub fn same_file(fs: &dyn FileSystem, a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| -> Option<PathBuf> {
        fs.canonicalize(p).ok().or_else(|| {
            let name = p.file_name()?;
            Some(fs.canonicalize(&folder(p)).ok()?.join(name))
        })
    };
    match (resolve(a), resolve(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// Refuses an output path that is the plan itself (under any name), or that exists when
/// `replace` is not given.
pub fn check_output(
    fs: &dyn FileSystem,
    plan: &Path,
    out: &Path,
    replace: bool,
) -> Result<(), StoreError> {
    super::not_a_folder(fs, out)?;
    if same_file(fs, plan, out) {
        return Err(StoreError::IsThePlan {
            path: out.to_path_buf(),
        });
    }
    if !replace && (fs.exists(out).unwrap_or(false) || std::fs::symlink_metadata(out).is_ok()) {
        return Err(StoreError::Exists {
            path: out.to_path_buf(),
        });
    }
    Ok(())
}

/// The release record's path beside a partner copy: `<copy>.release-record.txt`.
pub fn record_beside(copy: &Path) -> PathBuf {
    let mut name = copy.as_os_str().to_owned();
    name.push(".release-record.txt");
    PathBuf::from(name)
}

/// Where an export goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outputs {
    /// The copy's file; `None` for standard output.
    pub copy: Option<PathBuf>,
    /// The release record's file, for a partner copy.
    pub record: Option<PathBuf>,
}

impl Outputs {
    /// Writes an export of the plan at `plan` where these outputs say: the `copy` to its file
    /// (a copy for standard output is the caller's), the `record` to the record's file, both
    /// as [`write_outputs`] writes them.
    pub fn write(
        &self,
        fs: &dyn FileSystem,
        plan: &Path,
        copy: &[u8],
        record: Option<&[u8]>,
        replace: bool,
    ) -> Result<Vec<SaveReport>, StoreError> {
        let copy = self.copy.as_deref().map(|path| (path, copy));
        let record = self.record.as_deref().zip(record);
        let files: Vec<(&Path, &[u8])> = copy.into_iter().chain(record).collect();
        write_outputs(fs, plan, &files, replace)
    }
}

/// Decides and checks where an export of the plan at `plan` goes: the copy to `copy` (standard
/// output when `None`), and for a `partner` copy its release record to `record`, else beside
/// the copy. Refuses a record on standard output or on the copy, and every output that
/// [`check_output`] or [`check_folder`] refuses. Nothing is written.
pub fn export_outputs(
    fs: &dyn FileSystem,
    plan: &Path,
    copy: Option<&Path>,
    record: Option<&Path>,
    partner: bool,
    replace: bool,
) -> Result<Outputs, StoreError> {
    let record = match (partner, record, copy) {
        (false, _, _) => None,
        (true, Some(record), _) => Some(record.to_path_buf()),
        (true, None, Some(copy)) => Some(record_beside(copy)),
        (true, None, None) => return Err(StoreError::NoRecordPath),
    };
    for out in copy.iter().copied().chain(record.as_deref()) {
        check_output(fs, plan, out, replace)?;
        check_folder(fs, out)?;
    }
    if let (Some(copy), Some(record)) = (copy, &record)
        && same_file(fs, copy, record)
    {
        return Err(StoreError::RecordIsTheCopy {
            path: record.clone(),
        });
    }
    Ok(Outputs {
        copy: copy.map(Path::to_path_buf),
        record,
    })
}

/// Writes files made from the plan at `plan` (an export and its release record), each
/// atomically and with [`derived_mode`] of the plan (less the umask), whatever mode a file
/// it replaces had; an existing file is replaced only with `replace`. Every file is written
/// to its temporary file before any is renamed into place, and the later ones are in place
/// before the earlier: pass a copy before its record, so that no copy stands without it. On
/// an error before the renames, nothing is left behind. Returns one report per file.
pub fn write_outputs(
    fs: &dyn FileSystem,
    plan: &Path,
    files: &[(&Path, &[u8])],
    replace: bool,
) -> Result<Vec<SaveReport>, StoreError> {
    let mode = NewMode::Masked(derived_mode(fs, plan));
    let targets = files
        .iter()
        .map(|(path, bytes)| {
            check_folder(fs, path)?;
            Ok((save_target(fs, path)?, *bytes))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let mut reports = Vec::new();
    write_chain(fs, mode, &targets, replace, &mut reports)?;
    reports.reverse();
    Ok(reports)
}

/// Writes the first file's temporary file, then (recursively) the rest, then renames the first.
fn write_chain(
    fs: &dyn FileSystem,
    mode: NewMode,
    files: &[(PathBuf, &[u8])],
    replace_existing: bool,
    reports: &mut Vec<SaveReport>,
) -> Result<(), StoreError> {
    let Some(((dest, bytes), rest)) = files.split_first() else {
        return Ok(());
    };
    let notes = replace(fs, dest, dest, bytes, mode, |_| {
        // Checked again right before the renames (each file's before any is renamed), to
        // leave the smallest window.
        if !replace_existing && fs.exists(dest).map_err(io_err(dest))? {
            return Err(StoreError::Exists { path: dest.clone() });
        }
        write_chain(fs, mode, rest, replace_existing, reports)?;
        Ok(Vec::new())
    })?;
    reports.push(SaveReport {
        written: dest.clone(),
        notes,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OsFs;

    #[test]
    fn same_file_sees_through_links_and_missing_outputs() {
        let fs = OsFs;
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("p.toml");
        std::fs::write(&plan, "x").unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert!(same_file(&fs, &plan, &sub.join("../p.toml")));
        assert!(matches!(
            check_output(&fs, &plan, &sub.join("../p.toml"), true),
            Err(StoreError::IsThePlan { .. })
        ));
        assert!(matches!(
            check_output(&fs, &dir.path().join("x"), &plan, false),
            Err(StoreError::Exists { .. })
        ));
        assert!(check_output(&fs, &dir.path().join("x"), &plan, true).is_ok());
        assert!(!same_file(&fs, &plan, &dir.path().join("p.html")));
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&plan, &link).unwrap();
        assert!(same_file(&fs, &plan, &link));
    }
}
