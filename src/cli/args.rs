//! The command line's grammar: the global options, every subcommand with its arguments, and
//! the parsers of the values clap cannot read by itself.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use scplan::export;
use scplan::plan::catalog;
use scplan::plan::marking::Level;

/// The whole command line. Its about text is set below rather than taken from this comment,
/// which clap would show in `--help`.
#[derive(Parser, Debug)]
#[command(
    name = "scplan",
    version,
    about = "Write, check and export theater campaign plans with S&T objectives in every security-cooperation section",
    subcommand_negates_reqs = true
)]
pub struct Cli {
    /// The highest marking this workstation is accredited for (default: config file, else CUI).
    #[arg(long, global = true, value_name = "LEVEL", value_parser = parse_level)]
    pub system_high: Option<Level>,

    /// The config file to read instead of $XDG_CONFIG_HOME/scplan/config.toml.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// The subcommand, when one is given.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// A plan to open in the editor (same as `scplan edit FILE`).
    pub file: Option<PathBuf>,

    /// With a plan to open: the git revision the editor's changes view compares with (default: HEAD).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

/// A subcommand with its arguments (each one's `///` line is its summary in `--help`).
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open a plan in the terminal editor.
    Edit {
        /// The plan file.
        file: PathBuf,
        /// The git revision the changes view compares with (default: HEAD).
        #[arg(long, value_name = "REV")]
        since: Option<String>,
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
        /// The plan's level: U (default), CUI, C, S or TS; the blocks it needs come with it.
        #[arg(long, value_name = "LEVEL", value_parser = parse_level, default_value = "U")]
        level: Level,
    },
    /// Check plans against the whole rule catalogue.
    Check {
        /// The plan files, each or REV:PATH for the file at a git revision (an existing file of that name wins).
        #[arg(required = true, value_name = "FILE")]
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
        /// The plan file, or REV:PATH for the file at a git revision (an existing file of that name wins).
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
        /// The plan file, or REV:PATH for the file at a git revision (an existing file of that name wins).
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
    /// Review links after a priority changed: list the queue, or confirm links (re-stamp them).
    #[command(group(
        clap::ArgGroup::new("action")
            .required(true)
            .args(["list", "confirm", "confirm_all_of"])
    ))]
    Review {
        /// The plan file.
        file: PathBuf,
        /// List the links to review: suspect ones, and unstamped ones when plan.link_review = true
        /// (exit 0 when there are none, 1 when there are).
        #[arg(long)]
        list: bool,
        /// Confirm links: ID (every link of the objective) or ID:PRIORITY (one link).
        #[arg(long, value_name = "ID[:PRIORITY]", num_args = 1..)]
        confirm: Vec<String>,
        /// Confirm every link to this priority.
        #[arg(long, value_name = "PRIORITY")]
        confirm_all_of: Option<String>,
        /// Output format of --list (default: text).
        #[arg(long, value_enum, conflicts_with_all = ["confirm", "confirm_all_of"])]
        format: Option<ReviewFormat>,
    },
    /// Stamp every link that has no review stamp (adopting link review on a plan); a differing
    /// stamp is never overwritten (exit 1 when some link keeps one).
    StampLinks {
        /// The plan file.
        file: PathBuf,
    },
    /// Show what changed between two versions of a plan (exit 0 when equal, 1 when not).
    ///
    /// `diff OLD NEW` compares two versions, each a file or REV:PATH for the file at a git revision (an existing file of that name wins). `diff PATH` compares the
    /// working file with its version at HEAD; `diff REV:PATH` that revision with the working
    /// file; `diff REV1..REV2 PATH` the file at two revisions (an empty side is HEAD).
    Diff {
        /// The previous version (a file, REV:PATH, or REV1..REV2 before PATH).
        old: PathBuf,
        /// The current version (a file or REV:PATH); without it, the working file.
        new: Option<PathBuf>,
        /// Output format: a line per change, JSON, or a Markdown annex for a review memo.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
    },
    /// Merge three versions of a plan item by item: git's merge driver (see `git-setup`).
    ///
    /// Exit 0 for a clean merge, 1 when conflicts were written (with git's markers around the
    /// key or the item), 2 when nothing could be merged. A file that is not a plan, or a
    /// version that is not TOML, is merged line by line by `git merge-file`.
    Merge {
        /// The common ancestor (git's %O).
        base: PathBuf,
        /// Our version (git's %A).
        ours: PathBuf,
        /// Their version (git's %B).
        theirs: PathBuf,
        /// Write the result to FILE (atomically) instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// A conflict label: the first for ours, the second for the base, the third for
        /// theirs (as for `git merge-file`); a number is the conflict marker size (git's %L).
        #[arg(short = 'L', value_name = "LABEL")]
        labels: Vec<String>,
        /// The length of the conflict markers (default 7).
        #[arg(long, value_name = "N")]
        marker_size: Option<usize>,
        /// Where the result is stored in the repository (git's %P), to name it in messages.
        #[arg(long, value_name = "PATH")]
        path: Option<String>,
    },
    /// Make git merge plans with `scplan merge`: a .gitattributes line and the driver's config.
    GitSetup {
        /// Which files go to the driver (a .gitattributes pattern).
        #[arg(default_value = scplan::vcs::setup::DEFAULT_PATTERN)]
        pattern: String,
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
    /// Serve editors over the Language Server Protocol on standard input and output.
    #[command(after_long_help = LSP_SETUP)]
    Lsp,
}

/// How to point an editor at `scplan lsp` (the README says the same).
const LSP_SETUP: &str = "\
The server speaks LSP on standard input and output (no network, no files: the editor sends the
text): diagnostics on open and on every change, hover (rule codes, priorities, markings, keys),
go to definition, references, rename, completion, quick fixes and symbols. It reads the system
high from --system-high or the config file, like every command; a plan above it gets only its
SCP209 diagnostic.

Helix (~/.config/helix/languages.toml):
  [language-server.scplan]
  command = \"scplan\"
  args = [\"lsp\"]

  [[language]]
  name = \"toml\"
  language-servers = [\"scplan\", \"taplo\"]

Neovim 0.11+ (init.lua):
  vim.lsp.config('scplan', { cmd = { 'scplan', 'lsp' }, filetypes = { 'toml' },
    root_markers = { '.git' } })
  vim.lsp.enable('scplan')

VS Code: install a generic LSP client extension (for example \"Generic LSP Client\"), and set
its server command to `scplan lsp` for the TOML language.

Emacs (eglot, Emacs 29+):
  (with-eval-after-load 'eglot
    (add-to-list 'eglot-server-programs '((toml-ts-mode conf-toml-mode) \"scplan\" \"lsp\")))
  then M-x eglot in a plan.

Exit status: 0 after shutdown and exit, 1 when the editor leaves without shutdown, 2 when the
connection fails.";

/// The output format of `check`. Its variants have no `///` line: clap would list it beside
/// each value in `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

/// The output format of `diff` (undocumented variants, as for [`Format`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    Md,
}

/// The output format of `review --list` (undocumented variants, as for [`Format`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    Text,
    Json,
}

/// Reads `--system-high`.
fn parse_level(s: &str) -> Result<Level, String> {
    Level::parse(s).ok_or_else(|| format!("`{s}` is not a level: use U, CUI, C, S or TS"))
}

/// Reads `export --format` among the export formats' names.
fn export_format() -> impl clap::builder::TypedValueParser<Value = export::Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(export::Format::ALL.map(export::Format::name))
        .try_map(|name| export::Format::parse(&name).ok_or("unknown format"))
}

/// Reads a date such as `new --effective`.
fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|e| format!("`{s}` is not a date (YYYY-MM-DD): {e}"))
}
