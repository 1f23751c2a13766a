//! The commands of `scplan`, one module each, with what they share: the grammar ([`args`]),
//! the exit statuses ([`exit`]), the setup of a run ([`setup`]), reading plans ([`files`]) and
//! writing output ([`output`]). The work itself is the library's; these modules read files,
//! print, save and choose the exit status.

pub mod args;
pub mod check;
pub mod config;
pub mod diff;
pub mod edit;
pub mod exit;
pub mod explain;
pub mod export;
pub mod files;
pub mod get;
pub mod git_setup;
pub mod lsp;
pub mod manual;
pub mod merge;
pub mod new;
pub mod output;
pub mod review;
pub mod schema;
pub mod set;
pub mod setup;
pub mod stamp_links;
