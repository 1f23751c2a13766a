//! An edit applied to the document and the live plan together: what it touches is found
//! before it, re-derived after it, and a batch over a few parts is taken part by part.

use super::sections::SectionOp;
use super::{LivePlan, Region};
use crate::check::Settings;
use crate::plan::document::{Edit, EditError, PlanDocument};
use crate::plan::model::Part;

/// A batch spread over more parts than this derives everything again (unless it sets lists
/// in place, [`super::values`]): re-reading each part would cost more than one whole load.
pub(super) const MAX_PARTS: usize = 16;

/// What is found before an edit so that it can be re-derived after it.
enum Pending {
    /// An edit inside one part (an empty region where a part new to the document goes).
    Part(Region),
    /// Country sections added, removed or moved.
    Sections(SectionOp),
}

impl LivePlan {
    /// Applies `edit` to `doc` and re-derives what it changes: by part where it can, else
    /// everything. Returns the edit's inverse; on error neither changes.
    pub fn apply(
        &mut self,
        doc: &mut PlanDocument,
        edit: Edit,
        settings: &Settings,
    ) -> Result<Edit, EditError> {
        let applied = self.apply_parts(doc, edit, settings);
        self.refresh(settings);
        applied
    }

    /// [`LivePlan::apply`], the diagnostics derived from the findings once at the end.
    fn apply_parts(
        &mut self,
        doc: &mut PlanDocument,
        edit: Edit,
        settings: &Settings,
    ) -> Result<Edit, EditError> {
        // The undo of a move is a removal and an insertion: one move for the live plan.
        let one_part = edit.part().is_some() || super::sections::is_move_back(&edit);
        let edit = match edit {
            Edit::Batch(edits) if !one_part => match runs(edits) {
                Ok(runs) => return self.apply_runs(doc, runs, settings),
                Err(edits) => match self.apply_values(doc, edits, settings) {
                    Ok(applied) => return applied,
                    Err(edits) => Edit::Batch(edits),
                },
            },
            edit => edit,
        };
        let pending = self.prepare(doc, &edit);
        let inverse = doc.apply(edit)?;
        let done = pending.is_some_and(|p| match p {
            Pending::Part(region) => self.part_taken(doc, region, settings),
            Pending::Sections(op) => self.sections_changed(doc, op, settings),
        });
        if !done {
            let reloads = self.reloads + 1;
            *self = LivePlan::reload(doc, settings);
            self.reloads = reloads;
        }
        Ok(inverse)
    }

    /// Applies the runs of a batch one after the other; on error undoes those applied.
    fn apply_runs(
        &mut self,
        doc: &mut PlanDocument,
        runs: Vec<Edit>,
        settings: &Settings,
    ) -> Result<Edit, EditError> {
        let mut inverses = Vec::with_capacity(runs.len());
        for run in runs {
            match self.apply_parts(doc, run, settings) {
                Ok(inverse) => inverses.push(inverse),
                Err(err) => {
                    for inverse in inverses.into_iter().rev() {
                        // Each inverse undoes an edit just applied: it applies.
                        let _ = self.apply_parts(doc, inverse, settings);
                    }
                    return Err(err);
                }
            }
        }
        inverses.reverse();
        Ok(Edit::Batch(inverses))
    }

    /// What the edit touches, found before it is applied; `None`: everything is derived again.
    fn prepare(&mut self, doc: &mut PlanDocument, edit: &Edit) -> Option<Pending> {
        match edit.part() {
            Some(part) => match self.locate(doc, part) {
                Some(region) => Some(Pending::Part(region)),
                None => self.new_part(doc, part).map(Pending::Part),
            },
            None => self.prepare_sections(doc, edit).map(Pending::Sections),
        }
    }

    /// Where a part that prints nothing yet ([plan], the priorities, the waivers: its key
    /// absent or its list empty) goes: at the end, before what follows the last table, when
    /// the document prints in tree order and no table comes after the part's key (a new key
    /// of the root is the last of the tree).
    fn new_part(&self, doc: &PlanDocument, part: Part) -> Option<Region> {
        if !self.ordered || matches!(part, Part::Country(_)) || !doc.prints_nothing_last(part) {
            return None;
        }
        let byte = self.text.byte_len().checked_sub(doc.trailing_len())?;
        // Something is printed before it: the document's first table is printed differently.
        if byte == 0 || !self.starts_line(byte) {
            return None;
        }
        let line = u32::try_from(self.text.line_of_byte(byte)).ok()? + 1;
        Some(Region {
            part,
            byte,
            line,
            old: String::new(),
            next: None,
        })
    }
}

/// Splits a batch that is not confined to one part into runs of consecutive edits that are
/// (an edit confined to none is a run of its own); gives the batch back when there are too
/// many runs to be worth taking one by one.
fn runs(edits: Vec<Edit>) -> Result<Vec<Edit>, Vec<Edit>> {
    let mut parts: Vec<Option<Part>> = edits.iter().map(Edit::part).collect();
    let count = parts
        .windows(2)
        .filter(|w| w[0].is_none() || w[0] != w[1])
        .count()
        + usize::from(!parts.is_empty());
    if count > MAX_PARTS {
        return Err(edits);
    }
    let mut runs: Vec<(Option<Part>, Vec<Edit>)> = Vec::with_capacity(count);
    for (edit, part) in edits.into_iter().zip(parts.drain(..)) {
        match runs.last_mut() {
            Some((last, run)) if part.is_some() && *last == part => run.push(edit),
            _ => runs.push((part, vec![edit])),
        }
    }
    Ok(runs
        .into_iter()
        .map(|(_, mut run)| match run.len() {
            1 => run.remove(0),
            _ => Edit::Batch(run),
        })
        .collect())
}
