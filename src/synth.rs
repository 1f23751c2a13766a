//! Deterministic synthetic plans for benchmarks and scale tests: valid format-1 plans of any
//! number of countries and objectives, clean under the whole rule catalogue, with defects
//! injected at a chosen rate.

use crate::plan::catalog::{self, ACTOR_KINDS, AGREEMENT_KINDS, BARRIER_KINDS, TECH_AREAS_2025};
use crate::plan::source::basic_string;

/// A plan size: partner countries, and objectives in each country section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// The size's name on the command line and in benchmark ids.
    pub name: &'static str,
    /// How many `[[country]]` sections.
    pub countries: usize,
    /// How many `[[country.objective]]` in each section.
    pub objectives: usize,
}

/// The sizes the benchmarks use: small 10x5, medium 60x30, large 200x200.
pub const SIZES: [Size; 3] = [
    Size {
        name: "small",
        countries: 10,
        objectives: 5,
    },
    Size {
        name: "medium",
        countries: 60,
        objectives: 30,
    },
    Size {
        name: "large",
        countries: 200,
        objectives: 200,
    },
];

/// The size of that name, if any.
pub fn size(name: &str) -> Option<Size> {
    SIZES.into_iter().find(|s| s.name == name)
}

/// The start of every synthetic plan's period.
const EFFECTIVE: &str = "2026-10-01";
/// The end of every synthetic plan's period.
const PERIOD_END: &str = "2031-09-30";
/// At most this many strategic priorities.
const MAX_PRIORITIES: usize = 8;
/// Kinds of defect that `generate` can inject, one per defective objective.
const DEFECT_KINDS: u64 = 12;

/// A plan of `countries` sections (at least 1, at most the 248 ISO 3166-1 alpha-3 codes other
/// than USA) of `objectives` objectives each (at least 1), with priorities, indicators,
/// agreements, actors, investment pools and barriers. With `defect_rate` 0 the plan draws no
/// diagnostic at all; otherwise each objective is made defective with that probability, in
/// one of a dozen ways that each draw at least one diagnostic (SCP002-SCP009, SCP103, SCP107,
/// SCP108, SCP201, SCP402, SCP403). The same arguments always give the same text.
pub fn generate(countries: usize, objectives: usize, defect_rate: f64, seed: u64) -> String {
    let codes: Vec<(&str, &str)> = catalog::countries()
        .iter()
        .copied()
        .filter(|(code, _)| *code != "USA")
        .take(countries.max(1))
        .collect();
    let objectives = objectives.max(1);
    let st_per_country = (0..objectives).filter(|j| is_st(*j)).count();
    let priorities = (codes.len() * st_per_country).min(MAX_PRIORITIES);
    let mut g = Gen {
        out: String::with_capacity(codes.len() * objectives * 1100 + 4096),
        rng: Rng(seed),
        priorities,
        st_linked: 0,
        defect_rate,
    };
    g.plan(codes.len(), objectives);
    for (code, name) in codes {
        g.country(code, name, objectives);
    }
    g.out
}

/// Whether the objective at this index of a section is an S&T one (two in three are).
fn is_st(index: usize) -> bool {
    index % 3 != 2
}

/// Whether the objective at this index of a section is marked CUI (one in four).
fn is_cui(index: usize) -> bool {
    index % 4 == 3
}

/// SplitMix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// An index below `n` (which is at least 1).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "allied",
    "autonomous",
    "resupply",
    "sensing",
    "quantum",
    "laser",
    "range",
    "trial",
    "data",
    "sharing",
    "standards",
    "coalition",
    "maritime",
    "domain",
    "awareness",
    "counter-UAS",
    "logistics",
    "network",
    "resilient",
    "industrial",
    "base",
    "supplier",
    "qualification",
    "testing",
    "evaluation",
    "materials",
    "thermal",
    "protection",
    "biomanufacturing",
    "precursor",
    "pilot",
    "scale",
    "decision",
    "support",
    "command",
    "post",
    "exercise",
    "interoperable",
    "secure",
    "communications",
    "satellite",
    "ground",
    "station",
    "training",
    "exchange",
    "engineers",
    "laboratory",
    "university",
    "prototype",
    "field",
    "demonstration",
    "jamming",
    "navigation",
    "timing",
    "hypersonic",
    "flight",
    "directed-energy",
    "power",
    "beam",
    "control",
    "software",
    "models",
    "simulation",
    "workforce",
];

/// The plan being written.
struct Gen {
    out: String,
    rng: Rng,
    priorities: usize,
    /// S&T objectives written so far: the next one links priority `st_linked % priorities`,
    /// so that every priority is linked once there are as many S&T objectives as priorities.
    st_linked: usize,
    defect_rate: f64,
}

/// One objective before it is written, so that a defect can be applied to it.
struct Objective {
    id: String,
    kind: &'static str,
    text: Option<String>,
    priorities: Vec<String>,
    tech_areas: Vec<String>,
    governance: Vec<String>,
    /// The raw TOML value of `target_date`.
    target_date: String,
    marking: Option<(String, String)>,
    indicators: Vec<[Option<String>; 3]>,
    /// Keys no table knows, as (key, raw value).
    unknown: Vec<(&'static str, String)>,
}

impl Gen {
    fn line(&mut self, indent: &str, text: &str) {
        self.out.push_str(indent);
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `key = value` with the value written as TOML already.
    fn raw(&mut self, indent: &str, key: &str, value: &str) {
        self.out.push_str(indent);
        self.out.push_str(key);
        self.out.push_str(" = ");
        self.out.push_str(value);
        self.out.push('\n');
    }

    /// `key = "value"`.
    fn text(&mut self, indent: &str, key: &str, value: &str) {
        self.raw(indent, key, &basic_string(value));
    }

    fn list(&mut self, indent: &str, key: &str, values: &[String]) {
        let items: Vec<String> = values.iter().map(|v| basic_string(v)).collect();
        self.raw(indent, key, &format!("[{}]", items.join(", ")));
    }

    fn sentence(&mut self, min: usize, max: usize) -> String {
        let n = self.rng.range(min as u64, max as u64) as usize;
        let words: Vec<&str> = (0..n).map(|_| self.rng.pick(WORDS)).collect();
        let text = words.join(" ");
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => text,
        }
    }

    /// A local date in `years`, never after September 28th, so inside the plan period
    /// whenever the year is.
    fn date(&mut self, years: (u64, u64)) -> String {
        let year = self.rng.range(years.0, years.1);
        let month = self.rng.range(1, 9);
        let day = self.rng.range(1, 28);
        format!("{year}-{month:02}-{day:02}")
    }

    fn plan(&mut self, countries: usize, objectives: usize) {
        let cui = objectives > 3;
        self.line(
            "",
            "# SYNTHETIC PLAN - generated by scplan::synth for benchmarks; fictional.",
        );
        self.line("", "[plan]");
        self.raw("", "format", "1");
        self.text("", "id", &format!("SYN-{countries}X{objectives}"));
        self.text(
            "",
            "title",
            &format!("Synthetic campaign plan, {countries} countries x {objectives} objectives (FICTIONAL)"),
        );
        self.text("", "command", "USEUCOM");
        self.text("", "version", "1.0");
        self.raw("", "effective", EFFECTIVE);
        self.raw("", "period_end", PERIOD_END);
        self.text("", "marking", if cui { "CUI" } else { "UNCLASSIFIED" });
        self.text("", "tech_list", "2025");
        self.text("", "prepared_by", "scplan::synth");
        if cui {
            self.line("", "");
            self.line("", "[plan.cui]");
            self.text("", "controlled_by", "Synthetic Command J5");
            self.list("", "categories", &["EXPT".to_string()]);
            self.text("", "poc", "Synthetic Plans Cell, plans@example.invalid");
        }
        for p in 1..=self.priorities {
            self.line("", "");
            self.line("", "[[priority]]");
            self.text("", "id", &format!("SP-{p}"));
            let title = self.sentence(6, 12);
            self.text("", "title", &title);
            self.text("", "source", "NDS 2026");
            if p % 2 == 0 {
                let description = self.sentence(10, 20);
                self.text("", "description", &description);
            }
        }
    }

    fn country(&mut self, code: &str, name: &str, objectives: usize) {
        let agreements = (objectives / 8).max(1);
        let actors = (objectives / 8).max(1);
        let pools = (objectives / 20).max(1);
        self.line("", "");
        self.line("", "[[country]]");
        self.text("", "code", code);
        self.text("", "name", name);
        let summary = format!("{}.\n{}.", self.sentence(10, 18), self.sentence(8, 16));
        self.raw("", "summary", &format!("\"\"\"\n{summary}\"\"\""));
        let strengths: Vec<String> = (0..self.rng.range(1, 3))
            .map(|_| self.sentence(3, 7))
            .collect();
        self.list("", "strengths", &strengths);
        if self.rng.chance(0.5) {
            self.text("", "marking", "U");
        }
        let (mut st, mut sc) = (0, 0);
        let mut previous: Option<String> = None;
        for j in 0..objectives {
            let id = if is_st(j) {
                st += 1;
                format!("{code}-ST-{st}")
            } else {
                sc += 1;
                format!("{code}-SC-{sc}")
            };
            let mut o = self.draft(code, id, j, agreements, actors);
            if self.rng.chance(self.defect_rate) {
                let duplicate = previous.clone().unwrap_or_else(|| code.to_string());
                self.defect(&mut o, code, duplicate);
            }
            self.objective(&o);
            previous = Some(o.id);
        }
        for k in 1..=agreements {
            self.line("  ", "");
            self.line("  ", "[[country.agreement]]");
            self.text("  ", "id", &format!("{code}-AG-{k}"));
            let kind = self.rng.pick(AGREEMENT_KINDS);
            self.text("  ", "kind", kind);
            let title = format!("{} ({kind})", self.sentence(4, 9));
            self.text("  ", "title", &title);
            let signed = self.date((2018, 2025));
            self.raw("  ", "signed", &signed);
            let expires = self.date((2032, 2038));
            self.raw("  ", "expires", &expires);
            let reviewed = self.date((2026, 2026));
            self.raw("  ", "last_reviewed", &reviewed);
        }
        for k in 1..=actors {
            self.line("  ", "");
            self.line("  ", "[[country.actor]]");
            self.text("  ", "id", &format!("{code}-AC-{k}"));
            let name = self.sentence(3, 6);
            self.text("  ", "name", &name);
            let kind = self.rng.pick(ACTOR_KINDS);
            self.text("  ", "kind", kind);
            let role = self.sentence(4, 10);
            self.text("  ", "role", &role);
            let reviewed = self.date((2026, 2026));
            self.raw("  ", "last_reviewed", &reviewed);
        }
        for k in 1..=pools {
            self.line("  ", "");
            self.line("  ", "[[country.investment_pool]]");
            self.text("  ", "id", &format!("{code}-IP-{k}"));
            let name = self.sentence(3, 6);
            self.text("  ", "name", &name);
            let areas = self.tech_areas();
            self.list("  ", "tech_areas", &areas);
            let share = self.rng.range(0, 100).to_string();
            self.raw("  ", "us_share", &share);
            let terms = self.sentence(6, 14);
            self.text("  ", "ip_terms", &terms);
        }
        for k in 0..2 {
            self.line("  ", "");
            self.line("  ", "[[country.barrier]]");
            self.text(
                "  ",
                "kind",
                BARRIER_KINDS[(k + code.len()) % BARRIER_KINDS.len()],
            );
            let text = self.sentence(8, 16);
            self.text("  ", "text", &text);
            let mitigation = self.sentence(8, 16);
            self.text("  ", "mitigation", &mitigation);
        }
    }

    /// One or two distinct 2025 technology areas.
    fn tech_areas(&mut self) -> Vec<String> {
        let first = self.rng.below(TECH_AREAS_2025.len());
        let mut areas = vec![TECH_AREAS_2025[first].to_string()];
        if self.rng.chance(0.5) {
            let second =
                (first + 1 + self.rng.below(TECH_AREAS_2025.len() - 1)) % TECH_AREAS_2025.len();
            areas.push(TECH_AREAS_2025[second].to_string());
        }
        areas
    }

    /// A clean objective of the section `code`, the `index`-th of it.
    fn draft(
        &mut self,
        code: &str,
        id: String,
        index: usize,
        agreements: usize,
        actors: usize,
    ) -> Objective {
        let st = is_st(index);
        let p = self.priorities;
        let mut linked = if st {
            let first = self.st_linked % p;
            self.st_linked += 1;
            vec![first]
        } else {
            vec![self.rng.below(p)]
        };
        if p > 1 && self.rng.chance(0.5) {
            linked.push((linked[0] + 1 + self.rng.below(p - 1)) % p);
        }
        let agreement = 1 + self.rng.below(agreements);
        let actor = 1 + self.rng.below(actors);
        let governance = if st {
            vec![
                format!("{code}-AG-{agreement}"),
                format!("{code}-AC-{actor}"),
            ]
        } else {
            vec![format!("{code}-AC-{actor}")]
        };
        let indicators = if st {
            self.rng.range(1, 3)
        } else {
            self.rng.range(0, 1)
        };
        let indicators = (0..indicators)
            .map(|_| {
                [
                    Some(self.sentence(4, 9)),
                    Some(self.sentence(2, 5)),
                    Some(self.sentence(3, 7)),
                ]
            })
            .collect();
        Objective {
            id,
            kind: if st { "st" } else { "sc" },
            text: Some(self.sentence(10, 22)),
            priorities: linked.iter().map(|i| format!("SP-{}", i + 1)).collect(),
            tech_areas: if st { self.tech_areas() } else { Vec::new() },
            governance,
            target_date: self.date((2027, 2031)),
            marking: is_cui(index).then(|| {
                (
                    format!("CUI//SP-EXPT//REL TO USA, {code}"),
                    "Export-controlled technical data (synthetic)".to_string(),
                )
            }),
            indicators,
            unknown: Vec::new(),
        }
    }

    /// Makes the objective defective in one of [`DEFECT_KINDS`] ways.
    fn defect(&mut self, o: &mut Objective, code: &str, duplicate: String) {
        match self.rng.next() % DEFECT_KINDS {
            0 => o.priorities.push("SP-99".to_string()),
            1 => o.unknown.push(("titel", basic_string("a misspelt key"))),
            2 => o.tech_areas.push("applied-intelligence".to_string()),
            3 => o.id = duplicate,
            4 => o.governance.push(format!("{code}-AG-999")),
            5 => o.text = Some("  ".to_string()),
            6 => o.marking = Some(("U//SECRET".to_string(), String::new())),
            7 => o.target_date = basic_string("2029-01-01"),
            8 => o.target_date = "2033-01-01".to_string(),
            9 => o.text = None,
            10 => {
                let first = o.priorities[0].clone();
                o.priorities.push(first);
            }
            _ => o.indicators.push([
                Some("Indicator without a baseline".to_string()),
                None,
                Some("10".to_string()),
            ]),
        }
    }

    fn objective(&mut self, o: &Objective) {
        self.line("  ", "");
        self.line("  ", "[[country.objective]]");
        self.text("  ", "id", &o.id);
        self.text("  ", "kind", o.kind);
        if let Some(text) = &o.text {
            self.text("  ", "text", text);
        }
        self.list("  ", "priorities", &o.priorities);
        if !o.tech_areas.is_empty() {
            self.list("  ", "tech_areas", &o.tech_areas);
        }
        self.list("  ", "governance", &o.governance);
        self.raw("  ", "target_date", &o.target_date);
        if let Some((marking, justification)) = &o.marking {
            self.text("  ", "marking", marking);
            if !justification.is_empty() {
                self.text("  ", "marking_justification", justification);
            }
        }
        for (key, value) in &o.unknown {
            self.raw("  ", key, value);
        }
        for indicator in &o.indicators {
            self.line("    ", "");
            self.line("    ", "[[country.objective.indicator]]");
            for (key, value) in ["name", "baseline", "target"].iter().zip(indicator) {
                if let Some(value) = value {
                    self.text("    ", key, value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_bytes};

    fn codes(text: &str) -> Vec<&'static str> {
        let checked = check_bytes(text.as_bytes(), &Settings::default()).unwrap();
        checked.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn small_and_medium_plans_are_clean() {
        for size in &SIZES[..2] {
            let text = generate(size.countries, size.objectives, 0.0, 7);
            assert_eq!(codes(&text), Vec::<&str>::new(), "{}", size.name);
        }
    }

    #[test]
    fn tiny_plans_are_clean_too() {
        for (c, o) in [(1, 1), (1, 2), (2, 3), (3, 4), (248, 1), (300, 2)] {
            assert_eq!(
                codes(&generate(c, o, 0.0, 1)),
                Vec::<&str>::new(),
                "{c}x{o}"
            );
        }
    }

    #[test]
    fn the_same_arguments_give_the_same_plan() {
        assert_eq!(generate(10, 5, 0.1, 3), generate(10, 5, 0.1, 3));
        assert_ne!(generate(10, 5, 0.0, 3), generate(10, 5, 0.0, 4));
    }

    #[test]
    fn every_defective_objective_draws_a_diagnostic() {
        let text = generate(10, 30, 1.0, 5);
        let found = codes(&text);
        assert!(!found.contains(&"SCP001"));
        let objectives = text.matches("[[country.objective]]").count();
        assert!(found.len() >= objectives, "{} < {objectives}", found.len());
        for code in [
            "SCP002", "SCP003", "SCP004", "SCP005", "SCP006", "SCP009", "SCP103", "SCP107",
            "SCP108", "SCP201", "SCP402", "SCP403",
        ] {
            assert!(found.contains(&code), "no {code}");
        }
    }
}
