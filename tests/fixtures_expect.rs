//! Every fixture under tests/fixtures/{rules,structure} states, in `# expect:` comment lines,
//! the complete set of diagnostics `check` must report (code, severity, item, line, column,
//! waived). Each `-near-miss` file differs from its `-fires` twin in exactly one line, and its
//! rule does not fire there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scplan::check::{self, Settings};
use scplan::plan::marking::Level;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// The expectations and settings a fixture states about itself.
fn expectations(bytes: &[u8]) -> (BTreeSet<String>, Settings) {
    let text = String::from_utf8_lossy(bytes);
    let mut expected = BTreeSet::new();
    let mut settings = Settings::default();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if let Some(rest) = line.strip_prefix("# expect:") {
            expected.insert(rest.trim().to_string());
        } else if let Some(level) = line.strip_prefix("# system-high:") {
            settings.system_high = Level::parse(level.trim()).expect("a valid level");
        }
    }
    (expected, settings)
}

fn actual(bytes: &[u8], settings: &Settings) -> BTreeSet<String> {
    let checked = check::check_bytes(bytes, settings).expect("checkable");
    checked
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {}:{}{}",
                d.code,
                d.severity.as_str(),
                d.item,
                d.loc.line,
                d.loc.column,
                if d.waived { " waived" } else { "" }
            )
        })
        .collect()
}

fn check_dir(dir: &str) -> usize {
    let mut failures = Vec::new();
    let files = fixtures(dir);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let (expected, settings) = expectations(&bytes);
        let got = actual(&bytes, &settings);
        if got != expected {
            failures.push(format!(
                "{}\n  missing:    {:?}\n  unexpected: {:?}",
                path.display(),
                expected.difference(&got).collect::<Vec<_>>(),
                got.difference(&expected).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixtures differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn structure_fixtures_get_exactly_their_diagnostics() {
    assert!(check_dir("tests/fixtures/structure") >= 40);
}

#[test]
fn rule_fixtures_get_exactly_their_diagnostics() {
    assert!(check_dir("tests/fixtures/rules") >= 100);
}

fn body_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_rule_has_a_fixture_that_fires_and_a_near_miss_one_line_away() {
    let codes: Vec<&str> = scplan::check::registry::RULES
        .iter()
        .map(|r| r.code)
        .filter(|c| c.as_bytes()[3] != b'0')
        .collect();
    for code in codes {
        let fires = PathBuf::from(format!("tests/fixtures/rules/{code}-fires.toml"));
        let near = PathBuf::from(format!("tests/fixtures/rules/{code}-near-miss.toml"));
        assert!(fires.exists() && near.exists(), "{code}: missing fixtures");
        let (a, b) = (body_lines(&fires), body_lines(&near));
        assert_eq!(a.len(), b.len(), "{code}: same number of lines");
        let differing: Vec<usize> = (0..a.len())
            .filter(|&i| a[i] != b[i] && !a[i].starts_with('#'))
            .collect();
        assert_eq!(
            differing.len(),
            1,
            "{code}: exactly one non-comment line differs"
        );
        let fires_bytes = std::fs::read(&fires).unwrap();
        let near_bytes = std::fs::read(&near).unwrap();
        let fired = actual(&fires_bytes, &expectations(&fires_bytes).1);
        assert!(
            fired.iter().any(|d| d.starts_with(code)),
            "{code} does not fire"
        );
        let missed = actual(&near_bytes, &expectations(&near_bytes).1);
        assert!(
            !missed.iter().any(|d| d.starts_with(code)),
            "{code} fires on its near miss"
        );
    }
}
