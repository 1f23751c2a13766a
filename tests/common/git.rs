//! Real git repositories in temporary folders, for the tests of revisions and of the merge
//! driver. Every git run reads no global or system configuration (so neither the developer's
//! settings nor a CI machine's change what it does, and none is written), has an author, and
//! finds this build's `scplan` first on `PATH` (the driver git runs is `scplan merge ...`).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// Whether the `git` program can run here; when not, says that the test is skipped.
pub fn available() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !ok {
        eprintln!("skipping: the `git` program is not installed, and this test needs it");
    }
    ok
}

/// The environment every git and scplan run of the tests has.
fn isolate(cmd: &mut Command, home: &Path) {
    let bin = Path::new(env!("CARGO_BIN_EXE_scplan"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(&path));
    cmd.env("PATH", std::env::join_paths(dirs).unwrap_or(path))
        .env("HOME", home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test Planner")
        .env("GIT_AUTHOR_EMAIL", "planner@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test Planner")
        .env("GIT_COMMITTER_EMAIL", "planner@example.invalid")
        .env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
        .env_remove("NO_COLOR")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
}

/// A repository with one branch, `main`, in a temporary folder.
pub struct Repo {
    dir: TempDir,
}

impl Repo {
    /// `git init` in a new temporary folder.
    pub fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        repo.ok(&["init", "-q", "-b", "main"]);
        repo
    }

    /// The work tree's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command run in the work tree (or in `sub` of it) with the tests' environment.
    pub fn command(&self, program: impl AsRef<OsStr>, sub: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.path().join(sub));
        isolate(&mut cmd, self.path());
        cmd
    }

    /// Runs git with `args`.
    pub fn git(&self, args: &[&str]) -> Output {
        self.command("git", "")
            .args(args)
            .output()
            .expect("git runs")
    }

    /// Runs git with `args`, which must succeed; its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(
            out.status.success(),
            "git {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs this build's scplan in `sub` of the work tree: stdout, stderr, exit code.
    pub fn scplan(&self, sub: &str, args: &[&str]) -> (String, String, Option<i32>) {
        let out = self
            .command(env!("CARGO_BIN_EXE_scplan"), sub)
            .args(args)
            .output()
            .expect("scplan runs");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code(),
        )
    }

    /// Writes a file of the work tree (making its folder).
    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let file: PathBuf = self.path().join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).expect("a folder");
        }
        std::fs::write(file, bytes).expect("a file written");
    }

    /// Reads a file of the work tree.
    pub fn read(&self, path: &str) -> Vec<u8> {
        std::fs::read(self.path().join(path)).expect("a file read")
    }

    /// Commits everything in the work tree.
    pub fn commit(&self, message: &str) {
        self.ok(&["add", "-A"]);
        self.ok(&["commit", "-q", "-m", message]);
    }
}
