//! Arbitrary bytes through load + check + report + serialize: the same pass as the property
//! test in tests/robustness.rs.
#![no_main]

#[path = "../../tests/support/exercise.rs"]
mod exercise;

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise::exercise(data));
