//! CSV: the traceability matrix, one row per released S&T objective, between two banner rows,
//! after the marking blocks and followed by the stamp; RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark so
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
                c.code.clone(),
                c.name.clone(),
                o.id.clone(),
                o.marking.clone(),
                o.text.clone(),
                join(o.priorities.iter().map(|l| l.id.clone()).collect()),
                join(
                    o.priorities
                        .iter()
                        .map(|l| {
                            let suspect = o.suspect_links.iter().any(|s| s.id == l.id);
                            let mark = if suspect { " (suspect link)" } else { "" };
                            format!("{}{mark}", l.name_or_state())
                        })
                        .collect(),
                ),
                join(o.tech_areas.iter().map(|t| t.name.clone()).collect()),
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
                    l.value.clone(),
                ]
            })
        })
        .collect()
}

/// Renders the CSV file.
pub fn render(view: &View) -> Result<Vec<u8>, String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    for row in rows(view) {
        writer
            .write_record(row.iter().map(|cell| inert(cell)))
            .map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
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
