//! The editing core shared by every front end (the command line, the terminal editor, a
//! language server): `get`/`set` of a field by its path, items added, duplicated, deleted and
//! moved with fresh ids, renames that follow references, links, waivers and quick fixes
//! (diagnostic -> edits). Each function reads the document, the typed plan or a diagnostic
//! and returns the [`Edit`](crate::plan::document::Edit)s to apply (applying one returns its
//! inverse, which undoes it) with a message that says what they do. No terminal types, no
//! printing, no file access.

pub mod change;
pub mod copy;
pub mod field;
pub mod fixes;
pub mod ids;
pub mod items;
pub mod links;
pub mod rename;
pub mod rename_refs;
pub mod review;
pub mod splice;
pub mod stamp_text;
pub mod text_fixes;
pub mod toml_text;
pub mod value;
pub mod waive;
