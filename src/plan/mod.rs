//! What a plan is: its document, typed model, loader, edits, markings, catalogues and its
//! JSON form with the JSON Schema.

pub mod catalog;
pub mod compact;
pub mod cut;
pub mod document;
pub mod finding;
pub mod json;
pub mod load;
pub mod located;
pub mod marking;
pub mod model;
pub mod path;
pub mod review;
pub mod schema;
pub mod source;
pub mod spare;
pub mod tree;
