//! `scplan diff`: what changed between two versions of a plan, each a file or a file at a git
//! revision: `diff OLD NEW`, `diff PATH` (the working file against `HEAD`), `diff REV:PATH`
//! (that revision against the working file) and `diff REV1..REV2 PATH`.

use std::path::{Path, PathBuf};

use anyhow::Result;

use scplan::check::Settings;
use scplan::diff::{self, VersionError};

use super::args::DiffFormat;
use super::exit::{Code, fail};
use super::files::{Input, read_input};
use super::output::print;
use scplan::parallel;

/// Prints the changes from `old` to `new`: exit 0 when there are none, 1 when there are.
pub fn run(
    old: &Path,
    new: Option<&Path>,
    format: DiffFormat,
    settings: &Settings,
) -> Result<Code> {
    if new.is_none() && range(old, &Input::of(old)).is_some() {
        return Err(fail(
            Code::Usage,
            format!(
                "`{}` names two revisions, not a plan: give the plan's path after it (`scplan diff {} plans/PLAN.toml`)",
                old.display(),
                old.display()
            ),
        ));
    }
    let (old, new) = versions(old, new);
    let (a, b) = match load_versions([&old, &new], settings)? {
        Some(versions) => versions,
        None => return Ok(Code::Ok),
    };
    let changes = diff::diff(&a, &b);
    if changes.is_empty() {
        return Ok(Code::Ok);
    }
    let (old_name, new_name) = (old.name(), new.name());
    print(&match format {
        DiffFormat::Human => diff::render::human(&changes, &old_name, &new_name),
        DiffFormat::Json => diff::render::json(&changes, &old_name, &new_name),
        DiffFormat::Md => diff::render::markdown(&changes, &a, &b, &old_name, &new_name),
    })?;
    // The process exits now: the operating system takes the plans back at no cost, where
    // freeing them piece by piece would take a twentieth of the run.
    std::mem::forget((a, b));
    Ok(Code::Findings)
}

/// The two versions the arguments name. One argument: a file against its `HEAD` version, or
/// `REV:PATH` against the file `PATH`. Two: `REV1..REV2 PATH` (an empty side is `HEAD`, as
/// for git), else each argument a file or `REV:PATH`.
fn versions(old: &Path, new: Option<&Path>) -> (Input, Input) {
    let at = |rev: &str, path: &Path| Input::Revision {
        rev: if rev.is_empty() { "HEAD" } else { rev }.to_string(),
        path: path.to_path_buf(),
    };
    match (Input::of(old), new) {
        (Input::File(path), None) => (at("HEAD", &path), Input::File(path)),
        (Input::Revision { rev, path }, None) => {
            let working = Input::File(working_file(&path));
            (Input::Revision { rev, path }, working)
        }
        (first, Some(new)) => match range(old, &first) {
            Some((a, b)) => (at(&a, new), at(&b, new)),
            None => (first, Input::of(new)),
        },
    }
}

/// The working file of `REV:PATH`: `PATH` from the current folder, else (when there is none
/// there) from the top of the repository, as the revision's side is read.
fn working_file(path: &Path) -> PathBuf {
    if path.is_absolute() || std::fs::symlink_metadata(path).is_ok() {
        return path.to_path_buf();
    }
    let from_top = std::env::current_dir()
        .ok()
        .and_then(|here| scplan::vcs::Repo::discover(&here).ok())
        .map(|repo| repo.top().join(path))
        .filter(|p| p.exists());
    from_top.unwrap_or_else(|| path.to_path_buf())
}

/// `REV1..REV2` when that is what the argument is (it names no file and has no colon).
fn range(arg: &Path, input: &Input) -> Option<(String, String)> {
    let Input::File(path) = input else {
        return None;
    };
    if std::fs::symlink_metadata(path).is_ok() {
        return None;
    }
    let (a, b) = arg.to_str()?.split_once("..")?;
    // No revision starts or ends with a slash: `../old.toml` is a path.
    let revision = |r: &str| !r.starts_with('/') && !r.ends_with('/');
    (revision(a) && revision(b)).then(|| (a.to_string(), b.to_string()))
}

/// Reads both versions, then loads them, each on its own core where there are two. `None`
/// when the bytes are the same: the versions are equal without comparing their items, but the
/// file is loaded once all the same, so that a plan that cannot be read or is marked above the
/// system high is refused as in any diff. A failure is the old version's first, as when
/// loading one after the other.
fn load_versions(
    inputs: [&Input; 2],
    settings: &Settings,
) -> Result<Option<(diff::Version, diff::Version)>> {
    let old = read_input(inputs[0])?;
    let new = read_input(inputs[1])?;
    if old == new {
        drop(new);
        load_version(inputs[0], old, settings)?;
        return Ok(None);
    }
    let (a, b) = parallel::both(
        || load_version(inputs[0], old, settings),
        || load_version(inputs[1], new, settings),
    );
    Ok(Some((a?, b?)))
}

/// Loads one version: exit 2 when it cannot be parsed, 1 when it is above the system high.
fn load_version(input: &Input, bytes: Vec<u8>, settings: &Settings) -> Result<diff::Version> {
    let name = input.name();
    diff::Version::load_vec(bytes, settings).map_err(|err| match err {
        VersionError::Unreadable(_) => fail(Code::Usage, format!("{name}: {err}")),
        VersionError::Syntax { .. } => fail(Code::Usage, format!("{name}:{err}")),
        VersionError::AboveSystemHigh(_) => fail(Code::Findings, format!("{name}:{err}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn rev(rev: &str, path: &str) -> Input {
        Input::Revision {
            rev: rev.to_string(),
            path: PathBuf::from(path),
        }
    }

    #[test]
    fn arguments_name_files_revisions_and_ranges() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            versions(&p("no-such.toml"), None),
            (rev("HEAD", "no-such.toml"), Input::File(p("no-such.toml")))
        );
        assert_eq!(
            versions(&p("v1:a.toml"), None),
            (rev("v1", "a.toml"), Input::File(p("a.toml")))
        );
        assert_eq!(
            versions(&p("v1..v2"), Some(&p("a.toml"))),
            (rev("v1", "a.toml"), rev("v2", "a.toml"))
        );
        assert_eq!(
            versions(&p("v1.."), Some(&p("a.toml"))),
            (rev("v1", "a.toml"), rev("HEAD", "a.toml"))
        );
        assert_eq!(
            versions(&p("old.toml"), Some(&p("HEAD~2:a.toml"))),
            (Input::File(p("old.toml")), rev("HEAD~2", "a.toml"))
        );
        assert_eq!(
            versions(&p("../old.toml"), Some(&p("a.toml"))),
            (Input::File(p("../old.toml")), Input::File(p("a.toml")))
        );
    }
}
