//! The classification authority block (`[plan.authority]`) in every export format, before the
//! first portion, and `scplan new` at a classified level.

mod common;

const PLAN: &str = "tests/fixtures/rules/SCP212-near-miss.toml";

#[test]
fn every_format_shows_the_block_before_the_first_portion() {
    for format in ["html", "md", "json", "csv"] {
        let (out, err, code) = common::run(
            common::scplan()
                .args(["export", PLAN, "--format", format])
                .args(["--system-high", "TS"]),
        );
        assert_eq!(code, Some(0), "{format}: {err}");
        let at = |needle: &str| {
            out.find(needle)
                .unwrap_or_else(|| panic!("{format}: no {needle:?} in\n{out}"))
        };
        let first_portion = at("Deter aggression");
        for (label, value) in [
            ("Classified By", "J5 fixture officer"),
            ("Derived From", "Fixture classification guide, 2026"),
            ("Declassify On", "2051-10-01"),
        ] {
            assert!(
                at(label) < first_portion,
                "{format}: {label} after a portion"
            );
            assert!(
                at(value) < first_portion,
                "{format}: {value} after a portion"
            );
        }
    }
}

#[test]
fn a_new_classified_plan_carries_the_block_to_fill() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("s.toml");
    let (_, err, code) = common::run(common::scplan().arg("new").arg(&file).args([
        "--command",
        "USEUCOM",
        "--level",
        "S",
    ]));
    assert_eq!(code, Some(0), "{err}");
    let (out, _, _) = common::run(common::scplan().arg("check").arg(&file).args([
        "--system-high",
        "TS",
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let codes: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(!codes.contains(&"SCP211"), "{codes:?}");
    assert!(!codes.contains(&"SCP202"), "{codes:?}");
    let text = std::fs::read_to_string(&file).expect("the new plan");
    assert!(text.contains("\n[plan.authority]\n"), "{text}");
    assert!(text.contains("marking = \"SECRET\""), "{text}");
}
