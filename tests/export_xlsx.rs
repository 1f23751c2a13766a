//! The Excel export read back with calamine: sheets in order, headers on row 1, portion
//! markings in their own column, dates as Excel dates, text that looks like a formula kept as
//! text, the banner in every printed header and footer, frozen and filtered headers, partner
//! copies, drafts and byte-for-byte reproducibility.

use std::fs;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use scplan::check::Settings;
use scplan::env::Env;
use scplan::export::{self, Format, Request};

const FIXTURE: &str = "tests/fixtures/export/plan.toml";
const DRAFT_FIXTURE: &str = "tests/fixtures/rules/SCP102-fires.toml";
const SHEETS: [&str; 9] = [
    "Marking",
    "Priorities",
    "Objectives",
    "Links",
    "Agreements",
    "Actors",
    "Pools",
    "Matrix",
    "Findings",
];

fn export_bytes(plan: &[u8], to: Option<&str>, draft: bool) -> Vec<u8> {
    let env = Env::from_vars(
        |name| (name == "SOURCE_DATE_EPOCH").then(|| "1780000000".to_string()),
        jiff::civil::date(2026, 11, 28),
    )
    .unwrap();
    let request = Request {
        format: Format::Xlsx,
        draft,
        releasable_to: to.map(str::to_string),
        time: env.stamp_time(),
    };
    export::export(plan, &Settings::default(), &request)
        .unwrap()
        .bytes
}

fn run(path: &str, to: Option<&str>, draft: bool) -> Vec<u8> {
    export_bytes(&fs::read(path).unwrap(), to, draft)
}

fn book(bytes: &[u8]) -> Xlsx<Cursor<&[u8]>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn cell(row: &[Data]) -> Vec<String> {
    row.iter().map(ToString::to_string).collect()
}

/// A worksheet part's XML, `n` counting from 1 in sheet order.
fn sheet_xml(bytes: &[u8], n: usize) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut part = zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap();
    let mut xml = String::new();
    part.read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn two_runs_give_the_same_bytes() {
    assert!(run(FIXTURE, None, false) == run(FIXTURE, None, false));
}

#[test]
fn sheets_headers_markings_and_dates() {
    let bytes = run(FIXTURE, None, false);
    let mut wb = book(&bytes);
    assert_eq!(wb.sheet_names(), SHEETS);
    let marking = wb.worksheet_range("Marking").unwrap();
    let rows: Vec<Vec<String>> = marking.rows().map(cell).collect();
    assert_eq!(rows[0], ["Block", "Label", "Value"]);
    assert_eq!(rows[1], ["Banner", "", "CUI//SP-EXPT//NOFORN"]);
    assert!(rows.contains(&vec![
        "CUI designation indicator".to_string(),
        "Controlled By".to_string(),
        "Fictional Command J5".to_string()
    ]));
    let priorities = wb.worksheet_range("Priorities").unwrap();
    let head = cell(priorities.rows().next().unwrap());
    assert_eq!(head, ["Mark", "Id", "Title", "Source", "Description"]);
    let sp3 = priorities
        .rows()
        .map(cell)
        .find(|r| r[1] == "SP-3")
        .unwrap();
    assert_eq!(sp3[0], "CUI//SP-EXPT//NF");
    let objectives = wb.worksheet_range("Objectives").unwrap();
    let head = cell(objectives.rows().next().unwrap());
    let date_col = head.len() - 1;
    let sc1 = objectives.rows().find(|r| r[2] == "POL-SC-1").unwrap();
    let Data::DateTime(date) = &sc1[date_col] else {
        panic!("{:?} is not a date", sc1[date_col]);
    };
    let days = jiff::civil::date(2028, 9, 30)
        .since(jiff::civil::date(1899, 12, 30))
        .unwrap()
        .get_days();
    assert_eq!(date.as_f64(), f64::from(days));
    // One row per objective-priority link.
    let links = wb.worksheet_range("Links").unwrap();
    let pol_st_1 = links.rows().filter(|r| r[1] == "POL-ST-1").count();
    assert_eq!(pol_st_1, 3);
    let matrix = wb.worksheet_range("Matrix").unwrap();
    assert!(matches!(matrix.rows().nth(1).unwrap()[2], Data::Float(_)));
    for n in 1..=SHEETS.len() {
        let xml = sheet_xml(&bytes, n);
        assert!(
            xml.contains("<oddHeader>&amp;CCUI//SP-EXPT//NOFORN</oddHeader>"),
            "sheet {n}"
        );
        assert!(xml.contains("<oddFooter>&amp;CCUI//SP-EXPT//NOFORN&amp;RPage &amp;P of &amp;N"));
        assert!(xml.contains("state=\"frozen\""), "sheet {n}");
        assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet {n}");
    }
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let texts = ["=1+1", "+SUM(A1:A2)", "-2+3", "@NOW()"];
    let plan = fs::read_to_string(FIXTURE).unwrap().replace(
        "Co-develop contested-logistics autonomy with Polish labs.",
        &texts.join(" | "),
    );
    let plan = plan.replace(
        "title = \"Alpha priority open to all partners\"",
        "title = \"=HYPERLINK(\\\"x\\\")\"",
    );
    let bytes = export_bytes(plan.as_bytes(), None, false);
    let mut wb = book(&bytes);
    for name in SHEETS {
        let formulas = wb.worksheet_formula(name).unwrap();
        assert!(
            formulas.cells().all(|(_, _, f)| f.is_empty()),
            "{name} holds a formula"
        );
    }
    let priorities = wb.worksheet_range("Priorities").unwrap();
    assert!(
        priorities
            .rows()
            .any(|r| r[2] == Data::String("=HYPERLINK(\"x\")".to_string()))
    );
    let objectives = wb.worksheet_range("Objectives").unwrap();
    assert!(
        objectives
            .rows()
            .any(|r| r[4] == Data::String(texts.join(" | ")))
    );
    for n in 1..=SHEETS.len() {
        assert!(!sheet_xml(&bytes, n).contains("<f>"), "sheet {n}");
    }
}

#[test]
fn a_partner_copy_holds_nothing_withheld_and_a_draft_is_marked() {
    let bytes = run(FIXTURE, Some("POL"), false);
    let mut wb = book(&bytes);
    for name in SHEETS {
        for row in wb.worksheet_range(name).unwrap().rows() {
            for c in row {
                let c = c.to_string();
                for id in ["SP-3", "POL-ST-2", "GBR-ST-1", "GBR-AG-1", "NOFORN", "//NF"] {
                    assert!(!c.contains(id), "{name}: {c:?}");
                }
            }
        }
    }
    let marking = wb.worksheet_range("Marking").unwrap();
    let rows: Vec<Vec<String>> = marking.rows().map(cell).collect();
    assert_eq!(rows[1][2], "CUI//SP-EXPT//REL TO USA, POL");
    assert_eq!(rows[2][2], "Prepared for release to Poland (POL)");
    let bytes = run(DRAFT_FIXTURE, None, true);
    for n in 1..=SHEETS.len() {
        let xml = sheet_xml(&bytes, n);
        assert!(
            xml.contains("<oddHeader>&amp;LDRAFT - NOT VALIDATED&amp;C"),
            "sheet {n}"
        );
        assert!(
            xml.contains("<oddFooter>&amp;LDRAFT - NOT VALIDATED&amp;C"),
            "sheet {n}"
        );
    }
}

#[test]
fn the_marking_sheet_holds_the_classification_authority_block() {
    let request = Request {
        format: Format::Xlsx,
        draft: false,
        releasable_to: None,
        time: jiff::Timestamp::from_second(1_780_000_000).unwrap(),
    };
    let settings = Settings {
        system_high: scplan::plan::marking::Level::Ts,
    };
    let bytes = fs::read("tests/fixtures/rules/SCP212-near-miss.toml").unwrap();
    let xlsx = export::export(&bytes, &settings, &request).unwrap().bytes;
    let mut wb = book(&xlsx);
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("Marking")
        .unwrap()
        .rows()
        .map(cell)
        .collect();
    for (label, value) in [
        ("Classified By", "J5 fixture officer"),
        ("Derived From", "Fixture classification guide, 2026"),
    ] {
        let row = ["Classification authority", label, value].map(String::from);
        assert!(rows.contains(&row.to_vec()), "{row:?} in {rows:?}");
    }
    // A date is an Excel date.
    let range = wb.worksheet_range("Marking").unwrap();
    let declassify = range
        .rows()
        .find(|r| r[1] == "Declassify On")
        .expect("Declassify On");
    let Data::DateTime(date) = &declassify[2] else {
        panic!("{:?} is not a date", declassify[2]);
    };
    let days = jiff::civil::date(2051, 10, 1)
        .since(jiff::civil::date(1899, 12, 30))
        .unwrap()
        .get_days();
    assert_eq!(date.as_f64(), f64::from(days));
}
