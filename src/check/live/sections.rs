//! Country sections added, removed or moved, re-derived section by section. In a document
//! that prints its tables in tree order (`PlanDocument::prints_in_tree_order`), a section's
//! text lies between its neighbours': a removed section is cut from the text, an added or
//! moved one is printed on its own and put in between, and the sections after it are given
//! their new indices; the rest of the plan is not read again.

use super::{LivePlan, Region, newlines};
use crate::check::Settings;
use crate::parallel;
use crate::plan::document::{Edit, ItemBody, PlanDocument};
use crate::plan::load::{self, PartModel};
use crate::plan::located::Located;
use crate::plan::model::{Collection, Country, Part};

/// Whether `edit` is the undo of a country section's move: its removal from the place it
/// was moved to, and its insertion where it was.
pub(super) fn is_move_back(edit: &Edit) -> bool {
    move_back(edit).is_some()
}

/// The section's index after the move, where it goes back to, and the table it goes back
/// as, when `edit` is the undo of a move.
fn move_back(edit: &Edit) -> Option<(usize, usize, &ItemBody)> {
    let Edit::Batch(edits) = edit else {
        return None;
    };
    match edits[..] {
        [
            Edit::RemoveItem {
                collection: Collection::Countries,
                index: from,
            },
            Edit::InsertItem {
                collection: Collection::Countries,
                index: to,
                ref body,
            },
        ] => Some((from, to, body)),
        _ => None,
    }
}

/// A change to the list of country sections, with what was found before it.
pub(super) enum SectionOp {
    /// The section at `ci`, found as `region`, is removed.
    Remove { ci: usize, region: Region },
    /// A section is inserted at `ci`; its text goes at byte `at`.
    Insert { ci: usize, at: usize },
    /// The section at `from`, found as `region`, moves to `to`; its text goes at byte `at`
    /// of the text before the move.
    Move {
        from: usize,
        to: usize,
        region: Region,
        at: usize,
    },
}

impl LivePlan {
    /// What an edit to the list of sections changes, found before it (`None`: the edit is
    /// not one, or its place in the text cannot be known beforehand).
    pub(super) fn prepare_sections(
        &mut self,
        doc: &mut PlanDocument,
        edit: &Edit,
    ) -> Option<SectionOp> {
        if !self.ordered {
            return None;
        }
        match *edit {
            Edit::RemoveItem {
                collection: Collection::Countries,
                index,
            } => {
                let region = self.locate(doc, Part::Country(index))?;
                (region.byte > 0).then_some(SectionOp::Remove { ci: index, region })
            }
            Edit::InsertItem {
                collection: Collection::Countries,
                index,
                ref body,
            } => {
                if !doc.section_fits(index, body) {
                    return None;
                }
                let at = self.section_start(doc, index, None)?;
                Some(SectionOp::Insert { ci: index, at })
            }
            Edit::MoveItem {
                collection: Collection::Countries,
                from,
                to,
            } => self.prepare_move(doc, from, to, None),
            Edit::Batch(_) => {
                let (from, to, body) = move_back(edit)?;
                self.prepare_move(doc, from, to, Some(body))
            }
            _ => None,
        }
    }

    /// A move of the section at `from` to `to`, with the body it is put back with when that
    /// is not its own (the undo of a move puts back the table as it was).
    fn prepare_move(
        &mut self,
        doc: &mut PlanDocument,
        from: usize,
        to: usize,
        body: Option<&ItemBody>,
    ) -> Option<SectionOp> {
        if body.is_some_and(|b| !doc.section_fits_without(to, b, from)) {
            return None;
        }
        let region = self.locate(doc, Part::Country(from))?;
        let at = self.section_start(doc, to, Some(from))?;
        (region.byte > 0).then_some(SectionOp::Move {
            from,
            to,
            region,
            at,
        })
    }

    /// The byte where a section put at `index` of the list starts: where the section that
    /// will follow it starts, or where the one that will precede it ends. `without`: the
    /// section that leaves the list first (a move).
    fn section_start(
        &mut self,
        doc: &mut PlanDocument,
        index: usize,
        without: Option<usize>,
    ) -> Option<usize> {
        let now = |k: usize| match without {
            Some(w) if k >= w => k + 1,
            _ => k,
        };
        let count = self.plan.countries.len() - usize::from(without.is_some());
        let at = if index < count {
            self.locate(doc, Part::Country(now(index)))?.byte
        } else {
            let before = self.locate(doc, Part::Country(now(index.checked_sub(1)?)))?;
            before.byte + before.old.len()
        };
        // Something is printed before it: the document's first table is printed differently.
        (at > 0).then_some(at)
    }

    /// After an edit to the list of sections prepared as `op`: the text, the plan and the
    /// findings taken section by section. `false` when the new section does not read on its
    /// own; the caller then derives everything.
    pub(super) fn sections_changed(
        &mut self,
        doc: &mut PlanDocument,
        op: SectionOp,
        settings: &Settings,
    ) -> bool {
        let done = match op {
            SectionOp::Remove { ci, region } => {
                self.cut_section(ci, &region, settings);
                true
            }
            SectionOp::Insert { ci, at } => self.put_section(doc, ci, at, settings),
            SectionOp::Move {
                from,
                to,
                region,
                at,
            } => self.move_section(doc, (from, to), &region, at, settings),
        };
        self.stale |= done;
        done
    }

    /// Takes out the section at `ci`, found as `region`.
    fn cut_section(&mut self, ci: usize, region: &Region, settings: &Settings) {
        let lines = newlines(&region.old);
        let below = region.line + lines;
        let delta = -i64::from(lines);
        self.text
            .delete(region.byte..region.byte + region.old.len());
        let old = self.plan.countries.remove(ci);
        self.renumber_sections(ci);
        self.plan.shift_lines_below(below, delta);
        for d in self.findings.held_mut() {
            d.loc.shift_lines(below, delta);
        }
        self.findings.remove_section(&self.plan, ci, &old, settings);
    }

    /// Reads the section the document holds at `ci` and puts it in at byte `at`.
    fn put_section(
        &mut self,
        doc: &mut PlanDocument,
        ci: usize,
        at: usize,
        settings: &Settings,
    ) -> bool {
        if !self.starts_line(at) {
            return false;
        }
        let Some(new) = doc.part_text(Part::Country(ci)) else {
            return false;
        };
        let Ok(line) = u32::try_from(self.text.line_of_byte(at) + 1) else {
            return false;
        };
        let tech_list = self.plan.meta.tech_list();
        let Some((PartModel::Country(country), structural)) =
            load::load_part(&new, Part::Country(ci), line, tech_list)
        else {
            return false;
        };
        if ci > self.plan.countries.len() {
            return false;
        }
        let delta = i64::from(newlines(&new));
        self.plan.shift_lines_below(line, delta);
        for d in self.findings.held_mut() {
            d.loc.shift_lines(line, delta);
        }
        self.text.insert(at, &new);
        self.plan.countries.insert(ci, *country);
        self.renumber_sections(ci + 1);
        self.findings
            .insert_section(&self.plan, ci, structural, settings);
        true
    }

    /// Moves the section found as `region` from index `from` to `to` (`moved`), its text to
    /// byte `at` of the text before the move. Only what lies between its old and new places
    /// changes lines and indices; what is below moves only by the lines the section gained
    /// or lost in print.
    fn move_section(
        &mut self,
        doc: &mut PlanDocument,
        moved: (usize, usize),
        region: &Region,
        at: usize,
        settings: &Settings,
    ) -> bool {
        let (from, to) = moved;
        let end_byte = region.byte + region.old.len();
        let down = at >= end_byte;
        if !(down || at <= region.byte) || !self.starts_line(at) {
            return false;
        }
        let Some(new) = doc.part_text(Part::Country(to)) else {
            return false;
        };
        let (old_lines, new_lines) = (newlines(&region.old), newlines(&new));
        let (start, end) = (region.line, region.line + old_lines);
        let Ok(p) = u32::try_from(self.text.line_of_byte(at) + 1) else {
            return false;
        };
        let line = if down { p - old_lines } else { p };
        let tech_list = self.plan.meta.tech_list();
        let Some((PartModel::Country(country), structural)) =
            load::load_part(&new, Part::Country(to), line, tech_list)
        else {
            return false;
        };
        if from >= self.plan.countries.len() || to >= self.plan.countries.len() {
            return false;
        }
        if down {
            self.text.insert(at, &new);
            self.text.delete(region.byte..end_byte);
        } else {
            self.text.delete(region.byte..end_byte);
            self.text.insert(at, &new);
        }
        let old = self.plan.countries.remove(from);
        let grown = i64::from(new_lines) - i64::from(old_lines);
        // In an order where no line is moved twice.
        let shifts = if down {
            [(end, p, -i64::from(old_lines)), (p, u32::MAX, grown)]
        } else {
            [(end, u32::MAX, grown), (p, start, i64::from(new_lines))]
        };
        for (lo, hi, delta) in shifts {
            self.plan.shift_lines_in(lo, hi, delta);
            for d in self.findings.held_mut() {
                d.loc.shift_line_range(lo, hi, delta);
            }
        }
        self.plan.countries.insert(to, *country);
        for ci in from.min(to)..=from.max(to) {
            self.plan.countries[ci].set_index(ci);
        }
        self.findings
            .move_section(&self.plan, moved, &old, structural, settings);
        true
    }

    /// Whether byte `at` of the text starts a line.
    pub(super) fn starts_line(&self, at: usize) -> bool {
        at <= self.text.byte_len() && (at == 0 || self.text.byte(at - 1) == b'\n')
    }

    /// Gives the sections from `from` on the addresses of their indices.
    fn renumber_sections(&mut self, from: usize) {
        let Some(after) = self.plan.countries.get_mut(from..) else {
            return;
        };
        let (first, second) = after.split_at_mut(after.len() / 2);
        let renumber = |countries: &mut [Country], start: usize| {
            for (i, c) in countries.iter_mut().enumerate() {
                c.set_index(start + i);
            }
        };
        let middle = from + first.len();
        parallel::both(|| renumber(first, from), || renumber(second, middle));
    }
}
