//! The markings that messages and help suggest: each one parses and has no SCP204 problem, so
//! that following the advice fixes the marking instead of trading one diagnostic for another.

use crate::plan::catalog;
use crate::plan::marking::{self, Level, Marking};

/// What SCP201 suggests when a marking cannot be rewritten without changing what it says.
pub const EXAMPLES: &str = "write e.g. `U`, `CUI//SP-EXPT`, `S//NF` or `S//REL TO USA, GBR`";

/// Whether a portion marking parses and has no SCP204 problem.
pub fn is_clean(portion: &str) -> bool {
    marking::parse_portion(portion)
        .is_ok_and(|m| marking::problems(&m, portion, &catalog::is_country).is_empty())
}

/// Whether a REL TO list may name `entry` after USA: a country's trigraph or a recognised
/// tetragraph (the list `USA, entry` has no problem).
fn releasable_entry(entry: &str) -> bool {
    entry != "USA" && is_clean(&format!("S//REL TO USA, {entry}"))
}

/// A parsed marking as it should be written (SCP204): groups and entries in order, no repeats,
/// NF or REL TO but not both, a REL TO list that starts with USA and names only known codes;
/// a list left naming no one but USA releases to no one, so the marking goes without it.
/// `None` if even that is not clean.
pub fn fixed(m: &Marking) -> Option<String> {
    let mut fixed = m.clone();
    if let Some(list) = fixed.rel_to.take() {
        let mut kept: Vec<String> = Vec::with_capacity(list.len() + 1);
        for entry in list {
            if releasable_entry(&entry) && !kept.contains(&entry) {
                kept.push(entry);
            }
        }
        if !kept.is_empty() {
            // NF and REL TO exclude each other: REL TO is the narrower, usual choice.
            fixed.nf = false;
            kept.insert(0, "USA".to_string());
            fixed.rel_to = Some(kept);
        }
    }
    let written = marking::portion_string(&fixed);
    is_clean(&written).then_some(written)
}

/// A marking that cannot be parsed, rewritten without changing what it says: upper case, the
/// level in portion form, NF for NOFORN, no empty groups or entries, no repeats, the category
/// group before the control group; then as [`fixed`] writes it. `None` when it says something
/// no rewrite keeps (a word that is no category or control, a control its level does not take,
/// anything after U), or when the result is not clean.
pub fn repair(raw: &str) -> Option<String> {
    let upper = raw.trim().to_ascii_uppercase();
    let mut groups = upper.split("//");
    let head = groups
        .next()?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let level = Level::ALL
        .into_iter()
        .find(|l| l.portion_str() == head || l.banner_str() == head)?;
    let mut categories: Vec<&str> = Vec::new();
    let mut controls: Vec<&str> = Vec::new();
    let entries = groups
        .flat_map(|group| group.split('/'))
        .map(str::trim)
        .filter(|entry| !entry.is_empty());
    for entry in entries {
        let entry = if entry == "NOFORN" { "NF" } else { entry };
        // What the entry is, and whether the level takes it, as the parser reads it alone.
        let alone = marking::parse_portion(&format!("{}//{entry}", level.portion_str())).ok()?;
        let group = if alone.categories.is_empty() {
            &mut controls
        } else {
            &mut categories
        };
        if !group.contains(&entry) {
            group.push(entry);
        }
    }
    let mut written = level.portion_str().to_string();
    for group in [categories, controls] {
        if !group.is_empty() {
            written.push_str("//");
            written.push_str(&group.join("/"));
        }
    }
    fixed(&marking::parse_portion(&written).ok()?)
}

#[cfg(test)]
mod tests {
    use super::{fixed, repair};
    use crate::plan::marking::parse_portion;

    fn fix(s: &str) -> Option<String> {
        fixed(&parse_portion(s).ok()?)
    }

    #[test]
    fn fixed_markings_are_clean() {
        assert_eq!(fix("CUI//REL TO USA").as_deref(), Some("CUI"));
        assert_eq!(fix("S//REL TO USA, USA").as_deref(), Some("S"));
        assert_eq!(fix("S//REL TO USA, XYZ").as_deref(), Some("S"));
        assert_eq!(fix("S//NF/REL TO USA").as_deref(), Some("S//NF"));
        assert_eq!(
            fix("S//REL TO GBR,USA, ABCD, NATO").as_deref(),
            Some("S//REL TO USA, GBR, NATO")
        );
        assert_eq!(
            fix("S//NF/REL TO POL").as_deref(),
            Some("S//REL TO USA, POL")
        );
    }

    #[test]
    fn repairs_keep_what_the_marking_says() {
        for (raw, repaired) in [
            ("CUI//NF//SP-EXPT", "CUI//SP-EXPT//NF"),
            ("CUI//SP-EXPT/NF", "CUI//SP-EXPT//NF"),
            ("CUI//NOFORN", "CUI//NF"),
            ("SECRET//NF", "S//NF"),
            ("top  secret", "TS"),
            ("s//nf", "S//NF"),
            (" S//NF ", "S//NF"),
            ("S////NF", "S//NF"),
            ("S//NF/NF", "S//NF"),
            ("CUI//SP-EXPT//PRVCY", "CUI//SP-EXPT/PRVCY"),
            ("CUI//NF//FEDCON", "CUI//NF/FEDCON"),
            ("S//REL TO USA, GBR/NOFORN", "S//REL TO USA, GBR"),
        ] {
            assert_eq!(repair(raw).as_deref(), Some(repaired), "{raw:?}");
        }
        // Nothing that would drop or invent what the author wrote.
        for raw in [
            "BOGUS",
            "U//NF",
            "S//FEDCON",
            "CUI//NO CON",
            "S//REL TO",
            "//NF",
        ] {
            assert_eq!(repair(raw), None, "{raw:?}");
        }
    }
}
