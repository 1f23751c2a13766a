//! The loader's reading of each table of the format, key by key, into the typed model.

use super::{Cx, TableAt, describe};
use crate::plan::catalog::{self, TechList};
use crate::plan::finding::Finding;
use crate::plan::marking::Profile;
use crate::plan::model::*;
use crate::plan::schema::TableKind;
use crate::plan::tree::{Kind, Style, TreeNode};

impl Cx<'_> {
    pub(super) fn meta<'n, N: TreeNode<'n>>(&mut self, root: N) -> Meta {
        let mut meta = Meta {
            header: Loc::START,
            ..Meta::default()
        };
        let plan = root.get("plan");
        let at = match plan.map(|t| (t, t.kind())) {
            None => None,
            // `[plan.cui]` alone makes [plan] implicitly: it exists, with no header of its
            // own, so what is missing from it is at 1:1.
            Some((t, Kind::Table(_))) if t.is_implicit() && !t.has_values() => Some(TableAt {
                table: t,
                header: Loc::START,
            }),
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
        let Some(at) = at else {
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
            self.diag_helped(
                &r,
                ("SCP008", loc, "format"),
                format!("format {format} is unknown: this scplan reads format 1"),
                "open the plan with the scplan that wrote it, or write `format = 1` if it follows format 1".to_string(),
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
            self.diag_helped(
                &r,
                ("SCP003", end.loc, "period_end"),
                format!("period_end {end_date} is before effective {start}"),
                format!(
                    "make `period_end` a date after `effective` ({start}), or correct `effective`"
                ),
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
        meta.link_review = self.boolean(&r, "link_review");
        self.finish(&r);
        meta.cui = self.cui(at.table);
        meta.authority = self.authority(at.table);
        meta
    }

    /// One of `[plan]`'s blocks (`[plan.cui]`, `[plan.authority]`): where it is, or SCP003
    /// and `Err` with where its key is when the key holds something other than a table (the
    /// block then counts as present, its keys unknown).
    fn block<'n, N: TreeNode<'n>>(
        &mut self,
        plan: N,
        kind: TableKind,
    ) -> Option<Result<TableAt<N>, Loc>> {
        let key = kind.key();
        let item = plan.get(key)?;
        let header = self.key_loc(plan, key);
        match item.kind() {
            Kind::Table(Style::Header | Style::Dotted) => Some(Ok(TableAt {
                table: item,
                header,
            })),
            Kind::Table(Style::Inline) => Some(Ok(TableAt {
                table: item,
                header: self.loc(item.table_span()),
            })),
            other => {
                let d = Finding::new(
                    "SCP003",
                    "plan",
                    header,
                    format!(
                        "`{key}` must be a table ({}), not {}",
                        kind.header(),
                        describe(other)
                    ),
                )
                .at(Node::Plan, Some(key));
                self.push(d);
                Some(Err(header))
            }
        }
    }

    pub(super) fn cui<'n, N: TreeNode<'n>>(&mut self, plan: N) -> Option<Cui> {
        let at = match self.block(plan, TableKind::Cui)? {
            Ok(at) => at,
            Err(header) => {
                return Some(Cui {
                    header,
                    readable: false,
                    controlled_by: None,
                    categories: None,
                    dissemination: None,
                    poc: None,
                });
            }
        };
        let r = self.open(&at, TableKind::Cui, Node::Cui, "plan");
        let cui = Cui {
            header: at.header,
            readable: true,
            controlled_by: self.text(&r, "controlled_by"),
            categories: self.list(&r, "categories"),
            dissemination: self.text(&r, "dissemination"),
            poc: self.text(&r, "poc"),
        };
        self.finish(&r);
        Some(cui)
    }

    pub(super) fn authority<'n, N: TreeNode<'n>>(&mut self, plan: N) -> Option<Authority> {
        let at = match self.block(plan, TableKind::Authority)? {
            Ok(at) => at,
            Err(header) => {
                return Some(Authority {
                    header,
                    readable: false,
                    classified_by: None,
                    derived_from: None,
                    reason: None,
                    declassify_on: None,
                });
            }
        };
        let r = self.open(&at, TableKind::Authority, Node::Authority, "plan");
        let authority = Authority {
            header: at.header,
            readable: true,
            classified_by: self.text(&r, "classified_by"),
            derived_from: self.text(&r, "derived_from"),
            reason: self.text(&r, "reason"),
            declassify_on: self.date_or_text(&r, "declassify_on"),
        };
        self.finish(&r);
        Some(authority)
    }

    pub(super) fn priority<'n, N: TreeNode<'n>>(&mut self, at: TableAt<N>, i: usize) -> Priority {
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

    pub(super) fn country<'n, N: TreeNode<'n>>(&mut self, at: TableAt<N>, ci: usize) -> Country {
        let node = Node::Item(Collection::Countries, ci);
        let r = self.open(&at, TableKind::Country, node, "plan");
        let code = self.text(&r, "code");
        if let Some(Field {
            value: Some(code),
            loc,
        }) = &code
            && !catalog::is_partner(code)
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

    pub(super) fn objective<'n, N: TreeNode<'n>>(
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
            reviewed_links: self.stamps(&r, "reviewed_links"),
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

    pub(super) fn agreement<'n, N: TreeNode<'n>>(
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

    pub(super) fn actor<'n, N: TreeNode<'n>>(
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

    pub(super) fn pool<'n, N: TreeNode<'n>>(
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

    pub(super) fn barrier<'n, N: TreeNode<'n>>(
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

    pub(super) fn waiver<'n, N: TreeNode<'n>>(&mut self, at: TableAt<N>, i: usize) -> Waiver {
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
