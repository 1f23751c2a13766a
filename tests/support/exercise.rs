//! One pass of everything a plan's bytes go through, for the property test
//! (tests/robustness.rs) and the cargo-fuzz target (fuzz/): check them, report them, load them
//! as a document, serialize it and load that again. It panics only on a broken promise: a
//! diagnostic without a line, raw control characters in the human report, or a serialized
//! document that does not read back the same.

use scplan::check::{Settings, check_bytes};
use scplan::plan::document::PlanDocument;
use scplan::report::{FileReport, human};
use scplan::text::needs_escape;

/// Runs `bytes` through load, check, report and serialize.
pub fn exercise(bytes: &[u8]) {
    if let Ok(checked) = check_bytes(bytes, &Settings::default()) {
        assert!(checked.diagnostics.iter().all(|d| d.loc.line >= 1));
        let files = [FileReport {
            path: "input.toml".to_string(),
            outcome: Ok(checked),
        }];
        let report = human::render(&files, human::Style { color: false });
        assert!(
            !report.chars().any(|c| c != '\n' && needs_escape(c)),
            "raw control character in:\n{report}"
        );
    }
    if let Ok(doc) = PlanDocument::from_bytes(bytes) {
        let _ = doc.load();
        let out = doc.to_bytes();
        let again = PlanDocument::from_bytes(&out).expect("serialized output reads back");
        assert_eq!(again.to_text(), doc.to_text());
        assert_eq!(again.to_bytes(), out);
    }
}
