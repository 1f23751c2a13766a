//! The `scplan` command line: clap definitions, dispatch and exit codes.
#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use scplan::check::{self, Settings, registry};
use scplan::config::Config;
use scplan::env::Env;
use scplan::plan::catalog;
use scplan::plan::document::{Edit, ItemPath, PlanDocument};
use scplan::plan::marking::Level;
use scplan::plan::path::{FieldPath, check_type};
use scplan::report::{self, FileReport, Summary, human};
use scplan::store::{self, ContentHash, Lock, OsFs, SaveOptions, SaveReport, StoreError};
use scplan::template;

/// Exit status for a usage error, an unreadable file or a bad setting.
const EXIT_USAGE: u8 = 2;
/// Exit status when the plan has errors or the request was refused.
const EXIT_FINDINGS: u8 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "scplan",
    version,
    about = "Write, check and export theater campaign plans with S&T objectives in every security-cooperation section",
    subcommand_negates_reqs = true
)]
struct Cli {
    /// The highest marking this workstation is accredited for (default: config file, else CUI).
    #[arg(long, global = true, value_name = "LEVEL", value_parser = parse_level)]
    system_high: Option<Level>,

    /// The config file to read instead of $XDG_CONFIG_HOME/scplan/config.toml.
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,

    /// A plan to open in the editor (same as `scplan edit FILE`).
    file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Open a plan in the terminal editor.
    Edit {
        /// The plan file.
        file: PathBuf,
    },
    /// Start a new plan from the template.
    New {
        /// The file to create (must not exist).
        file: PathBuf,
        /// The combatant command.
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(catalog::COMMANDS))]
        command: String,
        /// Start of the plan period (default: the next October 1).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        effective: Option<Date>,
        /// Write a `#:schema PATH` directive so editors complete and check the plan.
        #[arg(long, value_name = "PATH")]
        schema: Option<String>,
    },
    /// Check plans against the whole rule catalogue.
    Check {
        /// The plan files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit 1 on unwaived warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print one field's value as TOML.
    Get {
        /// The plan file.
        file: PathBuf,
        /// plan.FIELD, priority.ID.FIELD, country.CODE.FIELD, objective.ID.FIELD, ...
        path: String,
        /// Print a string's contents without quotes.
        #[arg(long)]
        raw: bool,
    },
    /// Set one field, keeping the rest of the file as it is.
    Set {
        /// The plan file.
        file: PathBuf,
        /// plan.FIELD, priority.ID.FIELD, country.CODE.FIELD, objective.ID.FIELD, ...
        path: String,
        /// A TOML value: '"text"', 2026-11-28, '["SP-1","SP-2"]', 50, true.
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// List the rule catalogue.
    Rules,
    /// Explain one rule: why it matters and how to fix what it finds.
    Explain {
        /// A rule code, e.g. SCP205.
        code: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
}

fn parse_level(s: &str) -> Result<Level, String> {
    Level::parse(s).ok_or_else(|| format!("`{s}` is not a level: use U, CUI, C, S or TS"))
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|e| format!("`{s}` is not a date (YYYY-MM-DD): {e}"))
}

/// An error that ends the run with a given status.
#[derive(Debug)]
struct Exit {
    code: u8,
    message: String,
}

fn fail(code: u8, message: impl Into<String>) -> anyhow::Error {
    anyhow!(Exit {
        code,
        message: message.into(),
    })
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let code = err.downcast_ref::<Exit>().map_or(EXIT_USAGE, |e| e.code);
            let message = scplan::text::sanitize(&format!("{err:#}"));
            eprintln!("scplan: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    let today = jiff::ZonedDateTime::now().date();
    let env =
        Env::from_vars(|name| std::env::var(name).ok(), today).map_err(|e| fail(EXIT_USAGE, e))?;
    let config_path = cli.config.clone().or_else(|| env.config_path.clone());
    let config =
        Config::read(config_path.as_deref()).map_err(|e| fail(EXIT_USAGE, e.to_string()))?;
    let settings = Settings {
        system_high: cli.system_high.or(config.system_high).unwrap_or(Level::Cui),
    };
    let command = match (cli.command, cli.file) {
        (Some(command), _) => command,
        (None, Some(file)) => Command::Edit { file },
        (None, None) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            cmd.print_help()?;
            return Ok(EXIT_USAGE);
        }
    };
    match command {
        Command::Edit { file } => edit(&file),
        Command::New {
            file,
            command,
            effective,
            schema,
        } => new_plan(
            &file,
            &command,
            effective.unwrap_or_else(|| template::next_october_first(env.today)),
            schema.as_deref(),
        ),
        Command::Check {
            files,
            format,
            deny_warnings,
        } => check_files(&files, format, deny_warnings, &settings, &env),
        Command::Get { file, path, raw } => get(&file, &path, raw, &settings),
        Command::Set { file, path, value } => set(&file, &path, &value, &settings, &env),
        Command::Rules => {
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
            Ok(0)
        }
        Command::Explain { code } => explain(&code),
    }
}

fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn read(file: &Path) -> Result<Vec<u8>> {
    store::read_plan(&OsFs, file).map_err(|err| match &err {
        StoreError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            missing(file)
        }
        _ => fail(EXIT_USAGE, err.to_string()),
    })
}

/// The error for a plan that does not exist.
fn missing(file: &Path) -> anyhow::Error {
    fail(
        EXIT_USAGE,
        format!(
            "{}: no such file; to start a plan, run `scplan new {} --command USEUCOM`",
            file.display(),
            file.display()
        ),
    )
}

fn edit(file: &Path) -> Result<u8> {
    let _bytes = read(file)?;
    Err(fail(
        EXIT_FINDINGS,
        format!(
            "the terminal editor is not part of this build yet; check the plan with `scplan check {}` and edit fields with `scplan set`",
            file.display()
        ),
    ))
}

fn new_plan(file: &Path, command: &str, effective: Date, schema: Option<&str>) -> Result<u8> {
    let text = template::render(command, effective, schema);
    let options = SaveOptions {
        create_new: true,
        ..SaveOptions::default()
    };
    match store::save(&OsFs, file, text.as_bytes(), options) {
        Ok(report) => {
            print_notes(&report);
            eprintln!(
                "scplan: created {} ({command}, effective {effective})",
                file.display()
            );
            Ok(0)
        }
        Err(StoreError::Exists { .. }) => Err(fail(
            EXIT_USAGE,
            format!(
                "{}: the file already exists; it was left untouched",
                file.display()
            ),
        )),
        Err(err) => Err(fail(EXIT_USAGE, err.to_string())),
    }
}

fn check_files(
    files: &[PathBuf],
    format: Format,
    deny_warnings: bool,
    settings: &Settings,
    env: &Env,
) -> Result<u8> {
    let reports: Vec<FileReport> = files
        .iter()
        .map(|file| {
            let outcome = store::read_plan(&OsFs, file)
                .map_err(|e| match e {
                    StoreError::Io { source, .. } => source.to_string(),
                    other => other.to_string(),
                })
                .and_then(|bytes| check::check_bytes(&bytes, settings).map_err(|e| e.to_string()));
            FileReport {
                path: file.display().to_string(),
                outcome,
            }
        })
        .collect();
    let text = match format {
        Format::Json => report::json::render(&reports),
        Format::Sarif => report::sarif::render(&reports),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && !env.no_color;
            human::render(&reports, human::Style { color })
        }
    };
    print(&text)?;
    let summary = Summary::of_files(&reports);
    Ok(if reports.iter().any(|r| r.outcome.is_err()) {
        EXIT_USAGE
    } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        EXIT_FINDINGS
    } else {
        0
    })
}

/// Loads a plan for `get`/`set`, refusing one whose marking is above the system high.
fn open_document(file: &Path, settings: &Settings) -> Result<(Vec<u8>, PlanDocument)> {
    let bytes = read(file)?;
    let checked =
        check::check_bytes(&bytes, settings).map_err(|e| fail(EXIT_USAGE, e.to_string()))?;
    if let Some(d) = checked.diagnostics.iter().find(|d| d.code == "SCP209") {
        return Err(fail(
            EXIT_FINDINGS,
            format!(
                "{}:{}:{}: {} — refusing to copy content above the system high",
                file.display(),
                d.loc.line,
                d.loc.column,
                d.message
            ),
        ));
    }
    let doc = PlanDocument::from_bytes(&bytes)
        .map_err(|e| fail(EXIT_FINDINGS, format!("{}: {e}", file.display())))?;
    Ok((bytes, doc))
}

fn locate(doc: &PlanDocument, path: &FieldPath, file: &Path) -> Result<scplan::plan::model::Node> {
    doc.resolve(&path.item).ok_or_else(|| {
        let what = match &path.item {
            ItemPath::Plan => "[plan]".to_string(),
            ItemPath::Cui => "[plan.cui]".to_string(),
            ItemPath::Priority(id)
            | ItemPath::Country(id)
            | ItemPath::Objective(id)
            | ItemPath::Agreement(id)
            | ItemPath::Actor(id)
            | ItemPath::Pool(id) => format!("{} `{id}`", path.kind.noun()),
        };
        fail(
            EXIT_FINDINGS,
            format!("{}: there is no {what}", file.display()),
        )
    })
}

fn get(file: &Path, path: &str, raw: bool, settings: &Settings) -> Result<u8> {
    let path = FieldPath::parse(path).map_err(|e| fail(EXIT_FINDINGS, e.to_string()))?;
    let (_, doc) = open_document(file, settings)?;
    let node = locate(&doc, &path, file)?;
    let value = match doc.get(node, &path.field) {
        Some(toml_edit::Item::Value(v)) => v.clone(),
        Some(_) => {
            return Err(fail(
                EXIT_FINDINGS,
                format!("`{}` is a table, not a value", path.field),
            ));
        }
        None => return Err(fail(EXIT_FINDINGS, format!("`{}` is not set", path.field))),
    };
    let text = match (&value, raw) {
        (toml_edit::Value::String(s), true) => s.value().clone(),
        _ => {
            let mut v = value;
            v.decor_mut().clear();
            v.to_string()
        }
    };
    print(&format!("{text}\n"))?;
    Ok(0)
}

fn set(file: &Path, path: &str, value: &str, settings: &Settings, env: &Env) -> Result<u8> {
    let path = FieldPath::parse(path).map_err(|e| fail(EXIT_FINDINGS, e.to_string()))?;
    let value: toml_edit::Value = value.parse().map_err(|_| {
        fail(
            EXIT_FINDINGS,
            format!("`{value}` is not a TOML value; quote text as '\"text\"', write dates bare (2026-11-28) and lists as '[\"SP-1\"]'"),
        )
    })?;
    let spec = path.spec().context("unknown field")?;
    check_type(spec, &value).map_err(|e| fail(EXIT_FINDINGS, e.to_string()))?;
    if !file.exists() {
        return Err(missing(file));
    }
    // Hold the editing lock from the read to the write: an editor that has the plan open
    // makes `set` refuse, and no editor opens it meanwhile.
    let _lock = Lock::acquire(Arc::new(OsFs), file).map_err(refused)?;
    store::clean_stale_temps(&OsFs, file).map_err(refused)?;
    let (loaded, mut doc) = open_document(file, settings)?;
    let node = locate(&doc, &path, file)?;
    if let Some(item) = doc.get(node, &path.field)
        && !item.is_value()
    {
        return Err(fail(
            EXIT_FINDINGS,
            format!("`{}` is a table, not a value", path.field),
        ));
    }
    doc.apply(Edit::SetField {
        node,
        field: path.field.clone(),
        value: Some(value),
    })
    .map_err(|e| fail(EXIT_FINDINGS, e.to_string()))?;
    let bytes = doc.to_bytes();
    let options = SaveOptions {
        expect: Some(ContentHash::of(&loaded)),
        ..SaveOptions::default()
    };
    let report = store::save(&OsFs, file, &bytes, options).map_err(refused)?;
    print_notes(&report);
    // Report what the change left wrong with this item.
    let item = match &path.item {
        ItemPath::Plan | ItemPath::Cui => "plan".to_string(),
        ItemPath::Priority(id)
        | ItemPath::Country(id)
        | ItemPath::Objective(id)
        | ItemPath::Agreement(id)
        | ItemPath::Actor(id)
        | ItemPath::Pool(id) => id.clone(),
    };
    if let Ok(mut checked) = check::check_bytes(&bytes, settings) {
        checked.diagnostics.retain(|d| d.item == item);
        if !checked.diagnostics.is_empty() {
            let reports = [FileReport {
                path: file.display().to_string(),
                outcome: Ok(checked),
            }];
            let color = std::io::stderr().is_terminal() && !env.no_color;
            eprint!("{}", human::render(&reports, human::Style { color }));
        }
    }
    Ok(0)
}

/// A store error as the run's failure: a refusal (locked, changed on disk, read-only) exits 1,
/// anything else 2; nothing was written either way.
fn refused(err: StoreError) -> anyhow::Error {
    let code = match err {
        StoreError::Locked { .. }
        | StoreError::ChangedOnDisk { .. }
        | StoreError::ReadOnly { .. } => EXIT_FINDINGS,
        _ => EXIT_USAGE,
    };
    fail(code, format!("not saved: {err}"))
}

/// Tells what a save could not keep (an owner, an extended attribute).
fn print_notes(report: &SaveReport) {
    for note in &report.notes {
        eprintln!(
            "scplan: note: {}: {}",
            scplan::text::sanitize(&report.written.display().to_string()),
            scplan::text::sanitize(note)
        );
    }
}

fn explain(code: &str) -> Result<u8> {
    let Some(rule) = registry::find(code) else {
        let hint = catalog::closest(
            &code.to_ascii_uppercase(),
            registry::RULES.iter().map(|r| r.code),
        )
        .map(|c| format!(" (did you mean {c}?)"))
        .unwrap_or_default();
        return Err(fail(
            EXIT_USAGE,
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
    Ok(0)
}
