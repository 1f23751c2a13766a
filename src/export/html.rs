//! HTML: one self-contained, print-ready file (inline stylesheet from `assets/export.css`, no
//! script, no external resource), rendered with an auto-escaping template
//! (`templates/export.html`), so plan text is escaped by construction. Printed, every page
//! carries the banner at its top and bottom and "Page X of Y" in the page's margin boxes; the
//! document opens with a cover and a linked table of contents, every id is an anchor and every
//! reference to a released item a link to it.

use std::fmt::Write as _;

use askama::Template;

use super::prose::paragraphs;
use super::stamp::DRAFT_NOTICE;
use super::view::{CountryView, Link, View};
use crate::plan::marking::{Level, banner_level};
use crate::plan::schema::TableKind;

/// The stylesheet inlined into every HTML export.
pub const CSS: &str = include_str!("../../assets/export.css");

#[derive(Template)]
#[template(path = "export.html")]
struct Page<'a> {
    v: &'a View<'a>,
    css: &'static str,
    /// The `@page` rule with the banner and page numbers in its margin boxes.
    page_rule: String,
    draft_notice: &'static str,
    /// The banner's level, lower case, for its colour (`u`, `cui`, `c`, `s`, `ts`).
    level: String,
    /// The title's portion mark (see [`View::title_marking`]).
    title_marking: String,
    stamp: Vec<(&'static str, String)>,
    matrix: Matrix,
    /// Which part of the page to render: the head before the sections, or the tail after.
    tail: bool,
}

/// One country section of the page (`templates/export_country.html`).
#[derive(Template)]
#[template(path = "export_country.html")]
struct Section<'a> {
    c: &'a CountryView<'a>,
    draft: bool,
    draft_notice: &'static str,
}

impl Helpers for Page<'_> {}
impl Helpers for Section<'_> {}

/// What the page's templates call on `self`.
trait Helpers {
    /// The export label of a table's key, from the table catalogue.
    fn th(&self, table: &str, key: &str) -> &'static str {
        TableKind::from_key(table).map_or("", |kind| kind.label(key))
    }

    /// A portion's paragraphs, each shown with its portion mark (see [`paragraphs`]).
    fn paragraphs(&self, s: &str) -> Vec<String> {
        paragraphs(s)
    }

    /// The anchor of an item (see [`anchor`]).
    fn anchor(&self, id: &str) -> String {
        anchor(id)
    }

    /// The fragment a link to a released item points at; `None` when its target is not in the
    /// document (an unknown id, in a draft), which is then shown as text.
    fn href(&self, link: &Link) -> Option<String> {
        link.name.as_ref().map(|_| format!("#{}", anchor(&link.id)))
    }
}

/// The `id` attribute of the item whose plan id (or country code) is `id`: `id-` and the id
/// with every character other than an ASCII letter, digit or `-` written as `_HEX.` (so two
/// ids never share an anchor, and an anchor is safe in an attribute and a fragment). Plan ids
/// and country codes are one namespace, so one prefix serves them all.
pub fn anchor(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 3);
    out.push_str("id-");
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}.", u32::from(c));
        }
    }
    out
}

/// The coverage matrix as the HTML shows it: priority titles over the columns, the cells
/// linked to the objectives they count, row and column totals.
pub struct Matrix {
    /// One per released priority, in plan order.
    pub columns: Vec<Column>,
    /// One per released country.
    pub rows: Vec<Row>,
    /// The sum of every cell.
    pub total: usize,
}

/// A column of the [`Matrix`].
pub struct Column {
    /// The priority's id.
    pub id: String,
    /// Its title, after its portion mark when that is not `U`.
    pub title: String,
    /// The sum of the column's cells; 0 means no country covers the priority.
    pub total: usize,
}

/// A row of the [`Matrix`].
pub struct Row {
    /// The country's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The counts, with the anchor of the first S&T objective each one counts.
    pub cells: Vec<(usize, Option<String>)>,
    /// The sum of the row's cells.
    pub total: usize,
}

impl Matrix {
    /// The matrix of `view`'s coverage.
    pub fn of(view: &View) -> Matrix {
        let coverage = &view.coverage;
        let rows: Vec<Row> = coverage
            .rows
            .iter()
            .zip(&view.countries)
            .map(|(row, country)| {
                let cells = row
                    .counts
                    .iter()
                    .zip(&coverage.priorities)
                    .map(|(&n, priority)| {
                        let first = country
                            .objectives
                            .iter()
                            .filter(|o| o.kind == "st")
                            .find(|o| o.priorities.iter().any(|l| &l.id == priority));
                        (n, first.map(|o| format!("#{}", anchor(&o.id))))
                    })
                    .collect();
                Row {
                    code: row.code.to_string(),
                    name: row.name.to_string(),
                    cells,
                    total: row.counts.iter().sum(),
                }
            })
            .collect();
        let columns = view
            .priorities
            .iter()
            .enumerate()
            .map(|(i, p)| Column {
                id: p.id.to_string(),
                // The title is text of the priority's portion: it carries its mark.
                title: if p.marking == "U" {
                    p.title.to_string()
                } else {
                    format!("({}) {}", p.marking, p.title)
                },
                total: coverage.rows.iter().filter_map(|r| r.counts.get(i)).sum(),
            })
            .collect();
        Matrix {
            total: rows.iter().map(|r| r.total).sum(),
            columns,
            rows,
        }
    }
}

/// Writes `s` as a CSS string's content: anything but a letter, digit, space, `,`, `/` or
/// `-` as a CSS escape, so that no text can end the string or the style element.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | ',' | '/' | '-') {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:06x}", u32::from(c));
        }
    }
    out
}

/// The `@page` rule: the banner (and a draft's notice) centred in the top and bottom margin
/// boxes of every printed page, "Page X of Y" at the bottom right.
fn page_rule(view: &View) -> String {
    let mut banner = css_string(&view.banner);
    if view.draft {
        let _ = write!(banner, " - {}", css_string(DRAFT_NOTICE));
    }
    let font = "font: bold 9pt \"Liberation Sans\", \"DejaVu Sans\", Arial, sans-serif";
    format!(
        "@page {{\n  @top-center {{ content: \"{banner}\"; {font}; }}\n  @bottom-center {{ content: \"{banner}\"; {font}; }}\n  @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {font}; }}\n}}"
    )
}

/// Renders the HTML document into a buffer made with room for `capacity` bytes (a whole
/// page at once, rather than a buffer doubled and copied as it grows).
pub fn render(view: &View, capacity: usize) -> Result<Vec<u8>, String> {
    let level = banner_level(&view.banner).unwrap_or(Level::U);
    let mut page = Page {
        v: view,
        css: CSS,
        page_rule: page_rule(view),
        draft_notice: DRAFT_NOTICE,
        level: level.portion_str().to_ascii_lowercase(),
        title_marking: view.title_marking(),
        stamp: view.stamp.lines(),
        matrix: Matrix::of(view),
        tail: false,
    };
    let mut out = String::with_capacity(capacity);
    let rendered = page.render_into(&mut out).and_then(|()| {
        super::write_on_two_cores(&view.countries, &mut out, |c, out| {
            let section = Section {
                c,
                draft: view.draft,
                draft_notice: DRAFT_NOTICE,
            };
            section.render_into(out)
        })
    });
    page.tail = true;
    rendered
        .and_then(|()| page.render_into(&mut out))
        .map_err(|e| e.to_string())?;
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_loads_nothing_and_cannot_close_its_element() {
        let css = CSS.to_ascii_lowercase();
        for banned in ["<", "url(", "@import", "http", "//"] {
            assert!(!css.contains(banned), "export.css holds {banned:?}");
        }
    }

    #[test]
    fn anchors_are_safe_and_distinct() {
        assert_eq!(anchor("POL-ST-1"), "id-POL-ST-1");
        assert_eq!(anchor("a b\"<"), "id-a_20.b_22._3c.");
        assert_ne!(anchor("a_20."), anchor("a b"));
    }

    #[test]
    fn css_strings_cannot_end_themselves_or_the_style_element() {
        let s = css_string("S//NF\" } </style> \\");
        assert!(!s.contains(['"', '<', '>', '}']), "{s}");
        assert!(s.starts_with("S//NF"));
    }

    #[test]
    fn the_title_is_marked_as_the_banner() {
        assert_eq!(super::super::view::title_marking("UNCLASSIFIED"), "U");
        assert_eq!(super::super::view::title_marking("SECRET//NOFORN"), "S//NF");
        assert_eq!(
            super::super::view::title_marking("CUI//SP-EXPT//REL TO USA, POL"),
            "CUI//SP-EXPT//REL TO USA, POL"
        );
    }
}
