//! A bench's results as one Markdown table: a title, the command that reproduces it, a header
//! and rows, then notes (the ratio, the goal and whether it is met). Printed, and appended to
//! the file named by `SCPLAN_BENCH_REPORT`, which is how `benches/regenerate.sh` assembles
//! BENCHMARKS.md from every bench of one run. Each bench uses the helpers it needs.
#![allow(dead_code)]

use std::io::Write;

/// One table of results.
pub struct Table {
    title: String,
    command: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table under `title`, reproduced by `command`, with these column names.
    pub fn new(title: &str, command: &str, header: &[&str]) -> Table {
        Table {
            title: title.to_string(),
            command: command.to_string(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (one cell per column).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Prints the table with `notes` after it, and appends it to the report file if one is
    /// named.
    pub fn print(self, notes: &[String]) {
        let mut out = format!("### {}\n\n`{}`\n\n", self.title, self.command);
        // A `|` inside a cell would end it, even in code.
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&line(&self.header));
        out.push_str(&line(&vec!["---".to_string(); self.header.len()]));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        for note in notes {
            out.push_str(&format!("\n{note}\n"));
        }
        out.push('\n');
        print!("{out}");
        if let Ok(path) = std::env::var("SCPLAN_BENCH_REPORT") {
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(out.as_bytes()));
            if let Err(err) = appended {
                eprintln!("cannot append to {path}: {err}");
            }
        }
    }
}

/// Milliseconds, one decimal.
pub fn ms(d: std::time::Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

/// A ratio `a / b` with two decimals, and whether it is within `goal` (`≤ goal`).
pub fn against(a: f64, b: f64, goal: f64) -> (String, &'static str) {
    let ratio = a / b;
    let verdict = if ratio <= goal { "met" } else { "missed" };
    (format!("{ratio:.2}x"), verdict)
}

/// The `p` quantile (0 to 1) of some times, nearest rank; the times are sorted in place.
pub fn percentile(times: &mut [std::time::Duration], p: f64) -> std::time::Duration {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i.min(times.len() - 1)]
}
