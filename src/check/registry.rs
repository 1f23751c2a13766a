//! The rule catalogue: every code with its severity, a one-line summary, why it matters (with
//! its basis) and how to fix it.

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Keeps the plan from being staffed or exported.
    Error,
    /// Should be fixed or waived.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The version of the rule catalogue, carried in reports and export stamps.
pub const CATALOGUE_VERSION: &str = "1";

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The code, e.g. `SCP102`.
    pub code: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// What it finds, in one line.
    pub summary: &'static str,
    /// Why it matters, citing its basis.
    pub why: &'static str,
    /// How to fix what it finds.
    pub fix: &'static str,
}

impl Rule {
    /// Whether a waiver may name the rule: not an error, and not SCP503 (a stale waiver's
    /// notice, which the waiver's removal answers).
    pub fn waivable(&self) -> bool {
        self.severity != Severity::Error && self.code != "SCP503"
    }
}

const fn rule(
    code: &'static str,
    severity: Severity,
    summary: &'static str,
    why: &'static str,
    fix: &'static str,
) -> Rule {
    Rule {
        code,
        severity,
        summary,
        why,
        fix,
    }
}

use Severity::{Error, Info, Warning};

/// Every rule, in code order.
pub const RULES: &[Rule] = &[
    rule(
        "SCP001",
        Error,
        "the file is not valid TOML, or not UTF-8",
        "Nothing else can be checked until the file parses: every other rule reads the parsed plan.",
        "Fix the syntax at the line and column given (an unclosed string or bracket, a missing `=`, a repeated key or table), or save the file as UTF-8. Git conflict markers (`<<<<<<<`, `=======`, `>>>>>>>` at the start of a line) mean an unresolved merge conflict: keep one side, or combine the two, and remove the marker lines (or take one side whole with `git checkout --ours` or `--theirs`).",
    ),
    rule(
        "SCP002",
        Error,
        "a required key is missing",
        "A plan without its identifying, dating and marking keys cannot be staffed, traced or marked; the CUI designation indicator needs its controlling organisation, categories and point of contact (DoDI 5200.48).",
        "Add the key named in the message to the table whose header the location points at.",
    ),
    rule(
        "SCP003",
        Error,
        "a value has the wrong type or is out of range",
        "A value of the wrong type cannot be compared or traced: a date written as a string is never checked against the plan period.",
        "Write the value with the type the message names: dates bare (2026-10-01), integers without quotes, lists in brackets.",
    ),
    rule(
        "SCP004",
        Warning,
        "an unknown key",
        "An unknown key is usually a misspelt known one, whose real value then silently goes missing.",
        "Rename the key to the known key the message suggests, or remove it.",
    ),
    rule(
        "SCP005",
        Error,
        "a duplicate id or country code",
        "Links, governance entries and waivers name items by id; a repeated id makes every reference to it ambiguous.",
        "Give the later item a fresh id (the scheme: SP-<n>, <CODE>-ST-<n>, <CODE>-AG-<n>, ...) or merge the two.",
    ),
    rule(
        "SCP006",
        Error,
        "a value outside its enumeration",
        "Commands, kinds and technology areas are fixed lists; the critical technology areas are those named by USD(R&E) (fourteen in 2022, six in November 2025), and S&T objectives must be tied to them.",
        "Use the value the message suggests; for a 2022 technology area in a 2025 plan, use its 2025 successor or set tech_list = \"2022\".",
    ),
    rule(
        "SCP007",
        Error,
        "a country code is not an ISO 3166-1 alpha-3 code, or is USA",
        "Releasability (REL TO) and partner sections are keyed by ISO 3166-1 alpha-3 trigraphs; the United States is never its own partner.",
        "Write the partner's three-letter ISO code in upper case (POL, JPN, ...).",
    ),
    rule(
        "SCP008",
        Error,
        "an unknown format version",
        "Only format 1 is defined; a later format may mean things this version of scplan does not know.",
        "Set `format = 1`, or use the scplan version that writes that format.",
    ),
    rule(
        "SCP009",
        Warning,
        "a required text is blank",
        "A blank title, text or name carries no meaning for the reader, and a blank id cannot be linked.",
        "Write the text.",
    ),
    rule(
        "SCP101",
        Error,
        "a country section has no S&T objective",
        "The evaluation of security cooperation for critical technology recommends that every country-specific SC section of a campaign plan carry overarching S&T objectives aligned with strategic priorities.",
        "Add an objective with kind = \"st\" to the section, linked to a priority and a technology area.",
    ),
    rule(
        "SCP102",
        Error,
        "an S&T objective links to no priority",
        "S&T objectives must be aligned with the plan's strategic priorities (the evaluation's recommendation); an unlinked objective cannot be traced to strategy.",
        "List the priority ids the objective serves in `priorities`.",
    ),
    rule(
        "SCP103",
        Error,
        "a link names a priority that does not exist",
        "A dangling link breaks the trace from objective to strategy, usually after a priority was renumbered.",
        "Replace the id with an existing priority id (the message suggests the closest).",
    ),
    rule(
        "SCP104",
        Warning,
        "a priority is linked by no S&T objective",
        "A strategic priority that no country's S&T objective serves is a coverage gap in the campaign plan.",
        "Link the priority from an S&T objective of a country that can help meet it, or drop the priority.",
    ),
    rule(
        "SCP105",
        Error,
        "an S&T objective or investment pool has no technology area",
        "The evaluation ties S&T cooperation to the critical technology areas named by USD(R&E); an objective or pool without one cannot be traced to them.",
        "List the technology areas (ids of the plan's tech_list) in `tech_areas`.",
    ),
    rule(
        "SCP106",
        Error,
        "the plan has no strategic priority",
        "Objectives are traced to the plan's strategic priorities; a plan without any cannot show alignment with strategy.",
        "Add a [[priority]] with id, title and source.",
    ),
    rule(
        "SCP107",
        Warning,
        "an objective links the same priority or technology area twice",
        "A repeated link inflates coverage counts and usually hides a typo for another id.",
        "Remove the repeated entry, or correct it to the id that was meant.",
    ),
    rule(
        "SCP108",
        Error,
        "a governance entry names no agreement or actor of the same country",
        "The evaluation found that governance mechanisms for S&T collaboration make cooperation work; an objective's governance must name a real agreement or actor of that partner.",
        "Use the id of an agreement or actor in the same country section, or add that agreement or actor.",
    ),
    rule(
        "SCP109",
        Warning,
        "suspect link: the linked priority changed since the link was reviewed",
        "Each objective was written to serve a priority as it then read; when the priority's title, source or description changes (a new strategy, a new guidance memo), whether the objective still serves it is an open question. Requirements practice calls such a link suspect until someone confirms it; the stamp in `reviewed_links` records the priority's text at the last confirmation (reflowing the text does not change it, changing a word does).",
        "Read the priority's new text and the objective; adjust the objective if it no longer serves the priority, then confirm the link (`scplan review PLAN --confirm ID:PRIORITY`, or the editor's review queue), which writes the priority's current stamp.",
    ),
    rule(
        "SCP110",
        Info,
        "a link has no review stamp while plan.link_review = true",
        "A plan that sets `link_review = true` asks for every link of an objective to a priority to be confirmed by a planner, so that a later change to the priority shows which objectives need another look (SCP109); an unstamped link can never become suspect.",
        "Review the link and confirm it (`scplan review PLAN --confirm ID:PRIORITY`); on a plan adopting link review, `scplan stamp-links PLAN` stamps every unstamped link at once.",
    ),
    rule(
        "SCP111",
        Warning,
        "a stale stamp: reviewed_links names a priority the objective does not link",
        "A stamp for a priority the objective no longer links records a review of a link that is gone; if the link is added back, the old stamp would pass it as reviewed without anyone having looked.",
        "Remove the key from `reviewed_links` (unlinking in the editor does it), or link the priority again in `priorities` and confirm the link.",
    ),
    rule(
        "SCP201",
        Error,
        "a marking cannot be parsed",
        "Portion marks follow DoDM 5200.01 Vol. 2 and the CUI registry; a marking that cannot be read cannot be rolled up into the banner or judged for release.",
        "Write the marking in portion form: U, CUI[//CATEGORIES][//CONTROLS], C, S or TS with //NF or //REL TO USA, ... (e.g. S//REL TO USA, GBR).",
    ),
    rule(
        "SCP202",
        Error,
        "the banner differs from the roll-up of the portions",
        "DoDM 5200.01 Vol. 2: the banner at top and bottom shows the highest level of any portion and the most restrictive controls; the DoD and NARA CUI banner rules say how a CUI banner is written.",
        "Set plan.marking to the expected banner the message gives. While a portion marking cannot be read (SCP201, SCP208), only a banner below what the readable portions require is reported: fix those markings first, then set the banner.",
    ),
    rule(
        "SCP204",
        Error,
        "a malformed dissemination control",
        "DoDM 5200.01 Vol. 2: NOFORN and REL TO exclude each other; a REL TO list starts with USA, then country trigraphs, then tetragraphs, each alphabetically, and REL TO USA alone releases to no one.",
        "Rewrite the control as the message says: drop NF or REL TO, put USA first, order the entries, fix unknown codes.",
    ),
    rule(
        "SCP205",
        Warning,
        "NF on a portion that is not intelligence",
        "The evaluation stresses that NOFORN applies narrowly to intelligence information; outside intelligence only a few exceptions (NNPI, NDP-1, DCNI) allow it. Over-use of NOFORN blocks cooperation with close allies.",
        "Use REL TO USA, <partners> instead; or set intel = true for intelligence information, or nf_exception to the exception that applies.",
    ),
    rule(
        "SCP206",
        Warning,
        "a CUI portion without a justification",
        "The evaluation recommends requiring a justification for CUI markings in international programs, so that CUI is not applied by reflex (DoDI 5200.48).",
        "Add marking_justification saying why the portion is CUI (its category and the law or policy behind it), or mark it U.",
    ),
    rule(
        "SCP207",
        Warning,
        "something in a country's section is not releasable to that country",
        "A partner's own section that cannot be shared with the partner defeats the purpose of the section; the evaluation found that over-applied markings slow cooperation among close allies.",
        "Mark the portion U, or add the partner's trigraph to its REL TO list; if it truly cannot be shared, move it out of the partner's section.",
    ),
    rule(
        "SCP208",
        Error,
        "an obsolete FOUO marking",
        "FOUO is a legacy marking replaced by CUI (DoDI 5200.48); it no longer means anything.",
        "Mark the portion CUI with its category (and a justification), or U if it is not controlled.",
    ),
    rule(
        "SCP209",
        Error,
        "a marking above the system high",
        "Content above the level a workstation is accredited for is a spillage to be reported, never copied further: scplan writes no copy of such a plan.",
        "Stop and report the spillage to your security manager; do not copy, export or print the file here.",
    ),
    rule(
        "SCP210",
        Error,
        "CUI is present but the CUI designation indicator is missing",
        "DoDI 5200.48 and the CUI registry require a designation indicator (controlled by, categories, dissemination, point of contact) on any document that holds CUI.",
        "Add a [plan.cui] table with controlled_by, categories and poc.",
    ),
    rule(
        "SCP211",
        Error,
        "a classified plan lacks its classification authority block, or part of it",
        "A classified document's first page must say who classified it (Classified By), on what basis (Derived From for derivative classification, Reason for original classification) and when it may be declassified (Declassify On): 32 CFR 2001.21 and DoDM 5200.01 Volume 2. Without it the document cannot be marked, challenged or declassified.",
        "Add [plan.authority] with classified_by, derived_from (or reason) and declassify_on; `f` in the editor adds the block with the missing keys to fill.",
    ),
    rule(
        "SCP212",
        Warning,
        "declassify_on is before the plan takes effect, or more than 25 years after",
        "A declassification date before the plan's own effective date declassifies it at once; one more than 25 years out needs an exemption, which is written as a string (\"25X1, 2061-10-01\"), not as a bare date (32 CFR 2001.21(a)(4), E.O. 13526 sec. 1.5).",
        "Set declassify_on to a date within 25 years of plan.effective, or write the exemption and its date as a string.",
    ),
    rule(
        "SCP213",
        Warning,
        "a classification authority block on a plan whose banner is UNCLASSIFIED or CUI",
        "An authority block says that the document holds classified information; on unclassified information it over-marks the plan, which the evaluation of US security cooperation warns against.",
        "Remove [plan.authority], or correct the banner if the plan really is classified.",
    ),
    rule(
        "SCP301",
        Warning,
        "an agreement or actor has not been reviewed within a year",
        "The evaluation recommends reviewing agreements and actors with selected allies every year.",
        "Review it and set last_reviewed to the date of the review.",
    ),
    rule(
        "SCP302",
        Warning,
        "an agreement expires before or during the plan period",
        "An agreement that lapses before the plan's period ends leaves the objectives that rely on it without a governance mechanism; information exchange annexes typically run five years and need renewal.",
        "Renew or extend the agreement and update expires, or plan its replacement.",
    ),
    rule(
        "SCP303",
        Info,
        "a country has S&T objectives but no agreement",
        "The evaluation found governance mechanisms for S&T collaboration (agreements such as project arrangements and information exchanges, under 10 U.S.C. 2350a) essential to cooperation.",
        "Add the agreement under which the S&T work will run.",
    ),
    rule(
        "SCP304",
        Info,
        "a barrier without a mitigation",
        "The evaluation names export control, industrial policy, intellectual property, classification, information sharing and geopolitics as the main obstacles; a plan should say how it meets each.",
        "Add a mitigation saying how the plan meets the barrier.",
    ),
    rule(
        "SCP305",
        Warning,
        "an investment pool without IP terms",
        "The evaluation recommends exploring bilateral investment pools for early-stage technology; intellectual property terms are what partners negotiate first.",
        "Add ip_terms saying how intellectual property is handled.",
    ),
    rule(
        "SCP401",
        Warning,
        "an S&T objective has no indicator",
        "10 U.S.C. 383 requires assessment, monitoring and evaluation of security cooperation, with baselines and indicators of efficacy (DoDI 5132.14).",
        "Add an indicator with a name, a baseline and a target.",
    ),
    rule(
        "SCP402",
        Warning,
        "an objective's target date is missing or outside the plan period",
        "Assessment, monitoring and evaluation (10 U.S.C. 383) measure progress against dated objectives inside the plan period.",
        "Set target_date to a date between plan.effective and plan.period_end.",
    ),
    rule(
        "SCP403",
        Info,
        "an indicator lacks a baseline or a target",
        "10 U.S.C. 383 asks for initial assessments with baselines and indicators of efficacy; an indicator without both cannot show progress.",
        "Add the missing baseline or target.",
    ),
    rule(
        "SCP501",
        Error,
        "an invalid waiver",
        "Only warnings and infos may be waived, by their code and the item they are about; a waiver of an error, of an unknown code or of a missing item hides nothing and misleads the reader.",
        "Correct the waiver's rule or item, or remove the waiver and fix the error.",
    ),
    rule(
        "SCP502",
        Info,
        "a waiver has expired",
        "A waiver is accepted for a time; once expired, its diagnostic applies again.",
        "Renew the waiver with a new expires date and approval, or fix what it waived; a waiver of SCP502 on `plan` accepts the notice while the renewal is pending.",
    ),
    rule(
        "SCP503",
        Info,
        "a waiver matches no diagnostic",
        "A stale waiver left in a plan can later hide a new problem on the same item.",
        "Remove the waiver.",
    ),
];

/// The rule with this code.
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code))
}

/// The severity of a known code (error for an unknown one, which cannot happen for codes the
/// checker emits).
pub fn severity(code: &str) -> Severity {
    // The codes are ordered: the exact code is found by halving (every diagnostic asks).
    RULES
        .binary_search_by(|rule| rule.code.cmp(code))
        .ok()
        .map(|i| &RULES[i])
        .or_else(|| find(code))
        .map(|rule| rule.severity)
        .unwrap_or(Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ordered() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        assert_eq!(RULES.len(), 43);
    }

    #[test]
    fn every_rule_explains_itself() {
        for rule in RULES {
            assert!(!rule.summary.is_empty() && !rule.why.is_empty() && !rule.fix.is_empty());
        }
        assert_eq!(find("scp205").map(|r| r.severity), Some(Warning));
    }
}
