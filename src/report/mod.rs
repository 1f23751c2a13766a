//! Diagnostics out: rustc-style text, JSON and SARIF.

pub mod human;
pub mod json;
pub mod sarif;

use crate::check::Checked;
use crate::check::diagnostic::Diagnostic;
use crate::check::registry::Severity;

/// The result of checking one file, as reports need it.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given on the command line.
    pub path: String,
    /// The check, or why the file could not be read.
    pub outcome: Result<Checked, String>,
}

/// Counts of unwaived diagnostics by severity, and of waived ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Summary {
    /// Unwaived errors.
    pub errors: usize,
    /// Unwaived warnings.
    pub warnings: usize,
    /// Unwaived infos.
    pub infos: usize,
    /// Waived diagnostics of any severity.
    pub waived: usize,
}

impl Summary {
    /// Counts a list of diagnostics.
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Summary {
        let mut s = Summary::default();
        for d in diagnostics {
            s.count(d.waived, d.severity);
        }
        s
    }

    /// Counts one finding: as waived, or by its severity.
    pub fn count(&mut self, waived: bool, severity: Severity) {
        match (waived, severity) {
            (true, _) => self.waived += 1,
            (false, Severity::Error) => self.errors += 1,
            (false, Severity::Warning) => self.warnings += 1,
            (false, Severity::Info) => self.infos += 1,
        }
    }

    /// Counts every readable file of a run.
    pub fn of_files(files: &[FileReport]) -> Summary {
        Summary::of(
            files
                .iter()
                .filter_map(|f| f.outcome.as_ref().ok())
                .flat_map(|c| c.diagnostics.iter()),
        )
    }
}

/// `"1 error"` / `"2 errors"`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
