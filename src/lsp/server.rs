//! The server loop: one message at a time from the client, in order, each answered before the
//! next is read (no threads, no async runtime). The lifecycle is the protocol's: nothing but
//! `initialize` until it comes, then requests and notifications, then after `shutdown` only
//! `exit`. A message that is malformed, out of order or about a document that is not open
//! gets an error reply (or, for a notification, which takes no reply, an error logged to the
//! client), never a crash.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use lsp_server::{ErrorCode, Message, Notification, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, LogMessage,
    Notification as _, PublishDiagnostics,
};
use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    InitializeParams, LogMessageParams, MessageType, PublishDiagnosticsParams, Uri,
};
use serde_json::{Value, json};

use super::documents::Document;
use super::position::{Encoding, Positions};
use super::transport::{self, Frame};
use super::workspace::{Failure, Workspace, not_open, parse};
use super::{Ending, LspError, Options, diagnostics, requests};

/// Where the session is in the protocol's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`.
    Waiting,
    /// Between `initialize` and `shutdown`.
    Running,
    /// After `shutdown`: only `exit` is expected.
    ShutDown,
}

/// The server's state.
pub struct Server<W: Write> {
    out: W,
    phase: Phase,
    /// The open documents and what the requests read besides.
    ws: Workspace,
}

/// Serves one client on `input` and `output` until it exits or closes the connection.
pub fn serve(
    mut input: impl BufRead,
    output: impl Write,
    options: Options,
) -> Result<Ending, LspError> {
    let mut server = Server {
        out: output,
        phase: Phase::Waiting,
        ws: Workspace {
            options,
            encoding: Encoding::Utf16,
            docs: BTreeMap::new(),
        },
    };
    loop {
        let value = match transport::read(&mut input)? {
            Frame::Closed => return Ok(Ending::Closed),
            Frame::Malformed(why) => {
                server.reply_raw(Value::Null, ErrorCode::ParseError, &why)?;
                continue;
            }
            Frame::Oversized(why, length) => {
                server.reply_raw(Value::Null, ErrorCode::ParseError, &why)?;
                transport::skip(&mut input, length)?;
                continue;
            }
            Frame::Json(value) => value,
        };
        if let Some(ending) = server.message(value)? {
            return Ok(ending);
        }
    }
}

impl<W: Write> Server<W> {
    /// Handles one message; `Some` when it ends the session.
    fn message(&mut self, value: Value) -> io::Result<Option<Ending>> {
        let Value::Object(mut object) = value else {
            self.reply_raw(
                Value::Null,
                ErrorCode::InvalidRequest,
                "a message is a JSON object",
            )?;
            return Ok(None);
        };
        let params = object.remove("params").unwrap_or(Value::Null);
        let method = object
            .get("method")
            .and_then(Value::as_str)
            .map(str::to_string);
        match (method, object.get("id")) {
            (Some(method), Some(id)) => {
                let Some(id) = request_id(id) else {
                    let why = "a request's id is an integer or a string";
                    self.reply_raw(Value::Null, ErrorCode::InvalidRequest, why)?;
                    return Ok(None);
                };
                let uri = uri_of(&params);
                let reply = self.guarded(uri, |s| s.request(&method, params));
                let response = match reply {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                self.send(Message::Response(response))?;
                Ok(None)
            }
            (Some(method), None) => {
                if method == "exit" {
                    return Ok(Some(match self.phase {
                        Phase::ShutDown => Ending::Clean,
                        _ => Ending::WithoutShutdown,
                    }));
                }
                let uri = uri_of(&params);
                if let Err((_, why)) = self.guarded(uri, |s| s.notification(&method, params)) {
                    self.log(MessageType::ERROR, format!("{method}: {why}"))?;
                }
                Ok(None)
            }
            // A response to a request of ours: the server sends none that need an answer.
            (None, Some(_)) if object.contains_key("result") || object.contains_key("error") => {
                Ok(None)
            }
            (None, id) => {
                let id = id.cloned().unwrap_or(Value::Null);
                self.reply_raw(id, ErrorCode::InvalidRequest, "a message needs a method")?;
                Ok(None)
            }
        }
    }

    /// Runs `f`, turning a panic (a bug) into an error reply; the document the message was
    /// about (`uri`) is then read again from its text, in case the panic left it half changed.
    fn guarded<T>(
        &mut self,
        uri: Option<Uri>,
        f: impl FnOnce(&mut Self) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        match catch_unwind(AssertUnwindSafe(|| f(self))) {
            Ok(result) => result,
            Err(_) => {
                if let Some(doc) = uri.and_then(|u| self.ws.docs.get_mut(&u)) {
                    *doc = Document::open(
                        doc.version,
                        doc.text().to_string(),
                        &self.ws.options.settings,
                    );
                }
                Err((
                    ErrorCode::InternalError,
                    "internal error (a bug in scplan)".to_string(),
                ))
            }
        }
    }

    /// Answers a request: its result, or the error to reply.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, Failure> {
        match (self.phase, method) {
            (Phase::Waiting, "initialize") => {
                let params: InitializeParams = parse(params)?;
                self.ws.encoding = Encoding::negotiate(&params.capabilities);
                self.phase = Phase::Running;
                Ok(requests::initialize_result(self.ws.encoding))
            }
            (Phase::Waiting, _) => Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized: send initialize first".to_string(),
            )),
            (Phase::ShutDown, _) => Err((
                ErrorCode::InvalidRequest,
                "the server is shut down: only exit is expected".to_string(),
            )),
            (Phase::Running, "initialize") => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".to_string(),
            )),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                Ok(Value::Null)
            }
            (Phase::Running, method) => requests::answer(&mut self.ws, method, params),
        }
    }

    /// Takes a notification; `Err` when it cannot be followed (the error is logged).
    fn notification(&mut self, method: &str, params: Value) -> Result<(), Failure> {
        if self.phase != Phase::Running {
            return Ok(());
        }
        let settings = self.ws.options.settings;
        let uri = match method {
            DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = parse(params)?;
                let doc = Document::open(p.text_document.version, p.text_document.text, &settings);
                self.ws.docs.insert(p.text_document.uri.clone(), doc);
                p.text_document.uri
            }
            DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams = parse(params)?;
                let uri = p.text_document.uri;
                let doc = self.ws.docs.get_mut(&uri).ok_or_else(|| not_open(&uri))?;
                let changed = doc.change(
                    p.text_document.version,
                    p.content_changes,
                    self.ws.encoding,
                    &settings,
                );
                changed.map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
                uri
            }
            DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = parse(params)?;
                self.ws.docs.remove(&p.text_document.uri);
                self.publish_empty(p.text_document.uri)
                    .map_err(io_failure)?;
                return Ok(());
            }
            // Saves, cancellations, configuration and anything else: nothing to do.
            _ => return Ok(()),
        };
        self.publish(&uri).map_err(io_failure)
    }

    /// Publishes the diagnostics of an open document.
    fn publish(&mut self, uri: &Uri) -> io::Result<()> {
        let Some(doc) = self.ws.docs.get(uri) else {
            return Ok(());
        };
        let index = doc.index();
        let positions = Positions {
            index: &index,
            encoding: self.ws.encoding,
        };
        let list = doc.diagnostics();
        let related = doc.plan().map(|plan| diagnostics::Related::of(plan, &list));
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: list
                .into_iter()
                .map(|d| diagnostics::to_lsp(d, &positions, uri, related.as_ref()))
                .collect(),
            version: Some(doc.version),
        };
        self.notify(PublishDiagnostics::METHOD, params)
    }

    /// Clears the diagnostics of a document that was closed.
    fn publish_empty(&mut self, uri: Uri) -> io::Result<()> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics: Vec::new(),
            version: None,
        };
        self.notify(PublishDiagnostics::METHOD, params)
    }

    /// Logs a message in the client's log.
    fn log(&mut self, typ: MessageType, message: String) -> io::Result<()> {
        self.notify(LogMessage::METHOD, LogMessageParams { typ, message })
    }

    /// Sends a notification.
    fn notify(&mut self, method: &str, params: impl serde::Serialize) -> io::Result<()> {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )))
    }

    /// Sends one message.
    fn send(&mut self, message: Message) -> io::Result<()> {
        transport::write(&mut self.out, message)
    }

    /// Replies with an error to a message whose id lsp-server cannot carry (`null`, or the id
    /// of a malformed message).
    fn reply_raw(&mut self, id: Value, code: ErrorCode, message: &str) -> io::Result<()> {
        let body = json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": {"code": code as i32, "message": message},
        });
        transport::write_raw(&mut self.out, &body)
    }
}

/// The document a message is about, if its parameters name one.
fn uri_of(params: &Value) -> Option<Uri> {
    let uri = params.pointer("/textDocument/uri")?;
    serde_json::from_value(uri.clone()).ok()
}

/// A request's id, when it is one the protocol allows (an integer or a string).
fn request_id(id: &Value) -> Option<RequestId> {
    match id {
        Value::String(s) => Some(RequestId::from(s.clone())),
        Value::Number(n) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        _ => None,
    }
}

/// A failure to write to the client, reported as an error (the connection is then gone).
fn io_failure(err: io::Error) -> Failure {
    (
        ErrorCode::InternalError,
        format!("writing to the client: {err}"),
    )
}
