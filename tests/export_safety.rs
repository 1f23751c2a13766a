//! Property tests of marking safety in every output, on random plans written as TOML text:
//!
//! (a) with random readable, unreadable and obsolete portion markings, every export that is
//!     produced (draft or not, whole plan or partner copy, every format) carries a banner at
//!     or above the roll-up of the portions it holds, and none is produced while a portion
//!     marking cannot be read;
//! (b) a partner copy, in every format, holds no id, text or marking of anything not
//!     releasable to the partner (every generated text and id is unique, so a byte search
//!     for it is meaningful), its stamp counts only the findings of what it releases, and
//!     its release record lists exactly the withheld tables.
//!
//! The expectations are worked out here from the generated plan with a deliberately simple
//! reading of PLAN-FORMAT.md, not with the library's marking code.

use std::collections::{BTreeSet, HashSet};

use proptest::prelude::*;
use serde_json::Value;

use scplan::check::{self, Settings};
use scplan::export::{self, ExportError, Format, Request};
use scplan::plan::marking::{self, Level, Profile};
use scplan::plan::model::{Collection, Node};
use scplan::report::{Summary, plural};

#[path = "support/office.rs"]
mod office;

/// Readable, valid markings (U the most common, and many releasable to someone).
const READABLE: &[&str] = &[
    "U",
    "U",
    "U",
    "U",
    "CUI//SP-EXPT",
    "CUI//PRVCY//NF",
    "CUI//SP-EXPT//REL TO USA, POL",
    "CUI//SP-EXPT//REL TO USA, GBR, POL",
    "CUI//REL TO USA, GBR, NOR",
    "CUI//SP-EXPT//REL TO USA, GBR, NOR, POL",
    "C",
    "C//REL TO USA, POL",
    "S//NF",
    "S//REL TO USA, GBR, POL",
    "S//REL TO USA, NOR, POL",
    "TS//REL TO USA, GBR",
];

/// A readable marking that breaks SCP204's order rule: its plan goes out only as a draft.
const MISORDERED: &str = "S//REL TO GBR, USA";

/// Markings nobody can read: unparseable (SCP201) and obsolete (SCP208).
const UNREADABLE: &[&str] = &[
    "SERCET//NF",
    "SECRETISH",
    "S//RL TO USA, POL",
    "U//NF",
    "S//NOFORN",
    "FOUO",
    "U//FOUO",
];

/// What (a) injects: every unreadable marking, and the misordered one.
const INJECTED: &[&str] = &[
    "SERCET//NF",
    "SECRETISH",
    "S//RL TO USA, POL",
    "U//NF",
    "S//NOFORN",
    "FOUO",
    "U//FOUO",
    MISORDERED,
];

/// The sections a plan may have, and the partners a copy may be for (FRA has no section).
const CODES: &[&str] = &["POL", "GBR", "NOR"];
const PARTNERS: &[&str] = &["POL", "gbr", "NOR", "FRA"];

/// A system high above every generated level: no plan is refused for SCP209.
fn settings() -> Settings {
    Settings {
        system_high: Level::Ts,
    }
}

// ---------------------------------------------------------------------------------------------
// The generated plan

#[derive(Debug, Clone)]
struct ObjectiveSpec {
    marking: &'static str,
    st: bool,
    links: Vec<usize>,
    governed: bool,
    indicators: Vec<&'static str>,
}

#[derive(Debug, Clone)]
struct CountrySpec {
    marking: &'static str,
    objectives: Vec<ObjectiveSpec>,
    agreement: Option<&'static str>,
    actor: Option<&'static str>,
    pool: Option<&'static str>,
    barrier: Option<&'static str>,
}

#[derive(Debug, Clone)]
struct PlanSpec {
    nara: bool,
    priorities: Vec<&'static str>,
    countries: Vec<CountrySpec>,
    /// Waivers of SCP207, each on the id of the table at this index (modulo their number).
    waivers: Vec<usize>,
    /// Portions whose marking is replaced by an unreadable or misordered one: (table index
    /// modulo the number of tables, marking).
    unreadable: Vec<(usize, &'static str)>,
}

fn marking() -> impl Strategy<Value = &'static str> {
    prop::sample::select(READABLE)
}

fn objective(first: bool) -> impl Strategy<Value = ObjectiveSpec> {
    (
        marking(),
        any::<bool>(),
        prop::collection::vec(0usize..3, 1..3),
        any::<bool>(),
        prop::collection::vec(marking(), 0..3),
    )
        .prop_map(
            move |(marking, st, links, governed, indicators)| ObjectiveSpec {
                marking,
                // Every section has an S&T objective (SCP101), its first.
                st: st || first,
                links,
                governed,
                indicators,
            },
        )
}

fn country() -> impl Strategy<Value = CountrySpec> {
    (
        marking(),
        objective(true),
        prop::option::of(objective(false)),
        prop::option::of(marking()),
        prop::option::of(marking()),
        prop::option::of(marking()),
        prop::option::of(marking()),
    )
        .prop_map(
            |(marking, first, second, agreement, actor, pool, barrier)| CountrySpec {
                marking,
                objectives: std::iter::once(first).chain(second).collect(),
                agreement,
                actor,
                pool,
                barrier,
            },
        )
}

/// A plan; one in three has one or two portions marked from `injected` instead.
fn plan_spec(injected: &'static [&'static str]) -> impl Strategy<Value = PlanSpec> {
    let bad = prop_oneof![
        2 => Just(Vec::new()),
        1 => prop::collection::vec((any::<usize>(), prop::sample::select(injected)), 1..3),
    ];
    (
        any::<bool>(),
        prop::collection::vec(marking(), 1..4),
        prop::collection::vec(country(), 1..4),
        prop::collection::vec(any::<usize>(), 0..3),
        bad,
    )
        .prop_map(
            |(nara, priorities, countries, waivers, unreadable)| PlanSpec {
                nara,
                priorities,
                countries,
                waivers,
                unreadable,
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Rendering: the TOML text, and every markable table as the expectations need it

/// One markable table of the generated plan, in document order.
#[derive(Debug, Clone)]
struct Table {
    node: Node,
    /// Its id or country code (`None` for indicators and barriers).
    id: Option<String>,
    /// How the release record names it.
    label: String,
    marking: &'static str,
    /// The index of the table it is inside (a country, or an objective for an indicator).
    parent: Option<usize>,
    /// Every text it holds (each unique in the plan).
    texts: Vec<String>,
}

struct Render {
    out: String,
    tables: Vec<Table>,
    tokens: usize,
    unreadable: Vec<(usize, &'static str)>,
}

impl Render {
    /// A text found nowhere else in the plan or in any export's own words.
    fn unique(&mut self, what: &str) -> String {
        self.tokens += 1;
        format!("{what} Q{:04}Z", self.tokens)
    }

    /// Writes a table's `marking` (and the keys it asks for) and records the table.
    fn table(&mut self, mut table: Table, indent: &str) -> usize {
        let index = self.tables.len();
        if let Some((_, bad)) = self.unreadable.iter().find(|(i, _)| *i == index) {
            table.marking = bad;
        }
        let m = table.marking;
        self.out.push_str(&format!("{indent}marking = \"{m}\"\n"));
        if m.starts_with("CUI") {
            let why = self.unique("justification");
            self.out
                .push_str(&format!("{indent}marking_justification = \"{why}\"\n"));
            table.texts.push(why);
        }
        if m.contains("NF") {
            self.out.push_str(&format!("{indent}intel = true\n"));
        }
        self.tables.push(table);
        index
    }

    /// `key = "text"` with a unique text, recorded in `texts`.
    fn text(&mut self, indent: &str, key: &str, texts: &mut Vec<String>) -> String {
        let t = self.unique(key);
        self.out.push_str(&format!("{indent}{key} = \"{t}\"\n"));
        texts.push(t.clone());
        t
    }
}

/// The TOML text of `spec` (its banner the roll-up, when every marking is readable) and its
/// tables.
fn render(spec: &PlanSpec) -> (String, Vec<Table>, Vec<(String, String)>) {
    let portions = spec.priorities.len()
        + spec
            .countries
            .iter()
            .map(|c| {
                let children = c
                    .objectives
                    .iter()
                    .map(|o| 1 + o.indicators.len())
                    .sum::<usize>();
                1 + children
                    + [c.agreement, c.actor, c.pool, c.barrier]
                        .iter()
                        .filter(|t| t.is_some())
                        .count()
            })
            .sum::<usize>();
    let mut r = Render {
        out: String::new(),
        tables: Vec::new(),
        tokens: 0,
        unreadable: spec
            .unreadable
            .iter()
            .map(|(i, m)| (i % portions, *m))
            .collect(),
    };
    let priority_ids: Vec<String> = (0..spec.priorities.len())
        .map(|i| format!("SP-Q{:04}Z", 9000 + i))
        .collect();
    for (i, m) in spec.priorities.iter().enumerate() {
        r.out
            .push_str(&format!("[[priority]]\nid = \"{}\"\n", priority_ids[i]));
        let mut texts = Vec::new();
        for key in ["title", "source", "description"] {
            r.text("", key, &mut texts);
        }
        let table = Table {
            node: Node::Item(Collection::Priorities, i),
            id: Some(priority_ids[i].clone()),
            label: priority_ids[i].clone(),
            marking: m,
            parent: None,
            texts,
        };
        r.table(table, "");
        r.out.push('\n');
    }
    for (ci, c) in spec.countries.iter().enumerate() {
        country_text(&mut r, ci, c, &priority_ids);
    }
    let waivers = waivers_text(&mut r, spec);
    let banner = banner(&r.tables, spec.nara);
    let cui = r.unique("controller");
    let poc = r.unique("poc");
    let head = format!(
        "[plan]\nformat = 1\nid = \"T-PROPS\"\ntitle = \"Random plan (FICTIONAL TEST DATA)\"\n\
         command = \"USEUCOM\"\nversion = \"1\"\neffective = 2026-10-01\nperiod_end = 2031-09-30\n\
         marking = \"{banner}\"\nmarking_profile = \"{}\"\n\n[plan.cui]\ncontrolled_by = \"{cui}\"\n\
         categories = [\"SP-EXPT\", \"PRVCY\"]\npoc = \"{poc}\"\n\n",
        if spec.nara { "nara" } else { "dod" }
    );
    (head + &r.out, r.tables, waivers)
}

/// One `[[country]]` section with everything in it.
fn country_text(r: &mut Render, ci: usize, c: &CountrySpec, priority_ids: &[String]) {
    let code = CODES[ci];
    r.out.push_str(&format!("[[country]]\ncode = \"{code}\"\n"));
    let mut texts = Vec::new();
    for key in ["name", "summary"] {
        r.text("", key, &mut texts);
    }
    let strength = r.unique("strength");
    r.out.push_str(&format!("strengths = [\"{strength}\"]\n"));
    texts.push(strength);
    let country = Table {
        node: Node::Item(Collection::Countries, ci),
        id: Some(code.to_string()),
        label: code.to_string(),
        marking: c.marking,
        parent: None,
        texts,
    };
    let parent = Some(r.table(country, ""));
    let agreement = format!("{code}-AG-Q{:04}Z", 8000 + ci);
    let actor = format!("{code}-AC-Q{:04}Z", 8100 + ci);
    let mut governance: Vec<&str> = Vec::new();
    governance.extend(c.agreement.map(|_| agreement.as_str()));
    governance.extend(c.actor.map(|_| actor.as_str()));
    for (oi, o) in c.objectives.iter().enumerate() {
        let id = format!("{code}-ST-Q{:04}Z", 7000 + ci * 10 + oi);
        let links: Vec<String> = o
            .links
            .iter()
            .map(|l| format!("\"{}\"", priority_ids[l % priority_ids.len()]))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        r.out.push_str(&format!(
            "\n  [[country.objective]]\n  id = \"{id}\"\n  kind = \"{}\"\n  priorities = [{}]\n  tech_areas = [\"applied-ai\"]\n  target_date = 2028-09-30\n",
            if o.st { "st" } else { "sc" },
            links.join(", ")
        ));
        if o.governed && !governance.is_empty() {
            let list: Vec<String> = governance.iter().map(|g| format!("\"{g}\"")).collect();
            r.out
                .push_str(&format!("  governance = [{}]\n", list.join(", ")));
        }
        let mut texts = Vec::new();
        r.text("  ", "text", &mut texts);
        let table = Table {
            node: Node::Item(Collection::Objectives(ci), oi),
            id: Some(id.clone()),
            label: id.clone(),
            marking: o.marking,
            parent,
            texts,
        };
        let objective = Some(r.table(table, "  "));
        for (k, m) in o.indicators.iter().enumerate() {
            r.out.push_str("\n    [[country.objective.indicator]]\n");
            let mut texts = Vec::new();
            for key in ["name", "baseline", "target"] {
                r.text("    ", key, &mut texts);
            }
            let table = Table {
                node: Node::Item(Collection::Indicators(ci, oi), k),
                id: None,
                label: format!("{id} indicator {}", k + 1),
                marking: m,
                parent: objective,
                texts,
            };
            r.table(table, "    ");
        }
    }
    items_text(r, ci, c, parent, [agreement, actor]);
}

/// The agreement, actor, investment pool and barrier of the section at `ci` (`parent`),
/// with the ids the objectives' governance may name.
fn items_text(r: &mut Render, ci: usize, c: &CountrySpec, parent: Option<usize>, ids: [String; 2]) {
    let code = CODES[ci];
    let [agreement, actor] = ids;
    let items = [
        (
            c.agreement,
            "agreement",
            Collection::Agreements(ci),
            Some(agreement),
            "title",
        ),
        (
            c.actor,
            "actor",
            Collection::Actors(ci),
            Some(actor),
            "name",
        ),
        (
            c.pool,
            "investment_pool",
            Collection::Pools(ci),
            Some(format!("{code}-IP-Q{:04}Z", 8200 + ci)),
            "name",
        ),
        (c.barrier, "barrier", Collection::Barriers(ci), None, "text"),
    ];
    for (m, key, collection, id, text_key) in items {
        let Some(m) = m else { continue };
        r.out.push_str(&format!("\n  [[country.{key}]]\n"));
        if let Some(id) = &id {
            r.out.push_str(&format!("  id = \"{id}\"\n"));
        }
        let extra = match key {
            "agreement" => "  kind = \"mou\"\n  last_reviewed = 2026-03-01\n",
            "actor" => "  kind = \"lab\"\n  last_reviewed = 2026-03-01\n",
            "investment_pool" => "  tech_areas = [\"applied-ai\"]\n",
            _ => "  kind = \"other\"\n",
        };
        r.out.push_str(extra);
        let mut texts = Vec::new();
        r.text("  ", text_key, &mut texts);
        let second = match key {
            "actor" => "role",
            "investment_pool" => "ip_terms",
            "barrier" => "mitigation",
            _ => "",
        };
        if !second.is_empty() {
            r.text("  ", second, &mut texts);
        }
        let table = Table {
            node: Node::Item(collection, 0),
            label: id.clone().unwrap_or_else(|| format!("{code} barrier 1")),
            id,
            marking: m,
            parent,
            texts,
        };
        r.table(table, "  ");
    }
    r.out.push('\n');
}

/// The `[[waiver]]`s of `spec`; returns each as (item, reason).
fn waivers_text(r: &mut Render, spec: &PlanSpec) -> Vec<(String, String)> {
    let ids: Vec<String> = r.tables.iter().filter_map(|t| t.id.clone()).collect();
    let mut out = Vec::new();
    for w in &spec.waivers {
        let item = ids[w % ids.len()].clone();
        let reason = r.unique("reason");
        r.out.push_str(&format!(
            "[[waiver]]\nrule = \"SCP207\"\nitem = \"{item}\"\nreason = \"{reason}\"\n\n"
        ));
        out.push((item, reason));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// A simple reading of markings (PLAN-FORMAT.md), independent of the library

fn groups(m: &str) -> Vec<&str> {
    m.split("//").collect()
}

fn level(m: &str) -> u8 {
    match groups(m)[0] {
        "U" | "UNCLASSIFIED" => 0,
        "CUI" => 1,
        "C" | "CONFIDENTIAL" => 2,
        "S" | "SECRET" => 3,
        "TS" | "TOP SECRET" => 4,
        other => panic!("no level in {other:?}"),
    }
}

fn nf(m: &str) -> bool {
    groups(m)
        .iter()
        .any(|g| g.split('/').any(|e| e == "NF" || e == "NOFORN"))
}

fn rel_to(m: &str) -> Option<Vec<&str>> {
    groups(m)
        .iter()
        .find_map(|g| g.strip_prefix("REL TO "))
        .map(|list| list.split(", ").collect())
}

fn releasable(m: &str, code: &str) -> bool {
    !nf(m) && (m == "U" || rel_to(m).is_some_and(|list| list.contains(&code)))
}

/// The banner the generated plan's portions require, so that a plan without errors passes
/// `check` ("UNCLASSIFIED" when one is unreadable: such a plan is never exported anyway).
/// Only the generator uses the library's roll-up; the properties judge banners on their own.
fn banner(tables: &[Table], nara: bool) -> String {
    let parsed: Option<Vec<_>> = tables
        .iter()
        .map(|t| marking::parse_portion(t.marking).ok())
        .collect();
    let profile = if nara { Profile::Nara } else { Profile::Dod };
    parsed.map_or("UNCLASSIFIED".to_string(), |m| {
        marking::roll_up(&m, profile)
    })
}

/// Whether `banner` is at or above what `portions` require: no lower a level, NOFORN when a
/// portion has NF (where the banner shows controls), and a REL TO list only when every
/// portion it covers is releasable to all of it.
fn at_or_above(banner: &str, portions: &[&str], nara: bool) -> bool {
    let top = portions.iter().map(|m| level(m)).max().unwrap_or(0);
    let shows_controls = level(banner) >= 2 || (level(banner) == 1 && nara);
    if level(banner) < top {
        return false;
    }
    if shows_controls && level(banner) == top && portions.iter().any(|m| nf(m)) && !nf(banner) {
        return false;
    }
    // A REL TO banner covers the portions of its own kind: CUI ones under a CUI banner, the
    // classified ones under a classified banner; and NF anywhere rules it out.
    let covered = |m: &&&str| match level(banner) {
        1 => level(m) == 1,
        _ => level(m) >= 2,
    };
    match rel_to(banner) {
        None => true,
        Some(list) => {
            portions.iter().all(|m| !nf(m))
                && portions
                    .iter()
                    .filter(covered)
                    .all(|m| rel_to(m).is_some_and(|own| list.iter().all(|e| own.contains(e))))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running exports

fn request(format: Format, draft: bool, to: Option<&str>) -> Request {
    Request {
        format,
        draft,
        releasable_to: to.map(str::to_string),
        time: jiff::Timestamp::from_second(1_780_000_000).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    }
}

/// Every `marking` string of a JSON export: the portions it holds.
fn json_markings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("marking", Value::String(m)) => out.push(m.clone()),
                    _ => json_markings(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| json_markings(v, out)),
        _ => {}
    }
}

/// XML text as written.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The banner as each format shows it at its top.
fn shown_banner(format: Format, out: &str) -> String {
    let out = out.trim_start_matches('\u{feff}');
    match format {
        Format::Json => {
            let doc: Value = serde_json::from_str(out).unwrap();
            doc["banner"].as_str().unwrap().to_string()
        }
        Format::Markdown => out.lines().next().unwrap().trim_matches('*').to_string(),
        Format::Html => {
            let start = out.find("<p class=\"flow banner\">").unwrap() + 23;
            out[start..start + out[start..].find('<').unwrap()].to_string()
        }
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(out.as_bytes());
            reader.records().next().unwrap().unwrap()[0].to_string()
        }
        // The first data row's `marking` cell: the banner, before any notice.
        Format::CsvLinks => {
            let mut reader = csv::Reader::from_reader(out.as_bytes());
            let row = reader.records().next().unwrap().unwrap();
            row[0].split(" / ").next().unwrap().to_string()
        }
        // The first sheet's printed header: `&C` then the banner, its `&` doubled.
        Format::Xlsx => {
            let tag = "<oddHeader>";
            let start = out.find(tag).unwrap() + tag.len();
            let end = start + out[start..].find("</oddHeader>").unwrap();
            let header = unescape(&out[start..end]);
            let at = header.find("&C").unwrap() + 2;
            header[at..].replace("&&", "&")
        }
        // The header part's first text is the banner.
        Format::Docx => {
            let header = out.find("<w:hdr ").unwrap();
            let tag = "<w:t xml:space=\"preserve\">";
            let start = header + out[header..].find(tag).unwrap() + tag.len();
            let end = start + out[start..].find('<').unwrap();
            unescape(&out[start..end])
        }
    }
}

/// Whether `needle` is in `haystack` as written or XML-escaped (as Word parts hold text).
fn contains(haystack: &[u8], needle: &str) -> bool {
    let escaped = needle
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    [
        needle.to_string(),
        escaped.replace('\'', "&#39;"),
        escaped.replace('\'', "&apos;"),
    ]
    .iter()
    .any(|n| haystack.windows(n.len()).any(|w| w == n.as_bytes()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// (a) Drafts never under-mark, and nothing leaves while a marking cannot be read.
    #[test]
    fn every_export_is_marked_at_or_above_its_portions(
        spec in plan_spec(INJECTED),
        partner in prop::sample::select(PARTNERS),
    ) {
        let (text, tables, _) = render(&spec);
        let unreadable = tables.iter().any(|t| UNREADABLE.contains(&t.marking));
        for draft in [false, true] {
            for to in [None, Some(partner)] {
                let run = |format| export::export(text.as_bytes(), &settings(), &request(format, draft, to));
                let json = match run(Format::Json) {
                    Err(ExportError::UnreadableMarkings { .. }) if unreadable => None,
                    Err(ExportError::Invalid { .. }) if !draft && !unreadable => None,
                    Err(err) => panic!("draft={draft} to={to:?}: {err}\n{text}"),
                    Ok(_) if unreadable => panic!("an export of an unreadable marking\n{text}"),
                    Ok(exported) => Some(exported),
                };
                let Some(json) = json else {
                    // Refused as JSON: refused in every format, for the same reason.
                    for format in Format::ALL {
                        let refusal = run(format).err().map(|e| std::mem::discriminant(&e));
                        prop_assert!(refusal.is_some(), "{} was exported", format.name());
                    }
                    continue;
                };
                let doc: Value = serde_json::from_slice(&json.bytes).unwrap();
                let mut portions = Vec::new();
                json_markings(&doc, &mut portions);
                let portions: Vec<&str> = portions.iter().map(String::as_str).collect();
                let banner = doc["banner"].as_str().unwrap();
                prop_assert!(
                    at_or_above(banner, &portions, spec.nara),
                    "banner {:?} is below its portions {:?}\n{}", banner, portions, text
                );
                for format in Format::ALL {
                    let bytes = office::contents(&run(format).unwrap().bytes);
                    let out = String::from_utf8(bytes).unwrap();
                    prop_assert_eq!(shown_banner(format, &out), banner, "{}", format.name());
                }
            }
        }
    }

    /// (b) A partner copy holds nothing withheld, counts only what it releases, and its
    /// release record lists exactly what it withholds.
    #[test]
    fn a_partner_copy_reveals_nothing_withheld(
        spec in plan_spec(&[MISORDERED]),
        partner in prop::sample::select(PARTNERS),
    ) {
        let (text, tables, waivers) = render(&spec);
        let code = partner.to_ascii_uppercase();
        let withheld = withheld(&tables, &code);
        let checked = check::check_bytes(text.as_bytes(), &settings()).unwrap();
        let hidden: HashSet<&str> = tables.iter().enumerate()
            .filter(|(i, _)| withheld[*i])
            .filter_map(|(_, t)| t.id.as_deref())
            .collect();
        let mut left_out: HashSet<Node> = tables.iter().enumerate()
            .filter(|(i, _)| withheld[*i])
            .map(|(_, t)| t.node)
            .collect();
        // About a withheld table, or naming a withheld item (a link to it).
        let about_withheld = |d: &check::diagnostic::Diagnostic, nodes: &HashSet<Node>| {
            d.target.names.as_deref().is_some_and(|id| hidden.contains(id))
                || match d.target.node {
                    Some(node) => nodes.contains(&node),
                    None => hidden.contains(&*d.item),
                }
        };
        let mut shown_waivers = Vec::new();
        let mut secret_reasons = Vec::new();
        let mut left_out_items: HashSet<&str> = HashSet::new();
        for (wi, (item, reason)) in waivers.iter().enumerate() {
            let covers = checked.diagnostics.iter()
                .any(|d| d.code == "SCP207" && *d.item == **item && about_withheld(d, &left_out));
            if hidden.contains(item.as_str()) || covers {
                secret_reasons.push(reason.clone());
                left_out.insert(Node::Item(Collection::Waivers, wi));
                left_out_items.insert(item.as_str());
            } else {
                shown_waivers.push(format!("SCP207 on {item}"));
            }
        }
        // A released finding whose waiver the copy leaves out shows as not waived.
        let mut counts = Summary::default();
        for d in checked.diagnostics.iter().filter(|d| !about_withheld(d, &left_out)) {
            let waiver_left_out = d.code == "SCP207" && left_out_items.contains(&*d.item);
            counts.count(d.waived && !waiver_left_out, d.severity);
        }
        let findings = format!(
            "{}, {}, {}, {} waived",
            plural(counts.errors, "error"), plural(counts.warnings, "warning"),
            plural(counts.infos, "info"), counts.waived
        );
        for format in Format::ALL {
            let exported = export::export(text.as_bytes(), &settings(), &request(format, true, Some(partner)))
                .unwrap_or_else(|e| panic!("{e}\n{text}"));
            let out = &office::contents(&exported.bytes);
            for (_, table) in tables.iter().enumerate().filter(|(i, _)| withheld[*i]) {
                for secret in &table.texts {
                    prop_assert!(!contains(out, secret), "{} holds {:?} of withheld {}", format.name(), secret, table.label);
                }
                // A country code is named by released REL TO lists; every other id is unique.
                if let Some(id) = table.id.as_deref().filter(|_| !CODES.contains(&table.label.as_str())) {
                    prop_assert!(!contains(out, id), "{} names withheld {}", format.name(), id);
                }
            }
            for reason in &secret_reasons {
                prop_assert!(!contains(out, reason), "{} holds the waiver reason {:?}", format.name(), reason);
            }
            for m in READABLE.iter().chain([&MISORDERED]).filter(|m| !releasable(m, &code)) {
                let marks = match format {
                    Format::Json => vec![format!("\"marking\": \"{m}\"")],
                    Format::Csv => vec![format!(",{m},"), format!(",\"{m}\",")],
                    _ => vec![format!("({m})")],
                };
                for mark in marks {
                    prop_assert!(!contains(out, &mark), "{} shows the marking {:?}", format.name(), m);
                }
            }
            if format == Format::Json {
                let doc: Value = serde_json::from_slice(out).unwrap();
                let expected = serde_json::json!({
                    "errors": counts.errors, "warnings": counts.warnings,
                    "infos": counts.infos, "waived": counts.waived,
                });
                prop_assert_eq!(&doc["stamp"]["counts"], &expected);
                let waivers: Vec<String> = doc["stamp"]["waivers"].as_array().unwrap().iter()
                    .map(|w| format!("{} on {}", w["rule"].as_str().unwrap(), w["item"].as_str().unwrap()))
                    .collect();
                prop_assert_eq!(&waivers, &shown_waivers);
                let codes: Vec<&str> = doc["countries"].as_array().unwrap().iter()
                    .map(|c| c["code"].as_str().unwrap()).collect();
                for (i, t) in tables.iter().enumerate() {
                    if matches!(t.node, Node::Item(Collection::Countries, _)) {
                        prop_assert_eq!(codes.contains(&t.label.as_str()), !withheld[i]);
                    }
                }
            } else {
                prop_assert!(contains(out, &findings), "{}: no {:?}", format.name(), findings);
            }
            let record = String::from_utf8(exported.release_record.unwrap()).unwrap();
            prop_assert_eq!(record_items(&record), expected_record(&tables, &withheld));
        }
    }
}

/// For each table, whether a copy for `code` withholds it (itself, or with a table it is in).
fn withheld(tables: &[Table], code: &str) -> Vec<bool> {
    let mut out: Vec<bool> = Vec::with_capacity(tables.len());
    for t in tables {
        let inherited = t.parent.is_some_and(|p| out[p]);
        out.push(inherited || !releasable(t.marking, code));
    }
    out
}

/// The withheld tables as the release record must list them: `(MARKING) LABEL`, with
/// `, inside OUTER` for those that go with the outermost withheld table they are in.
fn expected_record(tables: &[Table], withheld: &[bool]) -> Vec<String> {
    let outermost = |mut i: usize| {
        let mut outer = None;
        while let Some(p) = tables[i].parent {
            if withheld[p] {
                outer = Some(p);
            }
            i = p;
        }
        outer
    };
    tables
        .iter()
        .enumerate()
        .filter(|(i, _)| withheld[*i])
        .map(|(i, t)| match outermost(i) {
            Some(o) => format!("({}) {}, inside {}", t.marking, t.label, tables[o].label),
            None => format!("({}) {}", t.marking, t.label),
        })
        .collect()
}

/// The withheld items a release record lists.
fn record_items(record: &str) -> Vec<String> {
    record
        .lines()
        .skip_while(|l| !l.starts_with("withheld items: "))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim_start().to_string())
        .collect()
}
