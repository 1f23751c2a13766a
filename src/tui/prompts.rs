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

/// Offers the three ways out when the file changed on disk since it was loaded.
pub fn on_disk(s: &mut Session) {
    let options = vec![
        PickOption::new("save-as", "save your version under another name"),
        PickOption::new(
            "reload",
            "reload the file from disk (your unsaved edits are lost; asks first)",
        ),
        PickOption::new("overwrite", "overwrite the file on disk with your version"),
    ];
    let title = format!("{} changed on disk since you opened it", s.file_name());
    s.modal = Some(Modal::picker(Picker::new(
        title,
        options,
        PickPurpose::OnDisk,
    )));
}
