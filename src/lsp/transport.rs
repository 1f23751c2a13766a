//! The wire: JSON-RPC messages framed by a `Content-Length` header, read one at a time from
//! the client and written back. lsp-server's own reader stops the connection at the first
//! bad frame and sizes its buffer from the header before reading; this one reads headers with
//! a bound, refuses a body over the limit without allocating it, and reports a bad frame or
//! body as such, so that the server answers it with an error and reads on.

use std::io::{self, BufRead, Read, Write};

use lsp_server::Message;
use serde_json::Value;

use crate::plan::source::MAX_PLAN_BYTES;

/// The largest message body read: a whole plan at the size limit, escaped as a JSON string
/// (at most six bytes per byte in the worst case), and the message around it.
pub const MAX_BODY_BYTES: u64 = 6 * MAX_PLAN_BYTES + 64 * 1024;

/// The longest header line read.
const MAX_HEADER_LINE: u64 = 1024;

/// What one read from the client gave.
#[derive(Debug)]
pub enum Frame {
    /// A message body that is JSON.
    Json(Value),
    /// A message that could not be read: a bad header, a body too large or not JSON. What
    /// was wrong, for the error reply.
    Malformed(String),
    /// A message whose header gives a body over the limit: what to say, and the length of
    /// the body, which is to be skipped ([`skip`]) once that is said.
    Oversized(String, u64),
    /// The client closed its end.
    Closed,
}

/// Reads the next message from `input`. An I/O error is the connection failing; a bad
/// message is a [`Frame::Malformed`], after which reading goes on at the next header.
pub fn read(input: &mut impl BufRead) -> io::Result<Frame> {
    // A body where a header should start (one whose header gave no usable length, or the rest
    // of one longer than its length): the messages that follow cannot be told apart, and
    // reading on would wait for a header line that never comes. The connection fails.
    if input
        .fill_buf()?
        .first()
        .is_some_and(|b| matches!(b, b'{' | b'['))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a message body where a header should be: the messages that follow cannot be told apart",
        ));
    }
    let mut length: Option<u64> = None;
    let mut bad: Option<String> = None;
    let mut any_header = false;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(if any_header {
                Frame::Malformed("the stream ended inside a header".to_string())
            } else {
                Frame::Closed
            });
        }
        if !line.ends_with(b"\n") {
            if (n as u64) < MAX_HEADER_LINE {
                return Ok(Frame::Malformed(
                    "the stream ended inside a header".to_string(),
                ));
            }
            // An over-long line: skip the rest of it.
            let mut rest = Vec::new();
            input.read_until(b'\n', &mut rest)?;
            bad.get_or_insert_with(|| "a header line is too long".to_string());
            continue;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !any_header {
                // Blank lines between messages carry nothing.
                continue;
            }
            break;
        }
        any_header = true;
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<u64>() {
                    Ok(len) => length = Some(len),
                    Err(_) => {
                        bad.get_or_insert_with(|| format!("bad Content-Length `{}`", value.trim()));
                    }
                }
            }
            Some(_) => {}
            None => {
                bad.get_or_insert_with(|| format!("malformed header `{line}`"));
            }
        }
    }
    let Some(length) = length else {
        return Ok(Frame::Malformed(
            bad.unwrap_or_else(|| "no Content-Length header".to_string()),
        ));
    };
    if length > MAX_BODY_BYTES {
        // Said before the body is read past: it may be long in coming, or never come.
        return Ok(Frame::Oversized(
            format!("a message of {length} bytes is over the limit of {MAX_BODY_BYTES}"),
            length,
        ));
    }
    let mut body = Vec::new();
    input.by_ref().take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Ok(Frame::Malformed(
            "the stream ended inside a message".to_string(),
        ));
    }
    if let Some(bad) = bad {
        return Ok(Frame::Malformed(bad));
    }
    Ok(match serde_json::from_slice(&body) {
        Ok(value) => Frame::Json(value),
        Err(err) => Frame::Malformed(format!("the message is not JSON: {err}")),
    })
}

/// Reads past `length` bytes of a body refused as too large, keeping none of it.
pub fn skip(input: &mut impl BufRead, length: u64) -> io::Result<()> {
    io::copy(&mut input.by_ref().take(length), &mut io::sink()).map(|_| ())
}

/// Writes one message to the client.
pub fn write(output: &mut impl Write, message: Message) -> io::Result<()> {
    message.write(output)?;
    output.flush()
}

/// Writes a raw JSON-RPC body (a reply whose id is `null`, which lsp-server cannot express).
pub fn write_raw(output: &mut impl Write, body: &Value) -> io::Result<()> {
    let text = body.to_string();
    write!(output, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<String> {
        let mut reader = io::Cursor::new(input.as_bytes().to_vec());
        let mut out = Vec::new();
        loop {
            match read(&mut reader).unwrap() {
                Frame::Closed => return out,
                Frame::Json(v) => out.push(v.to_string()),
                Frame::Malformed(why) => out.push(format!("bad: {why}")),
                Frame::Oversized(why, length) => {
                    out.push(format!("bad: {why}"));
                    skip(&mut reader, length).unwrap();
                }
            }
        }
    }

    #[test]
    fn good_bad_and_huge_frames_are_told_apart_and_reading_goes_on() {
        let got = frames(concat!(
            "Content-Length: 2\r\n\r\n{}",
            "Content-Length: 3\r\n\r\n{x}",
            "X-Other: 1\r\n\r\n",
            "Content-Length: 99999999999999999999\r\n\r\n",
            "Content-Length: 18446744073709551615\r\n\r\n",
            "content-length:7\r\nContent-Type: utf-8\r\n\r\n[1,2,3]",
        ));
        assert_eq!(got[0], "{}");
        assert!(
            got[1].starts_with("bad: the message is not JSON"),
            "{got:?}"
        );
        assert_eq!(got[2], "bad: no Content-Length header");
        assert!(got[3].starts_with("bad: bad Content-Length"), "{got:?}");
        assert!(got[4].contains("over the limit"), "{got:?}");
        assert_eq!(got.len(), 5, "{got:?}");
    }

    #[test]
    fn a_body_after_a_header_without_a_usable_length_fails_the_connection() {
        for input in [
            "Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\"}",
            "X-Other: 1\r\n\r\n[1]",
        ] {
            let mut reader = io::Cursor::new(input.as_bytes().to_vec());
            // The header is said to be bad; the body after it ends the connection.
            assert!(
                matches!(read(&mut reader), Ok(Frame::Malformed(_))),
                "{input}"
            );
            let err = read(&mut reader).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{input}");
            assert!(err.to_string().contains("cannot be told apart"), "{err}");
        }
    }

    #[test]
    fn a_stream_cut_short_is_malformed_not_an_error() {
        assert_eq!(
            frames("Content-Length: 10\r\n\r\n{}"),
            ["bad: the stream ended inside a message"]
        );
        assert_eq!(
            frames("Content-Le"),
            ["bad: the stream ended inside a header"]
        );
    }
}
