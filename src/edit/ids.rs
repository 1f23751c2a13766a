//! Ids for new items by the format's rules: priorities `SP-<n>`; objectives `<CODE>-ST-<n>`
//! or `<CODE>-SC-<n>` by kind; agreements `<CODE>-AG-<n>`, actors `<CODE>-AC-<n>`, pools
//! `<CODE>-IP-<n>`; `<n>` the smallest positive integer whose id is not yet used.

use crate::plan::schema::TableKind;

/// The id prefix of new items of `kind` in the country with `code` (`st`: an S&T objective);
/// `None` for tables that have no id.
pub fn prefix(kind: TableKind, code: &str, st: bool) -> Option<String> {
    Some(match kind {
        TableKind::Priority => "SP-".to_string(),
        TableKind::Objective if st => format!("{code}-ST-"),
        TableKind::Objective => format!("{code}-SC-"),
        TableKind::Agreement => format!("{code}-AG-"),
        TableKind::Actor => format!("{code}-AC-"),
        TableKind::Pool => format!("{code}-IP-"),
        _ => return None,
    })
}

/// `<prefix><n>` with the smallest positive `n` for which `used` is false.
pub fn fresh(prefix: &str, used: impl Fn(&str) -> bool) -> String {
    (1u64..)
        .map(|n| format!("{prefix}{n}"))
        .find(|id| !used(id))
        .unwrap_or_else(|| prefix.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_take_the_smallest_free_number_of_their_prefix() {
        let used = ["POL-ST-1", "POL-ST-2", "POL-ST-4", "SP-1"];
        let taken = |id: &str| used.contains(&id);
        let st = prefix(TableKind::Objective, "POL", true).unwrap();
        assert_eq!(fresh(&st, taken), "POL-ST-3");
        let sc = prefix(TableKind::Objective, "POL", false).unwrap();
        assert_eq!(fresh(&sc, taken), "POL-SC-1");
        assert_eq!(
            fresh(&prefix(TableKind::Priority, "", false).unwrap(), taken),
            "SP-2"
        );
        assert_eq!(prefix(TableKind::Indicator, "POL", true), None);
    }
}
