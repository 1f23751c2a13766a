//! The read-only `check` path reads a compact tree built from toml_parser's events; the
//! editor reads toml_edit's document; toml's span-keeping `DeTable` is what the compact tree
//! copies. All must build the same plan and the same diagnostics, which this holds for every
//! fixture, every sample plan, synthetic plans with defects, TOML corner cases and random and
//! mutated TOML: wherever the compact tree reads a document, toml and toml_edit read it too,
//! the compact tree equals toml's node for node, span for span, and the plan and diagnostics
//! equal both other paths'.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use scplan::check::{self, Settings};
use scplan::plan::load::{self, Loaded};
use scplan::plan::tree::{DeNode, TreeNode};
use scplan::plan::{compact, source};
use scplan::synth;

/// Every `.toml` file under `dir`, at any depth.
fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "toml") {
            out.push(path);
        }
    }
}

/// Fails with the first line where the two values' pretty debug forms differ.
fn same<T: std::fmt::Debug>(what: &str, fast: &T, editing: &T) {
    let (fast, editing) = (format!("{fast:#?}"), format!("{editing:#?}"));
    let (a, b): (Vec<&str>, Vec<&str>) = (fast.lines().collect(), editing.lines().collect());
    if let Some(i) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
        let from = i.saturating_sub(12);
        panic!(
            "{what}: the first gives\n{}\n  where the second gives\n{}",
            a[from..a.len().min(i + 2)].join("\n"),
            b[from..b.len().min(i + 2)].join("\n"),
        );
    }
}

/// Everything the loader can ask of a tree, written out: every node's kind, table span and
/// implicitness, every entry's key and key span (also as `get` and `key_span` give them), in
/// the tree's order, and every element.
fn dump<'a, N: TreeNode<'a>>(node: N, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{pad}{:?} table_span={:?} implicit={} values={}",
        node.kind(),
        node.table_span(),
        node.is_implicit(),
        node.has_values(),
    );
    for (key, span, child) in node.entries() {
        let by_get = node.get(key).map(|n| format!("{:?}", n.kind()));
        let _ = writeln!(
            out,
            "{pad}- {key:?} at {span:?} (key_span {:?}, get {by_get:?})",
            node.key_span(key)
        );
        dump(child, depth + 1, out);
    }
    for element in node.elements() {
        let _ = writeln!(out, "{pad}*");
        dump(element, depth + 1, out);
    }
}

/// The plan as toml's `DeTable` reads it (the check path before the compact tree), when toml
/// reads the text and every number fits.
fn load_de(text: &str) -> Option<Loaded> {
    let tree = toml::de::DeTable::parse(text).ok()?;
    let root = tree.get_ref();
    scplan::plan::tree::numbers_fit(root).then(|| load::load_tree(DeNode::root(root, text), text))
}

/// Whether the compact tree reads `text`; when it does, toml and toml_edit read it too and
/// toml's tree is the same as the compact one.
fn compact_agrees(what: &str, text: &str) -> bool {
    let Some(tree) = compact::parse(text) else {
        return false;
    };
    let de = toml::de::DeTable::parse(text)
        .unwrap_or_else(|e| panic!("{what}: the compact tree reads what toml refuses: {e}"));
    assert!(
        scplan::plan::tree::numbers_fit(de.get_ref()),
        "{what}: the compact tree reads a number toml_edit refuses"
    );
    assert!(
        toml_edit::Document::parse(text).is_ok(),
        "{what}: the compact tree reads what toml_edit refuses"
    );
    let (mut a, mut b) = (String::new(), String::new());
    dump(tree.root(), 0, &mut a);
    dump(DeNode::root(de.get_ref(), text), 0, &mut b);
    same(&format!("{what}: compact tree vs toml's"), &a, &b);
    true
}

/// Checks that every path agrees on `text`; returns whether the fast path read it itself.
fn agree(what: &str, text: &str) -> bool {
    let settings = Settings::default();
    let compact = compact_agrees(what, text);
    let editing = check::load_editing(text);
    let de = load_de(text);
    let Some(fast) = check::load_fast(text) else {
        assert!(
            !compact,
            "{what}: load_fast refused what the compact tree reads"
        );
        match (&de, &editing) {
            // Read by toml alone, which the loader never relied on; none of the documents here.
            (Some(_), Err(d)) => panic!("{what}: toml reads what toml_edit refuses: {d:?}"),
            // One the compact tree is not sure of: toml's tree still gives the editor's plan.
            (Some(de), Ok(editing)) => {
                same(what, &de.plan, &editing.plan);
                same(
                    what,
                    &check::finish(&de.plan, de.diagnostics.clone(), &settings),
                    &check::finish(&editing.plan, editing.diagnostics.clone(), &settings),
                );
            }
            // Refused by toml too: then toml_edit must refuse it, and check reports its SCP001.
            (None, _) => assert!(
                editing.is_err(),
                "{what}: toml refused what toml_edit reads"
            ),
        }
        assert_eq!(check::load_text(text), editing, "{what}");
        return false;
    };
    assert!(
        compact,
        "{what}: load_fast read what the compact tree refuses"
    );
    loads_agree(what, fast, de, editing);
    true
}

/// For a document load_fast reads: the plan and the findings, in the same order before any
/// sorting, are toml's tree's, and the plan and the sorted findings are toml_edit's.
fn loads_agree(
    what: &str,
    fast: Loaded,
    de: Option<Loaded>,
    editing: Result<Loaded, Box<scplan::check::diagnostic::Diagnostic>>,
) {
    let settings = Settings::default();
    let de = de.unwrap_or_else(|| panic!("{what}: toml refused what load_fast reads"));
    same(what, &fast, &de);
    let editing = editing.unwrap_or_else(|d| panic!("{what}: toml_edit refused it: {d:?}"));
    same(what, &fast.plan, &editing.plan);
    same(
        what,
        &check::finish(&fast.plan, fast.diagnostics, &settings),
        &check::finish(&editing.plan, editing.diagnostics, &settings),
    );
}

/// For any text: whatever the compact tree reads, toml and toml_edit read too, toml's tree is
/// the same, and load_fast gives exactly the plan and the findings toml's tree gave before the
/// compact tree; whatever it refuses, load_fast refuses.
///
/// Not the plan and findings of toml_edit's path: on random documents the loader already
/// located a few findings differently on toml's tree than on toml_edit's before the compact
/// tree (a table that only a longer header's path made, under an item of an array of tables,
/// such as `objective` in `[[country]]` then `[[country.objective.indicator]]`, is reported at
/// the start of that header's path on toml's tree and at its key on toml_edit's). The fixtures
/// above hold all three paths equal.
fn compact_implies_the_rest(text: &str) -> Result<(), TestCaseError> {
    let what = format!("{text:?}");
    let read = compact_agrees(&what, text);
    let fast = check::load_fast(text);
    prop_assert_eq!(fast.is_some(), read, "{}", what);
    if let Some(fast) = fast {
        let de =
            load_de(text).unwrap_or_else(|| panic!("{what}: toml refused what load_fast reads"));
        same(&what, &fast, &de);
    }
    Ok(())
}

#[test]
fn every_fixture_and_sample_plan() {
    let mut files = Vec::new();
    toml_files(Path::new("tests/fixtures"), &mut files);
    toml_files(Path::new("plans"), &mut files);
    files.sort();
    assert!(files.len() > 150, "only {} files", files.len());
    let mut fast = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Ok((text, _)) = source::decode(&bytes) else {
            continue;
        };
        fast += usize::from(agree(&path.display().to_string(), &text));
    }
    // Only files that do not parse at all go the editing path's way (agree() checks that
    // toml_edit refuses each of them too); the rest, well over a hundred, are read by toml.
    assert!(fast > 150, "{fast} of {} read by toml", files.len());
}

#[test]
fn synthetic_plans_with_defects() {
    for seed in 0..4 {
        let text = synth::generate(12, 20, 0.3, seed);
        assert!(agree(&format!("synthetic seed {seed}"), &text));
    }
}

#[test]
fn toml_corner_cases() {
    let plan = "[plan]\nformat = 1\nid = \"P\"\n";
    let cases = [
        "",
        "[plan.cui]\npoc = \"x\"\n",
        "plan.format = 1\nplan.id = \"P\"\n",
        "plan = { format = 1, id = \"P\", cui = { poc = 1 } }\n",
        "[plan]\nformat = 99999999999999999999\n",
        "[plan]\nformat = 1e999\n",
        "[plan]\nformat = -inf\nid = nan\n",
        "[plan]\nformat = 0x7fffffffffffffff\ntitle = 1979-05-27T07:32:00Z\n",
        "[plan]\neffective = 2026-13-01\n",
        "[plan]\neffective = 07:32:00\nperiod_end = 1979-05-27T07:32:00\n",
        "priority = [{ id = \"SP-1\" }, 3]\n",
        "priority = 3\ncountry = [1]\nwaiver = {}\n",
        "[[country]]\ncode = \"POL\"\nobjective = [{ id = \"A\" }]\n[[country.objective]]\n",
        "[[country]]\ncode = \"POL\"\n[[country.objective]]\nid = \"A\"\nindicator.name = \"x\"\n",
        "[[country]]\ncode = \"POL\"\n[country.objective]\nid = \"A\"\n",
        "[[country]]\n\"code\" = 'POL'\n  objective . id = \"x\"\n",
        "[ plan ]\n format = 1\n[[ priority ]]\nid = \"SP-1\"\n",
        "[plan]\nformat = 1\n[plan]\n",
        "a = [[1, 2], [3]]\n[[b]]\n[[b.c]]\nd = 1\n",
        "[plan]\ntitle = \"\"\"\nmulti\nline\"\"\"\nid = 'it''s'\n",
        "[plan]\nid = \"\\u00e9\\t\"\nformat = 1_000\n",
        // Left to toml_edit by the compact tree: dotted keys through an array of tables, and
        // into a table that only a header's path made.
        "[[country.objective]]\n[country]\nobjective.x.id = \"A\"\n",
        "[[country.objective]]\n[country]\nobjective.id = \"A\"\n",
        "[plan.cui.x]\n[plan]\ncui.poc = \"x\"\n",
        // Tables that dotted keys made, extended by headers and headers' paths.
        "plan.cui.poc = 1\n[plan.x]\n",
        "plan.cui.poc = 1\n[plan.cui]\n",
        "[plan]\ncui.poc = 1\n[plan.cui.x]\n",
        "a = { b.c = 1, b.d = 2 }\n",
        "a = { b.c = 1, b = 2 }\n",
        "a = { b = { c = 1 }, b.d = 2 }\n",
        "a = { b = 1 }\n[a.c]\n",
        "a = [1]\n[[a]]\n",
        "[a]\n[[a]]\n",
        "[[a]]\n[a]\n",
        "[a.b]\n[a]\n[a.b]\n",
        "[a]\nb = 1\n[a.b.c]\n",
        "\"a\" = 1\na = 2\n",
        "'a.b' = 1\na.b = 2\n",
        "\"\\u0061\" = 1\n[a]\n",
    ];
    for (i, case) in cases.iter().enumerate() {
        agree(&format!("case {i}: {case:?}"), case);
        agree(
            &format!("case {i} after a plan: {case:?}"),
            &format!("{plan}{case}"),
        );
    }
}

/// Tables of more entries than the compact tree looks through one by one (it indexes them):
/// keys out of order, sub-tables that headers' paths made and a header then defines, and a
/// repeated key or table in such a table, which every parser refuses.
#[test]
fn tables_of_many_entries() {
    let mut text = String::new();
    for i in (0..200).rev() {
        let _ = writeln!(text, "k{i} = {i}");
    }
    for i in 0..40 {
        let _ = writeln!(text, "[[country]]\ncode = \"C{i}\"");
    }
    for i in 0..40 {
        let _ = writeln!(text, "[plan.s{i}]\nx = {i}");
    }
    text.push_str("[plan]\nformat = 1\nid = \"P\"\ncui.a = 1\n");
    assert!(agree("many entries", &text));
    for (what, tail) in [
        ("a repeated key", "k7 = 1\n"),
        ("a repeated table", "[plan.s7]\n"),
        ("a table defined twice", "[plan]\n"),
        ("a sub-table after a dotted key", "[plan.cui]\n"),
    ] {
        let bad = if what == "a repeated key" {
            format!("{tail}{text}")
        } else {
            format!("{text}{tail}")
        };
        assert!(!agree(what, &bad), "{what}");
        assert!(compact::parse(&bad).is_none(), "{what}");
    }
}

/// Keys that collide in every way: bare, quoted, escaped, dotted-looking, and the plan's own.
const KEYS: &[&str] = &[
    "a",
    "b",
    "c",
    "\"a\"",
    "'b'",
    "\"a.b\"",
    "\"\\u0061\"",
    "\"\"",
    "\"é\"",
    "plan",
    "id",
    "country",
    "code",
    "priority",
    "objective",
    "cui",
    "format",
    " a ",
    "1",
    "-",
    "a1_",
];

/// Scalars of every kind toml reads, and numbers and dates on both sides of what fits.
const SCALARS: &[&str] = &[
    "1",
    "-0",
    "+7",
    "1_000",
    "0x7f",
    "0xFF_ff",
    "0o17",
    "0b101",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "0x8000000000000000",
    "0b1_0",
    "01",
    "1__0",
    "1.5",
    "-0.0",
    "1e999",
    "-1e999",
    "1e-400",
    "6.02E+23",
    "inf",
    "-inf",
    "+inf",
    "nan",
    "-nan",
    "1.",
    ".5",
    "true",
    "false",
    "\"s\"",
    "\"a\\tb\"",
    "\"\\u00e9\\U0001F600\"",
    "\"\\x\"",
    "'lit\\'",
    "\"\"",
    "\"\"\"\nml\\\n  x\"\"\"",
    "'''\nml'''",
    "\"SP-1\"",
    "\"POL\"",
    "\"CUI\"",
    "1979-05-27",
    "07:32:00",
    "07:32",
    "1979-05-27T07:32:00Z",
    "1979-05-27 07:32:00.5+01:00",
    "1979-05-27T07:32:00",
    "2026-13-01",
    "1979-05-27T25:00:00",
    "2026-02-30",
];

/// A key, dotted or not, with the spacing dotted keys allow.
fn key() -> impl Strategy<Value = String> {
    let sep = prop::sample::select(vec![".", " . ", ".\t"]);
    (
        prop::sample::select(KEYS),
        proptest::collection::vec((sep, prop::sample::select(KEYS)), 0..3),
    )
        .prop_map(|(first, rest)| {
            rest.into_iter()
                .fold(first.to_string(), |mut key, (sep, part)| {
                    key.push_str(sep);
                    key.push_str(part);
                    key
                })
        })
}

/// A value: a scalar, or arrays and inline tables of values, nested a few deep.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(SCALARS).prop_map(str::to_string);
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (
                proptest::collection::vec(inner.clone(), 0..4),
                any::<bool>()
            )
                .prop_map(|(items, trailing)| {
                    let comma = if trailing && !items.is_empty() {
                        ","
                    } else {
                        ""
                    };
                    format!("[{}{comma}]", items.join(", "))
                }),
            proptest::collection::vec((key(), inner), 0..4).prop_map(|pairs| {
                let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", pairs.join(", "))
            }),
        ]
    })
}

/// A line of a document: a header, a key/value pair, a comment or nothing.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => key().prop_map(|k| format!("[{k}]")),
        2 => key().prop_map(|k| format!("[[{k}]]")),
        6 => (key(), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => Just("# comment".to_string()),
        1 => Just(String::new()),
    ]
}

/// A document of such lines.
fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(line(), 0..12).prop_map(|lines| lines.join("\n"))
}

/// The sample plans and fixtures to mutate.
const SEEDS: &[&str] = &[
    include_str!("../plans/eucom-sample.toml"),
    include_str!("fixtures/roundtrip/dotted-and-inline.toml"),
    include_str!("fixtures/roundtrip/comments-everywhere.toml"),
    include_str!("fixtures/roundtrip/unusual-spacing.toml"),
    include_str!("fixtures/rules/SCP201-fires.toml"),
];

/// Replaces the character at `at` (or appends at the end) with `piece`.
fn replace_char(line: &mut String, at: prop::sample::Index, piece: &str) {
    let starts: Vec<usize> = line.char_indices().map(|(k, _)| k).collect();
    match starts.get(at.index(starts.len() + 1)) {
        Some(&k) => {
            let len = line[k..].chars().next().map_or(0, char::len_utf8);
            line.replace_range(k..k + len, piece);
        }
        None => line.push_str(piece),
    }
}

/// A seed with lines copied, moved or dropped (duplicate keys and tables, tables redefined,
/// keys out of their tables) and characters replaced by TOML's punctuation.
fn mutated() -> impl Strategy<Value = String> {
    let edit = (
        0u8..4,
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    );
    let punctuation = prop::sample::select(vec![
        "[", "]", "[[", "{", "}", "=", ",", ".", "\"", "'", "#", "\n", " ", "x", "1", "_", "e",
    ]);
    (
        prop::sample::select(SEEDS),
        proptest::collection::vec((edit, punctuation), 1..6),
    )
        .prop_map(|(seed, edits)| {
            let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
            for ((op, a, b), piece) in edits {
                if lines.is_empty() {
                    break;
                }
                let (i, j) = (a.index(lines.len()), b.index(lines.len()));
                match op {
                    0 => {
                        let copy = lines[i].clone();
                        lines.insert(j, copy);
                    }
                    1 => {
                        let moved = lines.remove(i);
                        lines.insert(j.min(lines.len()), moved);
                    }
                    2 => {
                        lines.remove(i);
                    }
                    _ => replace_char(&mut lines[i], b, piece),
                }
            }
            lines.join("\n")
        })
}

/// 4096 random documents and 1024 mutated plans by default; `PROPTEST_CASES` searches harder.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn random_documents(text in document()) {
        compact_implies_the_rest(&text)?;
    }
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn mutated_plans(text in mutated()) {
        compact_implies_the_rest(&text)?;
    }
}
