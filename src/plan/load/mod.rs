//! Document -> typed [`Plan`], reporting every structural problem (SCP002-SCP009) in one pass
//! and building as much of the plan as it can, so that a plan with errors can still be opened.

mod read;
mod tables;
pub mod tech;

use std::sync::atomic::{AtomicBool, Ordering};

use super::catalog::TechList;
use super::cut::SPLIT_FROM_BYTES;
use super::finding::Finding;
use super::model::Part;
use super::model::*;
use super::schema::{ROOT_CHILDREN, TableKind};
use super::source::LineIndex;
use super::tree::{EditNode, Kind, Style, TreeNode};
use crate::parallel;

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
pub fn load_tree<'a, N: TreeNode<'a> + Send>(root: N, text: &str) -> Loaded {
    read_plan(root, text, text.len() >= SPLIT_FROM_BYTES)
}

/// [`load_tree`], the country sections read on two cores when `split`.
fn read_plan<'a, N: TreeNode<'a> + Send>(root: N, text: &str, split: bool) -> Loaded {
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
    // An array with an entry that is not a table is as mistyped as a string (`[1]`).
    plan.priorities_malformed = root.get("priority").is_some_and(|item| match item.kind() {
        Kind::ArrayOfTables => false,
        Kind::Array => item.elements().any(|e| !matches!(e.kind(), Kind::Table(_))),
        _ => true,
    });
    plan.priorities = cx.items(root, Collection::Priorities, "plan", None, |cx, t, i| {
        cx.priority(t, i)
    });
    plan.countries = cx.countries(root, split);
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

/// What the loader carries while it reads: where lines start, what it found, the technology
/// list that areas are checked against.
struct Cx<'a> {
    lines: LineIndex<'a>,
    /// Lines of the plan above the text being read (a section read on its own).
    line_base: u32,
    diags: Vec<Finding>,
    tech_list: Option<TechList>,
}

impl Cx<'_> {
    /// The country sections under `root`, the second half of them read on another core when
    /// `split`. The findings come out as one reading in order gives them.
    fn countries<'n, N: TreeNode<'n> + Send>(&mut self, root: N, split: bool) -> Vec<Country> {
        let mut tables = self.collection(root, Collection::Countries, "plan", None);
        let read = |cx: &mut Cx<'_>, tables: Vec<(usize, TableAt<N>)>| -> Vec<Country> {
            tables.into_iter().map(|(i, t)| cx.country(t, i)).collect()
        };
        if !split || tables.len() < 2 {
            return read(self, tables);
        }
        let second = tables.split_off(tables.len() / 2);
        let (mut mine, mut theirs) = (self.beside(), self.beside());
        let ((mut later, later_diags), (mut countries, diags)) = parallel::both(
            move || (read(&mut theirs, second), theirs.diags),
            move || (read(&mut mine, tables), mine.diags),
        );
        countries.append(&mut later);
        self.diags.extend(diags);
        self.diags.extend(later_diags);
        countries
    }

    /// A reader of the same text, with findings of its own, for work on another core.
    fn beside(&self) -> Cx<'_> {
        Cx {
            lines: self.lines.shared(),
            line_base: self.line_base,
            diags: Vec::new(),
            tech_list: self.tech_list,
        }
    }
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
            (Some(_), None, _) => "a local date",
            (Some(_), Some(_), Some(_)) => "an offset date-time",
            (Some(_), Some(_), None) => "a local date-time",
            _ => "a local time",
        },
        Kind::Array => "an array",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_read_on_two_cores_make_the_plan_and_findings_of_one_reading() {
        let texts = [
            include_str!("../../../plans/eucom-sample.toml").to_string(),
            crate::synth::generate(7, 4, 0.4, 3),
            crate::synth::generate(1, 2, 0.4, 5),
        ];
        for text in texts {
            let tree = crate::plan::compact::parse(&text).expect("the plan parses");
            let whole = read_plan(tree.root(), &text, false);
            assert!(!whole.plan.countries.is_empty());
            assert_eq!(read_plan(tree.root(), &text, true), whole);
        }
        let defects = crate::synth::generate(7, 4, 0.4, 3);
        let tree = crate::plan::compact::parse(&defects).expect("the plan parses");
        assert!(
            !read_plan(tree.root(), &defects, true)
                .diagnostics
                .is_empty()
        );
    }
}
