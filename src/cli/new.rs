//! `scplan new`: a plan started from the template.

use std::path::Path;

use anyhow::Result;
use jiff::civil::Date;

use scplan::plan::marking::Level;
use scplan::store::{self, OsFs, SaveOptions, StoreError};
use scplan::template;

use super::exit::{Code, fail};
use super::output::print_notes;

/// Writes the template for `command`, effective on `effective`, at `level`, to `file`, which
/// must not exist yet.
pub fn run(
    file: &Path,
    command: &str,
    effective: Date,
    schema: Option<&str>,
    level: Level,
) -> Result<Code> {
    let text = template::render_at(command, effective, schema, level);
    let options = SaveOptions {
        create_new: true,
        ..SaveOptions::default()
    };
    match store::save(&OsFs, file, text.as_bytes(), options) {
        Ok(report) => {
            print_notes(&report);
            eprintln!(
                "scplan: created {} ({command}, effective {effective})",
                file.display()
            );
            Ok(Code::Ok)
        }
        Err(StoreError::Exists { .. }) => Err(fail(
            Code::Usage,
            format!(
                "{}: the file already exists; it was left untouched",
                file.display()
            ),
        )),
        Err(err) => Err(fail(Code::Usage, err.to_string())),
    }
}
