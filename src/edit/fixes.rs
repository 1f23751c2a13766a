//! Quick fixes: what mechanically repairs a diagnostic, as data each front end interprets —
//! an edit to apply (the banner rolled up from the portions, a "did you mean" suggestion
//! taken, a repeated link removed, the authority block a classified plan lacks), a field to
//! open for the planner to choose or type (the priorities or technology areas of an
//! objective, a required key, a new S&T objective's links), or an edit to apply only once the
//! planner confirms (a review stamped today).

use std::collections::HashMap;

use jiff::civil::Date;
use toml_edit::{Item, Key, Value};

use super::change::Change;
use super::items::{self, NewItem};
use super::rename::rewrite_list;
use super::value;
use crate::check::diagnostic::Diagnostic;
use crate::plan::document::{Edit, PlanDocument};
use crate::plan::marking;
use crate::plan::model::{Collection, Node, Plan, val};
use crate::plan::schema::TableKind;

/// A diagnostic without a mechanical fix, with what to do in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} has no mechanical fix: {advice}")]
pub struct NoFix {
    /// The rule.
    pub code: &'static str,
    /// What to do: the diagnostic's hint, else the part of its message after the colon.
    pub advice: String,
}

/// How a front end carries out a fix.
#[derive(Debug, Clone)]
pub enum FixAction {
    /// Apply the change.
    Apply(Change),
    /// Apply `before` (an item added), if any, then open `field` of `node` the way its type
    /// is edited (a picker for links and enumerations, a text field for the rest).
    Open {
        /// A change to apply first.
        before: Option<Change>,
        /// The table, once `before` is applied.
        node: Node,
        /// The key to fill.
        field: String,
    },
    /// Ask the planner `question` (a statement to answer yes or no to); apply the change on
    /// yes.
    Confirm {
        /// The statement the planner confirms.
        question: String,
        /// What a yes applies.
        change: Change,
    },
}

/// One fix of a diagnostic.
#[derive(Debug, Clone)]
pub struct QuickFix {
    /// What it does, for a menu ("remove the repeat of SP-1").
    pub title: String,
    /// How it is carried out.
    pub action: FixAction,
}

impl QuickFix {
    /// A fix that applies `edit` at once; `done` says what it did.
    fn apply(code: &str, title: String, edit: Edit, done: &str) -> QuickFix {
        let change = Change::new(edit, format!("fixed {code}: {done}"));
        QuickFix {
            title,
            action: FixAction::Apply(change),
        }
    }

    /// A fix that opens `field` of `node`.
    fn open(title: String, before: Option<Change>, node: Node, field: &str) -> QuickFix {
        QuickFix {
            title,
            action: FixAction::Open {
                before,
                node,
                field: field.to_string(),
            },
        }
    }
}

/// The fixes of `d` (`today` for review dates), the one the diagnostic asks for first.
pub fn quick_fixes(
    doc: &PlanDocument,
    plan: &Plan,
    d: &Diagnostic,
    today: Date,
) -> Result<Vec<QuickFix>, NoFix> {
    let fixes = fixes(doc, plan, d, today);
    if fixes.is_empty() {
        return Err(NoFix {
            code: d.code,
            advice: advice(d),
        });
    }
    Ok(fixes)
}

/// What to do about `d`, in words: its hint, else what its message says after the colon.
fn advice(d: &Diagnostic) -> String {
    if let Some(help) = &d.help {
        return help.to_string();
    }
    match d.message.split_once(": ") {
        Some((_, todo)) => todo.to_string(),
        None => format!("see `scplan explain {}`", d.code),
    }
}

/// The suggestion of a "did you mean" hint (or of a 2022 technology area's "its 2025
/// successor is"): the quoted text after it (`"POL-AG-1"` or `` `title` ``).
pub fn suggestion(d: &Diagnostic) -> Option<&str> {
    let help = d.help.as_deref()?;
    let rest = help
        .strip_prefix("did you mean ")
        .or_else(|| help.strip_prefix("its 2025 successor is "))?;
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '`'))?;
    let inner = &rest[1..];
    inner.find(quote).map(|end| &inner[..end])
}

/// The first string of `array` that the message names in backticks (the entry it is about).
fn named_entry<'a>(array: &'a toml_edit::Array, message: &str) -> Option<&'a str> {
    array
        .iter()
        .filter_map(Value::as_str)
        .find(|s| message.contains(&format!("`{s}`")))
}

/// Every fix of `d`.
fn fixes(doc: &PlanDocument, plan: &Plan, d: &Diagnostic, today: Date) -> Vec<QuickFix> {
    let Some(node) = d.target.node else {
        return Vec::new();
    };
    let field = d.target.field.as_deref();
    let fix = match (d.code, field) {
        ("SCP202", _) => banner(plan),
        ("SCP210", _) => {
            let title = "Add a [plan.cui] designation indicator to fill in".to_string();
            let done = "added [plan.cui] to fill in";
            Some(QuickFix::apply(d.code, title, cui_block(plan), done))
        }
        ("SCP211", _) => {
            let (edit, done) = authority_keys(plan, d);
            let title = "Add the [plan.authority] keys to fill in".to_string();
            Some(QuickFix::apply(d.code, title, edit, &done))
        }
        ("SCP004", Some(key)) => rename_key(doc, d, node, key),
        ("SCP109" | "SCP110", _) | ("SCP006", Some("reviewed_links")) => confirm_link(doc, plan, d),
        ("SCP006" | "SCP103" | "SCP108", Some(key)) => {
            let taken = take_suggestion(doc, plan, d, node, key);
            // A link that names nothing can go; so can any entry whose suggestion the list
            // holds already (taking it would repeat it).
            let remove = d.code != "SCP006" || taken.is_none();
            let removed = remove
                .then(|| remove_entry(doc, plan, d, node, key))
                .flatten();
            return taken.into_iter().chain(removed).collect();
        }
        ("SCP107", Some(key)) => remove_repeat(doc, d, node, key),
        ("SCP102" | "SCP105" | "SCP002", Some(key)) => {
            let title = match d.code {
                "SCP002" => format!("Add `{key}` to {}", d.item),
                _ => format!("Choose the {key} of {}", d.item),
            };
            Some(QuickFix::open(title, None, node, key))
        }
        ("SCP101", _) => return st_objective(doc, plan, node),
        ("SCP206", _) => Some(QuickFix::open(
            format!("Write why {} is CUI", d.item),
            None,
            node,
            "marking_justification",
        )),
        ("SCP111", _) => d.target.names.as_deref().and_then(|p| {
            let edit = super::review::remove_stamp(doc, plan, node, p)?;
            let title = format!("Remove the stale stamp of {p} from `reviewed_links`");
            Some(QuickFix::apply(
                d.code,
                title,
                edit,
                &format!("stamp of {p} removed from {}", d.item),
            ))
        }),
        ("SCP005", Some("id")) => fresh_id_fix(doc, d, node, plan),
        ("SCP301", _) => Some(QuickFix {
            title: format!("Mark {} reviewed today ({today})", d.item),
            action: FixAction::Confirm {
                question: format!("I have reviewed {} today ({today})", d.item),
                change: Change::new(
                    Edit::SetField {
                        node,
                        field: "last_reviewed".to_string(),
                        value: Some(value::date(today)),
                    },
                    format!("fixed SCP301: {} marked reviewed {today}", d.item),
                ),
            },
        }),
        _ => None,
    };
    fix.into_iter().collect()
}

/// A link to review (suspect, unstamped, or with a stamp that does not read): confirmed with
/// the priority's current stamp once the planner says the objective serves it, as the review
/// queue confirms it. `None` for an objective without an id (the stamp names it by id).
fn confirm_link(doc: &PlanDocument, plan: &Plan, d: &Diagnostic) -> Option<QuickFix> {
    let priority = d.target.names.as_deref()?;
    let objective = plan
        .countries
        .iter()
        .flat_map(|c| &c.objectives)
        .find(|o| Some(o.head.node) == d.target.node)?;
    let id = val(&objective.id)?;
    let target = super::review::Target::Link(id.clone(), priority.to_string());
    let edit = super::review::confirm(doc, plan, &[target]).ok()?.edit?;
    Some(QuickFix {
        title: format!("Confirm the link of {id} to {priority}"),
        action: FixAction::Confirm {
            question: format!("{id} serves {priority} as the priority now reads"),
            change: Change::new(
                edit,
                format!("fixed {}: link {id}:{priority} confirmed", d.code),
            ),
        },
    })
}

/// SCP005 on an id: the later item given the next free id of its prefix (its references
/// cannot be told from the first item's, so none follows).
fn fresh_id_fix(doc: &PlanDocument, d: &Diagnostic, node: Node, plan: &Plan) -> Option<QuickFix> {
    let Some(Item::Value(Value::String(id))) = doc.get(node, "id") else {
        return None;
    };
    // A blank id has no prefix to number from: the planner writes one (SCP009 asks too).
    if id.value().trim().is_empty() {
        return None;
    }
    // The format's prefix for a new item of this kind where it is (`DEU-AG-` in Germany),
    // else the id's own (`X-` for `X`).
    let code = node
        .country()
        .and_then(|c| plan.countries.get(c))
        .and_then(|c| val(&c.code));
    let st = doc.get(node, "kind").and_then(Item::as_str) != Some("sc");
    let kind = node.kind();
    let prefix = match code {
        Some(code) => super::ids::prefix(kind, code, st),
        // A priority's prefix names no section; an item's needs its section's code.
        None if kind == TableKind::Priority => super::ids::prefix(kind, "", st),
        None => None,
    }
    .unwrap_or_else(|| items::id_prefix(id.value()));
    let new = items::fresh_id(plan, &prefix);
    let edit = Edit::SetField {
        node,
        field: "id".to_string(),
        value: Some(Value::from(new.as_str())),
    };
    let title = format!("Give this {} the free id {new}", node.kind().noun());
    Some(QuickFix::apply(
        d.code,
        title,
        edit,
        &format!("{} is now {new}", d.item),
    ))
}

/// SCP202: the banner set to the roll-up of the portions.
fn banner(plan: &Plan) -> Option<QuickFix> {
    let banner = expected_banner(plan)?;
    let edit = Edit::SetField {
        node: Node::Plan,
        field: "marking".to_string(),
        value: Some(Value::from(banner.as_str())),
    };
    let title = format!("Set the banner to {banner}");
    Some(QuickFix::apply(
        "SCP202",
        title,
        edit,
        &format!("banner set to {banner}"),
    ))
}

/// SCP004: the unknown key renamed as suggested, in its place, keeping its value.
fn rename_key(doc: &PlanDocument, d: &Diagnostic, node: Node, old: &str) -> Option<QuickFix> {
    let new = suggestion(d)?;
    if doc.get(node, new).is_some() {
        return None;
    }
    let (index, key) = doc.key_at(node, old)?;
    let item = doc.get(node, old)?.clone();
    let key = Key::new(new).with_leaf_decor(key.leaf_decor().clone());
    let edit = Edit::Batch(vec![
        Edit::SetField {
            node,
            field: old.to_string(),
            value: None,
        },
        Edit::RestoreField {
            node,
            index,
            key,
            item,
        },
    ]);
    let title = format!("Rename `{old}` to `{new}`");
    Some(QuickFix::apply(
        d.code,
        title,
        edit,
        &format!("`{old}` renamed `{new}`"),
    ))
}

/// SCP006, SCP103, SCP108: the value (or the list entry) the diagnostic names replaced by
/// its "did you mean" suggestion.
fn take_suggestion(
    doc: &PlanDocument,
    plan: &Plan,
    d: &Diagnostic,
    node: Node,
    key: &str,
) -> Option<QuickFix> {
    let new = suggestion(d)?;
    let (old, edit) = match doc.get(node, key)? {
        Item::Value(Value::Array(array)) => {
            let old = named_entry(array, &d.message)?;
            if array.iter().any(|v| v.as_str() == Some(new)) {
                return None;
            }
            let after: Vec<String> = strings(array)
                .map(|s| if s == old { new } else { s }.to_string())
                .collect();
            let edit = rewrite_list(doc, node, key, old, Some(new))?;
            (
                old.to_string(),
                with_stamps(doc, plan, node, key, edit, &after),
            )
        }
        Item::Value(Value::String(s)) => {
            let edit = Edit::SetField {
                node,
                field: key.to_string(),
                value: Some(Value::from(new)),
            };
            (s.value().clone(), edit)
        }
        _ => return None,
    };
    let title = match d.code {
        "SCP006" => format!("Write \"{new}\" instead of \"{old}\" in `{key}`"),
        _ => format!("Link {new} instead of {old}"),
    };
    Some(QuickFix::apply(
        d.code,
        title,
        edit,
        &format!("{old} replaced by {new}"),
    ))
}

/// SCP107: every repeat of the entry the diagnostic names removed, its first place kept.
fn remove_repeat(doc: &PlanDocument, d: &Diagnostic, node: Node, key: &str) -> Option<QuickFix> {
    let (repeated, edit) = removal(doc, d, node, key, 1)?;
    let title = format!("Remove the repeat of {repeated} from `{key}`");
    Some(QuickFix::apply(
        d.code,
        title,
        edit,
        &format!("repeat of {repeated} removed from {}", d.item),
    ))
}

/// SCP103, SCP108 (and SCP006 in a list): the entry the diagnostic names taken out of the list.
fn remove_entry(
    doc: &PlanDocument,
    plan: &Plan,
    d: &Diagnostic,
    node: Node,
    key: &str,
) -> Option<QuickFix> {
    let (entry, edit) = removal(doc, d, node, key, 0)?;
    let after: Vec<String> = match doc.get(node, key) {
        Some(Item::Value(Value::Array(array))) => strings(array)
            .filter(|s| *s != entry)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let edit = with_stamps(doc, plan, node, key, edit, &after);
    let title = match d.code {
        "SCP006" => format!("Remove \"{entry}\" from `{key}`"),
        _ => format!("Remove the link to {entry} from `{key}`"),
    };
    Some(QuickFix::apply(
        d.code,
        title,
        edit,
        &format!("{entry} removed from `{key}` of {}", d.item),
    ))
}

/// The string entries of a list.
fn strings(array: &toml_edit::Array) -> impl Iterator<Item = &str> {
    array.iter().filter_map(Value::as_str)
}

/// `edit` of the list `key` of the objective at `node`, whose entries become `after`, with
/// the review stamps kept in step as every link made in the editor keeps them
/// ([`review::linked`](super::review::linked)). A `reviewed_links` the fix cannot write into
/// (SCP003) leaves the stamps to the planner.
fn with_stamps(
    doc: &PlanDocument,
    plan: &Plan,
    node: Node,
    key: &str,
    edit: Edit,
    after: &[String],
) -> Edit {
    super::review::linked(doc, plan, node, key, edit.clone(), after).unwrap_or(edit)
}

/// The entry of the list `key` that the diagnostic names, and the edit that removes each of
/// its places but the first `keep`.
fn removal(
    doc: &PlanDocument,
    d: &Diagnostic,
    node: Node,
    key: &str,
    keep: usize,
) -> Option<(String, Edit)> {
    let Some(Item::Value(Value::Array(array))) = doc.get(node, key) else {
        return None;
    };
    let entry = named_entry(array, &d.message)?;
    let mut at = array
        .iter()
        .enumerate()
        .filter(|(_, v)| v.as_str() == Some(entry))
        .map(|(i, _)| i)
        .skip(keep)
        .collect::<Vec<_>>();
    if at.is_empty() {
        return None;
    }
    // From the end, so that each index still points at its entry.
    at.reverse();
    let edit = Edit::Batch(
        at.into_iter()
            .map(|index| Edit::RemoveEntry {
                node,
                field: key.to_string(),
                index,
            })
            .collect(),
    );
    Some((entry.to_string(), edit))
}

/// SCP101: an S&T objective added to the section, its priorities to choose; or one of the
/// section's other objectives made an S&T objective, its priorities to check.
fn st_objective(doc: &PlanDocument, plan: &Plan, node: Node) -> Vec<QuickFix> {
    let Node::Item(Collection::Countries, country) = node else {
        return Vec::new();
    };
    let added = items::add(doc, plan, NewItem::Objective { country, st: true })
        .ok()
        .map(|placed| {
            QuickFix::open(
                "Add an S&T objective and choose its priorities".to_string(),
                Some(placed.change),
                placed.node,
                "priorities",
            )
        });
    let objectives = plan.countries.get(country).map(|c| &c.objectives[..]);
    let kinds = objectives
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let node = Node::Item(Collection::Objectives(country), i);
            let id = val(&o.id).map_or("the objective", String::as_str);
            let kind = Edit::SetField {
                node,
                field: "kind".to_string(),
                value: Some(Value::from("st")),
            };
            QuickFix::open(
                format!("Make {id} an S&T objective and check its priorities"),
                Some(Change::new(
                    kind,
                    format!("fixed SCP101: {id} is an S&T objective"),
                )),
                node,
                "priorities",
            )
        });
    added.into_iter().chain(kinds).collect()
}

/// The keys an authority block needs, blank for the planner to fill: the whole block when it
/// is missing, else the part the diagnostic names.
fn authority_keys(plan: &Plan, d: &Diagnostic) -> (Edit, String) {
    const KEYS: [&str; 3] = ["classified_by", "derived_from", "declassify_on"];
    if plan.meta.authority.is_none() {
        // A section, as the format writes it, with blank texts: SCP009 then asks for each
        // until the planner fills it (a placeholder text would pass for an authority).
        let mut block = toml_edit::Table::new();
        for key in KEYS {
            block.insert(key, toml_edit::value(""));
        }
        block.decor_mut().set_prefix("\n");
        let edit = Edit::RestoreField {
            node: Node::Plan,
            index: usize::MAX,
            key: Key::new(TableKind::Authority.key()),
            item: Item::Table(block),
        };
        return (edit, "added [plan.authority] to fill in".to_string());
    }
    let key = d
        .target
        .field
        .as_deref()
        .filter(|f| KEYS.contains(f))
        .unwrap_or(KEYS[0]);
    let edit = Edit::SetField {
        node: Node::Authority,
        field: key.to_string(),
        value: Some(Value::from("")),
    };
    (edit, format!("added {key} to [plan.authority] to fill in"))
}

/// A `[plan.cui]` section, as the format writes it: blank `controlled_by` and `poc` (SCP009
/// then asks for each: a placeholder would pass for the real thing), and the categories the
/// CUI portions carry.
fn cui_block(plan: &Plan) -> Edit {
    let mut categories = toml_edit::Array::new();
    for p in plan.portions() {
        let Some(m) = p
            .portion
            .marking_text()
            .and_then(|t| marking::parse_portion(t).ok())
        else {
            continue;
        };
        for c in m.categories {
            if !categories.iter().any(|v| v.as_str() == Some(c.as_str())) {
                categories.push(c);
            }
        }
    }
    let mut block = toml_edit::Table::new();
    block.insert("controlled_by", toml_edit::value(""));
    block.insert("categories", toml_edit::value(categories));
    block.insert("poc", toml_edit::value(""));
    block.decor_mut().set_prefix("\n");
    Edit::RestoreField {
        node: Node::Plan,
        index: usize::MAX,
        key: Key::new(TableKind::Cui.key()),
        item: Item::Table(block),
    }
}

/// The banner the portions require (their roll-up), when every portion marking reads: with
/// an unreadable one the roll-up is not known.
pub fn expected_banner(plan: &Plan) -> Option<String> {
    // A plan repeats a handful of markings over many portions: each is read once.
    let mut read: HashMap<&str, marking::Marking> = HashMap::new();
    for p in plan.portions() {
        let text = p.portion.marking_text()?;
        if !read.contains_key(text) {
            read.insert(text, marking::parse_portion(text).ok()?);
        }
    }
    let portions: Vec<marking::Marking> = read.into_values().collect();
    Some(marking::roll_up(&portions, plan.meta.profile()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_bytes};

    const SAMPLE: &str = include_str!("../../plans/eucom-sample.toml");
    const TODAY: Date = Date::constant(2026, 11, 28);

    /// The document of `text` and the fixes of its first `code` diagnostic.
    /// The codes a check of `text` finds.
    fn codes(text: &str) -> Vec<&'static str> {
        check_bytes(text.as_bytes(), &Settings::default())
            .unwrap()
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    fn fixes_of(text: &str, code: &str, settings: &Settings) -> (PlanDocument, Vec<QuickFix>) {
        let checked = check_bytes(text.as_bytes(), settings).unwrap();
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code}"));
        let doc = PlanDocument::from_bytes(text.as_bytes()).unwrap();
        let plan = doc.load().plan;
        let fixes = quick_fixes(&doc, &plan, d, TODAY).unwrap();
        (doc, fixes)
    }

    /// `text` with the first fix of its first `code` diagnostic applied (it must apply at once).
    fn applied(text: &str, code: &str) -> String {
        let (mut doc, mut fixes) = fixes_of(text, code, &Settings::default());
        let FixAction::Apply(change) = fixes.remove(0).action else {
            panic!("{code}: not an edit");
        };
        assert!(change.message.starts_with(&format!("fixed {code}: ")));
        doc.apply(change.edit).unwrap();
        doc.to_text()
    }

    /// `text` with the fix of its first `code` diagnostic whose title starts with `title`
    /// applied (it must apply at once).
    fn applied_titled(text: &str, code: &str, title: &str) -> String {
        let (mut doc, fixes) = fixes_of(text, code, &Settings::default());
        let fix = fixes
            .into_iter()
            .find(|f| f.title.starts_with(title))
            .unwrap_or_else(|| panic!("no fix titled {title:?}"));
        let FixAction::Apply(change) = fix.action else {
            panic!("{code}: not an edit");
        };
        doc.apply(change.edit).unwrap();
        doc.to_text()
    }

    /// Breaks the sample with `from` -> `to`, then checks the fix of `code` gives it back.
    fn restores(from: &str, to: &str, code: &str) {
        let broken = SAMPLE.replacen(from, to, 1);
        assert_ne!(broken, SAMPLE);
        assert_eq!(applied(&broken, code), SAMPLE, "{code}");
    }

    #[test]
    fn a_repeated_id_a_stale_stamp_and_an_unjustified_cui_portion_have_fixes() {
        // The later POL-ST-1 takes the smallest free id of its prefix: the plan back.
        let text = SAMPLE.replacen("id = \"POL-ST-2\"", "id = \"POL-ST-1\"", 1);
        assert_eq!(applied(&text, "SCP005"), SAMPLE);
        // The prefix is the format's for a new item where it is: a German agreement that
        // took a Polish id gets a German one.
        let text = SAMPLE.replacen("id = \"DEU-AG-2\"", "id = \"POL-AG-1\"", 1);
        assert_eq!(applied(&text, "SCP005"), SAMPLE);
        // A stamp of a priority the objective does not link goes; the others stay.
        let date = "  target_date = 2029-09-30\n";
        let stale = SAMPLE.replacen(
            date,
            &format!("{date}  reviewed_links = {{ SP-4 = \"00000000\" }}\n"),
            1,
        );
        assert_eq!(applied(&stale, "SCP111"), SAMPLE);
        // A CUI portion opens its justification to write.
        let cui = SAMPLE.replacen("marking = \"U\"", "marking = \"CUI\"", 1);
        let (_, fixes) = fixes_of(&cui, "SCP206", &Settings::default());
        assert!(
            matches!(&fixes[0].action, FixAction::Open { field, .. } if field == "marking_justification"),
            "{:?}",
            fixes.iter().map(|f| &f.title).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_misspelt_key_is_renamed_in_place() {
        restores("prepared_by = ", "prepard_by = ", "SCP004");
    }

    #[test]
    fn a_value_not_of_the_enumeration_takes_the_suggestion() {
        restores("command = \"USEUCOM\"", "command = \"USEUCM\"", "SCP006");
        restores(
            "\"applied-ai\"]\n  governance = [\"POL-AG-1\"",
            "\"applied-aj\"]\n  governance = [\"POL-AG-1\"",
            "SCP006",
        );
        // A 2022 technology area takes its 2025 successor.
        restores(
            "tech_areas = [\"scaled-hypersonics\"]",
            "tech_areas = [\"hypersonics\"]",
            "SCP006",
        );
    }

    #[test]
    fn a_dangling_link_becomes_the_suggested_id() {
        // The link made is stamped, as every link made in the editor is.
        let broken = SAMPLE.replacen("priorities = [\"SP-1\"", "priorities = [\"SP-1x\"", 1);
        let stamp = crate::plan::review::current_stamps(
            &crate::check::load_text(SAMPLE).unwrap().plan,
        )["SP-1"]
            .clone();
        let first_date = "  target_date = 2029-09-30\n";
        assert_eq!(
            applied(&broken, "SCP103"),
            SAMPLE.replacen(
                first_date,
                &format!("{first_date}  reviewed_links = {{ SP-1 = \"{stamp}\" }}\n"),
                1
            )
        );
        restores("[\"POL-AG-1\", ", "[\"POL-AG-1x\", ", "SCP108");
    }

    #[test]
    fn a_dangling_link_can_go_and_is_never_made_a_repeat() {
        // SP-1 is linked already: taking the suggestion would repeat it.
        let text = SAMPLE.replacen("[\"SP-1\", \"SP-3\"]", "[\"SP-1\", \"SP-1x\"]", 1);
        let (_, fixes) = fixes_of(&text, "SCP103", &Settings::default());
        let titles: Vec<&str> = fixes.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(titles, ["Remove the link to SP-1x from `priorities`"]);
        assert_eq!(
            applied(&text, "SCP103"),
            SAMPLE.replacen("[\"SP-1\", \"SP-3\"]", "[\"SP-1\"]", 1)
        );
        // Nothing close: it can still go.
        let far = SAMPLE.replacen("[\"SP-1\", \"SP-3\"]", "[\"SP-1\", \"QQQQQQQ-99\"]", 1);
        assert_eq!(
            applied(&far, "SCP103"),
            SAMPLE.replacen("[\"SP-1\", \"SP-3\"]", "[\"SP-1\"]", 1)
        );
        // With a suggestion, taking it comes first and removing second.
        let near = SAMPLE.replacen("priorities = [\"SP-1\"", "priorities = [\"SP-1x\"", 1);
        let (_, fixes) = fixes_of(&near, "SCP103", &Settings::default());
        let titles: Vec<&str> = fixes.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Link SP-1 instead of SP-1x",
                "Remove the link to SP-1x from `priorities`"
            ]
        );
    }

    #[test]
    fn a_repeated_link_loses_its_repeats() {
        restores(
            "priorities = [\"SP-1\", \"SP-3\"]",
            "priorities = [\"SP-1\", \"SP-3\", \"SP-1\"]",
            "SCP107",
        );
    }

    /// The field a fix opens, after its change (if any) is applied to `doc`.
    fn opened(doc: &mut PlanDocument, fix: QuickFix) -> (Node, String) {
        let FixAction::Open {
            before,
            node,
            field,
        } = fix.action
        else {
            panic!("{}: opens nothing", fix.title);
        };
        if let Some(change) = before {
            doc.apply(change.edit).unwrap();
        }
        (node, field)
    }

    #[test]
    fn empty_links_and_missing_keys_open_their_field() {
        for (from, to, code, field) in [
            (
                "priorities = [\"SP-1\"]\n  tech_areas = [\"scaled",
                "priorities = []\n  tech_areas = [\"scaled",
                "SCP102",
                "priorities",
            ),
            (
                "tech_areas = [\"scaled-directed-energy\"]",
                "tech_areas = []",
                "SCP105",
                "tech_areas",
            ),
            (
                "source = \"NDS 2026\"\ndescription",
                "description",
                "SCP002",
                "source",
            ),
        ] {
            let broken = SAMPLE.replacen(from, to, 1);
            let (mut doc, mut fixes) = fixes_of(&broken, code, &Settings::default());
            let (node, opened) = opened(&mut doc, fixes.remove(0));
            assert_eq!(opened, field, "{code}");
            assert!(matches!(node, Node::Item(..)), "{code}");
        }
    }

    #[test]
    fn a_section_without_st_objective_gets_one_to_link() {
        let broken = SAMPLE
            .replacen(
                "id = \"POL-ST-1\"\n  kind = \"st\"",
                "id = \"POL-ST-1\"\n  kind = \"sc\"",
                1,
            )
            .replacen(
                "id = \"POL-ST-2\"\n  kind = \"st\"",
                "id = \"POL-ST-2\"\n  kind = \"sc\"",
                1,
            );
        let (mut doc, mut fixes) = fixes_of(&broken, "SCP101", &Settings::default());
        // The new objective, or one of the section's three made S&T.
        assert_eq!(fixes.len(), 4);
        assert_eq!(
            fixes[1].title,
            "Make POL-ST-1 an S&T objective and check its priorities"
        );
        let (node, field) = opened(&mut doc, fixes.remove(0));
        assert_eq!(field, "priorities");
        let plan = doc.load().plan;
        let Node::Item(Collection::Objectives(0), i) = node else {
            panic!("{node:?}");
        };
        assert!(plan.countries[0].objectives[i].is_st());
        let checked = check_bytes(&doc.to_bytes(), &Settings::default()).unwrap();
        assert!(!checked.diagnostics.iter().any(|d| d.code == "SCP101"));
    }

    #[test]
    fn a_review_is_stamped_only_once_confirmed() {
        let bytes = include_str!("../../tests/fixtures/rules/SCP301-fires.toml");
        let (mut doc, mut fixes) = fixes_of(bytes, "SCP301", &Settings::default());
        let FixAction::Confirm { question, change } = fixes.remove(0).action else {
            panic!("SCP301 is not confirmed first");
        };
        assert!(question.starts_with("I have reviewed "), "{question}");
        assert!(question.ends_with(" today (2026-11-28)"), "{question}");
        assert!(change.message.ends_with("marked reviewed 2026-11-28"));
        doc.apply(change.edit).unwrap();
        let fixed = check_bytes(&doc.to_bytes(), &Settings::default()).unwrap();
        assert!(!fixed.diagnostics.iter().any(|d| d.code == "SCP301"));
    }

    #[test]
    fn without_a_fix_the_advice_is_in_words() {
        let broken = SAMPLE.replacen(
            "[[priority]]\nid = \"SP-2\"",
            "[[priority]]\nid = \"SP-9\"\ntitle = \"Unlinked\"\nsource = \"NDS 2026\"\n\n[[priority]]\nid = \"SP-2\"",
            1,
        );
        let checked = check_bytes(broken.as_bytes(), &Settings::default()).unwrap();
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.code == "SCP104")
            .unwrap();
        let doc = PlanDocument::from_bytes(broken.as_bytes()).unwrap();
        let plan = doc.load().plan;
        let err = quick_fixes(&doc, &plan, d, TODAY).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SCP104 has no mechanical fix: add \"SP-9\" to the `priorities` of an S&T objective that serves it"
        );
        let mut bare = d.clone();
        bare.help = None;
        let err = quick_fixes(&doc, &plan, &bare, TODAY).unwrap_err();
        assert_eq!(err.advice, "a coverage gap");
    }

    #[test]
    fn link_fixes_keep_the_review_stamps_in_step() {
        // SP-9 linked and stamped but not a priority: removing the link removes its stamp.
        let dangling = include_str!("../../tests/fixtures/rules/SCP103-fires-5.toml");
        let after = applied_titled(dangling, "SCP103", "Remove the link");
        assert!(
            !after.contains("SP-9 =") && !after.contains("\"SP-9\"]"),
            "{after}"
        );
        let left = codes(&after);
        assert!(
            !left.contains(&"SCP111") && !left.contains(&"SCP103"),
            "{left:?}"
        );
        // With link review on, the link a suggestion writes gets its stamp.
        let typo = SAMPLE
            .replacen("[plan]\n", "[plan]\nlink_review = true\n", 1)
            .replacen(
                "priorities = [\"SP-1\", \"SP-3\"]",
                "priorities = [\"SP-1\", \"SP-33\"]",
                1,
            );
        let mut doc = PlanDocument::from_bytes(typo.as_bytes()).unwrap();
        let plan = doc.load().plan;
        let stamping = crate::edit::review::unstamped(&plan).edits(&doc).unwrap();
        doc.apply(stamping.edit.unwrap()).unwrap();
        let text = doc.to_text();
        assert!(!codes(&text).contains(&"SCP110"), "{:?}", codes(&text));
        let left = codes(&applied_titled(&text, "SCP103", "Link SP-3 instead"));
        assert!(
            !left.contains(&"SCP110") && !left.contains(&"SCP103"),
            "{left:?}"
        );
    }

    #[test]
    fn a_cui_plan_gets_a_designation_indicator_with_its_categories() {
        for fixture in [
            include_str!("../../tests/fixtures/rules/SCP210-fires.toml"),
            include_str!("../../tests/fixtures/rules/SCP210-fires-2.toml"),
        ] {
            let settings = Settings::default();
            let (mut doc, mut fixes) = fixes_of(fixture, "SCP210", &settings);
            let FixAction::Apply(change) = fixes.remove(0).action else {
                panic!("SCP210: not an edit");
            };
            doc.apply(change.edit).unwrap();
            let text = doc.to_text();
            assert!(
                text.contains("\n[plan.cui]\ncontrolled_by = \"\""),
                "{text}"
            );
            let checked = crate::check::check_text(text, &settings);
            let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
            assert!(!codes.contains(&"SCP210"), "{codes:?}");
            // What is new is the blanks to fill in.
            let before: Vec<&str> = crate::check::check_text(fixture.to_string(), &settings)
                .diagnostics
                .iter()
                .map(|d| d.code)
                .filter(|c| *c != "SCP210")
                .collect();
            let mut new = codes.clone();
            for c in &before {
                let at = new
                    .iter()
                    .position(|n| n == c)
                    .expect("a finding went away");
                new.remove(at);
            }
            assert!(new.iter().all(|c| *c == "SCP009"), "{new:?}");
            let plan = checked.plan.unwrap();
            let cui = plan.meta.cui.clone().unwrap();
            let portions: Vec<String> = plan
                .portions()
                .into_iter()
                .filter_map(|p| p.portion.marking_text())
                .filter_map(|t| crate::plan::marking::parse_portion(t).ok())
                .flat_map(|m| m.categories)
                .collect();
            let listed = crate::plan::model::val(&cui.categories)
                .map(|l| l.entries.clone())
                .unwrap_or_default();
            assert!(portions.iter().all(|c| listed.contains(c)), "{listed:?}");
        }
    }

    #[test]
    fn a_classified_plan_gets_the_authority_keys_it_lacks() {
        let settings = Settings {
            system_high: crate::plan::marking::Level::Ts,
        };
        for fixture in [
            include_str!("../../tests/fixtures/rules/SCP211-fires-2.toml"),
            include_str!("../../tests/fixtures/rules/SCP211-fires.toml"),
        ] {
            let scp211 = |bytes: &[u8]| {
                let checked = check_bytes(bytes, &settings).unwrap();
                checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == "SCP211")
                    .count()
            };
            let mut text = fixture.to_string();
            while scp211(text.as_bytes()) > 0 {
                let (mut doc, mut fixes) = fixes_of(&text, "SCP211", &settings);
                let FixAction::Apply(change) = fixes.remove(0).action else {
                    panic!("SCP211: not an edit");
                };
                doc.apply(change.edit).unwrap();
                assert_ne!(doc.to_text(), text, "the fix changes nothing");
                text = doc.to_text();
            }
            // What is left is for the planner to fill: blank texts.
            let checked = check_bytes(text.as_bytes(), &settings).unwrap();
            assert!(checked.diagnostics.iter().any(|d| d.code == "SCP009"));
        }
    }

    #[test]
    fn a_missing_authority_block_is_added_as_a_section_after_the_plan_table() {
        let settings = Settings {
            system_high: crate::plan::marking::Level::Ts,
        };
        let text = include_str!("../../tests/fixtures/rules/SCP211-fires-2.toml");
        let (mut doc, mut fixes) = fixes_of(text, "SCP211", &settings);
        let FixAction::Apply(change) = fixes.remove(0).action else {
            panic!("SCP211: not an edit");
        };
        doc.apply(change.edit).unwrap();
        let after = doc.to_text();
        let block =
            "\n[plan.authority]\nclassified_by = \"\"\nderived_from = \"\"\ndeclassify_on = \"\"\n";
        let at = after.find(block).unwrap_or_else(|| panic!("{after}"));
        // Right after [plan]'s own keys, before any other table.
        let plan_end = text.find("\n[[").unwrap_or(text.len());
        assert_eq!(at, text[..plan_end].trim_end().len() + 1, "{after}");
    }
}
