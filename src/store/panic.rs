//! The panic hook the editor installs: it restores the terminal, writes the unsaved plan to its
//! recovery file, and says where that file is and how to report the problem.

use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};

use crop::Rope;

use super::recovery::write_recovery;
use super::save::file_bytes;
use super::{OsFs, StoreError};
use crate::check::Clearance;
use crate::plan::source::Layout;
use crate::text::sanitize;

/// The editor's unsaved state at the moment of a panic. Its text is a rope shared with the
/// editor, so keeping it current after every change costs nothing; the file's bytes are made
/// only when they are written.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The plan being edited.
    pub plan: PathBuf,
    /// Its unsaved text (LF, no byte-order mark).
    pub text: Rope,
    /// The layout of the plan's file, to write the text back as that file would be.
    pub layout: Layout,
    /// Whether its markings allow a copy (from the latest diagnostics).
    pub clearance: Clearance,
}

impl Snapshot {
    /// The unsaved content as the plan's file would hold it.
    pub fn bytes(&self) -> Vec<u8> {
        file_bytes(&self.text, self.layout)
    }
}

/// Installs a panic hook that calls `restore_terminal` first (so that the message can be
/// read), then writes the recovery file from `snapshot` (`None`: nothing unsaved), then prints
/// where the edits are and how to report the problem, with a backtrace when `RUST_BACKTRACE`
/// asks for one. Both callbacks run inside a panic: they must not block on a lock the
/// panicking code may hold (use `try_lock`) and must not panic themselves.
pub fn install_panic_hook<S, R>(snapshot: S, restore_terminal: R)
where
    S: Fn() -> Option<Snapshot> + Send + Sync + 'static,
    R: Fn() + Send + Sync + 'static,
{
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        let saved = snapshot().map(|s| {
            let written = write_recovery(&OsFs, &s.plan, &s.bytes(), s.clearance);
            (s.plan, written)
        });
        let saved = saved
            .as_ref()
            .map(|(plan, written)| (plan.as_path(), written));
        eprint!("{}", crash_message(&describe(info), saved));
        let backtrace = std::backtrace::Backtrace::capture();
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            eprintln!("{backtrace}");
        }
    }));
}

/// The panic's message and where it happened.
fn describe(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    match info.location() {
        Some(at) => format!("{message} (at {}:{})", at.file(), at.line()),
        None => message.to_string(),
    }
}

/// What the user reads after a panic: `what` happened, and where the unsaved edits of which
/// plan went (`None`: there were none).
fn crash_message(what: &str, saved: Option<(&Path, &Result<PathBuf, StoreError>)>) -> String {
    let mut out = format!("\nscplan stopped because of a bug: {}\n", sanitize(what));
    match saved {
        None => out.push_str("There were no unsaved edits.\n"),
        Some((plan, Ok(recovery))) => out.push_str(&format!(
            "Your unsaved edits were written to {}.\nOpen {} again to restore them.\n",
            sanitize(&recovery.display().to_string()),
            sanitize(&plan.display().to_string())
        )),
        Some((_, Err(StoreError::AboveSystemHigh { .. }))) => out.push_str(
            "The plan is marked above the system high, so no copy of its unsaved edits was written.\n",
        ),
        Some((_, Err(err))) => out.push_str(&format!(
            "Your unsaved edits could not be written: {}\n",
            sanitize(&err.to_string())
        )),
    }
    out.push_str(&format!(
        "Please report this problem to whoever supports scplan at your site (scplan {}): say \
         what you were doing and include this message. Do not attach the plan or the recovery \
         file: they may hold controlled information.\n",
        env!("CARGO_PKG_VERSION")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_where_the_edits_are_and_how_to_report() {
        let plan = Path::new("plans/p\u{1b}[31m.toml");
        let written = Ok(PathBuf::from("plans/.p.toml.scplan-recovery"));
        let text = crash_message("index out of bounds\u{202e}", Some((plan, &written)));
        assert!(
            text.contains("written to plans/.p.toml.scplan-recovery."),
            "{text}"
        );
        assert!(text.contains("Open plans/p␛[31m.toml again"), "{text}");
        assert!(text.contains("bounds<U+202E>"), "{text}");
        assert!(text.contains("Please report this problem"), "{text}");
        let above = Err(StoreError::AboveSystemHigh {
            path: plan.to_path_buf(),
        });
        let text = crash_message("boom", Some((plan, &above)));
        assert!(
            text.contains("no copy of its unsaved edits was written"),
            "{text}"
        );
        assert!(crash_message("boom", None).contains("no unsaved edits"));
    }
}
