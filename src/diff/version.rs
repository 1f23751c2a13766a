//! One version of a plan, checked as `scplan check` checks it and kept for comparison: its
//! typed plan and diagnostics, the text freed once loaded. The typed plan holds every value as
//! written unless the loader found a value of the wrong type or outside its enumeration
//! (SCP003, SCP006); only then is the text also read as TOML, so that the diff shows such a
//! value as written.

use crate::check::diagnostic::Diagnostic;
use crate::check::{self, CheckError, Settings};
use crate::plan::marking::{self, Marking};
use crate::plan::model::{Loc, Plan};
use crate::plan::source::LineIndex;

use super::items::Source;

/// Why a version cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum VersionError {
    /// The file is too large.
    #[error(transparent)]
    Unreadable(#[from] CheckError),
    /// The file is not UTF-8 or not TOML (SCP001).
    #[error("{}:{}: SCP001 {message}", .loc.line, .loc.column)]
    Syntax {
        /// Where the parser stopped.
        loc: Loc,
        /// What it found.
        message: String,
    },
    /// A marking is above the system high (SCP209): nothing of the plan may be copied.
    #[error("{}:{}: {} — refusing to copy content above the system high", .0.loc.line, .0.loc.column, .0.message)]
    AboveSystemHigh(Box<Diagnostic>),
}

/// One version of a plan, checked and read for comparison.
#[derive(Debug, Clone)]
pub struct Version {
    /// The typed plan.
    plan: Plan,
    /// Every diagnostic of the check, sorted.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The file as TOML, for a plan whose typed form lost a value.
    raw: Option<toml::Table>,
}

impl Version {
    /// Checks a plan file's bytes and reads its values; refuses a file that does not parse or
    /// holds a marking above the system high.
    pub fn load(bytes: &[u8], settings: &Settings) -> Result<Version, VersionError> {
        Version::load_vec(bytes.to_vec(), settings)
    }

    /// [`Version::load`] for bytes the caller gives up: the checked text reuses their buffer,
    /// and is freed before this returns.
    pub fn load_vec(bytes: Vec<u8>, settings: &Settings) -> Result<Version, VersionError> {
        let checked = check::check_vec(bytes, settings)?;
        let Some(plan) = checked.plan else {
            let (loc, message) = checked
                .diagnostics
                .first()
                .map_or((Loc::START, String::new()), |d| {
                    (d.loc, d.message.to_string())
                });
            return Err(VersionError::Syntax { loc, message });
        };
        if let Some(d) = checked.diagnostics.iter().find(|d| d.code == "SCP209") {
            return Err(VersionError::AboveSystemHigh(Box::new(d.clone())));
        }
        let raw = if checked.diagnostics.iter().any(loses_value) {
            let text = checked.text;
            let root = text
                .parse::<toml::Table>()
                .map_err(|err| VersionError::Syntax {
                    loc: err
                        .span()
                        .map_or(Loc::START, |span| LineIndex::new(&text).loc(span)),
                    message: err.message().to_string(),
                })?;
            Some(root)
        } else {
            None
        };
        Ok(Version {
            plan,
            diagnostics: checked.diagnostics,
            raw,
        })
    }

    /// The root the diff reads the version's items from.
    pub(super) fn root(&self) -> Source<'_> {
        match &self.raw {
            Some(root) => Source::Raw(root),
            None => Source::Plan(&self.plan),
        }
    }

    /// The typed plan.
    pub(super) fn plan(&self) -> &Plan {
        &self.plan
    }

    /// A string value of `[plan]` (`id`, `version`), or its TOML spelling for other types.
    pub fn plan_value(&self, key: &str) -> Option<String> {
        Some(self.root().plan().get(key)?.spelling())
    }

    /// The name of the country section with this code.
    pub fn country_name(&self, code: &str) -> Option<&str> {
        self.root()
            .children(crate::plan::schema::TableKind::Country)
            .into_iter()
            .find(|c| c.text("code") == Some(code))?
            .text("name")
    }

    /// Every portion marking and the banner, parsed where they parse.
    fn markings(&self) -> Vec<Marking> {
        let mut out: Vec<Marking> = self
            .plan
            .portions()
            .into_iter()
            .filter_map(|p| marking::parse_portion(p.portion.marking_text()?).ok())
            .collect();
        out.extend(
            self.plan_value("marking")
                .and_then(|banner| banner_portion(&banner)),
        );
        out
    }
}

/// Whether a diagnostic says the typed plan lost a value as written: one of the wrong type
/// (SCP003), outside its enumeration (SCP006; technology areas keep every entry), or under a
/// key it does not read (SCP004).
fn loses_value(d: &Diagnostic) -> bool {
    matches!(d.code, "SCP003" | "SCP004")
        || (d.code == "SCP006" && d.target.field.as_deref() != Some("tech_areas"))
}

/// A banner as a portion for the memo's roll-up. A banner not written in banner form still
/// counts by its level and any NOFORN, so that the memo is never marked lower than a version.
fn banner_portion(banner: &str) -> Option<Marking> {
    marking::banner_as_portion(banner).or_else(|| {
        let upper = banner.to_ascii_uppercase();
        Some(Marking {
            level: marking::banner_level(banner)?,
            nf: upper
                .split("//")
                .flat_map(|group| group.split('/'))
                .any(|entry| matches!(entry.trim(), "NF" | "NOFORN")),
            rel_to: None,
            categories: Vec::new(),
            ldcs: Vec::new(),
        })
    })
}

/// The banner for a document that shows content of both versions: the roll-up of both
/// banners and every portion of both plans, so that it is never lower than either banner.
pub fn memo_banner(old: &Version, new: &Version) -> String {
    let mut all = old.markings();
    all.extend(new.markings());
    marking::roll_up(&all, new.plan.meta.profile())
}
