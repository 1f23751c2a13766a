//! `scplan merge` as git's merge driver, in real repositories: each scenario commits a base
//! plan (tests/fixtures/merge/base.toml, whose sections are written with no blank lines so
//! that edits to different items sit on neighbouring lines), changes it one way on `main` and
//! another on a branch, runs `git merge` through the driver that `scplan git-setup` installed,
//! and asserts the merged bytes (or the conflict's span) and the exit status.

mod common;

use common::git::{self, Repo};

const BASE: &str = include_str!("fixtures/merge/base.toml");

/// `text` with each `(old, new)` replaced; each `old` must occur exactly once.
fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (old, new) in edits {
        assert_eq!(out.matches(old).count(), 1, "`{old}` once in the text");
        out = out.replacen(old, new, 1);
    }
    out
}

/// What `git merge` left.
struct Merged {
    /// The plan in the work tree.
    bytes: Vec<u8>,
    /// Whether git merged without conflict.
    clean: bool,
    /// What git (and the driver) said on standard error and output.
    said: String,
}

impl Merged {
    fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).expect("UTF-8")
    }
}

/// A repository set up by `scplan git-setup` whose `main` has `base` then `ours` in
/// `plan.toml`, and whose branch `theirs` has `base` then `theirs`.
fn repo(base: &[u8], ours: &[u8], theirs: &[u8]) -> Repo {
    let repo = Repo::new();
    let (_, err, code) = repo.scplan("", &["git-setup"]);
    assert_eq!(code, Some(0), "{err}");
    repo.write("plan.toml", base);
    repo.commit("base");
    repo.ok(&["checkout", "-q", "-b", "theirs"]);
    repo.write("plan.toml", theirs);
    repo.commit("theirs");
    repo.ok(&["checkout", "-q", "main"]);
    repo.write("plan.toml", ours);
    repo.commit("ours");
    repo
}

/// Merges `theirs` into `ours` through the driver; `None` when git is not installed.
fn merge(
    base: impl AsRef<[u8]>,
    ours: impl AsRef<[u8]>,
    theirs: impl AsRef<[u8]>,
) -> Option<Merged> {
    if !git::available() {
        return None;
    }
    let repo = repo(base.as_ref(), ours.as_ref(), theirs.as_ref());
    let out = repo.git(&["merge", "--no-edit", "theirs"]);
    Some(Merged {
        bytes: repo.read("plan.toml"),
        clean: out.status.success(),
        said: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    })
}

/// Asserts a clean merge with exactly `expected`.
fn assert_clean(merged: &Merged, expected: &str) {
    assert!(
        merged.clean,
        "git merge failed: {}\n{}",
        merged.said,
        merged.text()
    );
    assert_eq!(merged.text(), expected, "{}", merged.said);
}

/// Asserts a conflicted merge with exactly `expected`.
fn assert_conflict(merged: &Merged, expected: &str) {
    assert!(!merged.clean, "git merge succeeded: {}", merged.said);
    assert_eq!(merged.text(), expected, "{}", merged.said);
}

const SP1_TO_SP2: &str =
    "source = \"NDS 2026\"\n[[priority]]\nid = \"SP-2\"\ntitle = \"Fictional priority two\"\n";

#[test]
fn edits_on_neighbouring_lines_of_different_items_merge_where_lines_conflict() {
    let ours_edit =
        "source = \"NDS 2022\"\n[[priority]]\nid = \"SP-2\"\ntitle = \"Fictional priority two\"\n";
    let theirs_edit = "source = \"NDS 2026\"\n# New this year.\n[[priority]]\nid = \"SP-2\"\ntitle = \"Priority two\"\n";
    let ours = edit(BASE, &[(SP1_TO_SP2, ours_edit)]);
    let theirs = edit(BASE, &[(SP1_TO_SP2, theirs_edit)]);
    // The line merge cannot do it: ours changes the line above the one theirs inserts.
    if git::available() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("o", &ours), ("b", &BASE.to_string()), ("t", &theirs)] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let out = std::process::Command::new("git")
            .current_dir(dir.path())
            .args(["merge-file", "-p", "o", "b", "t"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "git merge-file conflicts");
    }
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let both = "source = \"NDS 2022\"\n# New this year.\n[[priority]]\nid = \"SP-2\"\ntitle = \"Priority two\"\n";
    assert_clean(&merged, &edit(BASE, &[(SP1_TO_SP2, both)]));
}

#[test]
fn changes_to_different_items_merge() {
    let ours = edit(
        BASE,
        &[("Fictional objective one.", "Ours' objective one.")],
    );
    let theirs = edit(
        BASE,
        &[
            (
                "prepared_by = \"J5 (fictional)\"",
                "prepared_by = \"J5 plans\"",
            ),
            (
                "text = \"Fictional Norwegian objective.\"",
                "text = \"Theirs' Norwegian objective.\"",
            ),
        ],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        &ours,
        &[
            (
                "prepared_by = \"J5 (fictional)\"",
                "prepared_by = \"J5 plans\"",
            ),
            (
                "text = \"Fictional Norwegian objective.\"",
                "text = \"Theirs' Norwegian objective.\"",
            ),
        ],
    );
    assert_clean(&merged, &expected);
}

#[test]
fn the_same_change_on_both_sides_is_one_change() {
    let same = ("target_date = 2030-09-30", "target_date = 2030-12-31");
    let ours = edit(BASE, &[same, ("version = \"1.0\"", "version = \"1.1\"")]);
    let theirs = edit(
        BASE,
        &[same, ("name = \"Norway\"", "name = \"Kingdom of Norway\"")],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        &ours,
        &[("name = \"Norway\"", "name = \"Kingdom of Norway\"")],
    );
    assert_clean(&merged, &expected);
}

#[test]
fn one_key_changed_differently_is_a_conflict_around_that_key_only() {
    let key = "  text = \"Fictional objective one.\" # the first\n";
    let ours = edit(BASE, &[(key, "  text = \"Ours' words.\" # the first\n")]);
    let theirs = edit(
        BASE,
        &[
            (key, "  text = \"Theirs' words.\" # the first\n"),
            (
                "target_date = 2029-09-30\n    [[country.objective.indicator]]\n    name = \"Trials completed\"",
                "target_date = 2029-12-31\n    [[country.objective.indicator]]\n    name = \"Trials completed\"",
            ),
        ],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        BASE,
        &[
            (
                key,
                "<<<<<<< ours\n  text = \"Ours' words.\" # the first\n=======\n  text = \"Theirs' words.\" # the first\n>>>>>>> theirs\n",
            ),
            (
                "target_date = 2029-09-30\n    [[country.objective.indicator]]\n    name = \"Trials completed\"",
                "target_date = 2029-12-31\n    [[country.objective.indicator]]\n    name = \"Trials completed\"",
            ),
        ],
    );
    assert_conflict(&merged, &expected);
    assert!(
        merged.said.contains("conflict: objective POL-ST-1, `text`"),
        "{}",
        merged.said
    );
}

#[test]
fn priority_links_and_tech_areas_merge_as_sets() {
    let links = "  priorities = [\"SP-1\", \"SP-2\"]\n  tech_areas = [\"applied-ai\"]\n";
    let ours = edit(
        BASE,
        &[(
            links,
            "  priorities = [\"SP-1\", \"SP-2\", \"SP-3\"]\n  tech_areas = [\"applied-ai\", \"biomanufacturing\"]\n",
        )],
    );
    let theirs = edit(
        BASE,
        &[(
            links,
            "  priorities = [\"SP-2\"]\n  tech_areas = [\"applied-ai\", \"scaled-hypersonics\"]\n",
        )],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        BASE,
        &[(
            links,
            "  priorities = [\"SP-2\", \"SP-3\"]\n  tech_areas = [\"applied-ai\", \"biomanufacturing\", \"scaled-hypersonics\"]\n",
        )],
    );
    assert_clean(&merged, &expected);
}

#[test]
fn strengths_on_several_lines_merge_as_a_set() {
    let list = "strengths = [\n  \"Fast procurement\",\n  \"Field experience\",\n]\n";
    let ours = edit(
        BASE,
        &[(
            list,
            "strengths = [\n  \"Fast procurement\",\n  \"Field experience\",\n  \"Ours' strength\",\n]\n",
        )],
    );
    let theirs = edit(
        BASE,
        &[(
            list,
            "strengths = [\n  \"Field experience\",\n  \"Theirs' strength\",\n]\n",
        )],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        BASE,
        &[(
            list,
            "strengths = [\n  \"Field experience\",\n  \"Ours' strength\",\n  \"Theirs' strength\",\n]\n",
        )],
    );
    assert_clean(&merged, &expected);
}

const AFTER_POL_ST_2: &str = "    target = \"50\"\n  [[country.agreement]]\n  id = \"POL-AG-1\"";

fn objective(id: &str, text: &str) -> String {
    format!(
        "  [[country.objective]]\n  id = \"{id}\"\n  kind = \"sc\"\n  text = \"{text}\"\n  priorities = [\"SP-1\"]\n  target_date = 2029-09-30\n"
    )
}

#[test]
fn objectives_added_on_both_sides_to_one_country_are_both_kept() {
    let at = |new: &str| {
        edit(
            BASE,
            &[(
                AFTER_POL_ST_2,
                &AFTER_POL_ST_2.replace(
                    "  [[country.agreement]]",
                    &format!("{new}  [[country.agreement]]"),
                ),
            )],
        )
    };
    let (a, b) = (
        objective("POL-SC-1", "Ours' objective."),
        objective("POL-SC-2", "Theirs' objective."),
    );
    let Some(merged) = merge(BASE, at(&a), at(&b)) else {
        return;
    };
    assert_clean(&merged, &at(&format!("{a}{b}")));
}

#[test]
fn an_id_added_on_both_sides_for_different_items_is_renamed_in_theirs_with_its_references() {
    let at = |new: &str| {
        edit(
            BASE,
            &[(
                AFTER_POL_ST_2,
                &AFTER_POL_ST_2.replace(
                    "  [[country.agreement]]",
                    &format!("{new}  [[country.agreement]]"),
                ),
            )],
        )
    };
    let ours = at(&objective("POL-SC-1", "Ours' objective."));
    let waiver =
        "[[waiver]]\nrule = \"SCP402\"\nitem = \"POL-SC-1\"\nreason = \"Theirs' waiver.\"\n";
    let theirs = format!(
        "{}{waiver}",
        at(&objective("POL-SC-1", "Theirs' objective."))
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = format!(
        "{}{}",
        at(&format!(
            "{}{}",
            objective("POL-SC-1", "Ours' objective."),
            objective("POL-SC-2", "Theirs' objective.")
        )),
        waiver.replace("POL-SC-1", "POL-SC-2")
    );
    assert_clean(&merged, &expected);
    assert!(
        merged.said.contains(
            "both sides added objective POL-SC-1: theirs' is now POL-SC-2; 1 reference follows"
        ),
        "{}",
        merged.said
    );
}

#[test]
fn a_priority_added_on_both_sides_is_renamed_and_theirs_links_follow() {
    let sp3_end = "title = \"Fictional priority three\"\nsource = \"NDS 2026\"\n";
    let with = |title: &str| {
        format!(
            "{sp3_end}[[priority]]\nid = \"SP-4\"\ntitle = \"{title}\"\nsource = \"NDS 2026\"\n"
        )
    };
    let ours = edit(
        BASE,
        &[
            (sp3_end, &with("Ours' priority")),
            (
                "  priorities = [\"SP-2\"]\n",
                "  priorities = [\"SP-2\", \"SP-4\"]\n",
            ),
        ],
    );
    let theirs = edit(
        BASE,
        &[
            (sp3_end, &with("Theirs' priority")),
            (
                "  priorities = [\"SP-3\"]\n",
                "  priorities = [\"SP-3\", \"SP-4\"]\n",
            ),
        ],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        BASE,
        &[
            (
                sp3_end,
                &format!(
                    "{}[[priority]]\nid = \"SP-5\"\ntitle = \"Theirs' priority\"\nsource = \"NDS 2026\"\n",
                    with("Ours' priority")
                ),
            ),
            (
                "  priorities = [\"SP-2\"]\n",
                "  priorities = [\"SP-2\", \"SP-4\"]\n",
            ),
            (
                "  priorities = [\"SP-3\"]\n",
                "  priorities = [\"SP-3\", \"SP-5\"]\n",
            ),
        ],
    );
    assert_clean(&merged, &expected);
}

#[test]
fn the_same_item_added_on_both_sides_is_kept_once() {
    let at = |new: &str| {
        edit(
            BASE,
            &[(
                AFTER_POL_ST_2,
                &AFTER_POL_ST_2.replace(
                    "  [[country.agreement]]",
                    &format!("{new}  [[country.agreement]]"),
                ),
            )],
        )
    };
    let same = objective("POL-SC-1", "The same objective.");
    let ours = edit(&at(&same), &[("version = \"1.0\"", "version = \"1.1\"")]);
    let theirs = edit(
        &at(&same),
        &[(
            "summary = \"Fictional section.\"\n  [[country.objective]]\n  id = \"NOR-ST-1\"",
            "summary = \"Theirs' section.\"\n  [[country.objective]]\n  id = \"NOR-ST-1\"",
        )],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        &ours,
        &[(
            "summary = \"Fictional section.\"\n  [[country.objective]]\n  id = \"NOR-ST-1\"",
            "summary = \"Theirs' section.\"\n  [[country.objective]]\n  id = \"NOR-ST-1\"",
        )],
    );
    assert_clean(&merged, &expected);
}

/// The text of POL-ST-2, its indicator included.
fn pol_st_2() -> &'static str {
    let start = BASE
        .find("  [[country.objective]]\n  id = \"POL-ST-2\"")
        .unwrap();
    let end = BASE
        .find("  [[country.agreement]]\n  id = \"POL-AG-1\"")
        .unwrap();
    &BASE[start..end]
}

#[test]
fn an_item_deleted_by_ours_and_changed_by_theirs_is_a_conflict_around_the_item() {
    let ours = edit(BASE, &[(pol_st_2(), "")]);
    let changed = pol_st_2().replace("2030-09-30", "2030-12-31");
    let theirs = edit(BASE, &[(pol_st_2(), &changed)]);
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        BASE,
        &[(
            pol_st_2(),
            &format!("<<<<<<< ours\n=======\n{changed}>>>>>>> theirs\n"),
        )],
    );
    assert_conflict(&merged, &expected);
    assert!(
        merged.said.contains("deleted by ours, changed by theirs"),
        "{}",
        merged.said
    );
}

#[test]
fn an_item_changed_by_ours_and_deleted_by_theirs_is_a_conflict_around_the_item() {
    let changed = pol_st_2().replace("Fictional objective two.", "Ours' objective two.");
    let ours = edit(BASE, &[(pol_st_2(), &changed)]);
    let theirs = edit(BASE, &[(pol_st_2(), "")]);
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        BASE,
        &[(
            pol_st_2(),
            &format!("<<<<<<< ours\n{changed}=======\n>>>>>>> theirs\n"),
        )],
    );
    assert_conflict(&merged, &expected);
}

#[test]
fn an_item_deleted_on_one_side_and_left_alone_on_the_other_goes() {
    let barrier = "  [[country.barrier]]\n  kind = \"geopolitical\"\n  text = \"Fictional second barrier.\"\n";
    let waiver = "[[waiver]]\nrule = \"SCP304\"\nitem = \"POL\"\nreason = \"Fictional waiver.\"\n";
    let ours = edit(
        BASE,
        &[("name = \"Poland\"", "name = \"Republic of Poland\"")],
    );
    let theirs = edit(BASE, &[(barrier, ""), (waiver, "")]);
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    assert_clean(&merged, &edit(&ours, &[(barrier, ""), (waiver, "")]));
}

/// The text of a priority of the base.
fn priority(id: &str) -> String {
    let start = BASE.find(&format!("[[priority]]\nid = \"{id}\"")).unwrap();
    let rest = &BASE[start + 1..];
    let end = rest.find("\n[[").map_or(BASE.len(), |i| start + 1 + i + 1);
    BASE[start..end].to_string()
}

#[test]
fn ours_reordering_stays_and_theirs_edits_come_in() {
    let (sp1, sp2, sp3) = (priority("SP-1"), priority("SP-2"), priority("SP-3"));
    let all = format!("{sp1}{sp2}{sp3}");
    let ours = edit(BASE, &[(&all, &format!("{sp3}{sp1}{sp2}"))]);
    let theirs = edit(
        BASE,
        &[(
            "title = \"Fictional priority one\"",
            "title = \"Priority one, reworded\"",
        )],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    assert_clean(
        &merged,
        &edit(
            &ours,
            &[(
                "title = \"Fictional priority one\"",
                "title = \"Priority one, reworded\"",
            )],
        ),
    );
}

#[test]
fn theirs_reordering_comes_in_when_ours_kept_the_order() {
    let pol_start = BASE.find("[[country]]\ncode = \"POL\"").unwrap();
    let nor_start = BASE.find("[[country]]\ncode = \"NOR\"").unwrap();
    let waiver_start = BASE.find("[[waiver]]").unwrap();
    let (pol, nor) = (&BASE[pol_start..nor_start], &BASE[nor_start..waiver_start]);
    let swapped = format!("{}{nor}{pol}{}", &BASE[..pol_start], &BASE[waiver_start..]);
    let ours = edit(
        BASE,
        &[("Fictional objective one.", "Ours' objective one.")],
    );
    let Some(merged) = merge(BASE, &ours, &swapped) else {
        return;
    };
    assert_clean(
        &merged,
        &edit(
            &swapped,
            &[("Fictional objective one.", "Ours' objective one.")],
        ),
    );
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

#[test]
fn a_crlf_plan_stays_crlf() {
    let ours = edit(
        BASE,
        &[("Fictional objective one.", "Ours' objective one.")],
    );
    let theirs = edit(
        BASE,
        &[("name = \"Norway\"", "name = \"Kingdom of Norway\"")],
    );
    let Some(merged) = merge(crlf(BASE), crlf(&ours), crlf(&theirs)) else {
        return;
    };
    let expected = edit(
        &ours,
        &[("name = \"Norway\"", "name = \"Kingdom of Norway\"")],
    );
    assert_clean(&merged, &crlf(&expected));
}

#[test]
fn a_byte_order_mark_is_kept() {
    let bom = |text: &str| format!("\u{feff}{text}");
    let ours = edit(
        BASE,
        &[("Fictional objective one.", "Ours' objective one.")],
    );
    let theirs = edit(
        BASE,
        &[("name = \"Norway\"", "name = \"Kingdom of Norway\"")],
    );
    let Some(merged) = merge(bom(BASE), bom(&ours), bom(&theirs)) else {
        return;
    };
    let expected = edit(
        &ours,
        &[("name = \"Norway\"", "name = \"Kingdom of Norway\"")],
    );
    assert_clean(&merged, &bom(&expected));
}

#[test]
fn comments_next_to_changed_keys_are_kept() {
    let above = "  # What the objective is for.\n  text = \"Fictional objective two.\"\n";
    let ours = edit(
        BASE,
        &[(
            above,
            "  # What the objective is for.\n  text = \"Ours' objective two.\"\n",
        )],
    );
    let theirs = edit(
        BASE,
        &[
            (
                above,
                "  # Why the objective matters.\n  text = \"Fictional objective two.\"\n",
            ),
            (
                "\"Fictional objective one.\" # the first",
                "\"Fictional objective one.\" # the first one",
            ),
        ],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        BASE,
        &[
            (
                above,
                "  # Why the objective matters.\n  text = \"Ours' objective two.\"\n",
            ),
            (
                "\"Fictional objective one.\" # the first",
                "\"Fictional objective one.\" # the first one",
            ),
        ],
    );
    assert_clean(&merged, &expected);
}

/// The base as a CUI plan: the banner, the CUI block and one CUI portion.
fn cui_base() -> String {
    edit(
        BASE,
        &[
            (
                "marking = \"UNCLASSIFIED\"\nprepared_by = \"J5 (fictional)\"\n",
                "marking = \"CUI\"\nprepared_by = \"J5 (fictional)\"\n[plan.cui]\ncontrolled_by = \"Fictional command\"\ncategories = [\"EXPT\"]\npoc = \"J5 desk (fictional)\"\n",
            ),
            (
                "  governance = [\"POL-AG-1\"]\n  target_date = 2029-09-30\n",
                "  governance = [\"POL-AG-1\"]\n  target_date = 2029-09-30\n  marking = \"CUI//SP-EXPT\"\n  marking_justification = \"Fictional export-controlled detail.\"\n",
            ),
        ],
    )
}

#[test]
fn a_cui_plan_merges() {
    let base = cui_base();
    let ours = edit(
        &base,
        &[(
            "poc = \"J5 desk (fictional)\"",
            "poc = \"J5 CUI officer (fictional)\"",
        )],
    );
    let theirs = edit(
        &base,
        &[("Fictional objective one.", "Theirs' controlled objective.")],
    );
    let Some(merged) = merge(&base, &ours, &theirs) else {
        return;
    };
    assert_clean(
        &merged,
        &edit(
            &ours,
            &[("Fictional objective one.", "Theirs' controlled objective.")],
        ),
    );
}

#[test]
fn a_plan_above_the_system_high_is_not_merged_and_nothing_is_written() {
    let base = edit(
        BASE,
        &[
            ("marking = \"UNCLASSIFIED\"", "marking = \"SECRET\""),
            (
                "  governance = [\"POL-AG-1\"]\n  target_date = 2029-09-30\n",
                "  governance = [\"POL-AG-1\"]\n  target_date = 2029-09-30\n  marking = \"S\"\n",
            ),
        ],
    );
    let ours = edit(
        &base,
        &[("Fictional objective one.", "Ours' secret words.")],
    );
    let theirs = edit(
        &base,
        &[("name = \"Norway\"", "name = \"Theirs' secret name\"")],
    );
    let Some(merged) = merge(&base, &ours, &theirs) else {
        return;
    };
    assert!(!merged.clean, "{}", merged.said);
    assert!(
        merged.said.contains("above the system high"),
        "{}",
        merged.said
    );
    assert!(!merged.text().contains("Theirs' secret name"));
}

#[test]
fn indicators_merge_by_content_and_place() {
    let second = "    [[country.objective.indicator]]\n    name = \"Missions completed\"\n    baseline = \"None\"\n    target = \"80 percent\"\n";
    let ours = edit(
        BASE,
        &[(
            "    baseline = \"0\"\n    target = \"3\"\n",
            "    baseline = \"0\"\n    target = \"4\"\n",
        )],
    );
    let theirs = edit(BASE, &[(second, "")]);
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    assert_clean(&merged, &edit(&ours, &[(second, "")]));
}

#[test]
fn indicators_added_on_both_sides_are_both_kept() {
    let last = "    name = \"Sensors fielded\"\n    baseline = \"0\"\n    target = \"4\"\n";
    let indicator =
        |name: &str| format!("    [[country.objective.indicator]]\n    name = \"{name}\"\n");
    let ours = edit(
        BASE,
        &[(last, &format!("{last}{}", indicator("Ours' measure")))],
    );
    let theirs = edit(
        BASE,
        &[(last, &format!("{last}{}", indicator("Theirs' measure")))],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        BASE,
        &[(
            last,
            &format!(
                "{last}{}{}",
                indicator("Ours' measure"),
                indicator("Theirs' measure")
            ),
        )],
    );
    assert_clean(&merged, &expected);
}

#[test]
fn waivers_merge_by_rule_and_item() {
    let waiver = |rule: &str, item: &str| {
        format!("[[waiver]]\nrule = \"{rule}\"\nitem = \"{item}\"\nreason = \"Fictional.\"\n")
    };
    let ours = format!("{BASE}{}", waiver("SCP401", "POL-ST-2"));
    let theirs = format!(
        "{}{}",
        edit(
            BASE,
            &[(
                "reason = \"Fictional waiver.\"",
                "reason = \"Fictional waiver, reviewed.\""
            )]
        ),
        waiver("SCP303", "NOR")
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = format!(
        "{}{}{}",
        edit(
            BASE,
            &[(
                "reason = \"Fictional waiver.\"",
                "reason = \"Fictional waiver, reviewed.\""
            )]
        ),
        waiver("SCP401", "POL-ST-2"),
        waiver("SCP303", "NOR")
    );
    assert_clean(&merged, &expected);
}

#[test]
fn keys_of_the_plan_table_merge_one_by_one() {
    let ours = edit(BASE, &[("version = \"1.0\"", "version = \"2.0\"")]);
    let theirs = edit(
        BASE,
        &[
            (
                "prepared_by = \"J5 (fictional)\"\n",
                "prepared_by = \"J5 plans\"\ntech_list = \"2025\"\n",
            ),
            ("period_end = 2031-09-30\n", ""),
        ],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        &ours,
        &[
            (
                "prepared_by = \"J5 (fictional)\"\n",
                "prepared_by = \"J5 plans\"\ntech_list = \"2025\"\n",
            ),
            ("period_end = 2031-09-30\n", ""),
        ],
    );
    assert_clean(&merged, &expected);
}

#[test]
fn a_block_added_by_theirs_comes_in_after_the_plan_table() {
    let block = "[plan.cui]\ncontrolled_by = \"Fictional command\"\ncategories = [\"EXPT\"]\npoc = \"J5 desk (fictional)\"\n";
    let end = "prepared_by = \"J5 (fictional)\"\n";
    let ours = edit(
        BASE,
        &[(
            "title = \"Merge scenarios (fictional)\"",
            "title = \"Merge scenarios, revised (fictional)\"",
        )],
    );
    let theirs = edit(BASE, &[(end, &format!("{end}{block}"))]);
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    assert_clean(&merged, &edit(&ours, &[(end, &format!("{end}{block}"))]));
}

#[test]
fn a_key_deleted_by_theirs_and_left_by_ours_goes() {
    let date = "  governance = [\"NOR-AG-1\"]\n  target_date = 2029-09-30\n";
    let ours = edit(
        BASE,
        &[(
            "code = \"NOR\"\nname = \"Norway\"\nsummary = \"Fictional section.\"",
            "code = \"NOR\"\nname = \"Norway\"\nsummary = \"Ours' section.\"",
        )],
    );
    let theirs = edit(BASE, &[(date, "  governance = [\"NOR-AG-1\"]\n")]);
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    assert_clean(
        &merged,
        &edit(&ours, &[(date, "  governance = [\"NOR-AG-1\"]\n")]),
    );
}

#[test]
fn review_stamps_merge_key_by_key() {
    let links = "  priorities = [\"SP-1\", \"SP-2\"]\n";
    let stamped = |stamps: &str| {
        edit(
            BASE,
            &[(
                links,
                &format!("{links}  reviewed_links = {{ {stamps} }}\n"),
            )],
        )
    };
    let base = stamped("SP-1 = \"aaaaaaaa\"");
    let ours = stamped("SP-1 = \"aaaaaaaa\", SP-2 = \"cccccccc\"");
    let theirs = stamped("SP-1 = \"bbbbbbbb\"");
    let Some(merged) = merge(&base, &ours, &theirs) else {
        return;
    };
    assert_clean(
        &merged,
        &stamped("SP-1 = \"bbbbbbbb\", SP-2 = \"cccccccc\""),
    );
}

#[test]
fn the_merge_lists_new_errors_and_still_succeeds() {
    let sp3 = priority("SP-3");
    let ours = edit(
        BASE,
        &[(
            "  priorities = [\"SP-2\"]\n",
            "  priorities = [\"SP-2\", \"SP-3\"]\n",
        )],
    );
    let theirs = edit(
        BASE,
        &[
            (&sp3, ""),
            ("  priorities = [\"SP-3\"]\n", "  priorities = [\"SP-1\"]\n"),
        ],
    );
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    let expected = edit(
        &ours,
        &[
            (&sp3, ""),
            ("  priorities = [\"SP-3\"]\n", "  priorities = [\"SP-1\"]\n"),
        ],
    );
    assert_clean(&merged, &expected);
    assert!(merged.said.contains("1 new error(s)"), "{}", merged.said);
    assert!(merged.said.contains("SCP103"), "{}", merged.said);
}

#[test]
fn the_conflict_marker_size_follows_the_attributes() {
    if !git::available() {
        return;
    }
    let key = "  text = \"Fictional objective one.\" # the first\n";
    let ours = edit(BASE, &[(key, "  text = \"Ours' words.\" # the first\n")]);
    let theirs = edit(BASE, &[(key, "  text = \"Theirs' words.\" # the first\n")]);
    let repo = repo(BASE.as_bytes(), ours.as_bytes(), theirs.as_bytes());
    repo.write(
        ".gitattributes",
        "*.toml merge=scplan conflict-marker-size=10\n",
    );
    repo.commit("longer markers");
    let out = repo.git(&["merge", "--no-edit", "theirs"]);
    assert!(!out.status.success());
    let text = String::from_utf8(repo.read("plan.toml")).unwrap();
    let expected = edit(
        BASE,
        &[(
            key,
            "<<<<<<<<<< ours\n  text = \"Ours' words.\" # the first\n==========\n  text = \"Theirs' words.\" # the first\n>>>>>>>>>> theirs\n",
        )],
    );
    assert_eq!(text, expected);
}

#[test]
fn a_toml_file_that_is_not_a_plan_merges_line_by_line() {
    let base = "[package]\nname = \"x\"\nversion = \"1\"\n\n[dependencies]\na = \"1\"\nb = \"1\"\nc = \"1\"\n";
    let ours = base.replace("version = \"1\"", "version = \"2\"");
    let theirs = base.replace("c = \"1\"", "c = \"3\"");
    let Some(merged) = merge(base, &ours, &theirs) else {
        return;
    };
    assert_clean(&merged, &ours.replace("c = \"1\"", "c = \"3\""));
    assert!(
        merged.said.contains("merging it line by line"),
        "{}",
        merged.said
    );
}

#[test]
fn git_setup_is_idempotent_and_says_what_it_wrote() {
    if !git::available() {
        return;
    }
    let repo = Repo::new();
    repo.write(".gitattributes", "*.png binary");
    let (out, err, code) = repo.scplan("", &["git-setup"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("added `*.toml merge=scplan`"), "{out}");
    assert!(
        out.contains("merge.scplan.driver = \"scplan merge %O %A %B -o %A -L %L --path %P\""),
        "{out}"
    );
    let (again, _, code) = repo.scplan("", &["git-setup"]);
    assert_eq!(code, Some(0));
    assert!(
        again.contains("there already") && again.contains("already"),
        "{again}"
    );
    assert_eq!(
        String::from_utf8(repo.read(".gitattributes")).unwrap(),
        "*.png binary\n*.toml merge=scplan\n"
    );
    assert_eq!(
        repo.ok(&["config", "--local", "merge.scplan.driver"])
            .trim(),
        "scplan merge %O %A %B -o %A -L %L --path %P"
    );
    let outside = tempfile::tempdir().unwrap();
    let out = repo
        .command(env!("CARGO_BIN_EXE_scplan"), "")
        .current_dir(outside.path())
        .arg("git-setup")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git repository"));
}
