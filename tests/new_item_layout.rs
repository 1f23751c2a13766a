//! A new item is written indented like the items around it: after a sibling of its own
//! list, and, as the first of its list, like the same list under another parent.

use scplan::edit::items::{NewItem, add};
use scplan::plan::document::PlanDocument;
use scplan::plan::load;
use scplan::plan::model::Plan;

const SAMPLE: &str = "plans/eucom-sample.toml";

/// A plan laid out like the sample, with an objective that has no indicator yet.
const SECOND_BARE: &str = r#"[plan]
title = "Layout"

[[country]]
code = "POL"

  [[country.objective]]
  id = "POL-ST-1"
  kind = "st"

    [[country.objective.indicator]]
    name = "One"

  [[country.objective]]
  id = "POL-ST-2"
  kind = "st"
"#;

fn open(text: &str) -> (PlanDocument, Plan) {
    let doc = PlanDocument::from_bytes(text.as_bytes()).unwrap();
    let parsed: toml_edit::DocumentMut = text.parse().unwrap();
    let plan = load::load(parsed.as_table(), text).plan;
    (doc, plan)
}

/// The lines of `after` that `before` does not have, in order.
fn added_lines(before: &[u8], after: &[u8]) -> Vec<String> {
    let before = String::from_utf8_lossy(before);
    let after = String::from_utf8_lossy(after);
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let start = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let end = old[start..]
        .iter()
        .rev()
        .zip(new[start..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    new[start..new.len() - end]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn add_indicator(text: &str, objective_id: &str) -> Vec<String> {
    let (mut doc, plan) = open(text);
    let (country, objective) = plan
        .countries
        .iter()
        .enumerate()
        .find_map(|(c, s)| {
            s.objectives
                .iter()
                .position(|o| o.id.as_ref().and_then(|f| f.value.as_deref()) == Some(objective_id))
                .map(|o| (c, o))
        })
        .unwrap();
    let before = doc.to_bytes();
    let placed = add(&doc, &plan, NewItem::Indicator { country, objective }).unwrap();
    doc.apply(placed.change.edit).unwrap();
    added_lines(&before, &doc.to_bytes())
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[test]
fn an_indicator_after_others_is_indented_like_them() {
    let sample = std::fs::read_to_string(SAMPLE).unwrap();
    let lines = add_indicator(&sample, "POL-ST-1");
    let header = lines
        .iter()
        .find(|l| l.contains("[[country.objective.indicator]]"))
        .unwrap();
    assert_eq!(indent(header), 4, "{lines:#?}");
    for line in lines.iter().filter(|l| l.contains(" = ")) {
        assert_eq!(indent(line), 4, "{lines:#?}");
    }
}

#[test]
fn the_first_indicator_of_an_objective_is_indented_like_those_of_other_objectives() {
    let lines = add_indicator(SECOND_BARE, "POL-ST-2");
    let header = lines
        .iter()
        .find(|l| l.contains("[[country.objective.indicator]]"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert_eq!(indent(header), 4, "{lines:#?}");
    for line in lines.iter().filter(|l| l.contains(" = ")) {
        assert_eq!(indent(line), 4, "{lines:#?}");
    }
}
