//! Quick fixes as text edits: for a diagnostic, the mechanical changes that settle it, each
//! touching only the lines it changes (a value replaced, key lines or a table inserted), so
//! that a front end editing text (the language server) can offer them beside the author's
//! own unsaved edits: every fix of the editing core that is an edit ([`super::fixes`]: the
//! banner roll-up, the authority block to fill, suggestions taken, repeats removed, a review
//! stamped today) as the lines it changes; and a waiver with a reason to write for any
//! warning or info.

use jiff::civil::Date;

use super::fixes::{FixAction, quick_fixes};
use super::toml_text::{self, TextEdit};
use super::waive::waivable;
use crate::check::diagnostic::Diagnostic;
use crate::plan::document::PlanDocument;
use crate::plan::model::Plan;
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

/// Every fix for the diagnostic `d`: its own fix first (if it has one), then a waiver for a
/// warning or info that may be waived and no waiver covers yet.
pub fn fixes(cx: &FixContext<'_>, d: &Diagnostic) -> Vec<Fix> {
    let mut out = shared(cx, d);
    if waivable(d).is_ok() {
        out.push(waive(cx, d));
    }
    out
}

/// The fixes of the editing core ([`quick_fixes`]) that are edits (applied at once, or once
/// the planner confirms: choosing the action is the confirmation), each as the lines it
/// changes. The fixes that open a field for the planner to fill have no text edit.
fn shared(cx: &FixContext<'_>, d: &Diagnostic) -> Vec<Fix> {
    let text = cx.index.text();
    let Ok(doc) = PlanDocument::from_bytes(text.as_bytes()) else {
        return Vec::new();
    };
    // Only where the document writes the text back as it is, so that a diff is the fix.
    if doc.to_bytes() != text.as_bytes() {
        return Vec::new();
    }
    let Ok(fixes) = quick_fixes(&doc, cx.plan, d, cx.today) else {
        return Vec::new();
    };
    fixes
        .into_iter()
        .filter_map(|fix| {
            let change = match fix.action {
                FixAction::Apply(change) | FixAction::Confirm { change, .. } => change,
                FixAction::Open { .. } => return None,
            };
            let mut edited = doc.clone();
            edited.apply(change.edit).ok()?;
            let after = String::from_utf8(edited.to_bytes()).ok()?;
            Some(Fix {
                title: fix.title,
                edits: Some(changed_lines(text, &after)).filter(|e| !e.is_empty())?,
                preferred: true,
            })
        })
        .collect()
}

/// The edits that turn `before` into `after`, as whole lines: one per run of lines that
/// differ (a fix that links a priority and writes its stamp changes two lines apart, and the
/// lines between are no part of it). Empty when they are equal.
fn changed_lines(before: &str, after: &str) -> Vec<TextEdit> {
    if before == after {
        return Vec::new();
    }
    // The lines between the first and the last difference: the diff needs no more.
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let common = b.iter().zip(a).take_while(|(x, y)| x == y).count();
    let head = line_start(b, common);
    let room = b.len().min(a.len()) - head;
    let same_end = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let tail = |text: &[u8]| {
        let end = text.len() - same_end;
        if end == 0 || text[end - 1] == b'\n' {
            end
        } else {
            text[end..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(text.len(), |i| end + i + 1)
        }
    };
    let (Some(old), Some(new)) = (before.get(head..tail(b)), after.get(head..tail(a))) else {
        return Vec::new();
    };
    let diff = similar::TextDiff::from_lines(old, new);
    let starts = |text: &str| -> Vec<usize> {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    };
    let (old_at, new_at) = (starts(old), starts(new));
    let byte = |at: &[usize], text: &str, line: usize| at.get(line).copied().unwrap_or(text.len());
    diff.grouped_ops(0)
        .into_iter()
        .filter_map(|group| {
            let (first, last) = (group.first()?, group.last()?);
            let (o, n) = (
                first.old_range().start..last.old_range().end,
                first.new_range().start..last.new_range().end,
            );
            let range = head + byte(&old_at, old, o.start)..head + byte(&old_at, old, o.end);
            let text = new.get(byte(&new_at, new, n.start)..byte(&new_at, new, n.end))?;
            Some(TextEdit {
                range,
                new_text: text.to_string(),
            })
        })
        .collect()
}

/// The start of the line that holds byte `at` of `text`.
fn line_start(text: &[u8], at: usize) -> usize {
    text[..at]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1)
}

/// A waiver of the diagnostic's rule on its item, at the end of the file, with a blank reason
/// to write: SCP009 asks for it until it is written (a placeholder would pass for a reason
/// and waive the finding unexplained).
fn waive(cx: &FixContext<'_>, d: &Diagnostic) -> Fix {
    let text = cx.index.text();
    let body = format!(
        "\n[[waiver]]\nrule = {}\nitem = {}\nreason = \"\"\n",
        toml_text::quote(d.code),
        toml_text::quote(&d.item),
    );
    Fix {
        title: format!("Waive {} on {} (write the reason)", d.code, d.item),
        edits: vec![insert_lines(text, text.len(), body)],
        preferred: false,
    }
}

/// Inserts whole lines at `at` (a line's start, or the end of a text that may lack its last
/// line break), with the text's own line breaks.
fn insert_lines(text: &str, at: usize, mut lines: String) -> TextEdit {
    if at > 0 && !text[..at].ends_with('\n') {
        lines.insert(0, '\n');
        // At the end of a text without a final line break: it stays without one.
        if at == text.len() && lines.ends_with('\n') {
            lines.pop();
        }
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
    fn a_waiver_at_the_end_keeps_a_missing_final_newline_missing() {
        let text = SAMPLE.replacen("  target_date = 2029-09-30\n", "", 1);
        let text = text.trim_end_matches('\n').to_string();
        let index = LineIndex::new(&text);
        let plan = crate::check::load_text(&text).unwrap().plan;
        let checked = check_text(text.clone(), &Settings::default());
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.code == "SCP402")
            .expect("SCP402");
        let cx = FixContext {
            index: &index,
            plan: &plan,
            today: Date::constant(2026, 11, 30),
        };
        let fix = waive(&cx, d);
        let after = toml_text::apply(&text, &fix.edits).unwrap();
        assert!(after.ends_with("reason = \"\""), "{after}");
    }

    #[test]
    fn a_dangling_link_becomes_the_closest_priority() {
        let text = SAMPLE.replacen("priorities = [\"SP-1\"", "priorities = [\"SP-1x\"", 1);
        assert_ne!(text, SAMPLE);
        let (after, _) = fixed(&text, "SCP103");
        // The link made is stamped, as every link made in the editor is.
        let plan = crate::check::load_text(SAMPLE).unwrap().plan;
        let stamp = &crate::plan::review::current_stamps(&plan)["SP-1"];
        let first_date = "  target_date = 2029-09-30\n";
        assert_eq!(
            after,
            SAMPLE.replacen(
                first_date,
                &format!("{first_date}  reviewed_links = {{ SP-1 = \"{stamp}\" }}\n"),
                1
            )
        );
    }

    #[test]
    fn a_classified_plan_gets_its_authority_block_and_a_waiver_can_be_written() {
        let text = SAMPLE
            .replacen("marking = \"UNCLASSIFIED\"", "marking = \"SECRET\"", 1)
            .replacen("marking = \"U\"", "marking = \"S\"", 1);
        let (after, _) = fixed(&text, "SCP211");
        let block =
            "\n[plan.authority]\nclassified_by = \"\"\nderived_from = \"\"\ndeclassify_on = \"\"\n";
        assert!(after.contains(block), "{after}");
        // Blank texts to fill: SCP211 is settled, SCP009 asks for each text.
        let checked = check_text(after.clone(), &Settings::default());
        assert!(checked.diagnostics.iter().all(|d| d.code != "SCP211"));
        let blank = checked.diagnostics.iter().filter(|d| d.code == "SCP009");
        assert_eq!(blank.count(), 3);
        // The block is inserted whole: without it, the text is the original.
        assert_eq!(after.replacen(block, "", 1), text);
    }

    #[test]
    fn a_waiver_written_by_a_fix_asks_for_its_reason_and_no_stale_notice_is_waived() {
        // SP-4 linked by nothing: SCP104, a warning with no fix of its own but a waiver.
        let text = SAMPLE.replacen(
            "[[priority]]\nid = \"SP-2\"",
            "[[priority]]\nid = \"SP-9\"\ntitle = \"Unlinked\"\nsource = \"NDS 2026\"\n\n[[priority]]\nid = \"SP-2\"",
            1,
        );
        let (after, title) = fixed(&text, "SCP104");
        assert!(title.starts_with("Waive SCP104"), "{title}");
        let checked = check_text(after, &Settings::default());
        // The finding is not waived silently: the blank reason is an error until written.
        assert!(
            checked
                .diagnostics
                .iter()
                .any(|d| d.code == "SCP009" && d.message.contains("reason")),
            "{:?}",
            checked
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
        );
        // A stale waiver's SCP503 gets no waiver of its own (that would be SCP501).
        let stale =
            format!("{SAMPLE}\n[[waiver]]\nrule = \"SCP104\"\nitem = \"SP-1\"\nreason = \"r\"\n");
        let checked = check_text(stale.clone(), &Settings::default());
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.code == "SCP503")
            .unwrap();
        let index = LineIndex::new(&stale);
        let cx = FixContext {
            index: &index,
            plan: checked.plan.as_ref().unwrap(),
            today: Date::constant(2026, 11, 30),
        };
        assert!(fixes(&cx, d).iter().all(|f| !f.title.starts_with("Waive")));
    }

    #[test]
    fn the_editing_cores_fixes_are_offered_as_the_lines_they_change() {
        for (from, to, code) in [
            ("prepared_by = ", "prepard_by = ", "SCP004"),
            ("command = \"USEUCOM\"", "command = \"USEUCM\"", "SCP006"),
            ("[\"POL-AG-1\", ", "[\"POL-AG-1x\", ", "SCP108"),
            (
                "priorities = [\"SP-1\", \"SP-3\"]",
                "priorities = [\"SP-1\", \"SP-3\", \"SP-1\"]",
                "SCP107",
            ),
        ] {
            let text = SAMPLE.replacen(from, to, 1);
            let checked = check_text(text.clone(), &Settings::default());
            let d = checked.diagnostics.iter().find(|d| d.code == code).unwrap();
            let index = LineIndex::new(&text);
            let cx = FixContext {
                index: &index,
                plan: checked.plan.as_ref().unwrap(),
                today: Date::constant(2026, 11, 30),
            };
            let fix = fixes(&cx, d).into_iter().next().unwrap();
            let [edit] = &fix.edits[..] else {
                panic!("{code}: {:?}", fix.edits);
            };
            // One line, replaced whole.
            let old = &text[edit.range.clone()];
            assert_eq!(old.lines().count(), 1, "{code}: {old:?}");
            assert!(
                old.ends_with('\n') && edit.new_text.ends_with('\n'),
                "{code}"
            );
            assert_eq!(
                toml_text::apply(&text, &fix.edits).unwrap(),
                SAMPLE,
                "{code}"
            );
        }
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
