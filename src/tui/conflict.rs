//! A plan file with conflict markers: the conflicts to resolve (read by
//! [`crate::merge::markers`]), how each is resolved so far, and the plan they make once none
//! is left, opened as any plan but unsaved: nothing is written until the planner saves.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::app::{Broken, Conflicts, Resolution, Screen, Session};
use super::editing_lock::take_lock;
use crate::check::live::LivePlan;
use crate::check::{self, Settings};
use crate::edit::fixes::expected_banner;
use crate::merge::markers::{Block, Conflicted, MarkerError, Take};
use crate::plan::document::PlanDocument;
use crate::plan::marking::{self, Level};
use crate::plan::model::Loc;
use crate::plan::source;
use crate::store::{ContentHash, FileSystem};

impl Conflicts {
    /// How many conflicts are left.
    pub fn left(&self) -> usize {
        self.resolutions.iter().filter(|r| r.is_none()).count()
    }

    /// Undoes the last resolution, selecting its conflict; whether there was one.
    pub fn undo_last(&mut self) -> bool {
        match self.undo.pop() {
            Some((i, before)) => {
                self.resolutions[i] = before;
                self.selected = i;
                true
            }
            None => false,
        }
    }

    /// Whether a resolution was made (quitting then asks first).
    pub fn modified(&self) -> bool {
        self.resolutions.iter().any(Option::is_some)
    }

    /// Resolves a conflict (one undo step).
    pub fn set(&mut self, index: usize, resolution: Resolution) {
        if let Some(slot) = self.resolutions.get_mut(index) {
            self.undo.push((index, slot.replace(resolution)));
        }
    }

    /// The plan the resolutions make, opened unsaved; `Err` says why its text does not parse.
    pub fn load(&mut self, settings: &Settings) -> Option<Result<Session, String>> {
        let texts: Vec<Option<String>> = self
            .resolutions
            .iter()
            .map(|r| r.as_ref().map(|r| r.text.clone()))
            .collect();
        let text = self.conflicted.resolve(&texts)?;
        let doc = match PlanDocument::from_text(&text, self.layout) {
            Ok(doc) => doc,
            Err(err) => return Some(Err(format!("the resolved plan does not parse: {err}"))),
        };
        let live = LivePlan::reload(&doc, settings);
        let mut s = Session::new(self.path.clone(), doc, live, self.loaded);
        s.lock = self.lock.take();
        s.read_only = self.read_only.take();
        // What is shown is not what is on disk: unsaved, kept by the recovery file meanwhile.
        s.saved_depth = None;
        s.recovery.revision = 1;
        s.recovery.last_change = Some(Instant::now());
        Some(Ok(s))
    }
}

/// The screen for a file that does not parse, when it holds conflict markers: the conflicts
/// to resolve, or (markers that do not balance) SCP001 saying what is wrong. `None` when it
/// has no conflict markers.
pub fn screen(fs: &Arc<dyn FileSystem>, path: &Path, bytes: &[u8]) -> Option<Screen> {
    let (text, layout) = source::decode(bytes).ok()?;
    match Conflicted::parse(&text) {
        Ok(None) => None,
        Ok(Some(conflicted)) => {
            let blocks: Vec<Block> = conflicted.blocks().cloned().collect();
            let (lock, read_only) = match take_lock(fs, path) {
                Ok(lock) => (Some(lock), None),
                Err(why) => (None, Some(why)),
            };
            let (banner, banner_level) = sides_banner(&conflicted, &blocks);
            Some(Screen::Conflicts(Box::new(Conflicts {
                path: path.to_path_buf(),
                conflicted,
                resolutions: vec![None; blocks.len()],
                blocks,
                layout,
                loaded: ContentHash::of(bytes),
                undo: Vec::new(),
                selected: 0,
                modal: None,
                message: read_only.clone().map(|why| (why, true)),
                lock,
                read_only,
                banner,
                banner_level,
            })))
        }
        Err(err) => Some(Screen::Broken(Broken {
            path: path.to_path_buf(),
            diagnostic: unbalanced(&err),
            text,
        })),
    }
}

/// The banner of a conflicted plan: each side's plan (every conflict taken its way) read, and
/// the higher of what either declares or its portions require, so that the screen is never
/// marked lower than any version it shows.
fn sides_banner(conflicted: &Conflicted, blocks: &[Block]) -> (String, Option<Level>) {
    // Only to read the markings: nothing of the plan is written from here.
    let settings = Settings {
        system_high: Level::Ts,
    };
    let mut best: (String, Option<Level>) = ("MARKING NOT KNOWN UNTIL RESOLVED".to_string(), None);
    for take in [Take::Ours, Take::Theirs] {
        let texts: Vec<Option<String>> = blocks.iter().map(|b| Some(b.take(take))).collect();
        let Some(text) = conflicted.resolve(&texts) else {
            continue;
        };
        let Some(plan) = check::check_text(text, &settings).plan else {
            continue;
        };
        let declared = crate::plan::model::text(&plan.meta.marking).to_string();
        let required = expected_banner(&plan);
        for banner in [Some(declared), required].into_iter().flatten() {
            let level = marking::banner_level(&banner);
            if level.is_some() && level > best.1 {
                best = (banner, level);
            }
        }
    }
    best
}

/// SCP001 for conflict markers that do not balance, at the line of the problem.
fn unbalanced(err: &MarkerError) -> crate::check::diagnostic::Diagnostic {
    let loc = Loc {
        line: u32::try_from(err.line()).unwrap_or(u32::MAX),
        column: 1,
        len: 7,
    };
    crate::check::diagnostic::Diagnostic::new(
        "SCP001",
        "plan",
        loc,
        format!("unbalanced conflict markers: {err}"),
    )
    .with_help("fix the markers in a text editor (each conflict is `<<<<<<<`, optionally `|||||||`, `=======`, `>>>>>>>`), then reload")
}
