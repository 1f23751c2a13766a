//! What scplan takes from its environment, gathered once by `main.rs` and passed in, so that
//! tests inject it instead of changing the process environment.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

/// The environment of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    /// `NO_COLOR` is set (to anything non-empty).
    pub no_color: bool,
    /// Where the config file is (may not exist).
    pub config_path: Option<PathBuf>,
    /// The variable that chose `config_path`: `SCPLAN_CONFIG`, `XDG_CONFIG_HOME` or `HOME`.
    pub config_origin: Option<&'static str>,
    /// Today's date ("today" for reviews and new plans); `SCPLAN_TODAY` overrides the clock.
    pub today: Date,
    /// `SOURCE_DATE_EPOCH`, for reproducible export stamps.
    pub source_date_epoch: Option<i64>,
}

impl Env {
    /// Reads the environment through `var` (the process environment in `main.rs`, a map in
    /// tests), with `clock_today` as the date when `SCPLAN_TODAY` is not set.
    pub fn from_vars(
        var: impl Fn(&str) -> Option<String>,
        clock_today: Date,
    ) -> Result<Env, String> {
        let non_empty = |name: &str| var(name).filter(|v| !v.is_empty());
        let today = match non_empty("SCPLAN_TODAY") {
            Some(text) => text
                .parse::<Date>()
                .map_err(|e| format!("SCPLAN_TODAY={text} is not a date (YYYY-MM-DD): {e}"))?,
            None => clock_today,
        };
        let in_dir = |dir: PathBuf| dir.join("scplan").join("config.toml");
        let (config_path, config_origin) = if let Some(path) = non_empty("SCPLAN_CONFIG") {
            (Some(PathBuf::from(path)), Some("SCPLAN_CONFIG"))
        } else if let Some(dir) =
            non_empty("XDG_CONFIG_HOME").filter(|d| Path::new(d).is_absolute())
        {
            // The XDG base directory specification: a relative value is to be ignored.
            (Some(in_dir(PathBuf::from(dir))), Some("XDG_CONFIG_HOME"))
        } else if let Some(home) = non_empty("HOME") {
            (
                Some(in_dir(PathBuf::from(home).join(".config"))),
                Some("HOME"),
            )
        } else {
            (None, None)
        };
        let source_date_epoch = match non_empty("SOURCE_DATE_EPOCH") {
            Some(text) => Some(
                text.parse::<i64>()
                    .ok()
                    .filter(|s| Timestamp::from_second(*s).is_ok())
                    .ok_or_else(|| {
                        format!("SOURCE_DATE_EPOCH={text} is not a whole number of seconds since 1970 within years -9999..=9999")
                    })?,
            ),
            None => None,
        };
        Ok(Env {
            no_color: non_empty("NO_COLOR").is_some(),
            config_path,
            config_origin,
            today,
            source_date_epoch,
        })
    }

    /// The time to stamp on an export: `SOURCE_DATE_EPOCH` when set, else the clock, to the
    /// second (a stamp is read by people; sub-second digits would only defeat comparisons).
    pub fn stamp_time(&self) -> Timestamp {
        let now = || Timestamp::from_second(Timestamp::now().as_second()).unwrap_or_default();
        self.source_date_epoch
            .and_then(|s| Timestamp::from_second(s).ok())
            .unwrap_or_else(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> Result<Env, String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Env::from_vars(|k| map.get(k).cloned(), jiff::civil::date(2026, 11, 28))
    }

    #[test]
    fn config_path_follows_xdg_then_home() {
        let e = env(&[("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")]).unwrap();
        assert_eq!(e.config_path, Some(PathBuf::from("/x/scplan/config.toml")));
        let e = env(&[("XDG_CONFIG_HOME", "xdg"), ("HOME", "/h")]).unwrap();
        assert_eq!(
            e.config_path,
            Some(PathBuf::from("/h/.config/scplan/config.toml")),
            "a relative XDG_CONFIG_HOME is ignored"
        );
        let e = env(&[("HOME", "/h")]).unwrap();
        assert_eq!(
            e.config_path,
            Some(PathBuf::from("/h/.config/scplan/config.toml"))
        );
        assert_eq!(e.config_origin, Some("HOME"));
        let e = env(&[("SCPLAN_CONFIG", "/c.toml"), ("HOME", "/h")]).unwrap();
        assert_eq!(e.config_path, Some(PathBuf::from("/c.toml")));
        assert_eq!(e.config_origin, Some("SCPLAN_CONFIG"));
        let e = env(&[]).unwrap();
        assert_eq!((e.config_path, e.config_origin), (None, None));
    }

    #[test]
    fn clock_and_colour_are_injected() {
        let e = env(&[("SCPLAN_TODAY", "2027-01-02"), ("NO_COLOR", "1")]).unwrap();
        assert_eq!(e.today, jiff::civil::date(2027, 1, 2));
        assert!(e.no_color);
        assert!(!env(&[("NO_COLOR", "")]).unwrap().no_color);
        assert!(env(&[("SCPLAN_TODAY", "soon")]).is_err());
        assert!(env(&[("SOURCE_DATE_EPOCH", "x")]).is_err());
        assert!(env(&[("SOURCE_DATE_EPOCH", "999999999999999")]).is_err());
    }

    #[test]
    fn source_date_epoch_fixes_the_stamp_time() {
        let e = env(&[("SOURCE_DATE_EPOCH", "1780000000")]).unwrap();
        assert_eq!(e.stamp_time().to_string(), "2026-05-28T20:26:40Z");
        assert_eq!(env(&[]).unwrap().stamp_time().subsec_nanosecond(), 0);
    }
}
