//! JSON: the view (typed plan, coverage matrix, stamp) as one document whose shape
//! `assets/export.schema.json` describes; keys in a fixed order, so equal plans give equal bytes.

use serde::Serialize;

use super::view::View;

/// The schema of the JSON export (JSON Schema draft 2020-12).
pub const SCHEMA: &str = include_str!("../../assets/export.schema.json");

/// The version of the JSON export's shape; a consumer checks it before reading on.
pub const EXPORT_FORMAT: u32 = 2;

#[derive(Serialize)]
struct Document<'a> {
    export_format: u32,
    #[serde(flatten)]
    view: &'a View<'a>,
}

/// Renders the view as pretty-printed JSON with a final newline, into a buffer made with room
/// for `capacity` bytes.
pub fn render(view: &View, capacity: usize) -> Result<Vec<u8>, String> {
    let doc = Document {
        export_format: EXPORT_FORMAT,
        view,
    };
    let mut out = Vec::with_capacity(capacity);
    serde_json::to_writer_pretty(&mut out, &doc).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(out)
}
