//! A batch that sets list values in many sections (a rename's references: the `priorities`
//! and `governance` lists of objectives all over the plan) beside edits to a few parts. Each
//! list is spliced into the text where its value is written and put into the typed plan; the
//! few parts the rest of the batch touches are read again; the sections of the lists are
//! checked again. Nothing else moves: a value on one line, replaced by one on one line, moves
//! no line and no other key.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml_edit::{Item, Value};

use super::apply::MAX_PARTS;
use super::{LivePlan, Region};
use crate::check::Settings;
use crate::plan::document::{Edit, EditError, PlanDocument};
use crate::plan::model::{Collection, List, Node, Objective, Opt, Part, Plan};

/// A list value set in place.
struct Splice {
    /// The bytes of the value as the text holds it (its formatting around it left out).
    bytes: Range<usize>,
    /// The new value as it prints.
    new: String,
    /// The objective, by section and index.
    at: (usize, usize),
    /// The key.
    field: ListField,
    /// The new list.
    list: List,
}

/// An objective's list of references that a batch may set in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ListField {
    Priorities,
    Governance,
}

impl ListField {
    /// The key of the list.
    fn name(self) -> &'static str {
        match self {
            ListField::Priorities => "priorities",
            ListField::Governance => "governance",
        }
    }

    /// The list field of that key, if it is one.
    fn of(name: &str) -> Option<ListField> {
        [ListField::Priorities, ListField::Governance]
            .into_iter()
            .find(|field| field.name() == name)
    }

    /// The list in an objective.
    fn in_objective(self, objective: &Objective) -> &Opt<List> {
        match self {
            ListField::Priorities => &objective.priorities,
            ListField::Governance => &objective.governance,
        }
    }

    /// The list in the typed plan, to set.
    fn in_plan(self, plan: &mut Plan, (ci, oi): (usize, usize)) -> Option<&mut Opt<List>> {
        let o = plan.countries.get_mut(ci)?.objectives.get_mut(oi)?;
        Some(match self {
            ListField::Priorities => &mut o.priorities,
            ListField::Governance => &mut o.governance,
        })
    }
}

/// The objective and list a set of an array of strings is about, when it may be taken in
/// place.
fn list_set(edit: &Edit) -> Option<((usize, usize), ListField, &toml_edit::Array)> {
    let Edit::SetField {
        node: Node::Item(Collection::Objectives(ci), oi),
        field,
        value: Some(Value::Array(array)),
    } = edit
    else {
        return None;
    };
    let field = ListField::of(field)?;
    array
        .iter()
        .all(|v| v.as_str().is_some())
        .then_some(((*ci, *oi), field, array))
}

/// `value` as it prints without the formatting around it, when it prints on one line.
fn one_line(value: &Value) -> Option<String> {
    let mut bare = value.clone();
    bare.decor_mut().clear();
    let text = bare.to_string();
    (!text.contains('\n')).then_some(text)
}

impl LivePlan {
    /// Applies a batch of list sets in many sections and edits to at most [`MAX_PARTS`]
    /// parts. `Err` gives the batch back untouched when it is not of that shape (or a value
    /// is not written as expected); the caller then derives everything again.
    pub(super) fn apply_values(
        &mut self,
        doc: &mut PlanDocument,
        edits: Vec<Edit>,
        settings: &Settings,
    ) -> Result<Result<Edit, EditError>, Vec<Edit>> {
        let Some((splices, regions)) = self.prepare_values(doc, &edits) else {
            return Err(edits);
        };
        let inverse = match doc.apply(Edit::Batch(edits)) {
            Ok(inverse) => inverse,
            Err(err) => return Ok(Err(err)),
        };
        if !self.take_values(doc, splices, regions, settings) {
            let reloads = self.reloads + 1;
            *self = LivePlan::reload(doc, settings);
            self.reloads = reloads;
        }
        Ok(Ok(inverse))
    }

    /// The splices of the batch's list sets and the regions of the parts its other edits
    /// touch (a list set in one of those parts is read with it), found before the batch is
    /// applied; `None` when the batch cannot be taken so.
    fn prepare_values(
        &mut self,
        doc: &mut PlanDocument,
        edits: &[Edit],
    ) -> Option<(Vec<Splice>, Vec<Region>)> {
        let mut parts = BTreeMap::new();
        for edit in edits.iter().filter(|e| list_set(e).is_none()) {
            let part = edit.part()?;
            parts.insert(part_key(part), part);
        }
        if parts.len() > MAX_PARTS {
            return None;
        }
        let mut splices = Vec::new();
        let mut seen = BTreeSet::new();
        for edit in edits {
            let Some((at, field, array)) = list_set(edit) else {
                continue;
            };
            if parts.contains_key(&part_key(Part::Country(at.0))) {
                continue;
            }
            // A list set twice in one batch: its bytes are known only before the first.
            if !seen.insert((at, field)) {
                return None;
            }
            splices.push(self.splice(doc, at, field, array)?);
        }
        let mut regions = Vec::with_capacity(parts.len());
        for part in parts.into_values() {
            regions.push(self.locate(doc, part)?);
        }
        Some((splices, regions))
    }

    /// Where the text holds the list `field` of the objective `at` and what replaces it with
    /// `array`, when the list is valid, written on one line with nothing after it but a
    /// comment, and `array` prints on one line.
    fn splice(
        &self,
        doc: &PlanDocument,
        at: (usize, usize),
        field: ListField,
        array: &toml_edit::Array,
    ) -> Option<Splice> {
        let node = Node::Item(Collection::Objectives(at.0), at.1);
        let objective = self.plan.countries.get(at.0)?.objectives.get(at.1)?;
        let typed = field.in_objective(objective).as_ref()?;
        let held = typed.value.as_ref()?;
        // A list with entries that are not strings has a finding that the set takes away.
        if held.entries.len() != held.raw_len {
            return None;
        }
        let Some(Item::Value(old)) = doc.get(node, field.name()) else {
            return None;
        };
        let (old, new) = (one_line(old)?, one_line(&Value::Array(array.clone()))?);
        let index = usize::try_from(typed.loc.line.checked_sub(1)?).ok()?;
        if index >= self.text.line_len() {
            return None;
        }
        let line = self.text.line(index).to_string();
        let key = line
            .char_indices()
            .nth(usize::try_from(typed.loc.column.checked_sub(1)?).ok()?)?
            .0;
        let equals = key + line.get(key..)?.find('=')?;
        let rest = line.get(equals + 1..)?;
        let start = equals + 1 + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        let after = line.get(start..)?.strip_prefix(old.as_str())?.trim_start();
        if !(after.is_empty() || after.starts_with('#')) {
            return None;
        }
        let byte = self.text.byte_of_line(index) + start;
        let entries: Vec<String> = array
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        Some(Splice {
            bytes: byte..byte + old.len(),
            new,
            at,
            field,
            list: List {
                raw_len: entries.len(),
                entries,
            },
        })
    }

    /// After the batch was applied to the document: the splices made in the text and the
    /// typed plan, the parts read again, the sections of the splices checked again. `false`
    /// when a part does not read on its own any more.
    fn take_values(
        &mut self,
        doc: &mut PlanDocument,
        mut splices: Vec<Splice>,
        mut regions: Vec<Region>,
        settings: &Settings,
    ) -> bool {
        // From the end of the text, so that the bytes found before stay right.
        splices.sort_unstable_by_key(|s| std::cmp::Reverse(s.bytes.start));
        let mut sections = BTreeSet::new();
        let mut moved: Vec<(usize, i64)> = Vec::with_capacity(splices.len());
        for s in splices {
            self.text.replace(s.bytes.clone(), &s.new);
            moved.push((s.bytes.start, s.new.len() as i64 - s.bytes.len() as i64));
            if let Some(Some(typed)) = s.field.in_plan(&mut self.plan, s.at) {
                typed.value = Some(s.list);
            }
            sections.insert(s.at.0);
        }
        // The parts are read after every list is in, so that what they check sees them.
        for region in &mut regions {
            let shift: i64 = moved
                .iter()
                .filter(|(byte, _)| *byte < region.byte)
                .map(|(_, delta)| delta)
                .sum();
            region.byte = region.byte.saturating_add_signed(shift as isize);
        }
        regions.sort_unstable_by_key(|r| std::cmp::Reverse(r.byte));
        let everything = self.findings.rechecks_of_every_section();
        for region in regions {
            if !self.part_taken(doc, region, settings) {
                return false;
            }
        }
        if self.findings.rechecks_of_every_section() == everything {
            let sections: Vec<usize> = sections.into_iter().collect();
            self.findings
                .recheck_sections(&self.plan, &sections, settings);
        }
        self.stale = true;
        true
    }
}

/// A part as a number ([plan], the priorities and the waivers before the sections).
fn part_key(part: Part) -> usize {
    match part {
        Part::Plan => 0,
        Part::Priorities => 1,
        Part::Waivers => 2,
        Part::Country(ci) => 3 + ci,
    }
}
