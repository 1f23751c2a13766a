//! Criterion benchmarks of the check path and the HTML export on synthetic plans, each beside
//! its references measured in the same run: `toml` + serde into typed structs with an
//! id-reference check (`reference`), and bare parses with `toml_edit` and with `toml`.
//! `scplan_load` is the read-only path (toml's tree), `scplan_load_editing` the editor's
//! (toml_edit's document), `scplan_rules` every rule on a loaded plan.
#![forbid(unsafe_code)]

mod reference;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
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

criterion_group!(benches, check_path, export_html);
criterion_main!(benches);
