//! scplan: write, check and export theater campaign plans whose security-cooperation sections
//! carry science-and-technology objectives traced to the plan's strategic priorities.
#![forbid(unsafe_code)]

pub mod check;
pub mod config;
pub mod diff;
pub mod edit;
pub mod env;
pub mod export;
pub mod manual;
pub mod plan;
pub mod report;
pub mod store;
pub mod synth;
pub mod template;
pub mod text;
pub mod tui;
