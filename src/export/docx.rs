//! Word (`.docx`): the banner in the header and footer of every page with "Page X of Y" in the
//! footer, a cover page with the marking blocks, a table of contents field, Heading 1-3 for
//! plan / country / item, a portion mark before every portion's paragraph, and real Word
//! tables whose header row repeats on every page. Byte-reproducible: the zip entries carry a
//! fixed time and the document properties carry the stamp's time.

use std::borrow::Cow;
use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, BuildXML, Docx, FieldCharType, Footer, Header, InstrNUMPAGES,
    InstrPAGE, InstrText, Paragraph, Run, Style, StyleType, TableOfContents,
};

use super::prose::paragraphs;
use super::stamp::DRAFT_NOTICE;
use super::view::{CountryView, Link, MarkingBlock, ObjectiveView, TechArea, Text, View};
use crate::plan::schema::TableKind::{self, *};

/// Renders the Word document.
pub fn render(view: &View) -> Result<Vec<u8>, String> {
    // docx-rs numbers paragraphs with a per-thread counter that a build does not fully reset:
    // a fresh thread starts every document at the same number, so equal plans give equal bytes.
    std::thread::scope(|scope| scope.spawn(|| build(view)).join())
        .map_err(|_| "the Word writer panicked".to_string())?
}

/// Builds and packs the document (on a thread of its own, see [`render`]). The body is
/// written out piece by piece as it is built (a docx-rs paragraph is far larger than its
/// XML: a large plan's body held whole took gigabytes); docx-rs packs every other part from a
/// skeleton whose body holds only the table of contents, and the package is written again,
/// deflated, with the body in its document part ([`docx_package`](super::docx_package)).
fn build(view: &View) -> Result<Vec<u8>, String> {
    let mut d = Body::default();
    cover(&mut d, view);
    d.push(
        Paragraph::new()
            .style("TOCHeading")
            .add_run(Run::new().add_text("Contents")),
    );
    let toc_at = d.xml.len();
    let toc = TableOfContents::new().heading_styles_range(1, 3).dirty();
    body(&mut d, view);
    let skeleton = styles(Docx::new())
        .header(header(view))
        .footer(footer(view))
        .created_at(&view.stamp.time)
        .updated_at(&view.stamp.time)
        .add_table_of_contents(toc)
        .add_paragraph(page_break());
    let mut packed = Cursor::new(Vec::new());
    skeleton
        .build()
        .pack(&mut packed)
        .map_err(|e| e.to_string())?;
    super::docx_package::deflated(&packed.into_inner(), &d.xml, toc_at)
}

/// The body being written: its XML so far.
#[derive(Default)]
struct Body {
    xml: Vec<u8>,
}

impl Body {
    fn push(&mut self, p: Paragraph) {
        self.xml.extend_from_slice(&p.build());
    }

    fn text(&mut self, s: &str) {
        for p in paragraphs(s) {
            self.push(Paragraph::new().add_run(Run::new().add_text(p)));
        }
    }

    /// A portion's text, its mark before every paragraph (each paragraph is a portion).
    fn portion(&mut self, marking: &str, s: &str) {
        for p in paragraphs(s) {
            let para = Paragraph::new()
                .add_run(Run::new().bold().add_text(format!("{} ", mark(marking))))
                .add_run(Run::new().add_text(p));
            self.push(para);
        }
    }

    fn heading(&mut self, level: usize, s: &str) {
        let style = format!("Heading{level}");
        self.push(
            Paragraph::new()
                .style(&style)
                .add_run(Run::new().add_text(s)),
        );
    }

    fn bold(&mut self, s: &str) {
        self.push(Paragraph::new().add_run(Run::new().bold().add_text(s)));
    }

    /// A table with a repeated header row, or nothing when there are no rows.
    fn table(&mut self, head: &[&str], rows: Vec<Vec<String>>) {
        if rows.is_empty() {
            return;
        }
        // Written here rather than through docx-rs: a table is most of a large plan's body,
        // and docx-rs's cells, paragraphs and runs cost far more to build than their XML.
        // The XML is docx-rs's own, to the byte, with the header row repeated on every page.
        let out = &mut self.xml;
        out.extend_from_slice(TABLE_START.as_bytes());
        let mut row = |cells: &mut dyn Iterator<Item = &str>, head: bool| {
            out.extend_from_slice(if head {
                b"<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"
            } else {
                b"<w:tr><w:trPr />"
            });
            for cell in cells {
                out.extend_from_slice(b"<w:tc><w:tcPr />");
                for p in paragraphs(cell) {
                    // A paragraph id from docx-rs's own counter, as its paragraphs take them.
                    let id = Paragraph::new().id;
                    let run = if head {
                        "<w:rPr><w:b /><w:bCs /></w:rPr>"
                    } else {
                        "<w:rPr />"
                    };
                    let text = xml_text(&p);
                    let xml = format!(
                        "<w:p w14:paraId=\"{id}\"><w:pPr><w:rPr /></w:pPr><w:r>{run}<w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
                    );
                    out.extend_from_slice(xml.as_bytes());
                }
                out.extend_from_slice(b"</w:tc>");
            }
            out.extend_from_slice(b"</w:tr>");
        };
        row(&mut head.iter().copied(), true);
        for r in &rows {
            row(&mut r.iter().map(String::as_str), false);
        }
        out.extend_from_slice(b"</w:tbl>");
        self.push(Paragraph::new());
    }
}

/// The start of every table, as docx-rs writes it: automatic width, single borders.
const TABLE_START: &str = concat!(
    "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\" /><w:jc w:val=\"left\" /><w:tblBorders>",
    "<w:top w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />",
    "<w:left w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />",
    "<w:bottom w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />",
    "<w:right w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />",
    "<w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />",
    "<w:insideV w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />",
    "</w:tblBorders></w:tblPr><w:tblGrid />",
);

/// Text escaped for a `w:t` element as docx-rs escapes it (line breaks are dropped: a
/// paragraph has none, and LibreOffice rejects an escaped carriage return).
fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A portion mark, e.g. `(U)`.
fn mark(marking: &str) -> String {
    format!("({marking})")
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

/// Heading 1-3 and the contents heading, named as Word names its built-in styles so that
/// staff restyle and navigate them as usual.
fn styles(docx: Docx) -> Docx {
    let heading = |level: usize, size: usize| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(level - 1)
            .bold()
            .size(size)
    };
    docx.add_style(heading(1, 32))
        .add_style(heading(2, 28))
        .add_style(heading(3, 24))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .bold()
                .size(44),
        )
        .add_style(
            Style::new("TOCHeading", StyleType::Paragraph)
                .name("TOC Heading")
                .based_on("Normal")
                .bold()
                .size(28),
        )
}

fn centered(s: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().bold().add_text(s))
}

/// The banner, and the draft notice under it, at the top of every page.
fn header(view: &View) -> Header {
    let mut h = Header::new().add_paragraph(centered(&view.banner));
    if view.draft {
        h = h.add_paragraph(centered(DRAFT_NOTICE));
    }
    h
}

/// A field (`PAGE`, `NUMPAGES`) whose cached value is `shown` until Word updates it.
fn field(p: Paragraph, instr: InstrText, shown: &str) -> Paragraph {
    p.add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(instr))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text(shown))
        .add_run(Run::new().add_field_char(FieldCharType::End, false))
}

/// The draft notice, the banner and "Page X of Y" at the bottom of every page.
fn footer(view: &View) -> Footer {
    let mut f = Footer::new();
    if view.draft {
        f = f.add_paragraph(centered(DRAFT_NOTICE));
    }
    let page = Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text("Page "));
    let page =
        field(page, InstrText::PAGE(InstrPAGE::new()), "1").add_run(Run::new().add_text(" of "));
    let page = field(page, InstrText::NUMPAGES(InstrNUMPAGES::new()), "1");
    f.add_paragraph(centered(&view.banner)).add_paragraph(page)
}

/// The cover: title, the plan's identity, the recipient and draft notices, the marking blocks.
fn cover(d: &mut Body, view: &View) {
    d.push(centered(&view.banner));
    if let Some(r) = &view.recipient {
        d.push(centered(&r.statement));
    }
    if view.draft {
        d.push(centered(DRAFT_NOTICE));
    }
    let p = &view.plan;
    d.push(
        Paragraph::new()
            .style("Title")
            .align(AlignmentType::Center)
            .add_run(
                Run::new()
                    .bold()
                    .add_text(format!("{} ", mark(&view.title_marking()))),
            )
            .add_run(Run::new().add_text(p.title.replace('\n', " "))),
    );
    let mut meta = vec![
        (Plan.label("command"), p.command.clone()),
        (Plan.label("version"), p.version.clone()),
        (
            Plan.label("effective"),
            Cow::from(p.effective.as_deref().unwrap_or_default()),
        ),
    ];
    if let Some(end) = &p.period_end {
        meta.push((Plan.label("period_end"), Cow::from(end.as_str())));
    }
    if let Some(by) = &p.prepared_by {
        meta.push((Plan.label("prepared_by"), by.clone()));
    }
    meta.push((Plan.label("id"), p.id.clone()));
    for (label, value) in meta {
        d.push(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().bold().add_text(format!("{label}: ")))
                .add_run(Run::new().add_text(value.replace('\n', " "))),
        );
    }
    marking_blocks(d, &view.designation);
    d.push(page_break());
}

/// The marking blocks: a bold title, then one `Label: value` line per entry.
fn marking_blocks(d: &mut Body, blocks: &[MarkingBlock]) {
    for block in blocks {
        d.bold(block.title);
        for l in &block.lines {
            d.push(
                Paragraph::new()
                    .add_run(Run::new().add_text(format!("{}: ", l.label)))
                    .add_run(Run::new().add_text(l.value.replace('\n', " "))),
            );
        }
    }
}

/// Column headers of a table's keys, from the table catalogue.
fn heads(kind: TableKind, keys: &[&str]) -> Vec<&'static str> {
    keys.iter().map(|key| kind.label(key)).collect()
}

fn links(list: &[Link]) -> String {
    list.iter().map(Link::label).collect::<Vec<_>>().join("; ")
}

fn areas(list: &[TechArea]) -> String {
    list.iter()
        .map(|t| t.name.as_ref())
        .collect::<Vec<_>>()
        .join("; ")
}

fn opt(s: &Option<Text>) -> String {
    s.as_deref().unwrap_or_default().to_string()
}

/// The plan's sections after the contents.
fn body(d: &mut Body, view: &View) {
    let title = view.plan.title.replace('\n', " ");
    d.heading(1, &format!("{} {title}", mark(&view.title_marking())));
    section(d, view, "Strategic priorities");
    let rows = view
        .priorities
        .iter()
        .map(|p| {
            vec![
                mark(&p.marking),
                p.id.to_string(),
                p.title.to_string(),
                p.source.to_string(),
                opt(&p.description),
            ]
        })
        .collect();
    let keys = ["marking", "id", "title", "source", "description"];
    d.table(&heads(Priority, &keys), rows);
    for c in &view.countries {
        country(d, view, c);
    }
    section(
        d,
        view,
        "Coverage matrix: S&T objectives per country and priority",
    );
    let mut head = vec!["Country"];
    head.extend(view.coverage.priorities.iter().map(AsRef::as_ref));
    let rows = view
        .coverage
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![format!("{} {}", r.code, r.name)];
            row.extend(r.counts.iter().map(ToString::to_string));
            row
        })
        .collect();
    d.table(&head, rows);
    section(d, view, "Validation stamp");
    let rows = view
        .stamp
        .lines()
        .into_iter()
        .map(|(key, value)| vec![key.to_string(), value])
        .collect();
    d.table(&["Stamp", "Value"], rows);
}

/// A Heading 2 section, followed by the draft notice when there is one.
fn section(d: &mut Body, view: &View, title: &str) {
    d.heading(2, title);
    if view.draft {
        d.bold(DRAFT_NOTICE);
    }
}

fn country(d: &mut Body, view: &View, c: &CountryView) {
    let name = c.name.replace('\n', " ");
    section(
        d,
        view,
        &format!("{} {name} ({})", mark(&c.marking), c.code),
    );
    if let Some(summary) = &c.summary {
        d.portion(&c.marking, summary);
    }
    if !c.strengths.is_empty() {
        d.text(&format!("{}:", Country.label("strengths")));
        for s in &c.strengths {
            d.portion(&c.marking, s);
        }
    }
    for o in &c.objectives {
        objective(d, o);
    }
    let date = |d: &Option<String>| d.clone().unwrap_or_default();
    let agreements = c.agreements.iter().map(|a| {
        vec![
            mark(&a.marking),
            a.id.to_string(),
            a.kind.to_string(),
            a.title.to_string(),
            date(&a.signed),
            date(&a.expires),
            date(&a.last_reviewed),
        ]
    });
    let keys = [
        "marking",
        "id",
        "kind",
        "title",
        "signed",
        "expires",
        "last_reviewed",
    ];
    subsection(
        d,
        "Agreements",
        &heads(Agreement, &keys),
        agreements.collect(),
    );
    let actors = c.actors.iter().map(|a| {
        vec![
            mark(&a.marking),
            a.id.to_string(),
            a.kind.to_string(),
            a.name.to_string(),
            opt(&a.role),
            date(&a.last_reviewed),
        ]
    });
    let keys = ["marking", "id", "kind", "name", "role", "last_reviewed"];
    subsection(d, "Actors", &heads(Actor, &keys), actors.collect());
    let pools = c.investment_pools.iter().map(|p| {
        vec![
            mark(&p.marking),
            p.id.to_string(),
            p.name.to_string(),
            areas(&p.tech_areas),
            p.us_share.map(|s| format!("{s}%")).unwrap_or_default(),
            opt(&p.ip_terms),
        ]
    });
    let keys = [
        "marking",
        "id",
        "name",
        "tech_areas",
        "us_share",
        "ip_terms",
    ];
    subsection(d, "Investment pools", &heads(Pool, &keys), pools.collect());
    let barriers = c.barriers.iter().map(|b| {
        vec![
            mark(&b.marking),
            b.kind.to_string(),
            b.text.to_string(),
            opt(&b.mitigation),
        ]
    });
    let keys = ["marking", "kind", "text", "mitigation"];
    subsection(d, "Barriers", &heads(Barrier, &keys), barriers.collect());
}

/// A Heading 3 and a table, or nothing when there are no rows.
fn subsection(d: &mut Body, title: &str, head: &[&str], rows: Vec<Vec<String>>) {
    if !rows.is_empty() {
        d.heading(3, title);
        d.table(head, rows);
    }
}

/// An objective: a Heading 3, its marked text, and a table of its links and indicators.
fn objective(d: &mut Body, o: &ObjectiveView) {
    d.heading(
        3,
        &format!("{} {} ({})", mark(&o.marking), o.id, o.kind_label()),
    );
    d.portion(&o.marking, &o.text);
    let mut rows = Vec::new();
    if !o.priorities.is_empty() {
        rows.push(vec![
            Objective.label("priorities").to_string(),
            links(&o.priorities),
        ]);
    }
    if !o.suspect_links.is_empty() {
        rows.push(vec![
            "Suspect links (priority changed since the link was reviewed)".to_string(),
            links(&o.suspect_links),
        ]);
    }
    if !o.tech_areas.is_empty() {
        rows.push(vec![
            Objective.label("tech_areas").to_string(),
            areas(&o.tech_areas),
        ]);
    }
    if !o.governance.is_empty() {
        rows.push(vec![
            Objective.label("governance").to_string(),
            links(&o.governance),
        ]);
    }
    if let Some(date) = &o.target_date {
        rows.push(vec![
            Objective.label("target_date").to_string(),
            date.clone(),
        ]);
    }
    d.table(&["Field", "Value"], rows);
    let indicators = o
        .indicators
        .iter()
        .map(|i| {
            vec![
                mark(&i.marking),
                i.name.to_string(),
                opt(&i.baseline),
                opt(&i.target),
            ]
        })
        .collect();
    d.table(&["Marking", "Indicator", "Baseline", "Target"], indicators);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_docx_rs_escapes_it() {
        let s = "a & b <c> \"d\" 'e' \r\n f";
        let built = Paragraph::new().add_run(Run::new().add_text(s)).build();
        let built = String::from_utf8(built).unwrap();
        let ours = format!("<w:t xml:space=\"preserve\">{}</w:t>", xml_text(s));
        assert!(built.contains(&ours), "{built} lacks {ours}");
    }

    #[test]
    fn line_wraps_join_and_blank_lines_break() {
        assert_eq!(paragraphs("a\n  b\n\nc"), vec!["a b", "c"]);
        assert_eq!(paragraphs(""), vec![""]);
    }
}
