//! What a plan is: its document, typed model, loader, edits, markings and catalogues.

pub mod catalog;
pub mod diff;
pub mod document;
pub mod load;
pub mod marking;
pub mod model;
pub mod path;
pub mod schema;
pub mod source;
