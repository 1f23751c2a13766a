//! The Word package as it is written: docx-rs packs the skeleton's parts (storing them, as
//! it always does), and here every part is written again, in the same order with the same
//! names, deflated; the document part is the skeleton's with the body put in around its table
//! of contents, so that the body (by far the largest piece) is neither copied whole nor
//! stored uncompressed. A large plan's document part is ten times smaller deflated.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The document part's name in the package.
const DOCUMENT: &str = "word/document.xml";

/// The package of `skeleton` (docx-rs's packed bytes) with every part deflated, and `body`
/// in its document part: the skeleton's body (the table of contents) goes at `toc_at` in
/// `body`, and the document's start and end around both.
pub fn deflated(skeleton: &[u8], body: &[u8], toc_at: usize) -> Result<Vec<u8>, String> {
    let failed = |e: zip::result::ZipError| format!("the Word package could not be written: {e}");
    let mut parts = ZipArchive::new(Cursor::new(skeleton)).map_err(failed)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(body.len() / 8)));
    for i in 0..parts.len() {
        let mut part = parts.by_index(i).map_err(failed)?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(i64::from(super::DEFLATE_LEVEL)))
            .last_modified_time(part.last_modified().unwrap_or_default());
        let options = match part.unix_mode() {
            Some(mode) => options.unix_permissions(mode),
            None => options,
        };
        if part.is_dir() {
            out.add_directory(part.name(), options).map_err(failed)?;
            continue;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(part.size()).unwrap_or(0));
        part.read_to_end(&mut bytes).map_err(|e| failed(e.into()))?;
        out.start_file(part.name(), options).map_err(failed)?;
        let pieces = if part.name() == DOCUMENT {
            around(&bytes, body, toc_at)?
        } else {
            vec![&bytes[..]]
        };
        for piece in pieces {
            out.write_all(piece).map_err(|e| failed(e.into()))?;
        }
    }
    Ok(out.finish().map_err(failed)?.into_inner())
}

/// The document part in pieces: the skeleton's part up to its body's content, `body` up to
/// `toc_at`, the skeleton's body content (the table of contents and its page break), the
/// rest of `body`, and the skeleton's section properties and end.
fn around<'a>(skeleton: &'a [u8], body: &'a [u8], toc_at: usize) -> Result<Vec<&'a [u8]>, String> {
    let find = |needle: &[u8]| {
        memchr::memmem::find(skeleton, needle)
            .ok_or_else(|| "the Word skeleton has no body".to_string())
    };
    let open = find(b"<w:body>")? + b"<w:body>".len();
    let section = find(b"<w:sectPr")?;
    if section < open {
        return Err("the Word skeleton has no body".to_string());
    }
    let toc_at = toc_at.min(body.len());
    Ok(vec![
        &skeleton[..open],
        &body[..toc_at],
        &skeleton[open..section],
        &body[toc_at..],
        &skeleton[section..],
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored package of `parts` (a name ending in `/` is a folder), as docx-rs packs one.
    fn stored(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        for (name, text) in parts {
            if name.ends_with('/') {
                zip.add_directory(*name, options).unwrap();
            } else {
                zip.start_file(*name, options).unwrap();
                zip.write_all(text.as_bytes()).unwrap();
            }
        }
        zip.finish().unwrap().into_inner()
    }

    /// Every entry of a package: (name, how it is compressed, text).
    fn entries(package: &[u8]) -> Vec<(String, CompressionMethod, String)> {
        let mut zip = ZipArchive::new(Cursor::new(package)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut file = zip.by_index(i).unwrap();
                let mut text = String::new();
                file.read_to_string(&mut text).unwrap();
                (file.name().to_string(), file.compression(), text)
            })
            .collect()
    }

    #[test]
    fn every_part_is_kept_in_order_deflated_and_the_body_goes_around_the_contents() {
        let document = "<w:document><w:body><toc/><w:sectPr/></w:body></w:document>";
        let skeleton = stored(&[
            ("word/", ""),
            ("[Content_Types].xml", "<Types/>"),
            (DOCUMENT, document),
            ("word/styles.xml", "<w:styles/>"),
        ]);
        let body = "<cover/><p>one</p><p>two</p>".repeat(3);
        let toc_at = "<cover/>".len();
        let package = deflated(&skeleton, body.as_bytes(), toc_at).unwrap();
        let want_document = format!(
            "<w:document><w:body><cover/><toc/>{}<w:sectPr/></w:body></w:document>",
            &body[toc_at..]
        );
        let got = entries(&package);
        let names: Vec<&str> = got.iter().map(|(name, ..)| name.as_str()).collect();
        assert_eq!(
            names,
            ["word/", "[Content_Types].xml", DOCUMENT, "word/styles.xml"]
        );
        assert_eq!(got[1].2, "<Types/>");
        assert_eq!(got[2].2, want_document);
        assert_eq!(got[3].2, "<w:styles/>");
        assert!(
            got[1..]
                .iter()
                .all(|(_, method, _)| *method == CompressionMethod::Deflated)
        );
    }

    #[test]
    fn a_skeleton_without_a_body_is_refused() {
        let skeleton = stored(&[(DOCUMENT, "<w:document></w:document>")]);
        assert!(deflated(&skeleton, b"<p/>", 0).is_err());
    }
}
