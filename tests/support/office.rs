//! Office exports (Word, Excel) are zips: their parts, decompressed and joined, are searched
//! as the text of the other formats is.

use std::io::{Cursor, Read};

/// The decompressed parts of a zip, joined in archive order; any other bytes as they are.
pub fn contents(bytes: &[u8]) -> Vec<u8> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return bytes.to_vec();
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("an office file is a zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).expect("a readable part");
        out.extend_from_slice(format!("\n[{}]\n", part.name()).as_bytes());
        part.read_to_end(&mut out).expect("a readable part");
    }
    out
}
