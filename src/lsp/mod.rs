//! `scplan lsp`: the language server. The same checks, quick fixes and renames as the terminal
//! editor, for any editor that speaks the Language Server Protocol, over standard input and
//! output, one message at a time (lsp-server's message types, lsp-types' protocol types; no
//! threads, no async runtime, no network, no file read or written: the editor sends the text).
//!
//! - [`transport`]: the `Content-Length` framing, forgiving of bad frames.
//! - [`server`]: the loop and the lifecycle; [`requests`]: each request's answer from the
//!   [`workspace`] (the open documents and the agreed encoding).
//! - [`documents`]: open plans kept in step with the editor's changes and re-checked.
//! - [`position`]: UTF-8/UTF-16 positions and byte offsets.
//! - [`cursor`]: what the text says is under the cursor.
//! - [`diagnostics`], [`hover`], [`navigation`] (definition, references, symbols),
//!   [`completion`], [`actions`] (quick fixes), [`rename`].

pub mod actions;
pub mod completion;
pub mod cursor;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod navigation;
pub mod position;
pub mod rename;
pub mod requests;
pub mod server;
pub mod transport;
pub mod workspace;

use jiff::civil::Date;

use crate::check::Settings;
pub use server::serve;

/// What the server takes from the command line and the environment.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The check settings (the system high).
    pub settings: Settings,
    /// Today, the date a review is stamped with.
    pub today: Date,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`.
    Clean,
    /// `exit` without `shutdown` first.
    WithoutShutdown,
    /// The client closed the connection without `exit`.
    Closed,
}

/// Why the server stopped short.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// Reading from or writing to the client failed.
    #[error("the connection to the editor failed: {0}")]
    Io(#[from] std::io::Error),
}
