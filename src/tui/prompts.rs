//! The prompts that both key handling (`update`) and the effect handlers (`files`) open: the
//! name to save the plan under, and what to do about a file changed on disk.

use super::app::{Modal, PickOption, PickPurpose, Picker, Session, TextPurpose};

/// Asks for the name to save the plan under (in the plan's folder).
pub fn save_as(s: &mut Session) {
    let stem = s
        .path
        .file_stem()
        .map_or_else(|| "plan".to_string(), |n| n.to_string_lossy().into_owned());
    let title = "Save as (a new file in the plan's folder)";
    s.modal = Some(Modal::text(
        TextPurpose::SaveAs,
        title,
        &format!("{stem}-copy.toml"),
        false,
    ));
}

/// What became of the plan's file on disk: "changed on disk", or "was deleted".
pub fn what_happened(s: &Session) -> &'static str {
    if s.disk.gone {
        "was deleted from disk"
    } else {
        "changed on disk"
    }
}

/// Offers the ways out when the file changed on disk since it was loaded (or went: then it
/// can only be written again).
pub fn on_disk(s: &mut Session) {
    let mut options = vec![PickOption::new(
        "save-as",
        "save your version under another name",
    )];
    // A file deleted cannot be read again: it can only be written again.
    if s.disk.gone {
        options.push(PickOption::new(
            "overwrite",
            "write your version to the file again",
        ));
    } else {
        options.push(PickOption::new(
            "reload",
            "reload the file from disk (your unsaved edits are lost; asks first)",
        ));
        options.push(PickOption::new(
            "overwrite",
            "overwrite the file on disk with your version",
        ));
    }
    let title = format!("{} {} since you opened it", s.file_name(), what_happened(s));
    s.modal = Some(Modal::picker(Picker::new(
        title,
        options,
        PickPurpose::OnDisk,
    )));
}
