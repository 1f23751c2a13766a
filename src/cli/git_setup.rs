//! `scplan git-setup`: makes git merge plans with `scplan merge`. It writes the
//! `.gitattributes` line (commit it, so that every clone sends plans to the driver) and the
//! driver's configuration in this clone, each only when it is not there yet, and says what it
//! did.

use anyhow::Result;

use scplan::store::{self, OsFs, SaveOptions};
use scplan::vcs::{Repo, setup};

use super::exit::{Code, fail};
use super::output::{print, print_notes};

/// Sets up the repository around the current folder for files matching `pattern`.
pub fn run(pattern: &str) -> Result<Code> {
    let usage = |e: scplan::vcs::VcsError| fail(Code::Usage, e.to_string());
    let repo = Repo::discover(&std::env::current_dir()?).map_err(usage)?;
    let line = setup::attributes_line(pattern);
    let mut text = String::new();
    match setup::attributes_update(&repo, pattern).map_err(usage)? {
        Some((path, bytes)) => {
            let report = store::save(&OsFs, &path, &bytes, SaveOptions::default())
                .map_err(|e| fail(Code::Usage, format!("not written: {e}")))?;
            print_notes(&report);
            text.push_str(&format!("added `{line}` to {}\n", path.display()));
        }
        None => text.push_str(&format!(
            "{}: `{line}` is there already\n",
            ".gitattributes"
        )),
    }
    for (key, value, written) in setup::configure(&repo).map_err(usage)? {
        if written {
            text.push_str(&format!("set git config {key} = \"{value}\"\n"));
        } else {
            text.push_str(&format!("git config {key} is \"{value}\" already\n"));
        }
    }
    text.push_str(
        "commit .gitattributes; each clone runs `scplan git-setup` once for the driver's config\n",
    );
    print(&scplan::text::sanitize_lines(&text))?;
    Ok(Code::Ok)
}
