//! A field's value as the diff compares and shows it, borrowed from the version: from the typed
//! plan, which holds every value as written when the loader found none invalid, or from the
//! TOML value itself for a version read raw. Values are compared without building JSON; JSON
//! is made only for what the diff shows.

use jiff::civil::Date;
use serde_json::{Map, Value};

use crate::plan::json::to_json;
use crate::plan::model::{
    Actor, Agreement, Barrier, Country, Declassify, Field, Indicator, LinkStamp, List, Meta,
    Objective, Opt, Pool, Portion, Priority, Waiver,
};

/// One present value.
#[derive(Debug, Clone, Copy)]
pub(super) enum Val<'a> {
    /// A string (an enumerated value as written).
    Text(&'a str),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A local date.
    Date(Date),
    /// An array of strings.
    List(&'a [String]),
    /// `reviewed_links`, in the order written.
    Stamps(&'a [LinkStamp]),
    /// A value of a version read raw.
    Raw(&'a toml::Value),
}

impl<'a> Val<'a> {
    /// The JSON form, as [`to_json`] gives it for the TOML value (tables with sorted keys).
    pub(super) fn json(self) -> Value {
        match self {
            Val::Text(s) => Value::from(s),
            Val::Int(i) => Value::from(i),
            Val::Bool(b) => Value::Bool(b),
            Val::Date(d) => Value::String(d.to_string()),
            Val::List(entries) => entries.iter().map(|s| Value::from(s.as_str())).collect(),
            Val::Stamps(stamps) => Value::Object(
                sorted(stamps)
                    .into_iter()
                    .map(|(key, stamp)| (key.to_string(), stamp.map_or(Value::Null, Value::from)))
                    .collect::<Map<String, Value>>(),
            ),
            Val::Raw(value) => to_json(value),
        }
    }

    /// Whether the two values have the same JSON form.
    fn same(self, other: Val<'_>) -> bool {
        match (self, other) {
            (Val::Text(a), Val::Text(b)) => a == b,
            (Val::Int(a), Val::Int(b)) => a == b,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Date(a), Val::Date(b)) => a == b,
            (Val::List(a), Val::List(b)) => a == b,
            (Val::Stamps(a), Val::Stamps(b)) => sorted(a) == sorted(b),
            // Mixed forms (a date and a string, a typed and a raw value) compare as JSON.
            (a, b) => a.json() == b.json(),
        }
    }

    /// The string, if the value is one.
    pub(super) fn as_str(self) -> Option<&'a str> {
        match self {
            Val::Text(s) => Some(s),
            Val::Raw(value) => value.as_str(),
            _ => None,
        }
    }

    /// The value as a reader of `[plan]` sees it: a string unquoted, else its TOML spelling.
    pub(super) fn spelling(self) -> String {
        match self {
            Val::Text(s) => s.to_string(),
            Val::Int(i) => i.to_string(),
            Val::Bool(b) => b.to_string(),
            Val::Date(d) => d.to_string(),
            Val::Raw(toml::Value::String(s)) => s.clone(),
            Val::Raw(value) => value.to_string(),
            list @ (Val::List(_) | Val::Stamps(_)) => list.json().to_string(),
        }
    }

    /// Whether the value is a table (of stamps).
    pub(super) fn is_table(self) -> bool {
        matches!(self, Val::Stamps(_) | Val::Raw(toml::Value::Table(_)))
    }

    /// The string at `key` of a table.
    pub(super) fn entry(self, key: &str) -> Option<&'a str> {
        match self {
            Val::Stamps(stamps) => stamps.iter().find(|s| s.priority == key)?.stamp.as_deref(),
            Val::Raw(toml::Value::Table(table)) => table.get(key)?.as_str(),
            _ => None,
        }
    }

    /// The string entries of an array.
    pub(super) fn strings(self) -> Vec<&'a str> {
        match self {
            Val::List(entries) => entries.iter().map(String::as_str).collect(),
            Val::Raw(toml::Value::Array(items)) => {
                items.iter().filter_map(toml::Value::as_str).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Whether two optional values are the same (both absent, or the same JSON form).
pub(super) fn same(a: Option<Val<'_>>, b: Option<Val<'_>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.same(b),
        _ => false,
    }
}

/// The stamps by priority id, as a TOML table orders its keys.
fn sorted(stamps: &[LinkStamp]) -> Vec<(&str, Option<&str>)> {
    let mut out: Vec<(&str, Option<&str>)> = stamps
        .iter()
        .map(|s| (s.priority.as_str(), s.stamp.as_deref()))
        .collect();
    out.sort_unstable_by_key(|(key, _)| *key);
    out
}

/// One table of the typed plan.
#[derive(Debug, Clone, Copy)]
pub(super) enum Typed<'a> {
    /// `[plan]` with its blocks, as `cui.*` and `authority.*`.
    Meta(&'a Meta),
    /// `[[priority]]`.
    Priority(&'a Priority),
    /// `[[country]]`.
    Country(&'a Country),
    /// `[[country.objective]]`.
    Objective(&'a Objective),
    /// `[[country.objective.indicator]]`.
    Indicator(&'a Indicator),
    /// `[[country.agreement]]`.
    Agreement(&'a Agreement),
    /// `[[country.actor]]`.
    Actor(&'a Actor),
    /// `[[country.investment_pool]]`.
    Pool(&'a Pool),
    /// `[[country.barrier]]`.
    Barrier(&'a Barrier),
    /// `[[waiver]]`.
    Waiver(&'a Waiver),
}

/// The value of a present field. The typed plan of a version read typed has no invalid value
/// (see [`super::version`]), so an invalid one cannot be met here.
fn opt<T>(field: &Opt<T>, val: impl FnOnce(&T) -> Val<'_>) -> Option<Val<'_>> {
    field.as_ref()?.value.as_ref().map(val)
}

fn text(field: &Opt<String>) -> Option<Val<'_>> {
    opt(field, |s| Val::Text(s))
}

fn date(field: &Opt<Date>) -> Option<Val<'_>> {
    opt(field, |d| Val::Date(*d))
}

fn list(field: &Opt<List>) -> Option<Val<'_>> {
    opt(field, |l| Val::List(&l.entries))
}

fn portion<'a>(p: &'a Portion, name: &str) -> Option<Val<'a>> {
    match name {
        "marking" => text(&p.marking),
        "marking_justification" => text(&p.justification),
        "intel" => opt(&p.intel, |b| Val::Bool(*b)),
        "nf_exception" => text(&p.nf_exception),
        _ => None,
    }
}

fn meta<'a>(m: &'a Meta, name: &str) -> Option<Val<'a>> {
    match name {
        "format" => opt(&m.format, |i| Val::Int(*i)),
        "id" => text(&m.id),
        "title" => text(&m.title),
        "command" => text(&m.command),
        "version" => text(&m.version),
        "effective" => date(&m.effective),
        "period_end" => date(&m.period_end),
        "marking" => text(&m.marking),
        "marking_profile" => opt(&m.marking_profile, |p| Val::Text(p.name())),
        "tech_list" => opt(&m.tech_list, |l| Val::Text(l.name())),
        "prepared_by" => text(&m.prepared_by),
        "link_review" => opt(&m.link_review, |b| Val::Bool(*b)),
        "cui.controlled_by" => text(&m.cui.as_ref()?.controlled_by),
        "cui.categories" => list(&m.cui.as_ref()?.categories),
        "cui.dissemination" => text(&m.cui.as_ref()?.dissemination),
        "cui.poc" => text(&m.cui.as_ref()?.poc),
        "authority.classified_by" => text(&m.authority.as_ref()?.classified_by),
        "authority.derived_from" => text(&m.authority.as_ref()?.derived_from),
        "authority.reason" => text(&m.authority.as_ref()?.reason),
        "authority.declassify_on" => {
            let field: &Field<Declassify> = m.authority.as_ref()?.declassify_on.as_ref()?;
            match field.value.as_ref()? {
                Declassify::Date(d) => Some(Val::Date(*d)),
                Declassify::Event(event) => Some(Val::Text(event)),
            }
        }
        _ => None,
    }
}

impl<'a> Typed<'a> {
    /// The value of the field `name`, if present.
    pub(super) fn get(self, name: &str) -> Option<Val<'a>> {
        match self {
            Typed::Meta(m) => meta(m, name),
            Typed::Priority(p) => match name {
                "id" => text(&p.id),
                "title" => text(&p.title),
                "source" => text(&p.source),
                "description" => text(&p.description),
                _ => portion(&p.portion, name),
            },
            Typed::Country(c) => match name {
                "code" => text(&c.code),
                "name" => text(&c.name),
                "summary" => text(&c.summary),
                "strengths" => list(&c.strengths),
                _ => portion(&c.portion, name),
            },
            Typed::Objective(o) => match name {
                "id" => text(&o.id),
                "kind" => text(&o.kind),
                "text" => text(&o.text),
                "priorities" => list(&o.priorities),
                "tech_areas" => list(&o.tech_areas),
                "governance" => list(&o.governance),
                "target_date" => date(&o.target_date),
                "reviewed_links" => o
                    .reviewed_links
                    .as_ref()?
                    .stamps
                    .as_deref()
                    .map(Val::Stamps),
                _ => portion(&o.portion, name),
            },
            Typed::Indicator(i) => match name {
                "name" => text(&i.name),
                "baseline" => text(&i.baseline),
                "target" => text(&i.target),
                _ => portion(&i.portion, name),
            },
            Typed::Agreement(a) => match name {
                "id" => text(&a.id),
                "kind" => text(&a.kind),
                "title" => text(&a.title),
                "signed" => date(&a.signed),
                "expires" => date(&a.expires),
                "last_reviewed" => date(&a.last_reviewed),
                _ => portion(&a.portion, name),
            },
            Typed::Actor(a) => match name {
                "id" => text(&a.id),
                "name" => text(&a.name),
                "kind" => text(&a.kind),
                "role" => text(&a.role),
                "last_reviewed" => date(&a.last_reviewed),
                _ => portion(&a.portion, name),
            },
            Typed::Pool(p) => match name {
                "id" => text(&p.id),
                "name" => text(&p.name),
                "tech_areas" => list(&p.tech_areas),
                "us_share" => opt(&p.us_share, |i| Val::Int(*i)),
                "ip_terms" => text(&p.ip_terms),
                _ => portion(&p.portion, name),
            },
            Typed::Barrier(b) => match name {
                "kind" => text(&b.kind),
                "text" => text(&b.text),
                "mitigation" => text(&b.mitigation),
                _ => portion(&b.portion, name),
            },
            Typed::Waiver(w) => match name {
                "rule" => text(&w.rule),
                "item" => text(&w.item),
                "reason" => text(&w.reason),
                "approved_by" => text(&w.approved_by),
                "expires" => date(&w.expires),
                _ => None,
            },
        }
    }
}
