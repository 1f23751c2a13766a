//! Three-way merge of plan versions by item and by key, not by line: items are matched as
//! `scplan diff` matches them (priorities, objectives, agreements, actors and pools by id,
//! countries by code, waivers by rule and item, indicators and barriers by place within their
//! parent; an item one side moved to another country is followed there), and merged key by
//! key. Changes to different items or keys merge whatever their
//! distance in the file; a key changed the same way on both sides is one change; arrays of ids
//! and names merge as sets; items added on both sides are both kept. The result is ours'
//! document with theirs' changes applied: ours' formatting, comments and order stay, theirs'
//! text comes verbatim for what theirs changed, and a line neither side touched is
//! byte-identical. A real conflict (a key changed differently, an item deleted on one side and
//! changed on the other) is written with git's conflict markers around the key or the item.
//! An id both sides added for different items is not a conflict: theirs' item is renamed
//! ([`Renaming`]).

mod collection;
mod compare;
mod ids;
mod lines;
pub mod markers;
mod moves;
mod render;
mod values;
mod walk;

use std::fmt;

pub use ids::Renaming;

use crate::check::diagnostic::Diagnostic;
use crate::check::registry::Severity;
use crate::plan::document::{DocumentError, PlanDocument};
use crate::plan::source::{self, Layout};
use render::{Markers, Trivia};
use walk::{Merger, Place};

/// How conflicts are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The label after `<<<<<<<`.
    pub ours_label: String,
    /// The label after `>>>>>>>`.
    pub theirs_label: String,
    /// The length of the markers (git's `conflict-marker-size`, 7 by default).
    pub marker_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ours_label: "ours".to_string(),
            theirs_label: "theirs".to_string(),
            marker_size: 7,
        }
    }
}

/// Why a part of the plan could not be merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Both sides changed it, differently.
    BothChanged,
    /// Ours deleted it and theirs changed it.
    DeletedByOurs,
    /// Theirs deleted it and ours changed it.
    DeletedByTheirs,
    /// Both sides changed the comments at that place, differently.
    Comments,
    /// Both sides moved it, to different countries.
    MovedApart,
}

/// One conflict written into the merged text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What it is about: `objective POL-ST-1, `text``, `priority SP-4`.
    pub what: String,
    /// Why.
    pub reason: Reason,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.reason {
            Reason::BothChanged => "changed differently on both sides",
            Reason::DeletedByOurs => "deleted by ours, changed by theirs",
            Reason::DeletedByTheirs => "changed by ours, deleted by theirs",
            Reason::Comments => "comments changed differently on both sides",
            Reason::MovedApart => "moved to different countries on both sides",
        };
        write!(f, "{}: {why}", self.what)
    }
}

/// The merged plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged file, with conflict markers where there are conflicts.
    pub bytes: Vec<u8>,
    /// The conflicts written (none: a clean merge).
    pub conflicts: Vec<Conflict>,
    /// Theirs' items given a new id.
    pub renamings: Vec<Renaming>,
}

/// One of the three versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// The common ancestor.
    Base,
    /// The current branch's version.
    Ours,
    /// The other branch's version.
    Theirs,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::Base => "the base version",
            Version::Ours => "our version",
            Version::Theirs => "their version",
        })
    }
}

/// Why the versions were not merged by item (a line merge is then what is left).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// A version is too large, not UTF-8 or not TOML (conflict markers from an earlier merge,
    /// say).
    #[error("{version} cannot be read as TOML: {source}")]
    Unreadable {
        /// Which.
        version: Version,
        /// Why.
        source: DocumentError,
    },
    /// None of the versions has a `[plan]` table: this is some other TOML file.
    #[error("none of the three versions is a plan (no [plan] table)")]
    NotAPlan,
}

/// Merges theirs' changes since the base into ours. When a side left the file as it was, the
/// other side's bytes are the result.
pub fn merge(
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    options: &Options,
) -> Result<Merged, MergeError> {
    let unchanged = |bytes: &[u8]| Merged {
        bytes: bytes.to_vec(),
        conflicts: Vec::new(),
        renamings: Vec::new(),
    };
    if theirs == base || theirs == ours {
        return Ok(unchanged(ours));
    }
    if ours == base {
        return Ok(unchanged(theirs));
    }
    merge_versions(base, ours, theirs, options)
}

/// Merges the three versions item by item, with no shortcut for a side that changed nothing.
pub fn merge_versions(
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    options: &Options,
) -> Result<Merged, MergeError> {
    // The three parses are independent: on a large plan they are most of the time.
    let (b, o, t) = std::thread::scope(|scope| {
        let parse = |bytes, version| move || parse(bytes, version);
        let b = scope.spawn(parse(base, Version::Base));
        let t = scope.spawn(parse(theirs, Version::Theirs));
        let o = parse(ours, Version::Ours)();
        (join(b, Version::Base), o, join(t, Version::Theirs))
    });
    let ((mut base_doc, base_layout), (mut doc, ours_layout), (mut theirs_doc, theirs_layout)) =
        (b?, o?, t?);
    if ![&base_doc, &doc, &theirs_doc]
        .iter()
        .any(|d| d.contains_key("plan"))
    {
        return Err(MergeError::NotAPlan);
    }
    let markers = Markers::new(
        options.marker_size,
        &options.ours_label,
        &options.theirs_label,
    );
    let moves = moves::follow(&mut base_doc, &mut doc, &mut theirs_doc);
    let renames = ids::Renames::find(base_doc.as_table(), doc.as_table(), theirs_doc.as_table());
    let mut merger = Merger {
        markers: &markers,
        renames,
        moves,
        conflicts: Vec::new(),
    };
    merger.merge_table(
        &Place::root(),
        Some(base_doc.as_table()),
        doc.as_table_mut(),
        theirs_doc.as_table(),
    );
    let trailing = |d: &toml_edit::DocumentMut| render::raw_text(Some(d.trailing())).to_string();
    match render::merge_trivia(
        &trailing(&base_doc),
        &trailing(&doc),
        &trailing(&theirs_doc),
        &markers,
    ) {
        Trivia::Ours => {}
        Trivia::Theirs => doc.set_trailing(trailing(&theirs_doc)),
        Trivia::Conflict(text) => {
            doc.set_trailing(text);
            merger.conflict(
                "the comments at the end of the file".to_string(),
                Reason::Comments,
            );
        }
    }
    // A side that changed the file's line endings, byte-order mark or final newline has it so.
    let pick = |b: bool, o: bool, t: bool| if b == o { t } else { o };
    let layout = Layout {
        crlf: pick(base_layout.crlf, ours_layout.crlf, theirs_layout.crlf),
        bom: pick(base_layout.bom, ours_layout.bom, theirs_layout.bom),
        final_newline: pick(
            base_layout.final_newline,
            ours_layout.final_newline,
            theirs_layout.final_newline,
        ),
    };
    let (conflicts, renamings) = (merger.conflicts, merger.renames.into_list());
    // Freeing three documents of a large plan takes as long as printing one: the base and
    // theirs are freed beside the printing, ours once printed, on that other thread.
    let bytes = std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<toml_edit::DocumentMut>();
        scope.spawn(move || {
            drop((base_doc, theirs_doc));
            drop(receiver.recv());
        });
        let text = doc.to_string();
        // The freeing thread may have gone; then ours is freed here.
        let _ = sender.send(doc);
        // Lines ours ends in both ways keep their own ends, as found.
        source::line_ends_like(&[ours, theirs], source::encode(&text, layout))
    });
    Ok(Merged {
        bytes,
        conflicts,
        renamings,
    })
}

/// A version parsed: its document and its layout.
type Parsed = Result<(toml_edit::DocumentMut, Layout), MergeError>;

/// Parses one version's bytes.
fn parse(bytes: &[u8], version: Version) -> Parsed {
    PlanDocument::from_bytes(bytes)
        .map(PlanDocument::into_parts)
        .map_err(|source| MergeError::Unreadable { version, source })
}

/// The parse of a version made on another thread.
fn join(handle: std::thread::ScopedJoinHandle<'_, Parsed>, version: Version) -> Parsed {
    // A parse that panicked is a bug; say so as an unreadable version rather than abort.
    handle.join().unwrap_or_else(|_| {
        Err(MergeError::Unreadable {
            version,
            source: DocumentError::Syntax {
                loc: crate::plan::model::Loc::START,
                message: "the parser failed".to_string(),
            },
        })
    })
}

/// A message without the line numbers it names (`at line 82`): the merge moves lines.
fn without_lines(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        let (before, after) = rest.split_at(at + "line ".len());
        out.push_str(before);
        rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// The unwaived errors of the merged plan that neither side had (by code, item and what the
/// message says, the lines it names aside): what the merge itself brought about, for the
/// planner to fix.
pub fn new_errors(merged: &[Diagnostic], sides: [&[Diagnostic]; 2]) -> Vec<Diagnostic> {
    let had = |d: &Diagnostic| {
        let said = without_lines(&d.message);
        sides
            .iter()
            .flat_map(|side| side.iter())
            .any(|s| s.code == d.code && s.item == d.item && without_lines(&s.message) == said)
    };
    merged
        .iter()
        .filter(|d| d.severity == Severity::Error && !d.waived && !had(d))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::new_errors;
    use crate::check::diagnostic::Diagnostic;
    use crate::plan::model::Loc;

    fn error(code: &'static str, item: &str, message: &str) -> Diagnostic {
        Diagnostic::new(code, item, Loc::START, message)
    }

    #[test]
    fn an_error_is_new_unless_a_side_said_the_same_of_the_same_item() {
        let old = error(
            "SCP108",
            "POL-ST-1",
            "`POL-AG-9` in `governance` names no agreement",
        );
        let moved = error(
            "SCP005",
            "X-1",
            "`X-1` is already used at line 12: ids must be unique",
        );
        let merged = [
            old.clone(),
            error(
                "SCP108",
                "POL-ST-1",
                "`POL-AG-2` in `governance` names no agreement",
            ),
            error(
                "SCP005",
                "X-1",
                "`X-1` is already used at line 40: ids must be unique",
            ),
        ];
        let new = new_errors(&merged, [&[old], &[moved]]);
        let messages: Vec<&str> = new.iter().map(|d| &*d.message).collect();
        assert_eq!(messages, ["`POL-AG-2` in `governance` names no agreement"]);
    }
}
