//! scplan: write, check and export theater campaign plans whose security-cooperation sections
//! carry science-and-technology objectives traced to the plan's strategic priorities.
//!
//! The crate, in the order data flows (each module imports only from those above it):
//!
//! - [`text`]: the one sanitizer for plan text shown on a terminal.
//! - [`io_words`]: I/O errors in words, for every message that names a file.
//! - [`env`](mod@env): what the process takes from its environment (clock, NO_COLOR, config path).
//! - [`plan`]: what a plan is: source text and lines, the table catalogue (every table and key
//!   declared once), the lossless document, the compact tree, the typed model, the loader and
//!   its structural findings, markings, catalogues, `get`/`set` paths, the JSON Schema, and
//!   the review stamps of priorities that tell a suspect link.
//! - [`config`]: the config file (system high, theme, export folder, key bindings).
//! - [`check`]: the rule registry, diagnostics, the rules one family per file, and the live
//!   re-check for editors.
//! - [`edit`]: the editing core every front end shares: `get`/`set` paths, item operations,
//!   renames, links, waivers and quick fixes, as edits with no terminal types.
//! - [`report`]: diagnostics out (human, JSON, SARIF).
//! - [`export`]: checked plans out (HTML, Markdown, JSON, CSV), with stamp and partner release.
//! - [`diff`]: what changed between two versions of a plan, by item.
//! - [`merge`]: the three-way merge of plan versions by item and key (git's merge driver).
//! - [`vcs`]: git, run as the `git` program: files at a revision, line merges, driver setup.
//! - [`template`]: `scplan new`'s plan from the template.
//! - [`store`]: the file system: atomic saves, recovery, the lock, changes on disk.
//! - [`tui`]: the terminal editor (state, update, views, keymap, run loop).
//! - [`lsp`]: the language server (`scplan lsp`) over the same checks, fixes and renames.
//! - [`manual`]: shell completions and the manual page.
//! - [`parallel`]: work spread over the cores, results in the order of the jobs.
//! - `synth`: synthetic plans for benchmarks and tests (not part of the API).
#![forbid(unsafe_code)]

pub mod check;
pub mod config;
pub mod diff;
pub mod edit;
pub mod env;
pub mod export;
pub mod io_words;
pub mod lsp;
pub mod manual;
pub mod merge;
pub mod parallel;
pub mod plan;
pub mod report;
pub mod store;
#[doc(hidden)]
pub mod synth;
pub mod template;
pub mod text;
pub mod tui;
pub mod vcs;
