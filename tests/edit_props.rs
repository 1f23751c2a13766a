//! Edits of `PlanDocument`: their inverses, applied in reverse order, give back the original
//! bytes exactly.

use toml_edit::{Array, Item, Table, Value};

use scplan::plan::document::{Edit, ItemBody, PlanDocument};
use scplan::plan::model::Collection;
use scplan::plan::schema::TableKind;

/// A new item of a collection, as a header table with its required keys. `marker` makes it
/// recognisable after a re-parse.
fn new_item(kind: TableKind, marker: u32) -> Table {
    let id = format!("NEW-{marker}");
    let pairs: Vec<(&str, Value)> = match kind {
        TableKind::Priority => vec![
            ("id", id.into()),
            ("title", "A new priority".into()),
            ("source", "NDS 2026".into()),
        ],
        TableKind::Country => vec![("code", id.into()), ("name", "Newland".into())],
        TableKind::Objective => vec![
            ("id", id.into()),
            ("kind", "st".into()),
            ("text", "A new objective".into()),
            ("priorities", ["SP-1"].into_iter().collect::<Array>().into()),
        ],
        TableKind::Indicator => vec![("name", id.into()), ("baseline", "0".into())],
        TableKind::Agreement => vec![
            ("id", id.into()),
            ("kind", "mou".into()),
            ("title", "A new agreement".into()),
        ],
        TableKind::Actor => vec![
            ("id", id.into()),
            ("name", "A new actor".into()),
            ("kind", "lab".into()),
        ],
        TableKind::Pool => vec![
            ("id", id.into()),
            ("name", "A new pool".into()),
            (
                "tech_areas",
                ["applied-ai"].into_iter().collect::<Array>().into(),
            ),
        ],
        TableKind::Barrier => vec![("kind", "other".into()), ("text", id.into())],
        TableKind::Waiver => vec![
            ("rule", "SCP301".into()),
            ("item", id.into()),
            ("reason", "Accepted".into()),
        ],
        TableKind::Plan | TableKind::Cui => unreachable!("not a collection"),
    };
    let mut table = Table::new();
    for (key, value) in pairs {
        table.insert(key, Item::Value(value));
    }
    table
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Found by the property test: a new objective given a new indicator, then moved. Moving
/// re-styled the objective's `indicator` sub-table key as if it were a value key (the header
/// became `[[  country.objective.indicator]]`), and the undo of the move, re-inserting a table
/// that had no document position, styled it again instead of restoring it.
#[test]
fn moving_a_new_item_with_a_new_child_and_back_restores_the_bytes() {
    let original = read("tests/fixtures/roundtrip/no-final-newline.toml");
    let mut doc = PlanDocument::from_bytes(&original).unwrap();
    let objectives = Collection::Objectives(0);
    let mut undo = Vec::new();
    let edits = [
        Edit::InsertItem {
            collection: objectives,
            index: 0,
            body: ItemBody::Header(new_item(TableKind::Objective, 0)),
        },
        Edit::InsertItem {
            collection: Collection::Indicators(0, 0),
            index: 0,
            body: ItemBody::Header(new_item(TableKind::Indicator, 1)),
        },
    ];
    for edit in edits {
        undo.push(doc.apply(edit).unwrap());
    }
    let before_move = doc.to_bytes();
    undo.push(
        doc.apply(Edit::MoveItem {
            collection: objectives,
            from: 0,
            to: 1,
        })
        .unwrap(),
    );
    let moved = doc.to_text();
    assert!(
        moved.contains("\n[[country.objective.indicator]]\n"),
        "the moved sub-table's header changed:\n{moved}"
    );
    let back = undo.pop().unwrap();
    doc.apply(back).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&doc.to_bytes()),
        String::from_utf8_lossy(&before_move)
    );
    while let Some(edit) = undo.pop() {
        doc.apply(edit).unwrap();
    }
    assert!(doc.to_bytes() == original);
}

/// Removing a new item and undoing the removal gives back the same bytes even when the item's
/// neighbours are now indented differently from those it was first styled after.
#[test]
fn undoing_the_removal_of_a_new_item_does_not_restyle_it() {
    let original = read("tests/fixtures/roundtrip/no-final-newline.toml");
    let mut doc = PlanDocument::from_bytes(&original).unwrap();
    let barriers = Collection::Barriers(0);
    // The first barrier of the country: no sibling to take an indentation from.
    doc.apply(Edit::InsertItem {
        collection: barriers,
        index: 0,
        body: ItemBody::Header(new_item(TableKind::Barrier, 1)),
    })
    .unwrap();
    // An indented barrier before it, as an editor's template might provide.
    let mut indented = new_item(TableKind::Barrier, 2);
    indented.decor_mut().set_prefix("\n  ");
    for name in ["kind", "text"] {
        indented
            .key_mut(name)
            .unwrap()
            .leaf_decor_mut()
            .set_prefix("  ");
    }
    doc.apply(Edit::InsertItem {
        collection: barriers,
        index: 0,
        body: ItemBody::Header(indented),
    })
    .unwrap();
    let before = doc.to_bytes();
    let undo = doc
        .apply(Edit::RemoveItem {
            collection: barriers,
            index: 1,
        })
        .unwrap();
    doc.apply(undo).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&doc.to_bytes()),
        String::from_utf8_lossy(&before)
    );
}

/// Found by the property test on `comments-everywhere.toml`: in an inline array, moving the
/// last entry first and undoing the move lost the space after the comma, because re-inserting
/// an entry at the end gave it the decor of the entry before it instead of its own.
#[test]
fn undoing_a_move_in_an_inline_array_restores_the_bytes() {
    let original = read("tests/fixtures/roundtrip/comments-everywhere.toml");
    let mut doc = PlanDocument::from_bytes(&original).unwrap();
    let indicators = Collection::Indicators(0, 0);
    assert_eq!(doc.len(indicators), 2);
    let undo = doc
        .apply(Edit::MoveItem {
            collection: indicators,
            from: 1,
            to: 0,
        })
        .unwrap();
    doc.apply(undo).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&doc.to_bytes()),
        String::from_utf8_lossy(&original)
    );
    // The same for a removal of the last entry.
    let undo = doc
        .apply(Edit::RemoveItem {
            collection: indicators,
            index: 1,
        })
        .unwrap();
    doc.apply(undo).unwrap();
    assert!(doc.to_bytes() == original);
}
