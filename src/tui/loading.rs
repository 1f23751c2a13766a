//! Opening a large plan in the background: the file is read at once (a missing or unreadable
//! file is said before the terminal is taken), then parsed and checked on another thread
//! while the editor shows what it is opening and for how long, so that a planner never
//! looks at a blank terminal; the plan is taken as soon as it is ready. Reopening (from the
//! file list, or after a reload) goes the same way.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, TryRecvError};
use std::time::{Instant, SystemTime};

use super::app::{App, FileList, Loading, Screen};
use super::files;
use super::keymap::Keymap;
use crate::check::Settings;
use crate::store::{FileSystem, StoreError};

/// Plans at least this large open in the background; smaller ones are ready sooner than a
/// frame would be worth drawing.
pub const BACKGROUND_BYTES: usize = 512 * 1024;

/// Opens a plan: at once when it is small, else in the background (the screen is then
/// [`Screen::Loading`] until [`poll`] takes the result).
pub fn open(
    fs: &Arc<dyn FileSystem>,
    path: &Path,
    settings: &Settings,
    keymap: &Keymap,
) -> Result<Screen, StoreError> {
    // Taken before the bytes are read, so that a change while they are read shows later.
    let stamp = files::stamp(fs.as_ref(), path);
    let bytes = files::read(fs, path)?;
    if bytes.len() < BACKGROUND_BYTES {
        // Its document is parsed about as soon as its check: the editor opens with both.
        let mut screen = files::open_bytes(fs, path, &bytes, settings, keymap)?;
        files::take_document(&mut screen, true);
        return Ok(stamped(screen, stamp));
    }
    let size = bytes.len();
    let (send, result) = mpsc::channel();
    let (fs, owned, settings, keymap) = (fs.clone(), path.to_path_buf(), *settings, keymap.clone());
    std::thread::Builder::new()
        .name("scplan-open".to_string())
        .spawn(move || {
            // The editor may have quit meanwhile: then nobody waits for the plan.
            let opened = files::open_bytes(&fs, &owned, &bytes, &settings, &keymap);
            let _ = send.send(opened.map(|screen| stamped(screen, stamp)));
        })
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(Screen::Loading(Loading {
        path: path.to_path_buf(),
        size,
        started: Instant::now(),
        result,
    }))
}

/// A plan just opened, with the size and time of last change its file had when read: the
/// first look at the file on disk then compares only those, without reading it again.
fn stamped(mut screen: Screen, stamp: Option<(u64, SystemTime)>) -> Screen {
    if let Screen::Edit(s) = &mut screen {
        s.disk.stamp = stamp;
    }
    screen
}

/// Takes the plan opened in the background once it is ready.
pub fn poll(app: &mut App) {
    take(app, false);
}

/// Waits for the plan opened in the background and takes it, its document too (for tests
/// and benches, which have no event loop to poll from).
pub fn wait(app: &mut App) {
    take(app, true);
    files::take_document(&mut app.screen, true);
}

/// Takes the plan opened in the background: when it is ready, or once it is (`block`).
fn take(app: &mut App, block: bool) {
    let Screen::Loading(loading) = &app.screen else {
        return;
    };
    let received = if block {
        loading
            .result
            .recv()
            .map_err(|_| TryRecvError::Disconnected)
    } else {
        loading.result.try_recv()
    };
    let opened = match received {
        Ok(opened) => opened,
        Err(TryRecvError::Empty) => return,
        // The thread ended without sending: the open panicked.
        Err(TryRecvError::Disconnected) => Err(StoreError::Io {
            path: loading.path.clone(),
            source: std::io::Error::other("opening the plan failed unexpectedly"),
        }),
    };
    let path = loading.path.clone();
    app.screen = opened.unwrap_or_else(|err| files::not_opened(path, err.to_string()));
}

/// Reopens `path` (after a reload or from the file list), replacing the screen.
pub fn reopen(app: &mut App, path: &Path) {
    // The old session (and its lock) goes before the file is opened again.
    app.screen = Screen::Files(FileList {
        files: Vec::new(),
        selected: 0,
        message: None,
    });
    app.screen = open(&app.fs, path, &app.settings, &app.keymap)
        .unwrap_or_else(|err| files::not_opened(path.to_path_buf(), err.to_string()));
}
