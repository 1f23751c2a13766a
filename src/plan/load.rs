//! Document -> typed [`Plan`], reporting every structural problem (SCP002-SCP009) in one pass
//! and building as much of the plan as it can, so that a plan with errors can still be opened.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::civil::Date;

use super::catalog::{self, TechList};
use super::finding::Finding;
use super::marking::Profile;
use super::model::Part;
use super::model::*;
use super::schema::{FieldSpec, FieldType, ROOT_CHILDREN, TableKind};
use super::source::LineIndex;
use super::tree::{EditNode, Kind, Style, TreeNode};

/// The result of loading: the plan as far as it could be built, and the structural findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The typed plan.
    pub plan: Plan,
    /// SCP002-SCP009 findings, unsorted, except SCP005: repeated ids are a matter of the whole
    /// plan, found when the plan is checked.
    pub diagnostics: Vec<Finding>,
}

/// Loads text through a compact tree built from toml's parser events (the same entries and
/// spans as toml's span-keeping tree), faster and lighter than toml_edit's document; `None`
/// when toml refuses the text, when it holds a number that toml_edit refuses, or when it is one
/// of the few documents the compact tree leaves to toml_edit (see [`super::compact::parse`]).
pub fn load_fast(text: &str) -> Option<Loaded> {
    let tree = super::compact::parse(text)?;
    let loaded = load_tree(tree.root(), text);
    if KEEP_PARSE_TREES.load(Ordering::Relaxed) {
        // The tree is a few large allocations, cheap to free, but the process is about to
        // exit and the operating system takes them back for nothing.
        std::mem::forget(tree);
    }
    Some(loaded)
}

/// Whether [`load_fast`] leaves its parse trees to the end of the process.
static KEEP_PARSE_TREES: AtomicBool = AtomicBool::new(false);

/// For a process that exits right after checking (`scplan check`): [`load_fast`] no longer
/// frees its parse trees, which the operating system takes back at exit at no cost. Never for
/// the editor or any long-lived process, which would leak a tree per check.
pub fn keep_parse_trees() {
    KEEP_PARSE_TREES.store(true, Ordering::Relaxed);
}

/// Builds the typed plan from a parsed toml_edit document whose spans refer to `text`.
pub fn load(root: &toml_edit::Table, text: &str) -> Loaded {
    load_tree(EditNode::Table(root), text)
}

/// Builds the typed plan from the root of any parsed tree whose spans refer to `text`.
pub fn load_tree<'a, N: TreeNode<'a>>(root: N, text: &str) -> Loaded {
    let mut cx = Cx {
        lines: LineIndex::new(text),
        line_base: 0,
        diags: Vec::new(),
        tech_list: Some(TechList::default()),
    };
    let mut plan = Plan::default();
    for (name, _, _) in root.entries() {
        if !ROOT_CHILDREN.iter().any(|kind| kind.key() == name) {
            let loc = cx.key_loc(root, name);
            cx.unknown_key(
                name,
                ROOT_CHILDREN.iter().map(|kind| kind.key()),
                "plan",
                loc,
                None,
            );
        }
    }
    // [plan] first: its tech_list decides how technology areas are checked below.
    plan.meta = cx.meta(root);
    plan.priorities_malformed = root
        .get("priority")
        .is_some_and(|item| !matches!(item.kind(), Kind::ArrayOfTables | Kind::Array));
    plan.priorities = cx.items(root, Collection::Priorities, "plan", None, |cx, t, i| {
        cx.priority(t, i)
    });
    plan.countries = cx.items(root, Collection::Countries, "plan", None, |cx, t, i| {
        cx.country(t, i)
    });
    plan.waivers = cx.items(root, Collection::Waivers, "plan", None, |cx, t, i| {
        cx.waiver(t, i)
    });
    Loaded {
        plan,
        diagnostics: cx.diags,
    }
}

/// A part of the plan read on its own (see [`load_part`]).
#[derive(Debug, Clone, PartialEq)]
pub enum PartModel {
    /// `[plan]` and `[plan.cui]`.
    Meta(Box<Meta>),
    /// One country section.
    Country(Box<Country>),
    /// Every priority.
    Priorities(Vec<Priority>),
    /// Every waiver.
    Waivers(Vec<Waiver>),
}

/// Loads one part of the plan from `region`, the text it occupies in the plan from line
/// `first_line` on, checking technology areas against `tech_list` (the plan's): the part and
/// its structural findings, located in the whole plan, except SCP005 (a matter of the whole
/// plan). `None` when the region is not the part's header-style tables alone, as toml reads
/// them.
pub fn load_part(
    region: &str,
    part: Part,
    first_line: u32,
    tech_list: Option<TechList>,
) -> Option<(PartModel, Vec<Finding>)> {
    let tree = super::compact::parse(region)?;
    let root = tree.root();
    let mut entries = root.entries();
    let item = match (entries.next(), entries.next()) {
        (None, _) => None,
        (Some((name, _, item)), None) if name == part.key() => Some(item),
        _ => return None,
    };
    let tables: Vec<_> = item.map_or(Vec::new(), |i| i.elements().collect());
    let shaped = match part {
        Part::Plan => item.is_some_and(|i| i.kind() == Kind::Table(Style::Header)),
        _ => {
            item.is_none_or(|i| i.kind() == Kind::ArrayOfTables)
                && tables
                    .iter()
                    .all(|t| t.kind() == Kind::Table(Style::Header))
        }
    };
    if !shaped {
        return None;
    }
    let mut cx = Cx {
        lines: LineIndex::new(region),
        line_base: first_line.checked_sub(1)?,
        diags: Vec::new(),
        tech_list,
    };
    let model = match part {
        Part::Plan => PartModel::Meta(Box::new(cx.meta(root))),
        Part::Country(ci) => {
            let [table] = tables[..] else {
                return None;
            };
            let header = cx.loc(table.table_span());
            PartModel::Country(Box::new(cx.country(TableAt { table, header }, ci)))
        }
        Part::Priorities => PartModel::Priorities(cx.items(
            root,
            Collection::Priorities,
            "plan",
            None,
            |cx, t, i| cx.priority(t, i),
        )),
        Part::Waivers => {
            PartModel::Waivers(
                cx.items(root, Collection::Waivers, "plan", None, |cx, t, i| {
                    cx.waiver(t, i)
                }),
            )
        }
    };
    Some((model, cx.diags))
}

/// A table of the document, header-style or inline, with where its header is.
struct TableAt<N> {
    table: N,
    header: Loc,
}

struct Cx<'a> {
    lines: LineIndex<'a>,
    /// Lines of the plan above the text being read (a section read on its own).
    line_base: u32,
    diags: Vec<Finding>,
    tech_list: Option<TechList>,
}

/// The keys of one table being read, with its address and item.
struct Reader<N> {
    kind: TableKind,
    head: Head,
    keys: Vec<(&'static str, Loc, N)>,
}

impl<N: Copy> Reader<N> {
    /// The entry `name`, with where it is.
    fn get(&self, name: &str) -> Option<(Loc, N)> {
        self.keys
            .iter()
            .find(|(key, ..)| *key == name)
            .map(|&(_, loc, node)| (loc, node))
    }
}

impl<N> Reader<N> {
    /// Whether the table has the entry `name`.
    fn has(&self, name: &str) -> bool {
        self.keys.iter().any(|(key, ..)| *key == name)
    }
}

impl<'a> Cx<'a> {
    fn loc(&self, span: Option<std::ops::Range<usize>>) -> Loc {
        span.map_or(Loc::START, |s| {
            let mut loc = self.lines.loc(s);
            loc.line += self.line_base;
            loc
        })
    }

    /// Where the entry `name` of a table is: its key, or its header when it is a sub-table.
    fn key_loc<'n, N: TreeNode<'n>>(&self, table: N, name: &str) -> Loc {
        match table.get(name) {
            Some(item) => self.entry_loc(table.key_span(name), item),
            None => Loc::START,
        }
    }

    /// Where an entry whose key has `key_span` is: its key, or its header when it is a
    /// sub-table.
    fn entry_loc<'n, N: TreeNode<'n>>(&self, key_span: Option<Range<usize>>, item: N) -> Loc {
        let table_span = match item.kind() {
            Kind::Table(Style::Header) => item.table_span(),
            Kind::ArrayOfTables => item.elements().next().and_then(|t| t.table_span()),
            _ => None,
        };
        match table_span {
            Some(span) => self.loc(Some(span)),
            None => self.loc(key_span.map(|span| self.dotted_start(span))),
        }
    }

    /// A key written as the last part of a dotted key (`plan.format = 1`) starts where the
    /// whole dotted key starts.
    fn dotted_start(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let text = self.lines.text();
        // Most keys are not dotted: the character before one, spaces and tabs aside, is a line
        // break or another ASCII character than `.`, which settles it without the scan below.
        match text.as_bytes()[..span.start]
            .iter()
            .rfind(|&&b| b != b' ' && b != b'\t')
        {
            None | Some(b'\n') => return span,
            Some(&b) if b.is_ascii_graphic() && b != b'.' => return span,
            _ => {}
        }
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..span.start];
        if !before.trim_end().ends_with('.') {
            return span;
        }
        let part_of_key =
            |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | '\t' | '"' | '\'');
        let offset = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| part_of_key(*c))
            .last()
            .map_or(span.start, |(i, _)| line_start + i);
        let offset =
            offset + text[offset..span.start].len() - text[offset..span.start].trim_start().len();
        offset..span.end
    }

    fn push(&mut self, d: Finding) {
        self.diags.push(d);
    }

    fn unknown_key<'k>(
        &mut self,
        name: &str,
        known: impl Iterator<Item = &'k str>,
        item: &str,
        loc: Loc,
        node: Option<Node>,
    ) {
        let known: Vec<&str> = known.collect();
        let mut d = Finding::new(
            "SCP004",
            item,
            loc,
            format!("unknown key `{name}`: scplan ignores it"),
        );
        d = match catalog::closest(name, known.iter().copied()) {
            Some(best) => d.with_help(format!("did you mean `{best}`?")),
            None => d.with_help(format!("known keys here: {}", known.join(", "))),
        };
        if let Some(node) = node {
            d = d.at(node, Some(name));
        }
        self.push(d);
    }

    /// Opens a table: finds its item name, records its known keys and reports unknown ones.
    fn open<'n, N: TreeNode<'n>>(
        &mut self,
        at: &TableAt<N>,
        kind: TableKind,
        node: Node,
        parent_item: &str,
    ) -> Reader<N> {
        // Only tables with an id key are named by it; the rest by their parent.
        let item = match kind.id_key().and_then(|key| at.table.get(key)).map(N::kind) {
            Some(Kind::String(s)) => s.to_string(),
            _ => parent_item.to_string(),
        };
        let mut reader = Reader {
            kind,
            head: Head {
                node,
                header: at.header,
                item,
            },
            keys: Vec::with_capacity(kind.fields().len()),
        };
        for (name, key_span, entry) in at.table.entries() {
            let loc = self.entry_loc(key_span, entry);
            if let Some(spec) = kind.field(name) {
                reader.keys.push((spec.name, loc, entry));
            } else if let Some(child) = kind.children().iter().find(|k| k.key() == name) {
                reader.keys.push((child.key(), loc, entry));
            } else {
                let item = reader.head.item.clone();
                self.unknown_key(name, kind.known_keys(), &item, loc, Some(node));
            }
        }
        reader
    }

    fn diag<N>(
        &mut self,
        r: &Reader<N>,
        code: &'static str,
        loc: Loc,
        field: &str,
        message: String,
    ) {
        let d = Finding::new(code, r.head.item.clone(), loc, message).at(r.head.node, Some(field));
        self.push(d);
    }

    fn wrong_type<'n, N: TreeNode<'n>>(
        &mut self,
        r: &Reader<N>,
        spec: &FieldSpec,
        loc: Loc,
        item: N,
    ) {
        let found = describe(item.kind());
        self.diag(
            r,
            "SCP003",
            loc,
            spec.name,
            format!(
                "`{}` must be {}, not {found}",
                spec.name,
                spec.ty.describe()
            ),
        );
    }

    /// Reports the required keys of a table that are absent.
    fn finish<N>(&mut self, r: &Reader<N>) {
        for spec in r.kind.fields().iter().filter(|s| s.required) {
            if !r.has(spec.name) {
                let d = Finding::new(
                    "SCP002",
                    r.head.item.clone(),
                    r.head.header,
                    format!(
                        "missing required key `{}` in {}",
                        spec.name,
                        r.kind.header()
                    ),
                )
                .with_help(format!(
                    "add `{} = ...` ({})",
                    spec.name,
                    spec.ty.describe()
                ))
                .at(r.head.node, Some(spec.name));
                self.push(d);
            }
        }
    }

    fn text<'n, N: TreeNode<'n>>(&mut self, r: &Reader<N>, name: &'static str) -> Opt<String> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        match item.kind() {
            Kind::String(s) => {
                let value = s.to_string();
                if spec.not_blank && value.trim().is_empty() {
                    self.diag(
                        r,
                        "SCP009",
                        loc,
                        name,
                        format!("`{name}` is blank: write the {name}"),
                    );
                }
                if let FieldType::Enum(values) = spec.ty
                    && !values.contains(&value.as_str())
                {
                    self.bad_enum(r, name, loc, &value, values);
                    return Some(Field { value: None, loc });
                }
                Some(Field {
                    value: Some(value),
                    loc,
                })
            }
            _ => {
                self.wrong_type(r, spec, loc, item);
                Some(Field { value: None, loc })
            }
        }
    }

    fn bad_enum<N>(&mut self, r: &Reader<N>, name: &str, loc: Loc, value: &str, values: &[&str]) {
        let mut d = Finding::new(
            "SCP006",
            r.head.item.clone(),
            loc,
            format!(
                "`{name}` = \"{value}\" is not one of: {}",
                values.join(", ")
            ),
        )
        .at(r.head.node, Some(name));
        if let Some(best) = catalog::closest(value, values.iter().copied()) {
            d = d.with_help(format!("did you mean \"{best}\"?"));
        }
        self.push(d);
    }

    fn date<'n, N: TreeNode<'n>>(&mut self, r: &Reader<N>, name: &'static str) -> Opt<Date> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        if let Kind::Datetime(dt) = item.kind()
            && let (Some(d), None, None) = (dt.date, dt.time, dt.offset)
            && let Ok(date) = Date::new(d.year as i16, d.month as i8, d.day as i8)
        {
            return Some(Field {
                value: Some(date),
                loc,
            });
        }
        self.wrong_type(r, spec, loc, item);
        Some(Field { value: None, loc })
    }

    fn integer<'n, N: TreeNode<'n>>(&mut self, r: &Reader<N>, name: &'static str) -> Opt<i64> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        match item.kind() {
            Kind::Integer(value) => {
                if spec.ty == FieldType::Percent && !(0..=100).contains(&value) {
                    self.diag(
                        r,
                        "SCP003",
                        loc,
                        name,
                        format!("{name} {value} is outside 0..=100 (a percentage)"),
                    );
                    return Some(Field { value: None, loc });
                }
                Some(Field {
                    value: Some(value),
                    loc,
                })
            }
            _ => {
                self.wrong_type(r, spec, loc, item);
                Some(Field { value: None, loc })
            }
        }
    }

    fn boolean<'n, N: TreeNode<'n>>(&mut self, r: &Reader<N>, name: &'static str) -> Opt<bool> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        match item.kind() {
            Kind::Boolean(value) => Some(Field {
                value: Some(value),
                loc,
            }),
            _ => {
                self.wrong_type(r, spec, loc, item);
                Some(Field { value: None, loc })
            }
        }
    }

    fn list<'n, N: TreeNode<'n>>(&mut self, r: &Reader<N>, name: &'static str) -> Opt<List> {
        let (loc, item) = r.get(name)?;
        let spec = r.kind.field(name)?;
        if item.kind() != Kind::Array {
            self.wrong_type(r, spec, loc, item);
            return Some(Field { value: None, loc });
        }
        let mut list = List::default();
        let mut wrong = false;
        for value in item.elements() {
            list.raw_len += 1;
            match value.kind() {
                Kind::String(s) => list.entries.push(s.to_string()),
                _ => wrong = true,
            }
        }
        if wrong {
            self.diag(
                r,
                "SCP003",
                loc,
                name,
                format!("`{name}` must be an array of strings; some entries are not strings"),
            );
        }
        if spec.ty == FieldType::TechAreas {
            self.tech_areas(r, name, loc, &list);
        }
        Some(Field {
            value: Some(list),
            loc,
        })
    }

    fn tech_areas<N>(&mut self, r: &Reader<N>, name: &str, loc: Loc, list: &List) {
        let Some(tech_list) = self.tech_list else {
            return;
        };
        let areas = tech_list.areas();
        for value in &list.entries {
            if areas.contains(&value.as_str()) {
                continue;
            }
            let (message, help) = match tech_list {
                TechList::Y2025 if catalog::TECH_AREAS_2022.contains(&value.as_str()) => {
                    match catalog::successor_2025(value) {
                        Some(next) => (
                            format!(
                                "`{value}` is a 2022 technology area; the plan uses the 2025 list"
                            ),
                            format!(
                                "its 2025 successor is \"{next}\" (or set tech_list = \"2022\")"
                            ),
                        ),
                        None => (
                            format!("`{value}` is a 2022 technology area with no 2025 successor"),
                            format!(
                                "choose one of {} or set tech_list = \"2022\"",
                                areas.join(", ")
                            ),
                        ),
                    }
                }
                TechList::Y2022 if catalog::TECH_AREAS_2025.contains(&value.as_str()) => (
                    format!("`{value}` is a 2025 technology area; the plan uses the 2022 list"),
                    "set tech_list = \"2025\" or use a 2022 area".to_string(),
                ),
                _ => (
                    format!(
                        "`{value}` is not a technology area of the {} list",
                        match tech_list {
                            TechList::Y2025 => "2025",
                            TechList::Y2022 => "2022",
                        }
                    ),
                    match catalog::closest(value, areas.iter().copied()) {
                        Some(best) => format!("did you mean \"{best}\"?"),
                        None => format!("known areas: {}", areas.join(", ")),
                    },
                ),
            };
            let d = Finding::new("SCP006", r.head.item.clone(), loc, message)
                .with_help(help)
                .at(r.head.node, Some(name));
            self.push(d);
        }
    }

    fn portion<'n, N: TreeNode<'n>>(&mut self, r: &Reader<N>) -> Portion {
        Portion {
            marking: self.text(r, "marking"),
            justification: self.text(r, "marking_justification"),
            intel: self.boolean(r, "intel"),
            nf_exception: self.text(r, "nf_exception"),
        }
    }

    /// Reads every table of a collection with `read`.
    fn items<'n, N: TreeNode<'n>, T>(
        &mut self,
        parent: N,
        collection: Collection,
        parent_item: &str,
        parent_node: Option<Node>,
        mut read: impl FnMut(&mut Self, TableAt<N>, usize) -> T,
    ) -> Vec<T> {
        self.collection(parent, collection, parent_item, parent_node)
            .into_iter()
            .map(|(i, t)| read(self, t, i))
            .collect()
    }

    /// The tables of a collection (either TOML spelling), reporting a wrong shape as SCP003.
    fn collection<'n, N: TreeNode<'n>>(
        &mut self,
        parent: N,
        collection: Collection,
        parent_item: &str,
        parent_node: Option<Node>,
    ) -> Vec<(usize, TableAt<N>)> {
        let key = collection.key();
        let Some(item) = parent.get(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut wrong = !matches!(item.kind(), Kind::ArrayOfTables | Kind::Array);
        for (i, t) in item.elements().enumerate() {
            if matches!(t.kind(), Kind::Table(Style::Header | Style::Inline)) {
                let header = self.loc(t.table_span());
                out.push((i, TableAt { table: t, header }));
            } else {
                wrong = true;
            }
        }
        if wrong {
            let header = collection.kind().header();
            let mut d = Finding::new(
                "SCP003",
                parent_item,
                self.key_loc(parent, key),
                format!("`{key}` must be an array of tables: write each as {header}"),
            );
            if let Some(node) = parent_node {
                d = d.at(node, Some(key));
            }
            self.push(d);
        }
        out
    }

    fn meta<'n, N: TreeNode<'n>>(&mut self, root: N) -> Meta {
        let mut meta = Meta {
            header: Loc::START,
            ..Meta::default()
        };
        let plan = root.get("plan");
        let at = match plan.map(|t| (t, t.kind())) {
            None => None,
            Some((t, Kind::Table(_))) => Some(TableAt {
                table: t,
                header: self.loc(t.table_span()),
            }),
            Some((_, other)) => {
                let loc = self.key_loc(root, "plan");
                let d = Finding::new(
                    "SCP003",
                    "plan",
                    loc,
                    format!("`plan` must be a table ([plan]), not {}", describe(other)),
                );
                self.push(d);
                return meta;
            }
        };
        // `[plan.cui]` alone makes an implicit, empty [plan]: that is still a missing [plan].
        let implicit = plan.is_some_and(N::is_implicit);
        let Some(at) = at.filter(|at| !implicit || at.table.has_values()) else {
            // One finding for a missing [plan], not one per key.
            self.push(
                Finding::new(
                    "SCP002",
                    "plan",
                    Loc::START,
                    "missing [plan] table: every plan starts with [plan] (format, id, title, command, version, effective, marking)".to_string(),
                )
                .with_help("run `scplan new FILE --command ...` for a template")
                .at(Node::Plan, None),
            );
            return meta;
        };
        meta.present = true;
        meta.header = at.header;
        let r = self.open(&at, TableKind::Plan, Node::Plan, "plan");
        meta.format = self.integer(&r, "format");
        if let Some(Field {
            value: Some(format),
            loc,
        }) = meta.format
            && format != 1
        {
            self.diag(
                &r,
                "SCP008",
                loc,
                "format",
                format!("format {format} is unknown: this scplan reads format 1"),
            );
        }
        meta.id = self.text(&r, "id");
        meta.title = self.text(&r, "title");
        meta.command = self.text(&r, "command");
        meta.version = self.text(&r, "version");
        meta.effective = self.date(&r, "effective");
        meta.period_end = self.date(&r, "period_end");
        if let (Some(start), Some(end)) = (val(&meta.effective), &mut meta.period_end)
            && let Some(end_date) = end.value
            && end_date < *start
        {
            // An impossible period end is invalid: no date rule compares with it.
            end.value = None;
            self.diag(
                &r,
                "SCP003",
                end.loc,
                "period_end",
                format!("period_end {end_date} is before effective {start}"),
            );
        }
        meta.marking = self.text(&r, "marking");
        let profile = self.text(&r, "marking_profile");
        meta.marking_profile = profile.map(|f| Field {
            value: f.value.as_deref().and_then(Profile::parse),
            loc: f.loc,
        });
        let tech_list = self.text(&r, "tech_list");
        meta.tech_list = tech_list.map(|f| Field {
            value: f.value.as_deref().and_then(TechList::parse),
            loc: f.loc,
        });
        self.tech_list = meta.tech_list();
        meta.prepared_by = self.text(&r, "prepared_by");
        self.finish(&r);
        meta.cui = self.cui(at.table);
        meta
    }

    fn cui<'n, N: TreeNode<'n>>(&mut self, plan: N) -> Option<Cui> {
        let item = plan.get("cui")?;
        let header = self.key_loc(plan, "cui");
        let at = match item.kind() {
            Kind::Table(Style::Header | Style::Dotted) => TableAt {
                table: item,
                header,
            },
            Kind::Table(Style::Inline) => TableAt {
                table: item,
                header: self.loc(item.table_span()),
            },
            other => {
                let d = Finding::new(
                    "SCP003",
                    "plan",
                    header,
                    format!(
                        "`cui` must be a table ([plan.cui]), not {}",
                        describe(other)
                    ),
                )
                .at(Node::Plan, Some("cui"));
                self.push(d);
                return None;
            }
        };
        let r = self.open(&at, TableKind::Cui, Node::Cui, "plan");
        let cui = Cui {
            header: at.header,
            controlled_by: self.text(&r, "controlled_by"),
            categories: self.list(&r, "categories"),
            dissemination: self.text(&r, "dissemination"),
            poc: self.text(&r, "poc"),
        };
        self.finish(&r);
        Some(cui)
    }

    fn priority<'n, N: TreeNode<'n>>(&mut self, at: TableAt<N>, i: usize) -> Priority {
        let r = self.open(
            &at,
            TableKind::Priority,
            Node::Item(Collection::Priorities, i),
            "plan",
        );
        let p = Priority {
            id: self.text(&r, "id"),
            title: self.text(&r, "title"),
            source: self.text(&r, "source"),
            description: self.text(&r, "description"),
            portion: self.portion(&r),
            head: r.head.clone(),
        };
        self.finish(&r);
        p
    }

    fn country<'n, N: TreeNode<'n>>(&mut self, at: TableAt<N>, ci: usize) -> Country {
        let node = Node::Item(Collection::Countries, ci);
        let r = self.open(&at, TableKind::Country, node, "plan");
        let code = self.text(&r, "code");
        if let Some(Field {
            value: Some(code),
            loc,
        }) = &code
            && (code == "USA" || !catalog::is_country(code))
        {
            let (message, help) = if code == "USA" {
                (
                    "`USA` cannot be a partner country section".to_string(),
                    "use the partner's ISO 3166-1 alpha-3 code".to_string(),
                )
            } else {
                let upper = code.trim().to_ascii_uppercase();
                let help = match catalog::country_name(&upper) {
                    Some(name) if upper != "USA" => format!("did you mean \"{upper}\" ({name})?"),
                    _ => {
                        "write an ISO 3166-1 alpha-3 code in upper case (POL, JPN, ...)".to_string()
                    }
                };
                (
                    format!("country code \"{code}\" is not an ISO 3166-1 alpha-3 code"),
                    help,
                )
            };
            let loc = *loc;
            let d = Finding::new("SCP007", r.head.item.clone(), loc, message)
                .with_help(help)
                .at(node, Some("code"));
            self.push(d);
        }
        let mut country = Country {
            code,
            name: self.text(&r, "name"),
            summary: self.text(&r, "summary"),
            strengths: self.list(&r, "strengths"),
            portion: self.portion(&r),
            head: r.head.clone(),
            objectives: Vec::new(),
            agreements: Vec::new(),
            actors: Vec::new(),
            pools: Vec::new(),
            barriers: Vec::new(),
        };
        self.finish(&r);
        let item = r.head.item.clone();
        country.objectives = self.items(
            at.table,
            Collection::Objectives(ci),
            &item,
            Some(node),
            |cx, t, i| cx.objective(t, ci, i, &item),
        );
        country.agreements = self.items(
            at.table,
            Collection::Agreements(ci),
            &item,
            Some(node),
            |cx, t, i| cx.agreement(t, ci, i, &item),
        );
        country.actors = self.items(
            at.table,
            Collection::Actors(ci),
            &item,
            Some(node),
            |cx, t, i| cx.actor(t, ci, i, &item),
        );
        country.pools = self.items(
            at.table,
            Collection::Pools(ci),
            &item,
            Some(node),
            |cx, t, i| cx.pool(t, ci, i, &item),
        );
        country.barriers = self.items(
            at.table,
            Collection::Barriers(ci),
            &item,
            Some(node),
            |cx, t, i| cx.barrier(t, ci, i, &item),
        );
        country
    }

    fn objective<'n, N: TreeNode<'n>>(
        &mut self,
        at: TableAt<N>,
        ci: usize,
        oi: usize,
        parent: &str,
    ) -> Objective {
        let node = Node::Item(Collection::Objectives(ci), oi);
        let r = self.open(&at, TableKind::Objective, node, parent);
        let mut objective = Objective {
            id: self.text(&r, "id"),
            kind: self.text(&r, "kind"),
            text: self.text(&r, "text"),
            priorities: self.list(&r, "priorities"),
            tech_areas: self.list(&r, "tech_areas"),
            governance: self.list(&r, "governance"),
            target_date: self.date(&r, "target_date"),
            portion: self.portion(&r),
            head: r.head.clone(),
            indicators: Vec::new(),
        };
        self.finish(&r);
        let item = r.head.item.clone();
        let indicators =
            self.collection(at.table, Collection::Indicators(ci, oi), &item, Some(node));
        objective.indicators.reserve_exact(indicators.len());
        for (i, t) in indicators {
            let r = self.open(
                &t,
                TableKind::Indicator,
                Node::Item(Collection::Indicators(ci, oi), i),
                &item,
            );
            objective.indicators.push(Indicator {
                name: self.text(&r, "name"),
                baseline: self.text(&r, "baseline"),
                target: self.text(&r, "target"),
                portion: self.portion(&r),
                head: r.head.clone(),
            });
            self.finish(&r);
        }
        objective
    }

    fn agreement<'n, N: TreeNode<'n>>(
        &mut self,
        at: TableAt<N>,
        ci: usize,
        i: usize,
        parent: &str,
    ) -> Agreement {
        let r = self.open(
            &at,
            TableKind::Agreement,
            Node::Item(Collection::Agreements(ci), i),
            parent,
        );
        let a = Agreement {
            id: self.text(&r, "id"),
            kind: self.text(&r, "kind"),
            title: self.text(&r, "title"),
            signed: self.date(&r, "signed"),
            expires: self.date(&r, "expires"),
            last_reviewed: self.date(&r, "last_reviewed"),
            portion: self.portion(&r),
            head: r.head.clone(),
        };
        self.finish(&r);
        a
    }

    fn actor<'n, N: TreeNode<'n>>(
        &mut self,
        at: TableAt<N>,
        ci: usize,
        i: usize,
        parent: &str,
    ) -> Actor {
        let r = self.open(
            &at,
            TableKind::Actor,
            Node::Item(Collection::Actors(ci), i),
            parent,
        );
        let a = Actor {
            id: self.text(&r, "id"),
            name: self.text(&r, "name"),
            kind: self.text(&r, "kind"),
            role: self.text(&r, "role"),
            last_reviewed: self.date(&r, "last_reviewed"),
            portion: self.portion(&r),
            head: r.head.clone(),
        };
        self.finish(&r);
        a
    }

    fn pool<'n, N: TreeNode<'n>>(
        &mut self,
        at: TableAt<N>,
        ci: usize,
        i: usize,
        parent: &str,
    ) -> Pool {
        let r = self.open(
            &at,
            TableKind::Pool,
            Node::Item(Collection::Pools(ci), i),
            parent,
        );
        let p = Pool {
            id: self.text(&r, "id"),
            name: self.text(&r, "name"),
            tech_areas: self.list(&r, "tech_areas"),
            us_share: self.integer(&r, "us_share"),
            ip_terms: self.text(&r, "ip_terms"),
            portion: self.portion(&r),
            head: r.head.clone(),
        };
        self.finish(&r);
        p
    }

    fn barrier<'n, N: TreeNode<'n>>(
        &mut self,
        at: TableAt<N>,
        ci: usize,
        i: usize,
        parent: &str,
    ) -> Barrier {
        let r = self.open(
            &at,
            TableKind::Barrier,
            Node::Item(Collection::Barriers(ci), i),
            parent,
        );
        let b = Barrier {
            kind: self.text(&r, "kind"),
            text: self.text(&r, "text"),
            mitigation: self.text(&r, "mitigation"),
            portion: self.portion(&r),
            head: r.head.clone(),
        };
        self.finish(&r);
        b
    }

    fn waiver<'n, N: TreeNode<'n>>(&mut self, at: TableAt<N>, i: usize) -> Waiver {
        let r = self.open(
            &at,
            TableKind::Waiver,
            Node::Item(Collection::Waivers, i),
            "plan",
        );
        let w = Waiver {
            rule: self.text(&r, "rule"),
            item: self.text(&r, "item"),
            reason: self.text(&r, "reason"),
            approved_by: self.text(&r, "approved_by"),
            expires: self.date(&r, "expires"),
            head: r.head.clone(),
        };
        self.finish(&r);
        w
    }
}

/// A short phrase naming what a TOML item is, for type messages.
fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::None => "nothing",
        Kind::Table(_) => "a table",
        Kind::ArrayOfTables => "an array of tables",
        Kind::String(_) => "a string",
        Kind::Integer(_) => "an integer",
        Kind::Float => "a float",
        Kind::Boolean(_) => "a boolean",
        Kind::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(_), None, _) => "an invalid date",
            (Some(_), Some(_), Some(_)) => "an offset date-time",
            (Some(_), Some(_), None) => "a local date-time",
            _ => "a time",
        },
        Kind::Array => "an array",
    }
}
