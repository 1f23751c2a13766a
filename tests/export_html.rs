//! The print-ready HTML: every id an anchor and every reference a link to one, the coverage
//! matrix's titles, totals and legend, the cover and contents, the `@page` margin boxes, the
//! portion marks on the title and the strengths, the one paragraph rule shared with Markdown
//! and Word; and, where Chromium is installed, a real print to PDF.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::process::Command;

use scplan::check::Settings;
use scplan::export::html::anchor;
use scplan::export::{self, Format, Request};
use scraper::{Html, Selector};
use serde_json::Value;

#[path = "support/office.rs"]
mod office;

const FIXTURE: &str = "tests/fixtures/export/plan.toml";

fn export_text(plan: &str, format: Format, to: Option<&str>) -> Vec<u8> {
    let request = Request {
        format,
        draft: true,
        releasable_to: to.map(str::to_string),
        time: jiff::Timestamp::from_second(1_780_000_000).unwrap(),
    };
    match export::export(plan.as_bytes(), &Settings::default(), &request) {
        Ok(exported) => exported.bytes,
        Err(err) => panic!("{}: {err}", format.name()),
    }
}

fn fixture() -> String {
    fs::read_to_string(FIXTURE).unwrap()
}

fn html(plan: &str, to: Option<&str>) -> Html {
    Html::parse_document(&String::from_utf8(export_text(plan, Format::Html, to)).unwrap())
}

fn json(plan: &str, to: Option<&str>) -> Value {
    serde_json::from_slice(&export_text(plan, Format::Json, to)).unwrap()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// Every id of the JSON export of the same plan: priorities, countries and what they hold.
fn ids(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let strings = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|item| item["id"].as_str().unwrap().to_string())
            .collect()
    };
    out.extend(strings(doc, "priorities"));
    for c in doc["countries"].as_array().unwrap() {
        out.push(c["code"].as_str().unwrap().to_string());
        for key in ["objectives", "agreements", "actors", "investment_pools"] {
            out.extend(strings(c, key));
        }
    }
    out
}

#[test]
fn every_id_is_an_anchor_once() {
    for to in [None, Some("POL")] {
        let doc = html(&fixture(), to);
        let anchors: Vec<String> = select(&doc, "[id]")
            .iter()
            .map(|e| e.value().attr("id").unwrap().to_string())
            .collect();
        let unique: BTreeSet<&String> = anchors.iter().collect();
        assert_eq!(unique.len(), anchors.len(), "an anchor twice: {anchors:?}");
        let ids = ids(&json(&fixture(), to));
        assert!(ids.len() >= 10, "{ids:?}");
        for id in ids {
            assert!(anchors.contains(&anchor(&id)), "no anchor for {id}");
        }
    }
}

#[test]
fn every_reference_is_a_link_to_an_existing_anchor() {
    for to in [None, Some("POL")] {
        let doc = html(&fixture(), to);
        let anchors: BTreeSet<String> = select(&doc, "[id]")
            .iter()
            .map(|e| e.value().attr("id").unwrap().to_string())
            .collect();
        let links = select(&doc, "a[href]");
        assert!(links.len() > 20, "{} links", links.len());
        for a in &links {
            let href = a.value().attr("href").unwrap();
            let target = href.strip_prefix('#').unwrap_or_else(|| panic!("{href}"));
            assert!(anchors.contains(target), "{href} points at nothing");
        }
        // Each objective links its priorities and its governance, by id.
        let plan = json(&fixture(), to);
        for c in plan["countries"].as_array().unwrap() {
            for o in c["objectives"].as_array().unwrap() {
                let id = o["id"].as_str().unwrap();
                let css = format!("div.objective#{} a", anchor(id));
                let hrefs: Vec<&str> = select(&doc, &css)
                    .iter()
                    .map(|a| a.value().attr("href").unwrap())
                    .collect();
                for key in ["priorities", "governance"] {
                    for l in o[key].as_array().unwrap() {
                        let to = format!("#{}", anchor(l["id"].as_str().unwrap()));
                        assert!(hrefs.contains(&to.as_str()), "{id}: no link {to}");
                    }
                }
            }
        }
    }
}

/// The matrix: header titles, rows `code name` with their cells and totals, the footer.
struct Matrix {
    heads: Vec<(String, String)>,
    rows: BTreeMap<String, Vec<String>>,
    foot: Vec<String>,
}

fn matrix(doc: &Html) -> Matrix {
    let heads = select(doc, "table.matrix thead th abbr")
        .iter()
        .map(|a| (a.value().attr("title").unwrap().to_string(), text(a)))
        .collect();
    let mut rows = BTreeMap::new();
    for tr in select(doc, "table.matrix tbody tr") {
        let th = text(&tr.select(&Selector::parse("th").unwrap()).next().unwrap());
        let cells = tr
            .select(&Selector::parse("td").unwrap())
            .map(|td| text(&td))
            .collect();
        rows.insert(th, cells);
    }
    let foot = select(doc, "table.matrix tfoot td")
        .iter()
        .map(text)
        .collect();
    Matrix { heads, rows, foot }
}

#[test]
fn the_matrix_is_titled_and_totalled() {
    let doc = html(&fixture(), None);
    let m = matrix(&doc);
    // Counted by hand from the fixture: POL-ST-1 links SP-1..3, the withheld-to-partners
    // POL-ST-2 links SP-3, GBR-ST-1 SP-1, NOR-ST-1 SP-1 and SP-2.
    assert_eq!(
        m.heads,
        [
            // Each title is text of its priority's portion, with its mark.
            ("SP-1", "Alpha priority open to all partners"),
            (
                "SP-2",
                "(CUI//SP-EXPT//REL TO USA, POL) Bravo priority shared with Poland"
            ),
            (
                "SP-3",
                "(CUI//SP-EXPT//NF) Charlie priority kept from every partner"
            ),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let row = |name: &str| m.rows[name].clone();
    assert_eq!(row("POL Poland"), ["1", "1", "2", "4"]);
    assert_eq!(
        row("GBR Golf Kingdom (United Kingdom)"),
        ["1", "0", "0", "1"]
    );
    assert_eq!(row("NOR Norway"), ["1", "1", "0", "2"]);
    assert_eq!(m.foot, ["3", "2", "2", "7"]);
    // Every number links the first objective it counts; a 0 is a marked gap.
    assert_eq!(
        select(&doc, "table.matrix td.gap").len(),
        3,
        "the three zeros are gaps"
    );
    let cell = select(&doc, "table.matrix tbody tr")[0]
        .select(&Selector::parse("td a").unwrap())
        .next()
        .map(|a| a.value().attr("href").unwrap().to_string());
    assert_eq!(cell.as_deref(), Some("#id-POL-ST-1"));
    // The partner copy's matrix has only what it releases.
    let m = matrix(&html(&fixture(), Some("POL")));
    assert_eq!(m.heads.len(), 2);
    assert_eq!(m.rows.len(), 2, "{:?}", m.rows);
    assert_eq!(m.foot, ["2", "2", "4"]);
}

#[test]
fn a_priority_no_country_covers_is_marked_uncovered() {
    let plan = fixture()
        .replace(
            "priorities = [\"SP-1\", \"SP-2\", \"SP-3\"]",
            "priorities = [\"SP-1\", \"SP-2\"]",
        )
        .replace("priorities = [\"SP-3\"]", "priorities = [\"SP-1\"]");
    let doc = html(&plan, None);
    let uncovered: Vec<String> = select(&doc, "table.matrix thead th.uncovered abbr")
        .iter()
        .map(|a| a.value().attr("title").unwrap().to_string())
        .collect();
    assert_eq!(uncovered, ["SP-3"]);
    assert_eq!(matrix(&doc).foot, ["4", "2", "0", "6"]);
    assert!(select(&html(&fixture(), None), "th.uncovered").is_empty());
}

#[test]
fn the_legend_explains_the_matrix_and_names_every_column() {
    let doc = html(&fixture(), None);
    let terms: Vec<String> = select(&doc, "dl.legend dt").iter().map(text).collect();
    for term in ["0", "Total", "(uncovered)", "SP-1", "SP-2", "SP-3"] {
        assert!(terms.iter().any(|t| t == term), "{term} not in {terms:?}");
    }
    let legend = text(&select(&doc, "dl.legend")[0]);
    assert!(legend.contains("Charlie priority kept from every partner"));
    assert!(legend.contains("coverage gap"));
}

#[test]
fn the_cover_and_the_contents_come_first() {
    let doc = html(&fixture(), None);
    let cover = &select(&doc, "body > header.cover")[0];
    let shown = text(cover);
    assert_eq!(
        text(
            &cover
                .select(&Selector::parse("h1").unwrap())
                .next()
                .unwrap()
        ),
        "(CUI//SP-EXPT//NF) Export Fixture Plan (FICTIONAL TEST DATA)"
    );
    for part in [
        "USEUCOM",
        "2.1",
        "2026-10-01",
        "Test cell & friends (fictional)",
        "CUI designation indicator",
        "Controlled By",
    ] {
        assert!(shown.contains(part), "{part} not on the cover: {shown}");
    }
    let contents: Vec<String> = select(&doc, "nav.toc a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        contents,
        [
            "#priorities",
            "#id-POL",
            "#id-GBR",
            "#id-NOR",
            "#coverage",
            "#stamp"
        ]
    );
    // The cover and the contents come before the first portion, each ending its page.
    let body: Vec<String> = select(&doc, "body > *")
        .iter()
        .map(|e| e.value().name().to_string())
        .collect();
    assert_eq!(&body[..3], ["header", "nav", "section"]);
}

#[test]
fn printed_pages_carry_the_banner_and_their_number_in_the_margins() {
    let out = String::from_utf8(export_text(&fixture(), Format::Html, None)).unwrap();
    let banner = "CUI//SP-EXPT//NOFORN";
    for rule in [
        format!("@top-center {{ content: \"{banner}\";"),
        format!("@bottom-center {{ content: \"{banner}\";"),
        "@bottom-right { content: \"Page \" counter(page) \" of \" counter(pages);".to_string(),
    ] {
        assert!(out.contains(&rule), "no {rule}");
    }
    // A partner copy's margins carry its own banner.
    let out = String::from_utf8(export_text(&fixture(), Format::Html, Some("POL"))).unwrap();
    assert!(out.contains("@top-center { content: \"CUI//SP-EXPT//REL TO USA, POL\";"));
}

#[test]
fn the_title_and_every_strength_carry_a_portion_mark() {
    let doc = html(&fixture(), None);
    let strengths: Vec<String> = select(&doc, "#id-POL ul li").iter().map(text).collect();
    assert_eq!(
        strengths,
        ["(U) Fast procurement", "(U) Counter-UAS field experience"]
    );
    let marks = select(&doc, "h1 span.pm");
    assert_eq!(marks.len(), 1);
}

#[test]
fn line_wraps_are_joined_in_html_markdown_and_word() {
    let joined = "First line of the Poland summary. Second line, with Łódź and “quotes”.";
    for format in [Format::Html, Format::Markdown, Format::Docx] {
        let out = office::contents(&export_text(&fixture(), format, None));
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains(joined),
            "{}: the wrap is not joined",
            format.name()
        );
    }
    // A blank line stays a paragraph break.
    let plan = fixture().replace(
        "First line of the Poland summary.\n",
        "First line of the Poland summary.\n\n",
    );
    assert_ne!(plan, fixture(), "the fixture's summary has changed");
    let md = String::from_utf8(export_text(&plan, Format::Markdown, None)).unwrap();
    assert!(
        md.contains("First line of the Poland summary.\n\n(U) Second line"),
        "{md}"
    );
    let docx =
        String::from_utf8(office::contents(&export_text(&plan, Format::Docx, None))).unwrap();
    assert!(!docx.contains(joined));
    assert!(docx.contains(">Second line, with Łódź and “quotes”.</w:t>"));
}

/// Chromium, where it is installed.
fn chromium() -> Option<String> {
    let candidates = [
        "/usr/bin/chromium",
        "chromium",
        "chromium-browser",
        "google-chrome",
    ];
    candidates.into_iter().map(str::to_string).find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn has(program: &str) -> bool {
    Command::new(program).arg("-v").output().is_ok()
}

#[test]
fn chromium_prints_the_banner_and_page_numbers_on_every_page() {
    let Some(chromium) = chromium() else {
        println!("skipped: no Chromium (/usr/bin/chromium, chromium or google-chrome) installed");
        return;
    };
    if !has("pdftotext") {
        println!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("plan.html");
    fs::write(&page, export_text(&fixture(), Format::Html, None)).unwrap();
    let pdf = dir.path().join("plan.pdf");
    let profile = dir.path().join("profile");
    let status = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let text = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    // Cover, contents, priorities, a page per country (3), matrix and stamp at least.
    assert!(pages.len() >= 6, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        assert!(
            page.matches("CUI//SP-EXPT//NOFORN").count() >= 2,
            "page {n} lacks its banners:\n{page}"
        );
        let number = format!("Page {n} of {}", pages.len());
        assert!(page.contains(&number), "page {n} lacks {number:?}:\n{page}");
        // The margin boxes take the place of the browser's own header and footer.
        assert!(
            !page.contains("file:"),
            "page {n} shows the file's path:\n{page}"
        );
    }
    assert!(pages[0].contains("Page 1 of"));
}

#[test]
fn a_browser_without_margin_boxes_still_prints_a_banner_at_top_and_bottom() {
    let out = String::from_utf8(export_text(&fixture(), Format::Html, None)).unwrap();
    let start = out.find("@media print {").expect("a print block");
    let print = &out[start..];
    let print = &print[..print.find("\n}").expect("the print block ends")];
    assert!(
        !print.contains("display: none") && !print.contains("visibility: hidden"),
        "print hides something:\n{print}"
    );
    // The flow banners open the cover and close the footer.
    let doc = html(&fixture(), None);
    for css in [
        "body > header > :first-child",
        "body > footer > :last-child",
    ] {
        let p = select(&doc, css);
        assert_eq!(p.len(), 1, "{css}");
        assert_eq!(p[0].value().attr("class"), Some("flow banner"), "{css}");
        assert_eq!(text(&p[0]), "CUI//SP-EXPT//NOFORN", "{css}");
    }
}

#[test]
fn every_paragraph_of_a_portion_carries_its_mark() {
    let plan = fixture()
        .replace(
            "First line of the Poland summary.\n",
            "First line of the Poland summary.\n\n",
        )
        .replace(
            "\"Fast procurement\"",
            "\"Fast procurement\\n\\nProcured in weeks\"",
        )
        .replace(
            "with Polish labs.\"",
            "with Polish labs.\\n\\nJoint test campaigns follow.\"",
        )
        .replace(
            "\"Joint trials completed\"",
            "\"Joint trials completed\\n\\nat two ranges\"",
        );
    let md = String::from_utf8(export_text(&plan, Format::Markdown, None)).unwrap();
    for marked in [
        "# (CUI//SP-EXPT//NF) Export Fixture Plan",
        "Joint trials completed\n\n      (U) at two ranges",
        "\n\n(U) Second line, with",
        "- (U) Fast procurement\n\n  (U) Procured in weeks\n",
        "Polish labs.\n\n  (U) Joint test campaigns follow.\n",
    ] {
        assert!(md.contains(marked), "no {marked:?} in\n{md}");
    }
    let doc = html(&plan, None);
    let paragraphs: Vec<String> = select(&doc, "#id-POL > p.text").iter().map(text).collect();
    assert_eq!(
        paragraphs[..2],
        [
            "(U) First line of the Poland summary.",
            "(U) Second line, with Łódź and “quotes”."
        ]
    );
    let strength = text(&select(&doc, "#id-POL ul li")[0]);
    assert_eq!(strength, "(U) Fast procurement\n\n(U) Procured in weeks");
    let objective: Vec<String> = select(&doc, "#id-POL-ST-1 > p.text")
        .iter()
        .map(text)
        .collect();
    assert_eq!(objective[1], "(U) Joint test campaigns follow.");
    let docx =
        String::from_utf8(office::contents(&export_text(&plan, Format::Docx, None))).unwrap();
    assert!(
        docx.contains(">(CUI//SP-EXPT//NF) Export Fixture Plan"),
        "the title's mark in Word"
    );
    for paragraph in [
        "Second line, with Łódź and “quotes”.",
        "Procured in weeks",
        "Joint test campaigns follow.",
    ] {
        let at = docx.find(&format!(">{paragraph}</w:t>")).expect(paragraph);
        let start = [docx[..at].rfind("<w:p>"), docx[..at].rfind("<w:p ")]
            .into_iter()
            .flatten()
            .max()
            .unwrap();
        let run = &docx[start..at];
        assert!(
            run.contains(">(U) </w:t>"),
            "{paragraph} is unmarked: {run}"
        );
    }
}
