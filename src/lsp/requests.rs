//! The requests the server answers, each read from its parameters, answered from the open
//! document and written in the protocol's types: what the server offers (`initialize`),
//! hover, definition, references, rename, completion, code actions and symbols.

use lsp_server::ErrorCode;
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionItem, CompletionOptions, CompletionParams, CompletionTextEdit, DocumentSymbolParams,
    GotoDefinitionParams, HoverParams, HoverProviderCapability, InitializeResult, Location, OneOf,
    PrepareRenameResponse, ReferenceParams, RenameOptions, RenameParams, ServerCapabilities,
    ServerInfo, TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextEdit, Uri, WorkspaceSymbol, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};
use serde_json::Value;

use super::cursor::Cursor;
use super::documents::Document;
use super::position::{Encoding, Positions};
use super::workspace::{Failure, Workspace, not_open, parse};
use super::{actions, completion, hover, navigation, rename};

/// The result of `initialize`: what the server does, with the agreed position encoding.
pub fn initialize_result(encoding: Encoding) -> Value {
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["\"", "[", ",", " ", "/", "="].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    };
    let result = InitializeResult {
        capabilities,
        server_info: Some(ServerInfo {
            name: "scplan".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    serde_json::to_value(result).unwrap_or(Value::Null)
}

/// A document with its lines, for the answer to one request.
struct At<'a> {
    uri: &'a Uri,
    doc: &'a Document,
    positions: Positions<'a>,
}

/// The result of one request to a running server.
pub fn answer(server: &mut Workspace, method: &str, params: Value) -> Result<Value, Failure> {
    let encoding = server.encoding;
    match method {
        HoverRequest::METHOD => {
            let p: HoverParams = parse(params)?;
            at_position(
                server,
                encoding,
                &p.text_document_position_params,
                |at, cursor| {
                    let found = hover::hover(at.doc, &cursor);
                    json(serde_json::to_value(
                        found.map(|f| hover::to_lsp(f, |r| at.positions.range(r))),
                    ))
                },
            )
        }
        GotoDefinition::METHOD
        | References::METHOD
        | PrepareRenameRequest::METHOD
        | Rename::METHOD => navigate(server, method, params),
        Completion::METHOD => {
            let p: CompletionParams = parse(params)?;
            at_position(server, encoding, &p.text_document_position, |at, cursor| {
                json(serde_json::to_value(completions(&at, &cursor)))
            })
        }
        CodeActionRequest::METHOD => {
            let p: CodeActionParams = parse(params)?;
            let today = server.options.today;
            with_document(server, encoding, &p.text_document.uri, |at| {
                for end in [p.range.start, p.range.end] {
                    at.positions.offset(end).ok_or_else(|| outside(end))?;
                }
                at.positions.offsets(p.range).ok_or_else(|| {
                    (
                        ErrorCode::InvalidParams,
                        "the range ends before it starts".to_string(),
                    )
                })?;
                let lines = (p.range.start.line, p.range.end.line);
                json(serde_json::to_value(actions::actions(
                    at.doc,
                    at.uri,
                    &at.positions,
                    lines,
                    today,
                )))
            })
        }
        DocumentSymbolRequest::METHOD => {
            let p: DocumentSymbolParams = parse(params)?;
            with_document(server, encoding, &p.text_document.uri, |at| {
                let symbols: Vec<_> = at.doc.plan().map_or_else(Vec::new, |plan| {
                    navigation::outline(at.positions.index, plan)
                        .into_iter()
                        .map(|s| navigation::to_lsp(s, &|r| at.positions.range(r)))
                        .collect()
                });
                json(serde_json::to_value(symbols))
            })
        }
        WorkspaceSymbolRequest::METHOD => {
            let p: WorkspaceSymbolParams = parse(params)?;
            json(serde_json::to_value(workspace_symbols(server, &p.query)))
        }
        _ => Err((
            ErrorCode::MethodNotFound,
            format!("scplan's server does not answer {method}"),
        )),
    }
}

/// The answers that go from the id under the cursor to the places that name it.
fn navigate(server: &Workspace, method: &str, params: Value) -> Result<Value, Failure> {
    let encoding = server.encoding;
    match method {
        GotoDefinition::METHOD => {
            let p: GotoDefinitionParams = parse(params)?;
            at_position(
                server,
                encoding,
                &p.text_document_position_params,
                |at, cursor| {
                    let ranges = at
                        .doc
                        .plan()
                        .map(|plan| navigation::definition(at.positions.index, plan, &cursor));
                    json(serde_json::to_value(locations(
                        &at,
                        ranges.unwrap_or_default(),
                    )))
                },
            )
        }
        References::METHOD => {
            let p: ReferenceParams = parse(params)?;
            let with = p.context.include_declaration;
            at_position(server, encoding, &p.text_document_position, |at, cursor| {
                let ranges = at
                    .doc
                    .plan()
                    .map(|plan| navigation::references(at.positions.index, plan, &cursor, with));
                json(serde_json::to_value(locations(
                    &at,
                    ranges.unwrap_or_default(),
                )))
            })
        }
        PrepareRenameRequest::METHOD => {
            let p: TextDocumentPositionParams = parse(params)?;
            at_position(server, encoding, &p, |at, cursor| {
                let found = at
                    .doc
                    .plan()
                    .and_then(|plan| rename::prepare(&at.positions, plan, &cursor));
                json(serde_json::to_value(found.map(|(range, placeholder)| {
                    PrepareRenameResponse::RangeWithPlaceholder {
                        range: at.positions.range(range),
                        placeholder,
                    }
                })))
            })
        }
        Rename::METHOD => {
            let p: RenameParams = parse(params)?;
            let new = p.new_name;
            at_position(server, encoding, &p.text_document_position, |at, cursor| {
                let Some(plan) = at.doc.plan() else {
                    return Ok(Value::Null);
                };
                let edit = rename::rename(&at.positions, plan, &cursor, at.uri, &new)
                    .map_err(|e| (ErrorCode::RequestFailed, e.to_string()))?;
                json(serde_json::to_value(edit))
            })
        }
        _ => Err((
            ErrorCode::MethodNotFound,
            format!("scplan's server does not answer {method}"),
        )),
    }
}

/// A result as JSON.
fn json(v: Result<Value, serde_json::Error>) -> Result<Value, Failure> {
    v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// Answers about the open document `uri`.
fn with_document(
    server: &Workspace,
    encoding: Encoding,
    uri: &Uri,
    f: impl FnOnce(At<'_>) -> Result<Value, Failure>,
) -> Result<Value, Failure> {
    let doc = server.docs.get(uri).ok_or_else(|| not_open(uri))?;
    let index = doc.index();
    let positions = Positions {
        index: &index,
        encoding,
    };
    f(At {
        uri,
        doc,
        positions,
    })
}

/// Answers about the cursor at a position of an open document.
fn at_position(
    server: &Workspace,
    encoding: Encoding,
    p: &TextDocumentPositionParams,
    f: impl FnOnce(At<'_>, Cursor) -> Result<Value, Failure>,
) -> Result<Value, Failure> {
    with_document(server, encoding, &p.text_document.uri, |at| {
        let offset = at
            .positions
            .offset(p.position)
            .ok_or_else(|| outside(p.position))?;
        let cursor = Cursor::at(at.doc.text(), offset);
        f(at, cursor)
    })
}

/// The error for a position outside the document.
fn outside(position: lsp_types::Position) -> Failure {
    (
        ErrorCode::InvalidParams,
        format!(
            "line {} character {} is outside the document",
            position.line, position.character
        ),
    )
}

/// Locations in the document of byte ranges.
fn locations(at: &At<'_>, ranges: Vec<std::ops::Range<usize>>) -> Vec<Location> {
    ranges
        .into_iter()
        .map(|r| Location {
            uri: at.uri.clone(),
            range: at.positions.range(r),
        })
        .collect()
}

/// The completions at the cursor, as the protocol's items. Nothing for a plan above the
/// system high.
fn completions(at: &At<'_>, cursor: &Cursor) -> Vec<CompletionItem> {
    if !at.doc.within() {
        return Vec::new();
    }
    completion::complete(at.doc.text(), at.doc.last_plan(), cursor)
        .into_iter()
        .enumerate()
        .map(|(i, item)| CompletionItem {
            label: item.label,
            kind: Some(item.kind),
            detail: item.detail,
            // The order offered (the roll-up first, ids in file order) is kept.
            sort_text: Some(format!("{i:05}")),
            filter_text: Some(item.new_text.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: at.positions.range(item.range),
                new_text: item.new_text,
            })),
            ..CompletionItem::default()
        })
        .collect()
}

/// The items of every open plan whose name or title holds `query`.
fn workspace_symbols(server: &Workspace, query: &str) -> WorkspaceSymbolResponse {
    let mut out = Vec::new();
    for (uri, doc) in &server.docs {
        let Some(plan) = doc.plan() else { continue };
        let index = doc.index();
        let positions = Positions {
            index: &index,
            encoding: server.encoding,
        };
        for (symbol, container) in navigation::matching(navigation::outline(&index, plan), query) {
            out.push(WorkspaceSymbol {
                name: symbol.name,
                kind: symbol.kind,
                tags: None,
                container_name: container,
                location: OneOf::Left(Location {
                    uri: uri.clone(),
                    range: positions.range(symbol.selection),
                }),
                data: None,
            });
        }
    }
    WorkspaceSymbolResponse::Nested(out)
}
