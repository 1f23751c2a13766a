//! What every request reads: the open documents, the encoding agreed at `initialize` and the
//! command line's options; and how a request fails.

use std::collections::BTreeMap;

use lsp_server::ErrorCode;
use lsp_types::Uri;
use serde_json::Value;

use super::Options;
use super::documents::Document;
use super::position::Encoding;

/// An error reply: its code and message.
pub type Failure = (ErrorCode, String);

/// The state requests answer from.
pub struct Workspace {
    /// What the command line gave.
    pub options: Options,
    /// The encoding agreed at `initialize`.
    pub encoding: Encoding,
    /// The open documents, by URI.
    pub docs: BTreeMap<Uri, Document>,
}

/// The parameters of a message, read as `P`.
pub fn parse<P: serde::de::DeserializeOwned>(params: Value) -> Result<P, Failure> {
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

/// The error for a message about a document that is not open.
pub fn not_open(uri: &Uri) -> Failure {
    (
        ErrorCode::InvalidParams,
        format!("no open document {}", uri.as_str()),
    )
}
