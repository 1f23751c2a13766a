//! `scplan stamp-links`: a stamp for every link that has none, for a plan adopting link
//! review. A link whose stamp differs from its priority's current one is left for review.

use std::path::Path;

use anyhow::Result;

use scplan::check::Settings;
use scplan::edit::review;
use scplan::text::sanitize;

use super::exit::Code;
use super::review::{print_stamped, save_stamps};

/// Stamps the unstamped links of `file` and saves it: exit 0 when every link now carries its
/// priority's current stamp, 1 when some keep a differing one (each named on stderr).
pub fn run(file: &Path, settings: &Settings) -> Result<Code> {
    let done = save_stamps(file, settings, |plan| Ok(review::unstamped(plan)))?;
    print_stamped(&done, "stamped")?;
    if done.stamped.is_empty() && done.kept.is_empty() {
        eprintln!(
            "scplan: note: {}: every link already carries its stamp; nothing was written",
            sanitize(&file.display().to_string())
        );
    }
    for k in &done.kept {
        let stored = k
            .stored
            .as_deref()
            .map_or("a malformed stamp".to_string(), |s| {
                format!("its stamp {s}")
            });
        eprintln!(
            "scplan: {}:{} keeps {stored}, not {}'s current {}: review the link, then run `scplan review {} --confirm {}:{}`",
            sanitize(&k.objective),
            sanitize(&k.priority),
            sanitize(&k.priority),
            k.current,
            sanitize(&file.display().to_string()),
            sanitize(&k.objective),
            sanitize(&k.priority),
        );
    }
    Ok(if done.kept.is_empty() {
        Code::Ok
    } else {
        Code::Findings
    })
}
