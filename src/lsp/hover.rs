//! Hover: on a rule code, the rule's explanation; on an id, its item (for a priority: title,
//! source and coverage); on a marking, what it means and to whom the portion may go; on a
//! key, what the table catalogue says of it.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::cursor::{Cursor, Place, country_code};
use super::documents::Document;
use crate::check::registry;
use crate::edit::fixes::expected_banner;
use crate::export::markdown::escape_line;
use crate::plan::marking::{self, Marking, ParseError};
use crate::plan::model::{Plan, text, val};
use crate::plan::schema::{FieldType, TableKind};
use crate::text::sanitize;

/// What the hover shows, in Markdown, and the bytes it is about.
pub type Found = (String, std::ops::Range<usize>);

/// The hover at the cursor, if there is anything to say.
pub fn hover(doc: &Document, cursor: &Cursor) -> Option<Found> {
    if !doc.within() {
        return None;
    }
    if let Some(found) = rule(cursor) {
        return Some(found);
    }
    let plan = doc.last_plan();
    // A marking is read out only once the plan's level is known to be within the system high.
    if cursor.key() == Some("marking")
        && doc.ever_parsed()
        && let Some(s) = cursor.string()
    {
        let country = country_code(doc.text(), cursor.offset);
        let body = if cursor.table == Some(TableKind::Plan) {
            banner(&s.value, plan)
        } else {
            portion(&s.value, country.as_deref())
        };
        return Some((body, s.range.clone()));
    }
    if let Some(plan) = plan
        && let Some(found) = cursor
            .ids()
            .find_map(|(range, id)| item(plan, id).map(|body| (body, range)))
    {
        return Some(found);
    }
    if let Place::Key(entry) = &cursor.place {
        return key(cursor.table?, &entry.key).map(|body| (body, entry.key_range.clone()));
    }
    None
}

/// The protocol's hover for what [`hover`] found.
pub fn to_lsp(
    (body, range): Found,
    range_of: impl Fn(std::ops::Range<usize>) -> lsp_types::Range,
) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: body,
        }),
        range: Some(range_of(range)),
    }
}

/// A rule code under the cursor: the rule's explanation, as `scplan explain` gives it.
fn rule(cursor: &Cursor) -> Option<Found> {
    let (range, word) = cursor.word.as_ref()?;
    let rule = registry::find(word)?;
    Some((
        format!(
            "**{}** ({}): {}\n\n**Why it matters.** {}\n\n**How to fix it.** {}",
            rule.code,
            rule.severity.as_str(),
            rule.summary,
            rule.why,
            rule.fix
        ),
        range.clone(),
    ))
}

/// An item of the plan named `id`: a priority with its coverage, or any other item briefly.
fn item(plan: &Plan, id: &str) -> Option<String> {
    if let Some(p) = plan
        .priorities
        .iter()
        .find(|p| val(&p.id).is_some_and(|v| v == id))
    {
        let mut linked = 0;
        let mut st = 0;
        let mut countries: Vec<&str> = Vec::new();
        for c in &plan.countries {
            for o in &c.objectives {
                if val(&o.priorities).is_some_and(|l| l.entries.iter().any(|e| e == id)) {
                    linked += 1;
                    st += usize::from(o.is_st());
                    let code = text(&c.code);
                    if !countries.contains(&code) {
                        countries.push(code);
                    }
                }
            }
        }
        let mut out = format!(
            "**{}** (priority): {}\n\nSource: {}",
            plain(id),
            plain(text(&p.title)),
            plain(text(&p.source))
        );
        let description = text(&p.description).trim();
        if !description.is_empty() {
            out.push_str(&format!("\n\n{}", plain(description)));
        }
        out.push_str(&match linked {
            0 => "\n\nLinked by no objective: a coverage gap (SCP104).".to_string(),
            n => format!(
                "\n\nLinked by {n} objective{} ({st} S&T) in {}: {}",
                if n == 1 { "" } else { "s" },
                plural(countries.len(), "country", "countries"),
                plain(&countries.join(", "))
            ),
        });
        return Some(out);
    }
    for c in &plan.countries {
        if val(&c.code).is_some_and(|v| v == id) {
            return Some(format!(
                "**{}** (country): {}, {} objective{}",
                plain(id),
                plain(text(&c.name)),
                c.objectives.len(),
                if c.objectives.len() == 1 { "" } else { "s" }
            ));
        }
        let named = c
            .objectives
            .iter()
            .map(|o| (&o.id, "objective", text(&o.text)))
            .chain(
                c.agreements
                    .iter()
                    .map(|a| (&a.id, "agreement", text(&a.title))),
            )
            .chain(c.actors.iter().map(|a| (&a.id, "actor", text(&a.name))))
            .chain(
                c.pools
                    .iter()
                    .map(|p| (&p.id, "investment pool", text(&p.name))),
            );
        for (field, noun, what) in named {
            if val(field).is_some_and(|v| v == id) {
                return Some(format!(
                    "**{}** ({noun} of {}): {}",
                    plain(id),
                    plain(text(&c.code)),
                    plain(what)
                ));
            }
        }
    }
    None
}

/// Plan text as the hover's Markdown shows it literally: controls made visible, then every
/// Markdown character escaped, line by line (no link, image or HTML comes from a plan).
fn plain(s: &str) -> String {
    let lines: Vec<String> = sanitize(s).lines().map(escape_line).collect();
    lines.join("\n")
}

/// Plan text as a Markdown code span: fenced by more backticks than any run of them inside.
fn code(s: &str) -> String {
    let s = sanitize(s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick is padded, as CommonMark strips one space.
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// "1 country", "2 countries".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A portion marking: what it means, and to whom the portion may go (and, in a country's
/// section, whether to that country).
fn portion(raw: &str, country: Option<&str>) -> String {
    let m = match marking::parse_portion(raw) {
        Ok(m) => m,
        Err(ParseError::Obsolete) => {
            return format!(
                "{}: FOUO is obsolete; mark the portion CUI (SCP208).",
                code(raw)
            );
        }
        Err(ParseError::Unparseable(why)) => {
            return format!(
                "{} does not read as a portion marking: {} (SCP201)",
                code(raw),
                plain(&why)
            );
        }
    };
    let mut out = format!("{}: {}", code(raw), meaning(&m));
    out.push_str("\n\n");
    out.push_str(&releasability(&m));
    if let Some(code) = country {
        let yes = marking::releasable_to(&m, code);
        out.push_str(&format!(
            "\n\nIn {}'s section: {}",
            plain(code),
            if yes {
                format!("releasable to {}.", plain(code))
            } else {
                format!("not releasable to {} (SCP207).", plain(code))
            }
        ));
    }
    out
}

/// The banner: what it says, and the roll-up the portions require.
fn banner(raw: &str, plan: Option<&Plan>) -> String {
    let mut out = match marking::banner_as_portion(raw) {
        Some(m) => format!("Banner {}: {}", code(raw), meaning(&m)),
        None => format!("Banner {} does not read as a banner marking.", code(raw)),
    };
    if let Some(expected) = plan.and_then(expected_banner) {
        if expected == raw {
            out.push_str("\n\nIt is the roll-up of the portions.");
        } else {
            out.push_str(&format!(
                "\n\nThe portions roll up to {} (SCP202).",
                code(&expected)
            ));
        }
    }
    out
}

/// What a parsed marking says, in words.
fn meaning(m: &Marking) -> String {
    let mut parts = vec![m.level.banner_str().to_string()];
    if !m.categories.is_empty() {
        parts.push(format!("CUI categories {}", m.categories.join(", ")));
    }
    if m.nf {
        parts.push("not releasable to foreign nationals (NOFORN)".to_string());
    }
    if let Some(list) = &m.rel_to {
        parts.push(format!("releasable to {}", list.join(", ")));
    }
    if !m.ldcs.is_empty() {
        parts.push(format!("dissemination limited by {}", m.ldcs.join(", ")));
    }
    plain(&parts.join("; "))
}

/// To whom a portion with this marking may go, as SCP207 and the partner export judge it.
fn releasability(m: &Marking) -> String {
    if m.nf {
        return "Releasable to no partner (NF).".to_string();
    }
    match (&m.rel_to, m.level) {
        (_, marking::Level::U) => "Releasable to every partner (U).".to_string(),
        (Some(list), _) => {
            let countries: Vec<&str> = list
                .iter()
                .map(String::as_str)
                .filter(|e| *e != "USA" && e.len() == 3)
                .collect();
            if countries.is_empty() {
                "Releasable to no partner country (the list names none).".to_string()
            } else {
                plain(&format!("Releasable to {} only.", countries.join(", ")))
            }
        }
        (None, _) => "Releasable to no partner (no REL TO list).".to_string(),
    }
}

/// What the table catalogue says of `key` in a table of `kind`.
fn key(kind: TableKind, key: &str) -> Option<String> {
    if let Some(child) = kind.children().iter().find(|c| c.key() == key) {
        return Some(format!(
            "`{}`: the {} table {}",
            key,
            child.noun(),
            child.header()
        ));
    }
    let spec = kind.field(key)?;
    let ty = match spec.ty {
        FieldType::Enum(values) => format!("one of {}", values.join(", ")),
        FieldType::PriorityLinks => "an array of priority ids".to_string(),
        FieldType::TechAreas => "an array of technology areas of the plan's list".to_string(),
        FieldType::GovernanceLinks => {
            "an array of ids of this country's agreements or actors".to_string()
        }
        other => other.describe().to_string(),
    };
    let need = if spec.required {
        "required"
    } else {
        "optional"
    };
    Some(format!(
        "**{}** ({}, {need}) in {}: {}\n\n{}",
        spec.name,
        spec.label,
        kind.header(),
        ty,
        spec.help
    ))
}
