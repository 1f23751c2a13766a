//! Properties of the three-way merge, on the sample plan and on synthetic plans edited at
//! random through the editing core: a merge with a side that changed nothing gives the other
//! side byte for byte, a merge of one change with itself gives it back, and for two edit sets
//! on different items the merge is the plan both sets make, applied one after the other.

use proptest::prelude::*;
use toml_edit::{Item, Table, Value};

use scplan::merge::{self, Options};
use scplan::plan::document::{Edit, ItemBody, ItemPath, PlanDocument};
use scplan::plan::model::{Collection, Node};
use scplan::plan::schema::TableKind;

/// An item a side may change, by what names it.
#[derive(Debug, Clone)]
enum Target {
    Priority(String),
    Country(String),
    Objective(String),
    Agreement(String),
}

impl Target {
    fn path(&self) -> ItemPath {
        match self {
            Target::Priority(id) => ItemPath::Priority(id.clone()),
            Target::Country(code) => ItemPath::Country(code.clone()),
            Target::Objective(id) => ItemPath::Objective(id.clone()),
            Target::Agreement(id) => ItemPath::Agreement(id.clone()),
        }
    }

    /// Text keys a side may set.
    fn fields(&self) -> &'static [&'static str] {
        match self {
            Target::Priority(_) => &["title", "description", "source"],
            Target::Country(_) => &["name", "summary"],
            Target::Objective(_) => &["text", "marking_justification"],
            Target::Agreement(_) => &["title"],
        }
    }
}

/// One random edit, read against the plan when it is applied.
#[derive(Debug, Clone)]
enum Op {
    /// Sets a text key of one of the side's own items.
    Set {
        pick: usize,
        field: usize,
        text: String,
    },
    /// Removes one of the side's own objectives.
    Remove { pick: usize },
    /// Appends an objective to any country.
    Add { country: usize, text: String },
}

fn op() -> impl Strategy<Value = Op> {
    let text = "[A-Za-z][A-Za-z ,.]{0,24}";
    prop_oneof![
        3 => (any::<usize>(), any::<usize>(), text).prop_map(|(pick, field, text)| Op::Set { pick, field, text }),
        1 => any::<usize>().prop_map(|pick| Op::Remove { pick }),
        1 => (any::<usize>(), text).prop_map(|(country, text)| Op::Add { country, text }),
    ]
}

/// The items of the base plan that side `side` (0 or 1) owns: every other priority and
/// every other country with what it holds, so that the two sides never change one item.
fn owned(base: &PlanDocument, side: usize) -> (Vec<Target>, Vec<String>) {
    let plan = base.load().plan;
    let mut targets = Vec::new();
    for (i, p) in plan.priorities.iter().enumerate() {
        if let (true, Some(id)) = (i % 2 == side, scplan::plan::model::val(&p.id)) {
            targets.push(Target::Priority(id.clone()));
        }
    }
    let mut codes = Vec::new();
    for (i, c) in plan.countries.iter().enumerate() {
        let Some(code) = scplan::plan::model::val(&c.code) else {
            continue;
        };
        codes.push(code.clone());
        if i % 2 != side {
            continue;
        }
        targets.push(Target::Country(code.clone()));
        for o in &c.objectives {
            if let Some(id) = scplan::plan::model::val(&o.id) {
                targets.push(Target::Objective(id.clone()));
            }
        }
        for a in &c.agreements {
            if let Some(id) = scplan::plan::model::val(&a.id) {
                targets.push(Target::Agreement(id.clone()));
            }
        }
    }
    (targets, codes)
}

/// Applies a side's edits to `doc`; `targets` and `codes` are those of the base.
fn apply(doc: &mut PlanDocument, side: usize, ops: &[Op], targets: &[Target], codes: &[String]) {
    let mut removed: Vec<String> = Vec::new();
    // Each side sets its own key of [plan] too.
    let plan_key = ["version", "prepared_by"][side];
    doc.apply(Edit::SetField {
        node: Node::Plan,
        field: plan_key.to_string(),
        value: Some(Value::from(format!("side {side}"))),
    })
    .expect("a plan key is set");
    for (k, op) in ops.iter().enumerate() {
        match op {
            Op::Set { pick, field, text } if !targets.is_empty() => {
                let target = &targets[pick % targets.len()];
                let Some(node) = doc.resolve(&target.path()) else {
                    continue;
                };
                let fields = target.fields();
                let edit = Edit::SetField {
                    node,
                    field: fields[field % fields.len()].to_string(),
                    value: Some(Value::from(text.as_str())),
                };
                doc.apply(edit).expect("a text key is set");
            }
            Op::Remove { pick } if !targets.is_empty() => {
                let Target::Objective(id) = &targets[pick % targets.len()] else {
                    continue;
                };
                if removed.contains(id) {
                    continue;
                }
                if let Some(Node::Item(collection, index)) =
                    doc.resolve(&ItemPath::Objective(id.clone()))
                {
                    doc.apply(Edit::RemoveItem { collection, index })
                        .expect("an objective goes");
                    removed.push(id.clone());
                }
            }
            Op::Add { country, text } if !codes.is_empty() => {
                let code = &codes[country % codes.len()];
                let Some(Node::Item(_, ci)) = doc.resolve(&ItemPath::Country(code.clone())) else {
                    continue;
                };
                let Some(collection) = Collection::of_country(TableKind::Objective, ci) else {
                    continue;
                };
                let mut table = Table::new();
                table.insert(
                    "id",
                    toml_edit::value(format!("{code}-SC-{}", 500 + 100 * side + k)),
                );
                table.insert("kind", toml_edit::value("sc"));
                table.insert("text", toml_edit::value(text.as_str()));
                let index = doc.len(collection);
                let body = ItemBody::Header(table);
                doc.apply(Edit::InsertItem {
                    collection,
                    index,
                    body,
                })
                .expect("an objective is added");
            }
            _ => {}
        }
    }
}

/// The base plans: the sample plan (comments, blank lines, multi-line strings) and small
/// synthetic plans.
fn base() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(include_bytes!("../plans/eucom-sample.toml").to_vec()),
        (0u64..4).prop_map(|seed| scplan::synth::generate(4, 3, 0.0, seed).into_bytes()),
    ]
}

fn edited(base: &[u8], side: usize, ops: &[Op]) -> Vec<u8> {
    let mut doc = PlanDocument::from_bytes(base).expect("the base loads");
    let (targets, codes) = owned(&doc, side);
    apply(&mut doc, side, ops, &targets, &codes);
    doc.to_bytes()
}

fn structural(base: &[u8], ours: &[u8], theirs: &[u8]) -> merge::Merged {
    merge::merge_versions(base, ours, theirs, &Options::default()).expect("the versions merge")
}

/// A plan's data, for comparing documents whatever their formatting.
fn data(bytes: &[u8]) -> toml::Table {
    std::str::from_utf8(bytes)
        .expect("UTF-8")
        .parse()
        .expect("TOML")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn a_side_that_changed_nothing_gives_the_other_byte_for_byte(
        base in base(),
        ops in proptest::collection::vec(op(), 1..8),
    ) {
        let a = edited(&base, 0, &ops);
        let b = edited(&base, 1, &ops);
        for (merged, expected) in [
            (structural(&base, &a, &base), &a),
            (structural(&base, &base, &b), &b),
            (structural(&base, &a, &a), &a),
            (merge::merge(&base, &a, &base, &Options::default()).unwrap(), &a),
            (merge::merge(&base, &base, &b, &Options::default()).unwrap(), &b),
            (merge::merge(&base, &a, &a, &Options::default()).unwrap(), &a),
        ] {
            prop_assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
            prop_assert_eq!(
                String::from_utf8_lossy(&merged.bytes),
                String::from_utf8_lossy(expected)
            );
        }
    }

    #[test]
    fn two_edit_sets_on_different_items_merge_into_both_applied(
        base in base(),
        ours_ops in proptest::collection::vec(op(), 0..8),
        theirs_ops in proptest::collection::vec(op(), 0..8),
    ) {
        let ours = edited(&base, 0, &ours_ops);
        let theirs = edited(&base, 1, &theirs_ops);
        let mut both = PlanDocument::from_bytes(&ours).expect("ours loads");
        let start = PlanDocument::from_bytes(&base).expect("the base loads");
        let (targets, codes) = owned(&start, 1);
        apply(&mut both, 1, &theirs_ops, &targets, &codes);
        let merged = structural(&base, &ours, &theirs);
        prop_assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        prop_assert!(merged.renamings.is_empty());
        prop_assert_eq!(data(&merged.bytes), data(&both.to_bytes()));
    }
}

#[test]
fn a_merge_is_a_plan_the_checker_reads() {
    let base = include_bytes!("../plans/eucom-sample.toml");
    let ops = [
        Op::Add {
            country: 0,
            text: "ours".to_string(),
        },
        Op::Set {
            pick: 1,
            field: 0,
            text: "Ours' words".to_string(),
        },
    ];
    let theirs_ops = [Op::Add {
        country: 0,
        text: "theirs".to_string(),
    }];
    let merged = structural(base, &edited(base, 0, &ops), &edited(base, 1, &theirs_ops));
    let checked = scplan::check::check_bytes(&merged.bytes, &Default::default()).unwrap();
    assert!(checked.plan.is_some());
    let doc = PlanDocument::from_bytes(&merged.bytes).unwrap();
    let country = doc.resolve(&ItemPath::Country("POL".to_string()));
    let Some(Node::Item(_, ci)) = country else {
        panic!("POL is there");
    };
    let objectives = Collection::of_country(TableKind::Objective, ci).unwrap();
    let ids: Vec<String> = (0..doc.len(objectives))
        .filter_map(|i| match doc.get(Node::Item(objectives, i), "id") {
            Some(Item::Value(Value::String(s))) => Some(s.value().clone()),
            _ => None,
        })
        .collect();
    assert!(
        ids.ends_with(&["POL-SC-500".to_string(), "POL-SC-600".to_string()]),
        "{ids:?}"
    );
}
