//! `scplan new`: a plan from `assets/template.toml`, with the command, dates and id filled in.

use jiff::ToSpan;
use jiff::civil::Date;

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

/// The text of a new plan.
pub fn render(command: &str, effective: Date, schema: Option<&str>) -> String {
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
}
