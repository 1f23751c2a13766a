//! Excel (`.xlsx`): a "Marking" sheet first (banner, release and draft notices, the marking
//! blocks, the stamp), then one sheet per table (Priorities, Objectives, Links, Agreements,
//! Actors, Pools, Matrix, Findings) with its header on row 1, frozen and filtered, portion
//! markings in their own column and dates as Excel dates. The banner is in every sheet's
//! printed header and footer. Every piece of text is written as a string, so no plan text
//! becomes a formula. Byte-reproducible: the zip entries carry a fixed time and the workbook
//! the stamp's time.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::stamp::DRAFT_NOTICE;
use super::view::{Link, TechArea, View};
use crate::plan::schema::TableKind::{self, *};

/// The most UTF-16 units Excel allows in a printed header or footer.
const HEADER_LIMIT: usize = 255;

/// One cell's value.
enum Cell {
    Text(String),
    /// `YYYY-MM-DD`, written as an Excel date (as text if it is not a date).
    Date(Option<String>),
    Number(f64),
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// Renders the workbook.
pub fn render(view: &View) -> Result<Vec<u8>, String> {
    build(view).map_err(|e| e.to_string())
}

fn build(view: &View) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_zip_compression_level(super::DEFLATE_LEVEL);
    // The stamp's time (SOURCE_DATE_EPOCH when set), not the clock: equal plans, equal bytes.
    let time = ExcelDateTime::parse_from_str(view.stamp.time.trim_end_matches('Z'))?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&time));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let bold = Format::new().set_bold();
    let ctx = Ctx {
        view,
        date: &date,
        bold: &bold,
    };
    let (head, rows) = marking_rows(view);
    ctx.sheet(book.add_worksheet(), "Marking", &head, rows)?;
    for (name, head, rows) in tables(view) {
        ctx.sheet(book.add_worksheet(), name, &head, rows)?;
    }
    book.save_to_buffer()
}

struct Ctx<'a> {
    view: &'a View<'a>,
    date: &'a Format,
    bold: &'a Format,
}

impl Ctx<'_> {
    /// Fills `ws`: the header on row 1, frozen and filtered, then the rows; the banner in its
    /// printed header and footer.
    fn sheet(
        &self,
        ws: &mut Worksheet,
        name: &str,
        head: &[String],
        rows: Vec<Vec<Cell>>,
    ) -> Result<(), XlsxError> {
        ws.set_name(name)?;
        for (col, h) in (0u16..).zip(head) {
            ws.write_string_with_format(0, col, h, self.bold)?;
            ws.set_column_width(col, 18)?;
        }
        for (row, cells) in (1u32..).zip(&rows) {
            for (col, cell) in (0u16..).zip(cells) {
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(row, col, s)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(row, col, *n)?;
                    }
                    Cell::Date(None) => {}
                    Cell::Date(Some(s)) => match ymd(s) {
                        Some(d) => {
                            ws.write_datetime_with_format(row, col, &d, self.date)?;
                        }
                        None => {
                            ws.write_string(row, col, s)?;
                        }
                    },
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        let last_col = u16::try_from(head.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        ws.autofilter(0, 0, last_row, last_col)?;
        let (header, footer) = printed(&self.view.banner, self.view.draft)?;
        ws.set_header(header);
        ws.set_footer(footer);
        Ok(())
    }
}

/// The printed header and footer of every sheet: the banner centred, the draft notice on the
/// left, the page number on the right of the footer.
fn printed(banner: &str, draft: bool) -> Result<(String, String), XlsxError> {
    let banner = header_text(banner);
    let draft = if draft {
        format!("&L{DRAFT_NOTICE}")
    } else {
        String::new()
    };
    let header = format!("{draft}&C{banner}");
    let footer = format!("{draft}&C{banner}&RPage &P of &N");
    // rust_xlsxwriter drops a header over Excel's limit with a note on stderr: a sheet would
    // print without its banner, so the export is refused instead.
    for text in [&header, &footer] {
        if text.encode_utf16().count() > HEADER_LIMIT {
            return Err(XlsxError::ParameterError(format!(
                "the banner is too long for a printed header or footer (Excel allows {HEADER_LIMIT} characters)"
            )));
        }
    }
    Ok((header, footer))
}

/// Text for a printed header or footer, where `&` starts a code and is written `&&`.
fn header_text(s: &str) -> String {
    s.replace('&', "&&")
}

/// A `YYYY-MM-DD` date as an Excel date.
fn ymd(s: &str) -> Option<ExcelDateTime> {
    let mut parts = s.splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    ExcelDateTime::from_ymd(y, m, d).ok()
}

/// The "Marking" sheet: the banner, the notices, the marking blocks and the stamp.
fn marking_rows(view: &View) -> (Vec<String>, Vec<Vec<Cell>>) {
    let head = ["Block", "Label", "Value"].map(String::from).to_vec();
    let mut rows = vec![vec![t("Banner"), t(""), t(&view.banner)]];
    if let Some(r) = &view.recipient {
        rows.push(vec![t("Release"), t(""), t(&r.statement)]);
    }
    if view.draft {
        rows.push(vec![t("Status"), t(""), t(DRAFT_NOTICE)]);
    }
    for block in &view.designation {
        for line in &block.lines {
            // A date (`Declassify On` 2046-10-01) is an Excel date; an event stays text.
            let value = if line.value.parse::<jiff::civil::Date>().is_ok() {
                Cell::Date(Some(line.value.to_string()))
            } else {
                t(&line.value)
            };
            rows.push(vec![t(block.title), t(line.label), value]);
        }
    }
    for (key, value) in view.stamp.lines() {
        rows.push(vec![t("Validation stamp"), t(key), Cell::Text(value)]);
    }
    (head, rows)
}

/// Column headers of a table's keys, from the table catalogue, after `first`.
fn heads(first: &[&str], kind: TableKind, keys: &[&str]) -> Vec<String> {
    first
        .iter()
        .copied()
        .chain(keys.iter().map(|key| kind.label(key)))
        .map(String::from)
        .collect()
}

fn opt(s: &Option<impl AsRef<str>>) -> Cell {
    Cell::Text(s.as_ref().map_or("", AsRef::as_ref).to_string())
}

fn areas(list: &[TechArea]) -> Cell {
    let names: Vec<&str> = list.iter().map(|a| a.name.as_ref()).collect();
    Cell::Text(names.join("; "))
}

fn links(list: &[Link]) -> Cell {
    let labels: Vec<String> = list.iter().map(Link::label).collect();
    Cell::Text(labels.join("; "))
}

type Sheet = (&'static str, Vec<String>, Vec<Vec<Cell>>);

/// The table sheets, in order.
fn tables(view: &View) -> Vec<Sheet> {
    let priorities = view
        .priorities
        .iter()
        .map(|p| {
            vec![
                t(&p.marking),
                t(&p.id),
                t(&p.title),
                t(&p.source),
                opt(&p.description),
            ]
        })
        .collect();
    let keys = ["marking", "id", "title", "source", "description"];
    let mut sheets = vec![("Priorities", heads(&[], Priority, &keys), priorities)];
    sheets.extend(country_tables(view));
    let mut head = vec!["Country code".to_string(), "Country".to_string()];
    head.extend(view.coverage.priorities.iter().map(ToString::to_string));
    let matrix = view
        .coverage
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![t(&r.code), t(&r.name)];
            // Counts are small: f64 holds them exactly.
            row.extend(r.counts.iter().map(|&n| Cell::Number(n as f64)));
            row
        })
        .collect();
    sheets.push(("Matrix", head, matrix));
    let findings = view
        .stamp
        .waivers
        .iter()
        .map(|w| {
            vec![
                t(&w.rule),
                t(&w.item),
                opt(&w.reason),
                opt(&w.approved_by),
                Cell::Date(w.expires.clone()),
            ]
        })
        .collect();
    let head = ["Rule", "Item", "Reason", "Approved by", "Expires"];
    sheets.push(("Findings", head.map(String::from).to_vec(), findings));
    sheets
}

/// Objectives, Links, Agreements, Actors and Pools, each row led by its country's code.
fn country_tables(view: &View) -> Vec<Sheet> {
    let (mut objectives, mut links_rows, mut agreements, mut actors, mut pools) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for c in &view.countries {
        let code = || t(&c.code);
        for o in &c.objectives {
            objectives.push(vec![
                code(),
                t(&o.marking),
                t(&o.id),
                t(o.kind_label()),
                t(&o.text),
                links(&o.priorities),
                areas(&o.tech_areas),
                links(&o.governance),
                Cell::Date(o.target_date.clone()),
            ]);
            for l in &o.priorities {
                let suspect = o.is_suspect(l);
                links_rows.push(vec![
                    code(),
                    t(&o.id),
                    t(&o.marking),
                    t(&l.id),
                    t(&l.name_or_state()),
                    t(if suspect { "yes" } else { "no" }),
                ]);
            }
        }
        for a in &c.agreements {
            agreements.push(vec![
                code(),
                t(&a.marking),
                t(&a.id),
                t(&a.kind),
                t(&a.title),
                Cell::Date(a.signed.clone()),
                Cell::Date(a.expires.clone()),
                Cell::Date(a.last_reviewed.clone()),
            ]);
        }
        for a in &c.actors {
            actors.push(vec![
                code(),
                t(&a.marking),
                t(&a.id),
                t(&a.kind),
                t(&a.name),
                opt(&a.role),
                Cell::Date(a.last_reviewed.clone()),
            ]);
        }
        for p in &c.investment_pools {
            pools.push(vec![
                code(),
                t(&p.marking),
                t(&p.id),
                t(&p.name),
                areas(&p.tech_areas),
                p.us_share.map_or(t(""), |s| Cell::Number(s as f64)),
                opt(&p.ip_terms),
            ]);
        }
    }
    let country = ["Country"];
    let objective_keys = [
        "marking",
        "id",
        "kind",
        "text",
        "priorities",
        "tech_areas",
        "governance",
        "target_date",
    ];
    let link_head = [
        "Country",
        "Objective",
        "Objective marking",
        "Priority",
        "Priority title",
        "Suspect (changed since reviewed)",
    ];
    let agreement_keys = [
        "marking",
        "id",
        "kind",
        "title",
        "signed",
        "expires",
        "last_reviewed",
    ];
    let actor_keys = ["marking", "id", "kind", "name", "role", "last_reviewed"];
    let pool_keys = [
        "marking",
        "id",
        "name",
        "tech_areas",
        "us_share",
        "ip_terms",
    ];
    vec![
        (
            "Objectives",
            heads(&country, Objective, &objective_keys),
            objectives,
        ),
        ("Links", link_head.map(String::from).to_vec(), links_rows),
        (
            "Agreements",
            heads(&country, Agreement, &agreement_keys),
            agreements,
        ),
        ("Actors", heads(&country, Actor, &actor_keys), actors),
        ("Pools", heads(&country, Pool, &pool_keys), pools),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_banner_too_long_for_a_printed_header_is_refused_not_dropped() {
        let long = format!("SECRET//REL TO USA, {}", vec!["AUS"; 60].join(", "));
        let err = printed(&long, false).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("too long")));
        let (header, footer) = printed("A&B", true).unwrap();
        assert_eq!(header, "&LDRAFT - NOT VALIDATED&CA&&B");
        assert!(footer.ends_with("&CA&&B&RPage &P of &N"));
    }
}
