//! The terminal editor: a thin layer over the library. Keys become actions (`keymap`),
//! `update` changes the state (`app`), views draw it (`view`), `run` owns the terminal.

pub mod action;
pub mod app;
pub mod export;
pub mod files;
pub mod keymap;
pub mod prompts;
pub mod rows;
pub mod run;
pub mod update;
pub mod view;
