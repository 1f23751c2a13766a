//! `scplan new`: a plan from `assets/template.toml`, with the command, dates and id filled in.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::plan::marking::Level;

const TEMPLATE: &str = include_str!("../assets/template.toml");

/// The first October 1 after `today`: the start of the next fiscal year.
pub fn next_october_first(today: Date) -> Date {
    let this_year = jiff::civil::date(today.year(), 10, 1);
    if today < this_year {
        this_year
    } else {
        jiff::civil::date(today.year() + 1, 10, 1)
    }
}

/// The plan id for a command and start date: `EUCOM-TCP-FY27` (the fiscal year that starts
/// on or contains `effective`).
pub fn plan_id(command: &str, effective: Date) -> String {
    let short = command.strip_prefix("US").unwrap_or(command);
    let fiscal_year = if effective.month() >= 10 {
        effective.year() + 1
    } else {
        effective.year()
    };
    format!("{short}-TCP-FY{:02}", fiscal_year % 100)
}

/// The CUI designation indicator: to fill at level CUI, commented out below it.
const CUI_BLOCK: &str = "[plan.cui]
controlled_by = \"Replace with the controlling organisation\"
categories = [\"EXPT\"]
dissemination = \"Replace with the dissemination statement\"
poc = \"Replace with the point of contact\"
";

/// The classification authority block of a classified plan, to fill.
const AUTHORITY_BLOCK: &str =
    "# A classified plan says who classified it, on what basis and until when (SCP211).
[plan.authority]
classified_by = \"Replace with the classifier's name and position\"
derived_from = \"Replace with the source or classification guide\"  # or reason = \"1.4(a)\"
declassify_on = \"Replace with a date (YYYY-MM-DD, no quotes) or an event\"
";

/// What a new plan at `level` says about markings: the banner, the blocks of `[plan]` and the
/// first priority's portion marking.
fn marking_parts(level: Level) -> (String, String, String) {
    let banner = level.banner_str().to_string();
    let commented = |block: &str| {
        block
            .lines()
            .map(|line| format!("# {line}\n"))
            .collect::<String>()
    };
    let (blocks, priority) = match level {
        Level::U => (
            format!(
                "# Uncomment when any portion is CUI:\n{}",
                commented(CUI_BLOCK)
            ),
            "# marking = \"U\"\n".to_string(),
        ),
        Level::Cui => (
            CUI_BLOCK.to_string(),
            "marking = \"CUI\"\nmarking_justification = \"Replace with why this is CUI\"\n"
                .to_string(),
        ),
        classified => (
            AUTHORITY_BLOCK.to_string(),
            format!("marking = \"{}\"\n", classified.portion_str()),
        ),
    };
    (banner, blocks, priority)
}

/// The text of a new unclassified plan.
pub fn render(command: &str, effective: Date, schema: Option<&str>) -> String {
    render_at(command, effective, schema, Level::U)
}

/// The text of a new plan, its banner at `level` (blocks and the first portion to match).
pub fn render_at(command: &str, effective: Date, schema: Option<&str>, level: Level) -> String {
    // Five-year plan period; the arithmetic cannot overflow for dates TOML can hold.
    let period_end = effective
        .checked_add(5.years())
        .and_then(|d| d.checked_sub(1.day()))
        .unwrap_or(effective);
    let body = TEMPLATE
        .replace("{{command}}", command)
        .replace("{{effective}}", &effective.to_string())
        .replace("{{period_end}}", &period_end.to_string())
        .replace("{{id}}", &plan_id(command, effective));
    let (banner, blocks, priority) = marking_parts(level);
    // Keep the banner's comment in the column of the comments around it.
    let pad = " ".repeat(23usize.saturating_sub(banner.len()));
    let body = body
        .replace("{{banner_pad}}", &pad)
        .replace("{{banner}}", &banner)
        .replace("{{blocks}}", &blocks)
        .replace("{{priority_marking}}", &priority);
    match schema {
        Some(path) => format!("#:schema {path}\n{body}"),
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn fiscal_dates() {
        assert_eq!(next_october_first(date(2026, 11, 28)), date(2027, 10, 1));
        assert_eq!(next_october_first(date(2026, 3, 1)), date(2026, 10, 1));
        assert_eq!(next_october_first(date(2026, 10, 1)), date(2027, 10, 1));
        assert_eq!(plan_id("USEUCOM", date(2026, 10, 1)), "EUCOM-TCP-FY27");
        assert_eq!(plan_id("USAFRICOM", date(2027, 3, 1)), "AFRICOM-TCP-FY27");
    }

    #[test]
    fn template_fills_every_placeholder() {
        let text = render(
            "USAFRICOM",
            date(2027, 10, 1),
            Some("../assets/plan.schema.json"),
        );
        assert!(!text.contains("{{"));
        assert!(text.starts_with("#:schema ../assets/plan.schema.json\n"));
        assert!(text.contains("2032-09-30"));
        assert!(text.contains("AFRICOM-TCP-FY28"));
        assert!(text.parse::<toml_edit::DocumentMut>().is_ok());
    }

    #[test]
    fn a_new_plan_at_any_level_has_only_the_findings_of_its_placeholders() {
        use crate::check::{Settings, check_text};
        for level in [Level::U, Level::Cui, Level::C, Level::S, Level::Ts] {
            let text = render_at("USEUCOM", date(2027, 10, 1), None, level);
            assert!(!text.contains("{{"), "{level:?}");
            let settings = Settings {
                system_high: Level::Ts,
            };
            let checked = check_text(text.clone(), &settings);
            let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
            for code in ["SCP202", "SCP210", "SCP211", "SCP213", "SCP001", "SCP003"] {
                assert!(
                    !codes.contains(&code),
                    "{level:?}: {code} in {codes:?}\n{text}"
                );
            }
            assert!(text.contains(&format!("marking = \"{}\"", level.banner_str())));
            assert_eq!(text.contains("\n[plan.authority]"), level.is_classified());
            assert_eq!(text.contains("\n[plan.cui]"), level == Level::Cui);
        }
    }
}
