//! `scplan merge` as git's merge driver, in real repositories: each scenario commits the base
//! plan, changes it one way on `main` and another on a branch, runs `git merge` through the
//! driver that `scplan git-setup` installed, and asserts the merged bytes. Here: changes to
//! items and keys that merge cleanly (tests/merge_driver.rs has conflicts, layouts, markings
//! and the driver's setup).

mod common;

use common::git;
use common::merging::{BASE, assert_clean, edit, merge, objective, pol_st_2, priority};

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
    strengths_merge(
        "strengths = [\n  \"Fast procurement\",\n  \"Field experience\",\n]\n",
        "strengths = [\n  \"Fast procurement\",\n  \"Field experience\",\n  \"Ours' strength\",\n]\n",
        "strengths = [\n  \"Field experience\",\n  \"Theirs' strength\",\n]\n",
        "strengths = [\n  \"Field experience\",\n  \"Ours' strength\",\n  \"Theirs' strength\",\n]\n",
    );
}

#[test]
fn each_strength_keeps_its_comments_through_a_set_merge() {
    strengths_merge(
        "strengths = [\n  \"Fast procurement\",  # since FY25\n  # field work\n  \"Field experience\",   # two trials\n]\n",
        "strengths = [\n  \"Fast procurement\",  # since FY25\n  # field work\n  \"Field experience\",   # two trials\n  \"Ours' strength\",  # ours\n]\n",
        "strengths = [\n  # field work\n  \"Field experience\",   # two trials\n  # theirs' note\n  \"Theirs' strength\",  # theirs\n]\n",
        "strengths = [\n  # field work\n  \"Field experience\",   # two trials\n  \"Ours' strength\",  # ours\n  # theirs' note\n  \"Theirs' strength\",  # theirs\n]\n",
    );
}

/// The plan's list of Poland's strengths (`list` in BASE) written as `ours` and as `theirs`
/// merges cleanly into `expected`.
fn strengths_merge(list: &str, ours: &str, theirs: &str, expected: &str) {
    let base = edit(
        BASE,
        &[(
            "strengths = [\n  \"Fast procurement\",\n  \"Field experience\",\n]\n",
            list,
        )],
    );
    let (ours, theirs) = (edit(&base, &[(list, ours)]), edit(&base, &[(list, theirs)]));
    let Some(merged) = merge(&base, &ours, &theirs) else {
        return;
    };
    assert_clean(&merged, &edit(&base, &[(list, expected)]));
}

const AFTER_POL_ST_2: &str = "    target = \"50\"\n  [[country.agreement]]\n  id = \"POL-AG-1\"";

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
    renamed_with_theirs_waiver(BASE);
}

#[test]
fn theirs_first_waivers_follow_a_renamed_id_when_ours_has_no_waiver() {
    renamed_with_theirs_waiver(&BASE[..BASE.find("[[waiver]]").unwrap()]);
}

/// Both sides add objective POL-SC-1 to `base`, theirs with a waiver of it: theirs' becomes
/// POL-SC-2, its waiver with it.
fn renamed_with_theirs_waiver(base: &str) {
    let at = |new: &str| {
        edit(
            base,
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
    let Some(merged) = merge(base, &ours, &theirs) else {
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

/// The end of SP-3 in the base, where a new priority goes.
const SP3_END: &str = "title = \"Fictional priority three\"\nsource = \"NDS 2026\"\n";

/// SP-3's end followed by a new priority SP-4 titled `title`.
fn priority_sp4(title: &str) -> String {
    format!("{SP3_END}[[priority]]\nid = \"SP-4\"\ntitle = \"{title}\"\nsource = \"NDS 2026\"\n")
}

#[test]
fn a_priority_added_on_both_sides_is_renamed_and_theirs_links_follow() {
    let (sp3_end, with) = (SP3_END, priority_sp4);
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
fn a_priority_added_on_both_sides_and_linked_from_the_same_list_keeps_both_links() {
    let (sp3_end, with) = (SP3_END, priority_sp4);
    let linked = (
        "  priorities = [\"SP-2\"]\n",
        "  priorities = [\"SP-2\", \"SP-4\"]\n",
    );
    let ours = edit(BASE, &[(sp3_end, &with("Ours' priority")), linked]);
    let theirs = edit(BASE, &[(sp3_end, &with("Theirs' priority")), linked]);
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    // The same text on both sides names two priorities: ours' SP-4 and theirs' (now SP-5).
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
                "  priorities = [\"SP-2\", \"SP-4\", \"SP-5\"]\n",
            ),
        ],
    );
    assert_clean(&merged, &expected);
}

#[test]
fn a_side_that_only_respaced_or_requoted_a_value_gives_way_to_the_other_sides_change() {
    let key = "  text = \"Fictional objective one.\" # the first\n";
    let requoted = "  text = 'Fictional objective one.' # the first\n";
    let changed = "  text = \"Theirs' words.\" # the first\n";
    for (ours, theirs) in [(requoted, changed), (changed, requoted)] {
        let o = edit(BASE, &[(key, ours)]);
        let t = edit(BASE, &[(key, theirs)]);
        let Some(merged) = merge(BASE, &o, &t) else {
            return;
        };
        assert_clean(&merged, &edit(BASE, &[(key, changed)]));
    }
    // A comment changed on both sides is the planners' words: a conflict still.
    let o = edit(
        BASE,
        &[(key, "  text = \"Fictional objective one.\" # ours' note\n")],
    );
    let t = edit(
        BASE,
        &[(key, "  text = \"Theirs' words.\" # theirs' note\n")],
    );
    let Some(merged) = merge(BASE, &o, &t) else {
        return;
    };
    assert!(merged.said.contains("conflict"), "{}", merged.said);
}

#[test]
fn indicators_reordered_on_one_side_and_edited_on_the_other_merge() {
    let first = "    [[country.objective.indicator]]\n    name = \"Trials completed\"\n    baseline = \"0\"\n    target = \"3\"\n";
    let second = "    [[country.objective.indicator]]\n    name = \"Missions completed\"\n    baseline = \"None\"\n    target = \"80 percent\"\n";
    let both = format!("{first}{second}");
    let swapped = format!("{second}{first}");
    let ours = edit(BASE, &[(&both, &swapped)]);
    let edited = first.replace("target = \"3\"", "target = \"4\"");
    let theirs = edit(BASE, &[(&both, &format!("{edited}{second}"))]);
    let Some(merged) = merge(BASE, &ours, &theirs) else {
        return;
    };
    assert_clean(
        &merged,
        &edit(BASE, &[(&both, &format!("{second}{edited}"))]),
    );
}

#[test]
fn inline_indicators_edited_on_one_side_and_appended_on_the_other_merge() {
    let base = std::fs::read_to_string("plans/eucom-sample.toml").unwrap();
    let first = "    { name = \"Test protocol adopted by partner labs\", baseline = \"None\", target = \"Adopted by 4 labs\" },\n";
    let second = "    { name = \"Protocol proposed in a NATO forum\", baseline = \"No\", target = \"Yes\" },\n";
    let edited = first.replace("4 labs", "6 labs");
    let added = "    { name = \"Theirs' third\", baseline = \"0\", target = \"1\" },\n";
    let ours = edit(&base, &[(first, &edited)]);
    let theirs = edit(&base, &[(second, &format!("{second}{added}"))]);
    let Some(merged) = merge(&base, &ours, &theirs) else {
        return;
    };
    assert_clean(
        &merged,
        &edit(
            &base,
            &[(
                &format!("{first}{second}"),
                &format!("{edited}{second}{added}"),
            )],
        ),
    );
}

/// The base with POL-ST-2 moved from Poland to Norway, after NOR-ST-1.
fn pol_st_2_in_norway(base: &str) -> String {
    let objective = pol_st_2();
    let nor_ag_1 = "  [[country.agreement]]\n  id = \"NOR-AG-1\"";
    edit(
        base,
        &[
            (objective, ""),
            (nor_ag_1, &format!("{objective}{nor_ag_1}")),
        ],
    )
}

#[test]
fn an_objective_moved_to_another_country_on_one_side_keeps_the_other_sides_edit() {
    let (old, new) = ("Fictional objective two.", "Edited objective two.");
    let moved = pol_st_2_in_norway(BASE);
    let edited = edit(BASE, &[(old, new)]);
    let expected = edit(&moved, &[(old, new)]);
    for (ours, theirs) in [(&moved, &edited), (&edited, &moved)] {
        let Some(merged) = merge(BASE, ours, theirs) else {
            return;
        };
        assert_clean(&merged, &expected);
    }
}

#[test]
fn a_move_against_a_deletion_is_a_conflict_and_the_item_is_never_twice() {
    let moved = pol_st_2_in_norway(BASE);
    let deleted = edit(BASE, &[(pol_st_2(), "")]);
    let nor =
        &BASE[BASE.find("[[country]]\ncode = \"NOR\"").unwrap()..BASE.find("[[waiver]]").unwrap()];
    let no_norway = edit(BASE, &[(nor, "")]);
    for (ours, theirs, why) in [
        (&moved, &deleted, "changed by ours, deleted by theirs"),
        (&deleted, &moved, "deleted by ours, changed by theirs"),
        (
            &moved,
            &no_norway,
            "country NOR: changed by ours, deleted by theirs",
        ),
    ] {
        let Some(merged) = merge(BASE, ours, theirs) else {
            return;
        };
        assert!(!merged.clean, "{}", merged.text());
        assert!(merged.said.contains(why), "{}", merged.said);
        let text = merged.text();
        assert_eq!(text.matches("id = \"POL-ST-2\"").count(), 1, "{text}");
        let (begin, end) = (text.find("<<<<<<<").unwrap(), text.find(">>>>>>>").unwrap());
        let at = text.find("id = \"POL-ST-2\"").unwrap();
        assert!(
            begin < at && at < end,
            "the item is inside the conflict: {text}"
        );
    }
}

#[test]
fn an_item_moved_to_different_countries_on_both_sides_is_a_conflict() {
    let gbr = "\n[[country]]\ncode = \"GBR\"\nname = \"United Kingdom\"\n";
    let base = format!("{BASE}{gbr}");
    let to_norway = pol_st_2_in_norway(&base);
    let to_britain = edit(
        &base,
        &[(pol_st_2(), ""), (gbr, &format!("{gbr}{}", pol_st_2()))],
    );
    // Into a section the other side adds, too.
    let new_britain = edit(BASE, &[(pol_st_2(), "")]) + gbr + pol_st_2();
    let base_without = BASE.to_string();
    let to_norway_only = pol_st_2_in_norway(BASE);
    for (base, ours, theirs) in [
        (&base, &to_norway, &to_britain),
        (&base, &to_britain, &to_norway),
        (&base_without, &to_norway_only, &new_britain),
        (&base_without, &new_britain, &to_norway_only),
    ] {
        let Some(merged) = merge(base, ours, theirs) else {
            return;
        };
        assert!(!merged.clean, "{}\n{}", merged.said, merged.text());
        let why = "objective POL-ST-2: moved to different countries on both sides";
        assert!(merged.said.contains(why), "{}", merged.said);
        // Each copy is inside a conflict (ours' where ours put it, theirs' where theirs did):
        // taking either side everywhere leaves one.
        let text = merged.text();
        let blocks: Vec<(usize, usize)> = text
            .match_indices("<<<<<<<")
            .map(|(at, _)| (at, at + text[at..].find(">>>>>>>").unwrap()))
            .collect();
        let copies: Vec<usize> = text
            .match_indices("id = \"POL-ST-2\"")
            .map(|(at, _)| at)
            .collect();
        assert_eq!(copies.len(), 2, "{text}");
        for at in copies {
            assert!(
                blocks.iter().any(|&(b, e)| b < at && at < e),
                "a copy outside: {text}"
            );
        }
    }
}

#[test]
fn a_list_laid_out_anew_on_one_side_takes_the_other_sides_change_in_its_layout() {
    let list = "strengths = [\n  \"Fast procurement\",\n  \"Field experience\",\n]\n";
    let commented = "strengths = [\n  # from the country team review\n  \"Fast procurement\",\n  \"Field experience\",\n]\n";
    let one_line = "strengths = [\"Fast procurement\", \"Field experience\"]\n";
    let added =
        "strengths = [\n  \"Fast procurement\",\n  \"Field experience\",\n  \"Drones\",\n]\n";
    let cases = [
        (
            commented,
            "strengths = [\n  # from the country team review\n  \"Fast procurement\",\n  \"Field experience\",\n  \"Drones\",\n]\n",
        ),
        (
            one_line,
            "strengths = [\"Fast procurement\", \"Field experience\", \"Drones\"]\n",
        ),
    ];
    for (laid_out, expected) in cases {
        let laid_out = edit(BASE, &[(list, laid_out)]);
        let added = edit(BASE, &[(list, added)]);
        // Either side may be the one that laid it out: its layout stays, with the other's entry.
        for (ours, theirs) in [(&laid_out, &added), (&added, &laid_out)] {
            let Some(merged) = merge(BASE, ours, theirs) else {
                return;
            };
            assert_clean(&merged, &edit(BASE, &[(list, expected)]));
        }
    }
}

#[test]
fn a_collection_spelled_anew_on_one_side_takes_the_other_sides_change_in_that_spelling() {
    let headers = "    [[country.objective.indicator]]\n    name = \"Trials completed\"\n    baseline = \"0\"\n    target = \"3\"\n    [[country.objective.indicator]]\n    name = \"Missions completed\"\n    baseline = \"None\"\n    target = \"80 percent\"\n";
    let inline = "  indicator = [\n    { name = \"Trials completed\", baseline = \"0\", target = \"3\" },\n    { name = \"Missions completed\", baseline = \"None\", target = \"80 percent\" },\n  ]\n";
    let base = edit(BASE, &[(headers, inline)]);
    // Ours writes the inline list as header tables (diff sees no change); theirs edits one.
    let ours = edit(&base, &[(inline, headers)]);
    let theirs = edit(&base, &[("target = \"3\"", "target = \"4\"")]);
    let Some(merged) = merge(&base, &ours, &theirs) else {
        return;
    };
    assert_clean(
        &merged,
        &edit(&ours, &[("target = \"3\"", "target = \"4\"")]),
    );
    // And the other way: ours the inline list, theirs' header tables edited.
    let Some(merged) = merge(
        BASE,
        edit(BASE, &[(headers, inline)]),
        edit(BASE, &[("target = \"3\"", "target = \"4\"")]),
    ) else {
        return;
    };
    assert_clean(
        &merged,
        &edit(&base, &[("target = \"3\"", "target = \"4\"")]),
    );
    // Theirs spells it anew, ours changes nothing there: theirs' spelling, as theirs wrote it.
    let elsewhere = ("name = \"Poland\"", "name = \"Republic of Poland\"");
    let Some(merged) = merge(BASE, edit(BASE, &[elsewhere]), &base) else {
        return;
    };
    assert_clean(&merged, &edit(&base, &[elsewhere]));
    // Theirs adds an entry to the inline list ours wrote as header tables: it comes in
    // ours' spelling, laid out as its neighbours.
    let second =
        "    { name = \"Missions completed\", baseline = \"None\", target = \"80 percent\" },\n";
    let added = format!("{second}    {{ name = \"Third\", baseline = \"0\", target = \"1\" }},\n");
    let Some(merged) = merge(&base, &ours, edit(&base, &[(second, added.as_str())])) else {
        return;
    };
    let header = "    [[country.objective.indicator]]\n    name = \"Third\"\n    baseline = \"0\"\n    target = \"1\"\n";
    assert_clean(
        &merged,
        &edit(&ours, &[(headers, &format!("{headers}{header}"))]),
    );
}

#[test]
fn a_comment_changed_on_one_side_and_the_value_on_the_other_merge() {
    let (name, text) = (
        "name = \"Poland\"\n",
        "  text = \"Fictional objective one.\" # the first\n",
    );
    let comments = edit(
        BASE,
        &[
            (name, "name = \"Poland\" # short name\n"),
            (
                text,
                "  text = \"Fictional objective one.\" # the first one\n",
            ),
        ],
    );
    let values = edit(
        BASE,
        &[
            (name, "name = \"Republic of Poland\"\n"),
            (text, "  text = \"Edited one.\" # the first\n"),
        ],
    );
    let both = edit(
        BASE,
        &[
            (name, "name = \"Republic of Poland\" # short name\n"),
            (text, "  text = \"Edited one.\" # the first one\n"),
        ],
    );
    for (ours, theirs) in [(&comments, &values), (&values, &comments)] {
        let Some(merged) = merge(BASE, ours, theirs) else {
            return;
        };
        assert_clean(&merged, &both);
    }
}
