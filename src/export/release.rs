//! Partner copies: which tables a copy for one country releases (a withheld table takes
//! everything inside it along), which waivers and findings go with them, and the release
//! record that tells the foreign disclosure officer what the copy withholds. The copy itself
//! says nothing of what it withholds: not a list, a count, an id, a link nor a finding.

use std::collections::{HashMap, HashSet};

use crate::check::diagnostic::Diagnostic;
use crate::plan::catalog;
use crate::plan::marking::{self, Marking};
use crate::plan::model::{Collection, Head, Node, Opt, Plan, Portion, text, val};
use crate::text::sanitize;

/// The country a copy is prepared for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recipient {
    /// ISO 3166-1 alpha-3, upper case.
    pub code: String,
    /// The country's name, from the ISO 3166-1 table.
    pub name: String,
    /// The line every format shows at its top: `Prepared for release to Poland (POL)`.
    pub statement: String,
}

impl Recipient {
    /// The recipient whose code is `code` (a checked partner code).
    pub fn new(code: &str) -> Recipient {
        let name = catalog::country_name(code).unwrap_or(code).to_string();
        Recipient {
            statement: format!("Prepared for release to {name} ({code})"),
            code: code.to_string(),
            name,
        }
    }
}

/// One withheld table, as the release record lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldItem {
    /// Its id, or its place when it has none (`POL barrier 2`, `POL-ST-1 indicator 1`).
    pub label: String,
    /// Its marking as written (`?` when it is not text).
    pub marking: String,
    /// The outermost withheld table it is inside, when it goes with that one.
    pub inside: Option<String>,
}

/// What a copy releases: everything, or only what is releasable to one country.
#[derive(Debug, Clone, Default)]
pub struct Release {
    to: Option<String>,
    /// Every withheld table (nested ones too) and every left-out waiver.
    withheld_nodes: HashSet<Node>,
    /// The ids and codes of the withheld tables.
    hidden: HashSet<String>,
    /// The withheld tables in document order, nested ones too.
    pub items: Vec<WithheldItem>,
    /// The waivers left out of the copy (`SCP207 on POL`): about a withheld item, or covering
    /// a finding of one (their reasons may speak of it).
    pub waivers: Vec<String>,
    /// The rule and item of each waiver left out.
    left_out: HashSet<(String, String)>,
    /// The parsed markings of the released portions, each once.
    pub released: Vec<Marking>,
    /// The parsed markings of every portion, each once, for the release record's banner.
    pub all: Vec<Marking>,
}

/// `id` when present and not blank, else a positional label: `POL objective 2`.
fn label(id: &Opt<String>, parent: &str, noun: &str, index: usize) -> String {
    match val(id) {
        Some(id) if !id.trim().is_empty() => id.clone(),
        _ => format!("{parent} {noun} {}", index + 1),
    }
}

/// What [`Release::decide`] has met so far: each marking text parsed once (a plan repeats a
/// few markings over thousands of portions), and the texts whose marking is already listed,
/// since a banner's roll-up is the same with each marking once.
#[derive(Default)]
struct Seen<'p> {
    parsed: HashMap<&'p str, Option<Marking>>,
    in_all: HashSet<&'p str>,
    in_released: HashSet<&'p str>,
}

/// The marking `text` parses to, parsed the first time it is met.
fn parse_once<'p, 's>(
    parsed: &'s mut HashMap<&'p str, Option<Marking>>,
    text: &'p str,
) -> Option<&'s Marking> {
    parsed
        .entry(text)
        .or_insert_with(|| marking::parse_portion(text).ok())
        .as_ref()
}

impl Release {
    /// Decides, for `plan` and its `diagnostics`, what a copy for `to` releases (`None`: all).
    pub fn decide(plan: &Plan, to: Option<&str>, diagnostics: &[Diagnostic]) -> Release {
        let mut r = Release {
            to: to.map(str::to_string),
            ..Release::default()
        };
        let mut seen = Seen::default();
        for (i, p) in plan.priorities.iter().enumerate() {
            let label = || label(&p.id, "plan", "priority", i);
            r.visit(&mut seen, &p.head, &p.portion, &p.id, label, None);
        }
        for (ci, c) in plan.countries.iter().enumerate() {
            let code = match val(&c.code) {
                Some(code) if !code.trim().is_empty() => code.clone(),
                _ => format!("country {}", ci + 1),
            };
            let released = r.visit(
                &mut seen,
                &c.head,
                &c.portion,
                &c.code,
                || code.clone(),
                None,
            );
            let inside = (!released).then(|| code.clone());
            let within = inside.as_deref();
            for (oi, o) in c.objectives.iter().enumerate() {
                let id = || label(&o.id, &code, "objective", oi);
                let released = r.visit(&mut seen, &o.head, &o.portion, &o.id, id, within);
                let own = (!released).then(id);
                let within = within.or(own.as_deref());
                for (k, ind) in o.indicators.iter().enumerate() {
                    let label = || format!("{} indicator {}", id(), k + 1);
                    r.visit(&mut seen, &ind.head, &ind.portion, &None, label, within);
                }
            }
            for (i, a) in c.agreements.iter().enumerate() {
                let label = || label(&a.id, &code, "agreement", i);
                r.visit(&mut seen, &a.head, &a.portion, &a.id, label, within);
            }
            for (i, a) in c.actors.iter().enumerate() {
                let label = || label(&a.id, &code, "actor", i);
                r.visit(&mut seen, &a.head, &a.portion, &a.id, label, within);
            }
            for (i, p) in c.pools.iter().enumerate() {
                let label = || label(&p.id, &code, "investment pool", i);
                r.visit(&mut seen, &p.head, &p.portion, &p.id, label, within);
            }
            for (i, b) in c.barriers.iter().enumerate() {
                let label = || format!("{code} barrier {}", i + 1);
                r.visit(&mut seen, &b.head, &b.portion, &None, label, within);
            }
        }
        r.leave_out_waivers(plan, diagnostics);
        r
    }

    /// Decides one table: released unless it is inside a withheld one (`within`) or, in a
    /// partner copy, its marking is not releasable to the partner. Returns whether it is.
    /// Its label is made only when it is withheld.
    fn visit<'p>(
        &mut self,
        seen: &mut Seen<'p>,
        head: &Head,
        portion: &'p Portion,
        id: &Opt<String>,
        label: impl FnOnce() -> String,
        within: Option<&str>,
    ) -> bool {
        let text = portion.marking_text();
        let parsed = text.and_then(|t| parse_once(&mut seen.parsed, t).map(|m| (t, m)));
        if let Some((t, m)) = parsed
            && seen.in_all.insert(t)
        {
            self.all.push(m.clone());
        }
        let releasable = match &self.to {
            None => true,
            Some(code) => parsed.is_some_and(|(_, m)| marking::releasable_to(m, code)),
        };
        if within.is_none() && releasable {
            if let Some((t, m)) = parsed
                && seen.in_released.insert(t)
            {
                self.released.push(m.clone());
            }
            return true;
        }
        self.withheld_nodes.insert(head.node);
        if let Some(id) = val(id) {
            self.hidden.insert(id.clone());
        }
        self.items.push(WithheldItem {
            label: label(),
            marking: text.unwrap_or("?").to_string(),
            inside: within.map(str::to_string),
        });
        false
    }

    /// Leaves out every waiver about a withheld item or covering a finding of one.
    fn leave_out_waivers(&mut self, plan: &Plan, diagnostics: &[Diagnostic]) {
        if self.to.is_none() {
            return;
        }
        for w in &plan.waivers {
            let (rule, item) = (text(&w.rule), text(&w.item));
            let covers_withheld = diagnostics
                .iter()
                .any(|d| d.code == rule && *d.item == *item && self.about_withheld(d));
            if self.hidden.contains(item) || covers_withheld {
                self.waivers.push(format!("{rule} on {item}"));
                self.left_out.insert((rule.to_string(), item.to_string()));
                self.withheld_nodes.insert(w.head.node);
            }
        }
    }

    /// The partner of a partner copy.
    pub fn partner(&self) -> Option<&str> {
        self.to.as_deref()
    }

    /// Whether the table at `node` is in the copy.
    pub fn is_released(&self, node: Node) -> bool {
        !self.withheld_nodes.contains(&node)
    }

    /// Whether `id` names a withheld item (links to it are left out).
    pub fn is_hidden(&self, id: &str) -> bool {
        self.hidden.contains(id)
    }

    /// Whether a finding is about something the copy leaves out: a withheld table or a
    /// left-out waiver (by the table it points at, else by the item it is on), or a withheld
    /// item it names (a repeated or stamped link to a withheld priority).
    pub fn about_withheld(&self, d: &Diagnostic) -> bool {
        let names_hidden = d
            .target
            .names
            .as_deref()
            .is_some_and(|id| self.is_hidden(id));
        names_hidden
            || match d.target.node {
                Some(node) => !self.is_released(node),
                None => self.hidden.contains(&*d.item),
            }
    }

    /// Whether a finding's waiver is left out of the copy (it also covers a withheld one): the
    /// copy then shows the finding as not waived.
    pub fn waiver_left_out(&self, d: &Diagnostic) -> bool {
        d.waived
            && self
                .left_out
                .contains(&(d.code.to_string(), d.item.to_string()))
    }

    /// Whether the waiver at index `i` of the plan is in the copy.
    pub fn waiver_released(&self, i: usize) -> bool {
        self.is_released(Node::Item(Collection::Waivers, i))
    }
}

/// What the release record says besides the withheld items.
#[derive(Debug, Clone, Copy)]
pub struct RecordHead<'a> {
    /// `plan.id`.
    pub plan_id: &'a str,
    /// `plan.version`.
    pub version: &'a str,
    /// The copy's recipient.
    pub recipient: &'a Recipient,
    /// The stamp's time.
    pub time: &'a str,
    /// The stamp's SHA-256 of the whole plan file.
    pub plan_sha256: &'a str,
    /// The copy's status (validated, or a draft).
    pub status: &'a str,
}

/// The release record, a text file for the foreign disclosure officer, never for the partner:
/// the plan, the recipient, the date, the plan's digest, and each withheld table with its
/// marking and each left-out waiver. Marked at top and bottom with the banner of the whole
/// plan, since it names what the copy withholds.
pub fn record(head: &RecordHead, release: &Release, banner: &str) -> Vec<u8> {
    let mut lines = vec![
        banner.to_string(),
        "RELEASE RECORD: for the foreign disclosure officer, not for release".to_string(),
        format!("plan: {}", sanitize(head.plan_id)),
        format!("version: {}", sanitize(head.version)),
        format!(
            "recipient: {} ({})",
            head.recipient.name, head.recipient.code
        ),
        format!("date (UTC): {}", head.time),
        format!("plan SHA-256: {}", head.plan_sha256),
        format!("copy status: {}", head.status),
        format!("withheld items: {}", release.items.len()),
    ];
    for item in &release.items {
        let mut line = format!("  ({}) {}", sanitize(&item.marking), sanitize(&item.label));
        if let Some(outer) = &item.inside {
            line.push_str(&format!(", inside {}", sanitize(outer)));
        }
        lines.push(line);
    }
    lines.push(format!(
        "waivers left out of the copy: {}",
        release.waivers.len()
    ));
    lines.extend(release.waivers.iter().map(|w| format!("  {}", sanitize(w))));
    lines.push(banner.to_string());
    let mut out = lines.join("\n");
    out.push('\n');
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_bytes};
    use crate::plan::marking::Profile;

    #[test]
    fn each_marking_is_kept_once_and_the_banners_are_those_of_every_portion() {
        let text = crate::synth::generate(8, 12, 0.2, 5);
        let checked = check_bytes(text.as_bytes(), &Settings::default()).expect("checked");
        let plan = checked.plan.as_ref().expect("parsed");
        let every: Vec<Marking> = plan
            .portions()
            .iter()
            .filter_map(|p| p.portion.marking_text())
            .filter_map(|t| marking::parse_portion(t).ok())
            .collect();
        let distinct: HashSet<&str> = plan
            .portions()
            .iter()
            .filter_map(|p| p.portion.marking_text())
            .filter(|t| marking::parse_portion(t).is_ok())
            .collect();
        assert!(every.len() > distinct.len(), "the plan repeats markings");
        for to in [None, Some("POL"), Some("GBR")] {
            let r = Release::decide(plan, to, &checked.diagnostics);
            assert_eq!(r.all.len(), distinct.len());
            assert!(r.released.len() <= r.all.len());
            for profile in [Profile::Dod, Profile::Nara] {
                let banner = marking::roll_up(&r.all, profile);
                assert_eq!(banner, marking::roll_up(&every, profile));
            }
        }
    }
}
