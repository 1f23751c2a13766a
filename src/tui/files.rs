//! The editor and the file system: opening a plan (stale temporary files cleaned, the lock
//! taken or the plan opened read-only, a recovery file offered), saving it (atomically, never
//! over a file changed on disk or one without its owner's write permission without asking),
//! the recovery file kept current, changes on disk noticed, and a clean quit.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::action::Action;
use super::app::{App, Broken, Confirm, FileList, Modal, Pending, Screen, Session};
use super::editing_lock::{refused, take_lock};
use super::keymap::Keymap;
use super::prompts;
use crate::check::diagnostic::Diagnostic;
use crate::check::live::LivePlan;
use crate::check::{Clearance, Settings, check_text};
use crate::plan::document::{DocumentError, PlanDocument};
use crate::plan::source::{self, DecodeError};
use crate::store::panic::Snapshot;
use crate::store::recovery::{
    DiskSince, pending_recovery, remove_recovery, write_recovery, write_recovery_base,
};
use crate::store::{self, ContentHash, FileSystem, Lock, SaveOptions, StoreError, changed_on_disk};

/// How long after the last change the recovery file is written.
pub const RECOVERY_DELAY: Duration = Duration::from_millis(1500);
/// How often the file on disk is compared with what was loaded.
pub const DISK_CHECK_EVERY: Duration = Duration::from_secs(2);

/// Reads a plan's bytes, the stale temporary files of an interrupted save removed first.
pub fn read(fs: &Arc<dyn FileSystem>, path: &Path) -> Result<Vec<u8>, StoreError> {
    // Left by a crash in the middle of a save; never the plan itself.
    let _ = store::clean_stale_temps(fs.as_ref(), path);
    store::read_plan(fs.as_ref(), path)
}

/// The size and time of last change of the file at `path`, which tell whether it may have
/// changed since it was last read (`None`: it cannot be told).
pub fn stamp(fs: &dyn FileSystem, path: &Path) -> Option<(u64, SystemTime)> {
    let meta = fs.metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// Opens a plan from the bytes its file was read as: the editor when it parses, the error
/// screen when it does not. The keymap names the keys of the question about a recovery file.
pub fn open_bytes(
    fs: &Arc<dyn FileSystem>,
    path: &Path,
    bytes: &[u8],
    settings: &Settings,
    keymap: &Keymap,
) -> Result<Screen, StoreError> {
    let broken = |diagnostic: Diagnostic, text: String| {
        Screen::Broken(Broken {
            path: path.to_path_buf(),
            diagnostic,
            text,
        })
    };
    // The hash (a pass over the whole file) and the editing lock (a file written and synced)
    // are made while the plan is parsed; a plan that does not open lets the lock go.
    let aside = || (ContentHash::of(bytes), take_lock(fs, path));
    let (opened, (hash, lock)) = std::thread::scope(|scope| {
        let made = scope.spawn(aside);
        let opened = LivePlan::begin(bytes, settings);
        (opened, made.join().unwrap_or_else(|_| aside()))
    });
    let (live, parsing) = match opened {
        Ok(opened) => opened,
        Err(DocumentError::Syntax { .. }) => {
            // The conflicts screen takes the lock for itself.
            drop(lock);
            if let Some(screen) = super::conflict::screen(fs, path, bytes) {
                return Ok(screen);
            }
            let text = source::decode(bytes).map(|(t, _)| t).unwrap_or_default();
            let checked = check_text(text.clone(), settings);
            return Ok(match checked.diagnostics.into_iter().next() {
                Some(d) => broken(d, text),
                None => Screen::Files(FileList {
                    files: Vec::new(),
                    selected: 0,
                    message: None,
                }),
            });
        }
        Err(DocumentError::Decode(DecodeError::InvalidUtf8(loc))) => {
            let d = crate::check::utf8_diagnostic(loc);
            return Ok(broken(d, String::from_utf8_lossy(bytes).into_owned()));
        }
        Err(DocumentError::Decode(DecodeError::TooLarge(size))) => {
            return Err(StoreError::TooLarge {
                path: path.to_path_buf(),
                size,
            });
        }
    };
    let mut session = Session::opening(path.to_path_buf(), live, parsing, hash);
    session.disk.mixed_ends = source::mixed_ends(bytes).then(|| bytes.into());
    match lock {
        Ok(lock) => session.lock = Some(lock),
        Err(why) => {
            session.warn(why.clone());
            session.read_only = Some(why);
        }
    }
    if session.read_only.is_none() && unwritable(fs.as_ref(), path) {
        // Said at once, not at the first save: the edits will go under another name.
        session.disk.unwritable = true;
        session.warn(format!(
            "{} may not be written (its permissions are read-only): edit on, and a save asks for another name",
            session.file_name()
        ));
    }
    if session.read_only.is_none()
        && let Ok(Some(pending)) = pending_recovery(fs.as_ref(), path, bytes)
    {
        let shown = crate::text::first_of(&pending.changes, 6, "; ");
        let since = match pending.disk {
            DiskSince::Unchanged => String::new(),
            DiskSince::Merged => {
                " The plan changed on disk since; the edits are merged onto those changes by id."
                    .to_string()
            }
            DiskSince::Conflicts(n) => format!(
                " The plan changed on disk since, and {n} of the edits conflict with those changes: restoring puts the edits over them and undoes them."
            ),
        };
        session.modal = Some(Modal::Confirm(Box::new(Confirm {
            question: format!(
                "Unsaved edits of {} were kept after scplan stopped ({}): {shown}.{since} {}: restore them, {}: discard them",
                session.file_name(),
                pending.path.display(),
                keymap.key_name(Action::Yes),
                keymap.key_name(Action::No),
            ),
            yes: Pending::Restore(pending.bytes),
            no: Some(Pending::DiscardRecovery),
            back: None,
            labels: Some(["restore", "discard"]),
        })));
    }
    Ok(Screen::Edit(Box::new(session)))
}

/// Takes the open plan's document once it is parsed on its core (see
/// [`Session::take_document`]): waiting for it when `wait`, else only when it is done. A
/// document that could not be read after all ends the session with its syntax error.
pub fn take_document(screen: &mut Screen, wait: bool) {
    let Screen::Edit(s) = screen else {
        return;
    };
    if let Err(err) = s.take_document(wait) {
        *screen = unreadable(s, &err);
    }
}

/// The screen for a plan whose check read it but whose document could not be made: the
/// document's error, as the error screen shows a plan that does not parse.
fn unreadable(s: &Session, err: &DocumentError) -> Screen {
    let text = s.live.text().to_string();
    match crate::check::load_editing(&text) {
        Err(diagnostic) => Screen::Broken(Broken {
            path: s.path.clone(),
            diagnostic: *diagnostic,
            text,
        }),
        Ok(_) => not_opened(s.path.clone(), err.to_string()),
    }
}

/// The file list offering `path` again, with why it could not be opened.
pub fn not_opened(path: PathBuf, why: String) -> Screen {
    Screen::Files(FileList {
        files: vec![path],
        selected: 0,
        message: Some(why),
    })
}

/// Saves the plan; `expect_unchanged` refuses to overwrite a file changed on disk (the user
/// is then asked). Returns whether the plan is saved.
pub fn save(app: &mut App, expect_unchanged: bool) -> bool {
    let fs = app.fs.clone();
    let Screen::Edit(s) = &mut app.screen else {
        return false;
    };
    if let Some(why) = &s.read_only {
        let why = why.clone();
        s.warn(refused(&why));
        prompts::save_as(s);
        return false;
    }
    let bytes = file_bytes(s);
    let options = SaveOptions {
        create_new: false,
        expect: expect_unchanged.then_some(s.disk.loaded),
        new_mode: None,
    };
    // The hash of what is saved, for noticing later changes on disk, is made while it is
    // written.
    match store::save_and_hash(fs.as_ref(), &s.path, &bytes, options) {
        Ok((report, hash)) => {
            saved(fs.as_ref(), s, hash, &report.notes);
            forget_snapshot(app);
            true
        }
        Err(StoreError::ChangedOnDisk { .. }) => {
            s.disk.changed = true;
            s.disk.gone = gone(fs.as_ref(), &s.path);
            prompts::on_disk(s);
            false
        }
        Err(StoreError::ReadOnly { .. }) => {
            s.warn(format!(
                "not saved: {} is read-only (its owner may not write it); your edits are kept",
                s.file_name()
            ));
            prompts::save_as(s);
            false
        }
        Err(err) => {
            s.warn(format!("not saved (your edits are kept): {err}"));
            false
        }
    }
}

/// Saves the plan as a new file and goes on editing that one.
pub fn save_as(app: &mut App, path: PathBuf) {
    let fs = app.fs.clone();
    let Screen::Edit(s) = &mut app.screen else {
        return;
    };
    let bytes = file_bytes(s);
    match store::save_and_hash(
        fs.as_ref(),
        &path,
        &bytes,
        SaveOptions {
            create_new: true,
            expect: None,
            new_mode: Some(store::derived_mode(fs.as_ref(), &s.path)),
        },
    ) {
        Ok((report, hash)) => {
            let _ = remove_recovery(fs.as_ref(), &s.path);
            s.lock = None;
            s.path = path;
            s.read_only = None;
            s.disk.unwritable = unwritable(fs.as_ref(), &s.path);
            match Lock::acquire(fs.clone(), &s.path) {
                Ok(lock) => s.lock = Some(lock),
                Err(err) => s.read_only = Some(err.to_string()),
            }
            saved(fs.as_ref(), s, hash, &report.notes);
            forget_snapshot(app);
        }
        Err(err) => s.warn(format!("not saved (your edits are kept): {err}")),
    }
}

/// What the plan's file is to hold: the editor's text, which is the document's printed text
/// after every change, in the file's layout (printing a large document again would take most
/// of a save).
fn file_bytes(s: &Session) -> Vec<u8> {
    let bytes = store::file_bytes(s.live.text(), s.doc.layout());
    // The document writes one kind of line end; the text keeps a mixed file's as found.
    debug_assert!(
        bytes == source::line_ends_like(&[&bytes], s.doc.to_bytes()),
        "the editor's text is not its document's"
    );
    // A part edited is printed with one kind: its lines the file has keep theirs.
    match &s.disk.mixed_ends {
        Some(model) => source::line_ends_like(&[model], bytes),
        None => bytes,
    }
}

/// Whether the file is no longer there.
fn gone(fs: &dyn FileSystem, path: &Path) -> bool {
    matches!(fs.exists(path), Ok(false))
}

/// Whether the file's permissions let no one write it.
fn unwritable(fs: &dyn FileSystem, path: &Path) -> bool {
    fs.metadata(path)
        .is_ok_and(|meta| meta.permissions().readonly())
}

/// Nothing unsaved is left for the panic hook to keep.
fn forget_snapshot(app: &App) {
    if let Ok(mut shared) = app.snapshot.lock() {
        *shared = None;
    }
}

fn saved(fs: &dyn FileSystem, s: &mut Session, hash: ContentHash, notes: &[String]) {
    s.disk.loaded = hash;
    s.saved_depth = Some(s.undo.len());
    s.recovery.written = s.recovery.revision;
    s.disk.changed = false;
    s.disk.gone = false;
    if remove_recovery(fs, &s.path).is_ok() {
        s.recovery.on_disk = false;
    }
    s.recovery.base_written = false;
    // Saved, the resolution is the plan on disk: undo no longer goes back to the conflicts.
    s.conflicts = None;
    let mut message = format!("saved {}", s.path.display());
    for note in notes {
        message.push_str(&format!("; note: {note}"));
    }
    s.say(message);
}

/// Replaces the plan being edited with the recovery file's content (unsaved, undoable by
/// reloading).
pub fn restore(app: &mut App, bytes: Vec<u8>) {
    let settings = app.settings;
    let Screen::Edit(s) = &mut app.screen else {
        return;
    };
    match PlanDocument::from_bytes(&bytes) {
        Ok(doc) => {
            s.replace_document(doc, &settings);
            s.undo.clear();
            s.redo.clear();
            // What is on disk is not what is shown: the restored edits are unsaved.
            s.saved_depth = None;
            let save = app.keymap.key_name(Action::Save);
            s.say(format!("restored the unsaved edits; save them with {save}"));
        }
        Err(err) => s.warn(format!(
            "the recovery file is not a readable plan ({err}); it is left in place"
        )),
    }
}

/// Deletes the recovery file.
pub fn discard_recovery(app: &mut App) {
    let fs = app.fs.clone();
    if let Screen::Edit(s) = &mut app.screen {
        match remove_recovery(fs.as_ref(), &s.path) {
            Ok(()) => s.say("discarded the recovery file"),
            Err(err) => s.warn(err.to_string()),
        }
    }
}

/// Goes back from the plan just resolved to its conflict view, the last resolution undone
/// (the plan has no edit of its own yet, and is not saved): the lock goes back with it.
pub fn unresolve(app: &mut App) {
    drop_recovery(app);
    let Screen::Edit(s) = &mut app.screen else {
        return;
    };
    let Some(mut c) = s.conflicts.take() else {
        return;
    };
    c.lock = s.lock.take();
    c.read_only = s.read_only.take();
    c.undo_last();
    c.message = Some(("undone: the conflict is open again".to_string(), false));
    app.screen = Screen::Conflicts(c);
}

/// Removes the recovery file of the plan being edited, when this session may write it.
pub fn drop_recovery(app: &mut App) {
    let fs = app.fs.clone();
    if let Screen::Edit(s) = &mut app.screen
        && s.read_only.is_none()
        && remove_recovery(fs.as_ref(), &s.path).is_ok()
    {
        s.recovery.on_disk = false;
    }
}

/// Writes the unsaved edits to the recovery file at once (the editor is being stopped: the
/// next open offers them).
pub fn keep_unsaved(app: &mut App) {
    let now = Instant::now();
    tick(app, now.checked_add(RECOVERY_DELAY).unwrap_or(now));
}

/// Ends the session cleanly: no recovery file is left, the lock goes with the session.
pub fn quit(app: &mut App) {
    let fs = app.fs.clone();
    if let Screen::Edit(s) = &app.screen
        && s.read_only.is_none()
    {
        let _ = remove_recovery(fs.as_ref(), &s.path);
    }
    forget_snapshot(app);
    app.should_quit = true;
}

/// Writes the plan on disk beside the recovery file as the base of the unsaved edits, when it
/// is still what was loaded or last saved (else the base is unknown: none is written).
/// Returns whether it is written.
fn write_base(fs: &dyn FileSystem, s: &Session, clearance: Clearance) -> bool {
    let Ok(bytes) = store::read_plan(fs, &s.path) else {
        return false;
    };
    ContentHash::of(&bytes) == s.disk.loaded
        && write_recovery_base(fs, &s.path, &bytes, clearance).is_ok()
}

/// The periodic work of the editor at time `now`: the recovery file written a moment after
/// the last change, the panic hook's snapshot kept current, the file on disk compared with
/// what was loaded.
pub fn tick(app: &mut App, now: Instant) {
    take_document(&mut app.screen, false);
    let fs = app.fs.clone();
    let Screen::Edit(s) = &mut app.screen else {
        return;
    };
    if s.read_only.is_none() && s.recovery.snapshot != s.recovery.revision {
        // The panic hook saves what is on screen now, not what the recovery file last got.
        s.recovery.snapshot = s.recovery.revision;
        let snapshot = s.modified().then(|| Snapshot {
            plan: s.path.clone(),
            text: s.live.text().clone(),
            layout: s.doc.layout(),
            clearance: Clearance::of(&s.live.diagnostics),
        });
        if let Ok(mut shared) = app.snapshot.lock() {
            *shared = snapshot;
        }
    }
    let due = s
        .recovery
        .last_change
        .is_some_and(|t| now >= t + RECOVERY_DELAY);
    if s.read_only.is_none() && s.modified() && s.recovery.written != s.recovery.revision && due {
        let (bytes, clearance) = match app.snapshot.lock().ok().and_then(|shared| shared.clone()) {
            Some(snapshot) => (snapshot.bytes(), snapshot.clearance),
            None => (file_bytes(s), Clearance::of(&s.live.diagnostics)),
        };
        if !s.recovery.base_written {
            s.recovery.base_written = write_base(fs.as_ref(), s, clearance);
        }
        match write_recovery(fs.as_ref(), &s.path, &bytes, clearance) {
            Ok(_) => {
                s.recovery.written = s.recovery.revision;
                s.recovery.on_disk = true;
            }
            Err(StoreError::AboveSystemHigh { .. }) => {
                s.recovery.written = s.recovery.revision;
                if !s.recovery.unavailable {
                    s.recovery.unavailable = true;
                    s.warn(
                        "no recovery file: the plan is marked above the system high; save often",
                    );
                }
            }
            Err(err) => {
                // Tried again after the next change, not on every tick: a save's own error
                // on the same full disk stays on screen.
                s.recovery.written = s.recovery.revision;
                if !s.message.as_ref().is_some_and(|(_, problem)| *problem) {
                    s.warn(format!("the recovery file could not be written: {err}"));
                }
            }
        }
    }
    // Undone back to what is saved: the recovery file would only bring back edits undone.
    if s.recovery.on_disk && !s.modified() && remove_recovery(fs.as_ref(), &s.path).is_ok() {
        s.recovery.on_disk = false;
        s.recovery.written = s.recovery.revision;
    }
    if s.disk
        .last_check
        .is_none_or(|t| now >= t + DISK_CHECK_EVERY)
    {
        s.disk.last_check = Some(now);
        // The content is read and hashed only when the size or the time of the last change
        // differ from when it last matched (a large plan takes a while to hash).
        let stamp = stamp(fs.as_ref(), &s.path);
        if !s.disk.changed && (stamp.is_none() || stamp != s.disk.stamp) {
            match changed_on_disk(fs.as_ref(), &s.path, &s.disk.loaded) {
                Ok(true) => {
                    s.disk.changed = true;
                    s.disk.gone = gone(fs.as_ref(), &s.path);
                    s.warn(format!(
                        "{} {} since you opened it; {} asks what to do",
                        s.file_name(),
                        prompts::what_happened(s),
                        app.keymap.key_name(Action::Save)
                    ));
                }
                Ok(false) => s.disk.stamp = stamp,
                Err(_) => {}
            }
        }
    }
}
