//! The config file (`$XDG_CONFIG_HOME/scplan/config.toml`): every key optional, an unknown key
//! or a bad value an error naming the key and the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::plan::catalog;
use crate::plan::marking::Level;

/// The settings a config file may hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// `system_high`.
    pub system_high: Option<Level>,
    /// `theme`: `true` for `mono`.
    pub mono: Option<bool>,
    /// `export_dir`.
    pub export_dir: Option<PathBuf>,
    /// `[keys]`: action -> keys.
    pub keys: BTreeMap<String, Vec<String>>,
    /// The file it came from, when one was read.
    pub path: Option<PathBuf>,
}

/// A config file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("config file {}: {message}", path.display())]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub message: String,
}

const KEYS: &[&str] = &["system_high", "theme", "export_dir", "keys"];

impl Config {
    /// Reads the config file at `path`; a file that does not exist gives the defaults.
    pub fn read(path: Option<&Path>) -> Result<Config, ConfigError> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(err) => {
                return Err(ConfigError {
                    path: path.to_path_buf(),
                    message: format!("cannot be read: {err}"),
                });
            }
        };
        Config::parse(&text, path)
    }

    /// Parses config text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let fail = |message: String| ConfigError {
            path: path.to_path_buf(),
            message,
        };
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| fail(e.message().to_string()))?;
        let mut config = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        for (key, value) in &table {
            match key.as_str() {
                "system_high" => {
                    let level = value.as_str().and_then(Level::parse).ok_or_else(|| {
                        fail(format!("`system_high` = {value} must be one of \"U\", \"CUI\", \"C\", \"S\", \"TS\""))
                    })?;
                    config.system_high = Some(level);
                }
                "theme" => {
                    config.mono = Some(match value.as_str() {
                        Some("color") => false,
                        Some("mono") => true,
                        _ => {
                            return Err(fail(format!(
                                "`theme` = {value} must be \"color\" or \"mono\""
                            )));
                        }
                    });
                }
                "export_dir" => {
                    let dir = value
                        .as_str()
                        .ok_or_else(|| fail(format!("`export_dir` = {value} must be a string")))?;
                    config.export_dir = Some(PathBuf::from(dir));
                }
                "keys" => {
                    let keys = value
                        .as_table()
                        .ok_or_else(|| fail("`keys` must be a table ([keys])".to_string()))?;
                    for (action, list) in keys {
                        let list = list
                            .as_array()
                            .and_then(|a| a.iter().map(|k| k.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
                            .ok_or_else(|| fail(format!("`keys.{action}` must be an array of key names such as [\"ctrl-s\"]")))?;
                        config.keys.insert(action.clone(), list);
                    }
                }
                other => {
                    let hint = catalog::closest(other, KEYS.iter().copied())
                        .map(|k| format!(" (did you mean `{k}`?)"))
                        .unwrap_or_default();
                    return Err(fail(format!(
                        "unknown key `{other}`{hint}; known keys: {}",
                        KEYS.join(", ")
                    )));
                }
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/c/config.toml"))
    }

    #[test]
    fn every_key_is_read() {
        let c = parse("system_high = \"S\"\ntheme = \"mono\"\nexport_dir = \"out\"\n[keys]\nsave = [\"ctrl-s\"]\n").unwrap();
        assert_eq!(c.system_high, Some(Level::S));
        assert_eq!(c.mono, Some(true));
        assert_eq!(c.export_dir, Some(PathBuf::from("out")));
        assert_eq!(c.keys.get("save"), Some(&vec!["ctrl-s".to_string()]));
    }

    #[test]
    fn bad_values_name_the_key_and_file() {
        let e = parse("system_high = \"SECRET\"\n").unwrap_err();
        assert!(e.to_string().contains("system_high") && e.to_string().contains("/c/config.toml"));
        let e = parse("sytem_high = \"S\"\n").unwrap_err();
        assert!(e.message.contains("did you mean `system_high`"));
        assert!(parse("theme = 3").is_err());
        assert!(parse("[keys]\nsave = \"ctrl-s\"").is_err());
        assert!(parse("= broken").is_err());
    }

    #[test]
    fn a_missing_file_gives_defaults() {
        let c = Config::read(Some(Path::new("/nonexistent/scplan/config.toml"))).unwrap();
        assert_eq!(c, Config::default());
    }
}
