//! The editing core shared by every front end: items added, duplicated, deleted and moved
//! with fresh ids, renames that follow references, links, waivers and quick fixes
//! (diagnostic -> edits). Each function reads the document, the typed plan or a diagnostic
//! and returns the [`Edit`](crate::plan::document::Edit)s to apply (applying one returns its
//! inverse, which undoes it) with a message that says what they do. No terminal types.

pub mod change;
pub mod fixes;
pub mod items;
pub mod links;
pub mod rename;
pub mod value;
pub mod waive;
