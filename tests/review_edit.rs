//! The editing core of link review (`scplan::edit::review`): stamps written, re-written and
//! removed without disturbing the rest of the file, in every spelling of `reviewed_links`; the
//! review queue; adoption that never overwrites a differing stamp; every edit undone to the
//! original bytes. The stamps here are those of the test vectors in `src/plan/review.rs`.

use scplan::check::{self, Settings};
use scplan::edit::review::{self, ReviewError, Target};
use scplan::plan::document::{Edit, PlanDocument};
use scplan::plan::model::Plan;
use scplan::plan::review::LinkState;

/// The stamp of SP-1 ("Deter aggression (fictional)", "NDS 2026").
const SP1: &str = "0989eac9";
/// The stamp of SP-2 ("Build partner capacity (fictional)", "NDS 2026").
const SP2: &str = "b0fcee4e";

/// A plan of two priorities and two objectives; `stamps` is inserted into POL-ST-1 after its
/// target date, `extra` at the end of `[plan]`.
fn plan_text(extra: &str, stamps: &str) -> String {
    format!(
        r#"[plan]
format = 1
id = "TEST-TCP-FY27"
title = "Fixture plan (fictional)"
command = "USEUCOM"
version = "1.0"
effective = 2026-10-01
period_end = 2031-09-30
marking = "UNCLASSIFIED"
{extra}
[[priority]]
id = "SP-1"
title = "Deter aggression (fictional)"
source = "NDS 2026"

[[priority]]
id = "SP-2"
title = "Build partner capacity (fictional)"
source = "NDS 2026"

[[country]]
code = "POL"
name = "Poland"

  [[country.objective]]
  id = "POL-ST-1"
  kind = "st"
  text = "Joint applied AI research (fictional)"
  priorities = ["SP-1", "SP-2"]
  tech_areas = ["applied-ai"]
  governance = ["POL-AG-1"]
  target_date = 2029-09-30
{stamps}
    [[country.objective.indicator]]
    name = "Joint projects started"
    baseline = "0"
    target = "3"

  [[country.objective]]
  id = "POL-SC-1"
  kind = "sc"
  text = "Staff talks (fictional)"
  priorities = ["SP-2"]
  target_date = 2029-09-30

  [[country.agreement]]
  id = "POL-AG-1"
  kind = "project-arrangement"
  title = "Applied AI project arrangement (fictional)"
  signed = 2021-03-01
  expires = 2032-03-01
  last_reviewed = 2026-02-01
"#
    )
}

fn open(text: &str) -> (PlanDocument, Plan) {
    review::open(text.as_bytes(), &Settings::default()).expect("the plan opens")
}

/// Applies `edit`, then its inverse: the text after the edit, and a check that the undo gives
/// back the original bytes.
fn apply_and_undo(doc: &mut PlanDocument, edit: Edit) -> String {
    let original = doc.to_bytes();
    let inverse = doc.apply(edit).expect("the edit applies");
    let after = doc.to_text();
    doc.apply(inverse).expect("the undo applies");
    assert_eq!(
        String::from_utf8_lossy(&doc.to_bytes()),
        String::from_utf8_lossy(&original),
        "the undo gives back the original"
    );
    after
}

/// The lines of `b` that differ from those of `a` (same number of lines).
fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
    assert_eq!(a.lines().count(), b.lines().count(), "{a}\n---\n{b}");
    a.lines()
        .zip(b.lines())
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect()
}

fn codes(text: &str) -> Vec<(&'static str, String)> {
    check::check_text(text.to_string(), &Settings::default())
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.item.to_string()))
        .collect()
}

fn link(objective: &str, priority: &str) -> Target {
    Target::Link(objective.to_string(), priority.to_string())
}

#[test]
fn confirming_changes_only_the_stamp_value_of_an_inline_table() {
    let text = plan_text(
        "",
        "  reviewed_links = {SP-1=\"00000000\" ,  SP-2 = \"b0fcee4e\"}  # reviewed in J5\n",
    );
    assert!(codes(&text).contains(&("SCP109", "POL-ST-1".to_string())));
    let (mut doc, plan) = open(&text);
    let done = review::confirm(&doc, &plan, &[link("POL-ST-1", "SP-1")]).unwrap();
    assert_eq!(done.stamped.len(), 1);
    assert_eq!(done.stamped[0].stamp, SP1);
    let after = apply_and_undo(&mut doc, done.edit.expect("an edit"));
    assert_eq!(
        changed_lines(&text, &after),
        [(
            "  reviewed_links = {SP-1=\"00000000\" ,  SP-2 = \"b0fcee4e\"}  # reviewed in J5"
                .into(),
            format!(
                "  reviewed_links = {{SP-1=\"{SP1}\" ,  SP-2 = \"b0fcee4e\"}}  # reviewed in J5"
            )
        )]
    );
    assert!(codes(&after).is_empty(), "{:?}", codes(&after));
    // Confirming again has nothing to write.
    let (doc, plan) = open(&after);
    assert!(
        review::confirm(&doc, &plan, &[link("POL-ST-1", "SP-1")])
            .unwrap()
            .edit
            .is_none()
    );
}

#[test]
fn a_first_stamp_is_an_inline_table_on_one_line_in_the_order_of_priorities() {
    let text = plan_text("", "");
    let (mut doc, plan) = open(&text);
    let done = review::confirm(&doc, &plan, &[Target::Objective("POL-ST-1".into())]).unwrap();
    let after = apply_and_undo(&mut doc, done.edit.unwrap());
    assert!(
        after.contains(&format!(
            "  target_date = 2029-09-30\n  reviewed_links = {{ SP-1 = \"{SP1}\", SP-2 = \"{SP2}\" }}\n"
        )),
        "{after}"
    );
    assert_eq!(after.lines().count(), text.lines().count() + 1);
}

#[test]
fn linking_writes_the_stamp_and_unlinking_removes_it() {
    let text = plan_text("", &format!("  reviewed_links = {{ SP-2 = \"{SP2}\" }}\n"));
    let (mut doc, plan) = open(&text.replace(
        "priorities = [\"SP-1\", \"SP-2\"]",
        "priorities = [\"SP-2\"]",
    ));
    let node = plan.countries[0].objectives[0].head.node;
    // The picker now lists SP-1 before SP-2: the new key goes first.
    let links = ["SP-1".to_string(), "SP-2".to_string()];
    let stamps = review::relink(&doc, &plan, node, &links).unwrap().unwrap();
    let priorities = Edit::SetField {
        node,
        field: "priorities".into(),
        value: Some(toml_edit::Value::Array(links.iter().collect())),
    };
    let after = apply_and_undo(&mut doc, Edit::Batch(vec![priorities, stamps]));
    assert!(
        after.contains(&format!(
            "  reviewed_links = {{ SP-1 = \"{SP1}\", SP-2 = \"{SP2}\" }}\n"
        )),
        "{after}"
    );
    assert!(codes(&after).is_empty(), "{:?}", codes(&after));
    // Unlinking SP-2, then SP-1: the key goes, then `reviewed_links` itself.
    let (mut doc, plan) = open(&after);
    let only = ["SP-1".to_string()];
    let edit = review::relink(&doc, &plan, node, &only).unwrap().unwrap();
    let fewer = apply_and_undo(&mut doc, edit);
    assert!(
        fewer.contains(&format!("  reviewed_links = {{ SP-1 = \"{SP1}\" }}\n")),
        "{fewer}"
    );
    let edit = review::relink(&doc, &plan, node, &[]).unwrap().unwrap();
    let none = apply_and_undo(&mut doc, edit);
    assert!(!none.contains("reviewed_links"), "{none}");
}

#[test]
fn a_sub_table_keeps_its_form_and_new_keys_follow_the_links() {
    let stamps = format!("\n    [country.objective.reviewed_links]\n    SP-2 = \"{SP2}\"  # ok\n");
    let text =
        plan_text("", &stamps).replace("title = \"Build partner", "title = \"Build more partner");
    let (mut doc, plan) = open(&text);
    let done = review::confirm(&doc, &plan, &[Target::Objective("POL-ST-1".into())]).unwrap();
    assert_eq!(done.stamped.len(), 2, "{:?}", done.stamped);
    let sp2 = done.stamped[1].stamp.clone();
    let after = apply_and_undo(&mut doc, done.edit.unwrap());
    assert!(
        after.contains(&format!(
            "    [country.objective.reviewed_links]\n    SP-1 = \"{SP1}\"\n    SP-2 = \"{sp2}\"  # ok\n\n    [[country.objective.indicator]]"
        )),
        "{after}"
    );
    assert!(codes(&after).is_empty(), "{:?}", codes(&after));
    // Only a value changes: the rest of the sub-table stays byte for byte.
    let (mut doc, plan) = open(&after.replace(SP1, "00000000"));
    let done = review::confirm(&doc, &plan, &[link("POL-ST-1", "SP-1")]).unwrap();
    let again = apply_and_undo(&mut doc, done.edit.unwrap());
    assert_eq!(again, after);
    // Unlinking removes the key from the sub-table, and the last one the sub-table.
    let (mut doc, plan) = open(&after);
    let node = plan.countries[0].objectives[0].head.node;
    let edit = review::relink(&doc, &plan, node, &["SP-1".to_string()]).unwrap();
    let fewer = apply_and_undo(&mut doc, edit.unwrap());
    assert!(
        fewer.contains(&format!(
            "    [country.objective.reviewed_links]\n    SP-1 = \"{SP1}\"\n\n    [[country.objective.indicator]]"
        )),
        "{fewer}"
    );
    let edit = review::relink(&doc, &plan, node, &[]).unwrap();
    let none = apply_and_undo(&mut doc, edit.unwrap());
    assert!(!none.contains("reviewed_links"), "{none}");
}

#[test]
fn dotted_stamps_are_rewritten_in_place() {
    let stamps =
        format!("  reviewed_links.SP-1 = \"00000000\"\n  reviewed_links.SP-2 = \"{SP2}\"\n");
    let text = plan_text("", &stamps);
    let (mut doc, plan) = open(&text);
    let done = review::confirm(&doc, &plan, &[Target::Priority("SP-1".into())]).unwrap();
    let after = apply_and_undo(&mut doc, done.edit.unwrap());
    assert_eq!(
        changed_lines(&text, &after),
        [(
            "  reviewed_links.SP-1 = \"00000000\"".into(),
            format!("  reviewed_links.SP-1 = \"{SP1}\"")
        )]
    );
    // A new dotted key goes in the order of the links, indented like the others.
    let text = plan_text("", &format!("  reviewed_links.SP-2 = \"{SP2}\"\n"));
    let (mut doc, plan) = open(&text);
    let done = review::confirm(&doc, &plan, &[Target::Objective("POL-ST-1".into())]).unwrap();
    let after = apply_and_undo(&mut doc, done.edit.unwrap());
    assert!(
        after.contains(&format!(
            "  reviewed_links.SP-1 = \"{SP1}\"\n  reviewed_links.SP-2 = \"{SP2}\"\n"
        )),
        "{after}"
    );
}

#[test]
fn confirming_all_links_of_a_priority_stamps_every_objective_that_links_it() {
    let text = plan_text("link_review = true\n", "");
    let (mut doc, plan) = open(&text);
    let done = review::confirm(&doc, &plan, &[Target::Priority("SP-2".into())]).unwrap();
    let who: Vec<&str> = done.stamped.iter().map(|s| s.objective.as_str()).collect();
    assert_eq!(who, ["POL-ST-1", "POL-SC-1"]);
    let after = apply_and_undo(&mut doc, done.edit.unwrap());
    let left = codes(&after);
    assert_eq!(left, [("SCP110", "POL-ST-1".to_string())], "SP-1 is left");
}

#[test]
fn confirming_refuses_what_does_not_exist() {
    let (doc, plan) = open(&plan_text("", ""));
    let err = |targets: &[Target]| review::confirm(&doc, &plan, targets).unwrap_err();
    assert_eq!(
        err(&[link("POL-ST-9", "SP-1")]),
        ReviewError::NoSuchObjective("POL-ST-9".into())
    );
    assert_eq!(
        err(&[link("POL-ST-1", "SP-9")]),
        ReviewError::NoSuchPriority("SP-9".into())
    );
    assert_eq!(
        err(&[Target::Priority("SP-9".into())]),
        ReviewError::NoSuchPriority("SP-9".into())
    );
    assert_eq!(
        err(&[link("POL-SC-1", "SP-1")]).to_string(),
        "POL-SC-1 does not link SP-1: nothing to confirm"
    );
    let (doc, plan) = open(&plan_text("", "  reviewed_links = \"0989eac9\"\n"));
    assert_eq!(
        review::confirm(&doc, &plan, &[link("POL-ST-1", "SP-1")]).unwrap_err(),
        ReviewError::NotATable("POL-ST-1".into())
    );
}

#[test]
fn adoption_stamps_what_has_no_stamp_and_keeps_what_differs() {
    let text = plan_text(
        "link_review = true\n",
        "  reviewed_links = { SP-1 = \"00000000\" }\n",
    );
    let (mut doc, plan) = open(&text);
    let done = review::unstamped(&plan).edits(&doc).unwrap();
    let stamped: Vec<(&str, &str)> = done
        .stamped
        .iter()
        .map(|s| (s.objective.as_str(), s.priority.as_str()))
        .collect();
    assert_eq!(stamped, [("POL-ST-1", "SP-2"), ("POL-SC-1", "SP-2")]);
    assert_eq!(done.kept.len(), 1);
    assert_eq!(done.kept[0].stored.as_deref(), Some("00000000"));
    assert_eq!(done.kept[0].current, SP1);
    let after = apply_and_undo(&mut doc, done.edit.unwrap());
    assert!(
        after.contains(&format!(
            "  reviewed_links = {{ SP-1 = \"00000000\", SP-2 = \"{SP2}\" }}\n"
        )),
        "{after}"
    );
    assert_eq!(codes(&after), [("SCP109", "POL-ST-1".to_string())]);
}

#[test]
fn the_queue_holds_suspect_links_and_with_link_review_unstamped_ones_by_priority() {
    let stamps = "  reviewed_links = { SP-1 = \"00000000\" }\n";
    let (_, plan) = open(&plan_text("", stamps));
    let queue = review::queue(&plan);
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].priority, "SP-1");
    assert_eq!(queue[0].stamp, SP1);
    assert_eq!(queue[0].links[0].objective, "POL-ST-1");
    assert_eq!(
        queue[0].links[0].state,
        LinkState::Suspect {
            stored: "00000000".into()
        }
    );
    let (_, plan) = open(&plan_text("link_review = true\n", stamps));
    let queue = review::queue(&plan);
    let groups: Vec<(&str, Vec<&str>)> = queue
        .iter()
        .map(|g| {
            (
                g.priority.as_str(),
                g.links.iter().map(|l| l.objective.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("SP-1", vec!["POL-ST-1"]),
            ("SP-2", vec!["POL-ST-1", "POL-SC-1"])
        ]
    );
    assert_eq!(queue[1].links[0].state, LinkState::Unstamped);
    assert_eq!(queue[1].links[0].country, "POL");
}

/// The editor re-reads only the part an edit touched; a priority's text and `link_review`
/// decide the link-review findings of every section, which must follow.
#[test]
fn the_editor_s_incremental_check_follows_priority_texts_and_link_review() {
    use scplan::check::live::LivePlan;
    use scplan::plan::model::{Collection, Node};
    let text = plan_text(
        "link_review = false\n",
        &format!("  reviewed_links = {{ SP-1 = \"{SP1}\", SP-2 = \"{SP2}\" }}\n"),
    );
    let settings = Settings::default();
    let (mut doc, mut live) = LivePlan::open(text.as_bytes(), &settings).unwrap();
    let edits = [
        (
            Node::Item(Collection::Priorities, 0),
            "title",
            "Deter all aggression (fictional)",
        ),
        (
            Node::Item(Collection::Priorities, 1),
            "description",
            "Now with training",
        ),
    ];
    let mut expected = vec!["SCP109"];
    for (node, field, value) in edits {
        let edit = Edit::SetField {
            node,
            field: field.into(),
            value: Some(value.into()),
        };
        let region = live
            .locate(&mut doc, edit.part().unwrap())
            .expect("the part is found");
        doc.apply(edit).unwrap();
        assert!(
            live.part_changed(&mut doc, region, &settings),
            "re-read alone"
        );
        let full = LivePlan::reload(&doc, &settings);
        assert_eq!(live.diagnostics, full.diagnostics, "after {field}");
        let codes: Vec<&str> = live.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, expected);
        expected.push("SCP109");
    }
    let edit = Edit::SetField {
        node: Node::Plan,
        field: "link_review".into(),
        value: Some(true.into()),
    };
    let region = live
        .locate(&mut doc, edit.part().unwrap())
        .expect("[plan] is found");
    doc.apply(edit).unwrap();
    assert!(
        live.part_changed(&mut doc, region, &settings),
        "re-read alone"
    );
    let full = LivePlan::reload(&doc, &settings);
    assert_eq!(live.diagnostics, full.diagnostics, "after link_review");
    assert!(
        live.diagnostics.iter().any(|d| d.code == "SCP110"),
        "POL-SC-1 has no stamp"
    );
}
