//! One namespace for ids and country codes (SCP005): where each value is used, kept by
//! section so that re-checking one section updates it without looking at the others.

use std::collections::{BTreeSet, HashMap};

use super::diagnostic::Diagnostic;
use crate::plan::model::{Country, Head, Loc, Opt, Plan, Priority};

/// Where ids are given: `None` for the priorities, else the country section at that index.
type Place = Option<usize>;

/// An id field, the table it names and the key it is under.
type IdField<'a> = (&'a Opt<String>, &'a Head, &'static str);

/// Every valid id and country code of a plan and where it is used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdCensus {
    /// Each value and the places using it, once per use.
    places: HashMap<String, Vec<Place>>,
    /// The values used more than once.
    repeated: BTreeSet<String>,
}

/// The priorities' id fields.
fn priority_fields(priorities: &[Priority]) -> impl Iterator<Item = IdField<'_>> {
    priorities.iter().map(|p| (&p.id, &p.head, "id"))
}

/// A country section's id fields: its code, then its objectives, agreements, actors and pools.
fn section_ids(c: &Country) -> impl Iterator<Item = IdField<'_>> {
    std::iter::once((&c.code, &c.head, "code"))
        .chain(c.objectives.iter().map(|o| (&o.id, &o.head, "id")))
        .chain(c.agreements.iter().map(|a| (&a.id, &a.head, "id")))
        .chain(c.actors.iter().map(|a| (&a.id, &a.head, "id")))
        .chain(c.pools.iter().map(|p| (&p.id, &p.head, "id")))
}

/// The valid value of an id field, as the namespace knows it: blank ids are ids, and all of
/// them the same one (however much whitespace they hold, they name nothing apart).
fn value<'a>(field: &IdField<'a>) -> Option<&'a str> {
    field.0.as_ref()?.value.as_deref().map(namespace_key)
}

/// An id or code as the namespace compares it: a blank one is the empty id.
fn namespace_key(id: &str) -> &str {
    if id.trim().is_empty() { "" } else { id }
}

impl IdCensus {
    /// The census of a whole plan.
    pub fn new(plan: &Plan) -> IdCensus {
        let mut census = IdCensus::default();
        for id in priority_fields(&plan.priorities).filter_map(|f| value(&f)) {
            census.add(id, None);
        }
        for (ci, c) in plan.countries.iter().enumerate() {
            for id in section_ids(c).filter_map(|f| value(&f)) {
                census.add(id, Some(ci));
            }
        }
        census
    }

    /// Takes the priorities' ids as they are in `new` instead of `old`.
    pub fn replace_priorities(&mut self, old: &[Priority], new: &[Priority]) {
        for field in priority_fields(old) {
            if let Some(id) = value(&field) {
                self.remove(id, None);
            }
        }
        for field in priority_fields(new) {
            if let Some(id) = value(&field) {
                self.add(id, None);
            }
        }
    }

    /// Takes the ids of the section at `ci` as they are in `new` instead of `old`.
    pub fn replace_section(&mut self, ci: usize, old: &Country, new: &Country) {
        for id in section_ids(old).filter_map(|f| value(&f)) {
            self.remove(id, Some(ci));
        }
        for id in section_ids(new).filter_map(|f| value(&f)) {
            self.add(id, Some(ci));
        }
    }

    /// Forgets the ids of the section at `ci` (`old`); the sections after it move up one.
    pub fn remove_section(&mut self, ci: usize, old: &Country) {
        for id in section_ids(old).filter_map(|f| value(&f)) {
            self.remove(id, Some(ci));
        }
        self.shift_places(ci + 1..=usize::MAX, -1);
    }

    /// Takes the ids of a section inserted at `ci`; the sections from there on move down one.
    pub fn insert_section(&mut self, ci: usize, new: &Country) {
        self.shift_places(ci..=usize::MAX, 1);
        for id in section_ids(new).filter_map(|f| value(&f)) {
            self.add(id, Some(ci));
        }
    }

    /// Takes the ids of the section moved from `moved.0` (`old`) to `moved.1` (`new`); the
    /// sections in between move by one the other way.
    pub fn move_section(&mut self, moved: (usize, usize), old: &Country, new: &Country) {
        let (from, to) = moved;
        for id in section_ids(old).filter_map(|f| value(&f)) {
            self.remove(id, Some(from));
        }
        if from < to {
            self.shift_places(from + 1..=to, -1);
        } else if to < from {
            self.shift_places(to..=from - 1, 1);
        }
        for id in section_ids(new).filter_map(|f| value(&f)) {
            self.add(id, Some(to));
        }
    }

    /// Moves the places of the sections at the indices `range` by `delta`.
    fn shift_places(&mut self, range: std::ops::RangeInclusive<usize>, delta: isize) {
        for places in self.places.values_mut() {
            for place in places.iter_mut() {
                if let Some(ci) = place
                    && range.contains(ci)
                {
                    *ci = ci.saturating_add_signed(delta);
                }
            }
        }
    }

    fn add(&mut self, id: &str, place: Place) {
        let places = match self.places.get_mut(id) {
            Some(places) => places,
            None => self.places.entry(id.to_string()).or_default(),
        };
        places.push(place);
        if places.len() == 2 {
            self.repeated.insert(id.to_string());
        }
    }

    fn remove(&mut self, id: &str, place: Place) {
        let Some(places) = self.places.get_mut(id) else {
            return;
        };
        if let Some(i) = places.iter().position(|p| *p == place) {
            places.swap_remove(i);
        }
        match places.len() {
            0 => {
                self.places.remove(id);
            }
            1 => {
                self.repeated.remove(id);
            }
            _ => {}
        }
    }

    /// Whether some item of the plan has this id or code.
    pub fn contains(&self, id: &str) -> bool {
        self.places.contains_key(namespace_key(id))
    }

    /// SCP005: every use of a value after its first in the file (the message names the line
    /// of the first). Blank ids are ids too: a second blank one is SCP005 besides its SCP009.
    pub fn duplicates(&self, plan: &Plan) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for id in &self.repeated {
            let mut places: Vec<Place> = self.places.get(id).cloned().unwrap_or_default();
            places.sort_unstable();
            places.dedup();
            let mut uses: Vec<(Loc, &Head, &str)> = Vec::new();
            for place in places {
                let fields: Box<dyn Iterator<Item = IdField<'_>>> = match place {
                    None => Box::new(priority_fields(&plan.priorities)),
                    Some(ci) => match plan.countries.get(ci) {
                        Some(c) => Box::new(section_ids(c)),
                        None => continue,
                    },
                };
                for f in fields.filter(|f| value(f) == Some(id.as_str())) {
                    if let Some(field) = f.0 {
                        uses.push((field.loc, f.1, f.2));
                    }
                }
            }
            let Some(first) = uses.iter().map(|u| u.0).min() else {
                continue;
            };
            let what = if id.is_empty() {
                "a blank id".to_string()
            } else {
                format!("`{id}`")
            };
            for (loc, head, key) in uses.into_iter().filter(|u| u.0 != first) {
                out.push(
                    Diagnostic::new(
                        "SCP005",
                        head.item.clone(),
                        loc,
                        format!(
                            "{what} is already used at line {}: ids and country codes must be unique",
                            first.line
                        ),
                    )
                    .with_help("give this item a fresh id")
                    .at(head.node, Some(key)),
                );
            }
        }
        out
    }
}
