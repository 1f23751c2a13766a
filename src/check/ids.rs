//! One namespace for ids and country codes (SCP005): where each value is used, kept by
//! section so that re-checking one section updates it without looking at the others.

use std::collections::{BTreeSet, HashMap};

use super::diagnostic::Diagnostic;
use crate::plan::model::{Country, Head, Loc, Opt, Plan, Priority};

/// Where ids are given: `None` for the priorities, else a country section by its token (kept
/// while the section lives, whatever its index), so that a section added, removed or moved
/// changes no other section's places.
type Place = Option<u32>;

/// An id field, the table it names and the key it is under.
type IdField<'a> = (&'a Opt<String>, &'a Head, &'static str);

/// Every valid id and country code of a plan and where it is used.
#[derive(Debug, Clone, Default)]
pub struct IdCensus {
    /// Each value and the places using it, once per use.
    places: HashMap<String, Vec<Place>>,
    /// The values used more than once.
    repeated: BTreeSet<String>,
    /// The token of each country section, by index.
    sections: Vec<u32>,
    /// The token the next section added gets.
    next: u32,
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
        for c in &plan.countries {
            let token = census.new_token();
            census.sections.push(token);
            census.add_section(token, c);
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
        let Some(&token) = self.sections.get(ci) else {
            return;
        };
        self.remove_section_ids(token, old);
        self.add_section(token, new);
    }

    /// Forgets the ids of the section at `ci` (`old`); the sections after it move up one.
    pub fn remove_section(&mut self, ci: usize, old: &Country) {
        if ci < self.sections.len() {
            let token = self.sections.remove(ci);
            self.remove_section_ids(token, old);
        }
    }

    /// Takes the ids of a section inserted at `ci`; the sections from there on move down one.
    pub fn insert_section(&mut self, ci: usize, new: &Country) {
        let token = self.new_token();
        self.sections.insert(ci.min(self.sections.len()), token);
        self.add_section(token, new);
    }

    /// Takes the ids of the section moved from `moved.0` (`old`) to `moved.1` (`new`); the
    /// sections in between move by one the other way.
    pub fn move_section(&mut self, moved: (usize, usize), old: &Country, new: &Country) {
        let (from, to) = moved;
        if from >= self.sections.len() {
            return;
        }
        let token = self.sections.remove(from);
        self.sections.insert(to.min(self.sections.len()), token);
        self.remove_section_ids(token, old);
        self.add_section(token, new);
    }

    /// A token no section has had.
    fn new_token(&mut self) -> u32 {
        let token = self.next;
        self.next = self.next.wrapping_add(1);
        token
    }

    /// Notes the ids of the section `c` under its token.
    fn add_section(&mut self, token: u32, c: &Country) {
        for id in section_ids(c).filter_map(|f| value(&f)) {
            self.add(id, Some(token));
        }
    }

    /// Forgets the ids of the section `c` under its token.
    fn remove_section_ids(&mut self, token: u32, c: &Country) {
        for id in section_ids(c).filter_map(|f| value(&f)) {
            self.remove(id, Some(token));
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
        if self.repeated.is_empty() {
            return out;
        }
        let index: HashMap<u32, usize> = self
            .sections
            .iter()
            .enumerate()
            .map(|(ci, &token)| (token, ci))
            .collect();
        for id in &self.repeated {
            // By index, the priorities first: the uses in file order.
            let mut places: Vec<Option<usize>> = self
                .places
                .get(id)
                .into_iter()
                .flatten()
                .filter_map(|place| match place {
                    None => Some(None),
                    Some(token) => index.get(token).map(|&ci| Some(ci)),
                })
                .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of the sections `order` picks of three; the first and the last share the objective id `DUP-1`.
    fn plan(order: &[usize]) -> Plan {
        let sections = [("POL", "DUP-1"), ("LTU", "LTU-ST-1"), ("EST", "DUP-1")];
        let mut text = String::from("[[priority]]\nid = \"SP-1\"\n");
        for &i in order {
            let (code, id) = sections[i];
            text.push_str(&format!(
                "\n[[country]]\ncode = \"{code}\"\n\n[[country.objective]]\nid = \"{id}\"\n"
            ));
        }
        crate::check::load_text(&text)
            .expect("the plan parses")
            .plan
    }

    #[test]
    fn sections_added_moved_and_removed_keep_the_duplicates_a_fresh_census_finds() {
        let before = plan(&[0, 1, 2]);
        let mut census = IdCensus::new(&before);
        assert_eq!(census.duplicates(&before).len(), 1);
        // EST moved to the front: its DUP-1 is now the first, POL's the repeat.
        let moved = plan(&[2, 0, 1]);
        census.move_section((2, 0), &before.countries[2], &moved.countries[0]);
        assert_eq!(
            census.duplicates(&moved),
            IdCensus::new(&moved).duplicates(&moved)
        );
        assert_eq!(census.duplicates(&moved)[0].item.as_ref(), "DUP-1");
        assert!(census.duplicates(&moved)[0].loc.line > moved.countries[0].head.header.line);
        // POL removed: no repeat is left.
        let removed = plan(&[2, 1]);
        census.remove_section(1, &moved.countries[1]);
        assert!(census.contains("DUP-1"));
        assert!(census.duplicates(&removed).is_empty());
        // POL put back at the end: the repeat is its again.
        let inserted = plan(&[2, 1, 0]);
        census.insert_section(2, &inserted.countries[2]);
        assert_eq!(
            census.duplicates(&inserted),
            IdCensus::new(&inserted).duplicates(&inserted)
        );
    }
}
