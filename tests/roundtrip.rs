//! Load + serialize without edits gives back the same bytes, for the sample plans and for
//! fixtures that exercise every formatting corner of TOML.

use std::path::{Path, PathBuf};

use scplan::plan::document::PlanDocument;

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

fn assert_round_trip(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let doc =
        PlanDocument::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let out = doc.to_bytes();
    assert!(
        out == bytes,
        "{} does not round-trip:\n--- original\n{}\n--- written\n{}",
        path.display(),
        String::from_utf8_lossy(&bytes),
        String::from_utf8_lossy(&out)
    );
}

#[test]
fn sample_plans_round_trip_byte_for_byte() {
    let files = toml_files(Path::new("plans"));
    assert!(files.len() >= 2, "expected the two sample plans");
    for path in files {
        assert_round_trip(&path);
    }
}

#[test]
fn formatting_fixtures_round_trip_byte_for_byte() {
    let files = toml_files(Path::new("tests/fixtures/roundtrip"));
    assert!(files.len() >= 7);
    for path in files {
        assert_round_trip(&path);
    }
}

#[test]
fn layout_is_reapplied_not_cached() {
    let bytes = std::fs::read("tests/fixtures/roundtrip/bom-crlf-no-newline.toml").unwrap();
    let doc = PlanDocument::from_bytes(&bytes).unwrap();
    let layout = doc.layout();
    assert!(layout.crlf && layout.bom && !layout.final_newline);
    // The text the document holds has none of the three: they come back on serializing.
    let text = doc.to_text();
    assert!(!text.contains('\r') && !text.starts_with('\u{feff}'));
    assert_eq!(doc.to_bytes(), bytes);
}
