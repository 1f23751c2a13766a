//! I/O errors in words for the messages of every command: what happened, without the
//! system's error number.

use std::io;

/// An I/O error in words, without the system's error number: what a reader can act on
/// (`no such file`, `permission denied: ...`).
pub fn of(err: &io::Error) -> String {
    let said = match err.kind() {
        io::ErrorKind::NotFound => "no such file",
        io::ErrorKind::PermissionDenied => {
            "permission denied (see the file's and its folder's owner and mode)"
        }
        io::ErrorKind::IsADirectory => "is a folder, not a file",
        io::ErrorKind::NotADirectory => "a part of the path is a file, not a folder",
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only",
        io::ErrorKind::StorageFull => "the disk is full",
        io::ErrorKind::QuotaExceeded => "the disk quota is used up",
        io::ErrorKind::FileTooLarge => "over the file size limit",
        io::ErrorKind::InvalidFilename => "the name is too long or not allowed",
        _ => {
            let text = err.to_string();
            // "Something failed (os error 5)": the number says nothing more to a reader.
            return match text.rfind(" (os error ") {
                Some(at) if text.ends_with(')') => text[..at].to_string(),
                _ => text,
            };
        }
    };
    said.to_string()
}
