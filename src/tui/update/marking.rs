//! Marking fields (a table's portion `marking`, the plan's banner): a picker of the valid
//! markings (the banner's roll-up first, written for the plan's profile), another one typed;
//! a marking above the system high is refused when picked or typed, with the reason.

use super::Context;
use crate::edit::fixes::expected_banner;
use crate::plan::marking::{self, Level};
use crate::plan::model::Node;
use crate::tui::app::{Modal, PickOption, PickPurpose, Picker, Session, TextPurpose};

/// The value of the option that opens a text field for another marking.
pub(super) const OTHER: &str = "…";

/// Whether `field` of `node` holds a marking.
pub(super) fn is_marking(node: Node, field: &str) -> bool {
    field == "marking"
        && (node == Node::Plan || node.kind().field(field).is_some_and(|f| f.portion))
}

/// Why `value` cannot be the marking of `node` on this workstation, if it cannot.
pub(super) fn refused(node: Node, value: &str, cx: &Context) -> Option<String> {
    let level = if node == Node::Plan {
        marking::banner_level(value)
    } else {
        marking::parse_portion(value).ok().map(|m| m.level)
    }?;
    let high = cx.settings.system_high;
    (level > high).then(|| {
        format!(
            "refused: {value} is above this workstation's system high ({})",
            high.portion_str()
        )
    })
}

/// Opens the picker of markings for `field` of `node`.
pub(super) fn picker(s: &mut Session, cx: &Context, node: Node, field: &str) {
    let banner = node == Node::Plan;
    let mut values: Vec<(String, &str)> = Vec::new();
    if banner && let Some(rolled) = expected_banner(&s.live.plan) {
        values.push((rolled, " (the roll-up of the portions)"));
    }
    for level in Level::ALL {
        let value = if banner {
            level.banner_str()
        } else {
            level.portion_str()
        };
        if !values.iter().any(|(v, _)| v == value) {
            values.push((value.to_string(), ""));
        }
    }
    let mut options: Vec<PickOption> = values
        .iter()
        .map(|(value, note)| {
            let above = refused(node, value, cx).map_or("", |_| " (above the system high)");
            PickOption::new(value, &format!("{value}{note}{above}"))
        })
        .collect();
    options.push(PickOption::new(OTHER, "another marking: type it"));
    let current = crate::edit::value::as_text(s.doc.get(node, field), "").unwrap_or_default();
    // The banner's picker starts on the roll-up, which is what the banner should say.
    let cursor = if banner {
        0
    } else {
        options.iter().position(|o| o.value == current).unwrap_or(0)
    };
    let title = if banner {
        "Banner marking".to_string()
    } else {
        format!(
            "Portion marking (system high {})",
            cx.settings.system_high.portion_str()
        )
    };
    let purpose = PickPurpose::Field {
        node,
        field: field.to_string(),
    };
    s.modal = Some(Modal::picker(Picker {
        filterable: true,
        cursor,
        ..Picker::new(title, options, purpose)
    }));
}

/// The text field for a marking the picker does not offer, holding `text` (what was typed
/// in the picker) or the marking now.
pub(super) fn typed(s: &mut Session, node: Node, field: &str, text: Option<&str>) {
    let current = match text {
        Some(text) => text.to_string(),
        None => crate::edit::value::as_text(s.doc.get(node, field), "").unwrap_or_default(),
    };
    let purpose = TextPurpose::Field {
        node,
        field: field.to_string(),
    };
    s.modal = Some(Modal::text(purpose, field, &current, false));
}
