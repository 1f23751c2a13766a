//! The `scplan` command line: clap definitions, dispatch and exit codes.
#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use scplan::check::diagnostic::Diagnostic;
use scplan::check::registry::Severity;
use scplan::check::{self, Settings, registry};
use scplan::config::{Config, Location};
use scplan::diff::{self, VersionError};
use scplan::env::Env;
use scplan::export;
use scplan::manual;
use scplan::plan::catalog;
use scplan::plan::document::{Edit, ItemPath, PlanDocument};
use scplan::plan::json;
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
    /// Export a plan that passes `check`: HTML, Markdown, JSON or a CSV traceability matrix.
    Export {
        /// The plan file.
        file: PathBuf,
        /// The output format.
        #[arg(long, value_name = "FORMAT", value_parser = export_format())]
        format: export::Format,
        /// Write to FILE (atomically) instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
        /// Export a plan with errors anyway, marked "DRAFT - NOT VALIDATED".
        #[arg(long)]
        draft: bool,
        /// Keep only what is releasable to this country (ISO 3166-1 alpha-3, e.g. POL); what
        /// is withheld goes to a release record beside the copy (OUT.release-record.txt).
        #[arg(long, value_name = "CODE")]
        releasable_to: Option<String>,
        /// Write the release record of a partner copy to FILE.
        #[arg(long, value_name = "FILE", requires = "releasable_to")]
        release_record: Option<PathBuf>,
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
    /// Show what changed between two versions of a plan (exit 0 when equal, 1 when not).
    Diff {
        /// The previous version.
        old: PathBuf,
        /// The current version.
        new: PathBuf,
        /// Output format: a line per change, JSON, or a Markdown annex for a review memo.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
    },
    /// List the rule catalogue.
    Rules,
    /// Print the JSON Schema of the plan format, for editors with TOML schema support.
    Schema,
    /// Print a shell completion script (see the README for where to install it).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (`scplan man > scplan.1`).
    Man,
    /// Print the settings in force, where each came from, and the config file's path.
    Config {
        /// Only validate the config file (exit 2, naming the key and the file, when it is bad).
        #[arg(long)]
        check: bool,
    },
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Human,
    Json,
    Md,
}

fn parse_level(s: &str) -> Result<Level, String> {
    Level::parse(s).ok_or_else(|| format!("`{s}` is not a level: use U, CUI, C, S or TS"))
}

fn export_format() -> impl clap::builder::TypedValueParser<Value = export::Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(export::Format::ALL.map(export::Format::name))
        .try_map(|name| export::Format::parse(&name).ok_or("unknown format"))
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
    // Global options may come before the subcommand, so clap accepts a FILE there too.
    if let (Some(_), Some(file)) = (&cli.command, &cli.file) {
        return Err(fail(
            EXIT_USAGE,
            format!(
                "unexpected argument `{}` before the subcommand; to open a plan, run `scplan FILE` alone",
                file.display()
            ),
        ));
    }
    let today = jiff::ZonedDateTime::now().date();
    let env =
        Env::from_vars(|name| std::env::var(name).ok(), today).map_err(|e| fail(EXIT_USAGE, e))?;
    let location = match cli.config.clone() {
        Some(path) => Location {
            path: Some(path),
            chosen_by: Some("--config"),
        },
        None => Location {
            path: env.config_path.clone(),
            chosen_by: env.config_origin,
        },
    };
    let config =
        Config::read(location.path.as_deref()).map_err(|e| fail(EXIT_USAGE, e.to_string()))?;
    // The [keys] overrides are checked against the editor's actions and key names for every
    // command, so that `scplan config --check` and `scplan check` report a bad one too.
    if let Err(err) = scplan::tui::keymap::Keymap::new(&config.keys) {
        let file = config
            .path
            .as_ref()
            .map_or_else(String::new, |p| format!("{}: ", p.display()));
        return Err(fail(EXIT_USAGE, format!("config file {file}{err}")));
    }
    let settings = Settings {
        system_high: config.system_high(cli.system_high).value,
    };
    let mono = config.mono(env.no_color).value;
    let command = match (cli.command, cli.file) {
        (Some(command), _) => command,
        (None, Some(file)) => Command::Edit { file },
        (None, None) => {
            let files = scplan::tui::run::plan_files(Path::new("."));
            if files.is_empty() {
                use clap::CommandFactory;
                let mut cmd = Cli::command();
                cmd.print_help()?;
                return Ok(EXIT_USAGE);
            }
            let app = scplan::tui::run::app(Arc::new(OsFs), None, files, &env, &config, settings)
                .map_err(|e| fail(EXIT_USAGE, e.to_string()))?;
            return run_editor(app);
        }
    };
    match command {
        Command::Edit { file } => edit(&file, &env, &config, settings),
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
        } => check_files(&files, format, deny_warnings, &settings, mono),
        Command::Export {
            file,
            format,
            output,
            force,
            draft,
            releasable_to,
            release_record,
        } => export_plan(
            &file,
            output.as_deref(),
            release_record.as_deref(),
            force,
            export::Request {
                format,
                draft,
                releasable_to,
                time: env.stamp_time(),
            },
            &settings,
            mono,
        ),
        Command::Get { file, path, raw } => get(&file, &path, raw, &settings),
        Command::Set { file, path, value } => set(&file, &path, &value, &settings, mono),
        Command::Diff { old, new, format } => diff_files(&old, &new, format, &settings),
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
        Command::Schema => {
            print(&json::schema_text())?;
            Ok(0)
        }
        Command::Completions { shell } => {
            write_bytes(&manual::completions(shell, Cli::command()))?;
            Ok(0)
        }
        Command::Config { check } => {
            print(&if check {
                config.validation(&location)
            } else {
                config.report(&location, cli.system_high, env.no_color)
            })?;
            Ok(0)
        }
        Command::Man => {
            write_bytes(&manual::man_page(Cli::command())?)?;
            Ok(0)
        }
    }
}

fn print(text: &str) -> Result<()> {
    write_bytes(text.as_bytes())
}

fn write_bytes(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
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

fn edit(file: &Path, env: &Env, config: &Config, settings: Settings) -> Result<u8> {
    let app = scplan::tui::run::app(
        Arc::new(OsFs),
        Some(file),
        Vec::new(),
        env,
        config,
        settings,
    )
    .map_err(|err| match &err {
        scplan::tui::run::StartError::Store(StoreError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            missing(file)
        }
        _ => fail(EXIT_USAGE, err.to_string()),
    })?;
    run_editor(app)
}

/// Runs the editor, which needs a terminal on both ends.
fn run_editor(app: scplan::tui::app::App) -> Result<u8> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(fail(
            EXIT_USAGE,
            "the editor needs a terminal; in scripts use `scplan check`, `scplan get` and `scplan set`",
        ));
    }
    scplan::tui::run::run(app)?;
    Ok(0)
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
    mono: bool,
) -> Result<u8> {
    // This command only reads and reports, then exits: parse trees need not be freed.
    scplan::plan::load::keep_parse_trees();
    let reports: Vec<FileReport> = files
        .iter()
        .map(|file| {
            let outcome = store::read_plan(&OsFs, file)
                .map_err(|e| match e {
                    StoreError::Io { source, .. } => source.to_string(),
                    other => other.to_string(),
                })
                .and_then(|bytes| check::check_vec(bytes, settings).map_err(|e| e.to_string()));
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
            let color = std::io::stdout().is_terminal() && !mono;
            human::render(&reports, human::Style { color })
        }
    };
    print(&text)?;
    let summary = Summary::of_files(&reports);
    let code = if reports.iter().any(|r| r.outcome.is_err()) {
        EXIT_USAGE
    } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        EXIT_FINDINGS
    } else {
        0
    };
    // The process exits next: freeing every plan, text and report one allocation at a time
    // would only delay that (the operating system takes the memory back at once).
    std::mem::forget(reports);
    std::mem::forget(text);
    Ok(code)
}

/// Lists the diagnostics of a check that `keep` selects on standard error, rustc-style.
fn list_on_stderr(
    file: &Path,
    mut checked: check::Checked,
    keep: impl Fn(&Diagnostic) -> bool,
    mono: bool,
) {
    checked.diagnostics.retain(|d| keep(d));
    if checked.diagnostics.is_empty() {
        return;
    }
    let reports = [FileReport {
        path: file.display().to_string(),
        outcome: Ok(checked),
    }];
    let color = std::io::stderr().is_terminal() && !mono;
    eprint!("{}", human::render(&reports, human::Style { color }));
}

/// Why an export's output was not written, with what the user can do about it.
fn output_error(err: StoreError) -> anyhow::Error {
    match err {
        StoreError::Exists { .. } => fail(EXIT_USAGE, format!("{err}; add --force to replace it")),
        StoreError::IsThePlan { .. } => fail(EXIT_USAGE, err.to_string()),
        other => fail(EXIT_USAGE, format!("not exported: {other}")),
    }
}

/// Exports `file` to `output` (standard output when `None`), a partner copy's release record
/// to `record` (else beside the output).
fn export_plan(
    file: &Path,
    output: Option<&Path>,
    record: Option<&Path>,
    force: bool,
    request: export::Request,
    settings: &Settings,
    mono: bool,
) -> Result<u8> {
    if let Some(code) = &request.releasable_to {
        export::partner_code(code).map_err(|e| fail(EXIT_USAGE, e.to_string()))?;
    }
    let partner = request.releasable_to.is_some();
    let outputs =
        store::export_outputs(&OsFs, file, output, record, partner, force).map_err(output_error)?;
    let bytes = read(file)?;
    let exported = export::export(&bytes, settings, &request).map_err(|err| {
        // A refusal for what the plan holds lists it; anything else is a usage problem.
        let code = match err.checked() {
            Some(checked) => {
                list_on_stderr(file, checked.clone(), |d| err.concerns(d), mono);
                EXIT_FINDINGS
            }
            None => EXIT_USAGE,
        };
        fail(code, format!("{}: {err}", file.display()))
    })?;
    // A draft lists the errors it carries; any export lists the warnings nobody waived.
    let unwaived_problem = |d: &Diagnostic| !d.waived && d.severity != Severity::Info;
    list_on_stderr(file, exported.checked, unwaived_problem, mono);
    let record = exported.release_record.as_deref();
    let reports = outputs.write(&OsFs, file, &exported.bytes, record, force);
    for report in reports.map_err(output_error)? {
        print_notes(&report);
    }
    let shown = |path: &Path| scplan::text::sanitize(&path.display().to_string());
    if let Some(out) = &outputs.copy {
        let (plan, format) = (shown(file), request.format.name());
        eprintln!("scplan: exported {plan} as {format} to {}", shown(out));
    }
    if let Some(record) = &outputs.record {
        eprintln!("scplan: the release record is in {}", shown(record));
    }
    if outputs.copy.is_none() {
        let mut out = std::io::stdout().lock();
        out.write_all(&exported.bytes)?;
        out.flush()?;
    }
    Ok(0)
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

fn set(file: &Path, path: &str, value: &str, settings: &Settings, mono: bool) -> Result<u8> {
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
    if let Ok(checked) = check::check_bytes(&bytes, settings) {
        list_on_stderr(file, checked, |d| d.item == item, mono);
    }
    Ok(0)
}

/// Loads one version for `diff`: exit 2 when it cannot be read or parsed, 1 when it is above
/// the system high.
fn load_version(file: &Path, settings: &Settings) -> Result<diff::Version> {
    let bytes = read(file)?;
    diff::Version::load(&bytes, settings).map_err(|err| match err {
        VersionError::Unreadable(_) => fail(EXIT_USAGE, format!("{}: {err}", file.display())),
        VersionError::Syntax { .. } => fail(EXIT_USAGE, format!("{}:{err}", file.display())),
        VersionError::AboveSystemHigh(_) => {
            fail(EXIT_FINDINGS, format!("{}:{err}", file.display()))
        }
    })
}

fn diff_files(old: &Path, new: &Path, format: DiffFormat, settings: &Settings) -> Result<u8> {
    let (a, b) = (load_version(old, settings)?, load_version(new, settings)?);
    let changes = diff::diff(&a, &b);
    if changes.is_empty() {
        return Ok(0);
    }
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    print(&match format {
        DiffFormat::Human => diff::render::human(&changes, &old_name, &new_name),
        DiffFormat::Json => diff::render::json(&changes, &old_name, &new_name),
        DiffFormat::Md => diff::render::markdown(&changes, &a, &b, &old_name, &new_name),
    })?;
    Ok(EXIT_FINDINGS)
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
