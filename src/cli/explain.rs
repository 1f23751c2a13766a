//! `scplan rules` and `scplan explain`: the rule catalogue, and one rule in full.

use anyhow::Result;

use scplan::check::registry;
use scplan::plan::catalog;

use super::exit::{Code, fail};
use super::output::print;

/// Lists every rule: code, severity and summary, one line each.
pub fn rules() -> Result<Code> {
    let mut out = String::new();
    for rule in registry::RULES {
        out.push_str(&format!(
            "{}  {:<7}  {}\n",
            rule.code,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    print(&out)?;
    Ok(Code::Ok)
}

/// Explains the rule `code`: why it matters and how to fix what it finds. An unknown code
/// exits 2, naming the closest one.
pub fn explain(code: &str) -> Result<Code> {
    let Some(rule) = registry::find(code) else {
        let hint = catalog::closest(
            &code.to_ascii_uppercase(),
            registry::RULES.iter().map(|r| r.code),
        )
        .map(|c| format!(" (did you mean {c}?)"))
        .unwrap_or_default();
        return Err(fail(
            Code::Usage,
            format!("no rule `{code}`{hint}; `scplan rules` lists them"),
        ));
    };
    print(&format!(
        "{} ({}): {}\n\nWhy it matters:\n  {}\n\nHow to fix it:\n  {}\n",
        rule.code,
        rule.severity.as_str(),
        rule.summary,
        rule.why,
        rule.fix
    ))?;
    Ok(Code::Ok)
}
