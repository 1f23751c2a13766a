//! The read-only `check` path reads toml's span-keeping tree; the editor reads toml_edit's
//! document. Both must build the same plan and the same diagnostics, which this holds for
//! every fixture, every sample plan, synthetic plans with defects and TOML corner cases.

use std::path::{Path, PathBuf};

use scplan::check::{self, Settings};
use scplan::plan::source;
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
            "{what}: toml's path gives\n{}\n  where toml_edit's gives\n{}",
            a[from..a.len().min(i + 2)].join("\n"),
            b[from..b.len().min(i + 2)].join("\n"),
        );
    }
}

/// Checks that both paths agree on `text`; returns whether the fast path read it itself.
fn agree(what: &str, text: &str) -> bool {
    let settings = Settings::default();
    let editing = check::load_editing(text);
    let Some(fast) = check::load_fast(text) else {
        // toml refused it: then toml_edit must refuse it too, and check reports its SCP001.
        assert!(
            editing.is_err(),
            "{what}: toml refused what toml_edit reads"
        );
        assert_eq!(check::load_text(text), editing, "{what}");
        return false;
    };
    let editing = editing.unwrap_or_else(|d| panic!("{what}: toml_edit refused it: {d:?}"));
    same(what, &fast.plan, &editing.plan);
    same(
        what,
        &check::finish(&fast.plan, fast.diagnostics, &settings),
        &check::finish(&editing.plan, editing.diagnostics, &settings),
    );
    true
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
    ];
    for (i, case) in cases.iter().enumerate() {
        agree(&format!("case {i}: {case:?}"), case);
        agree(
            &format!("case {i} after a plan: {case:?}"),
            &format!("{plan}{case}"),
        );
    }
}
