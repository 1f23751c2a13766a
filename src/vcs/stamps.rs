//! What a priority read when a link to it was reviewed: the newest revision of the plan file,
//! in its git history, in which the priority's stamp is the one stored in the objective's
//! `reviewed_links`. The editor's review queue shows that text beside the current one.

use std::path::Path;

use super::{BlobSpec, Repo, VcsError};
use crate::check::Settings;
use crate::edit::review;
use crate::plan::model::{text, val};
use crate::plan::review::priority_stamp;

/// How many revisions of the file are read at most, newest first.
pub const MAX_REVISIONS: usize = 200;

/// A priority's text at the revision whose stamp matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedText {
    /// The commit's subject line.
    pub subject: String,
    /// How many commits of the file are newer than it (0: the last commit).
    pub back: usize,
    /// The priority's title, source and description at that revision.
    pub text: String,
}

/// A priority's title, source and description as one text, those that are empty left out.
pub fn priority_text(title: &str, source: &str, description: &str) -> String {
    [title, source, description]
        .iter()
        .map(|t| crate::plan::review::norm(t))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The text the priority `priority` had in the newest of the last [`MAX_REVISIONS`] commits of
/// the plan file at `plan` whose stamp of it is `stored`; `None` when no such commit is found.
/// Revisions that do not parse, or whose marking is above the system high, are passed over.
pub fn reviewed_text(
    plan: &Path,
    priority: &str,
    stored: &str,
    settings: &Settings,
) -> Result<Option<ReviewedText>, VcsError> {
    let (repo, path) = Repo::of_file(plan)?;
    let commits = repo.file_log(&path, MAX_REVISIONS)?;
    // Read a few at a time: the match is usually among the newest.
    for (chunk_index, chunk) in commits.chunks(20).enumerate() {
        let specs: Vec<BlobSpec> = chunk
            .iter()
            .map(|(id, _)| BlobSpec {
                rev: id.clone(),
                path: path.clone(),
            })
            .collect();
        let Ok(blobs) = repo.read_blobs(&specs) else {
            continue;
        };
        for (i, bytes) in blobs.iter().enumerate() {
            let Ok((_, old)) = review::open(bytes, settings) else {
                continue;
            };
            let found = old
                .priorities
                .iter()
                .find(|p| val(&p.id).is_some_and(|id| id == priority));
            if let Some(p) = found
                && priority_stamp(p) == stored
            {
                return Ok(Some(ReviewedText {
                    subject: chunk[i].1.clone(),
                    back: chunk_index * 20 + i,
                    text: priority_text(text(&p.title), text(&p.source), text(&p.description)),
                }));
            }
        }
    }
    Ok(None)
}
