//! SCP006: technology areas that are not on the plan's technology list. The loader reports
//! them as it reads each list; the editor reports them again from the typed plan when the
//! list (`tech_list`) changes, without reading the sections again.

use rustc_hash::FxHashMap;

use crate::plan::catalog::{self, TechList};
use crate::plan::finding::{Finding, Target, Text};
use crate::plan::model::{Country, Head, List, Loc, Opt};

/// The SCP006 finding of each entry of the list `list` (the key `name` of the table `head`,
/// at `loc`) that `tech_list` does not hold.
pub fn findings(
    tech_list: TechList,
    head: &Head,
    name: &str,
    loc: Loc,
    list: &List,
) -> Vec<Finding> {
    let areas = tech_list.areas();
    list.entries
        .iter()
        .filter(|v| !areas.contains(&v.as_str()))
        .map(|v| {
            let (message, help) = explain(tech_list, areas, v);
            Finding::new("SCP006", head.item.as_str(), loc, message)
                .with_help(help)
                .at(head.node, Some(name))
        })
        .collect()
}

/// What is said of each area read against one list, worked out once per area (`None`: the
/// area is on the list): a change of the list can draw a finding for most of a large plan's
/// areas, which repeat, and each is then looked up without a copy.
#[derive(Debug, Default)]
pub struct Explained {
    said: FxHashMap<String, Option<(Text, Text)>>,
}

/// The SCP006 findings of a country section read against `tech_list` (none without one).
pub fn section_findings(
    tech_list: Option<TechList>,
    country: &Country,
    explained: &mut Explained,
) -> Vec<Finding> {
    let Some(tech_list) = tech_list else {
        return Vec::new();
    };
    let lists = country
        .objectives
        .iter()
        .map(|o| (&o.head, &o.tech_areas))
        .chain(country.pools.iter().map(|p| (&p.head, &p.tech_areas)));
    let areas = tech_list.areas();
    let key = Text::from("tech_areas");
    let mut out = Vec::new();
    for (head, field) in lists {
        let Some((list, loc)) = present(field) else {
            continue;
        };
        for value in &list.entries {
            let said = match explained.said.get(value.as_str()) {
                Some(said) => said,
                None => {
                    let said = (!areas.contains(&value.as_str())).then(|| {
                        let (message, help) = explain(tech_list, areas, value);
                        (message.into(), help.into())
                    });
                    explained.said.entry(value.clone()).or_insert(said)
                }
            };
            if let Some((message, help)) = said {
                out.push(Finding {
                    code: "SCP006",
                    message: message.clone(),
                    help: Some(help.clone()),
                    item: head.item.as_str().into(),
                    loc,
                    target: Target {
                        node: Some(head.node),
                        field: Some(key.clone()),
                        names: None,
                    },
                });
            }
        }
    }
    out
}

/// A list field that holds a list.
fn present(field: &Opt<List>) -> Option<(&List, Loc)> {
    let field = field.as_ref()?;
    Some((field.value.as_ref()?, field.loc))
}

/// What is wrong with `value` and what to do.
fn explain(tech_list: TechList, areas: &[&str], value: &str) -> (String, String) {
    match tech_list {
        TechList::Y2025 if catalog::TECH_AREAS_2022.contains(&value) => {
            match catalog::successor_2025(value) {
                Some(next) => (
                    format!("`{value}` is a 2022 technology area; the plan uses the 2025 list"),
                    format!("its 2025 successor is \"{next}\" (or set tech_list = \"2022\")"),
                ),
                None => (
                    format!("`{value}` is a 2022 technology area with no 2025 successor"),
                    format!(
                        "choose one of {} or set tech_list = \"2022\"",
                        areas.join(", ")
                    ),
                ),
            }
        }
        TechList::Y2022 if catalog::TECH_AREAS_2025.contains(&value) => (
            format!("`{value}` is a 2025 technology area; the plan uses the 2022 list"),
            "set tech_list = \"2025\" or use a 2022 area".to_string(),
        ),
        _ => (
            format!(
                "`{value}` is not a technology area of the {} list",
                match tech_list {
                    TechList::Y2025 => "2025",
                    TechList::Y2022 => "2022",
                }
            ),
            match catalog::closest(value, areas.iter().copied()) {
                Some(best) => format!("did you mean \"{best}\"?"),
                None => format!("known areas: {}", areas.join(", ")),
            },
        ),
    }
}
