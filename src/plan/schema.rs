//! The shape of every table of the plan format: which keys it takes, their types, which are
//! required. The loader, `scplan set` and the editor's forms all read this one table.

use super::catalog;

/// The kinds of table in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TableKind {
    /// `[plan]`.
    Plan,
    /// `[plan.cui]`, the CUI designation indicator.
    Cui,
    /// `[[priority]]`.
    Priority,
    /// `[[country]]`.
    Country,
    /// `[[country.objective]]`.
    Objective,
    /// `[[country.objective.indicator]]`.
    Indicator,
    /// `[[country.agreement]]`.
    Agreement,
    /// `[[country.actor]]`.
    Actor,
    /// `[[country.investment_pool]]`.
    Pool,
    /// `[[country.barrier]]`.
    Barrier,
    /// `[[waiver]]`.
    Waiver,
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A string.
    Text,
    /// A string from a fixed list.
    Enum(&'static [&'static str]),
    /// An integer.
    Integer,
    /// An integer percentage, 0 to 100.
    Percent,
    /// A boolean.
    Bool,
    /// A TOML local date.
    Date,
    /// An array of strings.
    TextList,
    /// An array of priority ids.
    PriorityLinks,
    /// An array of technology area ids of the plan's list.
    TechAreas,
    /// An array of agreement or actor ids of the same country.
    GovernanceLinks,
}

impl FieldType {
    /// A short phrase naming the expected TOML type, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Text | FieldType::Enum(_) => "a string",
            FieldType::Integer => "an integer",
            FieldType::Percent => "an integer from 0 to 100",
            FieldType::Bool => "true or false",
            FieldType::Date => "a local date such as 2026-10-01",
            FieldType::TextList
            | FieldType::PriorityLinks
            | FieldType::TechAreas
            | FieldType::GovernanceLinks => "an array of strings",
        }
    }

    /// Whether the value is an array of strings.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            FieldType::TextList
                | FieldType::PriorityLinks
                | FieldType::TechAreas
                | FieldType::GovernanceLinks
        )
    }
}

/// One key of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// Whether SCP002 fires when it is absent.
    pub required: bool,
    /// Whether SCP009 fires when it is blank.
    pub not_blank: bool,
}

const fn f(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: false,
        not_blank: false,
    }
}

const fn req(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: true,
        not_blank: false,
    }
}

/// A required text that must not be blank (SCP009).
const fn text(name: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        ty: FieldType::Text,
        required: true,
        not_blank: true,
    }
}

const PLAN: &[FieldSpec] = &[
    req("format", FieldType::Integer),
    text("id"),
    text("title"),
    req("command", FieldType::Enum(catalog::COMMANDS)),
    text("version"),
    req("effective", FieldType::Date),
    f("period_end", FieldType::Date),
    req("marking", FieldType::Text),
    f(
        "marking_profile",
        FieldType::Enum(catalog::MARKING_PROFILES),
    ),
    f("tech_list", FieldType::Enum(catalog::TECH_LISTS)),
    f("prepared_by", FieldType::Text),
];

const CUI: &[FieldSpec] = &[
    text("controlled_by"),
    req("categories", FieldType::TextList),
    f("dissemination", FieldType::Text),
    text("poc"),
];

const PRIORITY: &[FieldSpec] = &[
    text("id"),
    text("title"),
    text("source"),
    f("description", FieldType::Text),
    f("marking", FieldType::Text),
    f("marking_justification", FieldType::Text),
    f("intel", FieldType::Bool),
    f("nf_exception", FieldType::Enum(catalog::NF_EXCEPTIONS)),
];

const COUNTRY: &[FieldSpec] = &[
    req("code", FieldType::Text),
    text("name"),
    f("summary", FieldType::Text),
    f("strengths", FieldType::TextList),
    f("marking", FieldType::Text),
    f("marking_justification", FieldType::Text),
    f("intel", FieldType::Bool),
    f("nf_exception", FieldType::Enum(catalog::NF_EXCEPTIONS)),
];

const OBJECTIVE: &[FieldSpec] = &[
    text("id"),
    req("kind", FieldType::Enum(catalog::OBJECTIVE_KINDS)),
    text("text"),
    f("priorities", FieldType::PriorityLinks),
    f("tech_areas", FieldType::TechAreas),
    f("governance", FieldType::GovernanceLinks),
    f("target_date", FieldType::Date),
    f("marking", FieldType::Text),
    f("marking_justification", FieldType::Text),
    f("intel", FieldType::Bool),
    f("nf_exception", FieldType::Enum(catalog::NF_EXCEPTIONS)),
];

const INDICATOR: &[FieldSpec] = &[
    text("name"),
    f("baseline", FieldType::Text),
    f("target", FieldType::Text),
    f("marking", FieldType::Text),
    f("marking_justification", FieldType::Text),
    f("intel", FieldType::Bool),
    f("nf_exception", FieldType::Enum(catalog::NF_EXCEPTIONS)),
];

const AGREEMENT: &[FieldSpec] = &[
    text("id"),
    req("kind", FieldType::Enum(catalog::AGREEMENT_KINDS)),
    text("title"),
    f("signed", FieldType::Date),
    f("expires", FieldType::Date),
    f("last_reviewed", FieldType::Date),
    f("marking", FieldType::Text),
    f("marking_justification", FieldType::Text),
    f("intel", FieldType::Bool),
    f("nf_exception", FieldType::Enum(catalog::NF_EXCEPTIONS)),
];

const ACTOR: &[FieldSpec] = &[
    text("id"),
    text("name"),
    req("kind", FieldType::Enum(catalog::ACTOR_KINDS)),
    f("role", FieldType::Text),
    f("last_reviewed", FieldType::Date),
    f("marking", FieldType::Text),
    f("marking_justification", FieldType::Text),
    f("intel", FieldType::Bool),
    f("nf_exception", FieldType::Enum(catalog::NF_EXCEPTIONS)),
];

const POOL: &[FieldSpec] = &[
    text("id"),
    text("name"),
    f("tech_areas", FieldType::TechAreas),
    f("us_share", FieldType::Percent),
    f("ip_terms", FieldType::Text),
    f("marking", FieldType::Text),
    f("marking_justification", FieldType::Text),
    f("intel", FieldType::Bool),
    f("nf_exception", FieldType::Enum(catalog::NF_EXCEPTIONS)),
];

const BARRIER: &[FieldSpec] = &[
    req("kind", FieldType::Enum(catalog::BARRIER_KINDS)),
    text("text"),
    f("mitigation", FieldType::Text),
    f("marking", FieldType::Text),
    f("marking_justification", FieldType::Text),
    f("intel", FieldType::Bool),
    f("nf_exception", FieldType::Enum(catalog::NF_EXCEPTIONS)),
];

const WAIVER: &[FieldSpec] = &[
    req("rule", FieldType::Text),
    req("item", FieldType::Text),
    text("reason"),
    f("approved_by", FieldType::Text),
    f("expires", FieldType::Date),
];

impl TableKind {
    /// The keys this table takes (not its sub-tables).
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TableKind::Plan => PLAN,
            TableKind::Cui => CUI,
            TableKind::Priority => PRIORITY,
            TableKind::Country => COUNTRY,
            TableKind::Objective => OBJECTIVE,
            TableKind::Indicator => INDICATOR,
            TableKind::Agreement => AGREEMENT,
            TableKind::Actor => ACTOR,
            TableKind::Pool => POOL,
            TableKind::Barrier => BARRIER,
            TableKind::Waiver => WAIVER,
        }
    }

    /// The spec of one key of this table.
    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|spec| spec.name == name)
    }

    /// The sub-tables this table holds, each stored under its [`TableKind::key`].
    pub fn children(self) -> &'static [TableKind] {
        match self {
            TableKind::Plan => &[TableKind::Cui],
            TableKind::Country => &[
                TableKind::Objective,
                TableKind::Agreement,
                TableKind::Actor,
                TableKind::Pool,
                TableKind::Barrier,
            ],
            TableKind::Objective => &[TableKind::Indicator],
            _ => &[],
        }
    }

    /// The key under which tables of this kind are stored in their parent (`investment_pool`).
    pub fn key(self) -> &'static str {
        match self {
            TableKind::Plan => "plan",
            TableKind::Cui => "cui",
            TableKind::Priority => "priority",
            TableKind::Country => "country",
            TableKind::Objective => "objective",
            TableKind::Indicator => "indicator",
            TableKind::Agreement => "agreement",
            TableKind::Actor => "actor",
            TableKind::Pool => "investment_pool",
            TableKind::Barrier => "barrier",
            TableKind::Waiver => "waiver",
        }
    }

    /// Every key name this table knows, sub-tables included.
    pub fn known_keys(self) -> impl Iterator<Item = &'static str> {
        self.fields()
            .iter()
            .map(|spec| spec.name)
            .chain(self.children().iter().map(|kind| kind.key()))
    }

    /// How the table is written as a header (`[[country.objective]]`).
    pub fn header(self) -> &'static str {
        match self {
            TableKind::Plan => "[plan]",
            TableKind::Cui => "[plan.cui]",
            TableKind::Priority => "[[priority]]",
            TableKind::Country => "[[country]]",
            TableKind::Objective => "[[country.objective]]",
            TableKind::Indicator => "[[country.objective.indicator]]",
            TableKind::Agreement => "[[country.agreement]]",
            TableKind::Actor => "[[country.actor]]",
            TableKind::Pool => "[[country.investment_pool]]",
            TableKind::Barrier => "[[country.barrier]]",
            TableKind::Waiver => "[[waiver]]",
        }
    }

    /// The word for one item of this kind ("objective", "investment pool").
    pub fn noun(self) -> &'static str {
        match self {
            TableKind::Cui => "CUI block",
            TableKind::Pool => "investment pool",
            other => other.key(),
        }
    }

    /// The key whose string value names a table of this kind (`id`, `code` for a country);
    /// `None` for tables named by their parent (indicators, barriers) or not named at all.
    pub fn id_key(self) -> Option<&'static str> {
        match self {
            TableKind::Country => Some("code"),
            TableKind::Priority
            | TableKind::Objective
            | TableKind::Agreement
            | TableKind::Actor
            | TableKind::Pool => Some("id"),
            _ => None,
        }
    }

    /// Whether a plan holds at most one table of this kind (`[plan]`, `[plan.cui]`) rather
    /// than an array of them.
    pub fn is_single(self) -> bool {
        matches!(self, TableKind::Plan | TableKind::Cui)
    }

    /// Whether the table takes the portion-marking fields.
    pub fn is_markable(self) -> bool {
        !matches!(self, TableKind::Plan | TableKind::Cui | TableKind::Waiver)
    }
}

/// The tables at the top of a plan file, each stored under its [`TableKind::key`].
pub const ROOT_CHILDREN: &[TableKind] = &[
    TableKind::Plan,
    TableKind::Priority,
    TableKind::Country,
    TableKind::Waiver,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markable_tables_take_the_four_marking_fields() {
        for kind in [
            TableKind::Priority,
            TableKind::Country,
            TableKind::Objective,
            TableKind::Indicator,
            TableKind::Agreement,
            TableKind::Actor,
            TableKind::Pool,
            TableKind::Barrier,
        ] {
            assert!(kind.is_markable());
            for name in ["marking", "marking_justification", "intel", "nf_exception"] {
                assert!(kind.field(name).is_some(), "{kind:?} lacks {name}");
            }
        }
        assert!(TableKind::Plan.field("intel").is_none());
        assert!(TableKind::Waiver.field("marking").is_none());
    }
}
