//! The "Clarifications (decided)" of PLAN-FORMAT.md, one test per item. Each runs
//! `scplan check --format json` on the item's fixtures (under tests/fixtures/rules and
//! tests/fixtures/structure) and holds the JSON's diagnostics (code, severity, item, line,
//! column, waived) and the exit status to the fixture's own `# expect:` lines, as many times as
//! they are written; where an item says what a message must say, the test reads the message
//! too.

mod common;

use serde_json::Value;

use common::scplan;

/// What a fixture states about itself: its `# expect:` lines (sorted) and its
/// `# system-high:`.
fn stated(path: &str) -> (Vec<String>, Option<String>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let text = String::from_utf8_lossy(&bytes);
    let mut expected = Vec::new();
    let mut system_high = None;
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if let Some(rest) = line.strip_prefix("# expect:") {
            expected.push(rest.trim().to_string());
        } else if let Some(level) = line.strip_prefix("# system-high:") {
            system_high = Some(level.trim().to_string());
        }
    }
    expected.sort();
    (expected, system_high)
}

/// A JSON diagnostic written as an `# expect:` line states it.
fn expect_line(d: &Value) -> String {
    format!(
        "{} {} {} {}:{}{}",
        d["code"].as_str().unwrap_or_default(),
        d["severity"].as_str().unwrap_or_default(),
        d["item"].as_str().unwrap_or_default(),
        d["line"],
        d["column"],
        if d["waived"] == true { " waived" } else { "" }
    )
}

/// Runs `scplan check --format json` on a fixture, holds what it reports to the fixture's
/// expectations (and the exit status to them: 1 with an unwaived error, else 0), and gives
/// the diagnostics for a closer look.
fn holds(path: &str) -> Vec<Value> {
    let (expected, system_high) = stated(path);
    let mut cmd = scplan();
    cmd.args(["check", "--format", "json"]);
    if let Some(level) = &system_high {
        cmd.args(["--system-high", level]);
    }
    let out = cmd.arg(path).output().expect("scplan runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let file = &doc["files"][0];
    assert_eq!(file["file"], path);
    let diagnostics = file["diagnostics"].as_array().cloned().unwrap_or_default();
    let mut got: Vec<String> = diagnostics.iter().map(expect_line).collect();
    got.sort();
    assert_eq!(
        got, expected,
        "{path}: reported (left) and expected (right)"
    );
    let fails = expected
        .iter()
        .any(|e| e.split(' ').nth(1) == Some("error") && !e.ends_with(" waived"));
    assert_eq!(
        out.status.code(),
        Some(i32::from(fails)),
        "{path}: exit status"
    );
    diagnostics
}

/// The full message (message and help) of the one diagnostic with `code`.
fn message_of(diagnostics: &[Value], code: &str) -> String {
    let found: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == code).collect();
    assert_eq!(found.len(), 1, "one {code} in {diagnostics:?}");
    found[0]["message"].as_str().unwrap_or_default().to_string()
}

/// A `-fires` fixture and its `-near-miss` twin: as many lines, exactly one non-comment line
/// different.
fn twins(fires: &str, near_miss: &str) {
    let read = |path: &str| -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        text.lines().map(str::to_string).collect()
    };
    let (a, b) = (read(fires), read(near_miss));
    assert_eq!(a.len(), b.len(), "{fires} and {near_miss}: as many lines");
    let differing = (0..a.len())
        .filter(|&i| a[i] != b[i] && !a[i].starts_with('#'))
        .count();
    assert_eq!(differing, 1, "{fires} and {near_miss}: one line differs");
    holds(fires);
    holds(near_miss);
}

#[test]
fn item_2_scp103_is_one_per_objective_and_missing_id() {
    holds("tests/fixtures/rules/SCP103-fires-3.toml");
    holds("tests/fixtures/rules/SCP103-fires-4.toml");
}

#[test]
fn item_3_scp502_only_for_a_waiver_that_is_otherwise_valid() {
    twins(
        "tests/fixtures/rules/SCP502-fires-2.toml",
        "tests/fixtures/rules/SCP502-near-miss-2.toml",
    );
    twins(
        "tests/fixtures/rules/SCP502-fires-3.toml",
        "tests/fixtures/rules/SCP502-near-miss-3.toml",
    );
}

#[test]
fn item_5_scp501_is_judged_on_whatever_the_waiver_has() {
    holds("tests/fixtures/rules/SCP501-fires-5.toml");
    twins(
        "tests/fixtures/rules/SCP501-fires-6.toml",
        "tests/fixtures/rules/SCP501-near-miss-6.toml",
    );
    holds("tests/fixtures/rules/SCP501-fires-7.toml");
}

#[test]
fn item_6_a_wrong_typed_key_counts_as_present() {
    twins(
        "tests/fixtures/rules/SCP206-fires-4.toml",
        "tests/fixtures/rules/SCP206-near-miss-4.toml",
    );
    twins(
        "tests/fixtures/rules/SCP101-fires-2.toml",
        "tests/fixtures/rules/SCP101-near-miss-2.toml",
    );
    twins(
        "tests/fixtures/rules/SCP205-fires-3.toml",
        "tests/fixtures/rules/SCP205-near-miss-3.toml",
    );
    // The same for every rule that asks whether a table is there.
    holds("tests/fixtures/structure/SCP003-agreement-table.toml");
    holds("tests/fixtures/structure/SCP003-indicator-table.toml");
    holds("tests/fixtures/structure/SCP003-cui-wrong-type.toml");
}

#[test]
fn item_10_a_wrong_typed_table_is_scp003_at_its_header() {
    holds("tests/fixtures/structure/SCP003-table-header.toml");
    holds("tests/fixtures/structure/SCP003-table-header-2.toml");
    holds("tests/fixtures/structure/SCP003-table-header-3.toml");
}

#[test]
fn item_7_unreadable_markings_make_scp202_a_floor() {
    for (n, floor) in [
        (8, "CUI"),
        (9, "SECRET//NOFORN"),
        (10, "SECRET"),
        (11, "CUI//NOFORN"),
    ] {
        let fires = format!("tests/fixtures/rules/SCP202-fires-{n}.toml");
        let near_miss = format!("tests/fixtures/rules/SCP202-near-miss-{n}.toml");
        twins(&fires, &near_miss);
        let message = message_of(&holds(&fires), "SCP202");
        assert!(
            message.contains("unreadable portion markings (SCP201, SCP208) must be fixed first"),
            "{fires}: {message}"
        );
        assert!(
            message.contains(&format!("at least `{floor}`")),
            "{fires}: {message}"
        );
        assert!(!message.contains("expected"), "{fires}: {message}");
    }
    // The readable portions' roll-up is named in full, categories and all (nara profile).
    let message = message_of(
        &holds("tests/fixtures/rules/SCP202-fires-11.toml"),
        "SCP202",
    );
    assert!(
        message.contains("they roll up to `CUI//SP-EXPT//NOFORN`"),
        "{message}"
    );
}

#[test]
fn item_1_cui_category_group_before_control_group() {
    twins(
        "tests/fixtures/rules/SCP201-fires-6.toml",
        "tests/fixtures/rules/SCP201-near-miss-6.toml",
    );
    // Only a classified portion's NF and REL TO groups may come in either order.
    holds("tests/fixtures/rules/SCP204-fires-9.toml");
}

#[test]
fn item_4_a_waiver_may_name_scp502() {
    twins(
        "tests/fixtures/rules/SCP503-fires-2.toml",
        "tests/fixtures/rules/SCP503-near-miss-2.toml",
    );
}

#[test]
fn item_8_blank_ids_are_ids() {
    for path in [
        "tests/fixtures/structure/SCP005-blank-ids.toml",
        "tests/fixtures/structure/SCP005-blank-ids-2.toml",
    ] {
        let message = message_of(&holds(path), "SCP005");
        assert!(message.contains("a blank id is already used"), "{message}");
    }
}

#[test]
fn item_9_an_implicit_plan_exists() {
    let path = "tests/fixtures/structure/SCP002-implicit-plan.toml";
    let diagnostics = holds(path);
    let missing: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["message"].as_str())
        .filter_map(|m| m.strip_prefix("missing required key `"))
        .filter_map(|m| m.split('`').next())
        .collect();
    assert_eq!(
        missing,
        [
            "format",
            "id",
            "title",
            "command",
            "version",
            "effective",
            "marking"
        ]
    );
    // A plan with no [plan] at all is still one SCP002.
    holds("tests/fixtures/structure/SCP002-missing-plan.toml");
}

#[test]
fn item_11_git_conflict_markers_are_an_unresolved_merge_conflict() {
    for path in [
        "tests/fixtures/structure/SCP001-conflict.toml",
        "tests/fixtures/structure/SCP001-conflict-2.toml",
        "tests/fixtures/structure/SCP001-conflict-3.toml",
    ] {
        let message = message_of(&holds(path), "SCP001");
        for says in [
            "unresolved merge conflict",
            "resolve the conflict",
            "keep one side",
            "remove the marker lines",
            "git checkout --ours",
            "git checkout --theirs",
        ] {
            assert!(message.contains(says), "{path}: {message}");
        }
    }
}

#[test]
fn item_13_a_date_where_text_belongs_is_called_a_local_date() {
    let diagnostics = holds("tests/fixtures/structure/SCP003-date-for-text.toml");
    assert_eq!(
        message_of(&diagnostics, "SCP003"),
        "`version` must be a string, not a local date"
    );
    // A date-time where a date belongs says which kind it is.
    let diagnostics = holds("tests/fixtures/structure/SCP003-datetime.toml");
    assert!(message_of(&diagnostics, "SCP003").ends_with("not a local date-time"));
}

/// A plan with `marking` on a priority and on the POL section (so that SCP207 advises too)
/// under the banner UNCLASSIFIED (so that SCP202 does), and nothing else about them to
/// report: [plan.cui], a justification, intel.
fn plan_marked(marking: &str) -> String {
    let quoted = marking.replace('\\', "\\\\").replace('"', "\\\"");
    let portion =
        format!("marking = \"{quoted}\"\nmarking_justification = \"Fixture\"\nintel = true\n");
    format!(
        "[plan]\nformat = 1\nid = \"TEST\"\ntitle = \"Suggestions (fictional)\"\n\
         command = \"USEUCOM\"\nversion = \"1.0\"\neffective = 2026-10-01\n\
         marking = \"UNCLASSIFIED\"\n\n[plan.cui]\ncontrolled_by = \"J5 (fictional)\"\n\
         categories = [\"EXPT\"]\npoc = \"J5 desk (fictional)\"\n\n[[priority]]\n\
         id = \"SP-1\"\ntitle = \"Deter aggression (fictional)\"\nsource = \"NDS 2026\"\n\
         {portion}\n[[country]]\ncode = \"POL\"\nname = \"Poland\"\n{portion}"
    )
}

/// The diagnostics of the marking rules (SCP201-SCP210) on a plan marked `marking`.
fn marking_diagnostics(marking: &str) -> Vec<scplan::check::diagnostic::Diagnostic> {
    let settings = scplan::check::Settings {
        system_high: scplan::plan::marking::Level::Ts,
    };
    let checked = scplan::check::check_text(plan_marked(marking), &settings);
    checked
        .diagnostics
        .into_iter()
        .filter(|d| d.code.starts_with("SCP2"))
        .collect()
}

/// The backquoted parts of a text.
fn backquoted(text: &str) -> impl Iterator<Item = &str> {
    text.split('`').skip(1).step_by(2)
}

/// Bad markings of every kind, written out.
const BAD_MARKINGS: &[&str] = &[
    "CUI//REL TO USA",
    "CUI//REL TO USA, USA",
    "S//REL TO USA",
    "S//REL TO USA, XYZ",
    "S//REL TO USA, ABCD",
    "S//REL TO USA, XYZ, ABCD",
    "S//NF/REL TO USA",
    "S//NF/REL TO USA, GBR",
    "S//REL TO GBR",
    "TS//REL TO NATO, GBR, USA",
    "S//REL TO USA,GBR",
    "S//REL TO  USA, GBR",
    "C//REL TO USA, GBR//NF",
    "S//REL TO USA, GBR/REL TO USA, POL",
    "CUI//NF//SP-EXPT",
    "CUI//SP-EXPT/NF",
    "CUI//SP-EXPT//NF//FEDCON",
    "CUI//SP-EXPT//PRVCY",
    "CUI//PRVCY/PRVCY",
    "CUI//NOFORN",
    "CUI//SP-EXPT//NF/REL TO USA, POL",
    "CUI//DISPLAY ONLY",
    "CUI//DISPLAY ONLY POL,",
    "CUI//NO CON",
    "SECRET",
    "SECRET//NOFORN",
    "top secret//noforn",
    "S//FEDCON",
    "U//NF",
    "U//",
    "FOUO",
    "U//FOUO",
    "BOGUS",
    "",
    " ",
    "S//",
    "S//NF/",
    "S// NF",
    " S//NF",
    "(S)",
];

/// Levels and entries whose combinations make more bad markings (and some good ones).
const LEVELS: &[&str] = &["U", "CUI", "C", "S", "TS", "SECRET", "cui"];
const ENTRIES: &[&str] = &[
    "NF",
    "NOFORN",
    "REL TO USA",
    "REL TO USA, GBR",
    "REL TO GBR, USA",
    "REL TO USA, XYZ",
    "REL TO USA, NATO",
    "REL TO USA,GBR",
    "FEDCON",
    "DL ONLY",
    "SP-EXPT",
    "PRVCY",
    "BOGUS WORD",
    "",
    " NF",
    "nf",
];

/// Every marking the test tries: the table, then each level alone and with one or two entries,
/// in one group or two.
fn markings_to_try() -> Vec<String> {
    let mut all: Vec<String> = BAD_MARKINGS.iter().map(|m| m.to_string()).collect();
    for level in LEVELS {
        all.push(level.to_string());
        for a in ENTRIES {
            all.push(format!("{level}//{a}"));
            for b in ENTRIES {
                all.push(format!("{level}//{a}//{b}"));
                all.push(format!("{level}//{a}/{b}"));
            }
        }
    }
    all
}

#[test]
fn item_12_every_suggested_marking_parses() {
    let mut verdicts: std::collections::HashMap<String, bool> = Default::default();
    let mut clean = |portion: &str| -> bool {
        *verdicts.entry(portion.to_string()).or_insert_with(|| {
            !marking_diagnostics(portion)
                .iter()
                .any(|d| d.code == "SCP201" || d.code == "SCP204")
        })
    };
    let (mut suggested, mut failures) = (0, Vec::new());
    for raw in markings_to_try() {
        for d in marking_diagnostics(&raw) {
            let help = d.help.clone().unwrap_or_default();
            // The message may quote the marking (or banner) as written; the help suggests.
            let in_message = backquoted(&d.message).filter(|q| *q != raw && *q != "UNCLASSIFIED");
            for q in in_message.chain(backquoted(&help)) {
                suggested += 1;
                let parses = if d.code == "SCP202" {
                    scplan::plan::marking::banner_as_portion(q).is_some()
                } else {
                    clean(q)
                };
                if !parses {
                    failures.push(format!("{raw:?}: {} suggests `{q}`: {d:?}", d.code));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} suggestions do not parse cleanly:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert!(suggested > 1000, "only {suggested} suggestions seen");
}
