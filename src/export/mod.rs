//! Exports of a checked plan: self-contained HTML, Markdown, JSON, a CSV traceability
//! matrix (and a CSV of links for tools), a Word document and an Excel workbook, each with a validation stamp, optionally only what is releasable to one country
//! (a partner copy, with a release record of what it withholds). Only a plan that passes
//! `check` leaves, unless it is exported as a marked draft; nothing leaves while a portion
//! marking cannot be read, nor when one is above the system high.

pub mod csv;
pub mod docx;
pub mod docx_package;
pub mod html;
pub mod json;
pub mod markdown;
pub mod prose;
pub mod release;
pub mod stamp;
pub mod unreadable;
pub mod view;
pub mod xlsx;

use std::borrow::Cow;

use jiff::Timestamp;

use crate::check::diagnostic::Diagnostic;
use crate::check::registry::Severity;
use crate::check::{self, CheckError, Checked, Settings};
use crate::plan::catalog;
use crate::plan::marking;
use crate::plan::model::text;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One self-contained, print-ready HTML file.
    Html,
    /// Markdown.
    Markdown,
    /// JSON, following `assets/export.schema.json`.
    Json,
    /// The traceability matrix as CSV, for people.
    Csv,
    /// One CSV row per objective-priority link, for tools: the header on row 1, the banner
    /// and the stamp in columns of every row.
    CsvLinks,
    /// A Word document (binary).
    Docx,
    /// An Excel workbook, one sheet per table (binary).
    Xlsx,
}

impl Format {
    /// Every format, in the order help text lists them.
    pub const ALL: [Format; 7] = [
        Format::Html,
        Format::Markdown,
        Format::Json,
        Format::Csv,
        Format::CsvLinks,
        Format::Docx,
        Format::Xlsx,
    ];

    /// The name used on the command line: `html`, `md`, `json`, `csv`, `csv-links`, `docx`,
    /// `xlsx`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::CsvLinks => "csv-links",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
        }
    }

    /// The file extension, after the plan's stem: the name, except `links.csv` for
    /// `csv-links` (a CSV file, which must not replace the `csv` export beside it).
    pub fn extension(self) -> &'static str {
        match self {
            Format::CsvLinks => "links.csv",
            other => other.name(),
        }
    }

    /// Whether the output is binary (an office file), which a terminal cannot show.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Docx | Format::Xlsx)
    }

    /// Parses a command-line name.
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// What to export and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The format.
    pub format: Format,
    /// Export a plan with errors anyway, marked as a draft.
    pub draft: bool,
    /// Keep only the portions releasable to this country (ISO 3166-1 alpha-3, any case).
    pub releasable_to: Option<String>,
    /// The time to stamp (see `Env::stamp_time`).
    pub time: Timestamp,
}

/// Why nothing was exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// `--releasable-to` names no partner country.
    #[error(
        "`{0}` is not a partner country code: use an ISO 3166-1 alpha-3 code other than USA, e.g. POL"
    )]
    UnknownCountry(String),
    /// The file could not be checked at all.
    #[error(transparent)]
    Check(#[from] CheckError),
    /// The file does not parse (SCP001): there is nothing to export, not even a draft.
    #[error("the plan does not parse (SCP001); nothing was exported, not even a draft")]
    NotParsed(Box<Checked>),
    /// A marking is above the system high (SCP209): no copy of the content may be made.
    #[error("a marking is above the system high (SCP209); nothing was exported, not even a draft")]
    AboveSystemHigh(Box<Checked>),
    /// A portion marking cannot be read (SCP201, SCP208, SCP003): no banner can be computed,
    /// so nothing is exported, not even a draft.
    #[error("{}", unreadable::refusal(portions, None))]
    UnreadableMarkings {
        /// The portions whose markings cannot be read.
        portions: Vec<unreadable::Unreadable>,
        /// The check, for listing their diagnostics.
        checked: Box<Checked>,
    },
    /// `check` found unwaived errors and no draft was asked for.
    #[error(
        "the plan has {count} unwaived error(s); fix them, or export a draft marked \"DRAFT - NOT VALIDATED\" with --draft"
    )]
    Invalid {
        /// How many unwaived errors.
        count: usize,
        /// The check, for listing the errors.
        checked: Box<Checked>,
    },
    /// A format could not be written (a template or writer failure, not the plan's fault).
    #[error("the {format} export could not be rendered: {message}")]
    Render {
        /// The format's name.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl ExportError {
    /// The check that led to a refusal, for listing its findings.
    pub fn checked(&self) -> Option<&Checked> {
        match self {
            ExportError::NotParsed(c) | ExportError::AboveSystemHigh(c) => Some(c),
            ExportError::Invalid { checked, .. }
            | ExportError::UnreadableMarkings { checked, .. } => Some(checked),
            _ => None,
        }
    }

    /// The refusal as a command says it of the plan `file`: the file first, and each
    /// unreadable marking at `file:line:col`.
    pub fn of_file(&self, file: &str) -> String {
        match self {
            ExportError::UnreadableMarkings { portions, .. } => {
                format!("{file}: {}", unreadable::refusal(portions, Some(file)))
            }
            other => format!("{file}: {other}"),
        }
    }

    /// Whether a refusal is about diagnostic `d`, which a front end then lists: the
    /// diagnostics of the unreadable markings, or else every unwaived error.
    pub fn concerns(&self, d: &Diagnostic) -> bool {
        match self {
            ExportError::UnreadableMarkings { portions, .. } => portions
                .iter()
                .any(|p| p.loc == d.loc && p.defect.code() == d.code),
            _ => is_unwaived_error(d),
        }
    }
}

/// A finished export and the check behind it (whose warnings a caller may list).
#[derive(Debug)]
pub struct Exported {
    /// The output, ready to write.
    pub bytes: Vec<u8>,
    /// For a partner copy, its release record (see [`release::record`]), to be written
    /// beside it: the copy never goes without it.
    pub release_record: Option<Vec<u8>>,
    /// The check of the plan: its diagnostics and text, for listing them. The typed plan
    /// itself is freed on another core once the output is made (no caller reads it, and a
    /// large one takes a while to take apart).
    pub checked: Checked,
}

/// `f` of every item, in order: the second half on another core where a thread can be had
/// (the countries of a large plan are laid out independently of each other).
pub(crate) fn map_on_two_cores<T: Sync, U: Send>(
    items: &[T],
    f: impl Fn(&T) -> U + Sync,
) -> Vec<U> {
    let (first, second) = items.split_at(items.len() / 2);
    let f = &f;
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .spawn_scoped(scope, move || second.iter().map(f).collect::<Vec<U>>());
        let mut out: Vec<U> = first.iter().map(f).collect();
        match other {
            Ok(handle) => out.extend(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            ),
            Err(_) => out.extend(second.iter().map(f)),
        }
        out
    })
}

/// The deflate level of the office packages (Word, Excel): the fastest. Their XML repeats
/// itself so much that it already shrinks tenfold, and a higher level costs more than the
/// rest of the export.
pub(crate) const DEFLATE_LEVEL: u8 = 1;

/// `write` of every item into `out`, in order: the first half straight into `out`, the second
/// half on another core into a buffer of its own, appended once done (the countries of a
/// large plan are laid out independently of each other, and only half of them is then held
/// twice).
pub(crate) fn write_on_two_cores<T: Sync, E: Send>(
    items: &[T],
    out: &mut String,
    write: impl Fn(&T, &mut String) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let (first, second) = items.split_at(items.len() / 2);
    let write = &write;
    let all = |items: &[T], out: &mut String| items.iter().try_for_each(|item| write(item, out));
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, move || {
            let mut rest = String::new();
            all(second, &mut rest).map(|()| rest)
        });
        all(first, out)?;
        match other {
            Ok(handle) => out.push_str(
                &handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?,
            ),
            Err(_) => all(second, out)?,
        }
        Ok(())
    })
}

/// Whether an unwaived diagnostic stops an export.
fn is_unwaived_error(d: &Diagnostic) -> bool {
    !d.waived && d.severity == Severity::Error
}

/// Checks that `code` names a partner country, ISO 3166-1 alpha-3 in any letter case and not
/// USA; returns it in upper case (`pol` -> `POL`).
pub fn partner_code(code: &str) -> Result<String, ExportError> {
    let upper = code.to_ascii_uppercase();
    if upper != "USA" && catalog::is_country(&upper) {
        Ok(upper)
    } else {
        Err(ExportError::UnknownCountry(code.to_string()))
    }
}

/// Checks the plan file's `bytes` and, when it passes (or `request.draft` allows), renders it.
pub fn export(
    bytes: &[u8],
    settings: &Settings,
    request: &Request,
) -> Result<Exported, ExportError> {
    let to = request
        .releasable_to
        .as_deref()
        .map(partner_code)
        .transpose()?;
    // The stamp's hash of the file is made on another core while the plan is checked.
    let (checked, plan_sha256) = std::thread::scope(|scope| {
        let hash = std::thread::Builder::new().spawn_scoped(scope, || stamp::sha256_hex(bytes));
        let checked = check::check_bytes(bytes, settings);
        let hash = match hash {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => stamp::sha256_hex(bytes),
        };
        (checked, hash)
    });
    let mut checked = checked?;
    let has = |code: &str| checked.diagnostics.iter().any(|d| d.code == code);
    if has("SCP001") {
        return Err(ExportError::NotParsed(Box::new(checked)));
    }
    if has("SCP209") {
        return Err(ExportError::AboveSystemHigh(Box::new(checked)));
    }
    // Before the draft decision: a draft's banner is computed from its markings too.
    let portions = checked
        .plan
        .as_ref()
        .map(unreadable::unreadable)
        .unwrap_or_default();
    if !portions.is_empty() {
        return Err(ExportError::UnreadableMarkings {
            portions,
            checked: Box::new(checked),
        });
    }
    let count = checked
        .diagnostics
        .iter()
        .filter(|d| is_unwaived_error(d))
        .count();
    if count > 0 && !request.draft {
        return Err(ExportError::Invalid {
            count,
            checked: Box::new(checked),
        });
    }
    let draft = count > 0;
    let Some(plan) = &checked.plan else {
        return Err(ExportError::NotParsed(Box::new(checked)));
    };
    // JSON escapes every character itself and is read by programs: it keeps text exactly.
    let clean: stamp::Clean = match request.format {
        Format::Json => |s| Cow::Borrowed(s),
        _ => prose::document_text,
    };
    let release = release::Release::decide(plan, to.as_deref(), &checked.diagnostics);
    let stamp = stamp::Stamp::new(
        plan_sha256,
        plan,
        &checked.diagnostics,
        &release,
        draft,
        request.time,
        clean,
    );
    let recipient = to.as_deref().map(release::Recipient::new);
    let release_record = recipient.as_ref().map(|recipient| {
        let head = release::RecordHead {
            plan_id: text(&plan.meta.id),
            version: text(&plan.meta.version),
            recipient,
            time: &stamp.time,
            plan_sha256: &stamp.plan_sha256,
            status: stamp.status,
        };
        let banner = marking::roll_up(&release.all, plan.meta.profile());
        release::record(&head, &release, &banner)
    });
    let view = view::build(plan, &release, recipient, draft, clean, stamp);
    // Room for a whole plan's page or document at once (its markup or its keys and spaces
    // about double the text), rather than a buffer doubled and copied as it grows.
    let room = bytes.len().saturating_mul(5) / 2;
    let rendered = match request.format {
        Format::Html => html::render(&view, room),
        Format::Markdown => Ok(markdown::render(&view)),
        Format::Json => json::render(&view, room),
        Format::Csv => csv::render(&view),
        Format::CsvLinks => csv::render_links(&view),
        Format::Docx => docx::render(&view),
        Format::Xlsx => xlsx::render(&view),
    };
    drop(view);
    crate::parallel::drop_aside(checked.plan.take());
    let bytes = rendered.map_err(|message| ExportError::Render {
        format: request.format.name(),
        message,
    })?;
    Ok(Exported {
        bytes,
        release_record,
        checked,
    })
}

#[cfg(test)]
mod tests {
    use super::write_on_two_cores;

    #[test]
    fn items_are_written_in_order_after_what_the_buffer_held() {
        for n in [0, 1, 2, 3, 10] {
            let items: Vec<usize> = (0..n).collect();
            let mut out = String::from("head;");
            let written = write_on_two_cores(&items, &mut out, |i, out| {
                out.push_str(&format!("{i};"));
                Ok::<(), ()>(())
            });
            assert_eq!(written, Ok(()));
            let expected: String = items.iter().map(|i| format!("{i};")).collect();
            assert_eq!(out, format!("head;{expected}"));
        }
    }

    #[test]
    fn an_error_in_either_half_is_returned() {
        let items: Vec<usize> = (0..10).collect();
        for bad in [2, 8] {
            let mut out = String::new();
            let written = write_on_two_cores(&items, &mut out, |&i, out| {
                if i == bad {
                    return Err(i);
                }
                out.push('x');
                Ok(())
            });
            assert_eq!(written, Err(bad));
        }
    }
}
