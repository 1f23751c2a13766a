//! Link review: a priority's stamp (a short hash of its text that ignores how the text is
//! wrapped) and the state of each link of an objective against the stamps in its
//! `reviewed_links`. The rules (SCP109-SCP111), the editing core, `scplan review`, the diff and
//! the exports all judge links by these functions.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::model::{Head, Loc, Objective, Plan, Priority, text, val};

/// How many hex digits a stamp has.
pub const STAMP_LEN: usize = 8;

/// A text with its ends trimmed and every run of whitespace (Unicode `White_Space`) turned
/// into one space, so that reflowing it changes nothing.
pub fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The stamp of a priority with these texts: the first 8 lower-case hex digits of the SHA-256
/// of `norm(title) + "\x1f" + norm(source) + "\x1f" + norm(description)`.
pub fn stamp(title: &str, source: &str, description: &str) -> String {
    let joined = [norm(title), norm(source), norm(description)].join("\x1f");
    let digest = Sha256::digest(joined.as_bytes());
    digest[..STAMP_LEN / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The current stamp of a priority (an absent or non-string text counts as empty).
pub fn priority_stamp(p: &Priority) -> String {
    stamp(text(&p.title), text(&p.source), text(&p.description))
}

/// Whether `s` is written as a stamp: 8 lower-case hex digits.
pub fn is_stamp(s: &str) -> bool {
    s.len() == STAMP_LEN && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The current stamp of every priority, by id (the first priority with an id, when ids repeat:
/// SCP005 is about the rest).
pub fn current_stamps(plan: &Plan) -> HashMap<&str, String> {
    let mut out = HashMap::with_capacity(plan.priorities.len());
    for p in &plan.priorities {
        if let Some(id) = val(&p.id) {
            out.entry(id.as_str()).or_insert_with(|| priority_stamp(p));
        }
    }
    out
}

/// Where one link of an objective stands against its priority's current stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// The stored stamp is the priority's current one.
    Reviewed,
    /// The priority changed since the link was reviewed (SCP109).
    Suspect {
        /// The stamp stored in `reviewed_links`.
        stored: String,
    },
    /// The link carries no stamp (SCP110 when `plan.link_review = true`).
    Unstamped,
    /// The stored value is not a stamp (SCP006).
    Malformed,
}

/// One link of an objective to an existing priority, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedLink<'a> {
    /// The priority's id.
    pub priority: &'a str,
    /// Its current stamp.
    pub current: &'a str,
    /// The link's state.
    pub state: LinkState,
    /// Where its stamp is, when it has one.
    pub at: Option<Loc>,
}

/// The links of an objective to existing priorities, each once, in the order of `priorities`,
/// judged against `stamps` (from [`current_stamps`]). Empty when `reviewed_links` is present
/// but not a table (SCP003): nothing can be said of its stamps then.
pub fn judge<'a>(o: &'a Objective, stamps: &'a HashMap<&str, String>) -> Vec<JudgedLink<'a>> {
    let stored = match &o.reviewed_links {
        Some(links) => match &links.stamps {
            Some(entries) => Some(entries.as_slice()),
            None => return Vec::new(),
        },
        None => None,
    };
    let mut out: Vec<JudgedLink<'a>> = Vec::new();
    for id in val(&o.priorities).map_or(&[][..], |l| l.entries.as_slice()) {
        let Some(current) = stamps.get(id.as_str()) else {
            continue;
        };
        if out.iter().any(|l| l.priority == id) {
            continue;
        }
        let entry = stored.and_then(|s| s.iter().find(|e| e.priority == *id));
        let state = match entry {
            None => LinkState::Unstamped,
            Some(e) => match &e.stamp {
                None => LinkState::Malformed,
                Some(s) if s == current => LinkState::Reviewed,
                Some(s) => LinkState::Suspect { stored: s.clone() },
            },
        };
        out.push(JudgedLink {
            priority: id,
            current,
            state,
            at: entry.map(|e| e.loc),
        });
    }
    out
}

/// What confirms the link from the objective `head` to `p`: the review command, which names
/// an objective by its id (one without must be given one first).
pub fn confirm_help(head: &Head, p: &str, verb: &str) -> String {
    if head.named {
        format!("{verb}: `scplan review PLAN --confirm {}:{p}`", head.item)
    } else {
        format!("{verb} once the objective has an `id`: `scplan review PLAN --confirm ID:{p}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stamps computed apart from this code (Python's hashlib, with `norm` spelt out as a
    /// regular expression over the Unicode `White_Space` characters).
    const VECTORS: &[(&str, &str, &str, &str)] = &[
        ("", "", "", "b8c9e440"),
        ("Deter aggression (fictional)", "NDS 2026", "", "0989eac9"),
        (
            "  Deter   aggression\n(fictional) ",
            "NDS\t2026",
            "",
            "0989eac9",
        ),
        (
            "Deter aggression (fictional)",
            "NDS 2026",
            "Fictional priority one",
            "1ea7da68",
        ),
        (
            "Deter aggression (fictional)",
            "NDS 2026",
            "Fictional\n   priority\u{a0}one\n",
            "1ea7da68",
        ),
        ("Deter aggressions (fictional)", "NDS 2026", "", "5a269298"),
        ("Deter aggression (fictional)", "NDS 2027", "", "d76b0bad"),
        (
            "Build partner capacity (fictional)",
            "NDS 2026",
            "",
            "b0fcee4e",
        ),
        // The separator keeps the fields apart: moving text between them changes the stamp.
        ("Deter aggression (fictional)NDS 2026", "", "", "91b44047"),
        (
            "Sécurité\u{3000}énergétique",
            "NDS 2026",
            "Ligne 1\r\nligne 2",
            "7ec09f03",
        ),
    ];

    #[test]
    fn stamps_match_the_vectors() {
        for (title, source, description, expected) in VECTORS {
            assert_eq!(
                stamp(title, source, description),
                *expected,
                "{title:?} {source:?} {description:?}"
            );
            assert!(is_stamp(expected));
        }
    }

    #[test]
    fn reflowing_keeps_the_stamp_and_a_word_changes_it() {
        let base = stamp("Deter aggression (fictional)", "NDS 2026", "");
        assert_eq!(
            stamp(
                "\tDeter\n\naggression   (fictional)\r\n",
                " NDS 2026 ",
                "  "
            ),
            base
        );
        assert_ne!(stamp("Deter aggressions (fictional)", "NDS 2026", ""), base);
        assert_ne!(stamp("Deter aggression (fictional)", "NDS 2026", "x"), base);
        assert_eq!(norm("  a \t b\n\nc  "), "a b c");
    }

    #[test]
    fn only_eight_lower_case_hex_digits_are_a_stamp() {
        assert!(is_stamp("0123abcd"));
        for bad in [
            "0123ABCD",
            "0123abc",
            "0123abcde",
            "0123abcg",
            "",
            "０１２３abcd",
        ] {
            assert!(!is_stamp(bad), "{bad:?}");
        }
    }
}
