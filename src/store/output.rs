//! Where an export may be written: never over the plan it comes from, under any name, and
//! over an existing file only when asked.

use std::path::{Path, PathBuf};

use super::{FileSystem, StoreError, folder};

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
