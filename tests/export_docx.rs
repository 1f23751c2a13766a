//! The Word export opened as a zip: the banner and "Page X of Y" fields in the header and
//! footer parts, Heading styles, repeated table header rows, every portion mark before its
//! paragraph, draft marks, partner copies that hold nothing withheld, every part deflated, and
//! byte-for-byte reproducibility.

use std::fs;
use std::io::{Cursor, Read};

use scplan::check::Settings;
use scplan::env::Env;
use scplan::export::{self, Format, Request};

const FIXTURE: &str = "tests/fixtures/export/plan.toml";
const DRAFT_FIXTURE: &str = "tests/fixtures/rules/SCP102-fires.toml";

fn run(path: &str, to: Option<&str>, draft: bool) -> Vec<u8> {
    let env = Env::from_vars(
        |name| (name == "SOURCE_DATE_EPOCH").then(|| "1780000000".to_string()),
        jiff::civil::date(2026, 11, 28),
    )
    .unwrap();
    let request = Request {
        format: Format::Docx,
        draft,
        releasable_to: to.map(str::to_string),
        time: env.stamp_time(),
    };
    let bytes = fs::read(path).unwrap();
    export::export(&bytes, &Settings::default(), &request)
        .unwrap()
        .bytes
}

/// Every part of the package: (name, text).
fn parts(docx: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a docx is a zip");
    (0..zip.len())
        .filter_map(|i| {
            let mut file = zip.by_index(i).unwrap();
            if file.is_dir() {
                return None;
            }
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            Some((file.name().to_string(), text))
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], prefix: &str) -> Vec<&'a str> {
    parts
        .iter()
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(_, text)| text.as_str())
        .collect()
}

/// The text of `xml` with its tags left out, to find words split across runs.
fn plain(xml: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in xml.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn every_part_is_deflated_and_the_package_smaller_than_its_parts() {
    let docx = run(FIXTURE, None, false);
    let mut zip = zip::ZipArchive::new(Cursor::new(&docx)).expect("a docx is a zip");
    let mut parts_bytes = 0;
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        if file.is_dir() {
            continue;
        }
        assert_eq!(
            file.compression(),
            zip::CompressionMethod::Deflated,
            "{}",
            file.name()
        );
        parts_bytes += file.size();
    }
    assert!(
        (docx.len() as u64) * 3 < parts_bytes,
        "{} bytes for {parts_bytes} of parts",
        docx.len()
    );
}

#[test]
fn two_runs_give_the_same_bytes() {
    assert!(run(FIXTURE, None, false) == run(FIXTURE, None, false));
    assert!(run(FIXTURE, Some("POL"), false) == run(FIXTURE, Some("POL"), false));
}

#[test]
fn header_and_footer_hold_the_banner_and_page_fields() {
    let parts = parts(&run(FIXTURE, None, false));
    let headers = part(&parts, "word/header");
    let footers = part(&parts, "word/footer");
    assert!(!headers.is_empty() && !footers.is_empty());
    for xml in headers.iter().chain(&footers) {
        assert!(xml.contains("CUI//SP-EXPT//NOFORN"), "{xml}");
        assert!(!xml.contains("DRAFT"), "{xml}");
    }
    for xml in footers {
        let text = plain(xml);
        assert!(text.contains("Page PAGE"), "{text}");
        assert!(text.contains("of NUMPAGES"), "{text}");
        assert!(xml.contains("fldCharType=\"begin\""), "{xml}");
    }
    let document = &part(&parts, "word/document.xml")[0];
    let core = &part(&parts, "docProps/core.xml")[0];
    assert!(core.contains("2026-05-28T20:26:40Z"), "{core}");
    assert!(document.contains("TOC \\o &quot;1-3&quot;") || document.contains("TOC \\o \"1-3\""));
}

#[test]
fn headings_tables_and_portion_marks() {
    let parts = parts(&run(FIXTURE, None, false));
    let document = part(&parts, "word/document.xml")[0];
    let styles = part(&parts, "word/styles.xml")[0];
    for level in 1..=3 {
        assert!(document.contains(&format!("<w:pStyle w:val=\"Heading{level}\" />")));
        assert!(styles.contains(&format!("w:styleId=\"Heading{level}\"")));
        assert!(styles.contains(&format!("<w:name w:val=\"heading {level}\" />")));
    }
    // Priorities, agreements, objectives and the matrix are tables whose header repeats.
    let tables = document.matches("<w:tbl>").count();
    assert!(tables >= 4, "{tables} tables");
    assert_eq!(document.matches("<w:tblHeader />").count(), tables);
    let text = plain(document);
    assert!(
        text.contains("Classification authority") || text.contains("CUI designation indicator")
    );
    let marking_block = text.find("CUI designation indicator").unwrap();
    assert!(marking_block < text.find("SP-1").unwrap());
    // Every explicitly marked summary's and objective's mark before its text.
    let mut checked = 0;
    let plan: toml::Table = fs::read_to_string(FIXTURE).unwrap().parse().unwrap();
    for country in plan["country"].as_array().unwrap() {
        if let (Some(m), Some(summary)) = (
            country.get("marking").and_then(|m| m.as_str()),
            country.get("summary").and_then(|s| s.as_str()),
        ) {
            let first = summary.split('\n').next().unwrap().trim();
            let at = text.find(first).unwrap_or_else(|| panic!("{first:?}"));
            assert!(text[..at].ends_with(&format!("({m}) ")), "{first:?}");
            checked += 1;
        }
        for o in country
            .get("objective")
            .and_then(|o| o.as_array())
            .into_iter()
            .flatten()
        {
            // Only explicit markings: an inherited one is the check's business, not this test's.
            let Some(m) = o.get("marking").and_then(|m| m.as_str()) else {
                continue;
            };
            let body = o["text"]
                .as_str()
                .unwrap()
                .split('\n')
                .next()
                .unwrap()
                .trim();
            let at = text.find(body).unwrap_or_else(|| panic!("{body:?}"));
            let mark = format!("({m}) ");
            assert!(
                text[..at].ends_with(&mark),
                "{body:?} after {:?}",
                &text[at.saturating_sub(60)..at]
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "{checked} marked portions");
}

#[test]
fn a_partner_copy_holds_nothing_withheld_in_any_part() {
    let docx = run(FIXTURE, Some("POL"), false);
    for id in [
        "SP-3",
        "POL-ST-2",
        "GBR-ST-1",
        "GBR-AG-1",
        "NOFORN",
        "//NF",
        "Charlie priority",
    ] {
        for (name, xml) in parts(&docx) {
            assert!(!xml.contains(id), "{name} holds {id:?}");
        }
    }
    let parts = parts(&docx);
    let text = plain(part(&parts, "word/document.xml")[0]);
    assert!(text.contains("Prepared for release to Poland (POL)"));
    for xml in part(&parts, "word/header")
        .iter()
        .chain(&part(&parts, "word/footer"))
    {
        assert!(xml.contains("CUI//SP-EXPT//REL TO USA, POL"));
    }
}

#[test]
fn a_draft_is_marked_in_header_and_footer() {
    let parts = parts(&run(DRAFT_FIXTURE, None, true));
    for xml in part(&parts, "word/header")
        .iter()
        .chain(&part(&parts, "word/footer"))
    {
        assert!(xml.contains("DRAFT - NOT VALIDATED"), "{xml}");
    }
}

/// Both office formats (the Excel one is tested in tests/export_xlsx.rs).
#[test]
fn the_cli_writes_the_golden_bytes_to_a_file_and_to_a_pipe() {
    for format in ["docx", "xlsx"] {
        let golden = fs::read(format!("tests/fixtures/export/golden/plan.{format}")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join(format!("plan.{format}"));
        let scplan = || {
            let mut cmd = assert_cmd::Command::cargo_bin("scplan").unwrap();
            cmd.env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
                .env("SOURCE_DATE_EPOCH", "1780000000")
                .args(["export", FIXTURE, "--format", format]);
            cmd
        };
        let o = scplan().arg("-o").arg(&out).output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{format}: {stderr}");
        assert!(fs::read(&out).unwrap() == golden, "{format}");
        // Standard output is a pipe here, not a terminal: the bytes go through unchanged.
        let o = scplan().output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{format}");
        assert!(o.stdout == golden, "{format}");
    }
}

#[test]
fn the_cover_holds_the_classification_authority_block() {
    let request = Request {
        format: Format::Docx,
        draft: false,
        releasable_to: None,
        time: jiff::Timestamp::from_second(1_780_000_000).unwrap(),
    };
    let settings = Settings {
        system_high: scplan::plan::marking::Level::Ts,
    };
    let bytes = fs::read("tests/fixtures/rules/SCP212-near-miss.toml").unwrap();
    let docx = export::export(&bytes, &settings, &request).unwrap().bytes;
    let parts = parts(&docx);
    let text = plain(part(&parts, "word/document.xml")[0]);
    let first_portion = text.find("Deter aggression").unwrap();
    for shown in [
        "Classification authority",
        "Classified By: J5 fixture officer",
        "Derived From: Fixture classification guide, 2026",
        "Declassify On: 2051-10-01",
    ] {
        let at = text.find(shown).unwrap_or_else(|| panic!("no {shown:?}"));
        assert!(at < first_portion, "{shown:?} after the first portion");
    }
}
