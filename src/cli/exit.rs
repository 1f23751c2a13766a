//! The exit statuses of `scplan`, the only place they are defined, and the error that ends a
//! run with one of them.

use std::fmt;
use std::process::ExitCode;

use anyhow::anyhow;

/// How a run ends: the status scripts test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The request was done and the plan has no error (status 0).
    Ok,
    /// The plan has errors (or unwaived warnings under `--deny-warnings`), the versions differ,
    /// or the request was refused (status 1).
    Findings,
    /// A usage error, an unreadable file or a bad setting (status 2).
    Usage,
}

impl Code {
    /// The status the process exits with.
    pub fn status(self) -> u8 {
        match self {
            Code::Ok => 0,
            Code::Findings => 1,
            Code::Usage => 2,
        }
    }
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code.status())
    }
}

/// An error that ends the run with a given status.
#[derive(Debug)]
struct Exit {
    code: Code,
    message: String,
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

/// The error that ends the run with `code` after printing `message`.
pub fn fail(code: Code, message: impl Into<String>) -> anyhow::Error {
    anyhow!(Exit {
        code,
        message: message.into(),
    })
}

/// Prints the error that ended the run on standard error and gives its status: the one
/// [`fail`] chose, else [`Code::Usage`] (an I/O error printing the output, say).
pub fn report(err: &anyhow::Error) -> Code {
    let code = err.downcast_ref::<Exit>().map_or(Code::Usage, |e| e.code);
    let message = scplan::text::sanitize(&format!("{err:#}"));
    eprintln!("scplan: {message}");
    code
}
