//! The one keymap table: `(mode, key) -> Action`. Defaults come from `assets/keymap.toml`,
//! user overrides from the config file's `[keys]`; the help overlay and the key-hint bar are
//! generated from the same table.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

const DEFAULTS: &str = include_str!("../../assets/keymap.toml");

/// Which keys are live: browsing, a picker, a text field, or a yes/no question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Browsing views and items.
    Browse,
    /// After the prefix key: where to go.
    Prefix,
    /// Choosing from a list.
    Picker,
    /// Editing a text field.
    Editor,
    /// Answering a question.
    Confirm,
    /// Resolving the conflicts of a file with conflict markers (browsing keys work too).
    Conflict,
}

impl Mode {
    /// Every mode, in the order the help and the manual list them.
    pub const ALL: [Mode; 6] = [
        Mode::Browse,
        Mode::Prefix,
        Mode::Picker,
        Mode::Editor,
        Mode::Confirm,
        Mode::Conflict,
    ];

    /// The heading of this mode in the help.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Browse => "Browsing",
            Mode::Prefix => "After the prefix key (g)",
            Mode::Picker => "Pickers",
            Mode::Editor => "Text fields",
            Mode::Confirm => "Questions",
            Mode::Conflict => "Conflicts",
        }
    }
}

/// One key: a code and its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    code: KeyCode,
    mods: KeyModifiers,
}

impl KeySpec {
    /// Parses a key name such as `q`, `K`, `ctrl-s`, `shift-tab`, `pgdn`, `f1`.
    pub fn parse(name: &str) -> Option<KeySpec> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = name;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                mods |= KeyModifiers::ALT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "shift-tab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.starts_with('f') && f.len() > 1 => KeyCode::F(f[1..].parse().ok()?),
            c if c.chars().count() == 1 => {
                let c = c.chars().next()?;
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                    c.to_ascii_lowercase()
                } else {
                    c
                })
            }
            _ => return None,
        };
        Some(KeySpec { code, mods })
    }

    /// The key of a terminal event, normalised: Shift is part of the character itself.
    pub fn from_event(event: &KeyEvent) -> KeySpec {
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        if code == KeyCode::BackTab {
            mods = KeyModifiers::NONE;
        }
        KeySpec { code, mods }
    }
}

/// Short for hints (`^S`, `M-x`); with `{:#}` spelled out for sentences (`Ctrl-S`, `Alt-x`).
impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spelled = f.alternate();
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str(if spelled { "Ctrl-" } else { "^" })?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str(if spelled { "Alt-" } else { "M-" })?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

/// One action with its keys and the words that describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The mode it is live in.
    pub mode: Mode,
    /// The action.
    pub action: Action,
    /// Its keys, first one shown in hints.
    pub keys: Vec<KeySpec>,
    /// What it does, for the help overlay.
    pub help: String,
    /// A short label for the key-hint bar, if it has a place there.
    pub hint: Option<String>,
}

/// A keymap that could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    /// The built-in table is malformed (a bug).
    #[error("the built-in keymap is malformed: {0}")]
    Defaults(String),
    /// An override names no action.
    #[error("[keys] `{0}` is not an action; the actions are listed by `?` in the editor")]
    UnknownAction(String),
    /// An override names a key that cannot be read.
    #[error(
        "[keys] {action}: `{key}` is not a key name (examples: q, K, ctrl-s, shift-tab, pgdn, f1)"
    )]
    BadKey {
        /// The action.
        action: String,
        /// The key name.
        key: String,
    },
    /// An override gives an action no key at all.
    #[error("[keys] {0} = []: the action would have no key; list at least one (e.g. [\"ctrl-s\"])")]
    NoKeys(String),
    /// An override gives a key to an action that another action of the same mode has.
    #[error(
        "[keys] `{key}` would be the key of both `{first}` and `{second}` ({mode}); give one of them another key"
    )]
    Clash {
        /// The key, as the help shows it.
        key: String,
        /// The action listed first in the help.
        first: String,
        /// The other action.
        second: String,
        /// The mode's heading in the help.
        mode: &'static str,
    },
}

/// The keys of the text area itself (not in the table: the field handles them), for the help
/// and the README: the keys, then what they do.
pub const TEXT_KEYS: [(&str, &str); 7] = [
    ("← → ↑ ↓", "move the cursor"),
    ("Home ^A  End ^E", "start / end of the line"),
    ("M-b  M-f", "a word back / forward"),
    (
        "Bksp ^H  Del ^D",
        "delete a character before / after the cursor",
    ),
    ("^W  M-d", "delete the word before / after the cursor"),
    ("^K  ^J", "delete to the end / the start of the line"),
    ("^X  ^Y", "cut the selection / paste"),
];

/// The help overlay's width, at most (the screen's, when narrower).
pub const HELP_WIDTH: u16 = 76;

/// One row of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    /// A mode's heading.
    Heading(&'static str),
    /// Keys and what they do.
    Keys(String, String),
    /// Space between two modes.
    Blank,
}

/// The width of the help's keys column: its widest keys.
pub fn help_keys_width(rows: &[HelpRow]) -> usize {
    rows.iter()
        .map(|r| match r {
            HelpRow::Keys(keys, _) => keys.chars().count(),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// What Enter does in a form, for the help and the README.
pub const FORM_ENTER: &str = "in a form, Enter edits the field; on an `id` it renames the item and every reference to it (one undo step)";

/// All bindings, in the order the table lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Keymap {
    /// The default keymap with the user's overrides (`action = [keys]`) applied.
    pub fn new(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, KeymapError> {
        let bad = |what: String| KeymapError::Defaults(what);
        // toml_edit keeps the file's order, which is the order the help lists actions in.
        let doc: toml_edit::DocumentMut = DEFAULTS
            .parse()
            .map_err(|e: toml_edit::TomlError| bad(e.to_string()))?;
        let mut bindings = Vec::new();
        for (mode_name, mode) in [
            ("browse", Mode::Browse),
            ("prefix", Mode::Prefix),
            ("picker", Mode::Picker),
            ("editor", Mode::Editor),
            ("confirm", Mode::Confirm),
            ("conflict", Mode::Conflict),
        ] {
            let section = doc
                .get(mode_name)
                .and_then(|t| t.as_table())
                .ok_or_else(|| bad(format!("no [{mode_name}]")))?;
            for (name, item) in section.iter() {
                let entry = item
                    .as_inline_table()
                    .ok_or_else(|| bad(format!("{name} is not an inline table")))?;
                let action =
                    parse_action(name).ok_or_else(|| bad(format!("unknown action {name}")))?;
                let keys = entry
                    .get("keys")
                    .and_then(|k| k.as_array())
                    .ok_or_else(|| bad(format!("{name}: no keys")))?
                    .iter()
                    .map(|k| {
                        k.as_str()
                            .and_then(KeySpec::parse)
                            .ok_or_else(|| bad(format!("{name}: bad key {k}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let help = entry
                    .get("help")
                    .and_then(|h| h.as_str())
                    .ok_or_else(|| bad(format!("{name}: no help")))?;
                let hint = entry
                    .get("hint")
                    .and_then(|h| h.as_str())
                    .map(str::to_string);
                bindings.push(Binding {
                    mode,
                    action,
                    keys,
                    help: help.to_string(),
                    hint,
                });
            }
        }
        let mut overridden = Vec::new();
        for (name, keys) in overrides {
            let action =
                parse_action(name).ok_or_else(|| KeymapError::UnknownAction(name.clone()))?;
            if keys.is_empty() {
                return Err(KeymapError::NoKeys(name.clone()));
            }
            let mut specs: Vec<KeySpec> = Vec::with_capacity(keys.len());
            for k in keys {
                let spec = KeySpec::parse(k).ok_or_else(|| KeymapError::BadKey {
                    action: name.clone(),
                    key: k.clone(),
                })?;
                if !specs.contains(&spec) {
                    specs.push(spec);
                }
            }
            for binding in bindings.iter_mut().filter(|b| b.action == action) {
                binding.keys = specs.clone();
            }
            overridden.push(action);
        }
        clash(&bindings, &overridden)?;
        Ok(Keymap { bindings })
    }

    /// The action a key triggers in a mode.
    pub fn action(&self, mode: Mode, event: &KeyEvent) -> Option<Action> {
        let key = KeySpec::from_event(event);
        self.bindings
            .iter()
            .find(|b| b.mode == mode && b.keys.contains(&key))
            .map(|b| b.action)
    }

    /// The bindings of a mode, in table order.
    pub fn bindings(&self, mode: Mode) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.mode == mode)
    }

    /// The binding of an action.
    pub fn binding(&self, action: Action) -> Option<&Binding> {
        self.bindings.iter().find(|b| b.action == action)
    }

    /// The first key of an action, spelled out for messages and titles ("Ctrl-S", "y",
    /// "Esc"), so that they name the keys in force.
    pub fn key_name(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map(|k| format!("{k:#}"))
            .unwrap_or_default()
    }

    /// The help's rows: for every mode its heading, then each binding's keys and words (and
    /// the text keys of the editor), then a blank row.
    pub fn help_rows(&self) -> Vec<HelpRow> {
        let mut rows = Vec::new();
        for mode in Mode::ALL {
            rows.push(HelpRow::Heading(mode.title()));
            for b in self.bindings(mode) {
                let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
                rows.push(HelpRow::Keys(keys.join(" "), b.help.clone()));
            }
            if mode == Mode::Browse {
                rows.push(HelpRow::Keys(
                    self.key_name(Action::Open),
                    FORM_ENTER.to_string(),
                ));
            }
            if mode == Mode::Editor {
                for (keys, help) in TEXT_KEYS {
                    rows.push(HelpRow::Keys(keys.to_string(), help.to_string()));
                }
            }
            rows.push(HelpRow::Blank);
        }
        rows
    }

    /// `(y/n)` with the keys of yes and no, to end a question.
    pub fn yes_no(&self) -> String {
        format!(
            "({}/{})",
            self.key_name(Action::Yes),
            self.key_name(Action::No)
        )
    }
}

/// A key that an override gives to two actions of one mode: in that mode the key would
/// always do the first, and the other would be lost without a word.
fn clash(bindings: &[Binding], overridden: &[Action]) -> Result<(), KeymapError> {
    for (i, a) in bindings.iter().enumerate() {
        for b in bindings[i + 1..].iter().filter(|b| b.mode == a.mode) {
            if !(overridden.contains(&a.action) || overridden.contains(&b.action)) {
                continue;
            }
            if let Some(key) = a.keys.iter().find(|k| b.keys.contains(k)) {
                return Err(KeymapError::Clash {
                    key: key.to_string(),
                    first: action_name(a.action),
                    second: action_name(b.action),
                    mode: a.mode.title(),
                });
            }
        }
    }
    Ok(())
}

fn parse_action(name: &str) -> Option<Action> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

/// The name of an action as the config file's `[keys]` writes it.
fn action_name(action: Action) -> String {
    match serde_json::to_value(action) {
        Ok(serde_json::Value::String(name)) => name,
        _ => format!("{action:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_bind_the_expected_keys() {
        let map = Keymap::new(&BTreeMap::new()).unwrap();
        let b = |c: char| map.action(Mode::Browse, &key(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(b('?'), Some(Action::Help));
        assert_eq!(b('q'), Some(Action::Quit));
        assert_eq!(b('j'), Some(Action::Down));
        assert_eq!(b('/'), Some(Action::Search));
        assert_eq!(b(']'), Some(Action::NextDiagnostic));
        assert_eq!(b('m'), Some(Action::ViewMatrix));
        assert_eq!(
            map.action(Mode::Browse, &key(KeyCode::Char('K'), KeyModifiers::SHIFT)),
            Some(Action::MoveUp)
        );
        assert_eq!(
            map.action(
                Mode::Browse,
                &key(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            Some(Action::Save)
        );
        assert_eq!(
            map.action(Mode::Browse, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            map.action(
                Mode::Editor,
                &key(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            Some(Action::CommitMultiline)
        );
        assert_eq!(
            map.action(Mode::Confirm, &key(KeyCode::Char('y'), KeyModifiers::NONE)),
            Some(Action::Yes)
        );
    }

    #[test]
    fn overrides_replace_keys_and_bad_ones_are_named() {
        let mut over = BTreeMap::new();
        over.insert("save".to_string(), vec!["ctrl-w".to_string()]);
        let map = Keymap::new(&over).unwrap();
        assert_eq!(
            map.action(
                Mode::Browse,
                &key(KeyCode::Char('w'), KeyModifiers::CONTROL)
            ),
            Some(Action::Save)
        );
        assert_eq!(
            map.action(
                Mode::Browse,
                &key(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            None
        );
        over.insert("sav".to_string(), vec!["x".to_string()]);
        assert!(matches!(
            Keymap::new(&over),
            Err(KeymapError::UnknownAction(_))
        ));
        let mut bad = BTreeMap::new();
        bad.insert("quit".to_string(), vec!["ctrl-".to_string()]);
        assert!(matches!(Keymap::new(&bad), Err(KeymapError::BadKey { .. })));
    }

    #[test]
    fn an_override_that_takes_another_actions_key_or_no_key_is_refused() {
        let one = |action: &str, keys: &[&str]| {
            BTreeMap::from([(
                action.to_string(),
                keys.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            )])
        };
        let err = Keymap::new(&one("save", &["q"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "[keys] `q` would be the key of both `quit` and `save` (Browsing); give one of them another key"
        );
        assert!(matches!(
            Keymap::new(&one("save", &[])),
            Err(KeymapError::NoKeys(_))
        ));
        // Keys of other modes may be the same (`y` answers a question and confirms a link).
        assert!(Keymap::new(&one("yes", &["y", "Y"])).is_ok());
        let twice = Keymap::new(&one("save", &["ctrl-s", "ctrl-s"])).unwrap();
        assert_eq!(twice.binding(Action::Save).map(|b| b.keys.len()), Some(1));
        // Swapping two actions' keys is one override each, and no clash.
        let mut swap = one("quit", &["ctrl-s"]);
        swap.insert("save".to_string(), vec!["q".to_string()]);
        assert!(Keymap::new(&swap).is_ok());
    }

    #[test]
    fn every_action_is_bound_once() {
        let map = Keymap::new(&BTreeMap::new()).unwrap();
        let mut seen = std::collections::HashSet::new();
        for b in &map.bindings {
            assert!(seen.insert(b.action), "{:?} twice", b.action);
            assert!(!b.keys.is_empty() && !b.help.is_empty());
        }
    }
}
