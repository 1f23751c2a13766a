//! The classification authority block (SCP211-SCP213): a classified banner needs who
//! classified the plan, on what basis and until when; an unclassified one takes no block.

use jiff::ToSpan;

use super::context::Context;
use super::diagnostic::Diagnostic;
use crate::plan::marking::{self, Level};
use crate::plan::model::{Authority, Declassify, Field, Node, Opt, val};

/// How long a classification lasts at most without an exemption.
const MAX_YEARS: i16 = 25;

/// SCP211, SCP212 and SCP213 on `[plan.authority]`.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let meta = &cx.plan.meta;
    let Some(level) = val(&meta.marking).and_then(|banner| marking::banner_level(banner)) else {
        return;
    };
    let authority = meta.authority.as_ref();
    if level.is_classified() {
        missing_parts(cx, authority, level, out);
    } else if let Some(block) = authority {
        out.push(
            Diagnostic::new(
                "SCP213",
                "plan",
                block.header,
                format!(
                    "[plan.authority] on a plan whose banner is {}: a classification block on unclassified information over-marks it",
                    level.banner_str()
                ),
            )
            .with_help("remove [plan.authority], or correct the banner if the plan is classified")
            .at(Node::Authority, None),
        );
    }
    if let Some(block) = authority {
        declassify_date(cx, block, out);
    }
}

/// SCP211: the block, or each of its parts, that a classified banner needs and lacks.
fn missing_parts(
    cx: &Context,
    authority: Option<&Authority>,
    level: Level,
    out: &mut Vec<Diagnostic>,
) {
    let help = "add the key to [plan.authority] (f in the editor adds the missing keys to fill)";
    let Some(block) = authority else {
        out.push(
            Diagnostic::new(
                "SCP211",
                "plan",
                cx.plan.meta.header,
                format!(
                    "the banner is {}, but [plan.authority] is missing: a classified plan says who classified it (classified_by), on what basis (derived_from or reason) and when it is declassified (declassify_on)",
                    level.banner_str()
                ),
            )
            .with_help("add [plan.authority] with classified_by, derived_from (or reason) and declassify_on")
            .at(Node::Plan, Some("authority")),
        );
        return;
    };
    if !block.readable {
        // Its SCP003 says what is wrong; what it holds is not read.
        return;
    }
    let lacks = |field: &Opt<String>| field.is_none();
    let mut parts: Vec<(&str, &str)> = Vec::new();
    if lacks(&block.classified_by) {
        parts.push(("classified_by", "who classified it (classified_by)"));
    }
    if lacks(&block.derived_from) && lacks(&block.reason) {
        parts.push((
            "derived_from",
            "its basis (derived_from, the source or guide; or reason, for original classification)",
        ));
    }
    if block.declassify_on.is_none() {
        parts.push(("declassify_on", "when it is declassified (declassify_on)"));
    }
    for (key, what) in parts {
        out.push(
            Diagnostic::new(
                "SCP211",
                "plan",
                block.header,
                format!("[plan.authority] does not say {what}"),
            )
            .with_help(help)
            .at(Node::Authority, Some(key)),
        );
    }
}

/// SCP212: a declassification date before the plan takes effect or beyond 25 years of it.
fn declassify_date(cx: &Context, block: &Authority, out: &mut Vec<Diagnostic>) {
    let (
        Some(Field {
            value: Some(Declassify::Date(date)),
            loc,
        }),
        Some(start),
    ) = (&block.declassify_on, cx.effective())
    else {
        return;
    };
    let limit = start.checked_add(i64::from(MAX_YEARS).years()).ok();
    let problem = if *date < start {
        Some(format!(
            "declassify_on {date} is before the plan takes effect ({start}): the plan would be declassified at once"
        ))
    } else if limit.is_some_and(|limit| *date > limit) {
        Some(format!(
            "declassify_on {date} is more than {MAX_YEARS} years after the plan takes effect ({start}): that needs an exemption"
        ))
    } else {
        None
    };
    if let Some(message) = problem {
        out.push(
            Diagnostic::new("SCP212", "plan", *loc, message)
                .with_help("write a date within 25 years of plan.effective, or the exemption and its date as a string (\"25X1, 2061-10-01\")")
                .at(Node::Authority, Some("declassify_on")),
        );
    }
}
