//! Classification and dissemination markings: parse portion marks, list their REL TO
//! problems (SCP204), print canonical forms and roll portions up into the required banner.

use std::fmt;

/// A classification level, lowest first: `U` < `CUI` < `C` < `S` < `TS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Unclassified.
    U,
    /// Controlled Unclassified Information.
    Cui,
    /// Confidential.
    C,
    /// Secret.
    S,
    /// Top Secret.
    Ts,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 5] = [Level::U, Level::Cui, Level::C, Level::S, Level::Ts];

    /// Parses a system-high level name (`U`, `CUI`, `C`, `S` or `TS`, exactly).
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.portion_str() == s)
    }

    /// The level as written in a portion marking (`U`, `CUI`, `C`, `S`, `TS`).
    pub fn portion_str(self) -> &'static str {
        match self {
            Level::U => "U",
            Level::Cui => "CUI",
            Level::C => "C",
            Level::S => "S",
            Level::Ts => "TS",
        }
    }

    /// The level as spelled out in a banner (`UNCLASSIFIED`, `CUI`, `CONFIDENTIAL`, ...).
    pub fn banner_str(self) -> &'static str {
        match self {
            Level::U => "UNCLASSIFIED",
            Level::Cui => "CUI",
            Level::C => "CONFIDENTIAL",
            Level::S => "SECRET",
            Level::Ts => "TOP SECRET",
        }
    }

    /// True for the classified levels (`C`, `S`, `TS`).
    pub fn is_classified(self) -> bool {
        self >= Level::C
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.portion_str())
    }
}

/// How CUI banners are written: `dod` (just `CUI`) or `nara` (categories and controls too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// DoD form: the banner reads `CUI`; details go in the designation indicator.
    #[default]
    Dod,
    /// National Archives form: `CUI//<categories>//<controls>`.
    Nara,
}

impl Profile {
    /// The value as written in `marking_profile`.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Dod => "dod",
            Profile::Nara => "nara",
        }
    }

    /// Parses a `marking_profile` value (`dod` or `nara`, exactly).
    pub fn parse(s: &str) -> Option<Profile> {
        [Profile::Dod, Profile::Nara]
            .into_iter()
            .find(|p| p.name() == s)
    }
}

/// A parsed portion marking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    /// The classification level.
    pub level: Level,
    /// True when the portion carries `NF` (not releasable to foreign nationals).
    pub nf: bool,
    /// The `REL TO` entries as written (trimmed), in the author's order; `None` without REL TO.
    pub rel_to: Option<Vec<String>>,
    /// CUI categories as written, in the author's order (e.g. `SP-EXPT`, `PRVCY`).
    pub categories: Vec<String>,
    /// CUI limited dissemination controls other than NF and REL TO, as written
    /// (e.g. `FEDCON`, `NOCON`, `DL ONLY`, `FED ONLY`, `DISPLAY ONLY POL`).
    pub ldcs: Vec<String>,
}

/// Why a portion marking could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The marking uses the obsolete `FOUO` (SCP208).
    Obsolete,
    /// The marking cannot be parsed (SCP201); the text says what is wrong.
    Unparseable(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Obsolete => f.write_str("FOUO is obsolete; mark the portion CUI instead."),
            ParseError::Unparseable(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ParseError {}

/// Tetragraphs recognised in REL TO lists.
pub const TETRAGRAPHS: [&str; 3] = ["ACGU", "FVEY", "NATO"];

/// CUI limited dissemination controls written as a fixed word (NF and REL TO aside).
pub const FIXED_LDCS: [&str; 4] = ["FEDCON", "NOCON", "DL ONLY", "FED ONLY"];

fn bad(why: impl Into<String>) -> ParseError {
    ParseError::Unparseable(why.into())
}

/// One `/`-separated entry of a group, classified.
enum Entry {
    Nf,
    RelTo(Vec<String>),
    Ldc(String),
    Category(String),
    Unknown(String),
}

/// Parses one portion marking, e.g. `U`, `S//REL TO USA, GBR`, `CUI//SP-EXPT/PRVCY//NF/FEDCON`.
pub fn parse_portion(s: &str) -> Result<Marking, ParseError> {
    // FOUO wins over every other defect: it is reported as SCP208 only, never as SCP201.
    if mentions_fouo(s) {
        return Err(ParseError::Obsolete);
    }
    if s.trim().is_empty() {
        return Err(bad("The marking is empty; write a level such as U."));
    }
    if s.trim() != s {
        return Err(bad("Remove the spaces before or after the marking."));
    }
    if s.chars().any(char::is_lowercase) {
        return Err(bad("Write the marking in upper case."));
    }

    let mut groups = s.split("//");
    let head = groups.next().unwrap_or_default();
    let level = portion_level(head)?;
    let rest: Vec<&str> = groups.collect();

    let mut m = Marking {
        level,
        nf: false,
        rel_to: None,
        categories: Vec::new(),
        ldcs: Vec::new(),
    };
    if level == Level::U {
        if rest.is_empty() {
            return Ok(m);
        }
        return Err(bad("U takes no categories or controls; write just U."));
    }

    // Each group becomes its list of classified entries; structure is checked per level below.
    let parsed = parse_groups(&rest)?;

    if level.is_classified() {
        for entry in parsed.into_iter().flatten() {
            match entry {
                Entry::Nf | Entry::RelTo(_) => add_control(&mut m, entry)?,
                Entry::Ldc(w) | Entry::Category(w) | Entry::Unknown(w) => {
                    return Err(bad(format!(
                        "\"{w}\" is not allowed on {level}; \
                         a classified marking takes only NF and REL TO."
                    )));
                }
            }
        }
        return Ok(m);
    }

    cui_groups(&mut m, parsed)?;
    Ok(m)
}

/// The entries of each group after the level, each classified.
fn parse_groups(rest: &[&str]) -> Result<Vec<Vec<Entry>>, ParseError> {
    let mut parsed: Vec<Vec<Entry>> = Vec::with_capacity(rest.len());
    for &group in rest {
        if group.is_empty() {
            return Err(bad(
                "Remove the empty group (\"//\" with nothing after it or between).",
            ));
        }
        let mut entries = Vec::new();
        for entry in group.split('/') {
            if entry.is_empty() {
                return Err(bad(
                    "Remove the empty entry (\"/\" with nothing on one side).",
                ));
            }
            if entry.trim() != entry {
                return Err(bad(format!(
                    "Remove the spaces around \"{}\".",
                    entry.trim()
                )));
            }
            entries.push(classify(entry)?);
        }
        parsed.push(entries);
    }
    Ok(parsed)
}

/// Reads a CUI marking's groups into `m`: at most one category group, then at most one control
/// group.
fn cui_groups(m: &mut Marking, parsed: Vec<Vec<Entry>>) -> Result<(), ParseError> {
    let mut seen_controls = false;
    let mut seen_categories = false;
    for entries in parsed {
        let cats = entries
            .iter()
            .filter(|e| matches!(e, Entry::Category(_)))
            .count();
        if let Some(Entry::Unknown(w)) = entries.iter().find(|e| matches!(e, Entry::Unknown(_))) {
            return Err(bad(format!(
                "\"{w}\" is neither a CUI category nor a dissemination control."
            )));
        }
        if cats != 0 && cats != entries.len() {
            return Err(bad("A group mixes categories and controls; \
                 put the categories in one group and the controls in the next."));
        }
        if cats == 0 {
            if seen_controls {
                return Err(bad(
                    "Write all controls in one group (entries separated by \"/\").",
                ));
            }
            seen_controls = true;
            for entry in entries {
                add_control(m, entry)?;
            }
        } else {
            if seen_controls {
                return Err(bad("Put the category group before the control group."));
            }
            if seen_categories {
                return Err(bad(
                    "Write all categories in one group (entries separated by \"/\").",
                ));
            }
            seen_categories = true;
            for entry in entries {
                if let Entry::Category(c) = entry {
                    if m.categories.contains(&c) {
                        return Err(bad(format!("\"{c}\" is written twice; write it once.")));
                    }
                    m.categories.push(c);
                }
            }
        }
    }
    Ok(())
}

/// True when `FOUO` stands as a group or entry of its own (any case, any spacing).
fn mentions_fouo(s: &str) -> bool {
    s.split("//")
        .flat_map(|g| g.split('/'))
        .any(|e| e.trim().eq_ignore_ascii_case("FOUO"))
}

fn portion_level(head: &str) -> Result<Level, ParseError> {
    if let Some(level) = Level::parse(head) {
        return Ok(level);
    }
    // A banner-form level is a common slip; name the portion form to write instead.
    if let Some(level) = Level::ALL.into_iter().find(|l| l.banner_str() == head) {
        return Err(bad(format!(
            "Write the level in portion form: {}, not {head}.",
            level.portion_str()
        )));
    }
    Err(bad(format!(
        "\"{head}\" is not a level; start with U, CUI, C, S or TS."
    )))
}

fn classify(entry: &str) -> Result<Entry, ParseError> {
    if entry == "NF" {
        return Ok(Entry::Nf);
    }
    if entry == "NOFORN" {
        return Err(bad("Write NF, not NOFORN, in a portion marking."));
    }
    if let Some(list) = list_after(entry, "REL TO") {
        let items = split_list(list, "REL TO")?;
        return Ok(Entry::RelTo(items));
    }
    if FIXED_LDCS.contains(&entry) {
        return Ok(Entry::Ldc(entry.to_string()));
    }
    if let Some(list) = list_after(entry, "DISPLAY ONLY") {
        split_list(list, "DISPLAY ONLY")?;
        return Ok(Entry::Ldc(entry.to_string()));
    }
    if is_category(entry) {
        return Ok(Entry::Category(entry.to_string()));
    }
    Ok(Entry::Unknown(entry.to_string()))
}

/// The text after `word` when `entry` is `word` alone or `word` followed by a space.
fn list_after<'a>(entry: &'a str, word: &str) -> Option<&'a str> {
    let rest = entry.strip_prefix(word)?;
    if rest.is_empty() || rest.starts_with(' ') {
        Some(rest)
    } else {
        None
    }
}

/// Splits a country list on commas, leniently: spacing and order are SCP204 matters.
fn split_list(list: &str, word: &str) -> Result<Vec<String>, ParseError> {
    if list.trim().is_empty() {
        return Err(bad(format!(
            "{word} needs a list of countries, e.g. {word} USA, GBR."
        )));
    }
    let items: Vec<String> = list.split(',').map(|i| i.trim().to_string()).collect();
    if items.iter().any(String::is_empty) {
        return Err(bad(format!(
            "The {word} list has an empty entry; remove the extra comma."
        )));
    }
    Ok(items)
}

fn add_control(m: &mut Marking, entry: Entry) -> Result<(), ParseError> {
    match entry {
        Entry::Nf => {
            if m.nf {
                return Err(bad("NF is written twice; write it once."));
            }
            m.nf = true;
        }
        Entry::RelTo(list) => {
            if m.rel_to.is_some() {
                return Err(bad("Write a single REL TO list."));
            }
            m.rel_to = Some(list);
        }
        Entry::Ldc(w) => {
            if m.ldcs.contains(&w) {
                return Err(bad(format!("\"{w}\" is written twice; write it once.")));
            }
            m.ldcs.push(w);
        }
        // The callers route categories and unknown words elsewhere; refuse them here all the same.
        Entry::Category(w) | Entry::Unknown(w) => {
            return Err(bad(format!("\"{w}\" is not a dissemination control.")));
        }
    }
    Ok(())
}

/// `[A-Z][A-Z0-9-]*`: an `SP-` prefix is such a token's start already (`SP-9` is one).
fn is_category(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// Sort key of a REL TO entry: USA, then trigraphs, then tetragraphs, then anything else.
pub fn rel_key(e: &str) -> (u8, &str) {
    let class = if e == "USA" {
        0
    } else {
        match e.chars().count() {
            3 => 1,
            4 => 2,
            _ => 3,
        }
    };
    (class, e)
}

/// Deduplicated entries in REL TO order.
fn sorted_rel(entries: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(entries.len());
    for e in entries {
        if !out.contains(e) {
            out.push(e.clone());
        }
    }
    out.sort_by(|a, b| rel_key(a).cmp(&rel_key(b)));
    out
}

/// Deduplicated categories, `SP-` ones first, each part alphabetical.
fn sorted_categories<'a>(cats: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cats {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out.sort_by(|a, b| (!a.starts_with("SP-"), a).cmp(&(!b.starts_with("SP-"), b)));
    out
}

/// Deduplicated words in ASCII order.
fn sorted_words<'a>(words: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = words.into_iter().cloned().collect();
    out.sort();
    out.dedup();
    out
}

fn is_known_code(e: &str, is_country: &dyn Fn(&str) -> bool) -> bool {
    if e == "USA" || TETRAGRAPHS.contains(&e) {
        return true;
    }
    e.len() == 3 && e.bytes().all(|b| b.is_ascii_uppercase()) && is_country(e)
}

/// The SCP204 problems of a parsed portion, one short phrase each, in a stable order;
/// `raw` is the marking as written (for the spacing between REL TO entries).
pub fn problems(m: &Marking, raw: &str, is_country: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let Some(list) = &m.rel_to else {
        return out;
    };
    if m.nf {
        out.push("NF and REL TO in one marking (keep one)".to_string());
    }
    if list.first().map(String::as_str) != Some("USA") {
        out.push("REL TO does not start with USA".to_string());
    }
    if !list.is_sorted_by(|a, b| rel_key(a) <= rel_key(b)) {
        // The suggestion is the fixed list: USA first (added when missing), no repeats.
        let mut fixed = list.clone();
        if !fixed.iter().any(|e| e == "USA") {
            fixed.push("USA".to_string());
        }
        out.push(format!(
            "REL TO entries out of order (write REL TO {})",
            sorted_rel(&fixed).join(", ")
        ));
    }
    let mut distinct: Vec<&String> = Vec::new();
    let mut repeated: Vec<&String> = Vec::new();
    for e in list {
        if !distinct.contains(&e) {
            distinct.push(e);
        } else if !repeated.contains(&e) {
            repeated.push(e);
        }
    }
    for e in &distinct {
        if !is_known_code(e, is_country) {
            out.push(format!("unknown code {e} in REL TO"));
        }
    }
    if distinct.len() == 1 && distinct.first().is_some_and(|e| *e == "USA") {
        out.push(
            "REL TO USA alone is invalid (name the countries it is releasable to)".to_string(),
        );
    }
    for e in repeated {
        out.push(format!("{e} listed more than once in REL TO"));
    }
    let written = raw
        .split("//")
        .flat_map(|g| g.split('/'))
        .find_map(|e| list_after(e, "REL TO"));
    let expected = format!(" {}", list.join(", "));
    if written.is_some_and(|w| w != expected) {
        out.push("REL TO entries not separated by exactly \", \"".to_string());
    }
    out
}

/// The canonical portion form of a marking, e.g. `CUI//SP-EXPT/PRVCY//NF/FEDCON`,
/// `S//REL TO USA, GBR`: categories and controls sorted, REL TO in the order rule.
pub fn portion_string(m: &Marking) -> String {
    let mut out = m.level.portion_str().to_string();
    let cats = sorted_categories(&m.categories);
    if !cats.is_empty() {
        out.push_str("//");
        out.push_str(&cats.join("/"));
    }
    let mut controls = Vec::new();
    if m.nf {
        controls.push("NF".to_string());
    }
    if let Some(list) = m.rel_to.as_ref().filter(|l| !l.is_empty()) {
        controls.push(format!("REL TO {}", sorted_rel(list).join(", ")));
    }
    controls.extend(sorted_words(&m.ldcs));
    if !controls.is_empty() {
        out.push_str("//");
        out.push_str(&controls.join("/"));
    }
    out
}

/// The entries common to every list, in REL TO order; `None` when some portion has no list.
/// Every list counts as naming USA, also one written without it (SCP204 reports that), so the
/// banner's list always starts with USA.
fn rel_intersection<'a>(mut portions: impl Iterator<Item = &'a Marking>) -> Option<Vec<String>> {
    let first = portions.next()?.rel_to.as_ref()?;
    let mut common = sorted_rel(&[&["USA".to_string()], first.as_slice()].concat());
    for p in portions {
        let list = p.rel_to.as_ref()?;
        common.retain(|e| e == "USA" || list.contains(e));
    }
    Some(common)
}

/// `REL TO <intersection>` when the intersection names someone besides USA.
fn rel_control<'a>(portions: impl Iterator<Item = &'a Marking>) -> Option<String> {
    let common = rel_intersection(portions)?;
    if common.iter().any(|e| e != "USA") {
        Some(format!("REL TO {}", common.join(", ")))
    } else {
        None
    }
}

/// The banner that the portions require (see the roll-up rules); an empty slice gives
/// `UNCLASSIFIED`. Pass only parsed portions: unparseable and FOUO ones take no part.
pub fn roll_up(portions: &[Marking], profile: Profile) -> String {
    let level = portions.iter().map(|p| p.level).max().unwrap_or(Level::U);
    let any_nf = portions.iter().any(|p| p.nf);
    match level {
        Level::U => Level::U.banner_str().to_string(),
        Level::Cui => {
            let mut out = Level::Cui.banner_str().to_string();
            if profile == Profile::Dod {
                return out;
            }
            let cats = sorted_categories(portions.iter().flat_map(|p| &p.categories));
            if !cats.is_empty() {
                out.push_str("//");
                out.push_str(&cats.join("/"));
            }
            let mut controls = Vec::new();
            if any_nf {
                controls.push("NOFORN".to_string());
            } else if let Some(rel) = rel_control(portions.iter().filter(|p| p.level == Level::Cui))
            {
                controls.push(rel);
            }
            controls.extend(sorted_words(portions.iter().flat_map(|p| &p.ldcs)));
            if !controls.is_empty() {
                out.push_str("//");
                out.push_str(&controls.join("/"));
            }
            out
        }
        Level::C | Level::S | Level::Ts => {
            let mut out = level.banner_str().to_string();
            if any_nf {
                out.push_str("//NOFORN");
            } else if let Some(rel) =
                rel_control(portions.iter().filter(|p| p.level.is_classified()))
            {
                out.push_str("//");
                out.push_str(&rel);
            }
            out
        }
    }
}

/// The level of a banner (`UNCLASSIFIED`, `CUI//...`, `SECRET//NOFORN`, `TOP SECRET//...`),
/// also accepting a portion-form level (`U`, `S//NF`) so that a mis-written banner still
/// shows its level to the system-high check; `None` when the first group is no level.
pub fn banner_level(banner: &str) -> Option<Level> {
    // Lenient on case and spacing: this feeds a safety check, which must not miss a level.
    let head = banner.split("//").next().unwrap_or_default();
    let head = head
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    Level::ALL
        .into_iter()
        .find(|l| l.banner_str() == head || l.portion_str() == head)
}

/// A banner read as a portion (`SECRET//NOFORN` -> `S//NF`, `CUI//SP-EXPT//REL TO USA, POL`
/// -> `CUI//SP-EXPT//REL TO USA, POL`), so that banners roll up like portions; `None` when the
/// banner is not in banner form or its portion form does not parse.
pub fn banner_as_portion(banner: &str) -> Option<Marking> {
    let (head, rest) = match banner.split_once("//") {
        Some((head, rest)) => (head, Some(rest)),
        None => (banner, None),
    };
    let level = Level::ALL.into_iter().find(|l| l.banner_str() == head)?;
    let mut portion = level.portion_str().to_string();
    if let Some(rest) = rest {
        let groups: Vec<String> = rest
            .split("//")
            .map(|group| {
                group
                    .split('/')
                    .map(|entry| if entry == "NOFORN" { "NF" } else { entry })
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect();
        portion.push_str("//");
        portion.push_str(&groups.join("//"));
    }
    parse_portion(&portion).ok()
}

/// True when the portion may go to `code`: no NF, and level U or a REL TO list naming `code`.
pub fn releasable_to(m: &Marking, code: &str) -> bool {
    if m.nf {
        return false;
    }
    m.level == Level::U
        || m.rel_to
            .as_ref()
            .is_some_and(|list| list.iter().any(|e| e == code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Marking {
        match parse_portion(s) {
            Ok(m) => m,
            Err(e) => panic!("{s:?} should parse, got {e}"),
        }
    }

    #[test]
    fn banners_read_as_portions() {
        assert_eq!(banner_as_portion("SECRET//NOFORN"), Some(p("S//NF")));
        assert_eq!(banner_as_portion("UNCLASSIFIED"), Some(p("U")));
        assert_eq!(
            banner_as_portion("CUI//SP-EXPT/PRVCY//NOFORN/FEDCON"),
            Some(p("CUI//SP-EXPT/PRVCY//NF/FEDCON"))
        );
        assert_eq!(
            banner_as_portion("TOP SECRET//REL TO USA, GBR"),
            Some(p("TS//REL TO USA, GBR"))
        );
        assert_eq!(banner_as_portion("S//NF"), None);
        assert_eq!(banner_as_portion("SECRET//BOGUS"), None);
    }

    fn unparseable(s: &str) -> String {
        match parse_portion(s) {
            Err(ParseError::Unparseable(why)) => why,
            other => panic!("{s:?} should be unparseable, got {other:?}"),
        }
    }

    fn countries(c: &str) -> bool {
        matches!(
            c,
            "USA" | "GBR" | "POL" | "NOR" | "FRA" | "DEU" | "CAN" | "AUS"
        )
    }

    fn probs(s: &str) -> Vec<String> {
        problems(&p(s), s, &countries)
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn roll(portions: &[&str], profile: Profile) -> String {
        let ms: Vec<Marking> = portions.iter().map(|s| p(s)).collect();
        roll_up(&ms, profile)
    }

    fn roll_both(portions: &[&str]) -> (String, String) {
        (roll(portions, Profile::Dod), roll(portions, Profile::Nara))
    }

    // ---- Level and Profile ----

    #[test]
    fn level_parse_names() {
        assert_eq!(Level::parse("U"), Some(Level::U));
        assert_eq!(Level::parse("CUI"), Some(Level::Cui));
        assert_eq!(Level::parse("C"), Some(Level::C));
        assert_eq!(Level::parse("S"), Some(Level::S));
        assert_eq!(Level::parse("TS"), Some(Level::Ts));
        assert_eq!(Level::parse("SECRET"), None);
        assert_eq!(Level::parse("s"), None);
        assert_eq!(Level::parse(" S"), None);
        assert_eq!(Level::parse(""), None);
    }

    #[test]
    fn level_order_and_strings() {
        assert!(Level::U < Level::Cui && Level::Cui < Level::C);
        assert!(Level::C < Level::S && Level::S < Level::Ts);
        let portion: Vec<&str> = Level::ALL.iter().map(|l| l.portion_str()).collect();
        assert_eq!(portion, ["U", "CUI", "C", "S", "TS"]);
        let banner: Vec<&str> = Level::ALL.iter().map(|l| l.banner_str()).collect();
        assert_eq!(
            banner,
            [
                "UNCLASSIFIED",
                "CUI",
                "CONFIDENTIAL",
                "SECRET",
                "TOP SECRET"
            ]
        );
        assert_eq!(Level::Ts.to_string(), "TS");
        assert_eq!(format!("{}", Level::Cui), "CUI");
        assert!(!Level::Cui.is_classified());
        assert!(Level::C.is_classified());
    }

    #[test]
    fn profile_parse() {
        assert_eq!(Profile::parse("dod"), Some(Profile::Dod));
        assert_eq!(Profile::parse("nara"), Some(Profile::Nara));
        assert_eq!(Profile::parse("DOD"), None);
        assert_eq!(Profile::parse(""), None);
        assert_eq!(Profile::default(), Profile::Dod);
    }

    // ---- parse_portion: valid ----

    #[test]
    fn parses_bare_levels() {
        for (s, l) in [
            ("U", Level::U),
            ("CUI", Level::Cui),
            ("C", Level::C),
            ("S", Level::S),
            ("TS", Level::Ts),
        ] {
            let m = p(s);
            assert_eq!(m.level, l);
            assert!(!m.nf);
            assert_eq!(m.rel_to, None);
            assert!(m.categories.is_empty() && m.ldcs.is_empty());
        }
    }

    #[test]
    fn parses_classified_controls() {
        let m = p("S//NF");
        assert_eq!((m.level, m.nf, m.rel_to), (Level::S, true, None));
        let m = p("TS//REL TO USA, GBR");
        assert_eq!(m.level, Level::Ts);
        assert_eq!(m.rel_to, Some(strings(&["USA", "GBR"])));
        assert!(!m.nf);
        // NF with REL TO parses (it is an SCP204 problem), in one group or two.
        let m = p("C//NF/REL TO USA, GBR");
        assert!(m.nf);
        assert_eq!(m.rel_to, Some(strings(&["USA", "GBR"])));
        let m = p("S//REL TO USA, GBR//NF");
        assert!(m.nf);
        assert_eq!(m.rel_to, Some(strings(&["USA", "GBR"])));
    }

    #[test]
    fn parses_rel_to_leniently() {
        // Ordering, spacing, unknown codes and repeats are left for `problems`.
        assert_eq!(
            p("S//REL TO GBR,USA").rel_to,
            Some(strings(&["GBR", "USA"]))
        );
        assert_eq!(
            p("S//REL TO USA ,  XYZ, USA").rel_to,
            Some(strings(&["USA", "XYZ", "USA"]))
        );
        assert_eq!(p("S//REL TO USA").rel_to, Some(strings(&["USA"])));
        assert_eq!(
            p("S//REL TO  USA, NATO").rel_to,
            Some(strings(&["USA", "NATO"]))
        );
    }

    #[test]
    fn parses_cui_categories_and_controls() {
        let m = p("CUI//SP-EXPT/PRVCY//NF/FEDCON");
        assert_eq!(m.level, Level::Cui);
        assert!(m.nf);
        assert_eq!(m.categories, strings(&["SP-EXPT", "PRVCY"]));
        assert_eq!(m.ldcs, strings(&["FEDCON"]));
        assert_eq!(m.rel_to, None);

        let m = p("CUI//SP-EXPT//REL TO USA, POL");
        assert_eq!(m.categories, strings(&["SP-EXPT"]));
        assert_eq!(m.rel_to, Some(strings(&["USA", "POL"])));
        assert!(!m.nf);

        let m = p("CUI//PRVCY");
        assert_eq!(m.categories, strings(&["PRVCY"]));
        assert!(m.ldcs.is_empty());

        let m = p("CUI//NOCON/DL ONLY/FED ONLY/DISPLAY ONLY POL, GBR");
        assert!(m.categories.is_empty());
        assert_eq!(
            m.ldcs,
            strings(&["NOCON", "DL ONLY", "FED ONLY", "DISPLAY ONLY POL, GBR"])
        );

        let m = p("CUI//NF");
        assert!(m.nf && m.categories.is_empty());

        // Category tokens: digits and hyphens after the first letter, SP- prefix.
        let m = p("CUI//SP-CTI/A1-B/X");
        assert_eq!(m.categories, strings(&["SP-CTI", "A1-B", "X"]));
        // `SP-` then a digit is still `[A-Z][A-Z0-9-]*`, as the format writes a category.
        let m = p("CUI//SP-9/SP-");
        assert_eq!(m.categories, strings(&["SP-9", "SP-"]));
    }

    // ---- parse_portion: obsolete ----

    #[test]
    fn fouo_is_obsolete_never_unparseable() {
        for s in [
            "FOUO",
            "U//FOUO",
            "CUI//FOUO",
            "S//NF/FOUO",
            "U//FOUO//junk",
            "u//fouo",
            " FOUO ",
            "U// FOUO",
        ] {
            assert_eq!(parse_portion(s), Err(ParseError::Obsolete), "{s:?}");
        }
        assert!(ParseError::Obsolete.to_string().contains("CUI"));
        // FOUO inside a REL TO list is not a group or entry: it is an unknown code.
        assert_eq!(
            p("S//REL TO USA, FOUO").rel_to,
            Some(strings(&["USA", "FOUO"]))
        );
    }

    // ---- parse_portion: unparseable ----

    #[test]
    fn u_takes_nothing_after_it() {
        assert!(unparseable("U//").contains("U takes no"));
        assert!(unparseable("U//NF").contains("U takes no"));
        assert!(unparseable("U//SP-EXPT").contains("U takes no"));
        assert!(unparseable("U//REL TO USA, GBR").contains("U takes no"));
    }

    #[test]
    fn banner_form_levels_are_unparseable_in_portions() {
        assert!(unparseable("UNCLASSIFIED").contains("portion form: U"));
        assert!(unparseable("SECRET").contains("portion form: S"));
        assert!(unparseable("SECRET//NF").contains("portion form: S"));
        assert!(unparseable("TOP SECRET").contains("portion form: TS"));
        assert!(unparseable("CONFIDENTIAL").contains("portion form: C"));
        assert!(unparseable("X").contains("not a level"));
        assert!(unparseable("//NF").contains("not a level"));
        assert!(unparseable("(S)").contains("not a level"));
    }

    #[test]
    fn classified_takes_only_nf_and_rel_to() {
        assert!(unparseable("S//FEDCON").contains("only NF and REL TO"));
        assert!(unparseable("S//SP-EXPT").contains("only NF and REL TO"));
        assert!(unparseable("TS//NF/NOCON").contains("only NF and REL TO"));
        assert!(unparseable("C//DL ONLY").contains("only NF and REL TO"));
        assert!(unparseable("S//DISPLAY ONLY GBR").contains("only NF and REL TO"));
        assert!(unparseable("S//ORCON MAYBE").contains("only NF and REL TO"));
    }

    #[test]
    fn noforn_spelled_out_is_unparseable() {
        assert!(unparseable("S//NOFORN").contains("Write NF"));
        assert!(unparseable("CUI//NOFORN").contains("Write NF"));
        assert!(unparseable("CUI//SP-EXPT//NOFORN").contains("Write NF"));
    }

    #[test]
    fn cui_group_structure() {
        assert!(unparseable("CUI//SP-EXPT/NF").contains("mixes"));
        assert!(unparseable("CUI//FEDCON/PRVCY").contains("mixes"));
        assert!(unparseable("CUI//NF//SP-EXPT").contains("before"));
        assert!(unparseable("CUI//SP-EXPT//PRVCY").contains("categories in one group"));
        assert!(unparseable("CUI//NF//FEDCON").contains("controls in one group"));
        assert!(unparseable("CUI//SP-EXPT//NF//FEDCON").contains("controls in one group"));
    }

    #[test]
    fn cui_unknown_words() {
        assert!(unparseable("CUI//NO CON").contains("neither"));
        assert!(unparseable("CUI//9X").contains("neither"));
        assert!(unparseable("CUI//EX_PT").contains("neither"));
        assert!(unparseable("CUI//DL  ONLY").contains("neither"));
        assert!(unparseable("CUI//RELTO USA").contains("neither"));
    }

    #[test]
    fn empty_parts_are_unparseable() {
        assert!(unparseable("").contains("empty"));
        assert!(unparseable("   ").contains("empty"));
        assert!(unparseable("S//").contains("empty group"));
        assert!(unparseable("S////NF").contains("empty group"));
        assert!(unparseable("S//NF/").contains("empty entry"));
        assert!(unparseable("S///NF").contains("empty entry"));
        assert!(unparseable("CUI//SP-EXPT//").contains("empty group"));
        assert!(unparseable("CUI///").contains("empty entry"));
    }

    #[test]
    fn case_and_spacing_are_unparseable() {
        assert!(unparseable("s").contains("upper case"));
        assert!(unparseable("S//nf").contains("upper case"));
        assert!(unparseable("S//REL TO USA, gbr").contains("upper case"));
        assert!(unparseable("Cui").contains("upper case"));
        assert!(unparseable(" S").contains("spaces before or after"));
        assert!(unparseable("S//NF ").contains("spaces before or after"));
        assert!(unparseable("S// NF").contains("spaces around \"NF\""));
        assert!(unparseable("CUI//SP-EXPT /PRVCY").contains("spaces around \"SP-EXPT\""));
        assert!(unparseable("S //NF").contains("not a level"));
    }

    #[test]
    fn empty_rel_to_lists_are_unparseable() {
        assert!(unparseable("S//REL TO").contains("needs a list"));
        assert!(unparseable("CUI//REL TO").contains("needs a list"));
        assert!(unparseable("S//REL TO ,").contains("empty entry"));
        assert!(unparseable("S//REL TO USA,,GBR").contains("empty entry"));
        assert!(unparseable("S//REL TO USA, GBR,").contains("empty entry"));
        assert!(unparseable("CUI//DISPLAY ONLY").contains("needs a list"));
        assert!(unparseable("CUI//DISPLAY ONLY POL,").contains("empty entry"));
    }

    #[test]
    fn repeated_controls_and_categories_are_unparseable() {
        assert!(unparseable("S//NF/NF").contains("NF is written twice"));
        assert!(unparseable("S//NF//NF").contains("NF is written twice"));
        assert!(unparseable("S//REL TO USA, GBR/REL TO USA, POL").contains("single REL TO"));
        assert!(unparseable("CUI//FEDCON/FEDCON").contains("\"FEDCON\" is written twice"));
        assert!(unparseable("CUI//PRVCY/PRVCY").contains("\"PRVCY\" is written twice"));
    }

    #[test]
    fn parse_error_display_is_the_reason() {
        let e = parse_portion("S//FEDCON").err();
        let Some(e) = e else { panic!("should fail") };
        let ParseError::Unparseable(why) = &e else {
            panic!("should be unparseable")
        };
        assert_eq!(e.to_string(), *why);
        assert!(why.ends_with('.'));
    }

    // ---- problems ----

    #[test]
    fn clean_markings_have_no_problems() {
        assert!(probs("U").is_empty());
        assert!(probs("S//NF").is_empty());
        assert!(probs("CUI//SP-EXPT//NF/FEDCON").is_empty());
        assert!(probs("S//REL TO USA, GBR").is_empty());
        assert!(probs("S//REL TO USA, AUS, CAN, GBR, NOR, ACGU, FVEY, NATO").is_empty());
        assert!(probs("CUI//SP-EXPT//REL TO USA, POL/FEDCON").is_empty());
        assert!(probs("S//REL TO USA, FVEY").is_empty());
    }

    #[test]
    fn problem_nf_with_rel_to() {
        assert_eq!(
            probs("S//NF/REL TO USA, GBR"),
            ["NF and REL TO in one marking (keep one)"]
        );
        assert_eq!(
            probs("CUI//SP-EXPT//NF/REL TO USA, POL"),
            ["NF and REL TO in one marking (keep one)"]
        );
    }

    #[test]
    fn problem_not_starting_with_usa() {
        assert_eq!(probs("S//REL TO GBR"), ["REL TO does not start with USA"]);
        assert_eq!(
            probs("S//REL TO GBR, USA"),
            [
                "REL TO does not start with USA",
                "REL TO entries out of order (write REL TO USA, GBR)"
            ]
        );
        assert_eq!(
            probs("S//REL TO POL, GBR"),
            [
                "REL TO does not start with USA",
                "REL TO entries out of order (write REL TO USA, GBR, POL)"
            ]
        );
    }

    #[test]
    fn problem_out_of_order() {
        assert_eq!(
            probs("S//REL TO USA, POL, GBR"),
            ["REL TO entries out of order (write REL TO USA, GBR, POL)"]
        );
        assert_eq!(
            probs("S//REL TO USA, NATO, GBR"),
            ["REL TO entries out of order (write REL TO USA, GBR, NATO)"]
        );
        assert_eq!(
            probs("S//REL TO USA, NATO, FVEY"),
            ["REL TO entries out of order (write REL TO USA, FVEY, NATO)"]
        );
        assert_eq!(
            probs("CUI//REL TO USA, NOR, DEU"),
            ["REL TO entries out of order (write REL TO USA, DEU, NOR)"]
        );
    }

    #[test]
    fn problem_unknown_codes() {
        assert_eq!(probs("S//REL TO USA, XYZ"), ["unknown code XYZ in REL TO"]);
        assert_eq!(
            probs("S//REL TO USA, GBR, ABCD"),
            ["unknown code ABCD in REL TO"]
        );
        assert_eq!(probs("S//REL TO USA, GB"), ["unknown code GB in REL TO"]);
        // Odd-length entries sort after the tetragraphs.
        assert_eq!(
            probs("S//REL TO USA, GB1, EU"),
            ["unknown code GB1 in REL TO", "unknown code EU in REL TO"]
        );
        assert_eq!(
            probs("S//REL TO USA, EU, GBR"),
            [
                "REL TO entries out of order (write REL TO USA, GBR, EU)",
                "unknown code EU in REL TO"
            ]
        );
        // A named unknown code is reported once even when repeated.
        assert_eq!(
            probs("S//REL TO USA, QQQ, QQQ"),
            [
                "unknown code QQQ in REL TO",
                "QQQ listed more than once in REL TO"
            ]
        );
    }

    #[test]
    fn problem_usa_alone() {
        assert_eq!(
            probs("S//REL TO USA"),
            ["REL TO USA alone is invalid (name the countries it is releasable to)"]
        );
        assert_eq!(
            probs("CUI//REL TO USA, USA"),
            [
                "REL TO USA alone is invalid (name the countries it is releasable to)",
                "USA listed more than once in REL TO"
            ]
        );
    }

    #[test]
    fn problem_duplicates() {
        assert_eq!(
            probs("S//REL TO USA, GBR, GBR"),
            ["GBR listed more than once in REL TO"]
        );
        assert_eq!(
            probs("S//REL TO USA, GBR, POL, GBR, POL, GBR"),
            [
                "REL TO entries out of order (write REL TO USA, GBR, POL)",
                "GBR listed more than once in REL TO",
                "POL listed more than once in REL TO"
            ]
        );
    }

    #[test]
    fn problem_separation() {
        let sep = "REL TO entries not separated by exactly \", \"";
        assert_eq!(probs("S//REL TO USA,GBR"), [sep]);
        assert_eq!(probs("S//REL TO USA ,GBR"), [sep]);
        assert_eq!(probs("S//REL TO USA,  GBR"), [sep]);
        assert_eq!(probs("S//REL TO  USA, GBR"), [sep]);
        assert_eq!(probs("CUI//SP-EXPT//NOCON/REL TO USA,POL"), [sep]);
    }

    #[test]
    fn problems_come_in_stable_order() {
        assert_eq!(
            probs("S//NF/REL TO GBR,XYZ,GBR,USA"),
            [
                "NF and REL TO in one marking (keep one)",
                "REL TO does not start with USA",
                "REL TO entries out of order (write REL TO USA, GBR, XYZ)",
                "unknown code XYZ in REL TO",
                "GBR listed more than once in REL TO",
                "REL TO entries not separated by exactly \", \""
            ]
        );
    }

    #[test]
    fn problems_ask_is_country_only_for_trigraphs() {
        let asked = std::cell::RefCell::new(Vec::new());
        let spy = |c: &str| {
            asked.borrow_mut().push(c.to_string());
            true
        };
        let m = p("S//REL TO USA, GBR, NATO, ABCD, AB1");
        let out = problems(&m, "S//REL TO USA, GBR, NATO, ABCD, AB1", &spy);
        assert_eq!(asked.borrow().clone(), strings(&["GBR"]));
        assert_eq!(
            out,
            [
                "REL TO entries out of order (write REL TO USA, AB1, GBR, ABCD, NATO)",
                "unknown code ABCD in REL TO",
                "unknown code AB1 in REL TO"
            ]
        );
    }

    // ---- portion_string ----

    #[test]
    fn portion_string_is_canonical() {
        for (written, canonical) in [
            ("U", "U"),
            ("CUI", "CUI"),
            ("TS", "TS"),
            ("S//NF", "S//NF"),
            ("S//REL TO USA, GBR", "S//REL TO USA, GBR"),
            (
                "S//REL TO GBR,USA, NATO, POL",
                "S//REL TO USA, GBR, POL, NATO",
            ),
            ("S//REL TO USA, GBR, GBR", "S//REL TO USA, GBR"),
            ("C//REL TO USA, GBR//NF", "C//NF/REL TO USA, GBR"),
            (
                "CUI//SP-EXPT/PRVCY//NF/FEDCON",
                "CUI//SP-EXPT/PRVCY//NF/FEDCON",
            ),
            (
                "CUI//PRVCY/SP-EXPT//FEDCON/NF",
                "CUI//SP-EXPT/PRVCY//NF/FEDCON",
            ),
            (
                "CUI//PRVCY/CTI/SP-PRVCY/SP-EXPT",
                "CUI//SP-EXPT/SP-PRVCY/CTI/PRVCY",
            ),
            (
                "CUI//SP-EXPT//NOCON/REL TO USA, POL/DL ONLY",
                "CUI//SP-EXPT//REL TO USA, POL/DL ONLY/NOCON",
            ),
            ("CUI//FED ONLY/FEDCON", "CUI//FED ONLY/FEDCON"),
            ("CUI//DISPLAY ONLY POL", "CUI//DISPLAY ONLY POL"),
        ] {
            assert_eq!(portion_string(&p(written)), canonical, "{written:?}");
            // The canonical form parses back to itself.
            assert_eq!(portion_string(&p(canonical)), canonical);
        }
    }

    // ---- roll_up: the spec's tables ----

    #[test]
    fn spec_single_portion_table() {
        assert_eq!(
            roll_both(&["U"]),
            ("UNCLASSIFIED".into(), "UNCLASSIFIED".into())
        );
        assert_eq!(roll_both(&["CUI"]), ("CUI".into(), "CUI".into()));
        assert_eq!(
            roll_both(&["CUI//SP-EXPT//NF"]),
            ("CUI".into(), "CUI//SP-EXPT//NOFORN".into())
        );
        for (portion, banner) in [
            ("C", "CONFIDENTIAL"),
            ("S", "SECRET"),
            ("TS", "TOP SECRET"),
            ("S//NF", "SECRET//NOFORN"),
            ("S//REL TO USA, GBR", "SECRET//REL TO USA, GBR"),
        ] {
            assert_eq!(roll_both(&[portion]), (banner.into(), banner.into()));
        }
    }

    #[test]
    fn spec_worked_roll_ups() {
        // (portions, dod banner, nara banner); rows marked "any" in the spec give the same
        // banner under both profiles.
        let rows: [(&[&str], &str, &str); 12] = [
            (&["U", "U"], "UNCLASSIFIED", "UNCLASSIFIED"),
            (
                &["U", "CUI//SP-EXPT", "CUI//PRVCY"],
                "CUI",
                "CUI//SP-EXPT/PRVCY",
            ),
            (
                &["U", "CUI//SP-EXPT", "CUI//PRVCY"],
                "CUI",
                "CUI//SP-EXPT/PRVCY",
            ),
            (&["CUI//NF", "CUI//REL TO USA, GBR"], "CUI", "CUI//NOFORN"),
            (
                &["CUI//REL TO USA, GBR, POL", "CUI//REL TO USA, POL"],
                "CUI",
                "CUI//REL TO USA, POL",
            ),
            (&["CUI//REL TO USA, POL", "CUI"], "CUI", "CUI"),
            (
                &["CUI//FEDCON", "CUI//REL TO USA, POL"],
                "CUI",
                "CUI//FEDCON",
            ),
            (
                &["C//REL TO USA, NOR", "S//REL TO USA, GBR, NOR"],
                "SECRET//REL TO USA, NOR",
                "SECRET//REL TO USA, NOR",
            ),
            (&["S//REL TO USA, GBR", "C"], "SECRET", "SECRET"),
            (
                &["S//REL TO USA, GBR", "C//REL TO USA, POL"],
                "SECRET",
                "SECRET",
            ),
            (
                &["S//REL TO USA, FVEY", "S//REL TO USA, FVEY, NATO"],
                "SECRET//REL TO USA, FVEY",
                "SECRET//REL TO USA, FVEY",
            ),
            (
                &["S//REL TO USA, GBR", "CUI//NF"],
                "SECRET//NOFORN",
                "SECRET//NOFORN",
            ),
        ];
        for (portions, dod, nara) in rows {
            assert_eq!(roll(portions, Profile::Dod), dod, "{portions:?} dod");
            assert_eq!(roll(portions, Profile::Nara), nara, "{portions:?} nara");
        }
    }

    // ---- roll_up: more cases ----

    #[test]
    fn empty_and_unclassified_roll_up() {
        assert_eq!(roll_up(&[], Profile::Dod), "UNCLASSIFIED");
        assert_eq!(roll_up(&[], Profile::Nara), "UNCLASSIFIED");
        assert_eq!(roll(&["U", "U", "U"], Profile::Nara), "UNCLASSIFIED");
    }

    #[test]
    fn nara_category_union_and_order() {
        assert_eq!(
            roll(
                &[
                    "CUI//PRVCY/SP-EXPT",
                    "CUI//CTI",
                    "CUI//SP-EXPT",
                    "U",
                    "CUI//SP-NNPI"
                ],
                Profile::Nara
            ),
            "CUI//SP-EXPT/SP-NNPI/CTI/PRVCY"
        );
        assert_eq!(
            roll(&["CUI//PRVCY/SP-EXPT", "CUI//CTI"], Profile::Dod),
            "CUI"
        );
    }

    #[test]
    fn nara_controls() {
        // NOFORN wins over REL TO and is followed by the other LDCs, alphabetically.
        assert_eq!(
            roll(
                &["CUI//SP-EXPT//NF/NOCON", "CUI//REL TO USA, GBR/FEDCON"],
                Profile::Nara
            ),
            "CUI//SP-EXPT//NOFORN/FEDCON/NOCON"
        );
        // REL TO intersection, then the LDC union.
        assert_eq!(
            roll(
                &[
                    "CUI//REL TO USA, GBR, POL/NOCON",
                    "CUI//REL TO POL, USA/DL ONLY"
                ],
                Profile::Nara
            ),
            "CUI//REL TO USA, POL/DL ONLY/NOCON"
        );
        // Only USA in common: no REL TO.
        assert_eq!(
            roll(
                &["CUI//REL TO USA, GBR", "CUI//REL TO USA, POL"],
                Profile::Nara
            ),
            "CUI"
        );
        // U portions do not break a REL TO intersection among CUI portions.
        assert_eq!(
            roll(&["U", "CUI//REL TO USA, POL", "U"], Profile::Nara),
            "CUI//REL TO USA, POL"
        );
        // LDCs in ASCII order ("FED ONLY" < "FEDCON" since ' ' < 'C'), without repeats.
        assert_eq!(
            roll(
                &[
                    "CUI//FEDCON/FED ONLY",
                    "CUI//FEDCON",
                    "CUI//DISPLAY ONLY POL"
                ],
                Profile::Nara
            ),
            "CUI//DISPLAY ONLY POL/FED ONLY/FEDCON"
        );
    }

    #[test]
    fn classified_rel_to_intersections() {
        // Keeps a country every classified portion shares.
        assert_eq!(
            roll(
                &["S//REL TO USA, GBR, POL", "TS//REL TO USA, POL, NOR, GBR"],
                Profile::Dod
            ),
            "TOP SECRET//REL TO USA, GBR, POL"
        );
        // Loses a country one portion lacks.
        assert_eq!(
            roll(
                &["S//REL TO USA, GBR, POL", "C//REL TO USA, POL"],
                Profile::Dod
            ),
            "SECRET//REL TO USA, POL"
        );
        // The banner list follows the order rule even when portions do not.
        assert_eq!(
            roll(
                &["S//REL TO USA, NOR, GBR", "S//REL TO GBR, NOR, USA"],
                Profile::Dod
            ),
            "SECRET//REL TO USA, GBR, NOR"
        );
        // A list written without USA (SCP204) still releases to USA: the banner's starts
        // with it.
        assert_eq!(
            roll(&["S//REL TO POL, GBR"], Profile::Dod),
            "SECRET//REL TO USA, GBR, POL"
        );
        assert_eq!(
            roll(&["S//REL TO POL", "C//REL TO USA, POL"], Profile::Dod),
            "SECRET//REL TO USA, POL"
        );
        assert_eq!(
            roll(
                &["CUI//REL TO POL", "CUI//REL TO USA, POL, GBR"],
                Profile::Nara
            ),
            "CUI//REL TO USA, POL"
        );
        // CUI and U portions take no part in a classified REL TO.
        assert_eq!(
            roll(
                &["S//REL TO USA, GBR", "CUI", "U", "CUI//REL TO USA, POL"],
                Profile::Nara
            ),
            "SECRET//REL TO USA, GBR"
        );
        // CUI LDCs and categories never reach a classified banner.
        assert_eq!(
            roll(&["C", "CUI//SP-EXPT//FEDCON"], Profile::Nara),
            "CONFIDENTIAL"
        );
        assert_eq!(roll(&["TS", "U"], Profile::Dod), "TOP SECRET");
    }

    #[test]
    fn noforn_dominates_rel_to() {
        assert_eq!(
            roll(&["S//REL TO USA, GBR", "C//NF"], Profile::Dod),
            "SECRET//NOFORN"
        );
        assert_eq!(
            roll(&["S//NF/REL TO USA, GBR"], Profile::Dod),
            "SECRET//NOFORN"
        );
        assert_eq!(
            roll(&["TS//REL TO USA, GBR", "CUI//SP-EXPT//NF"], Profile::Nara),
            "TOP SECRET//NOFORN"
        );
        assert_eq!(
            roll(&["CUI//NF/REL TO USA, GBR"], Profile::Nara),
            "CUI//NOFORN"
        );
    }

    #[test]
    fn tetragraph_intersections_are_literal() {
        // FVEY is not expanded: it shares nothing with GBR.
        assert_eq!(
            roll(&["S//REL TO USA, FVEY", "S//REL TO USA, GBR"], Profile::Dod),
            "SECRET"
        );
        assert_eq!(
            roll(
                &["S//REL TO USA, GBR, NATO", "S//REL TO USA, NATO, GBR, FVEY"],
                Profile::Dod
            ),
            "SECRET//REL TO USA, GBR, NATO"
        );
        assert_eq!(
            roll(
                &["CUI//REL TO USA, ACGU", "CUI//REL TO USA, ACGU, FVEY"],
                Profile::Nara
            ),
            "CUI//REL TO USA, ACGU"
        );
    }

    // ---- banner_level ----

    #[test]
    fn banner_levels() {
        for (banner, level) in [
            ("UNCLASSIFIED", Level::U),
            ("CUI", Level::Cui),
            ("CUI//SP-EXPT//NOFORN", Level::Cui),
            ("CONFIDENTIAL", Level::C),
            ("SECRET//NOFORN", Level::S),
            ("SECRET//REL TO USA, GBR", Level::S),
            ("TOP SECRET//NOFORN", Level::Ts),
            // Mis-written banners still show their level.
            ("U", Level::U),
            ("S//NF", Level::S),
            ("TS", Level::Ts),
            ("C//REL TO USA, GBR", Level::C),
            ("secret", Level::S),
            (" TOP  SECRET //NOFORN", Level::Ts),
            ("UNCLASSIFIED//FOUO", Level::U),
        ] {
            assert_eq!(banner_level(banner), Some(level), "{banner:?}");
        }
        for banner in [
            "",
            "NOFORN",
            "//SECRET",
            "SECRET/NOFORN",
            "TOPSECRET",
            "X//S",
        ] {
            assert_eq!(banner_level(banner), None, "{banner:?}");
        }
    }

    // ---- releasable_to ----

    #[test]
    fn releasability() {
        assert!(releasable_to(&p("U"), "POL"));
        assert!(releasable_to(&p("S//REL TO USA, POL"), "POL"));
        assert!(releasable_to(&p("CUI//SP-EXPT//REL TO USA, POL"), "POL"));
        assert!(!releasable_to(&p("S//REL TO USA, GBR"), "POL"));
        assert!(!releasable_to(&p("S//NF"), "POL"));
        assert!(!releasable_to(&p("S//NF/REL TO USA, POL"), "POL"));
        assert!(!releasable_to(&p("CUI"), "POL"));
        assert!(!releasable_to(&p("CUI//SP-EXPT"), "POL"));
        assert!(!releasable_to(&p("C"), "POL"));
        assert!(!releasable_to(&p("TS"), "GBR"));
        // A tetragraph does not name a country.
        assert!(!releasable_to(&p("S//REL TO USA, NATO"), "POL"));
        // NF wins even on a hand-built U marking.
        let nf_u = Marking {
            level: Level::U,
            nf: true,
            rel_to: None,
            categories: Vec::new(),
            ldcs: Vec::new(),
        };
        assert!(!releasable_to(&nf_u, "POL"));
    }
}
