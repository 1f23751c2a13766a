//! The reference every figure is compared with: what a minimal checker written with `toml` and
//! serde's derive does, following PLAN-FORMAT.md: deserialize the plan into typed structs, then
//! check that ids are unique and that every link names an existing priority, agreement or actor.
// The structs' fields are read by serde: deserializing them is the work being measured.
#![allow(dead_code)]

use std::collections::HashSet;

use serde::Deserialize;
use toml::value::Datetime;

/// A markable table: its own fields, then the four marking fields.
macro_rules! markable {
    ($name:ident { $($(#[$meta:meta])* $field:ident: $ty:ty,)* }) => {
        #[derive(Deserialize)]
        struct $name {
            $($(#[$meta])* $field: $ty,)*
            marking: Option<String>,
            marking_justification: Option<String>,
            intel: Option<bool>,
            nf_exception: Option<String>,
        }
    };
}

#[derive(Deserialize)]
struct Plan {
    plan: Meta,
    #[serde(default)]
    priority: Vec<Priority>,
    #[serde(default)]
    country: Vec<Country>,
    #[serde(default)]
    waiver: Vec<Waiver>,
}

#[derive(Deserialize)]
struct Meta {
    format: i64,
    id: String,
    title: String,
    command: String,
    version: String,
    effective: Datetime,
    period_end: Option<Datetime>,
    marking: String,
    marking_profile: Option<String>,
    tech_list: Option<String>,
    prepared_by: Option<String>,
    cui: Option<Cui>,
}

#[derive(Deserialize)]
struct Cui {
    controlled_by: String,
    categories: Vec<String>,
    dissemination: Option<String>,
    poc: String,
}

markable!(Priority { id: String, title: String, source: String, description: Option<String>, });

markable!(Country {
    code: String,
    name: String,
    summary: Option<String>,
    strengths: Option<Vec<String>>,
    #[serde(default)]
    objective: Vec<Objective>,
    #[serde(default)]
    agreement: Vec<Agreement>,
    #[serde(default)]
    actor: Vec<Actor>,
    #[serde(default)]
    investment_pool: Vec<Pool>,
    #[serde(default)]
    barrier: Vec<Barrier>,
});

markable!(Objective {
    id: String,
    kind: String,
    text: String,
    #[serde(default)]
    priorities: Vec<String>,
    #[serde(default)]
    tech_areas: Vec<String>,
    #[serde(default)]
    governance: Vec<String>,
    target_date: Option<Datetime>,
    #[serde(default)]
    indicator: Vec<Indicator>,
});

markable!(Indicator { name: String, baseline: Option<String>, target: Option<String>, });

markable!(Agreement {
    id: String,
    kind: String,
    title: String,
    signed: Option<Datetime>,
    expires: Option<Datetime>,
    last_reviewed: Option<Datetime>,
});

markable!(Actor {
    id: String,
    name: String,
    kind: String,
    role: Option<String>,
    last_reviewed: Option<Datetime>,
});

markable!(Pool {
    id: String,
    name: String,
    tech_areas: Vec<String>,
    us_share: Option<i64>,
    ip_terms: Option<String>,
});

markable!(Barrier { kind: String, text: String, mitigation: Option<String>, });

#[derive(Deserialize)]
struct Waiver {
    rule: String,
    item: String,
    reason: String,
    approved_by: Option<String>,
    expires: Option<Datetime>,
}

/// Deserializes a plan and counts its id problems: repeated ids or codes, links to no
/// priority or to no agreement or actor of the same country, waivers of no item.
pub fn check(text: &str) -> Result<usize, toml::de::Error> {
    let plan: Plan = toml::from_str(text)?;
    let priorities: HashSet<&str> = plan.priority.iter().map(|p| p.id.as_str()).collect();
    let mut problems = 0;
    let mut all: Vec<&str> = plan.priority.iter().map(|p| p.id.as_str()).collect();
    for c in &plan.country {
        let local: HashSet<&str> = c
            .agreement
            .iter()
            .map(|a| a.id.as_str())
            .chain(c.actor.iter().map(|a| a.id.as_str()))
            .collect();
        all.push(&c.code);
        all.extend(c.agreement.iter().map(|a| a.id.as_str()));
        all.extend(c.actor.iter().map(|a| a.id.as_str()));
        all.extend(c.investment_pool.iter().map(|p| p.id.as_str()));
        for o in &c.objective {
            all.push(&o.id);
            problems += o
                .priorities
                .iter()
                .filter(|p| !priorities.contains(p.as_str()))
                .count();
            problems += o
                .governance
                .iter()
                .filter(|g| !local.contains(g.as_str()))
                .count();
        }
    }
    let mut ids = HashSet::with_capacity(all.len());
    problems += all.iter().filter(|id| !ids.insert(**id)).count();
    problems += plan
        .waiver
        .iter()
        .filter(|w| w.item != "plan" && !ids.contains(w.item.as_str()))
        .count();
    Ok(problems)
}

/// The reference as a program (`BENCH --reference FILE`): exit 0 when the plan has no id
/// problem, 1 when it has, 2 when it cannot be read or deserialized.
pub fn run(path: Option<&std::path::Path>) -> std::process::ExitCode {
    use std::process::ExitCode;
    let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        eprintln!("usage: BENCH --reference FILE (a readable UTF-8 file)");
        return ExitCode::from(2);
    };
    match check(&text) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(n) => {
            println!("{n} id problem(s)");
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(2)
        }
    }
}
