//! Exports through the library: golden files for every format, reproducibility, hostile text
//! in HTML, Markdown and CSV, the JSON schema, and releasable versions that leak nothing.
//!
//! Golden files are in tests/fixtures/export/golden/. After an intended change of an export,
//! regenerate them with `UPDATE_GOLDEN=1 cargo test --test export` and review the diff.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use scplan::check::Settings;
use scplan::env::Env;
use scplan::export::{self, Format, Request};
use scplan::text::sanitize_lines;
use serde_json::Value;

#[path = "support/office.rs"]
mod office;

const FIXTURE: &str = "tests/fixtures/export/plan.toml";
const HOSTILE: &str = "tests/fixtures/export/hostile.toml";
const DRAFT_FIXTURE: &str = "tests/fixtures/rules/SCP102-fires.toml";
const GOLDEN: &str = "tests/fixtures/export/golden";

/// The environment of every test export: a fixed SOURCE_DATE_EPOCH, passed in, never set.
fn env() -> Env {
    Env::from_vars(
        |name| (name == "SOURCE_DATE_EPOCH").then(|| "1780000000".to_string()),
        jiff::civil::date(2026, 11, 28),
    )
    .unwrap()
}

fn run(path: &str, format: Format, to: Option<&str>) -> Vec<u8> {
    run_as(path, format, to, false)
}

fn run_as(path: &str, format: Format, to: Option<&str>, draft: bool) -> Vec<u8> {
    let bytes = fs::read(path).unwrap();
    let request = Request {
        format,
        draft,
        releasable_to: to.map(str::to_string),
        time: env().stamp_time(),
    };
    match export::export(&bytes, &Settings::default(), &request) {
        Ok(exported) => exported.bytes,
        Err(err) => panic!("{path} as {}: {err}", format.name()),
    }
}

/// An export as text (an office file's parts decompressed and joined).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(office::contents(&bytes)).expect("exports are UTF-8")
}

fn golden(name: &str, actual: &[u8]) {
    let path = Path::new(GOLDEN).join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; create it with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let got = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        fs::write(&got, actual).unwrap();
        panic!(
            "{} differs from the export (written to {}); if the change is intended, run UPDATE_GOLDEN=1 cargo test --test export",
            path.display(),
            got.display()
        );
    }
}

#[test]
fn every_format_matches_its_golden_file_and_is_reproducible() {
    for format in Format::ALL {
        for (to, suffix) in [(None, ""), (Some("POL"), "-releasable-pol")] {
            let first = run(FIXTURE, format, to);
            let second = run(FIXTURE, format, to);
            assert!(first == second, "two {} runs differ", format.name());
            golden(&format!("plan{suffix}.{}", format.name()), &first);
        }
    }
}

#[test]
fn html_loads_nothing_from_anywhere() {
    // Plan text may mention an address (as text); the clean fixture and samples mention none,
    // so any address in their HTML would be the export's own.
    for plan in [
        FIXTURE,
        "plans/eucom-sample.toml",
        "plans/indopacom-sample.toml",
    ] {
        let html = text(run(plan, Format::Html, None)).to_ascii_lowercase();
        for banned in ["http", "<script", "<link", "src=", "url(", "@import"] {
            assert!(!html.contains(banned), "{plan}: {banned:?} in the HTML");
        }
        // Links point inside the document only.
        for (at, _) in html.match_indices("href=") {
            assert!(
                html[at..].starts_with("href=\"#"),
                "{plan}: a link out of the document: {}",
                &html[at..(at + 40).min(html.len())]
            );
        }
    }
}

#[test]
fn the_stamp_names_versions_time_hash_findings_and_waivers() {
    let doc: Value = serde_json::from_slice(&run(FIXTURE, Format::Json, None)).unwrap();
    let stamp = &doc["stamp"];
    assert_eq!(stamp["scplan_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        stamp["catalogue_version"],
        scplan::check::registry::CATALOGUE_VERSION
    );
    assert_eq!(stamp["time"], "2026-05-28T20:26:40Z");
    let sha = scplan::export::stamp::sha256_hex(&fs::read(FIXTURE).unwrap());
    assert_eq!(stamp["plan_sha256"], sha.as_str());
    assert_eq!(
        stamp["counts"],
        serde_json::json!({"errors": 0, "warnings": 0, "infos": 1, "waived": 2})
    );
    assert_eq!(stamp["waivers"][1]["item"], "POL-ST-2");
    assert_eq!(
        stamp["waivers"][1]["approved_by"],
        "November approver (fictional)"
    );
    let md = text(run(FIXTURE, Format::Markdown, None));
    assert!(md.contains("2026-05-28T20:26:40Z") && md.contains(&sha));
    assert!(md.contains("Mike reason: the US-only objective stays beside its partner objectives."));
}

#[test]
fn sha256_is_the_standard_digest() {
    assert_eq!(
        scplan::export::stamp::sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile text

/// Every text of the hostile fixture, as the documents show it (controls made visible), one
/// line at a time: each must come out as text, character for character.
fn hostile_lines() -> Vec<String> {
    let plan: toml::Table = fs::read_to_string(HOSTILE).unwrap().parse().unwrap();
    let mut texts = Vec::new();
    collect_strings(&toml::Value::Table(plan), &mut texts);
    texts
        .iter()
        .flat_map(|t| {
            sanitize_lines(t)
                .split('\n')
                .map(|l| l.trim_start().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fn collect_strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(a) => a.iter().for_each(|v| collect_strings(v, out)),
        toml::Value::Table(t) => t.iter().for_each(|(k, v)| {
            // Plan-level enumerations and keys that exports do not show.
            if !matches!(k.as_str(), "marking" | "rule" | "kind" | "tech_areas") {
                collect_strings(v, out);
            }
        }),
        _ => {}
    }
}

fn no_control_characters(out: &str) {
    assert!(
        !out.chars()
            .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
        "a control character reached the document"
    );
}

#[test]
fn hostile_text_stays_text_in_html() {
    let html = text(run(HOSTILE, Format::Html, None));
    no_control_characters(&html);
    let doc = scraper::Html::parse_document(&html);
    let allowed_tags = [
        "html", "head", "meta", "title", "style", "body", "div", "span", "table", "caption",
        "thead", "tbody", "tfoot", "tr", "th", "td", "header", "section", "footer", "h1", "h2",
        "h3", "p", "ul", "li", "strong", "dl", "dt", "dd", "nav", "ol", "a", "abbr",
    ];
    let allowed_attributes = [
        "class", "lang", "charset", "name", "content", "id", "href", "title",
    ];
    let mut styles = 0;
    for node in doc.root_element().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let tag = element.name();
        assert!(allowed_tags.contains(&tag), "element <{tag}> in the output");
        for (name, _) in element.attrs() {
            assert!(
                allowed_attributes.contains(&name),
                "attribute {name} on <{tag}>"
            );
        }
        styles += usize::from(tag == "style");
    }
    assert_eq!(styles, 1);
    let style = scraper::Selector::parse("style").unwrap();
    let css: String = doc.select(&style).flat_map(|s| s.text()).collect();
    // The stylesheet, then the `@page` rule with the banner: no plan text.
    let page_rule = css.trim().strip_prefix(export::html::CSS.trim()).unwrap();
    assert!(page_rule.trim_start().starts_with("@page {"), "{page_rule}");
    assert!(!page_rule.contains('<'), "{page_rule}");
    assert_eq!(page_rule.matches("content:").count(), 3, "{page_rule}");
    let shown: String = doc.root_element().text().collect();
    for line in hostile_lines() {
        assert!(shown.contains(&line), "HTML does not show {line:?} as text");
    }
}

#[test]
fn hostile_text_stays_text_in_markdown() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let md = text(run(HOSTILE, Format::Markdown, None));
    no_control_characters(&md);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_DEFINITION_LIST;
    let mut shown = String::new();
    let mut headings: Vec<String> = Vec::new();
    let mut in_heading = false;
    let (mut row_cells, mut head_cells) = (0usize, 0usize);
    for event in Parser::new_ext(&md, options) {
        match event {
            Event::Text(t) => {
                shown.push_str(&t);
                if in_heading && let Some(h) = headings.last_mut() {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => shown.push('\n'),
            Event::InlineHtml(h) if h.as_ref() == "<br>" => shown.push('\n'),
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                headings.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::TableCell) => row_cells += 1,
            Event::End(TagEnd::TableHead) => {
                head_cells = row_cells;
                row_cells = 0;
            }
            Event::End(TagEnd::TableRow) => {
                assert_eq!(row_cells, head_cells, "a table row gained or lost cells");
                row_cells = 0;
            }
            Event::Start(
                tag @ (Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::HtmlBlock
                | Tag::Emphasis
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList),
            ) => panic!("plan text became {tag:?}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("plan text became HTML {h:?}"),
            Event::Code(c) | Event::InlineMath(c) | Event::DisplayMath(c) => {
                panic!("plan text became code or math {c:?}")
            }
            Event::TaskListMarker(_) | Event::FootnoteReference(_) | Event::Rule => {
                panic!("plan text became structure: {event:?}")
            }
            _ => {}
        }
    }
    assert_eq!(
        headings,
        [
            "(U) Hostile <script>alert(\"title\")</script> & </style><b onmouseover=\"x()\">plan</b>",
            "Strategic priorities",
            "(U) Poland</h2><script>alert(2)</script> (POL)",
            "Objectives",
            "Agreements",
            "Barriers",
            "Coverage matrix: S&T objectives per country and priority",
            "Validation stamp",
        ]
    );
    for line in hostile_lines() {
        assert!(
            shown.contains(&line),
            "Markdown does not show {line:?} as text"
        );
    }
}

#[test]
fn csv_is_inert_quoted_and_between_banners() {
    let bytes = run(HOSTILE, Format::Csv, None);
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "no byte-order mark"
    );
    let body = &bytes[3..];
    assert!(
        String::from_utf8_lossy(body).contains("\r\n"),
        "RFC 4180 lines end in CRLF"
    );
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(&records[0][0], "UNCLASSIFIED");
    assert_eq!(&records[records.len() - 1][0], "UNCLASSIFIED");
    assert_eq!(
        records[1].iter().collect::<Vec<_>>(),
        export::csv::HEADER.to_vec()
    );
    let st1 = records
        .iter()
        .find(|r| &r[2] == "POL-ST-1")
        .expect("a row for POL-ST-1");
    assert_eq!(&st1[4], "'=cmd|' /C calc'!A0");
    assert_eq!(&st1[5], "SP-1; SP-<b>2</b>");
    assert!(st1[6].starts_with("'@SUM(1+1)"));
    assert_eq!(&st1[8], "1");
    for record in &records {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} would run as a formula"
            );
        }
    }
}

#[test]
fn json_keeps_text_exactly() {
    let doc: Value = serde_json::from_slice(&run(HOSTILE, Format::Json, None)).unwrap();
    assert_eq!(
        doc["countries"][0]["objectives"][0]["text"],
        "=cmd|' /C calc'!A0"
    );
    let summary = doc["countries"][0]["summary"].as_str().unwrap();
    assert!(summary.contains('\u{1b}') && summary.contains('\u{202e}'));
}

// ---------------------------------------------------------------------------------------------
// JSON schema

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(export::json::SCHEMA).unwrap();
    jsonschema::draft202012::new(&schema).expect("the schema is valid")
}

#[test]
fn json_exports_follow_the_schema() {
    let v = validator();
    let outputs = [
        run(FIXTURE, Format::Json, None),
        run(FIXTURE, Format::Json, Some("POL")),
        run(FIXTURE, Format::Json, Some("FRA")),
        run(HOSTILE, Format::Json, None),
        run("plans/eucom-sample.toml", Format::Json, None),
        run("plans/indopacom-sample.toml", Format::Json, None),
        run_as(DRAFT_FIXTURE, Format::Json, Some("POL"), true),
    ];
    for out in outputs {
        let doc: Value = serde_json::from_slice(&out).unwrap();
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn invalid_documents_fail_the_schema() {
    let v = validator();
    let good: Value = serde_json::from_slice(&run(FIXTURE, Format::Json, Some("POL"))).unwrap();
    assert!(v.is_valid(&good));
    type Break = fn(&mut Value);
    let broken: [(&str, Break); 9] = [
        ("a missing key", |d| {
            d.as_object_mut().unwrap().remove("stamp");
        }),
        ("an unknown key", |d| d["plan"]["extra"] = "x".into()),
        ("a wrong type", |d| d["draft"] = "no".into()),
        ("a wrong export format", |d| d["export_format"] = 1.into()),
        ("a bad hash", |d| d["stamp"]["plan_sha256"] = "abc".into()),
        ("a bad time", |d| d["stamp"]["time"] = "yesterday".into()),
        ("a bad date", |d| {
            d["countries"][0]["objectives"][0]["target_date"] = "2029-9-30".into()
        }),
        ("a link marked withheld", |d| {
            d["countries"][0]["objectives"][0]["priorities"][0]["withheld"] = true.into()
        }),
        ("a negative count", |d| {
            d["stamp"]["counts"]["errors"] = (-1).into()
        }),
    ];
    for (what, breaks) in broken {
        let mut doc = good.clone();
        breaks(&mut doc);
        assert!(!v.is_valid(&doc), "{what} passed the schema");
    }
}

// ---------------------------------------------------------------------------------------------
// Releasable versions

/// A deliberately simple reading of PLAN-FORMAT.md's Releasability, independent of the
/// library's marking parser: no NF, and U or a REL TO list naming `code`.
fn releasable(marking: &str, code: &str) -> bool {
    let groups: Vec<&str> = marking.split("//").collect();
    let nf = groups.iter().any(|g| g.split('/').any(|e| e == "NF"));
    let listed = groups.iter().any(|g| {
        g.strip_prefix("REL TO ")
            .is_some_and(|list| list.split(", ").any(|c| c == code))
    });
    !nf && (marking == "U" || listed)
}

/// The texts of every table not releasable to `code`, with everything inside it.
fn withheld_texts(code: &str) -> BTreeSet<String> {
    fn walk(table: &toml::Table, code: &str, hidden: bool, out: &mut BTreeSet<String>) {
        let marking = table.get("marking").and_then(|m| m.as_str()).unwrap_or("U");
        let hidden = hidden || !releasable(marking, code);
        for (key, value) in table {
            match value {
                toml::Value::Array(items) if items.iter().all(|i| i.is_table()) => {
                    for item in items.iter().filter_map(|i| i.as_table()) {
                        walk(item, code, hidden, out);
                    }
                }
                _ if hidden
                    && !matches!(
                        key.as_str(),
                        "id" | "code"
                            | "kind"
                            | "marking"
                            | "priorities"
                            | "tech_areas"
                            | "governance"
                            | "nf_exception"
                    ) =>
                {
                    let mut texts = Vec::new();
                    collect_strings(value, &mut texts);
                    out.extend(texts);
                }
                _ => {}
            }
        }
    }
    let plan: toml::Table = fs::read_to_string(FIXTURE).unwrap().parse().unwrap();
    let mut out = BTreeSet::new();
    for key in ["priority", "country"] {
        for item in plan[key].as_array().unwrap() {
            walk(item.as_table().unwrap(), code, false, &mut out);
        }
    }
    out
}

#[test]
fn a_releasable_version_holds_only_releasable_portions_in_every_format() {
    let withheld = withheld_texts("POL");
    assert!(
        withheld.len() >= 15,
        "the fixture withholds too little: {withheld:?}"
    );
    for format in Format::ALL {
        let out = office::contents(&run(FIXTURE, format, Some("POL")));
        for secret in &withheld {
            let leaked = out.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!leaked, "{} leaks {secret:?}", format.name());
        }
        let out = String::from_utf8_lossy(&out);
        assert!(
            out.contains("CUI//SP-EXPT//REL TO USA, POL"),
            "{}",
            format.name()
        );
        assert!(
            !out.contains("NOFORN") && !out.contains("//NF"),
            "{}",
            format.name()
        );
        // The matrix (CSV) and the workbook have no indicators: check a released objective.
        let released = match format {
            Format::Csv | Format::CsvLinks | Format::Xlsx => "POL-ST-1",
            _ => "Shared test ranges opened",
        };
        assert!(out.contains(released), "{}", format.name());
    }
    let doc: Value = serde_json::from_slice(&run(FIXTURE, Format::Json, Some("POL"))).unwrap();
    assert_eq!(doc["banner"], "CUI//SP-EXPT//REL TO USA, POL");
    assert_eq!(
        doc["recipient"]["statement"],
        "Prepared for release to Poland (POL)"
    );
    assert_eq!(doc["stamp"]["releasable_to"], "POL");
    // The link to the withheld SP-3 is gone, not marked.
    let links = &doc["countries"][0]["objectives"][0]["priorities"];
    assert_eq!(links.as_array().map(Vec::len), Some(2));
    // Both waivers speak of withheld items (POL's covers the withheld barrier's SCP207).
    assert_eq!(doc["stamp"]["waivers"], serde_json::json!([]));
    assert_eq!(doc["stamp"]["counts"]["waived"], 0);
    assert_eq!(
        doc["coverage"]["priorities"],
        serde_json::json!(["SP-1", "SP-2"])
    );
}

#[test]
fn a_partner_copy_names_nothing_withheld_and_its_record_lists_everything() {
    // GBR itself is named by the released REL TO lists; its section's ids are not.
    let withheld_ids = [
        "SP-3",
        "POL-ST-2",
        "GBR-ST-1",
        "GBR-AG-1",
        "withheld",
        "barrier 2",
    ];
    for format in Format::ALL {
        let out = text(run(FIXTURE, format, Some("POL")));
        assert!(
            out.contains("Prepared for release to Poland (POL)"),
            "{}",
            format.name()
        );
        for id in withheld_ids {
            assert!(!out.contains(id), "{} names {id:?}", format.name());
        }
    }
    let bytes = fs::read(FIXTURE).unwrap();
    let request = Request {
        format: Format::Markdown,
        draft: false,
        releasable_to: Some("pol".to_string()),
        time: env().stamp_time(),
    };
    let exported = export::export(&bytes, &Settings::default(), &request).unwrap();
    let record = String::from_utf8(exported.release_record.unwrap()).unwrap();
    let sha = export::stamp::sha256_hex(&bytes);
    for line in [
        "CUI//SP-EXPT//NOFORN",
        "plan: TEST-EXPORT-1",
        "version: 2.1",
        "recipient: Poland (POL)",
        "date (UTC): 2026-05-28T20:26:40Z",
        &format!("plan SHA-256: {sha}"),
        "withheld items: 9",
        "  (CUI//SP-EXPT//NF) SP-3",
        "  (CUI//SP-EXPT//NF) POL-ST-2",
        "  (U) POL-ST-2 indicator 1, inside POL-ST-2",
        "  (CUI//SP-EXPT//NF) POL barrier 2",
        "  (CUI//SP-EXPT//REL TO USA, GBR) GBR",
        "  (U) GBR-ST-1, inside GBR",
        "  (CUI//SP-EXPT//REL TO USA, GBR) GBR-AG-1, inside GBR",
        "waivers left out of the copy: 2",
        "  SCP207 on POL-ST-2",
    ] {
        assert!(record.lines().any(|l| l == line), "{line:?} in\n{record}");
    }
    // The whole plan has no release record.
    let request = Request {
        releasable_to: None,
        ..request
    };
    let whole = export::export(&bytes, &Settings::default(), &request).unwrap();
    assert!(whole.release_record.is_none());
    // What the caller lists stays (the diagnostics, the text they point into); the typed
    // plan is freed once the output is made.
    assert!(whole.checked.plan.is_none());
    assert!(whole.checked.text.contains("TEST-EXPORT-1"));
}

#[test]
fn the_banner_is_recomputed_for_each_partner() {
    let banner = |to: Option<&str>| {
        let doc: Value = serde_json::from_slice(&run(FIXTURE, Format::Json, to)).unwrap();
        (
            doc["banner"].as_str().unwrap().to_string(),
            doc["designation"] == serde_json::json!([]),
        )
    };
    assert_eq!(banner(None), ("CUI//SP-EXPT//NOFORN".to_string(), false));
    assert_eq!(
        banner(Some("GBR")),
        ("CUI//SP-EXPT//REL TO USA, GBR".to_string(), false)
    );
    // Only unclassified portions go to France: no CUI, so no CUI designation indicator.
    assert_eq!(banner(Some("FRA")), ("UNCLASSIFIED".to_string(), true));
}

#[test]
fn a_partner_code_must_be_a_country_other_than_usa() {
    for bad in ["USA", "usa", "XYZ", "", "POLAND"] {
        assert!(
            export::partner_code(bad).is_err(),
            "{bad:?} accepted as a partner"
        );
    }
    for good in ["POL", "pol", "Pol"] {
        assert_eq!(export::partner_code(good).ok().as_deref(), Some("POL"));
    }
}

#[test]
fn the_cui_designation_indicator_comes_before_the_first_portion_in_every_format() {
    let lines = [
        ("Controlled By", "Fictional Command J5"),
        ("Categories", "SP-EXPT"),
        ("Limited dissemination", "Dummy dissemination statement"),
        ("POC", "Test Officer, 555-0100"),
    ];
    for format in Format::ALL {
        let out = text(run(FIXTURE, format, None));
        // The first portion is the first priority, SP-1.
        let first_portion = match format {
            Format::Csv => out.find("country_code,"),
            // Every row carries the marking blocks before its objective.
            Format::CsvLinks => out.find(",POL-ST-"),
            Format::Json => out.find("\"priorities\""),
            _ => out.find("SP-1"),
        }
        .unwrap();
        for (label, value) in lines {
            let shown = match format {
                Format::Markdown => format!("{label}: {value}"),
                Format::Html => format!("<th>{label}</th><td class=\"text\">{value}</td>"),
                Format::Csv if value.contains(',') => {
                    format!("CUI designation indicator,{label},\"{value}\"")
                }
                Format::Csv => format!("CUI designation indicator,{label},{value}"),
                Format::CsvLinks => format!("{label}: {value}"),
                Format::Json => {
                    format!("\"label\": \"{label}\",\n          \"value\": \"{value}\"")
                }
                Format::Xlsx => format!("<t>{label}</t></si><si><t>{value}</t>"),
                Format::Docx => format!(
                    "{label}: </w:t></w:r><w:r><w:rPr /><w:t xml:space=\"preserve\">{value}</w:t>"
                ),
            };
            let at = out.find(&shown);
            assert!(
                at.is_some_and(|at| at < first_portion),
                "{}: {shown:?} is missing or after the first portion",
                format.name()
            );
        }
    }
}

#[test]
fn a_partner_copy_lists_only_the_categories_of_what_it_releases() {
    let plan = fs::read_to_string(FIXTURE).unwrap().replace(
        "categories = [\"SP-EXPT\"]",
        "categories = [\"SP-EXPT\", \"PRVCY\"]",
    );
    // Only a withheld priority holds PRVCY (and the banner says so).
    let plan = plan.replace(
        "marking = \"CUI//SP-EXPT//NOFORN\"",
        "marking = \"CUI//SP-EXPT/PRVCY//NOFORN\"",
    );
    let plan = plan.replace(
        "marking = \"CUI//SP-EXPT//NF\"\nmarking_justification = \"Dummy: controlled nuclear information\"\nnf_exception = \"DCNI\"",
        "marking = \"CUI//SP-EXPT/PRVCY//NF\"\nmarking_justification = \"Dummy: controlled nuclear information\"\nnf_exception = \"DCNI\"",
    );
    let categories = |to: Option<&str>| {
        let request = Request {
            format: Format::Json,
            draft: false,
            releasable_to: to.map(str::to_string),
            time: env().stamp_time(),
        };
        let bytes = export::export(plan.as_bytes(), &Settings::default(), &request)
            .unwrap_or_else(|e| panic!("{e}"))
            .bytes;
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        doc["designation"][0]["lines"][1]["value"].clone()
    };
    assert_eq!(categories(None), "SP-EXPT, PRVCY");
    assert_eq!(categories(Some("POL")), "SP-EXPT");
}

/// Exports the plan of findings about withheld links on a SECRET workstation.
fn export_withheld_links(format: Format, to: Option<&str>) -> export::Exported {
    let bytes = fs::read("tests/fixtures/export/withheld-links.toml").unwrap();
    let settings = Settings {
        system_high: scplan::plan::marking::Level::S,
    };
    let request = Request {
        format,
        draft: false,
        releasable_to: to.map(str::to_string),
        time: env().stamp_time(),
    };
    export::export(&bytes, &settings, &request).unwrap()
}

#[test]
fn a_partner_copy_counts_no_finding_that_names_a_withheld_priority() {
    // Released objectives link the withheld SP-2: a repeat (SCP107, waived), an unstamped
    // link (SCP110) and a stale stamp (SCP111) all name it; SCP401 and two SCP109 do not.
    let whole = export_withheld_links(Format::Json, None);
    let doc: Value = serde_json::from_slice(&whole.bytes).unwrap();
    assert_eq!(
        doc["stamp"]["counts"],
        serde_json::json!({"errors": 0, "warnings": 4, "infos": 1, "waived": 1})
    );
    assert_eq!(doc["stamp"]["waivers"].as_array().map(Vec::len), Some(1));
    let copy = export_withheld_links(Format::Json, Some("POL"));
    let doc: Value = serde_json::from_slice(&copy.bytes).unwrap();
    assert_eq!(
        doc["stamp"]["counts"],
        serde_json::json!({"errors": 0, "warnings": 3, "infos": 0, "waived": 0})
    );
    assert_eq!(doc["stamp"]["waivers"], serde_json::json!([]));
    let record = String::from_utf8(copy.release_record.unwrap()).unwrap();
    assert!(
        record.lines().any(|l| l == "  SCP107 on POL-ST-1"),
        "{record}"
    );
    for format in Format::ALL {
        let out = text(export_withheld_links(format, Some("POL")).bytes);
        for withheld in ["SP-2", "ZZNFPRIO", "ZZWAIVERREASON"] {
            assert!(
                !out.contains(withheld),
                "{} names {withheld}",
                format.name()
            );
        }
        assert!(out.contains("POL-ST-2"), "{}", format.name());
    }
}

#[test]
fn a_waiver_left_out_of_a_copy_leaves_no_unexplained_waived_count() {
    let bytes = fs::read("tests/fixtures/export/shared-waiver.toml").unwrap();
    let export_to = |to: Option<&str>| {
        let request = Request {
            format: Format::Json,
            draft: false,
            releasable_to: to.map(str::to_string),
            time: env().stamp_time(),
        };
        export::export(&bytes, &Settings::default(), &request).unwrap()
    };
    let whole: Value = serde_json::from_slice(&export_to(None).bytes).unwrap();
    assert_eq!(whole["stamp"]["counts"]["waived"], 2);
    let copy = export_to(Some("POL"));
    let doc: Value = serde_json::from_slice(&copy.bytes).unwrap();
    // The released indicator's SCP403 is shown as the copy has it: no waiver of it there.
    assert_eq!(
        doc["stamp"]["counts"],
        serde_json::json!({"errors": 0, "warnings": 0, "infos": 1, "waived": 0})
    );
    assert_eq!(doc["stamp"]["waivers"], serde_json::json!([]));
    let text = String::from_utf8(copy.bytes).unwrap();
    assert!(!text.contains("ZZWITHHELD") && !text.contains("ZZWAIVERTEXT"));
    let record = String::from_utf8(copy.release_record.unwrap()).unwrap();
    assert!(
        record.lines().any(|l| l == "  SCP403 on POL-ST-1"),
        "{record}"
    );
}
