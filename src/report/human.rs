//! rustc-style text: `error[SCP102]: ...`, `--> file:line:col`, the source line with a caret
//! under the span and a `help:` line; colour only when asked for.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::{FileReport, Summary, plural};
use crate::check::diagnostic::Diagnostic;
use crate::check::registry::Severity;
use crate::check::{Checked, Clearance};
use crate::plan::source::LineIndex;
use crate::text::sanitize;

/// How to write the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// Renders every file's diagnostics and a closing summary line.
pub fn render(files: &[FileReport], style: Style) -> String {
    let mut out = String::new();
    for file in files {
        render_report(&mut out, file, style);
    }
    out.push_str(&render_summary(files, style));
    out
}

/// Renders one file's part of [`render`]: its diagnostics, or why it could not be read. A
/// caller that checks many files renders each as soon as it is checked, then lets its plan go.
pub fn render_report(out: &mut String, file: &FileReport, style: Style) {
    match &file.outcome {
        Ok(checked) => render_file(out, &file.path, checked, style),
        Err(error) => {
            let _ = writeln!(
                out,
                "{}: {}: {}\n",
                style.paint("1;31", "error"),
                sanitize(&file.path),
                sanitize(error)
            );
        }
    }
}

/// The closing summary line of [`render`]: it counts only the files' diagnostics and outcomes,
/// so reports whose plans and texts were let go give the same line.
pub fn render_summary(files: &[FileReport], style: Style) -> String {
    let s = Summary::of_files(files);
    let unreadable = files.iter().filter(|f| f.outcome.is_err()).count();
    let mut line = format!(
        "{}, {}, {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    );
    if s.waived > 0 {
        let _ = write!(line, ", {} waived", s.waived);
    }
    let _ = write!(line, " in {}", plural(files.len(), "file"));
    if unreadable > 0 {
        let _ = write!(line, " ({unreadable} could not be read)");
    }
    format!("{}: {line}\n", style.paint("1", "summary"))
}

fn render_file(out: &mut String, path: &str, checked: &Checked, style: Style) {
    // A plan above the system high is shown by location only: no copy of its content.
    let show_source = Clearance::of(&checked.diagnostics) == Clearance::Within;
    // Indexing a large plan's lines costs a pass over it: only when a line is shown.
    let index =
        (show_source && !checked.diagnostics.is_empty()).then(|| LineIndex::new(&checked.text));
    for d in &checked.diagnostics {
        render_one(out, path, d, index.as_ref(), style);
    }
}

fn render_one(
    out: &mut String,
    path: &str,
    d: &Diagnostic,
    index: Option<&LineIndex>,
    style: Style,
) {
    let head = format!("{}[{}]", d.severity.as_str(), d.code);
    let waived = if d.waived { " (waived)" } else { "" };
    let _ = writeln!(
        out,
        "{}{}: {}",
        style.paint(severity_color(d.severity), &head),
        waived,
        style.paint("1", &sanitize(&d.message))
    );
    let line_no = d.loc.line.to_string();
    let pad = " ".repeat(line_no.len());
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}  [{}]",
        style.paint("1;34", "-->"),
        sanitize(path),
        d.loc.line,
        d.loc.column,
        sanitize(&d.item)
    );
    if let Some(source) = index.and_then(|i| i.line_text(d.loc.line)) {
        let bar = style.paint("1;34", "|");
        let shown = sanitize(source);
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(out, "{} {bar} {shown}", style.paint("1;34", &line_no));
        // Pad by what the sanitized text before the column takes on screen, and underline
        // what the sanitized span takes.
        let before: String = source
            .chars()
            .take(d.loc.column.saturating_sub(1) as usize)
            .collect();
        let span: String = source
            .chars()
            .skip(d.loc.column.saturating_sub(1) as usize)
            .take(d.loc.len as usize)
            .collect();
        // By display width: a wide character takes two columns (a tab is shown as a space).
        let caret_pad = " ".repeat(sanitize(&before).width());
        let carets = "^".repeat(sanitize(&span).width().max(1));
        let _ = writeln!(
            out,
            "{pad} {bar} {caret_pad}{}",
            style.paint(severity_color(d.severity), &carets)
        );
    }
    if let Some(help) = &d.help {
        let _ = writeln!(
            out,
            "{pad} = {}: {}",
            style.paint("1", "help"),
            sanitize(help)
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check_bytes};

    fn report(color: bool) -> String {
        let bytes = b"[plan]\nformat = 1\nid = \"X\"\ntitle = \"T\"\ncommand = \"USEUCOM\"\nversion = \"1\"\neffective = 2026-10-01\nmarking = \"UNCLASSIFIED\"\ntitel = \"\"\ncommand2 = \"\\u001b]52;c;x\\u0007\"\n";
        let checked = check_bytes(bytes, &Settings::default()).unwrap();
        let files = [FileReport {
            path: "p.toml".to_string(),
            outcome: Ok(checked),
        }];
        render(&files, Style { color })
    }

    #[test]
    fn colour_only_when_asked_and_plan_text_never_raw() {
        let plain = report(false);
        assert!(!plain.contains('\u{1b}'), "{plain}");
        assert!(plain.contains("unknown key `command2`"), "{plain}");
        assert!(plain.contains("warning[SCP004]: unknown key `titel`"));
        assert!(plain.contains("= help: did you mean `title`?"));
        let coloured = report(true);
        assert!(coloured.contains("\u{1b}[1;33mwarning[SCP004]\u{1b}[0m"));
        // The only escapes are the report's own colours.
        let stripped = coloured
            .replace("\u{1b}[0m", "")
            .replace("\u{1b}[1;33m", "")
            .replace("\u{1b}[1;31m", "")
            .replace("\u{1b}[1;34m", "")
            .replace("\u{1b}[1m", "")
            .replace("\u{1b}[1;36m", "");
        assert!(!stripped.contains('\u{1b}'), "{stripped}");
    }

    #[test]
    fn the_caret_is_under_its_span_after_wide_characters() {
        let bytes = "[plan]\nformat = 1\nid = \"X\"\ntitle = \"T\"\ncommand = \"USEUCOM\"\nversion = \"1\"\neffective = 2026-10-01\nmarking = \"UNCLASSIFIED\"\n\"計画\" = 1\n\t\"計\".x = 2\n";
        let checked = check_bytes(bytes.as_bytes(), &Settings::default()).unwrap();
        let files = [FileReport {
            path: "p.toml".to_string(),
            outcome: Ok(checked),
        }];
        let text = render(&files, Style { color: false });
        // `"計画"` is 6 columns wide (two wide characters and two quotes).
        assert!(text.contains("9 | \"計画\" = 1\n  | ^^^^^^\n"), "{text}");
        assert!(text.contains("10 |  \"計\".x = 2\n   |  ^^^^\n"), "{text}");
    }
}
