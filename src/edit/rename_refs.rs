//! An id or country code in a plan's text: where it is defined, where it is referred to
//! (priority links, governance entries, waiver items, the keys of link stamps), and the text edits that rename it
//! everywhere at once. Go-to-definition, find-references and rename in an editor that edits
//! text (the language server) all read [`occurrences`]; the terminal editor's rename (on the
//! document) follows the same references.

use std::ops::Range;

use super::toml_text::{self, TextEdit, entry_at, key_parts, offset_of, strings_in};
use crate::plan::catalog;
use crate::plan::model::{Collection, Field, List, Node, Opt, Plan, val};
use crate::plan::source::LineIndex;

/// Where an id occurs in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The bytes of the string (quotes included).
    pub range: Range<usize>,
    /// The table that holds it.
    pub node: Node,
    /// The key it is under (`id`, `code`, `priorities`, `governance`, `item`), or
    /// `reviewed_links` for the key of a link's stamp.
    pub field: &'static str,
    /// Whether this is the id's definition (the item's own `id` or `code`), not a reference.
    pub definition: bool,
}

/// Why a rename was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    /// No item of the plan has the id.
    #[error("no item of this plan is named `{0}`")]
    Unknown(String),
    /// The new name is blank.
    #[error("an id cannot be blank")]
    Blank,
    /// Another item already has the new name (ids and country codes are one namespace).
    #[error("`{0}` is already used: ids and country codes must be unique (SCP005)")]
    Taken(String),
    /// A country's code renamed to what cannot name a partner.
    #[error(
        "`{0}` is not a partner's country code: write an ISO 3166-1 alpha-3 code in upper case, other than USA (SCP007)"
    )]
    NotACountry(String),
}

/// An id field with the table it names and its key.
pub type Definition<'a> = (&'a Field<String>, Node, &'static str);

/// Every id field of the plan with the table it names and its key.
pub fn definitions(plan: &Plan) -> Vec<Definition<'_>> {
    fn push<'a>(
        out: &mut Vec<Definition<'a>>,
        field: &'a Opt<String>,
        node: Node,
        key: &'static str,
    ) {
        if let Some(f) = field {
            out.push((f, node, key));
        }
    }
    let mut out = Vec::new();
    for (i, p) in plan.priorities.iter().enumerate() {
        push(&mut out, &p.id, Node::Item(Collection::Priorities, i), "id");
    }
    for (ci, c) in plan.countries.iter().enumerate() {
        push(
            &mut out,
            &c.code,
            Node::Item(Collection::Countries, ci),
            "code",
        );
        for (i, o) in c.objectives.iter().enumerate() {
            push(
                &mut out,
                &o.id,
                Node::Item(Collection::Objectives(ci), i),
                "id",
            );
        }
        for (i, a) in c.agreements.iter().enumerate() {
            push(
                &mut out,
                &a.id,
                Node::Item(Collection::Agreements(ci), i),
                "id",
            );
        }
        for (i, a) in c.actors.iter().enumerate() {
            push(&mut out, &a.id, Node::Item(Collection::Actors(ci), i), "id");
        }
        for (i, p) in c.pools.iter().enumerate() {
            push(&mut out, &p.id, Node::Item(Collection::Pools(ci), i), "id");
        }
    }
    out
}

/// Every occurrence of `id` in `index`'s text (the text `plan` was read from): definitions
/// first, then references in file order.
pub fn occurrences(index: &LineIndex<'_>, plan: &Plan, id: &str) -> Vec<Occurrence> {
    let text = index.text();
    let value_range = |field_loc| {
        let start = offset_of(index, field_loc)?;
        entry_at(text, start).map(|e| e.value_range)
    };
    let mut out: Vec<Occurrence> = definitions(plan)
        .into_iter()
        .filter(|(f, ..)| f.value.as_deref() == Some(id))
        .filter_map(|(f, node, field)| {
            Some(Occurrence {
                range: value_range(f.loc)?,
                node,
                field,
                definition: true,
            })
        })
        .collect();
    let mut refs = Vec::new();
    let mut in_list = |list: &Opt<List>, node: Node, field: &'static str| {
        let Some(f) = list else { return };
        if !val(list).is_some_and(|l| l.entries.iter().any(|e| e == id)) {
            return;
        }
        let Some(range) = value_range(f.loc) else {
            return;
        };
        for (range, value) in strings_in(text, range) {
            if value == id {
                refs.push(Occurrence {
                    range,
                    node,
                    field,
                    definition: false,
                });
            }
        }
    };
    for (ci, c) in plan.countries.iter().enumerate() {
        for (oi, o) in c.objectives.iter().enumerate() {
            let node = Node::Item(Collection::Objectives(ci), oi);
            in_list(&o.priorities, node, "priorities");
            in_list(&o.governance, node, "governance");
        }
    }
    for (ci, c) in plan.countries.iter().enumerate() {
        for (oi, o) in c.objectives.iter().enumerate() {
            let stamps = o.reviewed_links.iter().filter_map(|r| r.stamps.as_ref());
            for s in stamps.flatten().filter(|s| s.priority == id) {
                let Some(start) = offset_of(index, s.loc) else {
                    continue;
                };
                if let Some((range, _)) = key_parts(text, start).into_iter().find(|(_, n)| n == id)
                {
                    refs.push(Occurrence {
                        range,
                        node: Node::Item(Collection::Objectives(ci), oi),
                        field: "reviewed_links",
                        definition: false,
                    });
                }
            }
        }
    }
    for (wi, w) in plan.waivers.iter().enumerate() {
        if let Some(f) = w.item.as_ref().filter(|f| f.value.as_deref() == Some(id))
            && let Some(range) = value_range(f.loc)
        {
            refs.push(Occurrence {
                range,
                node: Node::Item(Collection::Waivers, wi),
                field: "item",
                definition: false,
            });
        }
    }
    refs.sort_by_key(|r| r.range.start);
    out.extend(refs);
    out
}

/// The edits that rename `old` to `new` in `index`'s text: its definition and every
/// reference, each string written again in TOML's quoted form.
pub fn rename_edits(
    index: &LineIndex<'_>,
    plan: &Plan,
    old: &str,
    new: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    if new.trim().is_empty() {
        return Err(RenameError::Blank);
    }
    let found = occurrences(index, plan, old);
    if !found.iter().any(|o| o.definition) {
        return Err(RenameError::Unknown(old.to_string()));
    }
    if new != old && plan.ids().any(|id| id == new) {
        return Err(RenameError::Taken(new.to_string()));
    }
    if found.iter().any(|o| o.definition && o.field == "code") && !catalog::is_partner(new) {
        return Err(RenameError::NotACountry(new.to_string()));
    }
    let quoted = toml_text::quote(new);
    let key = toml_text::key(new);
    Ok(found
        .into_iter()
        .map(|o| TextEdit {
            range: o.range,
            new_text: if o.field == "reviewed_links" {
                key.clone()
            } else {
                quoted.clone()
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::load_text;

    const PLAN: &str = include_str!("../../plans/eucom-sample.toml");

    #[test]
    fn renaming_a_priority_rewrites_its_id_and_every_link_and_nothing_else() {
        let plan = load_text(PLAN).unwrap().plan;
        let index = LineIndex::new(PLAN);
        let found = occurrences(&index, &plan, "SP-1");
        assert!(found[0].definition && found.len() > 2, "{found:?}");
        let edits = rename_edits(&index, &plan, "SP-1", "SP-9").unwrap();
        let renamed = toml_text::apply(PLAN, &edits).unwrap();
        let after = load_text(&renamed).unwrap().plan;
        assert!(occurrences(&LineIndex::new(&renamed), &after, "SP-1").is_empty());
        assert_eq!(
            occurrences(&LineIndex::new(&renamed), &after, "SP-9").len(),
            found.len()
        );
        // Only the renamed strings changed: the same lines, the rest byte for byte.
        assert_eq!(renamed.lines().count(), PLAN.lines().count());
        assert_eq!(renamed.replace("\"SP-9\"", "\"SP-1\""), PLAN);
    }

    #[test]
    fn the_keys_of_link_stamps_are_renamed_in_every_form() {
        // An inline table, dotted keys, and a sub-table.
        let text = PLAN
            .replacen(
                "  target_date = 2029-09-30\n",
                "  target_date = 2029-09-30\n  reviewed_links = { SP-1 = \"0123abcd\", SP-3 = \"0123abcd\" }\n",
                1,
            )
            .replacen(
                "  target_date = 2030-09-30\n",
                "  target_date = 2030-09-30\n  reviewed_links.\"SP-1\" = \"0123abcd\"\n",
                1,
            )
            .replacen(
                "  target_date = 2031-03-31\n",
                "  target_date = 2031-03-31\n\n  [country.objective.reviewed_links]\n  SP-1 = \"0123abcd\"\n",
                1,
            );
        let plan = load_text(&text).unwrap().plan;
        let index = LineIndex::new(&text);
        let stamps = occurrences(&index, &plan, "SP-1")
            .into_iter()
            .filter(|o| o.field == "reviewed_links")
            .count();
        assert_eq!(stamps, 3);
        let edits = rename_edits(&index, &plan, "SP-1", "SP-9").unwrap();
        let renamed = toml_text::apply(&text, &edits).unwrap();
        assert!(renamed.contains("reviewed_links = { SP-9 = \"0123abcd\", SP-3 = "));
        assert!(renamed.contains("reviewed_links.SP-9 = \"0123abcd\""));
        assert!(renamed.contains("]\n  SP-9 = \"0123abcd\""));
        let after = load_text(&renamed).unwrap().plan;
        assert!(occurrences(&LineIndex::new(&renamed), &after, "SP-1").is_empty());
        // A name that TOML writes only escaped, a stamp's key included, still reads.
        let all = occurrences(&index, &plan, "SP-1").len();
        let odd = "x\ny 'z\"";
        let edits = rename_edits(&index, &plan, "SP-1", odd).unwrap();
        let renamed = toml_text::apply(&text, &edits).unwrap();
        let after = load_text(&renamed).unwrap().plan;
        assert_eq!(
            occurrences(&LineIndex::new(&renamed), &after, odd).len(),
            all
        );
    }

    #[test]
    fn a_rename_to_a_used_or_blank_name_or_of_nothing_is_refused() {
        let plan = load_text(PLAN).unwrap().plan;
        let index = LineIndex::new(PLAN);
        assert_eq!(
            rename_edits(&index, &plan, "SP-1", "SP-2"),
            Err(RenameError::Taken("SP-2".into()))
        );
        assert_eq!(
            rename_edits(&index, &plan, "SP-1", " "),
            Err(RenameError::Blank)
        );
        assert_eq!(
            rename_edits(&index, &plan, "NOPE", "X"),
            Err(RenameError::Unknown("NOPE".into()))
        );
        for code in ["XYZ", "USA", "pol"] {
            assert_eq!(
                rename_edits(&index, &plan, "POL", code),
                Err(RenameError::NotACountry(code.into()))
            );
        }
        assert!(rename_edits(&index, &plan, "POL", "CZE").is_ok());
    }
}
