//! This machine's processes: whether one is alive and what the machine is called, to tell a
//! lock or a temporary file left by a crash from one in use.

use rustix::io::Errno;
use rustix::process::{Pid, test_kill_process};

/// Whether a process with this id runs on this machine (one of another user's counts too).
pub fn alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    let exists = match test_kill_process(pid) {
        Ok(()) => true,
        // It exists but belongs to someone this process may not signal.
        Err(err) => err == Errno::PERM,
    };
    exists && !is_zombie(pid.as_raw_nonzero().get())
}

/// Whether the process has exited and only waits for its parent to collect it (a killed
/// editor whose terminal has not reaped it yet): it holds nothing any more. Where `/proc`
/// cannot tell, it is not.
fn is_zombie(pid: i32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // `PID (COMMAND) STATE ...`: the command may hold spaces and parentheses.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .is_some_and(|state| state == "Z" || state == "X")
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

    #[test]
    fn a_killed_child_not_yet_collected_is_not_alive() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = child.id();
        assert!(alive(pid));
        child.kill().unwrap();
        // Not waited for: a zombie until `wait`.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while alive(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(!alive(pid));
        child.wait().unwrap();
    }
}
