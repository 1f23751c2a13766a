//! The editing core shared by every front end (the command line, the terminal editor, a
//! language server): what a change to a plan means and how it is made, with no terminal, no
//! printing and no file access.

pub mod field;
pub mod ids;
