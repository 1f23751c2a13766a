//! Markings (SCP201-SCP210): portions parse, controls are well formed and narrowly used, CUI is
//! justified, each section is releasable to its partner, the banner equals the roll-up, and
//! nothing is above the system high.

use super::context::{Context, Tally};
use super::diagnostic::Diagnostic;
use super::suggest;
use crate::plan::catalog;
use crate::plan::marking::{self, Level, Marking, ParseError};
use crate::plan::model::{Field, Loc, PortionRef, val};

/// The rules of each portion (SCP201, SCP204-SCP209); notes in `tally` the markings for the
/// banner's roll-up.
pub fn portions<'p>(
    cx: &Context,
    portions: impl IntoIterator<Item = PortionRef<'p>>,
    out: &mut Vec<Diagnostic>,
    tally: &mut Tally,
) {
    let plan = cx.plan;
    let system_high = cx.settings.system_high;
    for portion in portions {
        let Some(raw) = portion.portion.marking_text() else {
            continue;
        };
        let loc = portion
            .portion
            .marking
            .as_ref()
            .map_or(portion.head.header, |f| f.loc);
        let here = |code: &'static str, message: String| {
            Diagnostic::new(code, portion.head.item.clone(), loc, message)
                .at(portion.head.node, Some("marking"))
        };
        let m = match marking::parse_portion(raw) {
            Ok(m) => m,
            Err(ParseError::Obsolete) => {
                tally.unreadable = true;
                out.push(
                    here(
                        "SCP208",
                        format!("`{raw}` is obsolete: FOUO was replaced by CUI"),
                    )
                    .with_help("mark the portion CUI with its category and a justification, or U"),
                );
                continue;
            }
            Err(ParseError::Unparseable(why)) => {
                tally.unreadable = true;
                let help = match suggest::repair(raw) {
                    Some(repaired) => format!("write it as `{repaired}`"),
                    None => suggest::EXAMPLES.to_string(),
                };
                let why = why.trim_end_matches('.');
                out.push(
                    here("SCP201", format!("marking `{raw}` cannot be parsed: {why}"))
                        .with_help(help),
                );
                continue;
            }
        };
        let problems = marking::problems(&m, raw, &catalog::is_country);
        if !problems.is_empty() {
            out.push(
                here(
                    "SCP204",
                    format!("marking `{raw}`: {}", problems.join("; ")),
                )
                .with_help(match suggest::fixed(&m) {
                    // The list named no one it can release to.
                    Some(fixed) if m.rel_to.is_some() && !fixed.contains("REL TO") => format!(
                        "write it as `{fixed}`, or name the partners' codes after USA in its REL TO list"
                    ),
                    Some(fixed) => format!("write it as `{fixed}`"),
                    None => suggest::EXAMPLES.to_string(),
                }),
            );
        }
        if m.nf && !nf_allowed(&portion) {
            out.push(
                here(
                    "SCP205",
                    "NF on a portion that is not intelligence: NOFORN applies narrowly to intelligence information".to_string(),
                )
                .with_help("use REL TO USA, <partners>; or set intel = true, or nf_exception = \"NNPI\" | \"NDP-1\" | \"DCNI\""),
            );
        }
        if m.level == Level::Cui && !justified(&portion) {
            out.push(
                here("SCP206", "CUI portion without a justification: say why it is CUI".to_string())
                    .with_help("add marking_justification = \"...\" (category and the law or policy behind it)"),
            );
        }
        if let Some(ci) = portion.country
            && let Some(code) = val(&plan.countries[ci].code)
            && catalog::is_country(code)
            && code != "USA"
            && !marking::releasable_to(&m, code)
        {
            let noun = portion.kind.noun();
            out.push(
                here(
                    "SCP207",
                    format!(
                        "this {noun} in the {code} section is not releasable to {code} (`{raw}`)"
                    ),
                )
                .with_help(releasable_help(&m, code)),
            );
        }
        if m.level > system_high {
            out.push(
                system_high_diagnostic(&portion.head.item, loc, raw, system_high)
                    .at(portion.head.node, Some("marking")),
            );
        }
        tally.any_cui |= m.level == Level::Cui;
        tally.note_marking(m);
    }
}

/// The banner equals the roll-up of every portion (SCP202), is within the system high
/// (SCP209), and a plan holding CUI has its designation indicator (SCP210).
pub fn banner(cx: &Context, tally: &Tally, out: &mut Vec<Diagnostic>) {
    let system_high = cx.settings.system_high;
    let mut any_cui = tally.any_cui;
    let meta = &cx.plan.meta;
    let banner = match &meta.marking {
        Some(Field {
            value: Some(banner),
            loc,
        }) => Some((banner.as_str(), *loc)),
        _ => None,
    };
    if let Some((banner, loc)) = banner {
        let expected = marking::roll_up(&tally.markings, meta.profile());
        let d = if !tally.unreadable {
            (banner != expected).then(|| {
                Diagnostic::new(
                    "SCP202",
                    "plan",
                    loc,
                    format!("the banner `{banner}` differs from the roll-up of the portions: expected `{expected}`"),
                )
                .with_help(format!("set marking = \"{expected}\""))
            })
        } else {
            // The unreadable portions may need any banner at or above the others' roll-up:
            // only a banner below its level (or its NOFORN) is known to be wrong, and the fix
            // starts with them.
            let floor = floor(&expected);
            // A banner that reads as no level is at least nothing the portions require.
            let unread = marking::banner_level(banner).is_none();
            (unread || below(banner, &floor)).then(|| {
                let what = if unread {
                    "does not read as a banner, and cannot meet"
                } else {
                    "is below"
                };
                Diagnostic::new(
                    "SCP202",
                    "plan",
                    loc,
                    format!("the banner `{banner}` {what} what the readable portions require (they roll up to `{expected}`); the unreadable portion markings (SCP201, SCP208) must be fixed first, then the banner set to the roll-up of every portion"),
                )
                .with_help(format!("the banner must be at least `{floor}`"))
            })
        };
        out.extend(d.map(|d| d.at(crate::plan::model::Node::Plan, Some("marking"))));
        let level = marking::banner_level(banner);
        if level.is_some_and(|l| l > system_high) {
            out.push(
                system_high_diagnostic("plan", loc, banner, system_high)
                    .at(crate::plan::model::Node::Plan, Some("marking")),
            );
        }
        any_cui |= level == Some(Level::Cui);
    }
    if any_cui && meta.cui.is_none() {
        out.push(
            Diagnostic::new(
                "SCP210",
                "plan",
                if meta.present {
                    meta.header
                } else {
                    Loc::START
                },
                "the plan holds CUI but has no [plan.cui] designation indicator".to_string(),
            )
            .with_help("add [plan.cui] with controlled_by, categories and poc")
            .at(crate::plan::model::Node::Plan, None),
        );
    }
}

/// Whether a banner carries NOFORN (or NF, however written).
fn noforn(banner: &str) -> bool {
    banner
        .split("//")
        .skip(1)
        .flat_map(|group| group.split('/'))
        .any(|e| matches!(e.trim().to_ascii_uppercase().as_str(), "NOFORN" | "NF"))
}

/// What of a roll-up a banner must reach whatever other portions hold: its level, and its
/// NOFORN.
fn floor(roll_up: &str) -> String {
    let level = marking::banner_level(roll_up).unwrap_or(Level::U);
    if noforn(roll_up) {
        format!("{}//NOFORN", level.banner_str())
    } else {
        level.banner_str().to_string()
    }
}

/// Whether a banner is below a floor: a lower level, or the same level without the NOFORN the
/// floor has. A banner whose level cannot be read is not compared.
fn below(banner: &str, floor: &str) -> bool {
    match (marking::banner_level(banner), marking::banner_level(floor)) {
        (Some(written), Some(needed)) => {
            written < needed || (written == needed && noforn(floor) && !noforn(banner))
        }
        _ => false,
    }
}

/// A CUI portion is justified by a `marking_justification` that is not blank; one of the
/// wrong type counts as present (it has its own SCP003).
fn justified(portion: &PortionRef) -> bool {
    let p = portion.portion;
    p.justification.as_ref().is_some_and(|f| f.value.is_none()) || p.is_justified()
}

/// NF is lawful on intelligence information and under a named exception; an exception or
/// an `intel` of the wrong type counts as present (it has its own diagnostic).
fn nf_allowed(portion: &PortionRef) -> bool {
    let p = portion.portion;
    let intel = match &p.intel {
        Some(Field { value: Some(v), .. }) => *v,
        Some(Field { value: None, .. }) => true,
        None => false,
    };
    intel || p.nf_exception.is_some()
}

fn releasable_help(m: &Marking, code: &str) -> String {
    if m.nf {
        format!(
            "replace NF with REL TO USA, {code} if the content may be shared with the partner, or move it out of the section"
        )
    } else {
        let mut list = m.rel_to.clone().unwrap_or_else(|| vec!["USA".to_string()]);
        list.push(code.to_string());
        let mut with = m.clone();
        with.rel_to = Some(list);
        match suggest::fixed(&with) {
            Some(fixed) => format!("add {code} to the REL TO list: `{fixed}`, or mark it U"),
            None => format!("add {code} to the REL TO list, or mark it U"),
        }
    }
}

fn system_high_diagnostic(item: &str, loc: Loc, raw: &str, system_high: Level) -> Diagnostic {
    Diagnostic::new(
        "SCP209",
        item,
        loc,
        format!(
            "`{raw}` is above this workstation's system high ({}): a possible spillage",
            system_high.portion_str()
        ),
    )
    .with_help("report it to your security manager; scplan writes no copy of this plan")
}
