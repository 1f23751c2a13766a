//! The editor's derived state after the edits that used to derive everything again: country
//! sections added, removed, moved and copied, the technology list changed, the first waiver
//! and batches over a few parts. After each edit and each undo, the live plan must equal what
//! deriving everything from the document gives, and must have been derived part by part.

use proptest::prelude::*;
use proptest::sample::Index;
use toml_edit::{Item, Value};

use scplan::check::Settings;
use scplan::check::live::LivePlan;
use scplan::edit::items::{self, NewItem};
use scplan::edit::rename;
use scplan::plan::document::{Edit, ItemBody, PlanDocument, clear_positions};
use scplan::plan::model::{Collection, Node, val};

#[path = "support/props.rs"]
mod props;

#[derive(Debug, Clone)]
enum Op {
    AddCountry(Index),
    Delete(Index),
    Move(Index, Index),
    Copy(Index, Index),
    TechList(bool),
    Waiver,
    DeleteWithReferences(Index),
    /// A priority (`true`) or an agreement renamed with its references.
    Rename(Index, bool),
    Undo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => any::<Index>().prop_map(Op::AddCountry),
        2 => any::<Index>().prop_map(Op::Delete),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Op::Move(a, b)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Op::Copy(a, b)),
        1 => any::<bool>().prop_map(Op::TechList),
        1 => Just(Op::Waiver),
        1 => any::<Index>().prop_map(Op::DeleteWithReferences),
        2 => (any::<Index>(), any::<bool>()).prop_map(|(i, p)| Op::Rename(i, p)),
        3 => Just(Op::Undo),
    ]
}

/// The edit an operation makes on the current plan, if it applies.
fn resolve(doc: &PlanDocument, live: &LivePlan, op: &Op) -> Option<Edit> {
    let plan = &live.plan;
    let n = plan.countries.len();
    let addable = items::addable_countries(plan);
    Some(match op {
        Op::AddCountry(i) => {
            let (code, _) = addable.get(i.index(addable.len().max(1)))?;
            items::add_country(plan, code).ok()?.change.edit
        }
        // The last section stays, so that every edit has a neighbour to be placed by.
        Op::Delete(i) if n > 1 => Edit::RemoveItem {
            collection: Collection::Countries,
            index: i.index(n),
        },
        Op::DeleteWithReferences(i) if n > 1 => {
            let node = Node::Item(Collection::Countries, i.index(n));
            let deletion = items::delete(doc, plan, node).ok()?;
            deletion
                .with_references
                .map_or(deletion.alone, |(_, c)| c)
                .edit
        }
        Op::Move(a, b) if n > 1 => Edit::MoveItem {
            collection: Collection::Countries,
            from: a.index(n),
            to: b.index(n),
        },
        // A copy of a section under another code: a whole section with positions cleared.
        Op::Copy(a, b) if n > 0 => {
            let (code, _) = addable.first()?;
            let Some(ItemBody::Header(mut table)) =
                doc.item_body(Collection::Countries, a.index(n))
            else {
                return None;
            };
            clear_positions(&mut table);
            table.insert("code", Item::Value(Value::from(*code)));
            Edit::InsertItem {
                collection: Collection::Countries,
                index: b.index(n + 1),
                body: ItemBody::Header(table),
            }
        }
        Op::TechList(old) => Edit::SetField {
            node: Node::Plan,
            field: "tech_list".to_string(),
            value: Some(Value::from(if *old { "2022" } else { "2025" })),
        },
        Op::Waiver => items::add(doc, plan, NewItem::Waiver).ok()?.change.edit,
        Op::Rename(i, priority) => {
            let named: Vec<(Node, &str)> = if *priority {
                let ids = plan.priorities.iter().enumerate();
                ids.filter_map(|(pi, p)| {
                    Some((Node::Item(Collection::Priorities, pi), val(&p.id)?.as_str()))
                })
                .collect()
            } else {
                let sections = plan.countries.iter().enumerate();
                sections
                    .flat_map(|(ci, c)| {
                        c.agreements.iter().enumerate().filter_map(move |(ai, a)| {
                            Some((
                                Node::Item(Collection::Agreements(ci), ai),
                                val(&a.id)?.as_str(),
                            ))
                        })
                    })
                    .collect()
            };
            let (node, old) = *named.get(i.index(named.len().max(1)))?;
            let new = format!("{old}-R");
            rename::rename(doc, plan, node, "id", old, &new)?
                .with_references
                .edit
        }
        _ => return None,
    })
}

/// Applies `edit` and compares the live plan with deriving everything again.
fn apply(doc: &mut PlanDocument, live: &mut LivePlan, edit: Edit, what: &str) -> Edit {
    let settings = Settings::default();
    let inverse = live
        .apply(doc, edit, &settings)
        .unwrap_or_else(|e| panic!("{what}: refused: {e}"));
    let full = LivePlan::reload(doc, &settings);
    assert_eq!(live.text(), full.text(), "{what}: the texts differ");
    assert_eq!(live.plan, full.plan, "{what}: the plans differ");
    assert_eq!(
        live.diagnostics, full.diagnostics,
        "{what}: the diagnostics differ"
    );
    assert_eq!(live.required, full.required, "{what}: the banners differ");
    inverse
}

fn run(name: &str, original: &[u8], ops: &[Op]) {
    let settings = Settings::default();
    let (mut doc, mut live) = LivePlan::open(original, &settings).expect("the plan opens");
    let mut undo: Vec<(Edit, String)> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        if let Op::Undo = op {
            if let Some((inverse, what)) = undo.pop() {
                apply(
                    &mut doc,
                    &mut live,
                    inverse,
                    &format!("{name}: undo of {what}"),
                );
            }
            continue;
        }
        let Some(edit) = resolve(&doc, &live, op) else {
            continue;
        };
        let what = format!("{name}, step {step}: {op:?}");
        let inverse = apply(&mut doc, &mut live, edit, &what);
        undo.push((inverse, what));
    }
    while let Some((inverse, what)) = undo.pop() {
        apply(
            &mut doc,
            &mut live,
            inverse,
            &format!("{name}: undo of {what}"),
        );
    }
    assert!(
        doc.to_bytes() == original,
        "{name}: not back to the original"
    );
    assert_eq!(
        live.reloads(),
        0,
        "{name}: every edit was taken part by part"
    );
}

proptest! {
    #![proptest_config(props::config(48))]

    #[test]
    fn section_edits_on_a_synthetic_plan_with_defects(
        seed in 0u64..1000,
        ops in proptest::collection::vec(op(), 1..=10),
    ) {
        let text = scplan::synth::generate(4, 3, 0.3, seed);
        run("synthetic 4x3", text.as_bytes(), &ops);
    }

    /// Renames whose references lie in more sections than a batch is taken part by part
    /// over: the lists are set in place.
    #[test]
    fn renames_over_many_sections(
        seed in 0u64..1000,
        ops in proptest::collection::vec(op(), 1..=6),
    ) {
        let text = scplan::synth::generate(20, 2, 0.3, seed);
        run("synthetic 20x2", text.as_bytes(), &ops);
    }

    #[test]
    fn section_edits_on_the_samples(ops in proptest::collection::vec(op(), 1..=10)) {
        for path in ["plans/eucom-sample.toml", "plans/indopacom-sample.toml"] {
            let bytes = std::fs::read(path).expect("the sample reads");
            run(path, &bytes, &ops);
        }
    }
}

/// A document whose tables are not written in tree order (a priority between two sections)
/// is still derived correctly: by deriving everything again.
#[test]
fn a_section_edit_out_of_tree_order_derives_everything() {
    let text = scplan::synth::generate(3, 2, 0.0, 1);
    let second = text
        .match_indices("\n[[country]]")
        .nth(1)
        .map(|(i, _)| i + 1)
        .expect("three sections");
    let moved = format!(
        "{}[[priority]]\nid = \"SP-LATE\"\ntitle = \"Late\"\nsource = \"s\"\n\n{}",
        &text[..second],
        &text[second..]
    );
    let settings = Settings::default();
    let (mut doc, mut live) = LivePlan::open(moved.as_bytes(), &settings).expect("opens");
    let edit = Edit::MoveItem {
        collection: Collection::Countries,
        from: 0,
        to: 2,
    };
    let inverse = apply(&mut doc, &mut live, edit, "move across a priority");
    assert_eq!(live.reloads(), 1, "derived everything again");
    apply(&mut doc, &mut live, inverse, "undo");
    assert!(doc.to_bytes() == moved.as_bytes());
}
