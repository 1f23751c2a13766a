//! Completion, from the table catalogue and the plan: the keys of the table being written,
//! table headers, enumeration values, priority ids in `priorities`, the plan list's technology
//! areas in `tech_areas`, the section's agreements and actors in `governance`, rule codes and
//! items in a waiver, marking tokens (levels, controls, country trigraphs in REL TO), and the
//! keys of `reviewed_links` (the objective's links, each with its priority's stamp now).

use std::ops::Range;

use lsp_types::CompletionItemKind;

use super::cursor::{Cursor, Place, country_code};
use crate::check::registry;
use crate::edit::fixes::expected_banner;
use crate::edit::toml_text::{quote, strings_in, table_entries};
use crate::plan::catalog;
use crate::plan::marking::{self, FIXED_LDCS, Level, TETRAGRAPHS};
use crate::plan::model::{self, Plan, val};
use crate::plan::review;
use crate::plan::schema::{ALL_TABLES, FieldType, TableKind};

/// One completion: what is shown, what replaces which bytes, and a word about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The label shown.
    pub label: String,
    /// What it is (a title, a type).
    pub detail: Option<String>,
    /// Its kind, for the editor's icon.
    pub kind: CompletionItemKind,
    /// The bytes it replaces.
    pub range: Range<usize>,
    /// What goes there.
    pub new_text: String,
}

/// The completions at the cursor; `plan` is the last plan read (perhaps of an older text:
/// its ids are what the author links to).
pub fn complete(text: &str, plan: Option<&Plan>, cursor: &Cursor) -> Vec<Item> {
    match &cursor.place {
        Place::Header(start) => headers(*start..cursor.offset),
        Place::NewKey(typed) => cursor
            .table
            .map(|kind| keys(text, cursor, kind, typed.clone()))
            .unwrap_or_default(),
        Place::Value(entry, string) => {
            let Some(kind) = cursor.table else {
                return Vec::new();
            };
            // Inside a string, its contents up to the cursor are replaced; outside one, a
            // quoted value is inserted at the cursor.
            let (typed, quoted) = match string {
                Some(s) => (s.contents..cursor.offset.max(s.contents), false),
                None => (cursor.offset..cursor.offset, true),
            };
            let prefix = &text[typed.clone()];
            // A list's other entries are not offered again (that would be a repeat, SCP107).
            let listed: Vec<String> = match kind.field(&entry.key).map(|f| f.ty) {
                Some(
                    FieldType::PriorityLinks | FieldType::TechAreas | FieldType::GovernanceLinks,
                ) => strings_in(text, entry.value_range.clone())
                    .into_iter()
                    .filter(|(range, _)| string.as_ref().is_none_or(|s| s.range != *range))
                    .map(|(_, value)| value)
                    .collect(),
                _ => Vec::new(),
            };
            values(text, plan, cursor, kind, &entry.key, prefix)
                .into_iter()
                .filter(|(value, ..)| !listed.contains(value))
                .filter(|(value, ..)| value.starts_with(prefix) || quoted)
                .map(|(value, detail, item_kind, raw)| {
                    let new_text = if quoted && !raw {
                        quote(&value)
                    } else {
                        value.clone()
                    };
                    Item {
                        label: value,
                        detail,
                        kind: item_kind,
                        range: typed.clone(),
                        new_text,
                    }
                })
                .collect()
        }
        Place::StampKey(typed) => plan
            .map(|plan| stamp_keys(text, plan, cursor, typed.clone()))
            .unwrap_or_default(),
        Place::Key(_) | Place::Other => Vec::new(),
    }
}

/// The keys of `reviewed_links` not written yet: each priority the objective above the
/// cursor links, with its current stamp as the value (a review of that link, now).
fn stamp_keys(text: &str, plan: &Plan, cursor: &Cursor, typed: Range<usize>) -> Vec<Item> {
    let line =
        u32::try_from(memchr::memchr_iter(b'\n', &text.as_bytes()[..cursor.offset]).count() + 1)
            .unwrap_or(u32::MAX);
    // The objective whose header is the last at or above the cursor's line.
    let Some(objective) = plan
        .countries
        .iter()
        .flat_map(|c| &c.objectives)
        .filter(|o| o.head.header.line <= line)
        .max_by_key(|o| o.head.header.line)
    else {
        return Vec::new();
    };
    let stamps = review::current_stamps(plan);
    let present = cursor.present.as_deref().unwrap_or_default();
    let prefix = &text[typed.clone()];
    let links = objective
        .priorities
        .as_ref()
        .and_then(|f| f.value.as_ref())
        .map(|l| l.entries.as_slice())
        .unwrap_or_default();
    // A priority linked twice (SCP107) is offered once.
    let mut seen = std::collections::HashSet::new();
    links
        .iter()
        .filter(|id| !present.contains(id) && id.starts_with(prefix) && seen.insert(id.as_str()))
        .filter_map(|id| {
            let stamp = stamps.get(id.as_str())?;
            let title = plan
                .priorities
                .iter()
                .find(|p| val(&p.id) == Some(id))
                .map(|p| crate::text::sanitize(model::text(&p.title)))
                .unwrap_or_default();
            let key = if id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            {
                id.clone()
            } else {
                quote(id)
            };
            Some(Item {
                label: id.clone(),
                detail: Some(format!("reviewed now (stamp {stamp}): {title}")),
                kind: CompletionItemKind::PROPERTY,
                range: typed.clone(),
                new_text: format!("{key} = {}", quote(stamp)),
            })
        })
        .collect()
}

/// Every table header, for a line that starts one.
fn headers(typed: Range<usize>) -> Vec<Item> {
    ALL_TABLES
        .iter()
        .map(|kind| Item {
            label: kind.header().to_string(),
            detail: Some(format!("{} table", kind.a_noun())),
            kind: CompletionItemKind::MODULE,
            range: typed.clone(),
            new_text: kind.header().to_string(),
        })
        .collect()
}

/// The keys of a table of `kind` that it does not hold yet.
fn keys(text: &str, cursor: &Cursor, kind: TableKind, typed: Range<usize>) -> Vec<Item> {
    let present: Vec<String> = match &cursor.present {
        Some(inline) => inline.clone(),
        None => table_entries(text, cursor.header)
            .0
            .into_iter()
            .map(|e| e.key)
            .collect(),
    };
    kind.fields()
        .iter()
        .filter(|spec| !present.iter().any(|k| k == spec.name))
        .filter(|spec| spec.name.starts_with(&text[typed.clone()]))
        .map(|spec| Item {
            label: spec.name.to_string(),
            detail: Some(format!(
                "{}{}",
                if spec.required { "required: " } else { "" },
                spec.help
            )),
            kind: CompletionItemKind::PROPERTY,
            range: typed.clone(),
            new_text: format!("{} = ", spec.name),
        })
        .collect()
}

/// A value to offer: the value, a word about it, its kind, and whether it goes in as it is
/// (not quoted: a boolean, or a token inside a marking).
type Value = (String, Option<String>, CompletionItemKind, bool);

/// The values the key takes, as far as the catalogue and the plan know them.
fn values(
    text: &str,
    plan: Option<&Plan>,
    cursor: &Cursor,
    kind: TableKind,
    key: &str,
    prefix: &str,
) -> Vec<Value> {
    let enum_value = |v: &str, detail: Option<String>| {
        (
            v.to_string(),
            detail,
            CompletionItemKind::ENUM_MEMBER,
            false,
        )
    };
    if key == "marking" && kind == TableKind::Plan {
        return banners(plan);
    }
    if key == "marking" && kind.is_markable() {
        return marking_tokens(prefix);
    }
    if kind == TableKind::Waiver {
        return match key {
            "rule" => registry::RULES
                .iter()
                .filter(|r| r.waivable())
                .map(|r| enum_value(r.code, Some(r.summary.to_string())))
                .collect(),
            "item" => plan
                .map(|p| {
                    std::iter::once("plan")
                        .chain(p.ids())
                        .map(|id| enum_value(id, None))
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
    }
    let Some(spec) = kind.field(key) else {
        return Vec::new();
    };
    match spec.ty {
        FieldType::Enum(values) => values.iter().map(|v| enum_value(v, None)).collect(),
        FieldType::Bool => ["true", "false"]
            .iter()
            .map(|v| (v.to_string(), None, CompletionItemKind::VALUE, true))
            .collect(),
        FieldType::PriorityLinks => plan
            .map(|p| {
                p.priorities
                    .iter()
                    .filter_map(|pr| {
                        let id = val(&pr.id)?;
                        Some((
                            id.clone(),
                            Some(crate::text::sanitize(model::text(&pr.title))),
                            CompletionItemKind::REFERENCE,
                            false,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        FieldType::TechAreas => {
            let list = plan.and_then(|p| p.meta.tech_list()).unwrap_or_default();
            list.areas()
                .iter()
                .map(|a| enum_value(a, Some(catalog::tech_area_title(a))))
                .collect()
        }
        FieldType::GovernanceLinks => governance(text, plan, cursor),
        _ => Vec::new(),
    }
}

/// The agreements and actors of the section's country.
fn governance(text: &str, plan: Option<&Plan>, cursor: &Cursor) -> Vec<Value> {
    let (Some(plan), Some(code)) = (plan, country_code(text, cursor.offset)) else {
        return Vec::new();
    };
    let Some(country) = plan.countries.iter().find(|c| val(&c.code) == Some(&code)) else {
        return Vec::new();
    };
    let agreements = country
        .agreements
        .iter()
        .map(|a| (&a.id, &a.title, "agreement"));
    let actors = country.actors.iter().map(|a| (&a.id, &a.name, "actor"));
    agreements
        .chain(actors)
        .filter_map(|(id, title, noun)| {
            Some((
                val(id)?.clone(),
                Some(format!(
                    "{noun}: {}",
                    crate::text::sanitize(model::text(title))
                )),
                CompletionItemKind::REFERENCE,
                false,
            ))
        })
        .collect()
}

/// Banners, the roll-up of the portions first.
fn banners(plan: Option<&Plan>) -> Vec<Value> {
    let expected = plan.and_then(expected_banner);
    let mut out: Vec<Value> = expected
        .iter()
        .map(|b| {
            let detail = Some("the roll-up of the portions".to_string());
            (b.clone(), detail, CompletionItemKind::VALUE, false)
        })
        .collect();
    for level in Level::ALL {
        let banner = level.banner_str();
        if expected.as_deref() != Some(banner) {
            out.push((
                banner.to_string(),
                None,
                CompletionItemKind::ENUM_MEMBER,
                false,
            ));
        }
    }
    out
}

/// The tokens that may come next in a portion marking whose text before the cursor is
/// `typed`: levels at the start, controls after `//`, country codes in a REL TO list. Each
/// token replaces the whole marking typed so far, so the offer is the marking completed.
fn marking_tokens(typed: &str) -> Vec<Value> {
    let token = |before: &str, t: &str, detail: Option<String>| {
        (
            format!("{before}{t}"),
            detail,
            CompletionItemKind::ENUM_MEMBER,
            false,
        )
    };
    if let Some(at) = typed.rfind("REL TO ") {
        let list = &typed[at..];
        let cut = list.rfind([',', ' ']).map_or(typed.len(), |i| at + i + 1);
        let (before, _) = typed.split_at(cut);
        let lead = if before.ends_with(',') { " " } else { "" };
        let named: Vec<&str> = list["REL TO ".len()..].split(',').map(str::trim).collect();
        // USA first, then trigraphs, then tetragraphs, each in order: only what may come
        // after the last entry written (anything else is SCP204).
        let after = named
            .len()
            .checked_sub(2)
            .and_then(|i| named.get(i))
            .map(|last| marking::rel_key(last));
        return catalog::countries()
            .iter()
            .map(|(code, name)| (*code, Some(name.to_string())))
            .chain(
                TETRAGRAPHS
                    .iter()
                    .map(|t| (*t, Some("tetragraph".to_string()))),
            )
            .filter(|(code, _)| !named.contains(code))
            .filter(|(code, _)| after.is_none_or(|last| marking::rel_key(code) > last))
            .map(|(code, detail)| token(&format!("{before}{lead}"), code, detail))
            .collect();
    }
    match typed.rfind("//") {
        None => Level::ALL
            .iter()
            .map(|l| token("", l.portion_str(), Some(l.banner_str().to_string())))
            .collect(),
        Some(at) => {
            let before = &typed[..at + 2];
            let cui = typed.starts_with("CUI");
            let mut out = vec![
                token(
                    before,
                    "NF",
                    Some("not releasable to foreign nationals".to_string()),
                ),
                token(
                    before,
                    "REL TO USA, ",
                    Some("releasable to the countries listed".to_string()),
                ),
            ];
            if cui {
                out.extend(
                    FIXED_LDCS
                        .iter()
                        .map(|l| token(before, l, Some("CUI dissemination control".to_string()))),
                );
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::load_text;

    const SAMPLE: &str = include_str!("../../plans/eucom-sample.toml");

    /// The labels offered with the cursor after `needle` (after its first `after` bytes).
    fn offered(text: &str, needle: &str, after: usize) -> Vec<String> {
        let plan = load_text(SAMPLE).ok().map(|l| l.plan);
        let offset = text.find(needle).unwrap() + after;
        complete(text, plan.as_ref(), &Cursor::at(text, offset))
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn values_come_from_the_catalogue_and_the_plan() {
        let areas = offered(SAMPLE, "tech_areas = [\"", 14);
        // The list's other entry (applied-ai) is not offered again.
        assert!(areas.contains(&"biomanufacturing".to_string()), "{areas:?}");
        assert!(!areas.contains(&"applied-ai".to_string()), "{areas:?}");
        let kinds = offered(SAMPLE, "kind = \"st\"", 8);
        assert_eq!(kinds, ["st", "sc"]);
        let governance = offered(SAMPLE, "governance = [\"POL", 15);
        assert!(
            !governance.is_empty() && governance.iter().all(|g| g.starts_with("POL-")),
            "{governance:?}"
        );
        let text = SAMPLE.replacen("marking = \"U\"", "marking = \"S//REL TO USA, P\"", 1);
        let rel = offered(&text, "REL TO USA, P", 13);
        assert!(rel.contains(&"S//REL TO USA, POL".to_string()), "{rel:?}");
        assert!(!rel.contains(&"S//REL TO USA, USA".to_string()));
        // After POL only what may follow it: later trigraphs, then tetragraphs.
        let text = SAMPLE.replacen("marking = \"U\"", "marking = \"S//REL TO USA, POL, \"", 1);
        let rel = offered(&text, "REL TO USA, POL, ", 17);
        assert!(
            rel.contains(&"S//REL TO USA, POL, PRT".to_string()),
            "{rel:?}"
        );
        assert!(
            rel.contains(&"S//REL TO USA, POL, FVEY".to_string()),
            "{rel:?}"
        );
        assert!(
            !rel.iter()
                .any(|r| r.ends_with(", ABW") || r.ends_with(", GBR")),
            "{rel:?}"
        );
        let text = SAMPLE.replacen("marking = \"U\"", "marking = \"CUI//\"", 1);
        let controls = offered(&text, "CUI//", 5);
        assert!(
            controls.contains(&"CUI//NF".to_string())
                && controls.contains(&"CUI//FEDCON".to_string())
        );
        let banner = offered(SAMPLE, "marking = \"UNCLASSIFIED\"", 11);
        assert_eq!(banner[0], "UNCLASSIFIED", "the roll-up first");
    }

    #[test]
    fn review_stamp_keys_are_the_objectives_links_with_their_stamps_now() {
        let loaded = load_text(SAMPLE).unwrap();
        let stamps = review::current_stamps(&loaded.plan);
        let links = "  target_date = 2029-09-30\n";
        let inline = SAMPLE.replacen(
            links,
            &format!("{links}  reviewed_links = {{ SP-1 = \"x\",  }}\n"),
            1,
        );
        let plan = load_text(SAMPLE).ok().map(|l| l.plan);
        let at = inline.find("\"x\",  }").unwrap() + 5;
        let items = complete(&inline, plan.as_ref(), &Cursor::at(&inline, at));
        let texts: Vec<&str> = items.iter().map(|i| i.new_text.as_str()).collect();
        let sp3 = format!("SP-3 = \"{}\"", stamps["SP-3"]);
        assert_eq!(
            texts,
            [sp3.as_str()],
            "POL-ST-1 links SP-1 (stamped) and SP-3"
        );
        let header = SAMPLE.replacen(
            links,
            &format!("{links}  [country.objective.reviewed_links]\n  SP-3 = \"y\"\n  S\n"),
            1,
        );
        assert_eq!(offered(&header, "  S\n", 3), ["SP-1"]);
    }

    #[test]
    fn values_inside_inline_tables_are_those_of_the_inline_table() {
        let inline = "[[country]]\ncode = \"POL\"\nagreement = [{ id = \"POL-AG-9\" }]\nobjective = [\n  { id = \"X\", kind = \"s\", priorities = [\"SP-1\", \"SP-\"], governance = [\"\"], indicator = [{ name = \"n\", marking = \"CUI//\" }] },\n]\n";
        let text = format!("{SAMPLE}\n{inline}");
        let ids = offered(&text, "\"SP-\"]", 4);
        assert!(ids.contains(&"SP-2".to_string()), "{ids:?}");
        assert!(ids.iter().all(|id| id.starts_with("SP-")), "{ids:?}");
        assert_eq!(offered(&text, "kind = \"s\"", 9), ["st", "sc"]);
        let controls = offered(&text, "marking = \"CUI//\" }", 16);
        assert!(controls.contains(&"CUI//NF".to_string()), "{controls:?}");
        // Nothing from the country's own keys leaks into the inline table's.
        assert_eq!(
            offered(&text, "code = \"POL\"\nagreement", 8),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_list_in_one_of_several_inline_tables_on_a_line_is_that_tables_own() {
        let inline = "[[country]]\ncode = \"POL\"\nobjective = [{ id = \"X-1\", priorities = [\"SP-1\"], tech_areas = [\"applied-ai\"] }, { id = \"X-2\", priorities = [], tech_areas = [] }]\n";
        let text = format!("{SAMPLE}\n{inline}");
        let ids = offered(&text, "priorities = []", 14);
        assert!(ids.contains(&"SP-1".to_string()), "{ids:?}");
        let areas = offered(&text, "tech_areas = [] }", 14);
        assert!(areas.contains(&"applied-ai".to_string()), "{areas:?}");
    }

    #[test]
    fn keys_of_an_inline_table_not_yet_written() {
        let inline =
            "[[country]]\ncode = \"POL\"\nobjective = [{ id = \"POL-ST-9\", kind = \"st\", t }]\n";
        let text = format!("{SAMPLE}\n{inline}");
        let keys = offered(&text, ", t }", 3);
        assert!(keys.contains(&"text".to_string()), "{keys:?}");
        assert!(keys.contains(&"tech_areas".to_string()), "{keys:?}");
        assert!(keys.contains(&"target_date".to_string()), "{keys:?}");
        assert!(keys.iter().all(|k| k.starts_with('t')), "{keys:?}");
        let all = offered(&text, "\"st\", ", 6);
        assert!(
            !all.contains(&"id".to_string()) && !all.contains(&"kind".to_string()),
            "{all:?}"
        );
        assert!(all.contains(&"priorities".to_string()), "{all:?}");
    }

    #[test]
    fn a_lists_other_entries_are_not_offered_again() {
        let text = SAMPLE.replacen(
            "priorities = [\"SP-1\", \"SP-3\"]",
            "priorities = [\"SP-1\", \"SP-3\", \"SP-\"]",
            1,
        );
        let ids = offered(&text, "\"SP-\"]", 4);
        assert!(!ids.is_empty(), "{ids:?}");
        assert!(
            !ids.contains(&"SP-1".to_string()) && !ids.contains(&"SP-3".to_string()),
            "{ids:?}"
        );
        // The entry under the cursor is offered: it is the one being written.
        let ids = offered(&text, "[\"SP-1\"", 4);
        assert!(ids.contains(&"SP-1".to_string()), "{ids:?}");
    }

    #[test]
    fn keys_of_the_table_not_yet_written() {
        let text = SAMPLE.replacen("[[priority]]\n", "[[priority]]\nmarking_\n", 1);
        assert_eq!(offered(&text, "\nmarking_\n", 9), ["marking_justification"]);
        let text = SAMPLE.replacen("[[priority]]\n", "[[priority]]\n\n", 1);
        let keys = offered(&text, "[[priority]]\n\n", 13);
        assert_eq!(keys, ["marking_justification", "intel", "nf_exception"]);
        let headers = offered(&text, "[[priority]]", 2);
        assert!(headers.contains(&"[[country.objective]]".to_string()));
    }
}
