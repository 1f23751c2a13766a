//! The plans the editor bench opens: the synthetic plan, and that plan with one text edit that
//! draws the diagnostic a quick fix repairs (or a waiver or a suspect link needs).

/// The byte where the `k`-th country section (from 0) starts, or the end of the text.
fn section_start(text: &str, k: usize) -> usize {
    text.match_indices("\n[[country]]\n")
        .nth(k)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// `text` with the first line at or after `from` that starts with `prefix` replaced by
/// `f(line)` (a line removed when `f` gives `None`).
fn edit_line(
    text: &str,
    from: usize,
    prefix: &str,
    f: impl FnOnce(&str) -> Option<String>,
) -> String {
    let at = text[from..]
        .match_indices(&format!("\n{prefix}"))
        .next()
        .map(|(i, _)| from + i + 1)
        .unwrap_or_else(|| panic!("no line `{prefix}` in the plan"));
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let line = &text[at..end - 1];
    let replaced = f(line).map_or(String::new(), |l| format!("{l}\n"));
    format!("{}{replaced}{}", &text[..at], &text[end..])
}

/// `text` with `from` -> `to` everywhere in the `k`-th country section.
fn in_section(text: &str, k: usize, from: &str, to: &str) -> String {
    let (start, end) = (section_start(text, k), section_start(text, k + 1));
    format!(
        "{}{}{}",
        &text[..start],
        text[start..end].replace(from, to),
        &text[end..]
    )
}

/// The plan for the quick fix of `code`: `text` (a synthetic plan) with one edit that draws
/// it, in the middle country section when the rule is about a section, else in `[plan]` or
/// the priorities.
pub fn with_defect(text: &str, code: &str) -> String {
    let countries = text.matches("\n[[country]]\n").count();
    let mid = section_start(text, countries / 2);
    let line = |prefix: &str, f: &dyn Fn(&str) -> Option<String>| edit_line(text, mid, prefix, f);
    match code {
        // The first priority's source removed.
        "SCP002" => edit_line(text, 0, "source = ", |_| None),
        "SCP004" => text.replacen("\nprepared_by = ", "\nprepard_by = ", 1),
        "SCP006" => text.replacen("\ncommand = \"USEUCOM\"", "\ncommand = \"USEUCM\"", 1),
        // Every S&T objective of the section made an SC one.
        "SCP101" => in_section(
            text,
            countries / 2,
            "  kind = \"st\"\n",
            "  kind = \"sc\"\n",
        ),
        // The section's first objective is an S&T one.
        "SCP102" => line("  priorities = ", &|_| Some("  priorities = []".into())),
        "SCP103" => line("  priorities = ", &|_| {
            Some("  priorities = [\"SP-1x\"]".into())
        }),
        "SCP105" => line("  tech_areas = ", &|_| Some("  tech_areas = []".into())),
        // The first link repeated at the end.
        "SCP107" => line("  priorities = ", &|l| {
            let first = l.split('"').nth(1)?;
            Some(format!("{}, \"{first}\"]", l.trim_end_matches(']')))
        }),
        // The agreement of an S&T objective's governance misspelt.
        "SCP108" => line("  governance = ", &|l| Some(l.replacen("\", ", "x\", ", 1))),
        "SCP202" => text.replacen("\nmarking = \"CUI\"", "\nmarking = \"UNCLASSIFIED\"", 1),
        "SCP211" => text.replacen("\nmarking = \"CUI\"", "\nmarking = \"SECRET\"", 1),
        // An agreement last reviewed two years ago.
        "SCP301" => line("  last_reviewed = 2026-", &|l| {
            Some(l.replacen("2026-", "2024-", 1))
        }),
        _ => panic!("no plan for {code}"),
    }
}

/// `text` with a link to SP-1 in the middle section stamped as reviewed when SP-1 had another
/// title: a suspect link (SCP109) for the review queue.
pub fn with_suspect_link(text: &str) -> String {
    let countries = text.matches("\n[[country]]\n").count();
    let mid = section_start(text, countries / 2);
    let stale = scplan::plan::review::stamp("An earlier title (fictional)", "NDS 2026", "");
    let at = text[mid..]
        .match_indices("\n  priorities = [")
        .map(|(i, _)| mid + i + 1)
        .find(|&i| {
            text[i..]
                .lines()
                .next()
                .is_some_and(|l| l.contains("\"SP-1\""))
        })
        .unwrap_or_else(|| panic!("no link to SP-1 in the middle section"));
    edit_line(text, at - 1, "  priorities = [", |l| {
        Some(format!("{l}\n  reviewed_links = {{ SP-1 = \"{stale}\" }}"))
    })
}
