//! The config file (`$XDG_CONFIG_HOME/scplan/config.toml`): every key optional, an unknown key
//! or a bad value an error naming the key and the file.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::plan::catalog;
use crate::plan::marking::Level;
use crate::plan::source::LineIndex;

/// The settings a config file may hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// `system_high`.
    pub system_high: Option<Level>,
    /// `theme`: `true` for `mono`.
    pub mono: Option<bool>,
    /// `export_dir`.
    pub export_dir: Option<PathBuf>,
    /// `mouse`: `false` turns the editor's mouse off (it is on by default).
    pub mouse: Option<bool>,
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

const KEYS: &[&str] = &["system_high", "theme", "export_dir", "mouse", "keys"];

/// The system high when neither a flag nor the config file sets one.
pub const DEFAULT_SYSTEM_HIGH: Level = Level::Cui;

/// Where a setting in force came from, highest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag (`--system-high`).
    Flag(&'static str),
    /// An environment variable (`NO_COLOR`).
    Environment(&'static str),
    /// The config file.
    File,
    /// The built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Environment(name) => write!(f, "environment {name}"),
            Source::File => f.write_str("config file"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A setting in force and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

/// Where the config file is looked for, and what chose that place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, when some flag or variable names a place for it.
    pub path: Option<PathBuf>,
    /// What chose it: `--config`, `SCPLAN_CONFIG`, `XDG_CONFIG_HOME` or `HOME`.
    pub chosen_by: Option<&'static str>,
}

impl Config {
    /// Reads the config file at `path`; a file that does not exist gives the defaults.
    pub fn read(path: Option<&Path>) -> Result<Config, ConfigError> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let fail = |message: String| ConfigError {
            path: path.to_path_buf(),
            message,
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(err) if err.kind() == std::io::ErrorKind::IsADirectory || path.is_dir() => {
                return Err(fail(
                    "is a folder, not a file: name the config file itself".to_string(),
                ));
            }
            Err(err) => {
                return Err(fail(format!(
                    "cannot be read: {}",
                    crate::io_words::of(&err)
                )));
            }
        };
        let text = String::from_utf8(bytes).map_err(|err| {
            let good = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or_default();
            let at = LineIndex::new(good).loc(good.len()..good.len());
            fail(format!(
                "line {}, column {}: not UTF-8 text; save the file as UTF-8",
                at.line, at.column
            ))
        })?;
        Config::parse(&text, path)
    }

    /// Parses config text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let fail = |message: String| ConfigError {
            path: path.to_path_buf(),
            message,
        };
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let message = e.message().trim_end();
            match e.span() {
                Some(span) => {
                    let at = LineIndex::new(text).loc(span);
                    fail(format!(
                        "line {}, column {}: {message} (the file must be TOML: key = value lines)",
                        at.line, at.column
                    ))
                }
                None => fail(format!(
                    "{message} (the file must be TOML: key = value lines)"
                )),
            }
        })?;
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
                        .filter(|dir| !dir.trim().is_empty())
                        .ok_or_else(|| fail(format!("`export_dir` = {value} must name a folder (a string that is not blank)")))?;
                    config.export_dir = Some(PathBuf::from(dir));
                }
                "mouse" => {
                    config.mouse =
                        Some(value.as_bool().ok_or_else(|| {
                            fail(format!("`mouse` = {value} must be true or false"))
                        })?);
                }
                "keys" => {
                    let keys = value
                        .as_table()
                        .ok_or_else(|| fail("`keys` must be a table ([keys])".to_string()))?;
                    for (action, list) in keys {
                        let list = list
                            .as_array()
                            .and_then(|a| a.iter().map(|k| k.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
                            .filter(|keys| keys.iter().all(|k| !k.trim().is_empty()))
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

    /// The system high in force: the flag, else the file, else [`DEFAULT_SYSTEM_HIGH`].
    pub fn system_high(&self, flag: Option<Level>) -> Sourced<Level> {
        resolve(
            flag.map(|level| (level, Source::Flag("--system-high"))),
            self.system_high,
            DEFAULT_SYSTEM_HIGH,
        )
    }

    /// Whether output is monochrome: `NO_COLOR` set, else the file's `theme`, else colour.
    pub fn mono(&self, no_color: bool) -> Sourced<bool> {
        resolve(
            no_color.then_some((true, Source::Environment("NO_COLOR"))),
            self.mono,
            false,
        )
    }

    /// Whether the editor takes the mouse: the file's `mouse`, else on.
    pub fn mouse(&self) -> Sourced<bool> {
        resolve(None, self.mouse, true)
    }

    /// What `scplan config --check` prints for a file that was read without error (a bad file
    /// never gets this far: [`Config::read`] reports it).
    pub fn validation(&self, location: &Location) -> String {
        match (&self.path, &location.path) {
            (Some(path), _) => format!("{}: valid\n", path.display()),
            (None, Some(path)) => format!(
                "{}: no such file; the built-in defaults apply\n",
                path.display()
            ),
            (None, None) => {
                "no config file (no --config, SCPLAN_CONFIG, XDG_CONFIG_HOME or HOME); the built-in defaults apply\n"
                    .to_string()
            }
        }
    }

    /// What `scplan config` prints: each setting in force as a line of a config file, with
    /// where it came from, and where the file is; the output is itself a valid config file.
    pub fn report(
        &self,
        location: &Location,
        system_high: Option<Level>,
        no_color: bool,
    ) -> String {
        let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = String::from("# scplan settings in force and where each came from\n");
        let _ = match (&location.path, location.chosen_by) {
            (Some(path), by) => writeln!(
                out,
                "# config file: {} (chosen by {}; {})",
                path.display(),
                by.unwrap_or("default"),
                if self.path.is_some() {
                    "read"
                } else {
                    "not found, defaults apply"
                }
            ),
            (None, _) => writeln!(
                out,
                "# config file: none (set SCPLAN_CONFIG, XDG_CONFIG_HOME or HOME, or pass --config)"
            ),
        };
        let line = |out: &mut String, setting: String, source: Source| {
            let _ = writeln!(out, "{setting:<32} # {source}");
        };
        let high = self.system_high(system_high);
        line(
            &mut out,
            format!("system_high = {}", quoted(high.value.portion_str())),
            high.source,
        );
        let mono = self.mono(no_color);
        let theme = if mono.value { "mono" } else { "color" };
        line(&mut out, format!("theme = {}", quoted(theme)), mono.source);
        match &self.export_dir {
            Some(dir) => line(
                &mut out,
                format!("export_dir = {}", quoted(&dir.to_string_lossy())),
                Source::File,
            ),
            None => line(
                &mut out,
                "# export_dir: the plan's folder".to_string(),
                Source::Default,
            ),
        }
        // A default is a comment, so that the output read back has the same sources.
        match self.mouse {
            Some(on) => line(&mut out, format!("mouse = {on}"), Source::File),
            None => line(&mut out, "# mouse: on".to_string(), Source::Default),
        }
        if self.keys.is_empty() {
            line(
                &mut out,
                "# [keys]: the editor's defaults".to_string(),
                Source::Default,
            );
        } else {
            line(&mut out, "[keys]".to_string(), Source::File);
            for (action, keys) in &self.keys {
                let list: Vec<String> = keys.iter().map(|k| quoted(k)).collect();
                let _ = writeln!(out, "{action} = [{}]", list.join(", "));
            }
        }
        out
    }
}

/// A setting from the first of an override (flag or environment), the file and the default.
fn resolve<T>(over: Option<(T, Source)>, file: Option<T>, default: T) -> Sourced<T> {
    match (over, file) {
        (Some((value, source)), _) => Sourced { value, source },
        (None, Some(value)) => Sourced {
            value,
            source: Source::File,
        },
        (None, None) => Sourced {
            value: default,
            source: Source::Default,
        },
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
        let c = parse("system_high = \"S\"\ntheme = \"mono\"\nexport_dir = \"out\"\nmouse = false\n[keys]\nsave = [\"ctrl-s\"]\n").unwrap();
        assert_eq!(c.mouse, Some(false));
        assert!(!c.mouse().value);
        assert!(Config::default().mouse().value, "on by default");
        let nowhere = Location {
            path: None,
            chosen_by: None,
        };
        let report = c.report(&nowhere, None, false);
        assert!(report.contains("mouse = false"), "{report}");
        let report = Config::default().report(&nowhere, None, false);
        assert!(report.contains("# mouse: on"), "{report}");
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
        assert!(parse("export_dir = \"\"").is_err());
        let e = parse("theme = \"mono\n").unwrap_err();
        assert!(e.message.starts_with("line 1, column "), "{e}");
        assert!(parse("[keys]\nsave = \"ctrl-s\"").is_err());
        assert!(parse("[keys]\nsave = [\"\"]").is_err());
        assert!(parse("= broken").is_err());
    }

    #[test]
    fn a_missing_file_gives_defaults() {
        let c = Config::read(Some(Path::new("/nonexistent/scplan/config.toml"))).unwrap();
        assert_eq!(c, Config::default());
    }
}
