//! The property tests' settings: `cases` cases each by default, so that the suite stays fast;
//! `PROPTEST_CASES=5000` searches harder.

use proptest::prelude::ProptestConfig;

/// The settings with `cases` cases unless `PROPTEST_CASES` says otherwise.
pub fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}
