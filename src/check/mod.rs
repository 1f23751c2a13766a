//! Validation: the rule catalogue and `check`, which turns a plan file into diagnostics.

pub mod assessment;
pub mod authority;
pub mod conflict;
pub mod context;
pub mod diagnostic;
pub mod findings;
pub mod governance;
pub mod ids;
pub mod live;
pub mod markings;
pub mod registry;
pub mod review;
pub mod suggest;
pub mod traceability;
pub mod waivers;

use crate::plan::finding::Finding;
use crate::plan::load;
use crate::plan::marking::Level;
use crate::plan::model::Plan;
use crate::plan::source::{self, DecodeError};
pub use context::{Context, Tally};
use diagnostic::Diagnostic;
pub use findings::Findings;

/// What checking depends on besides the plan itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The highest level this workstation is accredited for.
    pub system_high: Level,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            system_high: Level::Cui,
        }
    }
}

/// Whether a plan's content may be copied on this workstation: no recovery file, export or
/// source line in a report is written for a plan marked above the system high.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clearance {
    /// No marking is above the system high.
    Within,
    /// A marking is above the system high (SCP209): no copy of the content is written.
    Above,
}

impl Clearance {
    /// The clearance that a plan's diagnostics show.
    pub fn of(diagnostics: &[Diagnostic]) -> Clearance {
        if diagnostics.iter().any(|d| d.code == "SCP209") {
            Clearance::Above
        } else {
            Clearance::Within
        }
    }
}

/// The outcome of checking one file's bytes.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The typed plan, when the file parsed.
    pub plan: Option<Plan>,
    /// Every diagnostic, sorted by line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// The decoded text (LF line ends, no BOM) the locations refer to.
    pub text: String,
}

impl Checked {
    /// The check as a report may show it: for a plan above the system high, no copy of its
    /// content, so every message but the markings' own (SCP209) is its rule's summary, with
    /// no hint (a message quotes values and ids from the plan).
    pub fn shown(mut self) -> Checked {
        if Clearance::of(&self.diagnostics) == Clearance::Above {
            for d in self.diagnostics.iter_mut().filter(|d| d.code != "SCP209") {
                if let Some(rule) = registry::find(d.code) {
                    d.message = rule.summary.into();
                }
                d.help = None;
            }
        }
        self
    }
}

/// Why a file could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The file is over the size limit.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// Checks a plan file's bytes: parse (SCP001), load (SCP002-SCP009), then every rule.
pub fn check_bytes(bytes: &[u8], settings: &Settings) -> Result<Checked, CheckError> {
    if bytes.len() as u64 > source::MAX_PLAN_BYTES {
        return Err(DecodeError::TooLarge(bytes.len() as u64).into());
    }
    check_vec(bytes.to_vec(), settings)
}

/// [`check_bytes`] for bytes the caller gives up: the checked text reuses their buffer.
pub fn check_vec(bytes: Vec<u8>, settings: &Settings) -> Result<Checked, CheckError> {
    let (text, _layout) = match source::decode_vec(bytes) {
        Ok(decoded) => decoded,
        Err(DecodeError::InvalidUtf8(loc)) => {
            return Ok(Checked {
                plan: None,
                diagnostics: vec![utf8_diagnostic(loc)],
                text: String::new(),
            });
        }
        Err(err) => return Err(err.into()),
    };
    Ok(check_text(text, settings))
}

/// The SCP001 diagnostic for bytes that are not UTF-8, at the first bad byte.
pub fn utf8_diagnostic(loc: crate::plan::model::Loc) -> Diagnostic {
    Diagnostic::new(
        "SCP001",
        "plan",
        loc,
        "the file is not valid UTF-8".to_string(),
    )
    .with_help("save the file as UTF-8")
}

/// Checks decoded plan text. A file with git conflict markers gets their SCP001 alone, even
/// when it parses.
pub fn check_text(text: String, settings: &Settings) -> Checked {
    if let Some(conflict) = conflict::diagnostic(&text) {
        return Checked {
            plan: None,
            diagnostics: vec![conflict],
            text,
        };
    }
    match load_text(&text) {
        Ok(loaded) => {
            let diagnostics = finish(&loaded.plan, loaded.diagnostics, settings);
            Checked {
                plan: Some(loaded.plan),
                diagnostics,
                text,
            }
        }
        Err(syntax) => Checked {
            plan: None,
            diagnostics: vec![*syntax],
            text,
        },
    }
}

/// Parses and loads decoded text on the read-only path, or gives its SCP001: toml's
/// span-keeping tree when [`load_fast`] can read the text, else toml_edit's document as the
/// editor reads it ([`load_editing`]). Either way the plan and every finding are those of the
/// editing path.
pub fn load_text(text: &str) -> Result<load::Loaded, Box<Diagnostic>> {
    load_fast(text).map_or_else(|| load_editing(text), Ok)
}

pub use load::load_fast;

/// Loads text through toml_edit's document, as the editor does, or gives its SCP001.
pub fn load_editing(text: &str) -> Result<load::Loaded, Box<Diagnostic>> {
    match toml_edit::Document::parse(text) {
        Ok(doc) => Ok(load::load(doc.as_table(), text)),
        Err(err) => Err(Box::new(syntax_diagnostic(text, &err))),
    }
}

/// The SCP001 diagnostic for a TOML syntax error.
pub fn syntax_diagnostic(text: &str, err: &toml_edit::TomlError) -> Diagnostic {
    let index = source::LineIndex::new(text);
    let message = err.message().trim().replace('\n', " ");
    // toml_edit gives no place for a value nested past its limit: the first line that nests
    // that deep is where to look.
    let span = err.span().or_else(|| {
        message
            .contains("recursion")
            .then(|| deeply_nested_line(text))
            .flatten()
    });
    let loc = span
        .clone()
        .map_or(crate::plan::model::Loc::START, |span| index.loc(span));
    let message = if err.span().is_none() && span.is_some() {
        format!("{message}: tables, arrays or dotted keys nested too deep")
    } else {
        message
    };
    Diagnostic::new(
        "SCP001",
        "plan",
        loc,
        format!("TOML syntax error: {message}"),
    )
    .with_help("fix the syntax here; nothing else is checked until the file parses")
}

/// How deep a line may nest (dots of a key, brackets, braces) before it is the likely place of
/// a recursion limit: far past any plan's, well within the parser's.
const DEEP: usize = 64;

/// The bytes of the first line that nests [`DEEP`] levels or more, counting the dots of keys
/// and the opening brackets and braces outside strings (a rough count: it only points).
fn deeply_nested_line(text: &str) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let mut depth = 0;
        let mut quote = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '.' | '[' | '{') => depth += 1,
                _ => {}
            }
        }
        if depth >= DEEP {
            let end = start + line.trim_end().len();
            return Some(start..end.max(start + 1));
        }
        start += line.len();
    }
    None
}

/// Runs every rule family on a loaded plan after its structural findings, applies the
/// waivers, and sorts the result.
pub fn finish(plan: &Plan, structural: Vec<Finding>, settings: &Settings) -> Vec<Diagnostic> {
    Findings::new(plan, structural, settings).into_diagnostics(plan, settings)
}

/// The rules about what lies outside the country sections (the priorities and the plan
/// itself), short of those that need every section's tally.
pub fn plan_rules(cx: &Context, out: &mut Vec<Diagnostic>, tally: &mut Tally) {
    traceability::plan_level(cx, out);
    authority::check(cx, out);
    markings::portions(cx, cx.plan.plan_portions(), out, tally);
}

/// Every rule about one country section; what the plan-wide rules need goes to `tally`.
pub fn country_rules(cx: &Context, ci: usize, out: &mut Vec<Diagnostic>, tally: &mut Tally) {
    traceability::country(cx, ci, out, tally);
    markings::portions(cx, cx.plan.country_portions(ci), out, tally);
    governance::country(cx, ci, out);
    review::country(cx, ci, out);
    assessment::country(cx, ci, out);
}

/// The rules over the whole plan, from the tally of every section: coverage of the
/// priorities (SCP104) and the banner (SCP202, SCP209, SCP210).
pub fn plan_wide_rules(cx: &Context, tally: &Tally, out: &mut Vec<Diagnostic>) {
    traceability::coverage(cx, tally, out);
    markings::banner(cx, tally, out);
}
