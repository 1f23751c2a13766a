//! Every location a typed plan holds, reachable in one walk: when an edit adds or removes
//! lines in one section, the editor moves the locations of everything below it instead of
//! reloading the whole plan.

use super::model::*;
use crate::parallel;

/// Something that holds locations in the file.
pub trait Located {
    /// Calls `f` on every location held (generic, so that a walk over a large plan is a
    /// tight loop).
    fn visit_locs<F: FnMut(&mut Loc)>(&mut self, f: &mut F);

    /// Moves every location at or below line `from` by `delta` lines.
    fn shift_lines(&mut self, from: u32, delta: i64) {
        self.shift_line_range(from, u32::MAX, delta);
    }

    /// Moves every location on the lines `from..to` by `delta` lines.
    fn shift_line_range(&mut self, from: u32, to: u32, delta: i64) {
        if delta == 0 {
            return;
        }
        self.visit_locs(&mut |loc| {
            if (from..to).contains(&loc.line) {
                loc.line = (i64::from(loc.line) + delta).clamp(1, i64::from(u32::MAX)) as u32;
            }
        });
    }
}

impl Located for Loc {
    fn visit_locs<F: FnMut(&mut Loc)>(&mut self, f: &mut F) {
        f(self)
    }
}

impl<T> Located for Opt<T> {
    fn visit_locs<F: FnMut(&mut Loc)>(&mut self, f: &mut F) {
        if let Some(field) = self {
            f(&mut field.loc);
        }
    }
}

impl<T: Located> Located for Vec<T> {
    fn visit_locs<F: FnMut(&mut Loc)>(&mut self, f: &mut F) {
        self.as_mut_slice().visit_locs(f)
    }
}

impl<T: Located> Located for [T] {
    fn visit_locs<F: FnMut(&mut Loc)>(&mut self, f: &mut F) {
        for x in self {
            x.visit_locs(f);
        }
    }
}

impl<T: Located> Located for Option<T> {
    fn visit_locs<F: FnMut(&mut Loc)>(&mut self, f: &mut F) {
        if let Some(x) = self {
            x.visit_locs(f);
        }
    }
}

impl Located for Head {
    fn visit_locs<F: FnMut(&mut Loc)>(&mut self, f: &mut F) {
        f(&mut self.header)
    }
}

/// Implements [`Located`] for a struct by visiting the named fields.
macro_rules! located {
    ($($ty:ty { $($field:ident),* $(,)? })*) => {$(
        impl Located for $ty {
            fn visit_locs<F: FnMut(&mut Loc)>(&mut self, f: &mut F) {
                $( self.$field.visit_locs(f); )*
            }
        }
    )*};
}

located! {
    Portion { marking, justification, intel, nf_exception }
    Meta {
        header, format, id, title, command, version, effective, period_end, marking,
        marking_profile, tech_list, prepared_by, link_review, cui, authority,
    }
    Cui { header, controlled_by, categories, dissemination, poc }
    Authority { header, classified_by, derived_from, reason, declassify_on }
    Priority { head, id, title, source, description, portion }
    Country {
        head, code, name, summary, strengths, portion, objectives, agreements, actors, pools,
        barriers,
    }
    Objective {
        head, id, kind, text, priorities, tech_areas, governance, target_date, reviewed_links,
        portion, indicators,
    }
    ReviewedLinks { loc, stamps }
    LinkStamp { loc }
    Indicator { head, name, baseline, target, portion }
    Agreement { head, id, kind, title, signed, expires, last_reviewed, portion }
    Actor { head, id, name, kind, role, last_reviewed, portion }
    Pool { head, id, name, tech_areas, us_share, ip_terms, portion }
    Barrier { head, kind, text, mitigation, portion }
    Waiver { head, rule, item, reason, approved_by, expires }
    Plan { meta, priorities, countries, waivers }
}

impl Plan {
    /// [`Located::shift_lines`] that skips the country sections wholly above `from`: TOML puts
    /// every table of a section between its header and the next section's header.
    pub fn shift_lines_below(&mut self, from: u32, delta: i64) {
        self.shift_lines_in(from, u32::MAX, delta);
    }

    /// [`Located::shift_line_range`] that skips the country sections wholly outside the
    /// lines `from..to`.
    pub fn shift_lines_in(&mut self, from: u32, to: u32, delta: i64) {
        if delta == 0 || from >= to {
            return;
        }
        self.meta.shift_line_range(from, to, delta);
        self.priorities.shift_line_range(from, to, delta);
        self.waivers.shift_line_range(from, to, delta);
        let first = self
            .countries
            .partition_point(|c| c.head.header.line < from)
            .saturating_sub(1);
        let end = self.countries.partition_point(|c| c.head.header.line < to);
        if first < end {
            parallel::halves(&mut self.countries[first..end], |countries| {
                countries.shift_line_range(from, to, delta)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the locations a walk reaches, so a field added to the model without being
    /// listed here shows up as a missing count.
    fn count(x: &mut impl Located) -> usize {
        let mut n = 0;
        x.visit_locs(&mut |_| n += 1);
        n
    }

    #[test]
    fn every_location_of_a_loaded_plan_moves() {
        let text = crate::synth::generate(2, 2, 0.0, 1);
        let Some(loaded) = crate::plan::load::load_fast(&text) else {
            panic!("the synthetic plan loads");
        };
        let mut plan = loaded.plan;
        let before = plan.clone();
        plan.shift_lines(1, 5);
        let mut lines = Vec::new();
        plan.visit_locs(&mut |l| lines.push(l.line));
        let mut old = before.clone();
        let mut old_lines = Vec::new();
        old.visit_locs(&mut |l| old_lines.push(l.line));
        assert_eq!(lines.len(), old_lines.len());
        assert!(lines.iter().zip(&old_lines).all(|(a, b)| *a == b + 5));
        plan.shift_lines(1, -5);
        assert_eq!(plan, before);
        // Every `Opt` field of a table is a location: a debug print of the plan names
        // `loc:` once per present field and `header:` once per table.
        let printed = format!("{before:?}");
        let expected = printed.matches("loc: Loc").count() + printed.matches("header: Loc").count();
        assert_eq!(count(&mut old), expected);
    }

    #[test]
    fn only_lines_from_the_given_one_move() {
        let mut locs = [
            Loc {
                line: 3,
                column: 1,
                len: 1,
            },
            Loc {
                line: 10,
                column: 4,
                len: 2,
            },
        ];
        locs[..].shift_lines(5, -2);
        assert_eq!(locs[0].line, 3);
        assert_eq!(
            locs[1],
            Loc {
                line: 8,
                column: 4,
                len: 2
            }
        );
    }

    #[test]
    fn skipping_the_sections_above_moves_the_same_locations() {
        let text = crate::synth::generate(6, 3, 0.2, 4);
        let Some(loaded) = crate::plan::load::load_fast(&text) else {
            panic!("the synthetic plan loads");
        };
        for c in 0..6 {
            let from = loaded.plan.countries[c].head.header.line + 2;
            let mut walked = loaded.plan.clone();
            walked.shift_lines(from, 3);
            let mut skipped = loaded.plan.clone();
            skipped.shift_lines_below(from, 3);
            assert_eq!(walked, skipped, "from line {from}");
        }
    }
}
