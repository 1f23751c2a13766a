//! `scplan set` in place ([`splice::set`]) against the document's way ([`field::open`] +
//! [`field::set`]): for random fields of random items of the sample, the round-trip fixtures
//! (CRLF, byte-order mark, no final newline, comments everywhere) and synthetic plans, given
//! random values of their type, the in-place way gives the same bytes and the same refusal,
//! or declines. The common case is not declined.

mod common;

use proptest::prelude::*;
use proptest::sample::Index;
use toml_edit::Value;

use scplan::check::{Settings, load_text};
use scplan::edit::{field, splice};
use scplan::plan::marking::Level;
use scplan::plan::path::FieldPath;
use scplan::plan::schema::{FieldType, TableKind};

fn plans() -> Vec<Vec<u8>> {
    let mut out = vec![std::fs::read("plans/eucom-sample.toml").unwrap()];
    out.extend(common::roundtrip_plans());
    out.push(scplan::synth::generate(3, 4, 0.3, 7).into_bytes());
    // Look-alikes inside a multi-line string, and a trailing comment after a value.
    let sample = String::from_utf8(out[0].clone()).unwrap();
    out.push(
        sample
            .replacen(
                "prepared_by = ",
                "notes_x = \"\"\"\n[plan]\nversion = \"9\"\n\"\"\"\nprepared_by = ",
                1,
            )
            .replacen("version = \"1.0\"", "version = \"1.0\"   # the release", 1)
            .into_bytes(),
    );
    out
}

/// Every item path of a plan, with its kind.
fn items(bytes: &[u8]) -> Vec<(String, TableKind)> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let Ok(loaded) = load_text(&text) else {
        return Vec::new();
    };
    let plan = loaded.plan;
    let mut out = vec![
        ("plan".to_string(), TableKind::Plan),
        ("plan.cui".to_string(), TableKind::Cui),
        ("plan.authority".to_string(), TableKind::Authority),
    ];
    let id = |f: &Option<scplan::plan::model::Field<String>>| {
        f.as_ref().and_then(|f| f.value.clone()).unwrap_or_default()
    };
    for p in &plan.priorities {
        out.push((format!("priority.{}", id(&p.id)), TableKind::Priority));
    }
    for c in &plan.countries {
        out.push((format!("country.{}", id(&c.code)), TableKind::Country));
        for o in &c.objectives {
            out.push((format!("objective.{}", id(&o.id)), TableKind::Objective));
        }
        for a in &c.agreements {
            out.push((format!("agreement.{}", id(&a.id)), TableKind::Agreement));
        }
        for a in &c.actors {
            out.push((format!("actor.{}", id(&a.id)), TableKind::Actor));
        }
        for p in &c.pools {
            out.push((format!("investment_pool.{}", id(&p.id)), TableKind::Pool));
        }
    }
    out
}

/// A value's TOML text for a field of `ty` from the drawn seeds (sometimes of another type,
/// which both ways refuse).
fn value_text(ty: FieldType, text: &str, n: i64, wrong: bool) -> String {
    let quoted = toml_edit::Value::from(text).to_string();
    if wrong {
        return format!("{n}");
    }
    match ty {
        FieldType::Enum(values) => {
            let v = values[n.unsigned_abs() as usize % values.len()];
            if n % 2 == 0 {
                format!("'{v}'")
            } else {
                format!("\"{v}\"")
            }
        }
        FieldType::Integer => n.to_string(),
        FieldType::Percent => (n.rem_euclid(101)).to_string(),
        FieldType::Bool => (n % 2 == 0).to_string(),
        FieldType::Date => format!(
            "20{:02}-0{}-1{}",
            n.rem_euclid(99),
            1 + n.rem_euclid(9),
            n.rem_euclid(9)
        ),
        FieldType::TextList
        | FieldType::PriorityLinks
        | FieldType::TechAreas
        | FieldType::GovernanceLinks => {
            format!("[{quoted}]")
        }
        _ => quoted,
    }
}

/// The document's way: the new bytes, or the error's text.
fn by_document(
    bytes: &[u8],
    path: &FieldPath,
    value: &Value,
    settings: &Settings,
) -> Result<Vec<u8>, String> {
    let mut doc = field::open(bytes, settings).map_err(|e| e.to_string())?;
    field::set(&mut doc, path, value.clone()).map_err(|e| e.to_string())?;
    Ok(doc.to_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn in_place_gives_the_documents_bytes_or_declines(
        plan in 0usize..10,
        item in any::<Index>(),
        field in any::<Index>(),
        text in "[a-zA-Z0-9 \"'\\\\é#=\\[\\]]{0,12}",
        n in -5i64..200,
        wrong in proptest::bool::weighted(0.1),
        high in any::<bool>(),
    ) {
        let bytes = &plans()[plan];
        let items = items(bytes);
        prop_assume!(!items.is_empty());
        let (item, kind) = item.get(&items);
        let spec = field.get(kind.fields());
        let Ok(path) = FieldPath::parse(&format!("{item}.{}", spec.name)) else {
            return Ok(());
        };
        let Ok(value) = value_text(spec.ty, &text, n, wrong).parse::<Value>() else {
            return Ok(());
        };
        let settings = Settings { system_high: if high { Level::Cui } else { Level::U } };
        let expected = by_document(bytes, &path, &value, &settings);
        match splice::set(bytes, &path, &value, &settings) {
            Ok(Some(spliced)) => {
                prop_assert_eq!(Ok(spliced.bytes.clone()), expected.clone(), "{} = {}", path.field, value);
                let fresh = scplan::check::check_bytes(&spliced.bytes, &settings).unwrap();
                let rechecked = field::only_item(fresh, &path, &value);
                let ours = field::only_item(spliced.checked, &path, &value);
                prop_assert_eq!(ours.diagnostics, rechecked.diagnostics);
            }
            Ok(None) => {}
            Err(err) => prop_assert_eq!(Err(err.to_string()), expected),
        }
    }
}

#[test]
fn a_scalar_is_replaced_in_place() {
    let settings = Settings::default();
    for (bytes, path, value) in [
        (&plans()[0], "plan.version", "\"1.1\""),
        (&plans()[1], "plan.version", "'2'"),
        (&plans()[9], "plan.version", "\"3\""),
        (&plans()[0], "objective.POL-ST-1.text", "\"New title\""),
        (&plans()[0], "agreement.POL-AG-1.kind", "\"treaty\""),
    ] {
        let path = FieldPath::parse(path).unwrap();
        let value: Value = value.parse().unwrap();
        let spliced = splice::set(bytes, &path, &value, &settings)
            .unwrap()
            .unwrap_or_else(|| panic!("declined {path:?}"));
        assert_eq!(
            Ok(spliced.bytes),
            by_document(bytes, &path, &value, &settings)
        );
    }
}

#[test]
fn what_cannot_be_replaced_in_place_is_declined() {
    let settings = Settings::default();
    let sample = &plans()[0];
    for (path, value) in [
        // Absent: the key would be inserted.
        ("country.POL.marking_justification", "\"x\""),
        // A list, and a marking.
        ("objective.POL-ST-1.priorities", "[\"SP-1\"]"),
        ("plan.marking", "\"CUI\""),
        // No such item: the document's way says so.
        ("objective.NOPE-1.text", "\"x\""),
    ] {
        let path = FieldPath::parse(path).unwrap();
        let value: Value = value.parse().unwrap();
        assert!(
            splice::set(sample, &path, &value, &settings)
                .unwrap()
                .is_none(),
            "{path:?}"
        );
    }
}
