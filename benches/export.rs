//! Whole-process export comparison (`harness = false`): `scplan export` of the large
//! synthetic plan to HTML, Markdown, JSON, Word and Excel, beside the reference program
//! reading the same plan (this binary run as `export --reference FILE`), run in turn round by
//! round, median wall time and peak memory (`benches/runner`); each export as a ratio to the
//! HTML export (the goal: docx and xlsx within 3x) and to the reference parse (the goal for
//! the text exports: within 1.3x), as one table.
//!
//! `cargo bench --bench export` runs it; `-- --rounds N` sets the rounds (default 5), and
//! `-- --scplan PATH` measures another build of scplan (e.g. one from before a change).
#![forbid(unsafe_code)]

mod reference;
mod report;
mod runner;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use scplan::synth::{self, SIZES};

/// The formats compared, the first being the reference of the office formats.
const FORMATS: [&str; 5] = ["html", "md", "json", "docx", "xlsx"];

/// The office formats, compared with the HTML export rather than with the reference parse.
const OFFICE: [&str; 2] = ["docx", "xlsx"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--reference") {
        return reference::run(args.get(i + 1).map(Path::new));
    }
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(5);
    let scplan = args
        .iter()
        .position(|a| a == "--scplan")
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_scplan")),
            PathBuf::from,
        );
    match compare(&scplan, rounds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("export bench: {err}");
            ExitCode::FAILURE
        }
    }
}

fn compare(scplan: &Path, rounds: usize) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("scplan-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let large = SIZES[2];
    let text = synth::generate(large.countries, large.objectives, 0.0, 1);
    let plan = dir.join("large.toml");
    std::fs::write(&plan, &text).map_err(|e| e.to_string())?;
    let commands = FORMATS.map(|format| {
        let mut cmd = Command::new(scplan);
        cmd.arg("export").arg(&plan).arg("--format").arg(format);
        cmd.arg("-o").arg(dir.join(format!("out.{format}")));
        cmd.arg("--force").arg("--draft");
        cmd.env("SOURCE_DATE_EPOCH", "1780000000");
        cmd
    });
    let mut reference = Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
    reference.arg("--reference").arg(&plan);
    let [html, md, json, docx, xlsx, reference] = runner::measure(
        [
            &commands[0],
            &commands[1],
            &commands[2],
            &commands[3],
            &commands[4],
            &reference,
        ],
        rounds,
    )?;
    let mut table = report::Table::new(
        &format!(
            "Whole process: `scplan export` (large plan, {:.1} MB)",
            text.len() as f64 / 1e6
        ),
        "cargo bench --bench export",
        &[
            "format",
            "ms",
            "to HTML",
            "to the reference",
            "peak MB",
            "memory to HTML",
        ],
    );
    let mut notes = Vec::new();
    for (format, runs) in FORMATS.iter().zip([&html, &md, &json, &docx, &xlsx]) {
        let (to_html, html_met) = report::against(runs.ms(), html.ms(), 3.0);
        let (to_reference, reference_met) = report::against(runs.ms(), reference.ms(), 1.3);
        let memory = runs
            .mem_ratio(&html)
            .map_or("-".to_string(), |r| format!("{r:.2}x"));
        table.row(vec![
            format.to_string(),
            format!("{:.1}", runs.ms()),
            to_html.clone(),
            to_reference.clone(),
            runs.mb(),
            memory,
        ]);
        notes.push(if OFFICE.contains(format) {
            format!("{format}: ≤ 3x the HTML export: {html_met}.")
        } else {
            format!("{format}: ≤ 1.3x the reference parse: {reference_met}.")
        });
    }
    table.row(vec![
        "reference (`export --reference FILE`)".to_string(),
        format!("{:.1}", reference.ms()),
        format!("{:.2}x", reference.ms() / html.ms()),
        "1.00x".to_string(),
        reference.mb(),
        reference
            .mem_ratio(&html)
            .map_or("-".to_string(), |r| format!("{r:.2}x")),
    ]);
    notes.push(format!(
        "Goal 7 (issue 19): docx/xlsx export ≤ 3x the HTML export; the text exports ≤ 1.3x the reference parse. Median of {rounds} rounds after a warm-up round."
    ));
    table.print(&notes);
    std::fs::remove_dir_all(&dir).map_err(|e| e.to_string())
}
