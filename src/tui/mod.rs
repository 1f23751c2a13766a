//! The terminal editor: a thin layer over the library. Keys become actions (`keymap`),
//! `update` changes the state (`app`) through the editing core (`crate::edit`), views draw
//! it (`view`), `run` owns the terminal and performs the effects that touch the file system
//! (`files`, `export`); `prompts` are the questions both sides open; `review` is what the
//! review queue shows; `conflict` holds the conflicts of a file with conflict markers until
//! they are resolved; `changes` is the changes view's revision and diff.

pub mod action;
pub mod app;
pub mod changes;
pub mod conflict;
pub mod editing_lock;
pub mod export;
pub mod files;
pub mod keymap;
pub mod loading;
pub mod prompts;
pub mod review;
pub mod rows;
pub mod run;
pub mod update;
pub mod view;
