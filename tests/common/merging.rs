//! The harness of the merge-driver scenarios: a base plan (tests/fixtures/merge/base.toml,
//! whose sections are written with no blank lines so that edits to different items sit on
//! neighbouring lines), a repository set up by `scplan git-setup` with ours on `main` and
//! theirs on a branch, and `git merge` through the driver.

use super::git::{self, Repo};

pub const BASE: &str = include_str!("../fixtures/merge/base.toml");

/// `text` with each `(old, new)` replaced; each `old` must occur exactly once.
pub fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (old, new) in edits {
        assert_eq!(out.matches(old).count(), 1, "`{old}` once in the text");
        out = out.replacen(old, new, 1);
    }
    out
}

/// What `git merge` left.
pub struct Merged {
    /// The plan in the work tree.
    pub bytes: Vec<u8>,
    /// Whether git merged without conflict.
    pub clean: bool,
    /// What git (and the driver) said on standard error and output.
    pub said: String,
}

impl Merged {
    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).expect("UTF-8")
    }
}

/// A repository set up by `scplan git-setup` whose `main` has `base` then `ours` in
/// `plan.toml`, and whose branch `theirs` has `base` then `theirs`.
pub fn repo(base: &[u8], ours: &[u8], theirs: &[u8]) -> Repo {
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
pub fn merge(
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
pub fn assert_clean(merged: &Merged, expected: &str) {
    assert!(
        merged.clean,
        "git merge failed: {}\n{}",
        merged.said,
        merged.text()
    );
    assert_eq!(merged.text(), expected, "{}", merged.said);
}

/// Asserts a conflicted merge with exactly `expected`.
pub fn assert_conflict(merged: &Merged, expected: &str) {
    assert!(!merged.clean, "git merge succeeded: {}", merged.said);
    assert_eq!(merged.text(), expected, "{}", merged.said);
}

pub fn objective(id: &str, text: &str) -> String {
    format!(
        "  [[country.objective]]\n  id = \"{id}\"\n  kind = \"sc\"\n  text = \"{text}\"\n  priorities = [\"SP-1\"]\n  target_date = 2029-09-30\n"
    )
}

/// The text of a priority of the base.
pub fn priority(id: &str) -> String {
    let start = BASE.find(&format!("[[priority]]\nid = \"{id}\"")).unwrap();
    let rest = &BASE[start + 1..];
    let end = rest.find("\n[[").map_or(BASE.len(), |i| start + 1 + i + 1);
    BASE[start..end].to_string()
}

/// The text of POL-ST-2 of the base, its indicator included.
pub fn pol_st_2() -> &'static str {
    let start = BASE
        .find("  [[country.objective]]\n  id = \"POL-ST-2\"")
        .unwrap();
    let end = BASE
        .find("  [[country.agreement]]\n  id = \"POL-AG-1\"")
        .unwrap();
    &BASE[start..end]
}
