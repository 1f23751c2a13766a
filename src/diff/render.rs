//! The three forms of `scplan diff`: a line per change for the terminal, JSON for scripts, and
//! Markdown that reads as the annex of an annual review memo.

use std::cmp::Ordering;
use std::fmt::Write;

use serde_json::{Value, json};

use super::{Change, ChangeKind, Finding, PlanDiff, Version, memo_banner};
use crate::plan::schema::TableKind;
use crate::report::plural;
use crate::text::sanitize;

/// The word for a change: `raised` / `lowered` for a marking whose level moved, else the
/// change kind.
pub fn verb(change: &Change) -> &'static str {
    match change.marking_shift() {
        Some(Ordering::Greater) => "raised",
        Some(Ordering::Less) => "lowered",
        _ => change.change.as_str(),
    }
}

/// What a change of a link's review stamp means: `link SP-1 reviewed`, `link SP-1 is
/// suspect`, `link SP-1 stamp removed`; `None` for any other change.
pub fn stamp_note(change: &Change) -> Option<String> {
    let p = change.stamped_priority()?;
    Some(match change.change {
        ChangeKind::Reviewed => format!("link {p} reviewed"),
        ChangeKind::Suspect => {
            format!("link {p} is suspect: {p} changed since the link was reviewed")
        }
        _ => format!("link {p} stamp removed"),
    })
}

/// For a change of a list field: the entries added and the entries removed.
pub fn list_delta(change: &Change) -> Option<(Vec<String>, Vec<String>)> {
    if change.change != ChangeKind::Changed || !change.spec()?.ty.is_list() {
        return None;
    }
    let entries = |value: &Option<Value>| -> Vec<String> {
        value
            .as_ref()
            .and_then(Value::as_array)
            .map(|items| items.iter().map(plain).collect())
            .unwrap_or_default()
    };
    let (old, new) = (entries(&change.old), entries(&change.new));
    let added = new.iter().filter(|e| !old.contains(e)).cloned().collect();
    let removed = old.iter().filter(|e| !new.contains(e)).cloned().collect();
    Some((added, removed))
}

/// A value as a reader sees it: text unquoted, lists joined with ", ".
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", plain(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// What a reader knows an added or removed item by: its title, name, text or reason.
fn caption(value: &Option<Value>) -> Option<String> {
    let object = value.as_ref()?.as_object()?;
    ["title", "name", "text", "reason"]
        .iter()
        .find_map(|key| object.get(*key).and_then(Value::as_str))
        .map(str::to_string)
}

/// `added "SP-3", "SP-4"; removed "SP-1"`.
fn delta_text(added: &[String], removed: &[String], quote: fn(&str) -> String) -> String {
    let list = |items: &[String]| {
        items
            .iter()
            .map(|s| quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", list(added)));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", list(removed)));
    }
    if parts.is_empty() {
        parts.push("reordered".to_string());
    }
    parts.join("; ")
}

/// The counts of a diff, in words (links reviewed and made suspect only when there are any).
fn summary(diff: &PlanDiff) -> String {
    let count = |kind: ChangeKind| diff.changes.iter().filter(|c| c.change == kind).count();
    let (reviewed, suspect) = (count(ChangeKind::Reviewed), count(ChangeKind::Suspect));
    let mut kinds = format!(
        "{} added, {} removed, {} changed, {} moved",
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Changed),
        count(ChangeKind::Moved),
    );
    if reviewed > 0 {
        let _ = write!(kinds, ", {reviewed} reviewed");
    }
    let mut out = format!(
        "{} ({kinds})",
        plural(diff.changes.len() - suspect, "change")
    );
    if suspect > 0 {
        let _ = write!(out, "; {} made suspect", plural(suspect, "link"));
    }
    let _ = write!(
        out,
        "; diagnostics: {} introduced, {} resolved",
        diff.introduced.len(),
        diff.resolved.len()
    );
    out
}

/// The JSON document: `{"version": 1, "old", "new", "changes", "diagnostics"}`.
pub fn json(diff: &PlanDiff, old_path: &str, new_path: &str) -> String {
    let changes: Vec<Value> = diff
        .changes
        .iter()
        .map(|c| {
            json!({
                "change": c.change.as_str(),
                "entity": c.entity.key(),
                "key": c.key,
                "country": c.country,
                "field": c.field,
                "old": c.old,
                "new": c.new,
            })
        })
        .collect();
    let findings = |list: &[Finding]| -> Vec<Value> {
        list.iter()
            .map(|f| json!({"code": f.code, "item": f.item}))
            .collect()
    };
    let doc = json!({
        "version": 1,
        "old": old_path,
        "new": new_path,
        "changes": changes,
        "diagnostics": {
            "introduced": findings(&diff.introduced),
            "resolved": findings(&diff.resolved),
        },
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// A change as one line of `scplan diff`: the verb, the item and what changed (sanitized).
pub fn line(c: &Change) -> String {
    let value = |v: &Option<Value>| v.as_ref().map_or("(absent)".to_string(), Value::to_string);
    let detail = match (c.change, c.field.as_deref()) {
        (ChangeKind::Added | ChangeKind::Removed, _) => {
            let shown = if c.change == ChangeKind::Added {
                &c.new
            } else {
                &c.old
            };
            caption(shown)
                .map(|t| format!(" {}", quoted(&t)))
                .unwrap_or_default()
        }
        (ChangeKind::Moved, Some(field)) => {
            format!(
                ": {field} {} -> {}",
                plain_or_absent(&c.old),
                plain_or_absent(&c.new)
            )
        }
        _ if c.stamped_priority().is_some() => {
            format!(": {}", stamp_note(c).unwrap_or_default())
        }
        (_, field) => {
            let field = field.unwrap_or_default();
            match list_delta(c) {
                Some((added, removed)) => {
                    format!(": {field}: {}", delta_text(&added, &removed, quoted))
                }
                None => format!(": {field}: {} -> {}", value(&c.old), value(&c.new)),
            }
        }
    };
    sanitize(&format!("{:<10} {}{detail}", verb(c), c.label()))
}

/// A diagnostic introduced or resolved (`word`) as one line of `scplan diff` (sanitized).
pub fn finding_line(word: &str, f: &Finding) -> String {
    sanitize(&format!(
        "{word:<10} {}[{}]{} {}: {}",
        f.severity.as_str(),
        f.code,
        if f.waived { " (waived)" } else { "" },
        f.item,
        f.message
    ))
}

/// One line per change, then the diagnostics introduced and resolved, then a summary.
pub fn human(diff: &PlanDiff, old_path: &str, new_path: &str) -> String {
    let mut out = String::new();
    for c in &diff.changes {
        let _ = writeln!(out, "{}", line(c));
    }
    for (word, list) in [
        ("introduced", &diff.introduced),
        ("resolved", &diff.resolved),
    ] {
        for f in list {
            let _ = writeln!(out, "{}", finding_line(word, f));
        }
    }
    let _ = writeln!(
        out,
        "{} -> {}: {}",
        sanitize(old_path),
        sanitize(new_path),
        summary(diff)
    );
    out
}

/// Text in double quotes, escaped as in JSON.
fn quoted(text: &str) -> String {
    Value::from(text).to_string()
}

fn plain_or_absent(value: &Option<Value>) -> String {
    value.as_ref().map_or("(absent)".to_string(), plain)
}

/// Text made safe for a Markdown table cell.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            ch => out.push(ch),
        }
    }
    sanitize(&out)
}

fn md_value(value: &Option<Value>) -> String {
    match value {
        None => "—".to_string(),
        Some(v) => md(&plain(v)),
    }
}

/// The section of the memo a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Plan,
    Priorities,
    Countries,
    Waivers,
}

fn section(change: &Change) -> Section {
    match change.entity {
        TableKind::Plan | TableKind::Cui | TableKind::Authority => Section::Plan,
        TableKind::Priority => Section::Priorities,
        TableKind::Waiver => Section::Waivers,
        _ => Section::Countries,
    }
}

fn md_row(out: &mut String, c: &Change) {
    let item = match c.entity {
        TableKind::Country => "section".to_string(),
        _ => md(&c.label()),
    };
    let field = c
        .field
        .as_deref()
        .map_or(String::new(), |f| format!("`{f}`"));
    let (what, old, new) = match c.change {
        ChangeKind::Added => (
            "added".to_string(),
            "—".to_string(),
            caption(&c.new).map_or(String::new(), |t| md(&t)),
        ),
        ChangeKind::Removed => (
            "removed".to_string(),
            caption(&c.old).map_or(String::new(), |t| md(&t)),
            "—".to_string(),
        ),
        _ => {
            let what = match (stamp_note(c), list_delta(c)) {
                (Some(note), _) => md(&note),
                (None, Some((added, removed))) => delta_text(&added, &removed, md),
                (None, None) => verb(c).to_string(),
            };
            (what, md_value(&c.old), md_value(&c.new))
        }
    };
    let _ = writeln!(out, "| {what} | {item} | {field} | {old} | {new} |");
}

const TABLE_HEAD: &str = "| Change | Item | Field | Previous | Current |\n|---|---|---|---|---|\n";

fn md_table(out: &mut String, changes: &[&Change]) {
    if changes.is_empty() {
        out.push_str("No changes.\n\n");
        return;
    }
    out.push_str(TABLE_HEAD);
    for c in changes {
        md_row(out, c);
    }
    out.push('\n');
}

fn md_findings(out: &mut String, title: &str, findings: &[Finding]) {
    let _ = writeln!(out, "### {title}\n");
    if findings.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    out.push_str("| Code | Severity | Item | Message |\n|---|---|---|---|\n");
    for f in findings {
        let _ = writeln!(
            out,
            "| {} | {}{} | {} | {} |",
            f.code,
            f.severity.as_str(),
            if f.waived { " (waived)" } else { "" },
            md(&f.item),
            md(&f.message)
        );
    }
    out.push('\n');
}

/// The annex of an annual review memo, with the higher of the two versions' banners at the
/// top and the bottom.
pub fn markdown(
    diff: &PlanDiff,
    old: &Version,
    new: &Version,
    old_path: &str,
    new_path: &str,
) -> String {
    let banner = md(&memo_banner(old, new));
    let mut out = String::new();
    let _ = writeln!(out, "**{banner}**\n");
    let id = new
        .plan_value("id")
        .or_else(|| old.plan_value("id"))
        .unwrap_or_else(|| "the plan".to_string());
    let _ = writeln!(
        out,
        "# Annex: changes to {} since the previous version\n",
        md(&id)
    );
    out.push_str(
        "This annex lists every change between the previous and the current version of the \
         plan, item by item, and the findings of `scplan check` that the changes introduced or \
         resolved.\n\n",
    );
    out.push_str("| | Previous | Current |\n|---|---|---|\n");
    let _ = writeln!(out, "| File | {} | {} |", md(old_path), md(new_path));
    for (label, key) in [
        ("Plan", "id"),
        ("Version", "version"),
        ("Effective", "effective"),
        ("Banner", "marking"),
    ] {
        let cell = |v: &Version| v.plan_value(key).map_or("—".to_string(), |s| md(&s));
        let _ = writeln!(out, "| {label} | {} | {} |", cell(old), cell(new));
    }
    let _ = writeln!(out, "\n**Summary:** {}.\n", summary(diff));

    let of = |wanted: Section| -> Vec<&Change> {
        diff.changes
            .iter()
            .filter(|c| section(c) == wanted)
            .collect()
    };
    out.push_str("## 1. Plan\n\n");
    md_table(&mut out, &of(Section::Plan));
    out.push_str("## 2. Strategic priorities\n\n");
    md_table(&mut out, &of(Section::Priorities));
    out.push_str("## 3. Country sections\n\n");
    let in_countries = of(Section::Countries);
    let mut codes: Vec<&str> = Vec::new();
    for c in &in_countries {
        let code = c.country.as_deref().unwrap_or_default();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if codes.is_empty() {
        out.push_str("No changes.\n\n");
    }
    for code in codes {
        let name = new.country_name(code).or_else(|| old.country_name(code));
        let heading = match name {
            Some(name) => format!("{} {}", md(code), md(name)),
            None => md(code),
        };
        let _ = writeln!(out, "### {heading}\n");
        let changes: Vec<&Change> = in_countries
            .iter()
            .copied()
            .filter(|c| c.country.as_deref().unwrap_or_default() == code)
            .collect();
        md_table(&mut out, &changes);
    }
    out.push_str("## 4. Waivers\n\n");
    md_table(&mut out, &of(Section::Waivers));
    out.push_str("## 5. Findings of `scplan check`\n\n");
    md_findings(&mut out, "Introduced", &diff.introduced);
    md_findings(&mut out, "Resolved", &diff.resolved);
    let _ = writeln!(out, "**{banner}**");
    out
}
