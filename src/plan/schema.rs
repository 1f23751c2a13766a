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
    /// `[plan.authority]`, the classification authority block.
    Authority,
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
    /// A TOML local date, or a non-blank string (an event or an exemption).
    DateOrText,
    /// An array of strings.
    TextList,
    /// An array of priority ids.
    PriorityLinks,
    /// An array of technology area ids of the plan's list.
    TechAreas,
    /// An array of agreement or actor ids of the same country.
    GovernanceLinks,
    /// A table from priority id to review stamp (8 lower-case hex digits): an inline table or
    /// a sub-table.
    Stamps,
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
            FieldType::DateOrText => {
                "a local date such as 2051-10-01, or a string naming an event or exemption"
            }
            FieldType::TextList
            | FieldType::PriorityLinks
            | FieldType::TechAreas
            | FieldType::GovernanceLinks => "an array of strings",
            FieldType::Stamps => {
                "a table of priority ids to stamps, such as { SP-1 = \"3f9a0c1e\" }"
            }
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

/// One key of a table: everything the loader, the JSON Schema, the editor's forms, `get`/`set`
/// and the exports need to know about it, declared once.
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
    /// Whether the editor opens it in a multi-line text editor.
    pub multiline: bool,
    /// Whether it is one of the portion-marking keys of a markable table.
    pub portion: bool,
    /// Its label in exports and in the editor's form ("IP terms").
    pub label: &'static str,
    /// What it holds, in one line: the editor's help line and the schema's description.
    pub help: &'static str,
}

impl FieldSpec {
    /// A key that may be absent.
    const fn optional(name: &'static str, ty: FieldType, label: &'static str) -> FieldSpec {
        FieldSpec {
            name,
            ty,
            required: false,
            not_blank: false,
            multiline: false,
            portion: false,
            label,
            help: "",
        }
    }

    /// Makes the key required (SCP002 when absent).
    const fn required(mut self) -> FieldSpec {
        self.required = true;
        self
    }

    /// Makes a blank value SCP009 without making the key required.
    const fn no_blank(mut self) -> FieldSpec {
        self.not_blank = true;
        self
    }

    /// Makes the key a required text that must not be blank (SCP002, SCP009).
    const fn not_blank(mut self) -> FieldSpec {
        self.required = true;
        self.not_blank = true;
        self
    }

    /// Edits the key as several lines.
    const fn lines(mut self) -> FieldSpec {
        self.multiline = true;
        self
    }

    /// Marks one of the four portion-marking keys.
    const fn portion(mut self) -> FieldSpec {
        self.portion = true;
        self
    }

    /// Sets the one-line help.
    const fn help(mut self, help: &'static str) -> FieldSpec {
        self.help = help;
        self
    }
}

use FieldType::{
    Bool, Date, DateOrText, Enum, GovernanceLinks, Integer, Percent, PriorityLinks, Stamps,
    TechAreas, Text, TextList,
};

const fn key(name: &'static str, ty: FieldType, label: &'static str) -> FieldSpec {
    FieldSpec::optional(name, ty, label)
}

/// The four keys every markable table takes, after its own.
macro_rules! markable {
    ($($spec:expr),* $(,)?) => {
        &[
            $($spec,)*
            key("marking", Text, "Mark")
                .portion()
                .help("portion marking, default U (U, CUI//SP-EXPT, S//REL TO USA, GBR, ...)"),
            key("marking_justification", Text, "Marking justification")
                .lines()
                .portion()
                .help("why this marking (required for CUI: SCP206)"),
            key("intel", Bool, "Intelligence")
                .portion()
                .help("true when the portion is intelligence information (lawful NOFORN)"),
            key("nf_exception", Enum(catalog::NF_EXCEPTIONS), "NOFORN exception")
                .portion()
                .help("lawful NOFORN outside intelligence: NNPI, NDP-1 or DCNI"),
        ]
    };
}

const PLAN: &[FieldSpec] = &[
    key("format", Integer, "Format")
        .required()
        .help("the file format; only 1 is known"),
    key("id", Text, "Plan")
        .not_blank()
        .help("the plan's identifier (EUCOM-TCP-FY27)"),
    key("title", Text, "Title")
        .not_blank()
        .help("the plan's title"),
    key("command", Enum(catalog::COMMANDS), "Command")
        .required()
        .help("the combatant command whose plan this is"),
    key("version", Text, "Version")
        .not_blank()
        .help("the plan's version, free text"),
    key("effective", Date, "Effective")
        .required()
        .help("start of the plan period (a local date)"),
    key("period_end", Date, "Period end").help("end of the plan period (a local date)"),
    key("marking", Text, "Banner")
        .required()
        .help("the banner marking: the roll-up of every portion (UNCLASSIFIED, SECRET//NOFORN)"),
    key(
        "marking_profile",
        Enum(catalog::MARKING_PROFILES),
        "Marking profile",
    )
    .help("how CUI banners are written: dod (default) or nara"),
    key("tech_list", Enum(catalog::TECH_LISTS), "Technology list")
        .help("which critical-technology list the areas come from: 2025 (default) or 2022"),
    key("prepared_by", Text, "Prepared by").help("who prepared the plan"),
    key("link_review", Bool, "Link review")
        .help("true: every link of an objective must carry a review stamp (SCP110)"),
];

const CUI: &[FieldSpec] = &[
    key("controlled_by", Text, "Controlled by")
        .not_blank()
        .help("the organisation that controls the CUI"),
    key("categories", TextList, "CUI categories")
        .required()
        .lines()
        .help("the CUI categories present (EXPT, PRVCY, ...)"),
    key("dissemination", Text, "Dissemination")
        .lines()
        .help("dissemination or distribution statement"),
    key("poc", Text, "POC")
        .not_blank()
        .help("point of contact for the CUI"),
];

// Every key is optional to the loader: what a classified banner needs of the block is SCP211.
const AUTHORITY: &[FieldSpec] = &[
    key("classified_by", Text, "Classified By")
        .no_blank()
        .help("name and position, or personal identifier, of the classifier"),
    key("derived_from", Text, "Derived From")
        .no_blank()
        .help("the source document or classification guide (derivative classification)"),
    key("reason", Text, "Reason")
        .no_blank()
        .help("the reason for original classification (1.4(a) ...)"),
    key("declassify_on", DateOrText, "Declassify On")
        .no_blank()
        .help("a date, or an event or exemption (\"25X1, 2061-10-01\")"),
];

const PRIORITY: &[FieldSpec] = markable![
    key("id", Text, "Id")
        .not_blank()
        .help("unique id among all ids of the plan (SP-1)"),
    key("title", Text, "Title")
        .not_blank()
        .help("the strategic priority in a line"),
    key("source", Text, "Source")
        .not_blank()
        .help("the strategic guidance it comes from (NDS 2026)"),
    key("description", Text, "Description")
        .lines()
        .help("what the priority asks for"),
];

const COUNTRY: &[FieldSpec] = markable![
    key("code", Text, "Code")
        .required()
        .help("ISO 3166-1 alpha-3 code of the partner, not USA"),
    key("name", Text, "Name")
        .not_blank()
        .help("the partner country's name"),
    key("summary", Text, "Summary")
        .lines()
        .help("the section's narrative"),
    key("strengths", TextList, "Complementary strengths")
        .lines()
        .help("the partner's complementary strengths, one per line"),
];

const OBJECTIVE: &[FieldSpec] = markable![
    key("id", Text, "Id")
        .not_blank()
        .help("unique id (POL-ST-1 for S&T, POL-SC-1 for other SC)"),
    key("kind", Enum(catalog::OBJECTIVE_KINDS), "Kind")
        .required()
        .help("st (science and technology) or sc (other security cooperation)"),
    key("text", Text, "Objective")
        .not_blank()
        .lines()
        .help("what the objective achieves"),
    key("priorities", PriorityLinks, "Priorities")
        .help("ids of the strategic priorities it serves (required for st)"),
    key("tech_areas", TechAreas, "Technology areas")
        .help("critical technology areas of the plan's list (required for st)"),
    key("governance", GovernanceLinks, "Governance")
        .help("ids of this country's agreements or actors it runs through"),
    key("target_date", Date, "Target date").help("when it should be met, within the plan period"),
    key("reviewed_links", Stamps, "Reviewed links")
        .help("per linked priority, its stamp when the link was last reviewed (scplan review)"),
];

const INDICATOR: &[FieldSpec] = markable![
    key("name", Text, "Indicator")
        .not_blank()
        .help("what is measured"),
    key("baseline", Text, "Baseline").help("where the measure starts"),
    key("target", Text, "Target").help("where the measure should end"),
];

const AGREEMENT: &[FieldSpec] = markable![
    key("id", Text, "Id")
        .not_blank()
        .help("unique id (POL-AG-1)"),
    key("kind", Enum(catalog::AGREEMENT_KINDS), "Kind")
        .required()
        .help("mou, project-arrangement, information-exchange, cooperative-rdte, equipment-loan or other"),
    key("title", Text, "Title")
        .not_blank()
        .help("the agreement's title"),
    key("signed", Date, "Signed").help("when it was signed"),
    key("expires", Date, "Expires").help("when it expires"),
    key("last_reviewed", Date, "Last reviewed")
        .help("when it was last reviewed (every year: SCP301)"),
];

const ACTOR: &[FieldSpec] = markable![
    key("id", Text, "Id")
        .not_blank()
        .help("unique id (POL-AC-1)"),
    key("name", Text, "Name")
        .not_blank()
        .help("the partner organisation's name"),
    key("kind", Enum(catalog::ACTOR_KINDS), "Kind")
        .required()
        .help("ministry, lab, university, company, forum or fund"),
    key("role", Text, "Role")
        .lines()
        .help("what it does in the S&T work"),
    key("last_reviewed", Date, "Last reviewed")
        .help("when the relationship was last reviewed (every year: SCP301)"),
];

const POOL: &[FieldSpec] = markable![
    key("id", Text, "Id")
        .not_blank()
        .help("unique id (POL-IP-1)"),
    key("name", Text, "Name")
        .not_blank()
        .help("the pool's name"),
    key("tech_areas", TechAreas, "Technology areas")
        .help("critical technology areas it invests in (required)"),
    key("us_share", Percent, "US share").help("the US share in percent, 0 to 100"),
    key("ip_terms", Text, "IP terms")
        .lines()
        .help("how intellectual property is handled"),
];

const BARRIER: &[FieldSpec] = markable![
    key("kind", Enum(catalog::BARRIER_KINDS), "Kind")
        .required()
        .help("export-control, industrial-policy, intellectual-property, classification, information-sharing, geopolitical or other"),
    key("text", Text, "Barrier")
        .not_blank()
        .lines()
        .help("the obstacle to cooperation"),
    key("mitigation", Text, "Mitigation")
        .lines()
        .help("how the plan meets it"),
];

const WAIVER: &[FieldSpec] = &[
    key("rule", Text, "Rule")
        .required()
        .help("the warning or info code it accepts (errors cannot be waived)"),
    key("item", Text, "Item")
        .required()
        .help("the id, country code or plan it is about"),
    key("reason", Text, "Reason")
        .not_blank()
        .lines()
        .help("why the finding is accepted"),
    key("approved_by", Text, "Approved by").help("who approved it"),
    key("expires", Date, "Expires").help("once before plan.effective the waiver no longer applies"),
];

impl TableKind {
    /// The keys this table takes (not its sub-tables).
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TableKind::Plan => PLAN,
            TableKind::Cui => CUI,
            TableKind::Authority => AUTHORITY,
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

    /// The export label of one key of this table (empty for a key it does not take).
    pub fn label(self, name: &str) -> &'static str {
        self.field(name).map_or("", |spec| spec.label)
    }

    /// The kind of table stored under `key` ([`TableKind::key`]).
    pub fn from_key(key: &str) -> Option<TableKind> {
        ALL_TABLES.iter().copied().find(|kind| kind.key() == key)
    }

    /// The sub-tables this table holds, each stored under its [`TableKind::key`].
    pub fn children(self) -> &'static [TableKind] {
        match self {
            TableKind::Plan => &[TableKind::Cui, TableKind::Authority],
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
            TableKind::Authority => "authority",
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
            TableKind::Authority => "[plan.authority]",
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
            TableKind::Authority => "authority block",
            TableKind::Pool => "investment pool",
            other => other.key(),
        }
    }

    /// The noun with its indefinite article: "an objective", "a barrier".
    pub fn a_noun(self) -> String {
        let noun = self.noun();
        let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
        format!("{} {noun}", if vowel { "an" } else { "a" })
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
        matches!(
            self,
            TableKind::Plan | TableKind::Cui | TableKind::Authority
        )
    }

    /// Whether the table takes the portion-marking fields.
    pub fn is_markable(self) -> bool {
        self.fields().iter().any(|spec| spec.portion)
    }
}

/// Every kind of table, parents before their children.
pub const ALL_TABLES: &[TableKind] = &[
    TableKind::Plan,
    TableKind::Cui,
    TableKind::Authority,
    TableKind::Priority,
    TableKind::Country,
    TableKind::Objective,
    TableKind::Indicator,
    TableKind::Agreement,
    TableKind::Actor,
    TableKind::Pool,
    TableKind::Barrier,
    TableKind::Waiver,
];

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
