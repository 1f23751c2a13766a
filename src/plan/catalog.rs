//! Enumerations of the plan format: commands, kinds, critical-technology lists and
//! ISO 3166-1 alpha-3 country codes.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Combatant commands a plan may belong to.
pub const COMMANDS: &[&str] = &[
    "USAFRICOM",
    "USCENTCOM",
    "USEUCOM",
    "USINDOPACOM",
    "USNORTHCOM",
    "USSOUTHCOM",
];

/// Kinds of objective: science & technology, or other security cooperation.
pub const OBJECTIVE_KINDS: &[&str] = &["st", "sc"];

/// Kinds of agreement.
pub const AGREEMENT_KINDS: &[&str] = &[
    "mou",
    "project-arrangement",
    "information-exchange",
    "cooperative-rdte",
    "equipment-loan",
    "other",
];

/// Kinds of partner organisation (actor).
pub const ACTOR_KINDS: &[&str] = &["ministry", "lab", "university", "company", "forum", "fund"];

/// Kinds of barrier to cooperation.
pub const BARRIER_KINDS: &[&str] = &[
    "export-control",
    "industrial-policy",
    "intellectual-property",
    "classification",
    "information-sharing",
    "geopolitical",
    "other",
];

/// Lawful NOFORN exceptions outside intelligence information.
pub const NF_EXCEPTIONS: &[&str] = &["NNPI", "NDP-1", "DCNI"];

/// How CUI banners are written.
pub const MARKING_PROFILES: &[&str] = &["dod", "nara"];

/// Which critical-technology list a plan uses.
pub const TECH_LISTS: &[&str] = &["2025", "2022"];

/// The six critical technology areas named by USD(R&E) in November 2025.
pub const TECH_AREAS_2025: &[&str] = &[
    "applied-ai",
    "biomanufacturing",
    "contested-logistics",
    "quantum-battlefield-information-dominance",
    "scaled-directed-energy",
    "scaled-hypersonics",
];

/// The fourteen critical technology areas of 2022.
pub const TECH_AREAS_2022: &[&str] = &[
    "biotechnology",
    "quantum-science",
    "future-generation-wireless",
    "advanced-materials",
    "trusted-ai-and-autonomy",
    "integrated-network-systems-of-systems",
    "microelectronics",
    "space-technology",
    "renewable-energy-generation-and-storage",
    "advanced-computing-and-software",
    "human-machine-interfaces",
    "directed-energy",
    "hypersonics",
    "integrated-sensing-and-cyber",
];

/// Which critical-technology list a plan uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TechList {
    /// The 2025 list (the default).
    #[default]
    Y2025,
    /// The 2022 list.
    Y2022,
}

impl TechList {
    /// Parses the `tech_list` value.
    pub fn parse(s: &str) -> Option<TechList> {
        [TechList::Y2025, TechList::Y2022]
            .into_iter()
            .find(|l| l.name() == s)
    }

    /// The value as written in `tech_list`.
    pub fn name(self) -> &'static str {
        match self {
            TechList::Y2025 => "2025",
            TechList::Y2022 => "2022",
        }
    }

    /// The technology area ids of this list.
    pub fn areas(self) -> &'static [&'static str] {
        match self {
            TechList::Y2025 => TECH_AREAS_2025,
            TechList::Y2022 => TECH_AREAS_2022,
        }
    }
}

/// The 2025 successor of a 2022 technology area, where there is one.
pub fn successor_2025(area_2022: &str) -> Option<&'static str> {
    Some(match area_2022 {
        "directed-energy" => "scaled-directed-energy",
        "hypersonics" => "scaled-hypersonics",
        "biotechnology" => "biomanufacturing",
        "quantum-science" => "quantum-battlefield-information-dominance",
        "trusted-ai-and-autonomy"
        | "advanced-computing-and-software"
        | "human-machine-interfaces" => "applied-ai",
        _ => return None,
    })
}

/// A readable title for a technology area id ("applied-ai" -> "Applied AI").
pub fn tech_area_title(id: &str) -> String {
    id.split('-')
        .map(|word| match word {
            "ai" => "AI".to_string(),
            "and" | "of" => word.to_string(),
            _ => {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const ISO_TABLE: &str = include_str!("../../assets/iso3166-1-alpha3.tsv");

/// Every ISO 3166-1 alpha-3 code with its English short name, in code order.
pub fn countries() -> &'static [(&'static str, &'static str)] {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| {
        ISO_TABLE
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .filter_map(|line| line.split_once('\t'))
            .collect()
    })
}

/// The English short name of an ISO 3166-1 alpha-3 code.
pub fn country_name(code: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| countries().iter().copied().collect())
        .get(code)
        .copied()
}

/// Whether `code` is an ISO 3166-1 alpha-3 code.
pub fn is_country(code: &str) -> bool {
    country_name(code).is_some()
}

/// Whether `code` can name a partner's country section: an ISO 3166-1 alpha-3 code other
/// than `USA` (SCP007).
pub fn is_partner(code: &str) -> bool {
    code != "USA" && is_country(code)
}

/// The candidate closest to `value` by edit distance (transpositions count once), if it is
/// close enough to be a likely typo: at most a third of the longer string, at least one.
pub fn closest<'a, I>(value: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = value.to_ascii_lowercase();
    let len = value.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let c_len = c.chars().count();
            let limit = (len.max(c_len) / 3).max(1);
            // The distance is at least the difference in length: a huge value is compared
            // with nothing rather than at length x length cost.
            if len.abs_diff(c_len) > limit {
                return None;
            }
            let d = strsim::osa_distance(&lower, &c.to_ascii_lowercase());
            (d <= limit && (d > 0 || c != value)).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_table_has_every_code_once_and_names() {
        let list = countries();
        assert_eq!(list.len(), 249);
        assert_eq!(country_name("POL"), Some("Poland"));
        assert_eq!(country_name("USA"), Some("United States"));
        assert!(!is_country("XYZ"));
        let mut codes: Vec<_> = list.iter().map(|(c, _)| *c).collect();
        codes.dedup();
        assert_eq!(codes.len(), 249);
    }

    #[test]
    fn successors_are_2025_areas() {
        for area in TECH_AREAS_2022 {
            if let Some(next) = successor_2025(area) {
                assert!(TECH_AREAS_2025.contains(&next), "{area} -> {next}");
            }
        }
        assert_eq!(successor_2025("hypersonics"), Some("scaled-hypersonics"));
        assert_eq!(successor_2025("microelectronics"), None);
    }

    #[test]
    fn closest_finds_typos_not_strangers() {
        assert_eq!(
            closest("USEUCOM2", COMMANDS.iter().copied()),
            Some("USEUCOM")
        );
        assert_eq!(closest("titel", ["title", "id"]), Some("title"));
        assert_eq!(closest("zzzzzz", ["title", "id"]), None);
        assert_eq!(closest("ST", OBJECTIVE_KINDS.iter().copied()), Some("st"));
    }

    #[test]
    fn titles_read_well() {
        assert_eq!(tech_area_title("applied-ai"), "Applied AI");
        assert_eq!(
            tech_area_title("integrated-network-systems-of-systems"),
            "Integrated Network Systems of Systems"
        );
    }
}
