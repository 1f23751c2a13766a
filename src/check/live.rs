//! An open plan's derived state kept current edit by edit: the typed plan, its findings by
//! section, every diagnostic, and the text the locations refer to. An edit inside one part
//! (a country section, the priorities, the waivers) re-reads that part alone (its text printed
//! on its own and spliced into the plan's text, everything below moved by the lines it gained
//! or lost), re-checks what the part can affect and then the plan-wide rules, so that its cost
//! follows the part, not the plan; any other edit ([plan] itself, adding, removing or moving
//! a country section) derives everything again. Both ways give the same plan and diagnostics
//! (a test holds them equal).

use super::diagnostic::Diagnostic;
use super::findings::Findings;
use super::{Settings, load_text};
use std::collections::HashMap;

use crate::plan::document::{DocumentError, Part, PlanDocument};
use crate::plan::load::{self, Loaded, PartModel};
use crate::plan::located::Located;
use crate::plan::model::Plan;
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
    /// Where each part's text starts (byte, line), once found.
    starts: HashMap<Part, (usize, u32)>,
    /// The findings by section.
    findings: Findings,
}

/// A part of the plan found in the text before an edit to it.
#[derive(Debug)]
pub struct Region {
    part: Part,
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
            starts: HashMap::new(),
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
                // The document prints a final line break the file may lack (it is dropped
                // again when the file is written): the text is the document's.
                if !live.text.is_empty() && !live.text.ends_with('\n') {
                    live.text.push('\n');
                }
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

    /// Finds a part in the text before an edit confined to it: `None` when the part,
    /// printed on its own, is not exactly what the text holds at its place (or is empty).
    pub fn locate(&mut self, doc: &mut PlanDocument, part: Part) -> Option<Region> {
        let first = match part {
            Part::Country(ci) => &self.plan.countries.get(ci)?.head,
            Part::Priorities => &self.plan.priorities.first()?.head,
            Part::Waivers => &self.plan.waivers.first()?.head,
        };
        let header = first.header.line;
        let old = doc.part_text(part)?;
        // The comments and blank lines above the first header belong to the part.
        let above = old
            .lines()
            .take_while(|l| {
                let l = l.trim_start();
                l.is_empty() || l.starts_with('#')
            })
            .count();
        let line = header.checked_sub(u32::try_from(above).ok()?)?;
        let byte = self.line_start(line)?;
        self.text.get(byte..)?.starts_with(&old).then_some(Region {
            part,
            byte,
            line,
            old,
        })
    }

    /// The byte where `line` starts, counting from the nearest part start known above it.
    fn line_start(&self, line: u32) -> Option<usize> {
        let (from_byte, from_line) = self
            .starts
            .values()
            .copied()
            .filter(|&(_, l)| l <= line)
            .max_by_key(|&(_, l)| l)
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

    /// After an edit confined to the part found as `region`: reads that part again from the
    /// document and re-checks what it affects. `false` when it cannot (the part no longer
    /// reads on its own); the caller then derives everything with [`LivePlan::reload`].
    pub fn part_changed(
        &mut self,
        doc: &mut PlanDocument,
        region: Region,
        settings: &Settings,
    ) -> bool {
        let Region {
            part,
            byte,
            line,
            old,
        } = region;
        let Some(new) = doc.part_text(part) else {
            return false;
        };
        let tech_list = self.plan.meta.tech_list();
        let Some((model, structural)) = load::load_part(&new, part, line, tech_list) else {
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
        for start in self.starts.values_mut() {
            if start.0 > byte {
                start.0 = (start.0 as i64 + byte_delta) as usize;
                start.1 = (i64::from(start.1) + delta) as u32;
            }
        }
        self.starts.insert(part, (byte, line));
        let Some(old) = swap_part(&mut self.plan, part, model) else {
            return false;
        };
        self.findings
            .replace_part(&self.plan, part, &old, structural, settings);
        self.diagnostics = self.findings.diagnostics(&self.plan, settings);
        true
    }
}

/// Puts a part read again into the plan; gives back what it replaces.
fn swap_part(plan: &mut Plan, part: Part, model: PartModel) -> Option<PartModel> {
    Some(match (part, model) {
        (Part::Country(ci), PartModel::Country(c)) => {
            PartModel::Country(Box::new(std::mem::replace(plan.countries.get_mut(ci)?, *c)))
        }
        (Part::Priorities, PartModel::Priorities(p)) => {
            PartModel::Priorities(std::mem::replace(&mut plan.priorities, p))
        }
        (Part::Waivers, PartModel::Waivers(w)) => {
            PartModel::Waivers(std::mem::replace(&mut plan.waivers, w))
        }
        _ => return None,
    })
}

/// The number of line breaks in `s`.
fn newlines(s: &str) -> u32 {
    memchr::memchr_iter(b'\n', s.as_bytes()).count() as u32
}
