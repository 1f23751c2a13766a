//! Never losing a planner's work: atomic saves (mode, links, extended attributes, the owner
//! write bit, changes on disk, stale temporary files), saves through an injected file system
//! that fails (a read-only folder, a full disk, another writer), `scplan set` against locks and
//! read-only plans, and a crash that leaves a recovery file which is offered and restored.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

mod common;
use common::faulty::{Fault, Faulty};

use scplan::check::Clearance;
use scplan::store::lock::LockHolder;
use scplan::store::panic::{Snapshot, install_panic_hook};
use scplan::store::recovery::{pending_recovery, read_recovery, remove_recovery, write_recovery};
use scplan::store::{self, ContentHash, Lock, OsFs, SaveOptions, StoreError, process, sidecar};

const SAMPLE: &str = "plans/eucom-sample.toml";

/// A folder holding a copy of the sample plan, and the plan's path.
fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eucom.toml");
    fs::copy(SAMPLE, &path).unwrap();
    (dir, path)
}

/// A folder holding a plan `p.toml` with `text`, and the plan's path.
fn plan_holding(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    fs::write(&path, text).unwrap();
    (dir, path)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The id of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn replaces_keeping_the_mode_and_refuses_existing_when_new() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    let new = SaveOptions {
        create_new: true,
        ..SaveOptions::default()
    };
    store::save(&OsFs, &path, b"one", new).unwrap();
    assert!(matches!(
        store::save(&OsFs, &path, b"two", new),
        Err(StoreError::Exists { .. })
    ));
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let report = store::save(&OsFs, &path, b"two", SaveOptions::default()).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"two");
    assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
    assert_eq!(report.written, fs::canonicalize(&path).unwrap());
    assert_eq!(entries(dir.path()), ["p.toml"]);
}

#[test]
fn the_special_permission_bits_are_kept_or_noted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    fs::write(&path, "one").unwrap();
    for mode in [0o2640, 0o1644] {
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        // Where the system refuses a bit to this user, it says so.
        let granted = fs::metadata(&path).unwrap().mode() & 0o7777;
        let report = store::save(&OsFs, &path, b"two", SaveOptions::default()).unwrap();
        let kept = fs::metadata(&path).unwrap().mode() & 0o7777;
        assert!(
            kept == granted || report.notes.iter().any(|n| n.contains("permissions")),
            "{mode:o}: {kept:o} {:?}",
            report.notes
        );
    }
}

#[test]
fn a_plan_over_the_size_limit_is_never_written() {
    let (_dir, path) = sample_copy();
    let before = fs::read(&path).unwrap();
    let huge = vec![b'#'; 64 * 1024 * 1024 + 1];
    let err = store::save(&OsFs, &path, &huge, SaveOptions::default()).unwrap_err();
    assert!(matches!(err, StoreError::WouldBeTooLarge { .. }), "{err}");
    assert!(err.to_string().contains("nothing was written"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_new_file_in_a_missing_folder_is_refused_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    let err = store::save(
        &OsFs,
        &missing.join("p.toml"),
        b"one",
        SaveOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, StoreError::MissingFolder { path } if *path == missing),
        "{err}"
    );
    assert!(entries(dir.path()).is_empty());
}

/// This process's umask, from /proc (reading it through umask(2) would change it for every
/// test running meanwhile).
fn umask() -> u32 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
    u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap()
}

#[test]
fn a_save_as_or_an_export_gets_the_plan_mode_within_the_umask_and_a_save_keeps_its_own() {
    let (dir, plan) = plan_holding("plan");
    for plan_mode in [0o600, 0o640, 0o444] {
        fs::set_permissions(&plan, fs::Permissions::from_mode(plan_mode)).unwrap();
        // The owner may always write what is made from the plan again.
        let derived = store::derived_mode(&OsFs, &plan);
        assert_eq!(derived, plan_mode | 0o600);
        let copy = dir.path().join(format!("copy-{plan_mode:o}.toml"));
        let save_as = SaveOptions {
            create_new: true,
            new_mode: Some(derived),
            ..SaveOptions::default()
        };
        store::save(&OsFs, &copy, b"copy", save_as).unwrap();
        assert_eq!(
            fs::metadata(&copy).unwrap().mode() & 0o777,
            derived & !umask()
        );
        let out = dir.path().join(format!("out-{plan_mode:o}.md"));
        fs::write(&out, "older and wider").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o666)).unwrap();
        store::write_outputs(&OsFs, &plan, &[(&out, b"export")], true).unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"export");
        assert_eq!(
            fs::metadata(&out).unwrap().mode() & 0o777,
            derived & !umask()
        );
        // A save of the copy keeps the copy's mode, whatever the umask.
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o660)).unwrap();
        store::save(&OsFs, &copy, b"again", SaveOptions::default()).unwrap();
        assert_eq!(fs::metadata(&copy).unwrap().mode() & 0o777, 0o660);
    }
    // A plan whose mode cannot be read gives owner-only copies.
    assert_eq!(
        store::derived_mode(&OsFs, &dir.path().join("gone.toml")),
        0o600
    );
}

#[test]
fn outputs_are_written_together_or_not_at_all() {
    let (dir, plan) = plan_holding("plan");
    let copy = dir.path().join("copy.md");
    let record = store::record_beside(&copy);
    assert_eq!(record, dir.path().join("copy.md.release-record.txt"));
    // The record exists and may not be replaced: neither file is written.
    fs::write(&record, "keep").unwrap();
    let files: [(&Path, &[u8]); 2] = [(&copy, b"copy"), (&record, b"record")];
    assert!(matches!(
        store::write_outputs(&OsFs, &plan, &files, false),
        Err(StoreError::Exists { .. })
    ));
    assert_eq!(
        entries(dir.path()),
        ["copy.md.release-record.txt", "p.toml"]
    );
    assert_eq!(fs::read(&record).unwrap(), b"keep");
    let reports = store::write_outputs(&OsFs, &plan, &files, true).unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(fs::read(&copy).unwrap(), b"copy");
    assert_eq!(fs::read(&record).unwrap(), b"record");
    // A missing folder is named as such, before anything is made.
    let lost = dir.path().join("missing/copy.md");
    assert!(matches!(
        store::write_outputs(&OsFs, &plan, &[(&lost, b"x")], true),
        Err(StoreError::MissingFolder { path }) if path == dir.path().join("missing")
    ));
    let under_a_file = plan.join("copy.md");
    assert!(matches!(
        store::check_folder(&OsFs, &under_a_file),
        Err(StoreError::NotAFolder { .. })
    ));
    assert_eq!(
        entries(dir.path()),
        ["copy.md", "copy.md.release-record.txt", "p.toml"]
    );
}

#[test]
fn export_outputs_put_the_record_beside_the_copy_and_never_on_it() {
    let (dir, plan) = plan_holding("plan");
    let copy = dir.path().join("c.html");
    let beside = store::export_outputs(&OsFs, &plan, Some(&copy), None, true, false).unwrap();
    assert_eq!(beside.record, Some(store::record_beside(&copy)));
    let whole = store::export_outputs(&OsFs, &plan, Some(&copy), None, false, false).unwrap();
    assert_eq!(whole.record, None);
    assert!(matches!(
        store::export_outputs(&OsFs, &plan, None, None, true, false),
        Err(StoreError::NoRecordPath)
    ));
    assert!(matches!(
        store::export_outputs(&OsFs, &plan, Some(&copy), Some(&copy), true, true),
        Err(StoreError::RecordIsTheCopy { .. })
    ));
    assert!(matches!(
        store::export_outputs(&OsFs, &plan, Some(&copy), Some(&plan), true, true),
        Err(StoreError::IsThePlan { .. })
    ));
    let to_stdout = store::export_outputs(&OsFs, &plan, None, Some(&copy), true, false).unwrap();
    assert_eq!((to_stdout.copy, to_stdout.record), (None, Some(copy)));
    assert_eq!(entries(dir.path()), ["p.toml"]);
}

#[test]
fn a_symbolic_link_is_kept_and_its_target_saved() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.toml");
    let link = dir.path().join("link.toml");
    fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    store::save(&OsFs, &link, b"new", SaveOptions::default()).unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(fs::read(&real).unwrap(), b"new");
}

#[test]
fn no_owner_write_bit_is_refused_even_for_root() {
    let (dir, path) = plan_holding("old");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let err = store::save(&OsFs, &path, b"new", SaveOptions::default()).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("save it under another name"));
    assert_eq!(fs::read(&path).unwrap(), b"old");
    assert_eq!(entries(dir.path()), ["p.toml"]);
}

#[test]
fn a_file_changed_since_it_was_loaded_is_not_overwritten() {
    let (dir, path) = plan_holding("loaded");
    let loaded = ContentHash::of(b"loaded");
    fs::write(&path, "changed by someone else").unwrap();
    let expect = SaveOptions {
        expect: Some(loaded),
        ..SaveOptions::default()
    };
    let err = store::save(&OsFs, &path, b"mine", expect).unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), b"changed by someone else");
    assert_eq!(entries(dir.path()), ["p.toml"]);
    fs::write(&path, "loaded").unwrap();
    store::save(&OsFs, &path, b"mine", expect).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"mine");
}

#[test]
fn the_owner_and_group_are_kept_where_the_system_allows() {
    let (_dir, path) = plan_holding("old");
    if std::os::unix::fs::chown(&path, Some(4242), Some(4343)).is_err() {
        // Only root gives a file away: the plan cannot be set up here.
        return;
    }
    let report = store::save(&OsFs, &path, b"new", SaveOptions::default()).unwrap();
    assert_eq!(report.notes, Vec::<String>::new());
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4242, 4343));
}

#[test]
fn extended_attributes_are_kept_where_the_file_system_has_them() {
    let (_dir, path) = plan_holding("old");
    if xattr::set(&path, "user.scplan-test", b"kept").is_err() {
        // This file system takes no user attributes: there is nothing to keep.
        return;
    }
    let report = store::save(&OsFs, &path, b"new", SaveOptions::default()).unwrap();
    assert_eq!(report.notes, Vec::<String>::new());
    assert_eq!(
        xattr::get(&path, "user.scplan-test").unwrap().as_deref(),
        Some(&b"kept"[..])
    );
}

#[test]
fn only_temporary_files_of_dead_processes_are_cleaned() {
    let (dir, path) = plan_holding("plan");
    let dead = dead_pid();
    let own = std::process::id();
    for name in [
        format!(".p.toml.scplan-tmp-{dead}-0"),
        format!(".p.toml.scplan-tmp-{own}-7"),
        ".p.toml.scplan-tmp-garbage".to_string(),
        format!(".q.toml.scplan-tmp-{dead}-0"),
    ] {
        fs::write(dir.path().join(name), "x").unwrap();
    }
    let removed = store::clean_stale_temps(&OsFs, &path).unwrap();
    assert_eq!(removed.len(), 2, "{removed:?}");
    assert_eq!(
        entries(dir.path()),
        [
            format!(".p.toml.scplan-tmp-{own}-7"),
            format!(".q.toml.scplan-tmp-{dead}-0"),
            "p.toml".to_string()
        ]
    );
}

#[test]
fn failed_saves_leave_the_plan_and_the_edits_intact() {
    for (fault, errno) in [(Fault::ReadOnlyFolder, 30), (Fault::DiskFull, 28)] {
        let (dir, path) = sample_copy();
        let before = fs::read(&path).unwrap();
        let edited = before.repeat(2);
        let faulty = Faulty {
            fault,
            plan: path.clone(),
            spare_locks: false,
            reads: Default::default(),
        };
        let err = store::save(&faulty, &path, &edited, SaveOptions::default()).unwrap_err();
        assert!(
            matches!(&err, StoreError::CannotWrite { source, path: named } if source.raw_os_error() == Some(errno) && *named == fs::canonicalize(&path).unwrap()),
            "{err}"
        );
        // Said of the plan and its folder, with what to do; not of a hidden temporary file.
        let said = err.to_string();
        assert!(!said.contains("scplan-tmp"), "{said}");
        assert!(said.contains("elsewhere"), "{said}");
        assert_eq!(fs::read(&path).unwrap(), before);
        assert_eq!(entries(dir.path()), ["eucom.toml"]);
        // The edits are still in memory: save-as elsewhere takes them.
        let other = dir.path().join("copy.toml");
        let new = SaveOptions {
            create_new: true,
            ..SaveOptions::default()
        };
        store::save(&OsFs, &other, &edited, new).unwrap();
        assert_eq!(fs::read(&other).unwrap(), edited);
    }
}

#[test]
fn a_full_disk_keeps_the_previous_recovery_file() {
    let (_dir, path) = sample_copy();
    write_recovery(&OsFs, &path, b"earlier edits", Clearance::Within).unwrap();
    let faulty = Faulty {
        fault: Fault::DiskFull,
        plan: path.clone(),
        spare_locks: false,
        reads: Default::default(),
    };
    assert!(write_recovery(&faulty, &path, b"later edits", Clearance::Within).is_err());
    assert_eq!(
        read_recovery(&OsFs, &path).unwrap().as_deref(),
        Some(&b"earlier edits"[..])
    );
}

#[test]
fn a_change_on_disk_during_the_save_is_not_overwritten() {
    let (dir, path) = sample_copy();
    let loaded = fs::read(&path).unwrap();
    let faulty = Faulty {
        fault: Fault::OtherWriter,
        plan: path.clone(),
        spare_locks: false,
        reads: Default::default(),
    };
    let options = SaveOptions {
        expect: Some(ContentHash::of(&loaded)),
        ..SaveOptions::default()
    };
    let err = store::save(&faulty, &path, b"mine", options).unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), b"written by another program\n");
    assert_eq!(entries(dir.path()), ["eucom.toml"]);
    assert!(store::changed_on_disk(&OsFs, &path, &ContentHash::of(&loaded)).unwrap());
}

fn scplan() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("scplan").unwrap();
    cmd.env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml");
    cmd
}

fn set_version(path: &Path) -> std::process::Output {
    scplan()
        .arg("set")
        .arg(path)
        .args(["plan.version", "\"9.9\""])
        .output()
        .unwrap()
}

fn plant_lock(plan: &Path, pid: u32) {
    let holder = LockHolder {
        pid,
        host: process::host_name(),
        since: "2026-11-28T09:00:00Z".to_string(),
    };
    fs::write(sidecar(plan, "lock"), toml::to_string(&holder).unwrap()).unwrap();
}

#[test]
fn set_refuses_a_plan_locked_by_a_live_process_and_takes_over_a_stale_lock() {
    let (dir, path) = sample_copy();
    let before = fs::read(&path).unwrap();
    plant_lock(&path, std::process::id());
    let out = set_version(&path);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("being edited by another scplan"),
        "{stderr}"
    );
    assert_eq!(fs::read(&path).unwrap(), before);

    let dead = dead_pid();
    plant_lock(&path, dead);
    let stale_temp = sidecar(&path, &format!("tmp-{dead}-0"));
    fs::write(&stale_temp, "half a save").unwrap();
    let out = set_version(&path);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&fs::read(&path).unwrap()).contains("version = \"9.9\""));
    // The lock is released and the crashed save's temporary file cleaned.
    assert_eq!(entries(dir.path()), ["eucom.toml"]);
}

#[test]
fn set_refuses_a_plan_without_its_owner_write_bit() {
    let (_dir, path) = sample_copy();
    let before = fs::read(&path).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let out = set_version(&path);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o444);
}

#[test]
fn a_second_editor_gets_the_plan_read_only() {
    let (_dir, path) = sample_copy();
    let first = Lock::acquire(Arc::new(OsFs), &path).unwrap();
    let second = Lock::acquire(Arc::new(OsFs), &path);
    assert!(matches!(second, Err(StoreError::Locked { .. })));
    drop(first);
    assert!(Lock::acquire(Arc::new(OsFs), &path).is_ok());
}

/// The environment variable that makes [`crash_child`] crash an "editor" of this plan.
const CRASH_PLAN: &str = "SCPLAN_TEST_CRASH_PLAN";

/// The unsaved edit the crashing editor holds.
fn unsaved(saved: &str) -> String {
    saved.replacen(
        "title = \"Strengthen",
        "title = \"UNSAVED EDIT: Strengthen",
        1,
    )
}

/// Run by [`a_crash_leaves_a_recovery_file_that_is_offered_and_restored`] in a child process:
/// an editor with an unsaved edit installs the hook and panics.
#[test]
#[ignore = "run as a child process by the crash test"]
fn crash_child() {
    let Some(plan) = std::env::var_os(CRASH_PLAN).map(PathBuf::from) else {
        return;
    };
    let unsaved = unsaved(&fs::read_to_string(&plan).unwrap());
    let (text, layout) = scplan::plan::source::decode(unsaved.as_bytes()).unwrap();
    let text = crop::Rope::from(text);
    install_panic_hook(
        move || {
            Some(Snapshot {
                plan: plan.clone(),
                text: text.clone(),
                layout,
                clearance: Clearance::Within,
            })
        },
        || eprintln!("[terminal restored]"),
    );
    panic!("simulated bug \u{1b}]52;c;eA==\u{7}");
}

#[test]
fn a_crash_leaves_a_recovery_file_that_is_offered_and_restored() {
    let (_dir, path) = sample_copy();
    let saved = fs::read_to_string(&path).unwrap();
    assert_ne!(unsaved(&saved), saved);
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--ignored", "--nocapture"])
        .env(CRASH_PLAN, &path)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let recovery = sidecar(&fs::canonicalize(&path).unwrap(), "recovery");
    let restored_at = stderr.find("[terminal restored]");
    let message_at = stderr.find("scplan stopped because of a bug");
    assert!(
        restored_at.is_some() && restored_at < message_at,
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("written to {}", recovery.display())),
        "{stderr}"
    );
    assert!(stderr.contains("Please report this problem"), "{stderr}");
    assert!(stderr.contains("simulated bug ␛]52;c;eA==␇"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert_eq!(fs::metadata(&recovery).unwrap().mode() & 0o777, 0o600);

    // The next open offers it, naming the item that differs.
    let on_disk = fs::read(&path).unwrap();
    let pending = pending_recovery(&OsFs, &path, &on_disk).unwrap().unwrap();
    assert_eq!(pending.bytes, unsaved(&saved).into_bytes());
    assert_eq!(pending.changes.len(), 1, "{:?}", pending.changes);
    assert!(
        pending.changes[0].starts_with("priority SP-4: "),
        "{:?}",
        pending.changes
    );
    // Restore: save the recovered bytes over the plan, then the recovery file goes.
    let options = SaveOptions {
        expect: Some(ContentHash::of(&on_disk)),
        ..SaveOptions::default()
    };
    store::save(&OsFs, &path, &pending.bytes, options).unwrap();
    remove_recovery(&OsFs, &path).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), unsaved(&saved));
    assert!(!recovery.exists());
}

#[test]
fn a_file_size_limit_fails_the_write_with_a_word_and_leaves_nothing_behind() {
    let (dir, path) = sample_copy();
    let before = fs::read(&path).unwrap();
    let bin = assert_cmd::cargo::cargo_bin!("scplan");
    let out_html = dir.path().join("o.html");
    for args in [
        format!("set '{}' plan.version '\"9\"'", path.display()),
        format!(
            "export '{}' --format html -o '{}'",
            path.display(),
            out_html.display()
        ),
    ] {
        // A limit of 8 KiB: the sample is larger. The process must not die of SIGXFSZ.
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -f 8; exec '{}' {args}", bin.display()))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.code().is_some(), "killed by a signal: {args}");
        assert!(stderr.contains("file size limit"), "{args}: {stderr}");
        assert_eq!(fs::read(&path).unwrap(), before);
        assert_eq!(entries(dir.path()), ["eucom.toml"], "{args}");
    }
}

#[test]
fn a_folder_a_pipe_or_a_device_is_no_plan_and_is_never_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut paths = vec![
        (dir.path().to_path_buf(), "a folder"),
        (PathBuf::from("/dev/zero"), "a device"),
    ];
    if made.is_ok_and(|s| s.success()) {
        paths.push((fifo.clone(), "a named pipe"));
    }
    for (path, kind) in paths {
        let err = store::read_plan(&OsFs, &path).unwrap_err();
        assert!(
            matches!(err, StoreError::NotAFile { kind: k, .. } if k == kind),
            "{}: {err}",
            path.display()
        );
        let out = assert_cmd::Command::cargo_bin("scplan")
            .unwrap()
            .args(["set"])
            .arg(&path)
            .args(["plan.version", "\"2\""])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("is {kind}, not a plan file")),
            "{stderr}"
        );
    }
    assert!(!sidecar(&fifo, "lock").exists());
}
