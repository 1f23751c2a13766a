//! Link stamps written into the text ([`Pending::in_text`]) against the document's way
//! ([`Pending::edits`]): for random confirmations and for adoption (`stamp-links`) on the
//! sample, the round-trip fixtures (CRLF, byte-order mark, no final newline, comments
//! everywhere, dotted keys) and synthetic plans, each before and after its links are stamped
//! and its priorities changed, the text way gives the document's bytes or declines. The
//! common cases (a first stamp, a suspect stamp confirmed) are not declined.

mod common;

use proptest::prelude::*;
use proptest::sample::Index;

use scplan::check::Settings;
use scplan::edit::review::{self, Pending, Target};
use scplan::plan::document::PlanDocument;
use scplan::plan::model::{Plan, val};
use scplan::plan::source;

fn plans() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = ["plans/eucom-sample.toml", "plans/indopacom-sample.toml"]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    out.extend(common::roundtrip_plans());
    out.push(scplan::synth::generate(3, 4, 0.3, 7).into_bytes());
    // Each plan again with its links stamped and then its priorities' titles changed, so that
    // confirming rewrites existing stamps.
    let stamped: Vec<Vec<u8>> = out.iter().filter_map(|p| suspect(p)).collect();
    out.extend(stamped);
    // Stamps in a sub-table, and a stamp with a comment and odd spacing.
    let sample = String::from_utf8(out[0].clone()).unwrap();
    out.push(
        sample
            .replacen(
                "  target_date = 2029-09-30\n",
                "  target_date = 2029-09-30\n\n  [country.objective.reviewed_links]\n  SP-1 = \"00000000\"\n",
                1,
            )
            .into_bytes(),
    );
    out.push(
        sample
            .replacen(
                "  target_date = 2029-09-30\n",
                "  target_date = 2029-09-30  # due\n  reviewed_links = {SP-1='00000000' ,  SP-3 = \"11111111\"}   # old\n",
                1,
            )
            .into_bytes(),
    );
    out
}

/// `bytes` with every link stamped and then every priority's title changed (its stamps
/// suspect); `None` when the plan does not open.
fn suspect(bytes: &[u8]) -> Option<Vec<u8>> {
    let settings = Settings::default();
    let (mut doc, plan) = review::open(bytes, &settings).ok()?;
    let edit = review::unstamped(&plan).edits(&doc).ok()?.edit?;
    doc.apply(edit).ok()?;
    let text = String::from_utf8(doc.to_bytes()).ok()?;
    Some(
        text.replace("title = \"", "title = \"Changed: ")
            .into_bytes(),
    )
}

/// The ids of the objectives and priorities of a plan.
fn ids(plan: &Plan) -> (Vec<String>, Vec<String>) {
    let objectives = plan
        .countries
        .iter()
        .flat_map(|c| &c.objectives)
        .filter_map(|o| val(&o.id).cloned())
        .collect();
    let priorities = plan
        .priorities
        .iter()
        .filter_map(|p| val(&p.id).cloned())
        .collect();
    (objectives, priorities)
}

/// Both ways for `pending` decided on `bytes`: the text way's bytes (`None`: declined, or
/// nothing to write) and the document's (`None`: nothing to write, or refused).
fn both_ways(
    bytes: &[u8],
    pending: impl for<'p> Fn(&'p Plan) -> Option<Pending<'p>>,
) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let settings = Settings::default();
    let Ok(Some((checked, layout))) = review::open_text(bytes, &settings) else {
        return (None, None);
    };
    let Some(plan) = checked.plan.as_ref() else {
        return (None, None);
    };
    // Nothing to write is no save at all (`scplan review` says so).
    let in_text = pending(plan)
        .filter(|p| !p.is_empty())
        .and_then(|p| p.in_text(&checked.text))
        .map(|text| source::encode(&text, layout));
    let mut doc = PlanDocument::from_bytes(bytes).expect("the document opens");
    let by_document = pending(plan)
        .and_then(|p| p.edits(&doc).ok())
        .and_then(|done| done.edit)
        .and_then(|edit| doc.apply(edit).ok())
        .map(|_| doc.to_bytes());
    (in_text, by_document)
}

/// `f`, its type said so that a closure may return what borrows the plan it is given.
fn asking<F: for<'p> Fn(&'p Plan) -> Option<Pending<'p>>>(f: F) -> F {
    f
}

/// A confirmation drawn from the plan's ids.
fn target(plan: &Plan, kind: usize, a: Index, b: Index) -> Option<Target> {
    let (objectives, priorities) = ids(plan);
    if objectives.is_empty() || priorities.is_empty() {
        return None;
    }
    let o = a.get(&objectives).clone();
    let p = b.get(&priorities).clone();
    Some(match kind {
        0 => Target::Objective(o),
        1 => Target::Link(o, p),
        _ => Target::Priority(p),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn in_text_gives_the_documents_bytes_or_declines(
        plan in any::<Index>(),
        targets in proptest::collection::vec((0usize..3, any::<Index>(), any::<Index>()), 1..4),
    ) {
        let plans = plans();
        let bytes = plan.get(&plans);
        let pending = asking(|plan: &Plan| {
            let targets: Vec<Target> = targets
                .iter()
                .filter_map(|(kind, a, b)| target(plan, *kind, *a, *b))
                .collect();
            review::confirmations(plan, &targets).ok()
        });
        let (in_text, by_document) = both_ways(bytes, pending);
        if let Some(in_text) = in_text {
            prop_assert_eq!(Some(String::from_utf8(in_text).unwrap()),
                by_document.map(|b| String::from_utf8(b).unwrap()));
        }
    }
}

#[test]
fn adoption_in_text_gives_the_documents_bytes_or_declines() {
    let mut written = 0;
    for bytes in plans() {
        let (in_text, by_document) = both_ways(&bytes, |plan| Some(review::unstamped(plan)));
        if let Some(in_text) = in_text {
            written += 1;
            assert_eq!(
                String::from_utf8(in_text).unwrap(),
                String::from_utf8(by_document.expect("the document writes it")).unwrap()
            );
        }
    }
    // All but the dotted keys' fixture and the sub-table's variant.
    assert!(
        written >= 6,
        "only {written} plans were stamped in the text"
    );
}

#[test]
fn a_first_stamp_and_a_suspect_stamp_confirmed_are_written_in_the_text() {
    let sample = std::fs::read("plans/eucom-sample.toml").unwrap();
    let first = asking(|plan: &Plan| {
        review::confirmations(plan, &[Target::Priority("SP-1".to_string())]).ok()
    });
    let (in_text, by_document) = both_ways(&sample, first);
    assert!(in_text.is_some(), "a first stamp is declined");
    assert_eq!(in_text, by_document);
    let suspect = suspect(&sample).unwrap();
    let (in_text, by_document) = both_ways(&suspect, first);
    assert!(in_text.is_some(), "a suspect stamp is declined");
    assert_eq!(in_text, by_document);
    let text = String::from_utf8(in_text.unwrap()).unwrap();
    assert!(text.contains("Changed: "), "{text}");
}

#[test]
fn stamps_in_a_sub_table_or_a_key_added_to_a_table_are_declined() {
    let sample = String::from_utf8(std::fs::read("plans/eucom-sample.toml").unwrap()).unwrap();
    let sub_table = sample.replacen(
        "  target_date = 2029-09-30\n",
        "  target_date = 2029-09-30\n\n  [country.objective.reviewed_links]\n  SP-1 = \"00000000\"\n",
        1,
    );
    let one_key = sample.replacen(
        "  target_date = 2029-09-30\n",
        "  target_date = 2029-09-30\n  reviewed_links = { SP-1 = \"00000000\" }\n",
        1,
    );
    let confirm_all = asking(|plan: &Plan| {
        review::confirmations(plan, &[Target::Objective("POL-ST-1".to_string())]).ok()
    });
    for text in [sub_table, one_key] {
        let (in_text, by_document) = both_ways(text.as_bytes(), confirm_all);
        assert_eq!(in_text, None);
        assert!(by_document.is_some(), "the document writes it");
    }
}
