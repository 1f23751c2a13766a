//! Criterion benchmarks of the check path and the HTML export on synthetic plans, each beside
//! its references measured in the same run: `toml` + serde into typed structs with an
//! id-reference check (`reference`), and bare parses with `toml_edit` and with `toml`.
//! `scplan_load` is the read-only path (toml's tree), `scplan_load_editing` the editor's
//! (toml_edit's document), `scplan_rules` every rule on a loaded plan.
#![forbid(unsafe_code)]

mod reference;
mod report;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use criterion::{BenchmarkId, Criterion, Throughput};
use scplan::check::{self, Settings};
use scplan::export::{self, Format, Request};
use scplan::synth::{self, SIZES};

const SEED: u64 = 1;

fn check_path(c: &mut Criterion) {
    let settings = Settings::default();
    for size in SIZES {
        let text = synth::generate(size.countries, size.objectives, 0.0, SEED);
        let mut group = c.benchmark_group(format!("check/{}", size.name));
        group.throughput(Throughput::Bytes(text.len() as u64));
        if size.name == "large" {
            group.sample_size(10);
            group.warm_up_time(Duration::from_secs(1));
            group.measurement_time(Duration::from_secs(30));
        }
        group.bench_function("reference_serde", |b| {
            b.iter(|| reference::check(black_box(&text)))
        });
        group.bench_function("parse_toml_edit", |b| {
            b.iter(|| toml_edit::Document::parse(black_box(text.as_str())))
        });
        group.bench_function("parse_toml_detable", |b| {
            b.iter(|| toml::de::DeTable::parse(black_box(text.as_str())))
        });
        group.bench_function("scplan_load", |b| {
            b.iter(|| check::load_text(black_box(&text)))
        });
        group.bench_function("scplan_load_editing", |b| {
            b.iter(|| check::load_editing(black_box(&text)))
        });
        let Ok(loaded) = check::load_text(&text) else {
            panic!("a synthetic plan parses");
        };
        group.bench_function("scplan_rules", |b| {
            b.iter(|| check::finish(&loaded.plan, loaded.diagnostics.clone(), &settings))
        });
        group.bench_function("scplan_check_bytes", |b| {
            b.iter(|| check::check_bytes(black_box(text.as_bytes()), &settings))
        });
        group.finish();
    }
}

fn export_html(c: &mut Criterion) {
    let size = SIZES[1];
    let text = synth::generate(size.countries, size.objectives, 0.0, SEED);
    let request = Request {
        format: Format::Html,
        draft: false,
        releasable_to: None,
        time: jiff::Timestamp::UNIX_EPOCH,
    };
    let settings = Settings::default();
    let mut group = c.benchmark_group(format!("export/{}", size.name));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("reference_serde", |b| {
        b.iter(|| reference::check(black_box(&text)))
    });
    group.bench_function(BenchmarkId::new("scplan_export", "html"), |b| {
        b.iter(|| export::export(black_box(text.as_bytes()), &settings, &request))
    });
    group.finish();
}

fn main() {
    let started = SystemTime::now();
    let mut c = Criterion::default().configure_from_args();
    check_path(&mut c);
    export_html(&mut c);
    c.final_summary();
    summary(started);
}

/// The medians criterion wrote in this run, each as a ratio to the reference of its group,
/// as one table per group (a group filtered out of the run is left out).
fn summary(started: SystemTime) {
    let root = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("criterion");
    let groups: Vec<(String, Vec<&str>)> = SIZES
        .iter()
        .map(|s| {
            let names = vec![
                "parse_toml_edit",
                "parse_toml_detable",
                "scplan_load",
                "scplan_load_editing",
                "scplan_rules",
                "scplan_check_bytes",
            ];
            (format!("check/{}", s.name), names)
        })
        .chain([(
            format!("export/{}", SIZES[1].name),
            vec!["scplan_export/html"],
        )])
        .collect();
    for (group, names) in groups {
        let dir = root.join(group.replace('/', "_"));
        let Some(reference) = median(&dir.join("reference_serde"), started) else {
            continue;
        };
        let mut table = report::Table::new(
            &format!("In process (criterion): {group}"),
            &format!("cargo bench --bench check -- '{group}/'"),
            &["benchmark", "median ms", "ratio to reference_serde"],
        );
        table.row(vec![
            "reference_serde".to_string(),
            report::ms(reference),
            "1.00x".to_string(),
        ]);
        for name in names {
            if let Some(m) = median(&dir.join(name), started) {
                let ratio = m.as_secs_f64() / reference.as_secs_f64();
                table.row(vec![
                    name.to_string(),
                    report::ms(m),
                    format!("{ratio:.2}x"),
                ]);
            }
        }
        let goal = if group.starts_with("export/") {
            "Goal 7 (issue 19): exports ≤ 1.3x the reference parse (the HTML export here; every export is timed as a whole process in the export table)."
        } else {
            "Goal 8 (issue 19): `scplan_check_bytes` ≤ 1.0x the reference (read beside the whole-process table, which also counts start-up and output)."
        };
        table.print(&[goal.to_string()]);
    }
}

/// The median point estimate criterion wrote for one benchmark, if it wrote it after
/// `started` (a stale one from an earlier run is not this run's).
fn median(dir: &Path, started: SystemTime) -> Option<Duration> {
    let path = dir.join("new").join("estimates.json");
    let fresh = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= started);
    if !fresh {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    let ns = json["median"]["point_estimate"].as_f64()?;
    Some(Duration::from_secs_f64(ns / 1e9))
}
