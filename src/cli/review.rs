//! `scplan review`: the links waiting for review after a priority changed, as text or JSON,
//! and their confirmation, which writes each link's current stamp. What a stamp is and which
//! links wait is the library's ([`scplan::edit::review`]); this reads, prints and saves.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde_json::{Value, json};

use scplan::check::Settings;
use scplan::edit::field::FieldError;
use scplan::edit::review::{self, Pending, QueueGroup, ReviewError, Stamping, Target};
use scplan::plan::document::PlanDocument;
use scplan::plan::model::Plan;
use scplan::plan::review::LinkState;
use scplan::plan::source;
use scplan::report::plural;
use scplan::text::sanitize;

use super::args::ReviewFormat;
use super::exit::{Code, fail};
use super::files::{read, rewrite};
use super::get::failure;
use super::output::print;

/// Prints the review queue of `file`: exit 0 when no link waits, 1 when some do.
pub fn list(file: &Path, format: ReviewFormat, settings: &Settings) -> Result<Code> {
    let bytes = read(file)?;
    let (_, plan) = review::open(&bytes, settings).map_err(|e| unreadable(file, e))?;
    let queue = review::queue(&plan);
    let link_review = plan.meta.link_review();
    print(&match format {
        ReviewFormat::Text => text(&queue),
        ReviewFormat::Json => json(&queue, &file.display().to_string(), link_review),
    })?;
    Ok(if queue.is_empty() {
        Code::Ok
    } else {
        Code::Findings
    })
}

/// `suspect` or `unstamped`, and the stamp the link was reviewed at, if any.
fn state(state: &LinkState) -> (&'static str, Option<&str>) {
    match state {
        LinkState::Suspect { stored } => ("suspect", Some(stored)),
        _ => ("unstamped", None),
    }
}

/// How many links wait, suspect and unstamped.
fn counts(queue: &[QueueGroup]) -> (usize, usize) {
    let links = queue.iter().flat_map(|g| &g.links);
    let suspect = links
        .clone()
        .filter(|l| matches!(l.state, LinkState::Suspect { .. }))
        .count();
    (suspect, links.count() - suspect)
}

/// A heading per priority, a line per link, then the counts.
fn text(queue: &[QueueGroup]) -> String {
    let mut out = String::new();
    for g in queue {
        let _ = writeln!(
            out,
            "{}",
            sanitize(&format!("{} {} (stamp {})", g.priority, g.title, g.stamp))
        );
        for l in &g.links {
            let (word, stored) = state(&l.state);
            let since = stored.map_or(String::new(), |s| format!(": reviewed at stamp {s}"));
            let line = format!("  {word:<10} {} ({}){since}", l.objective, l.country);
            let _ = writeln!(out, "{}", sanitize(&line));
        }
    }
    let (suspect, unstamped) = counts(queue);
    if suspect + unstamped == 0 {
        out.push_str("no link to review\n");
    } else {
        let _ = writeln!(
            out,
            "{} to review: {suspect} suspect, {unstamped} unstamped",
            plural(suspect + unstamped, "link")
        );
    }
    out
}

/// `{"version": 1, "file", "link_review", "queue": [...], "summary": {...}}`.
fn json(queue: &[QueueGroup], file: &str, link_review: bool) -> String {
    let groups: Vec<Value> = queue
        .iter()
        .map(|g| {
            let links: Vec<Value> = g
                .links
                .iter()
                .map(|l| {
                    let (word, stored) = state(&l.state);
                    json!({"objective": l.objective, "country": l.country, "state": word,
                           "reviewed": stored})
                })
                .collect();
            json!({"priority": g.priority, "title": g.title, "stamp": g.stamp, "links": links})
        })
        .collect();
    let (suspect, unstamped) = counts(queue);
    let doc = json!({
        "version": 1,
        "file": file,
        "link_review": link_review,
        "queue": groups,
        "summary": {"suspect": suspect, "unstamped": unstamped},
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Confirms links (`ID` for every link of an objective, `ID:PRIORITY` for one, `all_of` for
/// every link to a priority) and saves the plan; prints a line per stamp written.
pub fn confirm(
    file: &Path,
    confirm: &[String],
    all_of: Option<&str>,
    settings: &Settings,
) -> Result<Code> {
    let mut targets = Vec::with_capacity(confirm.len() + 1);
    for spec in confirm {
        targets.push(target(spec)?);
    }
    targets.extend(all_of.map(|p| Target::Priority(p.to_string())));
    let done = save_stamps(file, settings, |plan| review::confirmations(plan, &targets))?;
    if done.stamped.is_empty() {
        eprintln!(
            "scplan: note: {}: the stamps named are current; nothing was written",
            sanitize(&file.display().to_string())
        );
    }
    print_stamped(&done, "confirmed")?;
    Ok(Code::Ok)
}

/// `ID` or `ID:PRIORITY`.
fn target(spec: &str) -> Result<Target> {
    let bad = || {
        fail(
            Code::Usage,
            format!("`{spec}` is not ID or ID:PRIORITY (for example POL-ST-1 or POL-ST-1:SP-1)"),
        )
    };
    match spec.split_once(':') {
        None if !spec.is_empty() => Ok(Target::Objective(spec.to_string())),
        Some((id, p)) if !id.is_empty() && !p.is_empty() => {
            Ok(Target::Link(id.to_string(), p.to_string()))
        }
        _ => Err(bad()),
    }
}

/// Opens `file` under its lock, decides the stamps `pending` asks for and saves them (when
/// there are any); what was written is returned. The stamps go into the text where it holds
/// them in a simple form (one check of the plan), else through its document.
pub fn save_stamps(
    file: &Path,
    settings: &Settings,
    pending: impl for<'p> FnOnce(&'p Plan) -> Result<Pending<'p>, ReviewError>,
) -> Result<Stamping> {
    let mut done = Stamping::default();
    rewrite(file, |loaded| {
        if let Some((checked, layout)) =
            review::open_text(loaded, settings).map_err(|e| unreadable(file, e))?
            && let Some(plan) = &checked.plan
        {
            let pending = pending(plan).map_err(|e| refused(file, e))?;
            if pending.is_empty() {
                done = pending.written();
                return Ok(None);
            }
            if let Some(text) = pending.in_text(&checked.text) {
                done = pending.written();
                return Ok(Some(source::line_ends_like(
                    &[loaded],
                    source::encode(&text, layout),
                )));
            }
            let doc = PlanDocument::from_text(&checked.text, layout)
                .map_err(|e| failure(file, e.into()))?;
            return through_document(file, loaded, doc, pending, &mut done);
        }
        let (doc, plan) = review::open(loaded, settings).map_err(|e| unreadable(file, e))?;
        let pending = pending(&plan).map_err(|e| refused(file, e))?;
        through_document(file, loaded, doc, pending, &mut done)
    })?;
    Ok(done)
}

/// Writes `pending` through `doc` (of `file`, whose bytes were `loaded`); its bytes, or
/// `None` when nothing changes.
fn through_document(
    file: &Path,
    loaded: &[u8],
    mut doc: PlanDocument,
    pending: Pending,
    done: &mut Stamping,
) -> Result<Option<Vec<u8>>> {
    *done = pending.edits(&doc).map_err(|e| refused(file, e))?;
    let Some(edit) = done.edit.take() else {
        return Ok(None);
    };
    doc.apply(edit).map_err(|e| refused(file, e))?;
    Ok(Some(source::line_ends_like(&[loaded], doc.to_bytes())))
}

/// A plan that cannot be reviewed: exit 2 when it does not parse (1 means links wait), else
/// as `get` and `set` refuse.
fn unreadable(file: &Path, e: FieldError) -> anyhow::Error {
    match e {
        FieldError::Document(_) | FieldError::Syntax(_) => {
            fail(Code::Usage, format!("{}: {e}", file.display()))
        }
        e => failure(file, e),
    }
}

/// A stamp of `file` that cannot be written, as the exit of a refusal.
fn refused(file: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    fail(Code::Findings, format!("{}: {e}", file.display()))
}

/// A line per stamp written: `confirmed POL-ST-1:SP-1 (stamp 0989eac9)`.
pub fn print_stamped(done: &Stamping, word: &str) -> Result<()> {
    let mut out = String::new();
    for s in &done.stamped {
        let line = format!("{word} {}:{} (stamp {})", s.objective, s.priority, s.stamp);
        let _ = writeln!(out, "{}", sanitize(&line));
    }
    print(&out)
}
