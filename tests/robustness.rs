//! Property test: mutated sample plans (bit flips, truncations, splices) and random bytes and
//! TOML-like text go through load + check + report + serialize without a panic.

#[path = "support/exercise.rs"]
mod exercise;

use proptest::prelude::*;

/// Plans to mutate: the samples and fixtures of several layouts.
const SEEDS: &[&[u8]] = &[
    include_bytes!("../plans/eucom-sample.toml"),
    include_bytes!("../plans/indopacom-sample.toml"),
    include_bytes!("fixtures/roundtrip/bom-crlf-no-newline.toml"),
    include_bytes!("fixtures/roundtrip/dotted-and-inline.toml"),
    include_bytes!("fixtures/roundtrip/comments-everywhere.toml"),
    include_bytes!("fixtures/rules/SCP201-fires.toml"),
];

fn seed() -> impl Strategy<Value = &'static [u8]> {
    proptest::sample::select(SEEDS)
}

/// A seed with some bits flipped.
fn bit_flips() -> impl Strategy<Value = Vec<u8>> {
    (
        seed(),
        proptest::collection::vec((any::<prop::sample::Index>(), 0u8..8), 1..16),
    )
        .prop_map(|(seed, flips)| {
            let mut bytes = seed.to_vec();
            for (at, bit) in flips {
                let i = at.index(bytes.len());
                bytes[i] ^= 1 << bit;
            }
            bytes
        })
}

/// A seed cut short.
fn truncation() -> impl Strategy<Value = Vec<u8>> {
    (seed(), any::<prop::sample::Index>())
        .prop_map(|(seed, at)| seed[..at.index(seed.len())].to_vec())
}

/// The start of one seed followed by the end of another.
fn splice() -> impl Strategy<Value = Vec<u8>> {
    (
        seed(),
        any::<prop::sample::Index>(),
        seed(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(a, i, b, j)| {
            let mut bytes = a[..i.index(a.len())].to_vec();
            bytes.extend_from_slice(&b[j.index(b.len())..]);
            bytes
        })
}

/// Text made of TOML's punctuation, a few keys of the format, escapes and control characters.
fn toml_like() -> impl Strategy<Value = Vec<u8>> {
    let atoms = prop::sample::select(vec![
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        "=",
        ",",
        ".",
        "\"",
        "'",
        "\"\"\"",
        "#",
        "\n",
        "\r\n",
        " ",
        "plan",
        "country",
        "objective",
        "priority",
        "id",
        "code",
        "marking",
        "\"S//NF\"",
        "1",
        "2026-10-01",
        "true",
        "\\u001b",
        "\u{1b}",
        "\u{0}",
        "\u{202e}",
        "\u{feff}",
        "é",
        "-inf",
    ]);
    proptest::collection::vec(atoms, 0..200).prop_map(|parts| parts.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_samples_never_panic(bytes in prop_oneof![bit_flips(), truncation(), splice()]) {
        exercise::exercise(&bytes);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        exercise::exercise(&bytes);
    }

    #[test]
    fn toml_like_text_never_panics(bytes in toml_like()) {
        exercise::exercise(&bytes);
    }
}

#[test]
fn every_seed_passes_as_it_is() {
    for seed in SEEDS {
        exercise::exercise(seed);
    }
}
