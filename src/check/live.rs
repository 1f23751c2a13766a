//! An open plan's derived state kept current edit by edit: the typed plan, its findings by
//! section, every diagnostic, and the text the locations refer to. An edit inside one country
//! section re-reads and re-checks that section alone (its text printed on its own and spliced
//! into the plan's text, everything below moved by the lines it gained or lost) and then the
//! plan-wide rules, so that its cost follows the section, not the plan; any other edit derives
//! everything again. Both ways give the same plan and diagnostics (a test holds them equal).

use super::diagnostic::Diagnostic;
use super::findings::Findings;
use super::{Settings, load_text};
use crate::plan::document::{DocumentError, PlanDocument};
use crate::plan::load::{self, Loaded};
use crate::plan::located::Located;
use crate::plan::model::{Country, Plan, val};
use crate::plan::source;

/// The derived state of an open plan.
#[derive(Debug, Clone)]
pub struct LivePlan {
    /// The typed plan.
    pub plan: Plan,
    /// Every diagnostic, waivers applied, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The document's text (LF, no byte-order mark), what the locations refer to.
    text: String,
    /// Where each country section's text starts (byte, line), once found.
    starts: Vec<Option<(usize, u32)>>,
    /// The findings by section.
    findings: Findings,
}

/// A country section found in the text before an edit to it.
#[derive(Debug)]
pub struct Region {
    ci: usize,
    byte: usize,
    line: u32,
    old: String,
}

impl LivePlan {
    /// The state of a plan whose text is `text` and whose load is `loaded`.
    pub fn new(text: String, loaded: Loaded, settings: &Settings) -> LivePlan {
        let findings = Findings::new(&loaded.plan, loaded.diagnostics, settings);
        let diagnostics = findings.diagnostics(&loaded.plan, settings);
        LivePlan {
            starts: vec![None; loaded.plan.countries.len()],
            plan: loaded.plan,
            diagnostics,
            text,
            findings,
        }
    }

    /// Opens a file's bytes: the editable document and its derived state. The document's
    /// parse and the read-only load run side by side (they are independent and the machine
    /// has cores to spare), so opening costs about one parse.
    pub fn open(
        bytes: &[u8],
        settings: &Settings,
    ) -> Result<(PlanDocument, LivePlan), DocumentError> {
        let (text, layout) = source::decode(bytes)?;
        let (doc, derived) = std::thread::scope(|scope| {
            let derived = scope.spawn(|| {
                load_text(&text)
                    .ok()
                    .map(|loaded| LivePlan::new(String::new(), loaded, settings))
            });
            let doc = PlanDocument::from_text(&text, layout);
            (doc, derived.join())
        });
        let doc = doc?;
        let live = match derived {
            Ok(Some(mut live)) => {
                live.text = text;
                live
            }
            // toml_edit reads what toml refused (or the load panicked): derive from the document.
            _ => LivePlan::reload(&doc, settings),
        };
        Ok((doc, live))
    }

    /// Derives everything again from the document.
    pub fn reload(doc: &PlanDocument, settings: &Settings) -> LivePlan {
        let (text, loaded) = doc.load_with_text();
        LivePlan::new(text, loaded, settings)
    }

    /// The text the locations refer to.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Finds the country section at `ci` in the text before an edit confined to it: `None`
    /// when the section, printed on its own, is not exactly what the text holds at its place.
    pub fn locate(&mut self, doc: &mut PlanDocument, ci: usize) -> Option<Region> {
        let old = doc.country_text(ci)?;
        let header = self.plan.countries.get(ci)?.head.header.line;
        // The comments and blank lines above the header belong to the section.
        let above = old
            .lines()
            .take_while(|l| {
                let l = l.trim_start();
                l.is_empty() || l.starts_with('#')
            })
            .count();
        let line = header.checked_sub(u32::try_from(above).ok()?)?;
        let byte = self.line_start(ci, line)?;
        self.text.get(byte..)?.starts_with(&old).then_some(Region {
            ci,
            byte,
            line,
            old,
        })
    }

    /// The byte where `line` starts, counting from the nearest section start known above it.
    fn line_start(&self, ci: usize, line: u32) -> Option<usize> {
        let (from_byte, from_line) = self.starts[..=ci.min(self.starts.len().saturating_sub(1))]
            .iter()
            .rev()
            .flatten()
            .copied()
            .find(|&(_, l)| l <= line)
            .unwrap_or((0, 1));
        let skip = usize::try_from(line.checked_sub(from_line)?).ok()?;
        if skip == 0 {
            return Some(from_byte);
        }
        let rest = self.text.get(from_byte..)?.as_bytes();
        memchr::memchr_iter(b'\n', rest)
            .nth(skip - 1)
            .map(|i| from_byte + i + 1)
    }

    /// After an edit confined to the section found as `region`: reads that section again
    /// from the document and re-checks it. `false` when it cannot (the section no longer reads
    /// on its own); the caller then derives everything with [`LivePlan::reload`].
    pub fn section_changed(
        &mut self,
        doc: &mut PlanDocument,
        region: Region,
        settings: &Settings,
    ) -> bool {
        let Region {
            ci,
            byte,
            line,
            old,
        } = region;
        let Some(new) = doc.country_text(ci) else {
            return false;
        };
        let tech_list = self.plan.meta.tech_list();
        let Some((country, structural)) = load::load_country(&new, ci, line, tech_list) else {
            return false;
        };
        let old_lines = newlines(&old);
        let delta = i64::from(newlines(&new)) - i64::from(old_lines);
        let below = line + old_lines;
        let byte_delta = new.len() as i64 - old.len() as i64;
        self.text.replace_range(byte..byte + old.len(), &new);
        self.plan.shift_lines(below, delta);
        for d in self.findings.held_mut() {
            d.loc.shift_lines(below, delta);
        }
        for start in self.starts.iter_mut().flatten() {
            if start.0 > byte {
                start.0 = (start.0 as i64 + byte_delta) as usize;
                start.1 = (i64::from(start.1) + delta) as u32;
            }
        }
        self.starts[ci] = Some((byte, line));
        let old = std::mem::replace(&mut self.plan.countries[ci], country);
        self.findings
            .replace_section(&self.plan, ci, &old, structural, settings);
        if owned_ids(&self.plan.countries[ci]) != owned_ids(&old) {
            self.findings.recheck_foreign(&self.plan, ci, settings);
        }
        self.diagnostics = self.findings.diagnostics(&self.plan, settings);
        true
    }
}

/// The number of line breaks in `s`.
fn newlines(s: &str) -> u32 {
    memchr::memchr_iter(b'\n', s.as_bytes()).count() as u32
}

/// What other sections' findings may name of a section: its code and the ids of its
/// agreements and actors.
fn owned_ids(c: &Country) -> Vec<&str> {
    std::iter::once(&c.code)
        .chain(c.agreements.iter().map(|a| &a.id))
        .chain(c.actors.iter().map(|a| &a.id))
        .filter_map(|id| val(id).map(String::as_str))
        .collect()
}
