//! Markdown: the same structure as the HTML export, with the banner at the top and bottom and
//! every piece of plan text escaped so that it reads as text and cannot change the document's
//! structure (no heading, list, table cell, link, emphasis or raw HTML of its own).

use std::fmt::Write as _;

use super::prose::paragraphs;
use super::stamp::DRAFT_NOTICE;
use super::view::{CountryView, MarkingBlock, ObjectiveView, TechArea, Text, View};
use crate::plan::schema::TableKind::{self, *};

/// How the paragraphs of a text are laid out, by where the text stands.
#[derive(Clone, Copy)]
enum Where {
    /// A heading: one line only.
    Heading,
    /// A paragraph or list item whose content starts at this column: a blank line between
    /// paragraphs, each continuing indented under the content.
    Block(usize),
    /// A table cell: two `<br>` elements (a cell cannot hold a blank line).
    Cell,
}

/// Escapes plan text for Markdown, its paragraphs laid out as `at` needs (one rule for every
/// format: see [`paragraphs`]).
fn md(s: &str, at: Where) -> String {
    match at {
        Where::Heading => joined(s, " "),
        Where::Block(indent) => joined(s, &format!("\n\n{}", " ".repeat(indent))),
        Where::Cell => joined(s, "<br><br>"),
    }
}

/// The escaped paragraphs of `s`, `between` each two.
fn joined(s: &str, between: &str) -> String {
    // One line is one paragraph (the export's text is reflowed already): nothing to join.
    if !s.contains('\n') {
        return escape_line(s.trim());
    }
    let paragraphs: Vec<String> = paragraphs(s).iter().map(|p| escape_line(p)).collect();
    paragraphs.join(between)
}

/// Escapes one line: `&`, `<`, `>` as entities (so no raw HTML or autolink); inline syntax
/// characters with a backslash wherever they are; and what would start a block at the
/// beginning of a line (`-`, `+`, `=`, `1.`, `1)`).
pub(crate) fn escape_line(line: &str) -> String {
    // An ordered-list marker: one to nine digits, `.` or `)`, then a space or the line's end.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let list_marker = (1..=9).contains(&digits)
        && line[digits..].starts_with(['.', ')'])
        && line[digits + 1..].chars().next().is_none_or(|c| c == ' ');
    let mut out = String::with_capacity(line.len() + 8);
    // Every character escaped is ASCII: the text between two of them is copied as one run.
    let mut from = 0;
    for (i, b) in line.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'{' | b'}' | b'|' | b'~' | b'$' | b'#'
            | b'^' => "\\",
            b'-' | b'+' | b'=' if i == 0 => "\\",
            b'.' | b')' if list_marker && i == digits => "\\",
            _ => continue,
        };
        out.push_str(&line[from..i]);
        out.push_str(entity);
        if entity == "\\" {
            out.push(char::from(b));
        }
        from = i + 1;
    }
    out.push_str(&line[from..]);
    out
}

/// A portion's text whose first paragraph follows `mark` already: every further paragraph
/// (a portion of its own) starts with the mark too, indented as `Block(indent)`.
fn marked(mark: &str, s: &str, indent: usize) -> String {
    joined(s, &format!("\n\n{}{mark} ", " ".repeat(indent)))
}

/// A portion mark, e.g. `(U)`, escaped as text.
fn mark(marking: &str) -> String {
    format!("({})", md(marking, Where::Heading))
}

struct Doc {
    out: String,
    draft: bool,
}

impl Doc {
    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    /// A `##` section heading, followed by the draft notice when there is one.
    fn section(&mut self, title: &str) {
        self.line(&format!("## {title}"));
        self.blank();
        if self.draft {
            self.line(&format!("**{DRAFT_NOTICE}**"));
            self.blank();
        }
    }

    /// A `###` heading and a table, or nothing when there are no rows.
    fn subsection(&mut self, title: &str, head: &[&str], rows: impl Iterator<Item = Vec<String>>) {
        let rows: Vec<Vec<String>> = rows.collect();
        if rows.is_empty() {
            return;
        }
        self.line(&format!("### {title}"));
        self.blank();
        self.table(head, &rows);
    }

    /// A table whose cells are already escaped.
    fn table(&mut self, head: &[&str], rows: &[Vec<String>]) {
        self.line(&format!("| {} |", head.join(" | ")));
        self.line(&format!("|{}", "---|".repeat(head.len())));
        for row in rows {
            self.line(&format!("| {} |", row.join(" | ")));
        }
        self.blank();
    }
}

fn cell(s: &str) -> String {
    md(s, Where::Cell)
}

fn opt_cell(s: &Option<Text>) -> String {
    s.as_deref().map(cell).unwrap_or_default()
}

fn areas(list: &[TechArea]) -> String {
    list.iter()
        .map(|t| md(&t.name, Where::Cell))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Renders the Markdown document.
pub fn render(view: &View) -> Vec<u8> {
    let mut d = Doc {
        out: String::new(),
        draft: view.draft,
    };
    let banner = format!("**{}**", md(&view.banner, Where::Heading));
    d.line(&banner);
    d.blank();
    if let Some(recipient) = &view.recipient {
        d.line(&format!("**{}**", md(&recipient.statement, Where::Heading)));
        d.blank();
    }
    if view.draft {
        d.line(&format!("**{DRAFT_NOTICE}**"));
        d.blank();
    }
    let p = &view.plan;
    d.line(&format!(
        "# {} {}",
        mark(&view.title_marking()),
        md(&p.title, Where::Heading)
    ));
    d.blank();
    let mut meta = vec![
        vec![Plan.label("id").to_string(), cell(&p.id)],
        vec![Plan.label("command").to_string(), cell(&p.command)],
        vec![Plan.label("version").to_string(), cell(&p.version)],
        vec![
            Plan.label("effective").to_string(),
            p.effective.clone().unwrap_or_default(),
        ],
    ];
    if let Some(end) = &p.period_end {
        meta.push(vec![Plan.label("period_end").to_string(), end.clone()]);
    }
    meta.push(vec![
        Plan.label("tech_list").to_string(),
        p.tech_list.to_string(),
    ]);
    meta.push(vec![
        Plan.label("marking_profile").to_string(),
        p.marking_profile.to_string(),
    ]);
    if let Some(by) = &p.prepared_by {
        meta.push(vec![Plan.label("prepared_by").to_string(), cell(by)]);
    }
    d.table(&["Field", "Value"], &meta);
    marking_blocks(&mut d, &view.designation);

    d.section("Strategic priorities");
    let rows: Vec<Vec<String>> = view
        .priorities
        .iter()
        .map(|p| {
            vec![
                mark(&p.marking),
                cell(&p.id),
                cell(&p.title),
                cell(&p.source),
                opt_cell(&p.description),
            ]
        })
        .collect();
    d.table(
        &heads(
            Priority,
            &["marking", "id", "title", "source", "description"],
        ),
        &rows,
    );

    let draft = view.draft;
    let written = super::write_on_two_cores(&view.countries, &mut d.out, |c, out| {
        // The section is written where the buffer ends, by a document of its own over it.
        let mut section = Doc {
            out: std::mem::take(out),
            draft,
        };
        country(&mut section, c);
        *out = section.out;
        Ok::<(), std::convert::Infallible>(())
    });
    let Ok(()) = written;

    d.section("Coverage matrix: S&T objectives per country and priority");
    let mut head = vec!["Country".to_string()];
    head.extend(view.coverage.priorities.iter().map(|id| cell(id)));
    let rows: Vec<Vec<String>> = view
        .coverage
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![format!("{} {}", cell(&r.code), cell(&r.name))];
            row.extend(r.counts.iter().map(ToString::to_string));
            row
        })
        .collect();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    d.table(&head, &rows);

    d.section("Validation stamp");
    let rows: Vec<Vec<String>> = view
        .stamp
        .lines()
        .into_iter()
        .map(|(key, value)| vec![key.to_string(), cell(&value)])
        .collect();
    d.table(&["Stamp", "Value"], &rows);

    if view.draft {
        d.line(&format!("**{DRAFT_NOTICE}**"));
        d.blank();
    }
    d.line(&banner);
    d.out.into_bytes()
}

/// The marking blocks before the first portion: each a bold title, then one `Label: value`
/// line per entry.
fn marking_blocks(d: &mut Doc, blocks: &[MarkingBlock]) {
    for block in blocks {
        d.line(&format!("**{}**", block.title));
        d.blank();
        let lines: Vec<String> = block
            .lines
            .iter()
            .map(|l| format!("{}: {}", l.label, md(&l.value, Where::Block(0))))
            .collect();
        d.line(&lines.join("\\\n"));
        d.blank();
    }
}

fn country(d: &mut Doc, c: &CountryView) {
    d.section(&format!(
        "{} {} ({})",
        mark(&c.marking),
        md(&c.name, Where::Heading),
        md(&c.code, Where::Heading)
    ));
    let m = mark(&c.marking);
    if let Some(summary) = &c.summary {
        d.line(&format!("{m} {}", marked(&m, summary, 0)));
        d.blank();
    }
    if !c.strengths.is_empty() {
        d.line(&format!("{}:", Country.label("strengths")));
        d.blank();
        for s in &c.strengths {
            d.line(&format!("- {m} {}", marked(&m, s, 2)));
        }
        d.blank();
    }
    if !c.objectives.is_empty() {
        d.line("### Objectives");
        d.blank();
        for o in &c.objectives {
            objective(d, o);
        }
        d.blank();
    }
    let date = |d: &Option<String>| d.clone().unwrap_or_default();
    d.subsection(
        "Agreements",
        &heads(
            Agreement,
            &[
                "marking",
                "id",
                "kind",
                "title",
                "signed",
                "expires",
                "last_reviewed",
            ],
        ),
        c.agreements.iter().map(|a| {
            vec![
                mark(&a.marking),
                cell(&a.id),
                cell(&a.kind),
                cell(&a.title),
                date(&a.signed),
                date(&a.expires),
                date(&a.last_reviewed),
            ]
        }),
    );
    d.subsection(
        "Actors",
        &heads(
            Actor,
            &["marking", "id", "kind", "name", "role", "last_reviewed"],
        ),
        c.actors.iter().map(|a| {
            vec![
                mark(&a.marking),
                cell(&a.id),
                cell(&a.kind),
                cell(&a.name),
                opt_cell(&a.role),
                date(&a.last_reviewed),
            ]
        }),
    );
    d.subsection(
        "Investment pools",
        &heads(
            Pool,
            &[
                "marking",
                "id",
                "name",
                "tech_areas",
                "us_share",
                "ip_terms",
            ],
        ),
        c.investment_pools.iter().map(|p| {
            vec![
                mark(&p.marking),
                cell(&p.id),
                cell(&p.name),
                areas(&p.tech_areas),
                p.us_share.map(|s| format!("{s}%")).unwrap_or_default(),
                opt_cell(&p.ip_terms),
            ]
        }),
    );
    d.subsection(
        "Barriers",
        &heads(Barrier, &["marking", "kind", "text", "mitigation"]),
        c.barriers.iter().map(|b| {
            vec![
                mark(&b.marking),
                cell(&b.kind),
                cell(&b.text),
                opt_cell(&b.mitigation),
            ]
        }),
    );
}

/// Column headers of a table's keys, from the table catalogue.
fn heads(kind: TableKind, keys: &[&str]) -> Vec<&'static str> {
    keys.iter().map(|key| kind.label(key)).collect()
}

fn objective(d: &mut Doc, o: &ObjectiveView) {
    let mut item = String::new();
    let m = mark(&o.marking);
    let _ = write!(
        item,
        "- {m} **{}** ({}): {}",
        md(&o.id, Where::Heading),
        md(o.kind_label(), Where::Heading),
        marked(&m, &o.text, 2)
    );
    d.line(&item);
    let links = |list: &[super::view::Link]| {
        list.iter()
            .map(|l| md(&l.label(), Where::Heading))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !o.priorities.is_empty() {
        d.line(&format!(
            "  - {}: {}",
            Objective.label("priorities"),
            links(&o.priorities)
        ));
    }
    if !o.suspect_links.is_empty() {
        d.line(&format!(
            "  - Suspect links (priority changed since the link was reviewed): {}",
            links(&o.suspect_links)
        ));
    }
    if !o.tech_areas.is_empty() {
        let names: Vec<String> = o
            .tech_areas
            .iter()
            .map(|t| md(&t.name, Where::Heading))
            .collect();
        d.line(&format!(
            "  - {}: {}",
            Objective.label("tech_areas"),
            names.join("; ")
        ));
    }
    if !o.governance.is_empty() {
        d.line(&format!(
            "  - {}: {}",
            Objective.label("governance"),
            links(&o.governance)
        ));
    }
    if let Some(date) = &o.target_date {
        d.line(&format!("  - {}: {date}", Objective.label("target_date")));
    }
    if !o.indicators.is_empty() {
        d.line("  - Indicators:");
        for i in &o.indicators {
            let m = mark(&i.marking);
            let mut line = format!("    - {m} {}", marked(&m, &i.name, 6));
            if let Some(b) = &i.baseline {
                let _ = write!(line, "; baseline: {}", md(b, Where::Block(6)));
            }
            if let Some(t) = &i.target {
                let _ = write!(line, "; target: {}", md(t, Where::Block(6)));
            }
            d.line(&line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_characters_are_escaped() {
        assert_eq!(escape_line("# title"), "\\# title");
        assert_eq!(escape_line("- item"), "\\- item");
        assert_eq!(escape_line("1. one"), "1\\. one");
        assert_eq!(escape_line("12)"), "12\\)");
        assert_eq!(escape_line("2.1 and 0.1.0"), "2.1 and 0.1.0");
        assert_eq!(escape_line("a-b 1.5"), "a-b 1.5");
        assert_eq!(escape_line("<b>&"), "&lt;b&gt;&amp;");
        assert_eq!(
            escape_line("[x](y) *z* | `c`"),
            "\\[x\\](y) \\*z\\* \\| \\`c\\`"
        );
        assert_eq!(md("a\n> quote", Where::Cell), "a &gt; quote");
        assert_eq!(md("a\n\n## b", Where::Cell), "a<br><br>\\#\\# b");
        assert_eq!(md("a\n\n  ## b", Where::Block(2)), "a\n\n  \\#\\# b");
    }
}
