//! What every command runs with: the environment, the config file, and the settings they give.

use std::path::PathBuf;

use anyhow::Result;

use scplan::check::Settings;
use scplan::config::{Config, Location};
use scplan::env::Env;
use scplan::plan::marking::Level;

use super::exit::{Code, fail};

/// The environment and configuration of a run.
pub struct Setup {
    /// The environment variables scplan reads, and today's date.
    pub env: Env,
    /// Where the config file is and what chose it.
    pub location: Location,
    /// The config file as read (its defaults when there is none).
    pub config: Config,
    /// What checking depends on: the system high of `--system-high`, else the config file.
    pub settings: Settings,
    /// Whether colour is off (config file or `NO_COLOR`).
    pub mono: bool,
}

impl Setup {
    /// Reads the environment and the config file (`--config`, else the one the environment
    /// names), with `system_high` from `--system-high`. A bad variable or setting exits 2.
    pub fn load(system_high: Option<Level>, config: Option<PathBuf>) -> Result<Setup> {
        let today = jiff::ZonedDateTime::now().date();
        let env = Env::from_vars(|name| std::env::var(name).ok(), today)
            .map_err(|e| fail(Code::Usage, e))?;
        let location = match config {
            // A file named on the command line is meant to be read: a mistyped name is said,
            // not passed over for the defaults (a variable may name a file not made yet).
            Some(path) if !path.exists() => {
                // A symbolic link whose target is missing, or a loop of links, is there.
                let why = match std::fs::symlink_metadata(&path) {
                    Ok(_) => match std::fs::metadata(&path) {
                        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                            scplan::io_words::of(&err)
                        }
                        _ => "a symbolic link to no file".to_string(),
                    },
                    Err(_) => "no such config file".to_string(),
                };
                return Err(fail(
                    Code::Usage,
                    format!("{}: {why} (named by --config)", path.display()),
                ));
            }
            Some(path) => Location {
                path: Some(path),
                chosen_by: Some("--config"),
            },
            None => Location {
                path: env.config_path.clone(),
                chosen_by: env.config_origin,
            },
        };
        let config =
            Config::read(location.path.as_deref()).map_err(|e| fail(Code::Usage, e.to_string()))?;
        // The [keys] overrides are checked against the editor's actions and key names for
        // every command, so that `scplan config --check` and `scplan check` report a bad one too.
        if let Err(err) = scplan::tui::keymap::Keymap::new(&config.keys) {
            let file = config
                .path
                .as_ref()
                .map_or_else(String::new, |p| format!("{}: ", p.display()));
            return Err(fail(Code::Usage, format!("config file {file}{err}")));
        }
        let settings = Settings {
            system_high: config.system_high(system_high).value,
        };
        let mono = config.mono(env.no_color).value;
        Ok(Setup {
            env,
            location,
            config,
            settings,
            mono,
        })
    }
}
