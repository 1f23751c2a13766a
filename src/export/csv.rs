//! CSV, two shapes. `csv`, for people: the traceability matrix, one row per released S&T
//! objective, between two banner rows, after the marking blocks and followed by the stamp.
//! `csv-links`, for tools: one row per objective-priority link under a header on row 1, the
//! banner and the stamp in a column of every row, so that any filtered or pivoted part of it
//! still carries them. Both: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark so
//! spreadsheet programs read it as UTF-8, and no cell a spreadsheet would run as a formula.

use super::stamp::DRAFT_NOTICE;
use super::view::View;

/// The header row.
pub const HEADER: [&str; 10] = [
    "country_code",
    "country_name",
    "objective_id",
    "marking",
    "text",
    "priority_ids",
    "priority_titles",
    "tech_areas",
    "indicator_count",
    "target_date",
];

/// Makes a cell inert in spreadsheets: one starting with `=`, `+`, `-`, `@`, tab or CR gets a
/// leading apostrophe, which spreadsheet programs read as "this is text".
pub fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The rows of the file, before quoting; every row has as many cells as the header.
fn rows(view: &View) -> Vec<Vec<String>> {
    let width = HEADER.len();
    let row = |cells: Vec<String>| {
        let mut cells = cells;
        cells.resize(width, String::new());
        cells
    };
    let banner = || {
        let mut cells = vec![view.banner.clone()];
        if view.draft {
            cells.push(DRAFT_NOTICE.to_string());
        }
        row(cells)
    };
    let mut out = vec![banner()];
    if let Some(recipient) = &view.recipient {
        out.push(row(vec![recipient.statement.clone()]));
    }
    out.extend(marking_blocks(view).into_iter().map(row));
    out.push(row(HEADER.map(str::to_string).to_vec()));
    for c in &view.countries {
        for o in c.objectives.iter().filter(|o| o.kind == "st") {
            let join = |parts: Vec<String>| parts.join("; ");
            out.push(row(vec![
                c.code.to_string(),
                c.name.to_string(),
                o.id.to_string(),
                o.marking.to_string(),
                o.text.to_string(),
                join(o.priorities.iter().map(|l| l.id.to_string()).collect()),
                join(
                    o.priorities
                        .iter()
                        .map(|l| {
                            let mark = if o.is_suspect(l) {
                                " (suspect link)"
                            } else {
                                ""
                            };
                            format!("{}{mark}", l.name_or_state())
                        })
                        .collect(),
                ),
                join(o.tech_areas.iter().map(|t| t.name.to_string()).collect()),
                o.indicators.len().to_string(),
                o.target_date.clone().unwrap_or_default(),
            ]));
        }
    }
    out.push(row(Vec::new()));
    for (key, value) in view.stamp.lines() {
        out.push(row(vec!["stamp".to_string(), key.to_string(), value]));
    }
    out.push(banner());
    out
}

/// The marking blocks before the first portion, one row per line: block, label, value (as
/// the stamp's rows are).
fn marking_blocks(view: &View) -> Vec<Vec<String>> {
    view.designation
        .iter()
        .flat_map(|block| {
            block.lines.iter().map(|l| {
                vec![
                    block.title.to_string(),
                    l.label.to_string(),
                    l.value.to_string(),
                ]
            })
        })
        .collect()
}

/// The header row of `csv-links`.
pub const LINKS_HEADER: [&str; 12] = [
    "marking",
    "designation",
    "stamp",
    "country_code",
    "country_name",
    "objective_id",
    "objective_kind",
    "objective_marking",
    "priority_id",
    "priority_title",
    "suspect_link",
    "target_date",
];

/// The `stamp` cell of every `csv-links` row: the stamp's lines as `key: value` (a draft's
/// status is the draft notice), then a partner copy's release statement, joined with `; `.
/// The `marking` cell holds the banner alone, so that tools can filter on it.
fn stamp_cell(view: &View) -> String {
    let mut lines: Vec<String> = view
        .stamp
        .lines()
        .into_iter()
        .map(|(key, value)| format!("{key}: {value}"))
        .collect();
    if let Some(recipient) = &view.recipient {
        lines.push(format!("release: {}", recipient.statement));
    }
    lines.join("; ")
}

/// The `designation` cell of every `csv-links` row: the marking blocks (the classification
/// authority, the CUI designation indicator) as `Title: label: value; ...`, joined with ` | `.
fn designation_cell(view: &View) -> String {
    let blocks: Vec<String> = view
        .designation
        .iter()
        .map(|block| {
            let lines: Vec<String> = block
                .lines
                .iter()
                .map(|l| format!("{}: {}", l.label, l.value))
                .collect();
            format!("{}: {}", block.title, lines.join("; "))
        })
        .collect();
    blocks.join(" | ")
}

/// The rows of `csv-links`, header first, before quoting; a plan without links gets one row
/// with only the marking, designation and stamp cells filled.
fn link_rows(view: &View) -> Vec<Vec<String>> {
    let (marking, designation, stamp) = (
        view.banner.clone(),
        designation_cell(view),
        stamp_cell(view),
    );
    let mut out = vec![LINKS_HEADER.map(str::to_string).to_vec()];
    for c in &view.countries {
        for o in &c.objectives {
            for l in &o.priorities {
                out.push(vec![
                    marking.clone(),
                    designation.clone(),
                    stamp.clone(),
                    c.code.to_string(),
                    c.name.to_string(),
                    o.id.to_string(),
                    o.kind.to_string(),
                    o.marking.to_string(),
                    l.id.to_string(),
                    l.name_or_state().to_string(),
                    if o.is_suspect(l) { "yes" } else { "no" }.to_string(),
                    o.target_date.clone().unwrap_or_default(),
                ]);
            }
        }
    }
    // A file is never unmarked: without links, one row carries the marking and the stamp.
    if out.len() == 1 {
        let mut row = vec![marking, designation, stamp];
        row.resize(LINKS_HEADER.len(), String::new());
        out.push(row);
    }
    out
}

/// Writes rows as a CSV file: byte-order mark, CRLF, every cell inert.
fn write(rows: Vec<Vec<String>>) -> Result<Vec<u8>, String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| inert(cell)))
            .map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// Renders the `csv` file.
pub fn render(view: &View) -> Result<Vec<u8>, String> {
    write(rows(view))
}

/// Renders the `csv-links` file.
pub fn render_links(view: &View) -> Result<Vec<u8>, String> {
    write(link_rows(view))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(inert("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        for lead in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(inert(lead).starts_with('\''), "{lead:?}");
        }
        assert_eq!(inert("plain = fine"), "plain = fine");
        assert_eq!(inert(""), "");
    }
}
