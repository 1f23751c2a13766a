//! The editing lock taken when a plan opens, and why the plan is read-only when it cannot be:
//! shared by every screen that opens a plan (a plan, a plan with conflicts).

use std::path::Path;
use std::sync::Arc;

use crate::store::{FileSystem, Lock, StoreError, lock};

/// Takes the editing lock of a plan; `Err` says why it is then opened read-only.
pub fn take_lock(fs: &Arc<dyn FileSystem>, path: &Path) -> Result<Lock, String> {
    Lock::acquire(fs.clone(), path).map_err(|err| match err {
        StoreError::Locked { holder, lock, .. } => {
            format!(
                "opened read-only: {}",
                lock::describe(holder.as_ref(), &lock)
            )
        }
        err => format!("opened read-only: the editing lock could not be taken ({err})"),
    })
}

/// What an edit refused on a read-only plan says: why it is read-only, once.
pub fn refused(why: &str) -> String {
    format!(
        "read-only: {}",
        why.strip_prefix("opened read-only: ").unwrap_or(why)
    )
}
