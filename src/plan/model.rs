//! The typed, read-only view of a plan, derived from its document. Every value keeps where it
//! came from, so that a diagnostic can point at it; a value that is present but invalid is kept
//! as present (`Field::value == None`) because it counts as present for every "missing" rule.

use jiff::civil::Date;

use super::catalog::TechList;
use super::marking::Profile;
use super::schema::TableKind;

/// A place in the file: 1-based line and column (in characters), and the length of the span
/// (in characters) for a caret under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in Unicode scalar values.
    pub column: u32,
    /// Length of the span in characters (at least 1).
    pub len: u32,
}

impl Loc {
    /// The start of the file.
    pub const START: Loc = Loc {
        line: 1,
        column: 1,
        len: 1,
    };
}

/// A key that is present in its table, with its value when the value is valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    /// The value, or `None` when it has the wrong type or an invalid value.
    pub value: Option<T>,
    /// Where the key is.
    pub loc: Loc,
}

/// An optional key: `None` when absent.
pub type Opt<T> = Option<Field<T>>;

/// The valid value of an optional key.
pub fn val<T>(field: &Opt<T>) -> Option<&T> {
    field.as_ref().and_then(|f| f.value.as_ref())
}

/// The text of an optional string key, or "" when absent or invalid.
pub fn text(field: &Opt<String>) -> &str {
    val(field).map(String::as_str).unwrap_or("")
}

/// A list of strings: its string entries, and how many entries it had of any type (so that
/// an array of invalid entries is not mistaken for an empty one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List {
    /// The entries that are strings, in order.
    pub entries: Vec<String>,
    /// How many entries the array had, strings or not.
    pub raw_len: usize,
}

/// Where a collection of items lives in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    /// `[[priority]]`.
    Priorities,
    /// `[[country]]`.
    Countries,
    /// `[[waiver]]`.
    Waivers,
    /// The objectives of the country at this index.
    Objectives(usize),
    /// The agreements of the country at this index.
    Agreements(usize),
    /// The actors of the country at this index.
    Actors(usize),
    /// The investment pools of the country at this index.
    Pools(usize),
    /// The barriers of the country at this index.
    Barriers(usize),
    /// The indicators of (country index, objective index).
    Indicators(usize, usize),
}

impl Collection {
    /// The kind of table the collection holds.
    pub fn kind(self) -> TableKind {
        match self {
            Collection::Priorities => TableKind::Priority,
            Collection::Countries => TableKind::Country,
            Collection::Waivers => TableKind::Waiver,
            Collection::Objectives(_) => TableKind::Objective,
            Collection::Agreements(_) => TableKind::Agreement,
            Collection::Actors(_) => TableKind::Actor,
            Collection::Pools(_) => TableKind::Pool,
            Collection::Barriers(_) => TableKind::Barrier,
            Collection::Indicators(..) => TableKind::Indicator,
        }
    }

    /// The key under which the collection is stored in its parent table.
    pub fn key(self) -> &'static str {
        self.kind().key()
    }

    /// The table holding the collection: `None` for the document root.
    pub fn parent(self) -> Option<Node> {
        match self {
            Collection::Priorities | Collection::Countries | Collection::Waivers => None,
            Collection::Objectives(c)
            | Collection::Agreements(c)
            | Collection::Actors(c)
            | Collection::Pools(c)
            | Collection::Barriers(c) => Some(Node::Item(Collection::Countries, c)),
            Collection::Indicators(c, o) => Some(Node::Item(Collection::Objectives(c), o)),
        }
    }

    /// The collection of `kind` under the country at `country` (for country children).
    pub fn of_country(kind: TableKind, country: usize) -> Option<Collection> {
        Some(match kind {
            TableKind::Objective => Collection::Objectives(country),
            TableKind::Agreement => Collection::Agreements(country),
            TableKind::Actor => Collection::Actors(country),
            TableKind::Pool => Collection::Pools(country),
            TableKind::Barrier => Collection::Barriers(country),
            _ => return None,
        })
    }
}

/// The address of one table in the document, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    /// `[plan]`.
    Plan,
    /// `[plan.cui]`.
    Cui,
    /// `[plan.authority]`.
    Authority,
    /// The item at an index of a collection.
    Item(Collection, usize),
}

impl Node {
    /// The kind of table at this address.
    pub fn kind(self) -> TableKind {
        match self {
            Node::Plan => TableKind::Plan,
            Node::Cui => TableKind::Cui,
            Node::Authority => TableKind::Authority,
            Node::Item(collection, _) => collection.kind(),
        }
    }

    /// The same address in the country section at index `c` (a section added, removed or
    /// moved renumbers those after it); addresses outside the sections stay as they are.
    pub fn in_country(self, c: usize) -> Node {
        let Node::Item(collection, i) = self else {
            return self;
        };
        match collection {
            Collection::Countries => Node::Item(Collection::Countries, c),
            Collection::Objectives(_) => Node::Item(Collection::Objectives(c), i),
            Collection::Agreements(_) => Node::Item(Collection::Agreements(c), i),
            Collection::Actors(_) => Node::Item(Collection::Actors(c), i),
            Collection::Pools(_) => Node::Item(Collection::Pools(c), i),
            Collection::Barriers(_) => Node::Item(Collection::Barriers(c), i),
            Collection::Indicators(_, o) => Node::Item(Collection::Indicators(c, o), i),
            Collection::Priorities | Collection::Waivers => self,
        }
    }

    /// The index of the country whose section holds this table, if any.
    pub fn country(self) -> Option<usize> {
        match self {
            Node::Item(Collection::Countries, c)
            | Node::Item(
                Collection::Objectives(c)
                | Collection::Agreements(c)
                | Collection::Actors(c)
                | Collection::Pools(c)
                | Collection::Barriers(c)
                | Collection::Indicators(c, _),
                _,
            ) => Some(c),
            _ => None,
        }
    }
}

/// The four portion-marking fields of a markable table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Portion {
    /// `marking` (default `U`).
    pub marking: Opt<String>,
    /// `marking_justification`.
    pub justification: Opt<String>,
    /// `intel`.
    pub intel: Opt<bool>,
    /// `nf_exception`.
    pub nf_exception: Opt<String>,
}

impl Portion {
    /// The marking as written, `U` when absent; `None` when it is not a string.
    pub fn marking_text(&self) -> Option<&str> {
        match &self.marking {
            None => Some("U"),
            Some(field) => field.value.as_deref(),
        }
    }

    /// Whether `marking_justification` is present and not blank.
    pub fn is_justified(&self) -> bool {
        !text(&self.justification).trim().is_empty()
    }
}

/// What every item table shares: where it is and which item names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// Its address in the document.
    pub node: Node,
    /// Where its header (or inline `{`) is.
    pub header: Loc,
    /// The item that diagnostics about it name.
    pub item: String,
    /// Whether `item` is the table's own id or code (else its parent's, or `plan`).
    pub named: bool,
}

impl Head {
    /// How a message names the table: `objective POL-ST-1`; one without an id of its own
    /// by what it lacks and where it is (`the objective in POL with no `id``). Not by its
    /// line: a message is made once, and the line moves with edits above it.
    pub fn called(&self, noun: &str) -> String {
        let key = self.node.kind().id_key().unwrap_or("id");
        match (self.named, self.item.as_str()) {
            (true, item) => format!("{noun} {item}"),
            (false, "plan") => format!("the {noun} with no `{key}`"),
            (false, parent) => format!("the {noun} in {parent} with no `{key}`"),
        }
    }

    /// The table's own id or code alone (`POL-ST-1`); [`Head::called`] for one without.
    pub fn name(&self, noun: &str) -> String {
        if self.named {
            self.item.clone()
        } else {
            self.called(noun)
        }
    }
}

/// `[plan]` and `[plan.cui]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// Whether the `[plan]` table exists.
    pub present: bool,
    /// Where its header is (1:1 when absent).
    pub header: Loc,
    /// `format`.
    pub format: Opt<i64>,
    /// `id`.
    pub id: Opt<String>,
    /// `title`.
    pub title: Opt<String>,
    /// `command`.
    pub command: Opt<String>,
    /// `version`.
    pub version: Opt<String>,
    /// `effective`.
    pub effective: Opt<Date>,
    /// `period_end`.
    pub period_end: Opt<Date>,
    /// `marking`, the banner.
    pub marking: Opt<String>,
    /// `marking_profile`.
    pub marking_profile: Opt<Profile>,
    /// `tech_list`.
    pub tech_list: Opt<TechList>,
    /// `prepared_by`.
    pub prepared_by: Opt<String>,
    /// `link_review`: every link must carry a review stamp (SCP110).
    pub link_review: Opt<bool>,
    /// `[plan.cui]`.
    pub cui: Option<Cui>,
    /// `[plan.authority]`.
    pub authority: Option<Authority>,
}

impl Meta {
    /// The CUI profile in force (`dod` unless a valid `nara`).
    pub fn profile(&self) -> Profile {
        val(&self.marking_profile).copied().unwrap_or(Profile::Dod)
    }

    /// Whether every link must carry a review stamp (`link_review = true`).
    pub fn link_review(&self) -> bool {
        val(&self.link_review).copied().unwrap_or(false)
    }

    /// The technology list in force, `None` when `tech_list` is invalid.
    pub fn tech_list(&self) -> Option<TechList> {
        match &self.tech_list {
            None => Some(TechList::default()),
            Some(field) => field.value,
        }
    }
}

/// `[plan.cui]`, the CUI designation indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Cui {
    /// Where its header is.
    pub header: Loc,
    /// Whether its key holds a table: `false` for a key of another type (SCP003), which
    /// counts as present for every rule that asks whether the block is there, its keys unknown.
    pub readable: bool,
    /// `controlled_by`.
    pub controlled_by: Opt<String>,
    /// `categories`.
    pub categories: Opt<List>,
    /// `dissemination`.
    pub dissemination: Opt<String>,
    /// `poc`.
    pub poc: Opt<String>,
}

/// When a classified document may be declassified: a date, or an event or exemption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declassify {
    /// A local date.
    Date(Date),
    /// An event or exemption, as written (`25X1, 2061-10-01`).
    Event(String),
}

impl std::fmt::Display for Declassify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Declassify::Date(date) => write!(f, "{date}"),
            Declassify::Event(event) => f.write_str(event),
        }
    }
}

/// `[plan.authority]`, the classification authority block.
#[derive(Debug, Clone, PartialEq)]
pub struct Authority {
    /// Where its header is.
    pub header: Loc,
    /// Whether its key holds a table: `false` for a key of another type (SCP003), which
    /// counts as present for every rule that asks whether the block is there, its keys unknown.
    pub readable: bool,
    /// `classified_by`.
    pub classified_by: Opt<String>,
    /// `derived_from`.
    pub derived_from: Opt<String>,
    /// `reason`.
    pub reason: Opt<String>,
    /// `declassify_on`.
    pub declassify_on: Opt<Declassify>,
}

/// `[[priority]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    /// Address and item.
    pub head: Head,
    /// `id`.
    pub id: Opt<String>,
    /// `title`.
    pub title: Opt<String>,
    /// `source`.
    pub source: Opt<String>,
    /// `description`.
    pub description: Opt<String>,
    /// Marking fields.
    pub portion: Portion,
}

/// `[[country]]`, one security-cooperation section.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// Address and item.
    pub head: Head,
    /// `code`.
    pub code: Opt<String>,
    /// `name`.
    pub name: Opt<String>,
    /// `summary`.
    pub summary: Opt<String>,
    /// `strengths`.
    pub strengths: Opt<List>,
    /// Marking fields.
    pub portion: Portion,
    /// `[[country.objective]]`.
    pub objectives: Vec<Objective>,
    /// `[[country.agreement]]`.
    pub agreements: Vec<Agreement>,
    /// `[[country.actor]]`.
    pub actors: Vec<Actor>,
    /// `[[country.investment_pool]]`.
    pub pools: Vec<Pool>,
    /// `[[country.barrier]]`.
    pub barriers: Vec<Barrier>,
}

impl Country {
    /// Gives every table of the section the address it has as the section at index `ci`.
    pub fn set_index(&mut self, ci: usize) {
        let set = |head: &mut Head| head.node = head.node.in_country(ci);
        set(&mut self.head);
        for o in &mut self.objectives {
            set(&mut o.head);
            o.indicators.iter_mut().for_each(|i| set(&mut i.head));
        }
        self.agreements.iter_mut().for_each(|a| set(&mut a.head));
        self.actors.iter_mut().for_each(|a| set(&mut a.head));
        self.pools.iter_mut().for_each(|p| set(&mut p.head));
        self.barriers.iter_mut().for_each(|b| set(&mut b.head));
    }
}

/// `[[country.objective]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// Address and item.
    pub head: Head,
    /// `id`.
    pub id: Opt<String>,
    /// `kind`: `st` or `sc`.
    pub kind: Opt<String>,
    /// `text`.
    pub text: Opt<String>,
    /// `priorities`.
    pub priorities: Opt<List>,
    /// `tech_areas`.
    pub tech_areas: Opt<List>,
    /// `governance`.
    pub governance: Opt<List>,
    /// `target_date`.
    pub target_date: Opt<Date>,
    /// `reviewed_links`.
    pub reviewed_links: Option<ReviewedLinks>,
    /// Marking fields.
    pub portion: Portion,
    /// `[[country.objective.indicator]]`.
    pub indicators: Vec<Indicator>,
}

impl Objective {
    /// Whether this is a science & technology objective.
    pub fn is_st(&self) -> bool {
        val(&self.kind).is_some_and(|k| k == "st")
    }
}

/// An objective's `reviewed_links`: per linked priority, the stamp it had when a planner last
/// confirmed the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedLinks {
    /// Where the key is (the header of a sub-table).
    pub loc: Loc,
    /// The stamps in the order written; `None` when the key is not a table (SCP003).
    pub stamps: Option<Vec<LinkStamp>>,
}

/// One entry of `reviewed_links`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkStamp {
    /// The priority id (the entry's key).
    pub priority: String,
    /// The stamp, `None` when it is not a string of 8 lower-case hex digits (SCP006).
    pub stamp: Option<String>,
    /// Where the stamp is: its key's line, or `reviewed_links`' for an inline table.
    pub loc: Loc,
}

/// `[[country.objective.indicator]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Address and item (the objective's id).
    pub head: Head,
    /// `name`.
    pub name: Opt<String>,
    /// `baseline`.
    pub baseline: Opt<String>,
    /// `target`.
    pub target: Opt<String>,
    /// Marking fields.
    pub portion: Portion,
}

/// `[[country.agreement]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Address and item.
    pub head: Head,
    /// `id`.
    pub id: Opt<String>,
    /// `kind`.
    pub kind: Opt<String>,
    /// `title`.
    pub title: Opt<String>,
    /// `signed`.
    pub signed: Opt<Date>,
    /// `expires`.
    pub expires: Opt<Date>,
    /// `last_reviewed`.
    pub last_reviewed: Opt<Date>,
    /// Marking fields.
    pub portion: Portion,
}

/// `[[country.actor]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Address and item.
    pub head: Head,
    /// `id`.
    pub id: Opt<String>,
    /// `name`.
    pub name: Opt<String>,
    /// `kind`.
    pub kind: Opt<String>,
    /// `role`.
    pub role: Opt<String>,
    /// `last_reviewed`.
    pub last_reviewed: Opt<Date>,
    /// Marking fields.
    pub portion: Portion,
}

/// `[[country.investment_pool]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// Address and item.
    pub head: Head,
    /// `id`.
    pub id: Opt<String>,
    /// `name`.
    pub name: Opt<String>,
    /// `tech_areas`.
    pub tech_areas: Opt<List>,
    /// `us_share`, percent.
    pub us_share: Opt<i64>,
    /// `ip_terms`.
    pub ip_terms: Opt<String>,
    /// Marking fields.
    pub portion: Portion,
}

/// `[[country.barrier]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Barrier {
    /// Address and item (the country's code).
    pub head: Head,
    /// `kind`.
    pub kind: Opt<String>,
    /// `text`.
    pub text: Opt<String>,
    /// `mitigation`.
    pub mitigation: Opt<String>,
    /// Marking fields.
    pub portion: Portion,
}

/// `[[waiver]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    /// Address; the item is always `plan`.
    pub head: Head,
    /// `rule`.
    pub rule: Opt<String>,
    /// `item`.
    pub item: Opt<String>,
    /// `reason`.
    pub reason: Opt<String>,
    /// `approved_by`.
    pub approved_by: Opt<String>,
    /// `expires`.
    pub expires: Opt<Date>,
}

/// A whole plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// `[plan]`.
    pub meta: Meta,
    /// Whether `priority` is present but not an array of tables, or an array with an entry
    /// that is not one (SCP003, so no SCP106).
    pub priorities_malformed: bool,
    /// `[[priority]]`.
    pub priorities: Vec<Priority>,
    /// `[[country]]`.
    pub countries: Vec<Country>,
    /// `[[waiver]]`.
    pub waivers: Vec<Waiver>,
}

/// A markable table of the plan, for rules that look at every portion.
#[derive(Debug, Clone, Copy)]
pub struct PortionRef<'a> {
    /// Which kind of table.
    pub kind: TableKind,
    /// Its address and item.
    pub head: &'a Head,
    /// Its marking fields.
    pub portion: &'a Portion,
    /// The index of the country whose section holds it, if any.
    pub country: Option<usize>,
}

impl Plan {
    /// Every valid id and country code, in document-tree order: priorities, then each country's
    /// code followed by its objectives, agreements, actors and pools (one namespace).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        let priorities = self.priorities.iter().map(|p| &p.id);
        let countries = self.countries.iter().flat_map(|c| {
            std::iter::once(&c.code)
                .chain(c.objectives.iter().map(|o| &o.id))
                .chain(c.agreements.iter().map(|a| &a.id))
                .chain(c.actors.iter().map(|a| &a.id))
                .chain(c.pools.iter().map(|p| &p.id))
        });
        priorities
            .chain(countries)
            .filter_map(|id| val(id).map(String::as_str))
    }

    /// Every markable table in document-tree order: priorities, then each country with
    /// everything inside it.
    pub fn portions(&self) -> Vec<PortionRef<'_>> {
        let mut out: Vec<PortionRef<'_>> = self.plan_portions().collect();
        for ci in 0..self.countries.len() {
            out.extend(self.country_portions(ci));
        }
        out
    }

    /// The markable tables outside the country sections: the priorities.
    pub fn plan_portions(&self) -> impl Iterator<Item = PortionRef<'_>> {
        self.priorities.iter().map(|p| PortionRef {
            kind: TableKind::Priority,
            head: &p.head,
            portion: &p.portion,
            country: None,
        })
    }

    /// The markable tables of the country at `ci`: the country, then everything inside it.
    pub fn country_portions(&self, ci: usize) -> Vec<PortionRef<'_>> {
        let mut out = Vec::new();
        let Some(c) = self.countries.get(ci) else {
            return out;
        };
        let mut push = |kind, head, portion| {
            out.push(PortionRef {
                kind,
                head,
                portion,
                country: Some(ci),
            })
        };
        push(TableKind::Country, &c.head, &c.portion);
        for o in &c.objectives {
            push(TableKind::Objective, &o.head, &o.portion);
            for i in &o.indicators {
                push(TableKind::Indicator, &i.head, &i.portion);
            }
        }
        for a in &c.agreements {
            push(TableKind::Agreement, &a.head, &a.portion);
        }
        for a in &c.actors {
            push(TableKind::Actor, &a.head, &a.portion);
        }
        for p in &c.pools {
            push(TableKind::Pool, &p.head, &p.portion);
        }
        for b in &c.barriers {
            push(TableKind::Barrier, &b.head, &b.portion);
        }
        out
    }
}

/// A part of the document that can be printed and read again on its own: `[plan]` (with
/// `[plan.cui]`), one country section, all the priorities, or all the waivers (when they are
/// header-style tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// `[plan]` and `[plan.cui]`.
    Plan,
    /// The country section at this index.
    Country(usize),
    /// Every `[[priority]]`.
    Priorities,
    /// Every `[[waiver]]`.
    Waivers,
}

impl Part {
    /// The part holding the table at `node`, if any.
    pub fn of_node(node: Node) -> Option<Part> {
        match node {
            Node::Plan | Node::Cui | Node::Authority => Some(Part::Plan),
            Node::Item(Collection::Priorities, _) => Some(Part::Priorities),
            Node::Item(Collection::Waivers, _) => Some(Part::Waivers),
            node => node.country().map(Part::Country),
        }
    }

    /// The part holding a collection's items, if any (the countries as a whole are none:
    /// adding, removing or moving a section renumbers the others).
    pub fn of_collection(collection: Collection) -> Option<Part> {
        match collection {
            Collection::Priorities => Some(Part::Priorities),
            Collection::Waivers => Some(Part::Waivers),
            Collection::Countries => None,
            c => c.parent().and_then(Node::country).map(Part::Country),
        }
    }

    /// Its key in the document's root.
    pub fn key(self) -> &'static str {
        match self {
            Part::Plan => TableKind::Plan.key(),
            Part::Country(_) => Collection::Countries.key(),
            Part::Priorities => Collection::Priorities.key(),
            Part::Waivers => Collection::Waivers.key(),
        }
    }
}
