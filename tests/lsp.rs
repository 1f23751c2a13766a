//! `scplan lsp` driven as a process over stdio with JSON-RPC, as an editor drives it: a tiny
//! client with Content-Length framing (std::process and serde_json), replies asserted on the
//! sample plan and rule fixtures; malformed and out-of-order messages answered with errors; a
//! 10,000-message random session without a panic.

#[path = "support/lsp_client.rs"]
mod lsp_client;

use lsp_client::{Client, is_diagnostics};
use serde_json::{Value, json};

const SAMPLE: &str = include_str!("../plans/eucom-sample.toml");
const URI: &str = "file:///plans/eucom-sample.toml";

/// The 0-based line and UTF-16 column of the first `needle` in `text` after `after`.
fn pos(text: &str, after: &str, needle: &str) -> Value {
    let from = text.find(after).expect("anchor in text");
    let at = from + text[from..].find(needle).expect("needle in text");
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character = text[start..at].encode_utf16().count();
    json!({"line": line, "character": character})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_session_checks_hovers_navigates_and_renames() {
    let (mut c, init) = Client::initialized(&[], &["utf-16"]);
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(init["serverInfo"]["name"], "scplan");

    let published = c.open(URI, SAMPLE);
    assert_eq!(published["version"], 1);
    assert!(
        !codes(&published).iter().any(|c| c.starts_with("SCP0")),
        "{published}"
    );

    // Hover on a link: the priority, its source and coverage.
    let link = pos(SAMPLE, "priorities = [\"SP-1\", \"SP-3\"]", "SP-1");
    let hover = c.request("textDocument/hover", at(URI, link.clone()));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**SP-1** (priority)"), "{text}");
    assert!(
        text.contains("Source:") && text.contains("Linked by"),
        "{text}"
    );
    // On a key: the catalogue's help.
    let key = c.request(
        "textDocument/hover",
        at(URI, pos(SAMPLE, "[[country.objective]]", "tech_areas")),
    );
    assert!(
        key["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("technology areas"),
        "{key}"
    );
    // On a marking: its meaning and releasability.
    let marking = c.request(
        "textDocument/hover",
        at(URI, pos(SAMPLE, "[[priority]]", "U\"")),
    );
    assert!(
        marking["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Releasable to every partner"),
        "{marking}"
    );

    // Definition: from the link to the priority's id.
    let def = c.request("textDocument/definition", at(URI, link.clone()));
    let id_line = SAMPLE[..SAMPLE.find("id = \"SP-1\"").unwrap()]
        .matches('\n')
        .count();
    assert_eq!(def[0]["range"]["start"]["line"], id_line, "{def}");
    // References: every objective linking it.
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": link, "context": {"includeDeclaration": false}}),
    );
    let links = SAMPLE.matches("\"SP-1\"").count() - 1;
    assert_eq!(refs.as_array().unwrap().len(), links, "{refs}");
    // Rename: the id and every reference.
    let prepared = c.request("textDocument/prepareRename", at(URI, link.clone()));
    assert_eq!(prepared["placeholder"], "SP-1");
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": link, "newName": "SP-9"}),
    );
    let edits = edit["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), links + 1);
    assert!(edits.iter().all(|e| e["newText"] == "\"SP-9\""));
    assert_eq!(
        c.error("textDocument/rename", json!({"textDocument": {"uri": URI}, "position": pos(SAMPLE, "priorities = [\"SP-1\"", "SP-1"), "newName": "SP-2"})),
        -32803,
        "a rename to a used id is refused"
    );
    // A mention in a comment is followed to the definition, but a rename does not change it:
    // nothing to rename there.
    let mentioned = SAMPLE.replacen("id = \"SP-1\"\n", "id = \"SP-1\"\n# as SP-1 says\n", 1);
    let other = "file:///plans/mentioned.toml";
    c.open(other, &mentioned);
    let mention = pos(&mentioned, "# as ", "SP-1");
    let def = c.request("textDocument/definition", at(other, mention.clone()));
    assert_eq!(def[0]["range"]["start"]["line"], id_line, "{def}");
    let prepared = c.request("textDocument/prepareRename", at(other, mention.clone()));
    assert!(prepared.is_null(), "{prepared}");
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": other}, "position": mention, "newName": "SP-9"}),
    );
    assert!(edit.is_null(), "{edit}");

    let (status, err) = c.finish();
    assert_eq!(status, 0, "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_session_completes_changes_fixes_and_lists_symbols() {
    let (mut c, _) = Client::initialized(&[], &["utf-16"]);
    c.open(URI, SAMPLE);
    // Completion: priority ids in a priorities list, with their titles.
    let inside = pos(SAMPLE, "priorities = [\"SP-1\", \"SP-3\"]", "SP-3");
    let items = c.request("textDocument/completion", at(URI, inside));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    // The list's other entry (SP-1) is not offered again.
    assert!(
        !labels.contains(&"SP-1") && labels.contains(&"SP-5"),
        "{labels:?}"
    );

    // didChange (incremental): a dangling link, then its quick fix.
    let start = pos(SAMPLE, "priorities = [\"SP-1\", \"SP-3\"]", "SP-3");
    let end = json!({"line": start["line"], "character": start["character"].as_u64().unwrap() + 4});
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": "SP-33"}]}),
    );
    let published = c.diagnostics(URI);
    assert_eq!(published["version"], 2);
    let dangling = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SCP103")
        .cloned()
        .expect("SCP103");
    assert!(
        dangling["message"]
            .as_str()
            .unwrap()
            .contains("help: did you mean"),
        "{dangling}"
    );
    assert!(dangling.get("codeDescription").is_none());
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": dangling["range"], "context": {"diagnostics": [dangling]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Link SP-3"))
        .expect("the closest id");
    let edits = fix["edit"]["changes"][URI].as_array().unwrap();
    // The lines it changes, whole (the editing core's fix, as text): the link, and its
    // review stamp, as a link made in any editor is stamped.
    assert_eq!(edits.len(), 2, "{edits:?}");
    assert_eq!(edits[0]["newText"], "  priorities = [\"SP-1\", \"SP-3\"]\n");
    assert_eq!(
        edits[0]["range"]["start"]["line"], start["line"],
        "only its line"
    );
    let stamp = edits[1]["newText"].as_str().unwrap();
    assert!(
        stamp.starts_with("  reviewed_links = { SP-3 = \"") && stamp.ends_with("\" }\n"),
        "{stamp}"
    );

    // Symbols: the outline, and items of open plans by name.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"priorities") && names.contains(&"POL"),
        "{names:?}"
    );
    // An objective spans its indicators, listed under it.
    let pol = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "POL")
        .unwrap();
    let objective = &pol["children"][0];
    assert_eq!(objective["name"], "POL-ST-1");
    let indicators = objective["children"].as_array().expect("its indicators");
    assert_eq!(indicators.len(), 2, "{objective}");
    let last_line = |s: &Value| s["range"]["end"]["line"].as_u64().unwrap();
    assert!(
        last_line(objective) >= last_line(&indicators[1]),
        "{objective}"
    );
    // A section spans its barriers too, listed by their kind.
    let barriers: Vec<&Value> = pol["children"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"] == "export-control" || s["name"] == "industrial-policy")
        .collect();
    assert_eq!(barriers.len(), 2, "{pol}");
    assert!(last_line(pol) >= last_line(barriers[1]), "{pol}");
    let found = c.request("workspace/symbol", json!({"query": "POL-AG"}));
    assert!(!found.as_array().unwrap().is_empty(), "{found}");

    let (status, err) = c.finish();
    assert_eq!(status, 0, "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn rule_codes_fixes_and_waivers_on_fixtures() {
    let (mut c, _) = Client::initialized(&[], &["utf-16"]);
    let uri = "file:///fixtures/SCP202-fires.toml";
    let text = include_str!("fixtures/rules/SCP202-fires.toml");
    let published = c.open(uri, text);
    assert!(codes(&published).contains(&"SCP202".to_string()));
    let banner = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SCP202")
        .unwrap()
        .clone();
    assert_eq!(
        banner["relatedInformation"][0]["message"],
        "this portion is marked CUI"
    );
    // Hover on the code in the comment: the rule's explanation.
    let hover = c.request("textDocument/hover", at(uri, pos(text, "#", "SCP202")));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Why it matters"),
        "{hover}"
    );
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": banner["range"], "context": {"diagnostics": []}}),
    );
    // A range past the end of the text is named by the end that is outside it.
    let past = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9999, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert_eq!(
        past["error"]["message"], "line 9999 character 0 is outside the document",
        "{past}"
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "Set the banner to CUI");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(
        fix["edit"]["changes"][uri][0]["newText"],
        "marking = \"CUI\"\n"
    );

    // A warning can be waived: a [[waiver]] at the end with a reason to write.
    let uri = "file:///fixtures/SCP301-fires.toml";
    let text = include_str!("fixtures/rules/SCP301-fires.toml");
    let published = c.open(uri, text);
    let review = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SCP301")
        .unwrap()
        .clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": review["range"], "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.iter().any(|t| t.starts_with("Mark ")), "{titles:?}");
    let waive = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Waive SCP301"))
        .unwrap();
    let insert = &waive["edit"]["changes"][uri][0];
    assert!(
        insert["newText"]
            .as_str()
            .unwrap()
            .contains("[[waiver]]\nrule = \"SCP301\"")
    );
    assert_eq!(
        insert["range"]["start"], insert["range"]["end"],
        "an insertion"
    );

    assert_eq!(c.finish().0, 0);

    // The authority block of a classified plan, on a workstation accredited for it.
    let (mut c, _) = Client::initialized(&["--system-high", "TS"], &["utf-16"]);
    let uri = "file:///fixtures/SCP211-fires.toml";
    let text = include_str!("fixtures/rules/SCP211-fires.toml");
    let published = c.open(uri, text);
    let missing = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SCP211")
        .unwrap()
        .clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": missing["range"], "context": {"diagnostics": []}}),
    );
    assert!(
        actions[0]["title"]
            .as_str()
            .unwrap()
            .contains("[plan.authority]"),
        "{actions}"
    );
    let (status, _) = c.finish();
    assert_eq!(status, 0);
}

#[test]
fn utf8_is_agreed_when_offered_and_non_ascii_text_keeps_positions() {
    let text = SAMPLE.replacen("title = \"", "title = \"Ωμέγα 😀 SP-2 ", 1);
    for (offered, agreed) in [
        (vec!["utf-8", "utf-16"], "utf-8"),
        (vec!["utf-16"], "utf-16"),
        (vec![], "utf-16"),
    ] {
        let (mut c, init) = Client::initialized(&[], &offered);
        assert_eq!(init["capabilities"]["positionEncoding"], agreed);
        c.open(URI, &text);
        let line_start = text.find("title = \"Ωμέγα").unwrap();
        let at_id = text[line_start..].find("SP-2").unwrap();
        let before = &text[line_start..line_start + at_id];
        let character = match agreed {
            "utf-8" => before.len(),
            _ => before.encode_utf16().count(),
        } + 1;
        let line = text[..line_start].matches('\n').count();
        let hover = c.request(
            "textDocument/hover",
            at(URI, json!({"line": line, "character": character})),
        );
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("**SP-2** (priority)"),
            "{agreed}: {hover}"
        );
        let range = &hover["range"];
        assert_eq!(range["start"]["character"], character - 1, "{agreed}");
        // An edit after the emoji, then the same hover one character further on.
        let emoji = before.find('😀').unwrap();
        let after_emoji = match agreed {
            "utf-8" => emoji + 4,
            _ => before[..emoji].encode_utf16().count() + 2,
        };
        let p = json!({"line": line, "character": after_emoji});
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2},
                   "contentChanges": [{"range": {"start": p, "end": p}, "text": "é"}]}),
        );
        c.diagnostics(URI);
        let shifted = character + if agreed == "utf-8" { 2 } else { 1 };
        let hover = c.request(
            "textDocument/hover",
            at(URI, json!({"line": line, "character": shifted})),
        );
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("**SP-2**"),
            "{agreed}: {hover}"
        );
        assert_eq!(c.finish().0, 0);
    }
}

#[test]
fn a_plan_above_the_system_high_gets_one_diagnostic_and_no_content() {
    let (mut c, _) = Client::initialized(&["--system-high", "U"], &[]);
    let uri = "file:///fixtures/above.toml";
    let text = include_str!("fixtures/rules/SCP202-fires.toml");
    let published = c.open(uri, text);
    assert_eq!(codes(&published), ["SCP209"], "{published}");
    let hover = c.request(
        "textDocument/hover",
        at(uri, pos(text, "priorities = [", "SP-1")),
    );
    assert_eq!(hover, Value::Null);
    let completion = c.request(
        "textDocument/completion",
        at(uri, pos(text, "priorities = [", "SP-1")),
    );
    assert_eq!(completion, json!([]));
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(symbols, json!([]));
    assert_eq!(
        c.request("workspace/symbol", json!({"query": ""})),
        json!([])
    );
    let def = c.request(
        "textDocument/definition",
        at(uri, pos(text, "priorities = [", "SP-1")),
    );
    assert_eq!(def, json!([]));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": published["diagnostics"][0]["range"], "context": {"diagnostics": []}}),
    );
    assert_eq!(actions, json!([]));
    assert_eq!(c.finish().0, 0);
}

#[test]
fn malformed_and_out_of_order_messages_get_error_replies() {
    let mut c = Client::start(&[]);
    // Before initialize: not initialized.
    assert_eq!(
        c.error(
            "textDocument/hover",
            at(URI, json!({"line": 0, "character": 0}))
        ),
        -32002
    );
    // Not JSON, no Content-Length, a huge length: parse errors with a null id.
    c.send_raw(b"Content-Length: 5\r\n\r\n{oops");
    let reply = c.recv();
    assert_eq!(
        (reply["id"].clone(), reply["error"]["code"].clone()),
        (Value::Null, json!(-32700))
    );
    c.send_raw(b"Content-Type: x\r\n\r\n");
    assert_eq!(c.recv()["error"]["code"], -32700);
    c.send(&json!([1, 2]));
    assert_eq!(c.recv()["error"]["code"], -32600);
    c.send(&json!({"jsonrpc": "2.0", "id": {"x": 1}, "method": "initialize"}));
    assert_eq!(c.recv()["error"]["code"], -32600);
    assert_eq!(c.error("initialize", json!({"capabilities": 5})), -32602);
    c.request("initialize", json!({"capabilities": {}}));
    assert_eq!(
        c.error("initialize", json!({"capabilities": {}})),
        -32600,
        "twice"
    );
    assert_eq!(c.error("textDocument/unknown", json!({})), -32601);
    assert_eq!(c.error("textDocument/hover", json!({"nope": 1})), -32602);
    assert_eq!(
        c.error(
            "textDocument/hover",
            at("file:///not/open.toml", json!({"line": 0, "character": 0}))
        ),
        -32602
    );
    c.open(URI, SAMPLE);
    assert_eq!(
        c.error(
            "textDocument/hover",
            at(URI, json!({"line": 99999, "character": 0}))
        ),
        -32602
    );
    // A bad change is logged (a notification takes no reply) and the text is kept.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 5000, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nope", "version": 2}, "contentChanges": []}),
    );
    let logged = loop {
        let frame = c.recv();
        if frame["method"] == "window/logMessage" {
            break frame;
        }
    };
    assert_eq!(logged["params"]["type"], 1, "{logged}");
    let hover = c.request(
        "textDocument/hover",
        at(URI, pos(SAMPLE, "priorities = [", "SP-1")),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("SP-1")
    );
    c.request("shutdown", Value::Null);
    assert_eq!(
        c.error(
            "textDocument/hover",
            at(URI, json!({"line": 0, "character": 0}))
        ),
        -32600
    );
    c.notify("exit", Value::Null);
    let (status, err) = c.wait();
    assert_eq!(status, 0, "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // Exit without shutdown: status 1.
    let mut c = Client::start(&[]);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait().0, 1);
}

/// A small deterministic generator (xorshift), so that a failing session can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A random message: mostly well-formed requests and changes at random places, some with
/// wrong parameters, unknown methods or garbage.
fn random_message(rng: &mut Rng, id: i64, version: &mut i64) -> (Vec<u8>, bool) {
    const METHODS: &[&str] = &[
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/prepareRename",
        "textDocument/rename",
        "textDocument/completion",
        "textDocument/codeAction",
        "textDocument/documentSymbol",
        "workspace/symbol",
        "textDocument/formatting",
    ];
    const TEXTS: &[&str] = &[
        "",
        "\n",
        "\"",
        "[",
        "]",
        "SP-1",
        "é😀",
        "[[country]]\n",
        "= ",
        "marking = \"S//REL TO USA, \"",
        "#",
        "\r\n",
        "{",
        "}",
        "\\",
        "'''",
    ];
    let far = rng.below(20) == 0;
    let line = rng.below(if far { 100_000 } else { 700 });
    let wide = rng.below(20) == 0;
    let character = rng.below(if wide { 1_000_000 } else { 60 });
    let position = json!({"line": line, "character": character});
    let uri = if rng.below(30) == 0 {
        "file:///other.toml"
    } else {
        URI
    };
    let frame = |v: Value| {
        let body = v.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    };
    match rng.below(10) {
        0..=3 => {
            *version += 1;
            let end = json!({"line": line + rng.below(3), "character": rng.below(40)});
            let text: String = (0..rng.below(4)).map(|_| rng.pick(TEXTS)).collect();
            let change = json!({"textDocument": {"uri": uri, "version": *version},
                                "contentChanges": [{"range": {"start": position, "end": end}, "text": text}]});
            (
                frame(
                    json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": change}),
                ),
                false,
            )
        }
        4..=7 => {
            let method = rng.pick(METHODS);
            let params = json!({"textDocument": {"uri": uri}, "position": position,
                                "range": {"start": position, "end": position},
                                "context": {"diagnostics": [], "includeDeclaration": true},
                                "newName": rng.pick(TEXTS), "query": rng.pick(TEXTS)});
            (
                frame(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})),
                true,
            )
        }
        8 => {
            let params = json!({"textDocument": rng.pick(TEXTS), "position": "x"});
            (
                frame(
                    json!({"jsonrpc": "2.0", "id": id, "method": rng.pick(METHODS), "params": params}),
                ),
                true,
            )
        }
        _ => {
            let junk: String = (0..rng.below(6)).map(|_| rng.pick(TEXTS)).collect();
            (
                format!("Content-Length: {}\r\n\r\n{junk}", junk.len()).into_bytes(),
                false,
            )
        }
    }
}

#[test]
fn a_random_session_of_ten_thousand_messages_never_panics() {
    let (mut c, _) = Client::initialized(&[], &["utf-16"]);
    c.open(URI, SAMPLE);
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut version = 1;
    let mut requests = 0;
    for i in 0..10_000 {
        let id = 1_000_000 + i;
        let (bytes, is_request) = random_message(&mut rng, id, &mut version);
        c.send_raw(&bytes);
        if is_request {
            requests += 1;
            let reply = c.reply_to(json!(id));
            assert!(
                reply.get("result").is_some() || reply.get("error").is_some(),
                "{reply}"
            );
            assert_ne!(reply["error"]["code"], -32603, "an internal error: {reply}");
        }
        // Drop what was published meanwhile, keeping memory flat.
        c.notes.clear();
    }
    assert!(requests > 3_000);
    // Still in step: a final whole-text change gives the sample's diagnostics back.
    version += 1;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": SAMPLE}]}),
    );
    // A request after it: every diagnostics published before its reply has come.
    c.request("workspace/symbol", json!({"query": "-"}));
    let published = c
        .notes
        .iter()
        .rev()
        .find(|n| is_diagnostics(n, URI))
        .map(|n| n["params"].clone())
        .expect("diagnostics of the last change");
    assert_eq!(published["version"], version);
    let mut fresh = Client::initialized(&[], &["utf-16"]).0;
    assert_eq!(codes(&published), codes(&fresh.open(URI, SAMPLE)));
    fresh.finish();
    let (status, err) = c.finish();
    assert_eq!(status, 0);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_length_over_the_limit_is_answered_at_once_not_once_its_body_came() {
    let mut c = Client::start(&[]);
    // The body never comes: the error must not wait for it.
    c.send_raw(b"Content-Length: 99999999999999\r\n\r\n");
    let reply = c.recv();
    assert_eq!(reply["error"]["code"], -32700, "{reply}");
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("over the limit"),
        "{reply}"
    );
}

/// Every symbol's name in an outline, nested ones included.
fn symbol_names(symbols: &Value, out: &mut Vec<String>) {
    for s in symbols.as_array().into_iter().flatten() {
        out.push(s["name"].as_str().unwrap_or_default().to_string());
        symbol_names(&s["children"], out);
    }
}

#[test]
fn plan_text_is_shown_literally_and_only_what_may_be_written_is_offered() {
    let (mut c, _) = Client::initialized(&[], &["utf-16"]);
    // Blank ids and codes, as while one is typed; a title holding Markdown.
    let text = SAMPLE
        .replacen("id = \"POL-ST-1\"", "id = \"\"", 1)
        .replacen("code = \"DEU\"", "code = \"   \"", 1)
        .replacen(
            "title = \"Deter aggression",
            "title = \"![t](http://198.51.100.1/p.png) [docs](http://198.51.100.1/) `x` Deter aggression",
            1,
        );
    c.open(URI, &text);
    // The protocol forbids a symbol name that is empty or only spaces.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let mut names = Vec::new();
    symbol_names(&symbols, &mut names);
    assert!(names.len() > 10, "{names:?}");
    assert!(names.iter().all(|n| !n.trim().is_empty()), "{names:?}");
    assert!(names.iter().any(|n| n == "(blank)"), "{names:?}");
    // The hover of the priority shows its title as text: no image, no link.
    let hover = c.request(
        "textDocument/hover",
        at(URI, pos(&text, "priorities = [\"SP-1\"", "SP-1")),
    );
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("!\\[t\\](http"), "{value}");
    assert!(
        value.contains("\\[docs\\]") && value.contains("\\`x\\`"),
        "{value}"
    );
    // A waiver's rule: what may be waived, never SCP503 (a waiver naming it is SCP501).
    let rule = pos(&text, "[[waiver]]", "SCP301");
    let items = c.request("textDocument/completion", at(URI, rule));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"SCP301"), "{labels:?}");
    assert!(
        !labels.contains(&"SCP503") && !labels.contains(&"SCP102"),
        "{labels:?}"
    );
    let (status, err) = c.finish();
    assert_eq!(status, 0, "{err}");
}
