//! Links from an item to others: an objective's priorities and governance (agreements and
//! actors of its country), technology areas from the plan's list. What may be linked, with
//! what is linked now, and the edit that sets the links chosen.

use toml_edit::{Array, Value};

use super::change::Change;
use super::value;
use crate::plan::catalog;
use crate::plan::document::{Edit, PlanDocument};
use crate::plan::model::{Node, Plan, text, val};
use crate::plan::schema::FieldType;

/// Why there is nothing to link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The field is not a list of links.
    #[error("`{0}` is not a list of links")]
    NotLinks(String),
    /// The item is not in the plan.
    #[error("no such item")]
    NoItem,
    /// Governance links name agreements and actors, and the country has none.
    #[error("{0} has no agreement or actor yet: add one to the section first")]
    NoGovernance(String),
}

/// One id a link field may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOption {
    /// The id.
    pub value: String,
    /// The id and the title of what it names.
    pub label: String,
    /// The field links it now.
    pub selected: bool,
}

/// Every id that `field` of `node` may link, those it links now selected. Links that name
/// nothing known stay on offer (labelled unknown), so that setting the links chosen does
/// not drop them silently.
pub fn options(
    doc: &PlanDocument,
    plan: &Plan,
    node: Node,
    field: &str,
) -> Result<Vec<LinkOption>, LinkError> {
    let ty = node.kind().field(field).map(|spec| spec.ty);
    // The country whose agreements and actors governance links name.
    let mut governed = None;
    let mut values: Vec<(String, String)> = match ty {
        Some(FieldType::PriorityLinks) => plan
            .priorities
            .iter()
            .filter_map(|p| val(&p.id).map(|id| (id.clone(), format!("{id}  {}", text(&p.title)))))
            .collect(),
        Some(FieldType::TechAreas) => {
            let list = plan.meta.tech_list().unwrap_or_default();
            list.areas()
                .iter()
                .map(|a| {
                    let title = catalog::tech_area_title(a);
                    (a.to_string(), format!("{a}  {title}"))
                })
                .collect()
        }
        Some(FieldType::GovernanceLinks) => {
            let country = node
                .country()
                .and_then(|c| plan.countries.get(c))
                .ok_or(LinkError::NoItem)?;
            governed = Some(&country.head.item);
            let agreements = country.agreements.iter().map(|a| (&a.id, &a.title));
            let actors = country.actors.iter().map(|a| (&a.id, &a.name));
            agreements
                .chain(actors)
                .filter_map(|(id, title)| {
                    val(id).map(|id| (id.clone(), format!("{id}  {}", text(title))))
                })
                .collect()
        }
        _ => return Err(LinkError::NotLinks(field.to_string())),
    };
    let chosen = value::strings(doc.get(node, field));
    for c in &chosen {
        if !values.iter().any(|(v, _)| v == c) {
            values.push((c.clone(), format!("{c}  (unknown)")));
        }
    }
    if let Some(country) = governed.filter(|_| values.is_empty()) {
        return Err(LinkError::NoGovernance(country.clone()));
    }
    Ok(values
        .into_iter()
        .map(|(value, label)| LinkOption {
            selected: chosen.contains(&value),
            value,
            label,
        })
        .collect())
}

/// Setting `field` of `node` to link `chosen`, and the links it then holds: those it links
/// now and still chosen, in their order, then those newly chosen, in the order given (each
/// entry kept as it is written, see [`value::keep_layout`]); `None` when it links them already.
pub fn set(
    doc: &PlanDocument,
    node: Node,
    field: &str,
    chosen: &[&str],
) -> Option<(Change, Vec<String>)> {
    let current = doc.get(node, field);
    let had = value::strings(current);
    let mut links: Vec<String> = had
        .iter()
        .filter(|h| chosen.contains(&h.as_str()))
        .cloned()
        .collect();
    for c in chosen {
        if !links.iter().any(|l| l == c) {
            links.push((*c).to_string());
        }
    }
    if links == had && (current.is_some() || links.is_empty()) {
        return None;
    }
    let array: Array = links.iter().map(String::as_str).collect();
    let edit = Edit::SetField {
        node,
        field: field.to_string(),
        value: Some(value::keep_layout(current, Value::Array(array))),
    };
    Some((Change::new(edit, format!("{field} set")), links))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::Collection;

    fn doc() -> PlanDocument {
        PlanDocument::from_bytes(include_bytes!("../../plans/eucom-sample.toml")).unwrap()
    }

    #[test]
    fn priority_options_select_what_is_linked_and_keep_unknown_links() {
        let mut d = doc();
        let plan = d.load().plan;
        let node = Node::Item(Collection::Objectives(0), 0);
        let linked = value::strings(d.get(node, "priorities"));
        let offered = options(&d, &plan, node, "priorities").unwrap();
        assert_eq!(offered.len(), plan.priorities.len());
        for o in &offered {
            assert_eq!(o.selected, linked.contains(&o.value), "{o:?}");
        }
        let chosen: Vec<&str> = linked.iter().map(String::as_str).collect();
        assert!(set(&d, node, "priorities", &chosen).is_none(), "unchanged");
        let (change, links) = set(&d, node, "priorities", &["SP-404"]).unwrap();
        assert_eq!(links, ["SP-404"]);
        assert_eq!(change.message, "priorities set");
        d.apply(change.edit).unwrap();
        let plan = d.load().plan;
        let offered = options(&d, &plan, node, "priorities").unwrap();
        let unknown = offered.iter().find(|o| o.value == "SP-404").unwrap();
        assert!(unknown.selected && unknown.label.ends_with("(unknown)"));
        assert!(matches!(
            options(&d, &plan, node, "text"),
            Err(LinkError::NotLinks(_))
        ));
    }

    #[test]
    fn links_chosen_keep_the_order_and_the_comments_they_are_written_with() {
        let text = "[[country]]\ncode = \"POL\"\n\n[[country.objective]]\nid = \"POL-ST-1\"\npriorities = [\n  \"SP-4\",  # first\n  \"SP-3\",  # second\n]\n";
        let mut d = PlanDocument::from_bytes(text.as_bytes()).unwrap();
        let node = Node::Item(Collection::Objectives(0), 0);
        // Chosen in the picker's order (by id): the written order stays, the new one last.
        let (change, links) = set(&d, node, "priorities", &["SP-1", "SP-3", "SP-4"]).unwrap();
        assert_eq!(links, ["SP-4", "SP-3", "SP-1"]);
        d.apply(change.edit).unwrap();
        assert!(
            d.to_text().ends_with(
                "priorities = [\n  \"SP-4\",  # first\n  \"SP-3\",  # second\n  \"SP-1\",\n]\n"
            ),
            "{}",
            d.to_text()
        );
    }

    #[test]
    fn governance_needs_an_agreement_or_an_actor() {
        let text = "[plan]\nid = \"P\"\n\n[[country]]\ncode = \"POL\"\n\n[[country.objective]]\nid = \"POL-ST-1\"\nkind = \"st\"\n";
        let d = PlanDocument::from_bytes(text.as_bytes()).unwrap();
        let plan = d.load().plan;
        let node = Node::Item(Collection::Objectives(0), 0);
        assert_eq!(
            options(&d, &plan, node, "governance"),
            Err(LinkError::NoGovernance("POL".to_string()))
        );
        let areas = options(&d, &plan, node, "tech_areas").unwrap();
        assert!(!areas.is_empty() && areas.iter().all(|o| !o.selected));
        assert!(
            set(&d, node, "governance", &[]).is_none(),
            "absent stays absent"
        );
        assert!(set(&d, node, "governance", &["POL-AG-1"]).is_some());
    }
}
