//! The validation stamp every export carries: which scplan and rule catalogue checked which
//! file (by SHA-256) when, what `check` found and the waivers that were accepted; in a partner
//! copy, only the findings and waivers of what it releases.

use std::fmt::Write as _;

use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::check::diagnostic::Diagnostic;
use crate::check::registry::CATALOGUE_VERSION;
use crate::plan::model::{Plan, text, val};
use crate::report::{Summary, plural};

use super::release::Release;

/// The words that mark an export of a plan that did not pass `check`.
pub const DRAFT_NOTICE: &str = "DRAFT - NOT VALIDATED";

/// How plan text is prepared for a format: documents read by people get control characters
/// made visible; JSON keeps the text exactly (its own escaping is lossless).
pub type Clean = for<'a> fn(&'a str) -> std::borrow::Cow<'a, str>;

/// The stamp.
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    /// What `check` concluded: `validated: no unwaived error`, or `DRAFT - NOT VALIDATED`.
    pub status: &'static str,
    /// The version of scplan that made the export.
    pub scplan_version: &'static str,
    /// The version of the rule catalogue that checked the plan.
    pub catalogue_version: &'static str,
    /// When the export was made (`SOURCE_DATE_EPOCH` when set), ISO 8601 in UTC.
    pub time: String,
    /// SHA-256 of the plan file's bytes, lower-case hex.
    pub plan_sha256: String,
    /// Unwaived diagnostics by severity, and waived ones, of the released items.
    pub counts: Summary,
    /// The waivers of the released items.
    pub waivers: Vec<WaiverStamp>,
    /// The country this version is released to, if it is a partner copy.
    pub releasable_to: Option<String>,
}

/// One `[[waiver]]` as the stamp shows it.
#[derive(Debug, Clone, Serialize)]
pub struct WaiverStamp {
    /// `rule`.
    pub rule: String,
    /// `item`.
    pub item: String,
    /// `reason` (`None` when absent, in a draft).
    pub reason: Option<String>,
    /// `approved_by`.
    pub approved_by: Option<String>,
    /// `expires`, `YYYY-MM-DD`.
    pub expires: Option<String>,
}

/// The status of a plan that passed `check`.
pub const VALIDATED: &str = "validated: no unwaived error";

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

impl Stamp {
    /// The stamp of a plan file whose bytes hash to `plan_sha256` ([`sha256_hex`]) at `time`
    /// (`draft`: exported despite unwaived errors), with the findings (of `diagnostics`) and
    /// the waivers of what `release` releases.
    pub fn new(
        plan_sha256: String,
        plan: &Plan,
        diagnostics: &[Diagnostic],
        release: &Release,
        draft: bool,
        time: Timestamp,
        clean: Clean,
    ) -> Stamp {
        let waivers = plan
            .waivers
            .iter()
            .enumerate()
            .filter(|(i, _)| release.waiver_released(*i))
            .map(|(_, w)| WaiverStamp {
                rule: clean(text(&w.rule)).into_owned(),
                item: clean(text(&w.item)).into_owned(),
                reason: val(&w.reason).map(|s| clean(s).into_owned()),
                approved_by: val(&w.approved_by).map(|s| clean(s).into_owned()),
                expires: val(&w.expires).map(ToString::to_string),
            })
            .collect();
        Stamp {
            status: if draft { DRAFT_NOTICE } else { VALIDATED },
            scplan_version: env!("CARGO_PKG_VERSION"),
            catalogue_version: CATALOGUE_VERSION,
            time: time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            plan_sha256,
            counts: released_counts(diagnostics, release),
            waivers,
            releasable_to: release.partner().map(str::to_string),
        }
    }

    /// The stamp as labelled lines, the way the documents print it.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let c = &self.counts;
        let mut out = vec![
            ("status", self.status.to_string()),
            ("scplan version", self.scplan_version.to_string()),
            ("rule catalogue version", self.catalogue_version.to_string()),
            ("time (UTC)", self.time.clone()),
            ("plan SHA-256", self.plan_sha256.clone()),
            (
                "findings",
                format!(
                    "{}, {}, {}, {} waived",
                    plural(c.errors, "error"),
                    plural(c.warnings, "warning"),
                    plural(c.infos, "info"),
                    c.waived
                ),
            ),
        ];
        for w in &self.waivers {
            let mut line = format!("{} on {}", w.rule, w.item);
            if let Some(reason) = &w.reason {
                let _ = write!(line, ": {reason}");
            }
            if let Some(by) = &w.approved_by {
                let _ = write!(line, " (approved by {by})");
            }
            if let Some(expires) = &w.expires {
                let _ = write!(line, " (expires {expires})");
            }
            out.push(("waiver", line));
        }
        if self.waivers.is_empty() {
            out.push(("waivers", "none".to_string()));
        }
        if let Some(to) = &self.releasable_to {
            out.push(("releasable to", to.clone()));
        }
        out
    }
}

/// The counts of the findings a copy releases: none about a withheld item, and a finding whose
/// waiver the copy leaves out counted by its severity, as the copy shows it (no waiver of it).
fn released_counts(diagnostics: &[Diagnostic], release: &Release) -> Summary {
    let mut counts = Summary::default();
    for d in diagnostics.iter().filter(|d| !release.about_withheld(d)) {
        counts.count(d.waived && !release.waiver_left_out(d), d.severity);
    }
    counts
}
