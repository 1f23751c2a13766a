//! Writes a synthetic plan to standard output:
//! `cargo run --release --example synth -- SIZE [--defects RATE] [--seed N] > plan.toml`,
//! where SIZE is `small` (10x5), `medium` (60x30), `large` (200x200) or `CxO`.
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use scplan::synth;

const USAGE: &str = "usage: synth small|medium|large|CxO [--defects RATE] [--seed N]";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Some((countries, objectives, rate, seed)) => {
            let text = synth::generate(countries, objectives, rate, seed);
            match std::io::stdout().lock().write_all(text.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("synth: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        None => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// (countries, objectives, defect rate, seed) from the arguments.
fn parse(mut args: impl Iterator<Item = String>) -> Option<(usize, usize, f64, u64)> {
    let size = args.next()?;
    let (countries, objectives) = match synth::size(&size) {
        Some(s) => (s.countries, s.objectives),
        None => {
            let (c, o) = size.split_once('x')?;
            (c.parse().ok()?, o.parse().ok()?)
        }
    };
    let (mut rate, mut seed) = (0.0, 1);
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--defects" => rate = value.parse().ok().filter(|r| (0.0..=1.0).contains(r))?,
            "--seed" => seed = value.parse().ok()?,
            _ => return None,
        }
    }
    Some((countries, objectives, rate, seed))
}
