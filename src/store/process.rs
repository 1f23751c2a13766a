//! This machine's processes: whether one is alive and what the machine is called, to tell a
//! lock or a temporary file left by a crash from one in use.

use rustix::io::Errno;
use rustix::process::{Pid, test_kill_process};

/// Whether a process with this id runs on this machine (one of another user's counts too).
pub fn alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    match test_kill_process(pid) {
        Ok(()) => true,
        // It exists but belongs to someone this process may not signal.
        Err(err) => err == Errno::PERM,
    }
}

/// This machine's host name.
pub fn host_name() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_an_exited_child_is_not() {
        assert!(alive(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!alive(pid));
        assert!(!alive(0));
        assert!(!alive(u32::MAX));
        assert!(!host_name().is_empty());
    }
}
