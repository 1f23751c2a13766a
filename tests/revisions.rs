//! Plans read at git revisions (`REV:PATH`) by `check`, `get`, `export` and `diff`, in real
//! repositories: the same output as for the files, from any folder of the work tree, the
//! same marking rules, and clear refusals (exit 2) without git or outside a repository.

mod common;

use serde_json::Value;

use common::git::{self, Repo};

const DIFF: &str = "tests/fixtures/diff";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(path).expect("a fixture")
}

/// A repository whose `plans/plan.toml` is the diff fixtures' base at `v1` (also `HEAD~1`)
/// and `name`.toml at `v2` (`HEAD`).
fn history(name: &str) -> Repo {
    let repo = Repo::new();
    repo.write("plans/plan.toml", fixture(&format!("{DIFF}/base.toml")));
    repo.commit("v1");
    repo.ok(&["tag", "v1"]);
    repo.write("plans/plan.toml", fixture(&format!("{DIFF}/{name}.toml")));
    repo.commit("v2");
    repo.ok(&["tag", "v2"]);
    repo
}

/// `scplan diff --format json` of two fixture files, as the reference.
fn file_diff(old: &str, new: &str) -> Value {
    let out = common::scplan()
        .args(["diff", "--format", "json"])
        .arg(format!("{DIFF}/{old}.toml"))
        .arg(format!("{DIFF}/{new}.toml"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn diff_of_two_revisions_names_every_change_the_file_diff_names() {
    if !git::available() {
        return;
    }
    for name in [
        "fields",
        "items",
        "links",
        "markings",
        "moved",
        "diagnostics",
        "review",
    ] {
        let repo = history(name);
        let (out, err, code) = repo.scplan(
            "",
            &["diff", "--format", "json", "v1..v2", "plans/plan.toml"],
        );
        assert_eq!(code, Some(1), "{name}: {err}");
        let doc: Value = serde_json::from_str(&out).expect("JSON");
        let reference = file_diff("base", name);
        assert_eq!(doc["changes"], reference["changes"], "{name}");
        assert_eq!(doc["diagnostics"], reference["diagnostics"], "{name}");
        assert_eq!(doc["old"], "v1:plans/plan.toml");
        assert_eq!(doc["new"], "v2:plans/plan.toml");
        // The same from the plan's folder, with a path relative to it.
        let (here, _, code) = repo.scplan(
            "plans",
            &["diff", "--format", "json", "HEAD~1..HEAD", "plan.toml"],
        );
        assert_eq!(code, Some(1));
        let here: Value = serde_json::from_str(&here).expect("JSON");
        assert_eq!(here["changes"], reference["changes"], "{name} from plans/");
    }
}

#[test]
fn diff_of_one_path_compares_the_working_file_with_head() {
    if !git::available() {
        return;
    }
    let repo = history("fields");
    let (out, err, code) = repo.scplan("", &["diff", "plans/plan.toml"]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    repo.write("plans/plan.toml", fixture(&format!("{DIFF}/items.toml")));
    let (out, _, code) = repo.scplan("plans", &["diff", "plan.toml"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("HEAD:plan.toml -> plan.toml"), "{out}");
    // A revision alone is compared with the working file.
    let (out, _, code) = repo.scplan("plans", &["diff", "v1:plan.toml"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("v1:plan.toml -> plan.toml"), "{out}");
    // Named from the top of the repository, both sides are found from there.
    let (out, err, code) = repo.scplan("plans", &["diff", "v1:plans/plan.toml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("v1:plans/plan.toml -> "), "{out}");
}

#[test]
fn check_get_and_export_read_a_revision_from_any_folder() {
    if !git::available() {
        return;
    }
    let repo = history("fields");
    let (out, err, code) =
        repo.scplan("", &["check", "--format", "json", "HEAD~1:plans/plan.toml"]);
    assert_eq!(code, Some(0), "{err}");
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["files"][0]["file"], "HEAD~1:plans/plan.toml");
    let (out, _, _) = repo.scplan("plans", &["get", "v1:plan.toml", "plan.version", "--raw"]);
    assert_eq!(out, "1.0\n");
    let (out, _, _) = repo.scplan("plans", &["get", "v2:./plan.toml", "plan.version", "--raw"]);
    assert_eq!(out, "1.1\n");
    // As git names it: from the top of the repository, when the current folder has no such file.
    let (out, err, _) = repo.scplan(
        "plans",
        &["get", "v1:plans/plan.toml", "plan.version", "--raw"],
    );
    assert_eq!(out, "1.0\n", "{err}");
    let (_, err, code) = repo.scplan(
        "plans",
        &["get", "v1:./plans/plan.toml", "plan.version", "--raw"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("plans/plans/plan.toml"), "{err}");
    let absolute = repo.path().join("plans/plan.toml");
    let arg = format!("v1:{}", absolute.display());
    let (out, err, _) = repo.scplan("", &["get", &arg, "plan.version", "--raw"]);
    assert_eq!(out, "1.0\n", "{err}");
    repo.write("other/readme.txt", "x");
    let (out, _, _) = repo.scplan(
        "other",
        &["get", "v1:../plans/plan.toml", "plan.version", "--raw"],
    );
    assert_eq!(out, "1.0\n");
    let (md, err, code) = repo.scplan(
        "",
        &["export", "--format", "md", "--draft", "v1:plans/plan.toml"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(md.contains("UNCLASSIFIED"), "{md}");
}

#[test]
fn a_missing_revision_or_path_is_exit_2_with_a_clear_message() {
    if !git::available() {
        return;
    }
    let repo = history("fields");
    let (out, _, code) = repo.scplan("", &["check", "HEAD~7:plans/plan.toml"]);
    assert_eq!(code, Some(2));
    assert!(out.contains("`HEAD~7` is not a revision"), "{out}");
    let (_, err, code) = repo.scplan("", &["get", "v1:plans/none.toml", "plan.id"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("plans/none.toml does not exist in revision `v1`"),
        "{err}"
    );
    let (_, err, code) = repo.scplan("", &["get", "v1:plans", "plan.id"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("is a tree, not a file"), "{err}");
    let (_, err, code) = repo.scplan("", &["get", "v1:../elsewhere.toml", "plan.id"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("outside the repository"), "{err}");
}

#[test]
fn an_existing_file_whose_name_has_a_colon_is_that_file() {
    if !git::available() {
        return;
    }
    let repo = history("fields");
    repo.write("v1:plan.toml", fixture(&format!("{DIFF}/fields.toml")));
    let (out, err, code) = repo.scplan("", &["get", "v1:plan.toml", "plan.version", "--raw"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "1.1\n");
}

#[test]
fn outside_a_repository_or_without_git_a_revision_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = |path: &str, args: &[&str]| {
        let out = common::scplan()
            .current_dir(dir.path())
            .env("PATH", path)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", dir.path())
            .args(args)
            .output()
            .unwrap();
        // `check` reports an unreadable input in its report, the others on standard error.
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (said, out.status.code())
    };
    let path = std::env::var("PATH").unwrap_or_default();
    if git::available() {
        for args in [
            &["check", "HEAD~1:plan.toml"][..],
            &["get", "HEAD:plan.toml", "plan.id"],
            &["diff", "HEAD~1..HEAD", "plan.toml"],
            &["export", "--format", "md", "HEAD:plan.toml"],
        ] {
            let (err, code) = run(&path, args);
            assert_eq!(code, Some(2), "{args:?}");
            assert!(
                err.contains("is not inside a git repository"),
                "{args:?}: {err}"
            );
        }
    }
    let nowhere = dir.path().join("no-programs");
    std::fs::create_dir(&nowhere).unwrap();
    let (err, code) = run(
        &nowhere.display().to_string(),
        &["get", "HEAD:plan.toml", "plan.id"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("git is not installed"), "{err}");
    // Two revisions and no plan: said so, before any git is run.
    let (err, code) = run(&path, &["diff", "v1..v2"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("names two revisions, not a plan"), "{err}");
}

#[test]
fn a_revision_above_the_system_high_is_refused_like_a_file() {
    if !git::available() {
        return;
    }
    let repo = Repo::new();
    repo.write("plan.toml", fixture(&format!("{DIFF}/secret.toml")));
    repo.commit("secret");
    repo.write("plan.toml", fixture(&format!("{DIFF}/base.toml")));
    repo.commit("base");
    for args in [
        &["get", "HEAD~1:plan.toml", "plan.title"][..],
        &["diff", "HEAD~1..HEAD", "plan.toml"],
        &["diff", "HEAD~1:plan.toml"],
    ] {
        let (out, err, code) = repo.scplan("", args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(
            out.is_empty(),
            "{args:?}: nothing of the plan is shown: {out}"
        );
        assert!(err.contains("system high"), "{args:?}: {err}");
        assert!(!err.contains("Secure supply chains"), "{err}");
    }
    let (out, err, code) = repo.scplan(
        "",
        &["export", "--format", "md", "--draft", "HEAD~1:plan.toml"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty());
    let (out, _, code) = repo.scplan("", &["check", "HEAD~1:plan.toml"]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("SCP209") && !out.contains("Secure supply chains"),
        "{out}"
    );
}

#[test]
fn a_revision_over_the_size_limit_is_not_read() {
    if !git::available() {
        return;
    }
    let repo = Repo::new();
    let big = vec![b'#'; 64 * 1024 * 1024 + 1];
    repo.write("big.toml", &big);
    repo.commit("big");
    let (out, _, code) = repo.scplan("", &["check", "HEAD:big.toml"]);
    assert_eq!(code, Some(2));
    assert!(out.contains("over the 64 MiB limit"), "{out}");
}

#[test]
fn an_export_of_a_revision_never_replaces_the_working_plan() {
    if !git::available() {
        return;
    }
    let repo = history("fields");
    // An edit not yet committed, which the export must not take away.
    let edited = [
        fixture(&format!("{DIFF}/fields.toml")),
        b"# mine\n".to_vec(),
    ]
    .concat();
    repo.write("plans/plan.toml", &edited);
    // From `plans/`, `v1:plans/plan.toml` is git's name from the top: the same file.
    let attempts: [(&str, &str, &[&str]); 4] = [
        ("", "v1:plans/plan.toml", &["-o", "plans/plan.toml"]),
        ("plans", "v1:./plan.toml", &["-o", "plan.toml"]),
        (
            "",
            "HEAD:plans/plan.toml",
            &[
                "--releasable-to",
                "GBR",
                "-o",
                "copy.md",
                "--release-record",
                "plans/plan.toml",
            ],
        ),
        ("plans", "v1:plans/plan.toml", &["-o", "../plans/plan.toml"]),
    ];
    for (folder, rev, outputs) in attempts {
        let mut args = vec!["export", "--format", "md", "--draft", "--force", rev];
        args.extend_from_slice(outputs);
        let (_, err, code) = repo.scplan(folder, &args);
        assert_eq!(code, Some(2), "{rev} {outputs:?}: {err}");
        assert!(
            err.contains("that is the plan itself"),
            "{rev} {outputs:?}: {err}"
        );
        let now = repo.read("plans/plan.toml");
        assert!(now == edited, "{rev} {outputs:?}: the working plan changed");
    }
}
