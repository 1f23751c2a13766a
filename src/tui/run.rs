//! The terminal and the event loop: open a plan (or the file picker), draw, read keys, update,
//! perform effects. The loop is generic over the backend so that tests drive it with
//! `TestBackend`.

use std::io;
use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};

use super::app::{App, Broken, FileList, Screen, Session};
use super::keymap::{Keymap, KeymapError};
use super::update::{Effect, handle_key};
use super::view;
use crate::check::{Settings, check_text};
use crate::config::Config;
use crate::env::Env;
use crate::plan::document::{DocumentError, PlanDocument};
use crate::plan::source::{self, DecodeError};
use crate::store::{self, StoreError};

/// Why the editor could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The plan file could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The keymap overrides of the config file are wrong.
    #[error("config file: {0}")]
    Keymap(#[from] KeymapError),
}

/// Builds the editor for a plan file (or, with `None`, for the files in `dir`).
pub fn app(
    path: Option<&Path>,
    files: Vec<PathBuf>,
    env: &Env,
    config: &Config,
    settings: Settings,
) -> Result<App, StartError> {
    let keymap = Keymap::new(&config.keys)?;
    let screen = match path {
        Some(path) => open(path, &settings)?,
        None => Screen::Files(FileList { files, selected: 0 }),
    };
    Ok(App {
        keymap,
        mono: env.no_color || config.mono == Some(true),
        settings,
        env: env.clone(),
        export_dir: config.export_dir.clone(),
        screen,
        should_quit: false,
    })
}

/// Reads a plan: the editor when it parses, the error screen when it does not.
pub fn open(path: &Path, settings: &Settings) -> Result<Screen, StoreError> {
    let bytes = store::read_plan(path)?;
    let broken = |text: String| {
        let checked = check_text(text.clone(), settings);
        checked.diagnostics.into_iter().next().map(|diagnostic| {
            Screen::Broken(Broken {
                path: path.to_path_buf(),
                diagnostic,
                text,
            })
        })
    };
    match PlanDocument::from_bytes(&bytes) {
        Ok(doc) => Ok(Screen::Edit(Box::new(Session::new(
            path.to_path_buf(),
            doc,
            settings,
        )))),
        Err(DocumentError::Syntax { .. }) => {
            let text = source::decode(&bytes).map(|(t, _)| t).unwrap_or_default();
            Ok(broken(text).unwrap_or(Screen::Files(FileList {
                files: Vec::new(),
                selected: 0,
            })))
        }
        Err(DocumentError::Decode(DecodeError::InvalidUtf8(loc))) => {
            let diagnostic = crate::check::diagnostic::Diagnostic::new(
                "SCP001",
                "plan",
                loc,
                "the file is not valid UTF-8".to_string(),
            )
            .with_help("save the file as UTF-8");
            Ok(Screen::Broken(Broken {
                path: path.to_path_buf(),
                diagnostic,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }))
        }
        Err(DocumentError::Decode(DecodeError::TooLarge(size))) => Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            size,
        }),
    }
}

/// The `*.toml` files of the current folder and of `plans/` in it.
pub fn plan_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in [dir.to_path_buf(), dir.join("plans")] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.strip_prefix(dir).map(Path::to_path_buf).unwrap_or(p))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// Performs what an update asked for.
pub fn perform(app: &mut App, effect: Effect) {
    match effect {
        Effect::Quit => app.should_quit = true,
        Effect::Save | Effect::SaveAndQuit => {
            let Screen::Edit(s) = &mut app.screen else {
                return;
            };
            match store::write_atomic(&s.path, &s.doc.to_bytes(), false) {
                Ok(()) => {
                    s.saved_depth = Some(s.undo.len());
                    s.say(format!("saved {}", s.path.display()));
                    if effect == Effect::SaveAndQuit {
                        app.should_quit = true;
                    }
                }
                Err(err) => s.warn(format!("not saved (your edits are kept): {err}")),
            }
        }
        Effect::Open(path) => reopen(app, &path),
        Effect::Reload => {
            if let Screen::Broken(b) = &app.screen {
                let path = b.path.clone();
                reopen(app, &path);
            }
        }
        Effect::Export {
            format,
            force,
            draft,
        } => super::export::run(app, &format, force, draft),
    }
}

fn reopen(app: &mut App, path: &Path) {
    match open(path, &app.settings) {
        Ok(screen) => app.screen = screen,
        Err(err) => {
            if let Screen::Edit(s) = &mut app.screen {
                s.warn(err.to_string());
            }
        }
    }
}

/// Draws and handles events until the user quits. `next_event` yields terminal events
/// (`None` ends the loop, as at the end of a scripted test).
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut next_event: impl FnMut() -> io::Result<Option<Event>>,
) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    loop {
        terminal
            .draw(|frame| view::draw(frame, app))
            .map_err(io::Error::other)?;
        if app.should_quit {
            return Ok(());
        }
        match next_event()? {
            None => return Ok(()),
            Some(Event::Key(key)) => {
                for effect in handle_key(app, key) {
                    perform(app, effect);
                }
            }
            // A resize is handled by the next draw.
            Some(_) => {}
        }
    }
}

/// Runs the editor in the real terminal.
pub fn run(mut app: App) -> io::Result<()> {
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, &mut app, || event::read().map(Some));
    ratatui::restore();
    result
}
