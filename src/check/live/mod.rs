//! An open plan's derived state kept current edit by edit: the typed plan, its findings by
//! section, every diagnostic, and the text the locations refer to. An edit inside one part
//! (`[plan]`, a country section, the priorities, the waivers) re-reads that part alone (its text
//! printed on its own and spliced into the plan's text, everything below moved by the lines it
//! gained or lost), re-checks what the part can affect and then the plan-wide rules, so that
//! its cost follows the part, not the plan. A country section added, removed or moved is cut
//! from or put into the text at its place (`sections`); a batch over a few parts is taken
//! part by part (`apply`). What cannot be taken so (a document that does not print in tree
//! order, a batch over many parts) derives everything again. Both ways give the same plan
//! and diagnostics (tests hold them equal).

mod apply;
mod sections;
mod values;

use std::sync::Arc;

use super::Settings;
use super::diagnostic::Diagnostic;
use super::findings::{Findings, RequiredBanner};
use super::load_text;
use crop::{Rope, RopeSlice};

use crate::plan::document::{self, DocumentError, Half, PlanDocument};
use crate::plan::load::{self, Loaded, PartModel};
use crate::plan::located::Located;
use crate::plan::model::Part;
use crate::plan::model::Plan;
use crate::plan::source;

/// The derived state of an open plan.
#[derive(Debug, Clone)]
pub struct LivePlan {
    /// The typed plan.
    pub plan: Plan,
    /// Every diagnostic, waivers applied, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The banner the portions require.
    pub required: RequiredBanner,
    /// The document's text (LF, no byte-order mark), what the locations refer to: a rope, so
    /// that a part's new text goes in without moving the rest, and a copy (for the panic hook)
    /// costs nothing.
    text: Rope,
    /// The findings by section.
    findings: Findings,
    /// Whether the document prints its tables in tree order, so that a part new to it or a
    /// section added, removed or moved lands at a place known beforehand.
    ordered: bool,
    /// How many edits [`LivePlan::apply`] took by deriving everything again.
    reloads: usize,
    /// Parts were taken since the diagnostics were last derived from the findings.
    stale: bool,
}

/// A part of the plan found in the text before an edit to it.
#[derive(Debug)]
pub struct Region {
    part: Part,
    byte: usize,
    line: u32,
    old: String,
    /// The line where the next part starts, when the region was found by its lines.
    next: Option<u32>,
}

impl Region {
    /// The lines the region covers: its first, and the first after it (`None`: to the end of
    /// the text), for a front end that must take the same lines of its new text.
    pub fn lines(&self) -> (u32, Option<u32>) {
        (self.line, self.next)
    }
}

/// The editable document of a plan being opened, parsed on a core of its own
/// ([`LivePlan::begin`]).
pub struct Parsing {
    layout: source::Layout,
    doc: crate::parallel::Background<Result<PlanDocument, DocumentError>>,
}

impl Parsing {
    /// A document parsed by work going on beside the caller's, from a file of `layout`.
    pub fn from_background(
        layout: source::Layout,
        doc: crate::parallel::Background<Result<PlanDocument, DocumentError>>,
    ) -> Parsing {
        Parsing { layout, doc }
    }

    /// A document parsed already.
    pub fn done(doc: PlanDocument) -> Parsing {
        Parsing::from_background(doc.layout(), crate::parallel::Background::done(Ok(doc)))
    }

    /// The layout of the file the document comes from (its line ends, its byte-order mark).
    pub fn layout(&self) -> source::Layout {
        self.layout
    }

    /// Whether the document is parsed, so that [`Parsing::wait`] would not wait.
    pub fn is_done(&self) -> bool {
        self.doc.is_done()
    }

    /// The document, once parsed; or why it could not be.
    pub fn wait(self) -> Result<PlanDocument, DocumentError> {
        self.doc.wait()
    }
}

impl LivePlan {
    /// The state of a plan whose text is `text` and whose load is `loaded`.
    pub fn new(text: Rope, loaded: Loaded, settings: &Settings) -> LivePlan {
        let findings = Findings::new(&loaded.plan, loaded.diagnostics, settings);
        let (diagnostics, required) = findings.derive(&loaded.plan, settings);
        LivePlan {
            plan: loaded.plan,
            diagnostics,
            required,
            text,
            findings,
            ordered: false,
            reloads: 0,
            stale: false,
        }
    }

    /// Opens a file's bytes: the editable document and its derived state ([`LivePlan::begin`],
    /// then the document waited for).
    pub fn open(
        bytes: &[u8],
        settings: &Settings,
    ) -> Result<(PlanDocument, LivePlan), DocumentError> {
        let (mut live, parsing) = Self::begin(bytes, settings)?;
        let doc = parsing.wait()?;
        live.adopt(&doc);
        Ok((doc, live))
    }

    /// Starts opening a file's bytes: the derived state, and the editable document still
    /// being parsed on another core. The document's parse is the longer of the two, and the
    /// plan can be shown (read, searched, its diagnostics gone through) before it is done;
    /// an edit must wait for it ([`Parsing::wait`], then [`LivePlan::adopt`]). When the check's
    /// reader refuses the text, the state is derived from the document, which is then done.
    pub fn begin(bytes: &[u8], settings: &Settings) -> Result<(LivePlan, Parsing), DocumentError> {
        let (text, layout) = source::decode(bytes)?;
        let text = Arc::new(text);
        let theirs = text.clone();
        let check = || {
            // A load that panics is taken as one that refused: the document derives.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let loaded = load_text(&text).ok()?;
                let mut rope = Rope::from(text.as_str());
                // The document prints a final line break the file may lack (it is dropped
                // again when the file is written): the text is the document's.
                if !text.is_empty() && !text.ends_with('\n') {
                    rope.insert(rope.byte_len(), "\n");
                }
                Some(LivePlan::new(rope, loaded, settings))
            }))
            .ok()
            .flatten()
        };
        let (derived, doc) = match document::cut(&text) {
            None => {
                crate::parallel::beside(check, move || PlanDocument::from_text(&theirs, layout))
            }
            // A large plan's document is read in two halves: the first beside the check,
            // the second once the check is done and the cut is known to be at a section.
            Some(at) => {
                let (derived, first) =
                    crate::parallel::beside(check, move || Half::parse(&theirs[..at]));
                let confirmed = derived.as_ref().is_some_and(|live: &LivePlan| {
                    let line = live.text.line_of_byte(at) + 1;
                    let mut heads = live.plan.countries.iter().map(|c| c.head.header.line);
                    heads.any(|l| l as usize == line)
                });
                let whole = text.clone();
                let doc = crate::parallel::background(move || {
                    let joined = confirmed.then(|| {
                        let second = Half::parse(&whole[at..]);
                        PlanDocument::joined(first.wait(), second, layout)
                    });
                    joined
                        .flatten()
                        .map_or_else(|| PlanDocument::from_text(&whole, layout), Ok)
                });
                (derived, doc)
            }
        };
        let parsing = Parsing::from_background(layout, doc);
        Ok(match derived {
            Some(live) => (live, parsing),
            // toml_edit reads what toml refused (or the load panicked): derive from the document.
            None => {
                let doc = parsing.wait()?;
                let live = LivePlan::reload(&doc, settings);
                (live, Parsing::done(doc))
            }
        })
    }

    /// The editable document is there: how it prints decides how a section can be added,
    /// removed or moved.
    pub fn adopt(&mut self, doc: &PlanDocument) {
        self.ordered = doc.prints_in_tree_order();
    }

    /// Derives everything again from the document.
    pub fn reload(doc: &PlanDocument, settings: &Settings) -> LivePlan {
        let (text, loaded) = doc.load_with_text();
        let mut live = LivePlan::new(Rope::from(text), loaded, settings);
        live.ordered = doc.prints_in_tree_order();
        live
    }

    /// How many edits were taken by deriving everything again rather than part by part.
    pub fn reloads(&self) -> usize {
        self.reloads
    }

    /// The text the locations refer to.
    pub fn text(&self) -> &Rope {
        &self.text
    }

    /// Finds a part in the text before an edit confined to it: `None` when the part,
    /// printed on its own, is not exactly what the text holds at its place (or is empty).
    pub fn locate(&self, doc: &mut PlanDocument, part: Part) -> Option<Region> {
        let header = match part {
            Part::Plan => Some(&self.plan.meta).filter(|m| m.present)?.header,
            Part::Country(ci) => self.plan.countries.get(ci)?.head.header,
            Part::Priorities => self.plan.priorities.first()?.head.header,
            Part::Waivers => self.plan.waivers.first()?.head.header,
        }
        .line;
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
        let line_index = usize::try_from(line.checked_sub(1)?).ok()?;
        if line_index > self.text.line_len() {
            return None;
        }
        let byte = self.text.byte_of_line(line_index);
        starts_with(self.text.byte_slice(byte..), &old).then_some(Region {
            part,
            byte,
            line,
            old,
            next: None,
        })
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
        let taken = self.part_taken(doc, region, settings);
        self.refresh(settings);
        taken
    }

    /// [`LivePlan::part_changed`] without deriving the diagnostics yet.
    fn part_taken(&mut self, doc: &mut PlanDocument, region: Region, settings: &Settings) -> bool {
        doc.part_text(region.part)
            .is_some_and(|new| self.take_part(region, new, settings))
    }

    /// Finds the part that alone holds the lines `first..=last` (1-based) of the text before
    /// an edit confined to them, for a front end that edits the text itself (a language
    /// server) rather than the document: the part's tables must lie together, from its first
    /// header up to the next part's, and the lines between them. `None` when they do not (the
    /// lines are above every header, or span two parts); the caller then derives everything.
    pub fn locate_lines(&self, first: u32, last: u32) -> Option<Region> {
        let spans = part_spans(&self.plan);
        let i = spans.partition_point(|s| s.1 <= first).checked_sub(1)?;
        let (part, start, end) = spans[i];
        // Another part's table between this one's first and last: the part is not one run.
        let before = spans[..i].iter().map(|s| s.2).max();
        let next = spans.get(i + 1).map(|s| s.1);
        if before.is_some_and(|b| b >= start) || next.is_some_and(|n| n <= end || n <= last) {
            return None;
        }
        let line_byte = |line: u32| {
            let index = usize::try_from(line.checked_sub(1)?).ok()?;
            (index <= self.text.line_len()).then(|| self.text.byte_of_line(index))
        };
        let byte = line_byte(start)?;
        let end_byte = match next {
            Some(n) => line_byte(n)?,
            None => self.text.byte_len(),
        };
        Some(Region {
            part,
            byte,
            line: start,
            old: self.text.byte_slice(byte..end_byte).to_string(),
            next,
        })
    }

    /// Replaces the part found as `region` by its new text `new` (what the same lines hold
    /// now) and re-checks what it affects. `false` when the new text does not read as that
    /// part alone; the caller then derives everything with [`LivePlan::reload`] or anew.
    pub fn replace_part(&mut self, region: Region, new: String, settings: &Settings) -> bool {
        let taken = self.take_part(region, new, settings);
        self.refresh(settings);
        taken
    }

    /// Derives the diagnostics and the banner from the findings, when parts were taken since.
    fn refresh(&mut self, settings: &Settings) {
        if self.stale {
            (self.diagnostics, self.required) = self.findings.derive(&self.plan, settings);
            self.stale = false;
        }
    }

    /// [`LivePlan::replace_part`] without deriving the diagnostics yet.
    fn take_part(&mut self, region: Region, new: String, settings: &Settings) -> bool {
        let Region {
            part,
            byte,
            line,
            old,
            ..
        } = region;
        let tech_list = self.plan.meta.tech_list();
        let Some((model, structural)) = load::load_part(&new, part, line, tech_list) else {
            return false;
        };
        // Every section's technology areas are read against the plan's list.
        let relisted = matches!(&model, PartModel::Meta(meta) if meta.tech_list() != tech_list);
        let old_lines = newlines(&old);
        let delta = i64::from(newlines(&new)) - i64::from(old_lines);
        let below = line + old_lines;
        self.text.replace(byte..byte + old.len(), &new);
        self.plan.shift_lines_below(below, delta);
        for d in self.findings.held_mut() {
            d.loc.shift_lines(below, delta);
        }
        let Some(old) = swap_part(&mut self.plan, part, model) else {
            return false;
        };
        if relisted {
            self.findings.reread_tech_areas(&self.plan);
        }
        self.findings
            .replace_part(&self.plan, part, &old, structural, settings);
        self.stale = true;
        true
    }
}

/// Each part of the plan with the first and last line of its tables' headers, by first line.
fn part_spans(plan: &Plan) -> Vec<(Part, u32, u32)> {
    let mut spans: Vec<(Part, u32, u32)> = Vec::with_capacity(plan.countries.len() + 3);
    let mut add = |part: Part, lines: &mut dyn Iterator<Item = u32>| {
        let Some(first) = lines.next() else { return };
        let (lo, hi) = lines.fold((first, first), |(lo, hi), l| (lo.min(l), hi.max(l)));
        spans.push((part, lo, hi));
    };
    if plan.meta.present {
        let meta = &plan.meta;
        let cui = meta.cui.iter().map(|c| c.header.line);
        let authority = meta.authority.iter().map(|a| a.header.line);
        add(
            Part::Plan,
            &mut std::iter::once(meta.header.line)
                .chain(cui)
                .chain(authority),
        );
    }
    add(
        Part::Priorities,
        &mut plan.priorities.iter().map(|p| p.head.header.line),
    );
    add(
        Part::Waivers,
        &mut plan.waivers.iter().map(|w| w.head.header.line),
    );
    for (ci, c) in plan.countries.iter().enumerate() {
        let objectives = c
            .objectives
            .iter()
            .flat_map(|o| std::iter::once(&o.head).chain(o.indicators.iter().map(|i| &i.head)));
        let heads = std::iter::once(&c.head)
            .chain(objectives)
            .chain(c.agreements.iter().map(|a| &a.head))
            .chain(c.actors.iter().map(|a| &a.head))
            .chain(c.pools.iter().map(|p| &p.head))
            .chain(c.barriers.iter().map(|b| &b.head));
        add(Part::Country(ci), &mut heads.map(|h| h.header.line));
    }
    spans.sort_unstable_by_key(|s| (s.1, s.2));
    spans
}

/// Puts a part read again into the plan; gives back what it replaces.
fn swap_part(plan: &mut Plan, part: Part, model: PartModel) -> Option<PartModel> {
    Some(match (part, model) {
        (Part::Plan, PartModel::Meta(meta)) => {
            PartModel::Meta(Box::new(std::mem::replace(&mut plan.meta, *meta)))
        }
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

/// Whether `text` starts with `prefix`, compared chunk by chunk (the rope is not copied).
fn starts_with(text: RopeSlice<'_>, prefix: &str) -> bool {
    let mut rest = prefix.as_bytes();
    for chunk in text.chunks() {
        if rest.is_empty() {
            break;
        }
        let n = chunk.len().min(rest.len());
        if chunk.as_bytes()[..n] != rest[..n] {
            return false;
        }
        rest = &rest[n..];
    }
    rest.is_empty()
}

/// The number of line breaks in `s`.
fn newlines(s: &str) -> u32 {
    memchr::memchr_iter(b'\n', s.as_bytes()).count() as u32
}
