//! HTML: one self-contained, print-ready file (inline stylesheet from `assets/export.css`, no
//! script, no external resource), rendered with an auto-escaping template
//! (`templates/export.html`), so plan text is escaped by construction.

use askama::Template;

use super::stamp::DRAFT_NOTICE;
use super::view::View;
use crate::plan::marking::{Level, banner_level};
use crate::plan::schema::TableKind;

/// The stylesheet inlined into every HTML export.
pub const CSS: &str = include_str!("../../assets/export.css");

#[derive(Template)]
#[template(path = "export.html")]
struct Page<'a> {
    v: &'a View,
    css: &'static str,
    draft_notice: &'static str,
    /// The banner's level, lower case, for its colour (`u`, `cui`, `c`, `s`, `ts`).
    level: String,
    stamp: Vec<(&'static str, String)>,
}

impl Page<'_> {
    /// The export label of a table's key, from the table catalogue.
    fn th(&self, table: &str, key: &str) -> &'static str {
        TableKind::from_key(table).map_or("", |kind| kind.label(key))
    }
}

/// Renders the HTML document.
pub fn render(view: &View) -> Result<Vec<u8>, String> {
    let level = banner_level(&view.banner).unwrap_or(Level::U);
    let page = Page {
        v: view,
        css: CSS,
        draft_notice: DRAFT_NOTICE,
        level: level.portion_str().to_ascii_lowercase(),
        stamp: view.stamp.lines(),
    };
    page.render()
        .map(String::into_bytes)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_loads_nothing_and_cannot_close_its_element() {
        let css = CSS.to_ascii_lowercase();
        for banned in ["<", "url(", "@import", "http", "//"] {
            assert!(!css.contains(banned), "export.css holds {banned:?}");
        }
    }
}
