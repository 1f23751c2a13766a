//! A tiny LSP client for tests and benches: `scplan lsp` as a child process, messages framed
//! with Content-Length (std::process and serde_json), replies matched to requests by id.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// The server as a child process, and what it writes, frame by frame.
pub struct Client {
    child: Child,
    stdin: ChildStdin,
    frames: Receiver<Value>,
    next_id: i64,
    /// Notifications that came while waiting for a reply.
    pub notes: Vec<Value>,
}

impl Client {
    pub fn start(args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scplan"))
            .env("SCPLAN_CONFIG", "/nonexistent/scplan/config.toml")
            .args(args)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("scplan starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, frames) = channel();
        std::thread::spawn(move || {
            while let Some(frame) = read_frame(&mut stdout) {
                if tx.send(frame).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            frames,
            next_id: 0,
            notes: Vec::new(),
        }
    }

    /// A client that has initialized the server, offering these position encodings.
    pub fn initialized(args: &[&str], encodings: &[&str]) -> (Client, Value) {
        let mut c = Client::start(args);
        let init = c.request(
            "initialize",
            json!({"processId": null, "rootUri": null,
                   "capabilities": {"general": {"positionEncodings": encodings}}}),
        );
        c.notify("initialized", json!({}));
        (c, init)
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_raw(framed.as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub fn recv(&mut self) -> Value {
        self.frames
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    /// Sends a request and waits for its whole reply (`result` or `error`).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.reply_to(json!(id))
    }

    pub fn reply_to(&mut self, id: Value) -> Value {
        loop {
            let frame = self.recv();
            if frame.get("id") == Some(&id) && frame.get("method").is_none() {
                return frame;
            }
            self.notes.push(frame);
        }
    }

    /// A request's result; the test fails on an error reply.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let reply = self.call(method, params);
        assert!(reply.get("error").is_none(), "{method}: {reply}");
        reply["result"].clone()
    }

    /// The error code of a request's reply.
    pub fn error(&mut self, method: &str, params: Value) -> i64 {
        let reply = self.call(method, params);
        reply["error"]["code"]
            .as_i64()
            .unwrap_or_else(|| panic!("{method} should fail: {reply}"))
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        if let Some(i) = self.notes.iter().position(|n| is_diagnostics(n, uri)) {
            return self.notes.remove(i)["params"].clone();
        }
        loop {
            let frame = self.recv();
            if is_diagnostics(&frame, uri) {
                return frame["params"].clone();
            }
            self.notes.push(frame);
        }
    }

    pub fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    /// Shuts the server down and gives its exit status and standard error.
    pub fn finish(mut self) -> (i32, String) {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    pub fn wait(mut self) -> (i32, String) {
        drop(self.stdin);
        let status = self.child.wait().unwrap();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            e.read_to_string(&mut err).unwrap();
        }
        (status.code().unwrap_or(-1), err)
    }
}

pub fn is_diagnostics(frame: &Value, uri: &str) -> bool {
    frame["method"] == "textDocument/publishDiagnostics" && frame["params"]["uri"] == uri
}

/// One frame from the server, `None` when it closed its output.
pub fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
