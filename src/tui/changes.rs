//! The changes view's state: the plan at a revision (`HEAD`, or `--since REV`), read from git
//! once when the view opens (or again on request), and its semantic diff
//! ([`crate::diff`]) with the plan as it is now, unsaved edits included, computed again only
//! after the plan changed.

use std::path::Path;

use crop::Rope;

use crate::check::Settings;
use crate::diff::{self, PlanDiff, Version, VersionError};
use crate::plan::document::{ItemPath, PlanDocument};
use crate::plan::model::Node;
use crate::plan::schema::TableKind;
use crate::plan::source::Layout;
use crate::store;
use crate::vcs::{Repo, VcsError};

/// The revision compared with and what changed since.
pub struct Changes {
    /// The revision, as given (`HEAD`, `v2026.1`).
    pub since: String,
    /// The plan at that revision, or why there is none, in words.
    pub base: Result<Box<Version>, String>,
    /// What changed from it to the plan now, or why that cannot be told.
    pub diff: Result<PlanDiff, String>,
    /// The change count of the session the diff is of.
    pub revision: u64,
    /// The selected change.
    pub row: usize,
}

impl Changes {
    /// Reads the plan file at `since` (git run once) and compares it with the plan whose
    /// text is `text` (the editor's, as its document prints it) in a file with `layout`, whose
    /// session has counted `revision` changes.
    pub fn read(
        path: &Path,
        since: &str,
        (text, layout): (&Rope, Layout),
        revision: u64,
        settings: &Settings,
    ) -> Changes {
        let base = base(path, since, settings).map(Box::new);
        let mut changes = Changes {
            since: since.to_string(),
            base,
            diff: Ok(PlanDiff::default()),
            revision,
            row: 0,
        };
        changes.compare((text, layout), revision, settings);
        changes
    }

    /// Compares the revision with the plan now, unless the diff is of this revision already.
    pub fn refresh(&mut self, now: (&Rope, Layout), revision: u64, settings: &Settings) {
        if self.revision != revision {
            self.compare(now, revision, settings);
        }
    }

    fn compare(&mut self, (text, layout): (&Rope, Layout), revision: u64, settings: &Settings) {
        self.revision = revision;
        self.diff = match &self.base {
            // The editor's text is the document's, printed already: not printed again here.
            Ok(base) => Version::load(&store::file_bytes(text, layout), settings)
                .map(|now| diff::diff(base, &now))
                .map_err(|err| format!("the plan as it is now cannot be compared: {err}")),
            Err(why) => Err(why.clone()),
        };
        let len = self.diff.as_ref().map_or(0, |d| d.changes.len());
        self.row = self.row.min(len.saturating_sub(1));
    }
}

/// The plan file at a revision, or why it cannot be read, in words.
fn base(path: &Path, since: &str, settings: &Settings) -> Result<Version, String> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let bytes = Repo::of_file(path)
        .and_then(|(repo, tree_path)| repo.read_file(since, &tree_path))
        .map_err(|err| match err {
            VcsError::NoGit => {
                "git is not installed (or not on PATH): the changes view needs the `git` program"
                    .to_string()
            }
            VcsError::NotARepository(_) => format!(
                "{name} is not in a git repository: there is no revision to compare it with"
            ),
            VcsError::NoSuchPath { .. } => {
                format!("{name} is not in {since}: it has not been committed there yet")
            }
            VcsError::NoSuchRevision(_) => {
                format!("`{since}` is not a revision of this repository")
            }
            other => other.to_string(),
        })?;
    Version::load(&bytes, settings).map_err(|err| match err {
        VersionError::AboveSystemHigh(_) => {
            format!("{name} at {since} is marked above the system high; it is not shown")
        }
        other => format!("{name} at {since} cannot be read as a plan: {other}"),
    })
}

/// The item a change is about, in the plan now (an indicator's objective, a barrier's
/// country, the plan for a waiver); `None` when it is gone.
pub fn node(doc: &PlanDocument, change: &diff::Change) -> Option<Node> {
    let key = change.key.clone();
    let before = |word: &str| key.split(word).next().unwrap_or_default().to_string();
    let path = match change.entity {
        TableKind::Plan | TableKind::Waiver => ItemPath::Plan,
        TableKind::Cui => ItemPath::Cui,
        TableKind::Authority => ItemPath::Authority,
        TableKind::Priority => ItemPath::Priority(key),
        TableKind::Country => ItemPath::Country(key),
        TableKind::Objective => ItemPath::Objective(key),
        TableKind::Indicator => ItemPath::Objective(before(" indicator")),
        TableKind::Agreement => ItemPath::Agreement(key),
        TableKind::Actor => ItemPath::Actor(key),
        TableKind::Pool => ItemPath::Pool(key),
        TableKind::Barrier => ItemPath::Country(before(" barrier")),
    };
    doc.resolve(&path)
}
