//! The terminal and the event loop: open a plan (or the file picker), draw, read keys, update,
//! perform effects. The loop is generic over the backend so that tests drive it with
//! `TestBackend`.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use signal_hook::consts::{SIGHUP, SIGTERM};

use super::app::{App, FileList, Panes, Screen};
use super::files;
use super::keymap::{Keymap, KeymapError};
use super::loading;
use super::update::{Effect, handle_key, handle_mouse};
use super::view;
use crate::check::Settings;
use crate::config::Config;
use crate::env::Env;
use crate::store::recovery::write_recovery;
use crate::store::{FileSystem, OsFs, StoreError, panic};

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

/// Builds the editor for a plan file (or, with `None`, for the plan `files` to choose from).
pub fn app(
    fs: Arc<dyn FileSystem>,
    path: Option<&Path>,
    files: Vec<PathBuf>,
    env: &Env,
    config: &Config,
    settings: Settings,
) -> Result<App, StartError> {
    let keymap = Keymap::new(&config.keys)?;
    let screen = match path {
        Some(path) => loading::open(&fs, path, &settings, &keymap)?,
        None => Screen::Files(FileList {
            files,
            selected: 0,
            message: None,
        }),
    };
    Ok(App {
        keymap,
        mono: env.no_color || config.mono == Some(true),
        settings,
        env: env.clone(),
        export_dir: config.export_dir.clone(),
        fs,
        snapshot: Arc::new(Mutex::new(None)),
        screen,
        should_quit: false,
        since: None,
        mouse: config.mouse().value,
        panes: Panes::default(),
        last_click: None,
    })
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
        Effect::Quit => files::quit(app),
        Effect::Save => {
            files::save(app, true);
        }
        Effect::SaveAndQuit => {
            if files::save(app, true) {
                files::quit(app);
            }
        }
        Effect::Overwrite => {
            files::save(app, false);
        }
        Effect::SaveAs(path) => files::save_as(app, path),
        Effect::Restore(bytes) => files::restore(app, bytes),
        Effect::DiscardRecovery => files::discard_recovery(app),
        Effect::Unresolve => files::unresolve(app),
        Effect::Open(path) => loading::reopen(app, &path),
        Effect::Reload | Effect::ReloadFromDisk => {
            if matches!(effect, Effect::ReloadFromDisk) {
                // The planner chose to lose the unsaved edits: nothing offers them again.
                files::drop_recovery(app);
            }
            let path = match &app.screen {
                Screen::Broken(b) => b.path.clone(),
                Screen::Edit(s) => s.path.clone(),
                Screen::Conflicts(c) => c.path.clone(),
                Screen::Files(_) | Screen::Loading(_) => return,
            };
            loading::reopen(app, &path);
        }
        Effect::Export {
            format,
            force,
            draft,
        } => super::export::run(app, &format, force, draft),
    }
}

/// How long the loop has to end by itself once asked to stop, before the watch steps in.
const STOP_GRACE: Duration = Duration::from_secs(1);

/// Watches, on a thread of its own, for a stop the loop cannot see: on a terminal that has
/// hung up, crossterm's poll may never return. The unsaved edits (the panic hook's snapshot)
/// then go to the recovery file and the process ends; its editing lock is taken over later,
/// its owner gone.
fn watch_for_a_stuck_stop(
    stop: &Arc<AtomicBool>,
    done: &Arc<AtomicBool>,
    snapshot: &Arc<Mutex<Option<panic::Snapshot>>>,
) {
    let (stop, done, snapshot) = (Arc::clone(stop), Arc::clone(done), Arc::clone(snapshot));
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(POLL);
        }
        std::thread::sleep(STOP_GRACE);
        if done.load(Ordering::Relaxed) {
            return;
        }
        if let Some(s) = snapshot.lock().ok().and_then(|s| s.clone()) {
            let _ = write_recovery(&OsFs, &s.plan, &s.bytes(), s.clearance);
        }
        std::process::exit(1);
    });
}

/// One step of input: a terminal event, nothing for a while, or the end of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A terminal event.
    Event(Event),
    /// Nothing happened for a moment: time for periodic work.
    Idle,
    /// No more input (the end of a scripted test).
    End,
}

/// Draws and handles events until the user quits, doing the periodic work (recovery file,
/// changes on disk) between events. `next_input` waits at most the time it is given.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut next_input: impl FnMut(Duration) -> io::Result<Input>,
) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    loop {
        let frame = terminal
            .draw(|frame| view::draw(frame, app))
            .map_err(io::Error::other)?
            .area;
        // The mouse is hit-tested against what was just drawn.
        app.panes = match &app.screen {
            Screen::Edit(s) => view::layout::panes(frame, s),
            _ => Panes::default(),
        };
        if app.should_quit {
            return Ok(());
        }
        // While a plan opens, the loop looks for it often, so that it is taken when ready.
        let wait = match app.screen {
            Screen::Loading(_) => LOADING_POLL,
            _ => POLL,
        };
        match next_input(wait)? {
            Input::End => return Ok(()),
            Input::Event(Event::Key(key)) => {
                for effect in handle_key(app, key) {
                    perform(app, effect);
                }
            }
            Input::Event(Event::Mouse(mouse)) if app.mouse => {
                for effect in handle_mouse(app, mouse, Instant::now()) {
                    perform(app, effect);
                }
            }
            // A resize is handled by the next draw.
            Input::Event(_) | Input::Idle => {}
        }
        loading::poll(app);
        files::tick(app, Instant::now());
    }
}

/// How long the editor waits for a key before doing its periodic work.
const POLL: Duration = Duration::from_millis(250);
/// How long it waits while a plan opens in the background.
const LOADING_POLL: Duration = Duration::from_millis(5);

/// Runs the editor in the real terminal. A panic restores the terminal, writes the unsaved
/// edits to the recovery file, and says where they are.
pub fn run(mut app: App) -> io::Result<()> {
    let mut terminal = ratatui::init();
    let mouse = app.mouse;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    // The terminal is given back as it was, the mouse included, on a panic as on quitting.
    let restore = move || {
        if mouse {
            // Nothing more can be done about a terminal that refuses.
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        ratatui::restore();
    };
    let snapshot = app.snapshot.clone();
    panic::install_panic_hook(
        move || snapshot.try_lock().ok().and_then(|s| s.clone()),
        restore,
    );
    // A closed terminal (SIGHUP) or a request to stop (SIGTERM) ends the loop; the unsaved
    // edits are then kept in the recovery file and the editing lock let go.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGHUP, SIGTERM] {
        let _ = signal_hook::flag::register(signal, Arc::clone(&stop));
    }
    let done = Arc::new(AtomicBool::new(false));
    watch_for_a_stuck_stop(&stop, &done, &app.snapshot);
    let result = event_loop(&mut terminal, &mut app, |wait| {
        if stop.load(Ordering::Relaxed) {
            return Ok(Input::End);
        }
        Ok(if event::poll(wait)? {
            Input::Event(event::read()?)
        } else {
            Input::Idle
        })
    });
    if stop.load(Ordering::Relaxed) {
        files::keep_unsaved(&mut app);
    }
    done.store(true, Ordering::Relaxed);
    restore();
    result
}
