//! Git, through the `git` program run as a process (no git library): the repository around a
//! folder, a file's bytes at any revision (`git cat-file --batch`), the line merge of
//! `git merge-file` for files that are not plans, and the merge driver's setup ([`setup`]).
//! Nothing else in scplan runs git. Every command is local: the environment forbids the lazy
//! fetches of a partial clone and any credential prompt, so no git run touches the network.

pub mod setup;
pub mod stamps;

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::plan::source::MAX_PLAN_BYTES;

/// Why git could not give what was asked.
#[derive(Debug, thiserror::Error)]
pub enum VcsError {
    /// The `git` program is not installed or not on `PATH`.
    #[error("git is not installed (or not on PATH); reading a revision needs the `git` program")]
    NoGit,
    /// The folder is not inside a git work tree.
    #[error("{} is not inside a git repository (REV:PATH reads a file of a git revision)", .0.display())]
    NotARepository(PathBuf),
    /// The revision does not name a commit or tree of the repository.
    #[error("`{0}` is not a revision of this repository")]
    NoSuchRevision(String),
    /// The revision exists but holds no file at that path.
    #[error("{path} does not exist in revision `{rev}`")]
    NoSuchPath {
        /// The revision.
        rev: String,
        /// The path inside the repository.
        path: String,
    },
    /// The path names a folder or a submodule in that revision, not a file.
    #[error("{rev}:{path} is a {kind}, not a file")]
    NotAFile {
        /// The revision.
        rev: String,
        /// The path inside the repository.
        path: String,
        /// What git says it is (`tree`, `commit`).
        kind: String,
    },
    /// The file at that revision is over the plan size limit; it was not read.
    #[error("{rev}:{path} is {size} bytes, over the 64 MiB limit for a plan")]
    TooLarge {
        /// The revision.
        rev: String,
        /// The path inside the repository.
        path: String,
        /// Its size.
        size: u64,
    },
    /// The path lies outside the repository's work tree.
    #[error("{}: outside the repository at {}", .path.display(), .top.display())]
    OutsideRepository {
        /// The path as given.
        path: PathBuf,
        /// The repository's top folder.
        top: PathBuf,
    },
    /// The path cannot be given to git (not UTF-8, or holding a line break).
    #[error("{}: git cannot be asked for this path", .0.display())]
    UnusablePath(PathBuf),
    /// Git ran and failed.
    #[error("git {command} failed: {message}")]
    Failed {
        /// The git subcommand.
        command: String,
        /// What git printed on standard error.
        message: String,
    },
    /// Talking to the git process failed.
    #[error("git: {0}")]
    Io(#[from] io::Error),
}

/// `git` with the environment every scplan run of it has: no lazy fetch from a promisor
/// remote, no terminal prompt, no optional lock (a read never blocks a planner's own git).
fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null());
    cmd
}

/// Runs a git command to completion; a missing program is [`VcsError::NoGit`].
fn output(cmd: &mut Command) -> Result<Output, VcsError> {
    cmd.output().map_err(spawn_error)
}

/// A failure to start git: [`VcsError::NoGit`] when there is no such program.
fn spawn_error(err: io::Error) -> VcsError {
    if err.kind() == io::ErrorKind::NotFound {
        VcsError::NoGit
    } else {
        VcsError::Io(err)
    }
}

/// Git's standard error, trimmed, as one line of text.
fn stderr_text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

/// A git work tree, and where the folder it was found from sits in it.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The folder git commands run in.
    dir: PathBuf,
    /// The work tree's top folder.
    top: PathBuf,
    /// `dir` relative to `top`, with a trailing `/` ("" at the top).
    prefix: String,
}

/// One file at one revision, as git names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobSpec {
    /// The revision (`HEAD~1`, `v2026.1`, a commit); empty for the index.
    pub rev: String,
    /// The path inside the repository, `/`-separated.
    pub path: String,
}

impl Repo {
    /// The repository whose work tree holds `dir`.
    pub fn discover(dir: &Path) -> Result<Repo, VcsError> {
        let out = output(git(dir).args(["rev-parse", "--show-toplevel", "--show-prefix"]))?;
        if !out.status.success() {
            let message = stderr_text(&out);
            return Err(if message.contains("not a git repository") {
                VcsError::NotARepository(dir.to_path_buf())
            } else {
                VcsError::Failed {
                    command: "rev-parse".to_string(),
                    message,
                }
            });
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let top = lines.next().unwrap_or_default();
        // A folder inside `.git` has a top but no work tree around it.
        if top.is_empty() {
            return Err(VcsError::NotARepository(dir.to_path_buf()));
        }
        Ok(Repo {
            dir: dir.to_path_buf(),
            top: PathBuf::from(top),
            prefix: lines.next().unwrap_or_default().to_string(),
        })
    }

    /// The repository holding a plan file (relative to the current folder, or absolute),
    /// and the file's path in it.
    pub fn of_file(plan: &Path) -> Result<(Repo, String), VcsError> {
        let folder = match plan.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let repo = Repo::discover(folder)?;
        let absolute = if plan.is_absolute() {
            plan.to_path_buf()
        } else {
            std::env::current_dir()?.join(plan)
        };
        let path = repo.tree_path(&absolute)?;
        Ok((repo, path))
    }

    /// The bytes of the file `path` (as [`Repo::tree_path`] names it) at revision `rev`.
    pub fn read_file(&self, rev: &str, path: &str) -> Result<Vec<u8>, VcsError> {
        let spec = BlobSpec {
            rev: rev.to_string(),
            path: path.to_string(),
        };
        self.read_blobs(std::slice::from_ref(&spec))?
            .pop()
            .ok_or(VcsError::NoSuchPath {
                rev: spec.rev,
                path: spec.path,
            })
    }

    /// The work tree's top folder.
    pub fn top(&self) -> &Path {
        &self.top
    }

    /// A path as given on the command line (relative to the folder the repository was found
    /// from, or absolute) as git names it inside the repository.
    pub fn tree_path(&self, path: &Path) -> Result<String, VcsError> {
        let outside = || VcsError::OutsideRepository {
            path: path.to_path_buf(),
            top: self.top.clone(),
        };
        let relative = if path.is_absolute() {
            let real_top = self.top.canonicalize().unwrap_or_else(|_| self.top.clone());
            let within = path
                .strip_prefix(&self.top)
                .or_else(|_| path.strip_prefix(&real_top))
                .map(Path::to_path_buf);
            match within {
                Ok(p) => p,
                // The folder holding the file may be reached through a symbolic link.
                Err(_) => real_parent(path)
                    .and_then(|real| real.strip_prefix(&real_top).ok().map(Path::to_path_buf))
                    .ok_or_else(outside)?,
            }
        } else {
            Path::new(&self.prefix).join(path)
        };
        let mut parts: Vec<&str> = Vec::new();
        for component in relative.components() {
            match component {
                Component::Normal(part) => parts.push(
                    part.to_str()
                        .ok_or_else(|| VcsError::UnusablePath(path.to_path_buf()))?,
                ),
                Component::ParentDir => {
                    parts.pop().ok_or_else(outside)?;
                }
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => return Err(outside()),
            }
        }
        let joined = parts.join("/");
        if joined.is_empty() || joined.contains('\n') {
            return Err(VcsError::UnusablePath(path.to_path_buf()));
        }
        Ok(joined)
    }

    /// A relative path as git names it from the work tree's top, when that differs from
    /// [`Repo::tree_path`]'s (the folder is below the top) and the path does not start with
    /// `./` or `../` (which name the current folder).
    pub fn from_top(&self, path: &Path) -> Option<String> {
        let first = path.components().next()?;
        if self.prefix.is_empty() || !matches!(first, Component::Normal(_)) {
            return None;
        }
        let top = Repo {
            prefix: String::new(),
            ..self.clone()
        };
        top.tree_path(path).ok()
    }

    /// The bytes of each file, read by one `git cat-file --batch`; a file over the plan size
    /// limit is refused before its content is read.
    pub fn read_blobs(&self, specs: &[BlobSpec]) -> Result<Vec<Vec<u8>>, VcsError> {
        let mut child = git(&self.dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(spawn_error)?;
        let result = self.batch(&mut child, specs);
        if result.is_err() {
            // Stop a git that is still writing a blob nobody will read; it is our own child.
            let _ = child.kill();
        }
        let _ = child.wait();
        let blobs = result?;
        let mut out = Vec::with_capacity(blobs.len());
        for (spec, blob) in specs.iter().zip(blobs) {
            match blob {
                Some(bytes) => out.push(bytes),
                None => return Err(self.missing(spec)),
            }
        }
        Ok(out)
    }

    /// Asks the batch for every file; `None` for one git does not have.
    fn batch(
        &self,
        child: &mut Child,
        specs: &[BlobSpec],
    ) -> Result<Vec<Option<Vec<u8>>>, VcsError> {
        let mut request = String::new();
        for spec in specs {
            request.push_str(&format!("{}:{}\n", spec.rev, spec.path));
        }
        {
            let mut stdin = child
                .stdin
                .take()
                .ok_or_else(|| io::Error::other("no stdin"))?;
            stdin.write_all(request.as_bytes())?;
        }
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no stdout"))?;
        let mut reader = BufReader::new(stdout);
        let mut blobs = Vec::with_capacity(specs.len());
        for spec in specs {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                let mut message = String::new();
                if let Some(mut err) = child.stderr.take() {
                    let _ = err.read_to_string(&mut message);
                }
                return Err(VcsError::Failed {
                    command: "cat-file".to_string(),
                    message: message.trim().to_string(),
                });
            }
            let fields: Vec<&str> = header.trim_end().split(' ').collect();
            let (kind, size) = match fields.as_slice() {
                [_, kind, size] => (*kind, size.parse::<u64>().unwrap_or(u64::MAX)),
                // "<name> missing" or "<name> ambiguous".
                _ => {
                    blobs.push(None);
                    continue;
                }
            };
            if kind != "blob" {
                return Err(VcsError::NotAFile {
                    rev: spec.rev.clone(),
                    path: spec.path.clone(),
                    kind: kind.to_string(),
                });
            }
            if size > MAX_PLAN_BYTES {
                return Err(VcsError::TooLarge {
                    rev: spec.rev.clone(),
                    path: spec.path.clone(),
                    size,
                });
            }
            // The size is at most the limit, so it fits in memory and in usize.
            let mut bytes = vec![0; usize::try_from(size).unwrap_or(0)];
            reader.read_exact(&mut bytes)?;
            let mut newline = [0u8; 1];
            reader.read_exact(&mut newline)?;
            blobs.push(Some(bytes));
        }
        Ok(blobs)
    }

    /// Why git had no file for `spec`: the revision is unknown, or the file is not in it.
    fn missing(&self, spec: &BlobSpec) -> VcsError {
        let revision = if spec.rev.is_empty() {
            return VcsError::NoSuchPath {
                rev: "the index".to_string(),
                path: spec.path.clone(),
            };
        } else {
            format!("{}^{{tree}}", spec.rev)
        };
        let known = output(
            git(&self.dir)
                .args(["rev-parse", "--verify", "--quiet"])
                .arg(&revision),
        )
        .map(|out| out.status.success())
        .unwrap_or(false);
        if known {
            VcsError::NoSuchPath {
                rev: spec.rev.clone(),
                path: spec.path.clone(),
            }
        } else {
            VcsError::NoSuchRevision(spec.rev.clone())
        }
    }

    /// The commits that changed the file at `path` (inside the repository, `/`-separated),
    /// newest first, at most `limit`: each commit's id and subject line.
    pub fn file_log(&self, path: &str, limit: usize) -> Result<Vec<(String, String)>, VcsError> {
        let out = output(
            git(&self.dir)
                .args(["log", "--no-color", "--format=%H%x09%s"])
                .arg(format!("--max-count={limit}"))
                .arg("--")
                .arg(format!(":(top,literal){path}")),
        )?;
        if !out.status.success() {
            return Err(VcsError::Failed {
                command: "log".to_string(),
                message: stderr_text(&out),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| {
                let (id, subject) = line.split_once('\t')?;
                Some((id.to_string(), subject.to_string()))
            })
            .collect())
    }

    /// A value of the repository's own configuration (`.git/config`), if set.
    pub fn config_get(&self, key: &str) -> Result<Option<String>, VcsError> {
        let out = output(git(&self.dir).args(["config", "--local", "--get", key]))?;
        match out.status.code() {
            Some(0) => Ok(Some(
                String::from_utf8_lossy(&out.stdout).trim_end().to_string(),
            )),
            // 1: the key is not set.
            Some(1) => Ok(None),
            _ => Err(VcsError::Failed {
                command: "config".to_string(),
                message: stderr_text(&out),
            }),
        }
    }

    /// Sets a value in the repository's own configuration (never the user's global one).
    pub fn config_set(&self, key: &str, value: &str) -> Result<(), VcsError> {
        let out = output(git(&self.dir).args(["config", "--local", key, value]))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(VcsError::Failed {
                command: "config".to_string(),
                message: stderr_text(&out),
            })
        }
    }
}

/// The canonical path of `path`'s folder joined with its file name (the file itself need not
/// exist).
fn real_parent(path: &Path) -> Option<PathBuf> {
    let parent = path.parent()?.canonicalize().ok()?;
    Some(parent.join(path.file_name()?))
}

/// Labels and marker size for a line merge, as `git merge-file` takes them.
#[derive(Debug, Clone)]
pub struct LineMerge<'a> {
    /// The labels of ours, the base and theirs on the conflict markers.
    pub labels: [&'a str; 3],
    /// The length of the conflict markers.
    pub marker_size: usize,
}

/// A line merge by `git merge-file` of three files, for versions that are not plans: the
/// merged bytes and whether they hold conflicts. Run in `dir`, which need not be a repository.
pub fn merge_file(
    dir: &Path,
    files: [&Path; 3],
    merge: &LineMerge,
) -> Result<(Vec<u8>, bool), VcsError> {
    let [ours, base, theirs] = files;
    let mut cmd = git(dir);
    cmd.args(["merge-file", "-p", "--marker-size"])
        .arg(merge.marker_size.to_string());
    for label in merge.labels {
        cmd.arg("-L").arg(label);
    }
    cmd.args([ours.as_os_str(), base.as_os_str(), theirs.as_os_str()]);
    let out = output(&mut cmd)?;
    // merge-file exits with the number of conflicts (capped at 127), or a negative status on
    // an error, which the shell shows as 255.
    match out.status.code() {
        Some(0) => Ok((out.stdout, false)),
        Some(n) if (1..=127).contains(&n) => Ok((out.stdout, true)),
        _ => Err(VcsError::Failed {
            command: "merge-file".to_string(),
            message: stderr_text(&out),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(prefix: &str) -> Repo {
        Repo {
            dir: PathBuf::from("/work/repo").join(prefix),
            top: PathBuf::from("/nonexistent-top/repo"),
            prefix: prefix.to_string(),
        }
    }

    #[test]
    fn paths_are_named_from_the_top_of_the_work_tree() {
        let at_top = repo("");
        let in_plans = repo("plans/");
        assert_eq!(
            at_top.tree_path(Path::new("plans/eucom.toml")).unwrap(),
            "plans/eucom.toml"
        );
        assert_eq!(
            in_plans.tree_path(Path::new("eucom.toml")).unwrap(),
            "plans/eucom.toml"
        );
        assert_eq!(
            in_plans.tree_path(Path::new("./eucom.toml")).unwrap(),
            "plans/eucom.toml"
        );
        assert_eq!(
            in_plans.tree_path(Path::new("../README.md")).unwrap(),
            "README.md"
        );
        let absolute = Path::new("/nonexistent-top/repo/plans/eucom.toml");
        assert_eq!(at_top.tree_path(absolute).unwrap(), "plans/eucom.toml");
        assert!(matches!(
            at_top.tree_path(Path::new("../elsewhere.toml")),
            Err(VcsError::OutsideRepository { .. })
        ));
        assert!(matches!(
            at_top.tree_path(Path::new("/etc/passwd")),
            Err(VcsError::OutsideRepository { .. })
        ));
        assert!(matches!(
            at_top.tree_path(Path::new("a\nb")),
            Err(VcsError::UnusablePath(_))
        ));
    }
}
