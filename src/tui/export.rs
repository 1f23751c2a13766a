//! Export from the editor: the saved plan, through the same library path as `scplan export`,
//! into the export folder; asks before replacing a file or exporting a draft.

use std::path::PathBuf;

use super::action::Action;
use super::app::{App, Modal, Pending, Screen};
use crate::export::{self, ExportError, Format, Request};
use crate::store;

/// Where an export of the open plan in `format` goes.
pub fn output_path(app: &App, plan: &std::path::Path, format: Format) -> PathBuf {
    let folder = plan.parent().map(PathBuf::from).unwrap_or_default();
    let dir = match &app.export_dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => folder.join(d),
        None => folder,
    };
    let stem = plan
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".to_string());
    dir.join(format!("{stem}.{}", format.extension()))
}

/// Exports the open plan in the format named `format`.
pub fn run(app: &mut App, format: &str, force: bool, draft: bool) {
    let Some(format) = Format::parse(format) else {
        return;
    };
    let settings = app.settings;
    let fs = app.fs.clone();
    let time = app.env.stamp_time();
    let out = match &app.screen {
        Screen::Edit(s) => output_path(app, &s.path, format),
        _ => return,
    };
    let Screen::Edit(s) = &mut app.screen else {
        return;
    };
    if s.modified() {
        return s.warn(format!(
            "save the plan first ({}): an export is stamped with the saved file's SHA-256",
            app.keymap.key_name(Action::Save)
        ));
    }
    let yes_no = app.keymap.yes_no();
    let ask = |question: String, force: bool, draft: bool| {
        let yes = Pending::Export {
            format: format.name().to_string(),
            force,
            draft,
        };
        Some(Modal::confirm(question, yes, None))
    };
    let bytes = match store::read_plan(fs.as_ref(), &s.path) {
        Ok(bytes) => bytes,
        Err(err) => return s.warn(format!("not exported: {err}")),
    };
    let request = Request {
        format,
        draft,
        releasable_to: None,
        time,
    };
    match export::export(&bytes, &settings, &request) {
        // Whether there is anything to write is asked first; replacing a file after.
        Ok(_) if !force && matches!(fs.exists(&out), Ok(true)) => {
            s.modal = ask(
                format!("{} exists. Replace it? {yes_no}", out.display()),
                true,
                draft,
            );
        }
        Ok(exported) => match store::check_output(fs.as_ref(), &s.path, &out, true).and_then(|()| {
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs.create_dir_all(dir)
                    .map_err(|source| store::StoreError::Io {
                        path: dir.to_path_buf(),
                        source,
                    })?;
            }
            store::write_outputs(fs.as_ref(), &s.path, &[(&out, &exported.bytes)], true)
        }) {
            Ok(_) => s.say(format!(
                "exported {} to {}{}",
                format.name(),
                out.display(),
                if draft { " (draft)" } else { "" }
            )),
            Err(err) => s.warn(format!("not exported: {err}")),
        },
        Err(err @ ExportError::Invalid { count, .. }) => {
            // The errors by rule and item, as many as a line holds; the rest in view 4.
            let diagnostics = err.checked().map_or(&[][..], |c| &c.diagnostics[..]);
            let errors: Vec<String> = diagnostics
                .iter()
                .filter(|d| err.concerns(d))
                .take(3)
                .map(|d| format!("{} {}", d.code, crate::text::sanitize(&d.item)))
                .collect();
            let more = if count > errors.len() {
                format!(" and {} more", count - errors.len())
            } else {
                String::new()
            };
            s.modal = ask(
                format!(
                    "Not validated: the plan has {count} error(s) ({}{more}; all in the diagnostics view, {}). Export a draft marked \"DRAFT - NOT VALIDATED\"? {yes_no}",
                    errors.join(", "),
                    app.keymap.key_name(Action::ViewDiagnostics),
                ),
                force,
                true,
            );
        }
        Err(err) => s.warn(format!("not exported: {err}")),
    }
}
