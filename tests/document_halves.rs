//! A plan's document read in two halves (`PlanDocument::joined`) is the document one parse of
//! the whole text makes, to the last space, comment and table position; a cut it cannot join
//! is declined, never joined wrong; and a large plan opened by the editor's way gets exactly
//! the document of the whole text.

use scplan::check::Settings;
use scplan::check::live::LivePlan;
use scplan::plan::cut::CUT_FROM_BYTES;
use scplan::plan::document::{Half, PlanDocument, cut};
use scplan::plan::source::{self, Layout};

/// The document of the whole text, in full (positions, spaces and comments included).
fn whole(text: &str) -> String {
    format!(
        "{:?}",
        PlanDocument::from_text(text, Layout::default()).unwrap()
    )
}

/// The starts of every line of `text` that is a country section's header.
fn headers(text: &str) -> Vec<usize> {
    let mut at = 0;
    let mut found = Vec::new();
    for line in text.split_inclusive('\n') {
        if line == "[[country]]\n" {
            found.push(at);
        }
        at += line.len();
    }
    found
}

/// Joins `text` cut at `at`: the joined document in full, or `None` when declined.
fn joined(text: &str, at: usize) -> Option<String> {
    let (first, second) = text.split_at(at);
    PlanDocument::joined(Half::parse(first), Half::parse(second), Layout::default())
        .map(|doc| format!("{doc:?}"))
}

/// Texts whose sections come with what a hand-written plan has between them.
fn plans() -> Vec<String> {
    let sample = std::fs::read_to_string("plans/eucom-sample.toml").unwrap();
    let mut plans = vec![sample.clone()];
    for seed in [1, 2, 3] {
        plans.push(scplan::synth::generate(6, 4, 0.2, seed));
    }
    // Comments and blank lines before a header, a comment on it, waivers after the sections.
    plans.push(sample.replace(
        "\n[[country]]\n",
        "\n\n# the next partner\n   \n[[country]]\n",
    ));
    plans.push(sample.replace("[[country]]\n", "[[country]] # a partner\n"));
    plans
}

#[test]
fn two_halves_join_into_the_document_of_the_whole() {
    let mut cuts = 0;
    for text in plans() {
        let expected = whole(&text);
        for at in headers(&text).into_iter().skip(1) {
            assert_eq!(joined(&text, at).as_deref(), Some(expected.as_str()));
            cuts += 1;
        }
    }
    assert!(cuts > 20, "{cuts} cuts");
}

#[test]
fn what_the_halves_cannot_join_is_declined() {
    let sample = std::fs::read_to_string("plans/eucom-sample.toml").unwrap();
    let at = headers(&sample)[2];
    // A table of the first half's made again under the second (only keys under it).
    let mut text = sample.clone();
    text.push_str("\n[plan.extra]\nnote = \"after the sections\"\n");
    assert_eq!(joined(&text, at), None);
    // A cut inside a multi-line string: a half does not parse alone.
    let text = sample.replacen(
        "summary = \"",
        "summary = \"\"\"\n[[country]]\nstill the summary\"\"\"\nother = \"",
        1,
    );
    if let Some(inside) = text.find("\n[[country]]\nstill") {
        assert_eq!(joined(&text, inside + 1), None);
    }
    // Whatever is declined or joined, a join is never wrong.
    for at in headers(&text) {
        if let Some(doc) = joined(&text, at) {
            assert_eq!(doc, whole(&text));
        }
    }
}

#[test]
fn a_large_text_is_cut_at_a_section_past_its_middle() {
    let text = scplan::synth::generate(40, 20, 0.0, 5);
    assert!(text.len() >= CUT_FROM_BYTES);
    let at = cut(&text).expect("a cut");
    assert!(text[at..].starts_with("[[country]]\n"));
    assert!(
        at >= text.len() * 5 / 8 - 1 && at < text.len() * 3 / 4,
        "{at}"
    );
    let small = std::fs::read_to_string("plans/eucom-sample.toml").unwrap();
    assert_eq!(cut(&small), None, "a small plan is parsed whole");
}

#[test]
fn the_editor_opens_a_large_plan_with_the_document_of_the_whole() {
    let text = scplan::synth::generate(40, 20, 0.05, 9)
        .replace("\n[[country]]\n", "\n# next\n[[country]]\n");
    assert!(cut(&text).is_some());
    let (doc, _) = LivePlan::open(text.as_bytes(), &Settings::default()).unwrap();
    let (decoded, layout) = source::decode(text.as_bytes()).unwrap();
    let expected = PlanDocument::from_text(&decoded, layout).unwrap();
    assert_eq!(format!("{doc:?}"), format!("{expected:?}"));
    assert_eq!(doc.to_text(), decoded);
}
