//! Navigation: from a link, a governance entry or a waiver's item to the item it names; from
//! an id to every place that names it; the plan as an outline (plan, priorities, countries
//! with their objectives, agreements, actors and pools, waivers); the items of every open plan
//! by name.

use std::ops::Range;

use lsp_types::{DocumentSymbol, SymbolKind};

use super::cursor::Cursor;
use crate::edit::rename_refs::{Occurrence, occurrences};
use crate::edit::toml_text::offset_of;
use crate::plan::model::{Head, Opt, Plan, text, val};
use crate::plan::source::LineIndex;

/// The id under the cursor when an item of the plan has it: its bytes under the cursor, the
/// id, and its occurrences.
pub fn id_at<'a>(
    index: &LineIndex<'_>,
    plan: &Plan,
    cursor: &'a Cursor,
) -> Option<(Range<usize>, &'a str, Vec<Occurrence>)> {
    cursor.ids().find_map(|(range, id)| {
        let found = occurrences(index, plan, id);
        found
            .iter()
            .any(|o| o.definition)
            .then_some((range, id, found))
    })
}

/// Where the item named under the cursor is defined.
pub fn definition(index: &LineIndex<'_>, plan: &Plan, cursor: &Cursor) -> Vec<Range<usize>> {
    id_at(index, plan, cursor).map_or_else(Vec::new, |(_, _, found)| {
        found
            .into_iter()
            .filter(|o| o.definition)
            .map(|o| o.range)
            .collect()
    })
}

/// Every place that names the id under the cursor, with its definition when asked.
pub fn references(
    index: &LineIndex<'_>,
    plan: &Plan,
    cursor: &Cursor,
    with_definition: bool,
) -> Vec<Range<usize>> {
    id_at(index, plan, cursor).map_or_else(Vec::new, |(_, _, found)| {
        found
            .into_iter()
            .filter(|o| with_definition || !o.definition)
            .map(|o| o.range)
            .collect()
    })
}

/// One entry of the outline, in byte offsets (the caller turns them into positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// The name shown (the id, or what names the table).
    pub name: String,
    /// A title or text beside it.
    pub detail: Option<String>,
    /// Its kind.
    pub kind: SymbolKind,
    /// The table's lines.
    pub range: Range<usize>,
    /// The header's line, which the editor selects.
    pub selection: Range<usize>,
    /// What it holds.
    pub children: Vec<Symbol>,
}

/// The outline of the plan.
pub fn outline(index: &LineIndex<'_>, plan: &Plan) -> Vec<Symbol> {
    let heads = Headers::new(index, plan);
    let mut out = Vec::new();
    if plan.meta.present {
        let id = val(&plan.meta.id).map_or("[plan]", String::as_str);
        out.extend(heads.symbol(
            plan.meta.header.line,
            id,
            text(&plan.meta.title),
            SymbolKind::MODULE,
        ));
    }
    let priorities: Vec<Symbol> = plan
        .priorities
        .iter()
        .filter_map(|p| heads.item(&p.head, &p.id, text(&p.title), SymbolKind::CONSTANT))
        .collect();
    out.extend(heads.group("priorities", priorities));
    for c in &plan.countries {
        let Some(mut country) = heads.item(&c.head, &c.code, text(&c.name), SymbolKind::NAMESPACE)
        else {
            continue;
        };
        // An objective spans its indicators, which are its children.
        let objectives = c.objectives.iter().filter_map(|o| {
            let mut symbol = heads.item(&o.head, &o.id, text(&o.text), SymbolKind::EVENT)?;
            symbol.children = o
                .indicators
                .iter()
                .filter_map(|i| {
                    heads.symbol(i.head.header.line, text(&i.name), "", SymbolKind::FIELD)
                })
                .collect();
            if let Some(end) = symbol.children.iter().map(|s| s.range.end).max() {
                symbol.range.end = symbol.range.end.max(end);
            }
            Some(symbol)
        });
        let others = c
            .agreements
            .iter()
            .map(|a| (&a.head, &a.id, text(&a.title), SymbolKind::STRUCT))
            .chain(
                c.actors
                    .iter()
                    .map(|a| (&a.head, &a.id, text(&a.name), SymbolKind::OBJECT)),
            )
            .chain(
                c.pools
                    .iter()
                    .map(|p| (&p.head, &p.id, text(&p.name), SymbolKind::PACKAGE)),
            )
            .filter_map(|(head, id, detail, kind)| heads.item(head, id, detail, kind));
        // Barriers have no id: each is named by its kind.
        let barriers = c.barriers.iter().filter_map(|b| {
            let name = val(&b.kind).map_or("barrier", String::as_str);
            heads.symbol(
                b.head.header.line,
                name,
                text(&b.text),
                SymbolKind::ENUM_MEMBER,
            )
        });
        country.children = objectives.chain(others).chain(barriers).collect();
        if let Some(end) = country.children.iter().map(|s| s.range.end).max() {
            country.range.end = country.range.end.max(end);
        }
        out.push(country);
    }
    let waivers: Vec<Symbol> = plan
        .waivers
        .iter()
        .filter_map(|w| {
            let name = format!("{} on {}", text(&w.rule), text(&w.item));
            heads.symbol(w.head.header.line, &name, text(&w.reason), SymbolKind::KEY)
        })
        .collect();
    out.extend(heads.group("waivers", waivers));
    out
}

/// The outline's name of an item whose id (or code) is blank.
const BLANK: &str = "(blank)";

/// The lines of every table's header, to give each table its lines (to the next header).
struct Headers<'a> {
    index: &'a LineIndex<'a>,
    lines: Vec<u32>,
}

impl<'a> Headers<'a> {
    fn new(index: &'a LineIndex<'a>, plan: &Plan) -> Headers<'a> {
        let mut lines: Vec<u32> = plan
            .portions()
            .iter()
            .map(|p| p.head.header.line)
            .chain(plan.waivers.iter().map(|w| w.head.header.line))
            .chain(plan.meta.present.then_some(plan.meta.header.line))
            .chain(plan.meta.cui.iter().map(|c| c.header.line))
            .chain(plan.meta.authority.iter().map(|a| a.header.line))
            .collect();
        lines.sort_unstable();
        lines.dedup();
        Headers { index, lines }
    }

    /// The symbol of a table whose header is on `line`.
    fn symbol(&self, line: u32, name: &str, detail: &str, kind: SymbolKind) -> Option<Symbol> {
        let text = self.index.text();
        let start = self.index.line_start(line)?;
        let header_end = crate::edit::toml_text::line_end(text, start);
        let next = self.lines.partition_point(|&l| l <= line);
        let end = self
            .lines
            .get(next)
            .and_then(|&l| self.index.line_start(l))
            .map_or(text.len(), |e| e.saturating_sub(1).max(header_end));
        let detail = detail.lines().next().unwrap_or("").trim();
        // The protocol forbids a name that is empty or only spaces (an id being typed).
        let name = if name.trim().is_empty() { BLANK } else { name };
        Some(Symbol {
            name: crate::text::sanitize(name),
            detail: (!detail.is_empty()).then(|| crate::text::sanitize(detail)),
            kind,
            range: start..end,
            selection: start..header_end,
            children: Vec::new(),
        })
    }

    /// The symbol of an item named by its id (at the id's place when the table is inline).
    fn item(
        &self,
        head: &Head,
        id: &Opt<String>,
        detail: &str,
        kind: SymbolKind,
    ) -> Option<Symbol> {
        let name = val(id).map_or(head.item.as_str(), String::as_str);
        let mut symbol = self.symbol(head.header.line, name, detail, kind)?;
        if let Some(at) = offset_of(self.index, head.header) {
            symbol.selection.start = symbol.selection.start.max(at);
        }
        Some(symbol)
    }

    /// A group of symbols under one name (`priorities`), spanning them; none when empty.
    fn group(&self, name: &str, children: Vec<Symbol>) -> Option<Symbol> {
        let start = children.iter().map(|s| s.range.start).min()?;
        let end = children.iter().map(|s| s.range.end).max()?;
        let first = children
            .iter()
            .map(|s| s.selection.clone())
            .min_by_key(|r| r.start)?;
        Some(Symbol {
            name: name.to_string(),
            detail: Some(format!("{}", children.len())),
            kind: SymbolKind::ARRAY,
            range: start..end,
            selection: first,
            children,
        })
    }
}

/// The protocol's document symbol of an outline entry.
#[allow(deprecated)] // `deprecated` is a field the protocol keeps for old clients; set to None.
pub fn to_lsp(
    symbol: Symbol,
    range_of: &impl Fn(Range<usize>) -> lsp_types::Range,
) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: symbol.kind,
        tags: None,
        deprecated: None,
        range: range_of(symbol.range),
        selection_range: range_of(symbol.selection),
        children: Some(
            symbol
                .children
                .into_iter()
                .map(|s| to_lsp(s, range_of))
                .collect(),
        )
        .filter(|c: &Vec<DocumentSymbol>| !c.is_empty()),
    }
}

/// The outline entries of a plan, flattened with the name of what holds each, whose name or
/// detail holds `query` (case-insensitive; every one for an empty query).
pub fn matching(outline: Vec<Symbol>, query: &str) -> Vec<(Symbol, Option<String>)> {
    let query = query.to_lowercase();
    let mut out = Vec::new();
    let mut stack: Vec<(Symbol, Option<String>)> =
        outline.into_iter().rev().map(|s| (s, None)).collect();
    while let Some((mut symbol, container)) = stack.pop() {
        let children = std::mem::take(&mut symbol.children);
        stack.extend(
            children
                .into_iter()
                .rev()
                .map(|c| (c, Some(symbol.name.clone()))),
        );
        let hit = symbol.name.to_lowercase().contains(&query)
            || symbol
                .detail
                .as_ref()
                .is_some_and(|d| d.to_lowercase().contains(&query));
        if hit && symbol.kind != SymbolKind::ARRAY {
            out.push((symbol, container));
        }
    }
    out
}
