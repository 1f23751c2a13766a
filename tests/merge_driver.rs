//! `scplan merge` as git's merge driver, in real repositories (see tests/merge_git.rs): real
//! conflicts and their spans, line endings and byte-order marks, comments, marked plans,
//! new errors, files that are not plans, and `scplan git-setup`.

mod common;

use common::git::{self, Repo};
use common::merging::{BASE, assert_clean, assert_conflict, edit, merge, pol_st_2, priority, repo};

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
