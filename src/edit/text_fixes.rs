//! Quick fixes as text edits: for a diagnostic, the mechanical changes that settle it, each
//! touching only the lines it changes (a value replaced, key lines or a table inserted), so
//! that a front end editing text (the language server) can offer them beside the author's
//! own unsaved edits. The banner roll-up (SCP202), the closest priority for a dangling link
//! (SCP103), the authority block (SCP211), a review stamped today (SCP301), and a waiver with
//! a reason to write for any warning or info.

use jiff::civil::Date;

use super::toml_text::{self, TextEdit, entry_at, offset_of, strings_in, table_entries};
use crate::check::diagnostic::Diagnostic;
use crate::check::registry::Severity;
use crate::plan::catalog;
use crate::plan::marking;
use crate::plan::model::{Collection, Field, Head, Loc, Node, Plan, val};
use crate::plan::source::LineIndex;

/// A fix: what it does, in a line, and its edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does ("set the banner to SECRET").
    pub title: String,
    /// The edits, over the text the plan was read from.
    pub edits: Vec<TextEdit>,
    /// Whether it is the fix the diagnostic asks for (a waiver is not: it accepts the finding).
    pub preferred: bool,
}

/// What the fixes read: the text (through its line index), the plan read from it, and today
/// (the date a review is stamped with).
#[derive(Debug, Clone, Copy)]
pub struct FixContext<'a> {
    /// The plan's text, as the front end holds it.
    pub index: &'a LineIndex<'a>,
    /// The plan read from that text.
    pub plan: &'a Plan,
    /// Today's date.
    pub today: Date,
}

/// The placeholders a new `[plan.authority]` gets for each key a classified plan needs, in
/// the block's order: strings to replace, so that nothing passes for a real authority.
const AUTHORITY_PLACEHOLDERS: [(&str, &str); 3] = [
    (
        "classified_by",
        "Replace with the classifier's name and position",
    ),
    (
        "derived_from",
        "Replace with the source or classification guide",
    ),
    (
        "declassify_on",
        "Replace with a date (YYYY-MM-DD, no quotes) or an event",
    ),
];

/// The reason a new waiver starts with.
const WAIVER_REASON: &str = "Replace with why this finding is accepted";

/// Every fix for the diagnostic `d`: its own fix first (if it has one), then a waiver for a
/// warning or info that no waiver covers yet.
pub fn fixes(cx: &FixContext<'_>, d: &Diagnostic) -> Vec<Fix> {
    let own = match d.code {
        "SCP202" => banner(cx),
        "SCP103" => closest_priority(cx, d),
        "SCP211" => authority(cx),
        "SCP301" => reviewed(cx, d),
        _ => None,
    };
    let mut out: Vec<Fix> = own.into_iter().collect();
    if d.severity != Severity::Error && !d.waived {
        out.push(waive(cx, d));
    }
    out
}

/// The banner the portions require (their roll-up), when every portion marking reads: with
/// an unreadable one the roll-up is not known.
pub fn expected_banner(plan: &Plan) -> Option<String> {
    let portions: Vec<marking::Marking> = plan
        .portions()
        .iter()
        .map(|p| {
            p.portion
                .marking_text()
                .and_then(|m| marking::parse_portion(m).ok())
        })
        .collect::<Option<_>>()?;
    Some(marking::roll_up(&portions, plan.meta.profile()))
}

/// SCP202: the banner set to the roll-up of the portions, when every portion reads (else a
/// fix could lower the banner).
fn banner(cx: &FixContext<'_>) -> Option<Fix> {
    let plan = cx.plan;
    let expected = expected_banner(plan)?;
    let field = plan.meta.marking.as_ref()?;
    if field.value.as_deref() == Some(expected.as_str()) {
        return None;
    }
    Some(Fix {
        title: format!("Set the banner to {expected}"),
        edits: vec![replace_value(
            cx.index,
            field.loc,
            &toml_text::quote(&expected),
        )?],
        preferred: true,
    })
}

/// SCP103: the dangling link that the diagnostic names replaced by the closest priority id.
fn closest_priority(cx: &FixContext<'_>, d: &Diagnostic) -> Option<Fix> {
    let Node::Item(Collection::Objectives(ci), oi) = d.target.node? else {
        return None;
    };
    let objective = cx.plan.countries.get(ci)?.objectives.get(oi)?;
    let ids: Vec<&str> = cx
        .plan
        .priorities
        .iter()
        .filter_map(|p| val(&p.id).map(String::as_str))
        .collect();
    let field = objective.priorities.as_ref()?;
    let text = cx.index.text();
    let value = entry_at(text, offset_of(cx.index, field.loc)?)?.value_range;
    let strings = strings_in(text, value);
    let dangling: Vec<&(std::ops::Range<usize>, String)> = strings
        .iter()
        .filter(|(_, s)| !ids.contains(&s.as_str()))
        .collect();
    // The diagnostic names its id in backticks; one diagnostic per distinct missing id.
    let named = dangling
        .iter()
        .find(|(_, s)| d.message.contains(&format!("`{s}`")))
        .or(dangling.first())?;
    let best = catalog::closest(&named.1, ids.iter().copied())?;
    let edits = dangling
        .iter()
        .filter(|(_, s)| *s == named.1)
        .map(|(range, _)| TextEdit {
            range: range.clone(),
            new_text: toml_text::quote(best),
        })
        .collect();
    Some(Fix {
        title: format!("Link {best} instead of {}", named.1),
        edits,
        preferred: true,
    })
}

/// SCP211: the authority block, or the keys it lacks, with placeholders to replace.
fn authority(cx: &FixContext<'_>) -> Option<Fix> {
    let meta = &cx.plan.meta;
    let text = cx.index.text();
    let (header, missing): (Loc, Vec<&str>) = match &meta.authority {
        None => (meta.header, Vec::new()),
        Some(block) => {
            let mut keys = Vec::new();
            if block.classified_by.is_none() {
                keys.push("classified_by");
            }
            if block.derived_from.is_none() && block.reason.is_none() {
                keys.push("derived_from");
            }
            if block.declassify_on.is_none() {
                keys.push("declassify_on");
            }
            (block.header, keys)
        }
    };
    if !meta.present || (meta.authority.is_some() && missing.is_empty()) {
        return None;
    }
    let lines = |keys: &mut dyn Iterator<Item = &(&str, &str)>| {
        keys.map(|(k, v)| format!("{k} = {}\n", toml_text::quote(v)))
            .collect::<String>()
    };
    let at = header_table_end(cx.index, header)?;
    let (title, body) = match &meta.authority {
        None => (
            "Add [plan.authority] with the keys to fill".to_string(),
            format!(
                "\n[plan.authority]\n{}",
                lines(&mut AUTHORITY_PLACEHOLDERS.iter())
            ),
        ),
        Some(_) => (
            format!("Add {} to [plan.authority]", missing.join(", ")),
            lines(
                &mut AUTHORITY_PLACEHOLDERS
                    .iter()
                    .filter(|(k, _)| missing.contains(k)),
            ),
        ),
    };
    Some(Fix {
        title,
        edits: vec![insert_lines(text, at, body)],
        preferred: true,
    })
}

/// SCP301: the agreement or actor marked reviewed today.
fn reviewed(cx: &FixContext<'_>, d: &Diagnostic) -> Option<Fix> {
    let (head, last) = match d.target.node? {
        Node::Item(Collection::Agreements(ci), i) => {
            let a = cx.plan.countries.get(ci)?.agreements.get(i)?;
            (&a.head, &a.last_reviewed)
        }
        Node::Item(Collection::Actors(ci), i) => {
            let a = cx.plan.countries.get(ci)?.actors.get(i)?;
            (&a.head, &a.last_reviewed)
        }
        _ => return None,
    };
    let today = cx.today.to_string();
    let edit = match last {
        Some(Field { loc, .. }) => replace_value(cx.index, *loc, &today)?,
        None => insert_key(cx.index, head, &format!("last_reviewed = {today}\n"))?,
    };
    Some(Fix {
        title: format!("Mark {} reviewed today ({today})", d.item),
        edits: vec![edit],
        preferred: true,
    })
}

/// A waiver of the diagnostic's rule on its item, at the end of the file, with a reason to
/// write.
fn waive(cx: &FixContext<'_>, d: &Diagnostic) -> Fix {
    let text = cx.index.text();
    let body = format!(
        "\n[[waiver]]\nrule = {}\nitem = {}\nreason = {}\n",
        toml_text::quote(d.code),
        toml_text::quote(&d.item),
        toml_text::quote(WAIVER_REASON)
    );
    Fix {
        title: format!("Waive {} on {} (write the reason)", d.code, d.item),
        edits: vec![insert_lines(text, text.len(), body)],
        preferred: false,
    }
}

/// The edit that replaces the value of the key at `loc` by `value` (TOML).
fn replace_value(index: &LineIndex<'_>, loc: Loc, value: &str) -> Option<TextEdit> {
    let entry = entry_at(index.text(), offset_of(index, loc)?)?;
    Some(TextEdit {
        range: entry.value_range,
        new_text: value.to_string(),
    })
}

/// The edit that adds `line` after the last key of the header-style table `head`.
fn insert_key(index: &LineIndex<'_>, head: &Head, line: &str) -> Option<TextEdit> {
    let at = header_table_end(index, head.header)?;
    Some(insert_lines(index.text(), at, line.to_string()))
}

/// Where a key added to the table whose header is at `header` goes: after its last key.
/// `None` for an inline table (no line of its own to add).
fn header_table_end(index: &LineIndex<'_>, header: Loc) -> Option<usize> {
    let text = index.text();
    let start = offset_of(index, header)?;
    if !text[start..].starts_with('[') {
        return None;
    }
    Some(table_entries(text, Some(start)).1)
}

/// Inserts whole lines at `at` (a line's start, or the end of a text that may lack its last
/// line break), with the text's own line breaks.
fn insert_lines(text: &str, at: usize, mut lines: String) -> TextEdit {
    if at > 0 && !text[..at].ends_with('\n') {
        lines.insert(0, '\n');
    }
    if text.contains("\r\n") {
        lines = lines.replace('\n', "\r\n");
    }
    TextEdit {
        range: at..at,
        new_text: lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_text};

    fn fixed(text: &str, code: &str) -> (String, String) {
        let checked = check_text(text.to_string(), &Settings::default());
        let plan = checked.plan.as_ref().unwrap();
        let d = checked.diagnostics.iter().find(|d| d.code == code).unwrap();
        let index = LineIndex::new(text);
        let cx = FixContext {
            index: &index,
            plan,
            today: Date::constant(2026, 11, 30),
        };
        let fix = fixes(&cx, d).into_iter().next().unwrap();
        (
            toml_text::apply(text, &fix.edits).unwrap(),
            fix.title.clone(),
        )
    }

    const SAMPLE: &str = include_str!("../../plans/eucom-sample.toml");

    #[test]
    fn the_banner_fix_writes_the_roll_up() {
        let text = SAMPLE.replacen("marking = \"UNCLASSIFIED\"", "marking = \"SECRET\"", 1);
        let (after, title) = fixed(&text, "SCP202");
        assert_eq!(after, SAMPLE, "{title}");
    }

    #[test]
    fn a_dangling_link_becomes_the_closest_priority() {
        let text = SAMPLE.replacen("priorities = [\"SP-1\"", "priorities = [\"SP-1x\"", 1);
        assert_ne!(text, SAMPLE);
        let (after, _) = fixed(&text, "SCP103");
        assert_eq!(after, SAMPLE);
    }

    #[test]
    fn a_classified_plan_gets_its_authority_block_and_a_waiver_can_be_written() {
        let text = SAMPLE
            .replacen("marking = \"UNCLASSIFIED\"", "marking = \"SECRET\"", 1)
            .replacen("marking = \"U\"", "marking = \"S\"", 1);
        let (after, _) = fixed(&text, "SCP211");
        assert!(after.contains("[plan.authority]\nclassified_by = \"Replace"));
        let checked = check_text(after.clone(), &Settings::default());
        assert!(checked.diagnostics.iter().all(|d| d.code != "SCP211"));
        // The block is inserted whole: without it, the text is the original.
        let start = after.find("\n[plan.authority]").unwrap();
        let end = after.find("or an event\"\n").unwrap() + "or an event\"\n".len();
        assert_eq!(format!("{}{}", &after[..start], &after[end..]), text);
    }

    #[test]
    fn marking_reviewed_sets_or_adds_last_reviewed() {
        let text = SAMPLE.replacen("last_reviewed = ", "# last_reviewed = ", 1);
        let (after, _) = fixed(&text, "SCP301");
        assert!(after.contains("last_reviewed = 2026-11-30\n"), "{after}");
        let checked = check_text(after, &Settings::default());
        assert_eq!(
            checked
                .diagnostics
                .iter()
                .filter(|d| d.code == "SCP301")
                .count(),
            check_text(SAMPLE.to_string(), &Settings::default())
                .diagnostics
                .iter()
                .filter(|d| d.code == "SCP301")
                .count()
        );
    }
}
