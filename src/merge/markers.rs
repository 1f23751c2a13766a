//! Conflict markers left in a file by any merge tool (git's line merge, `scplan merge`, diff3
//! style with a `|||||||` base section, any marker size of 7 or more), read into the text
//! around the conflicts and the conflicts themselves, and resolved one by one: ours, theirs,
//! both (arrays as sets) or a text of the planner's. The text outside the conflicts is kept
//! byte for byte, line endings included.

/// A marker line's character for each part of a conflict.
const OPEN: char = '<';
const BASE: char = '|';
const SEPARATOR: char = '=';
const CLOSE: char = '>';
/// The shortest marker git writes.
const MIN_MARKER: usize = 7;

/// Why a file's conflict markers cannot be read as conflicts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    /// A conflict opens inside another one.
    #[error(
        "line {line}: a conflict opens inside the one opened at line {outer} (nested conflict markers)"
    )]
    Nested {
        /// The inner opening line.
        line: usize,
        /// The outer opening line.
        outer: usize,
    },
    /// A marker of a conflict appears where no conflict is open.
    #[error("line {line}: `{marker}` outside a conflict (no `<<<<<<<` line opens one)")]
    Stray {
        /// The line.
        line: usize,
        /// The marker's characters.
        marker: String,
    },
    /// A marker appears where the open conflict expects another.
    #[error("line {line}: `{marker}` where the conflict opened at line {open} expects {expected}")]
    Unexpected {
        /// The line.
        line: usize,
        /// The marker's characters.
        marker: String,
        /// The conflict's opening line.
        open: usize,
        /// What the conflict expects there.
        expected: String,
    },
    /// A resolution still holds a whole conflict.
    #[error(
        "line {line}: the text still holds a conflict; keep the lines wanted and remove the markers"
    )]
    Left {
        /// The line of the text where the conflict opens.
        line: usize,
    },
    /// A conflict is not closed before the end of the file.
    #[error("the conflict opened at line {open} is never closed (no `>>>>>>>` line)")]
    Unclosed {
        /// The conflict's opening line.
        open: usize,
    },
}

impl MarkerError {
    /// The 1-based line the problem is at.
    pub fn line(&self) -> usize {
        match self {
            MarkerError::Nested { line, .. }
            | MarkerError::Stray { line, .. }
            | MarkerError::Unexpected { line, .. }
            | MarkerError::Left { line } => *line,
            MarkerError::Unclosed { open } => *open,
        }
    }
}

/// One conflict: what each side has, with their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The 1-based line of its `<<<<<<<` marker.
    pub line: usize,
    /// Ours' label (after `<<<<<<<`).
    pub ours_label: String,
    /// Theirs' label (after `>>>>>>>`).
    pub theirs_label: String,
    /// Ours' lines, line endings included.
    pub ours: String,
    /// The base's lines and label, in diff3 style.
    pub base: Option<(String, String)>,
    /// Theirs' lines.
    pub theirs: String,
    /// The whole block, markers included, as in the file.
    pub raw: String,
}

/// How a conflict is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Ours' lines.
    Ours,
    /// Theirs' lines.
    Theirs,
    /// Both: for one array key on both sides, ours' elements then theirs' additions; else
    /// ours' lines then theirs'.
    Both,
}

impl Block {
    /// The text that replaces the block when it is resolved this way.
    pub fn take(&self, take: Take) -> String {
        match take {
            Take::Ours => self.ours.clone(),
            Take::Theirs => self.theirs.clone(),
            Take::Both => union_arrays(&self.ours, &self.theirs).unwrap_or_else(|| {
                let mut both = self.ours.clone();
                if !both.is_empty() && !both.ends_with('\n') {
                    both.push_str(self.line_ending());
                }
                both.push_str(&self.theirs);
                both
            }),
        }
    }

    /// The keys both sides set to a value, which [`Take::Both`] would repeat (a file TOML
    /// refuses), unless both sides are one array that it merges. Empty when a side is not
    /// TOML on its own (a part of a multi-line value): nothing is known then.
    pub fn both_repeats(&self) -> Vec<String> {
        if union_arrays(&self.ours, &self.theirs).is_some() {
            return Vec::new();
        }
        let parse = |text: &str| {
            text.replace("\r\n", "\n")
                .parse::<toml_edit::DocumentMut>()
                .ok()
        };
        let (Some(ours), Some(theirs)) = (parse(&self.ours), parse(&self.theirs)) else {
            return Vec::new();
        };
        ours.as_table()
            .iter()
            .filter(|(key, item)| {
                item.is_value() && theirs.get(key).is_some_and(toml_edit::Item::is_value)
            })
            .map(|(key, _)| key.to_string())
            .collect()
    }

    /// The line ending the block's marker lines use.
    pub fn line_ending(&self) -> &'static str {
        if self
            .raw
            .split('\n')
            .next()
            .is_some_and(|l| l.ends_with('\r'))
        {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// A planner's text for the block (lines joined by `\n`, as a text field holds them) as
    /// the lines that replace it, with the block's line endings; refused while it still holds
    /// conflict markers.
    pub fn edited(&self, text: &str) -> Result<String, MarkerError> {
        let eol = self.line_ending();
        let mut out = String::new();
        for line in text.split('\n') {
            out.push_str(line.strip_suffix('\r').unwrap_or(line));
            out.push_str(eol);
        }
        if text.is_empty() {
            out.clear();
        }
        match Conflicted::parse(&out) {
            Ok(None) => Ok(out),
            Ok(Some(c)) => Err(MarkerError::Left {
                line: c.blocks().next().map_or(1, |b| b.line),
            }),
            Err(err) => Err(err),
        }
    }
}

/// A piece of a file with conflicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text outside any conflict, as in the file.
    Text(String),
    /// A conflict.
    Conflict(Block),
}

/// A file with conflict markers, in pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflicted {
    /// The text and the conflicts, in file order.
    pub pieces: Vec<Piece>,
}

/// A marker line: its character, its size and what follows it.
fn marker(line: &str) -> Option<(char, usize, &str)> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let c = line.chars().next()?;
    if ![OPEN, BASE, SEPARATOR, CLOSE].contains(&c) {
        return None;
    }
    let size = line.chars().take_while(|&x| x == c).count();
    let rest = &line[size..];
    let labelled = rest.is_empty() || (c != SEPARATOR && rest.starts_with(' '));
    (size >= MIN_MARKER && labelled).then(|| (c, size, rest.strip_prefix(' ').unwrap_or(rest)))
}

/// Where the reader is inside a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Ours,
    Base,
    Theirs,
}

/// A conflict being read.
struct Open {
    block: Block,
    size: usize,
    part: Part,
}

impl Open {
    /// What this conflict expects next, in words.
    fn expected(&self) -> String {
        let m = |c: char| c.to_string().repeat(self.size);
        match self.part {
            Part::Ours => format!("`{}` (or `{}` for a base)", m(SEPARATOR), m(BASE)),
            Part::Base => format!("`{}`", m(SEPARATOR)),
            Part::Theirs => format!("`{}`", m(CLOSE)),
        }
    }
}

impl Conflicted {
    /// Reads a text's conflicts; `None` when it has no conflict markers.
    pub fn parse(text: &str) -> Result<Option<Conflicted>, MarkerError> {
        let mut pieces = Vec::new();
        let mut outside = String::new();
        let mut open: Option<Open> = None;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let number = i + 1;
            let found = marker(line);
            let Some(mut o) = open.take() else {
                match found {
                    Some((OPEN, size, label)) => {
                        pieces.push(Piece::Text(std::mem::take(&mut outside)));
                        open = Some(Open {
                            block: Block {
                                line: number,
                                ours_label: label.to_string(),
                                theirs_label: String::new(),
                                ours: String::new(),
                                base: None,
                                theirs: String::new(),
                                raw: line.to_string(),
                            },
                            size,
                            part: Part::Ours,
                        });
                    }
                    Some((c, size, _)) => {
                        return Err(MarkerError::Stray {
                            line: number,
                            marker: c.to_string().repeat(size),
                        });
                    }
                    None => outside.push_str(line),
                }
                continue;
            };
            o.block.raw.push_str(line);
            match (found, o.part) {
                (None, Part::Ours) => o.block.ours.push_str(line),
                (None, Part::Base) => {
                    if let Some((_, base)) = &mut o.block.base {
                        base.push_str(line);
                    }
                }
                (None, Part::Theirs) => o.block.theirs.push_str(line),
                (Some((OPEN, _, _)), _) => {
                    return Err(MarkerError::Nested {
                        line: number,
                        outer: o.block.line,
                    });
                }
                (Some((BASE, size, label)), Part::Ours) if size == o.size => {
                    o.block.base = Some((label.to_string(), String::new()));
                    o.part = Part::Base;
                }
                (Some((SEPARATOR, size, _)), Part::Ours | Part::Base) if size == o.size => {
                    o.part = Part::Theirs;
                }
                (Some((CLOSE, size, label)), Part::Theirs) if size == o.size => {
                    o.block.theirs_label = label.to_string();
                    pieces.push(Piece::Conflict(o.block));
                    continue;
                }
                (Some((c, size, _)), _) => {
                    return Err(MarkerError::Unexpected {
                        line: number,
                        marker: c.to_string().repeat(size),
                        open: o.block.line,
                        expected: o.expected(),
                    });
                }
            }
            open = Some(o);
        }
        if let Some(o) = open {
            return Err(MarkerError::Unclosed { open: o.block.line });
        }
        if pieces.is_empty() {
            return Ok(None);
        }
        pieces.push(Piece::Text(outside));
        pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
        Ok(Some(Conflicted { pieces }))
    }

    /// The conflicts, in file order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Conflict(b) => Some(b),
            Piece::Text(_) => None,
        })
    }

    /// The text with every conflict replaced by its resolution (one per block, in order);
    /// `None` while one is unresolved.
    pub fn resolve(&self, resolutions: &[Option<String>]) -> Option<String> {
        let mut out = String::new();
        let mut next = resolutions.iter();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Conflict(_) => out.push_str(next.next()?.as_deref()?),
            }
        }
        Some(out)
    }
}

/// Both sides' elements of one array key (`priorities = [...]` on each side, the same key):
/// ours' document with theirs' elements that ours lacks appended, in theirs' order. `None`
/// when the sides are not that.
fn union_arrays(ours: &str, theirs: &str) -> Option<String> {
    let crlf = ours.contains("\r\n");
    let parse = |text: &str| {
        text.replace("\r\n", "\n")
            .parse::<toml_edit::DocumentMut>()
            .ok()
    };
    let (mut doc, other) = (parse(ours)?, parse(theirs)?);
    let single = |d: &toml_edit::DocumentMut| -> Option<String> {
        let mut keys = d.as_table().iter();
        let (key, item) = keys.next()?;
        (keys.next().is_none() && item.as_array().is_some()).then(|| key.to_string())
    };
    let key = single(&doc)?;
    if single(&other)? != key {
        return None;
    }
    let bare = |v: &toml_edit::Value| {
        let mut v = v.clone();
        v.decor_mut().clear();
        v.to_string()
    };
    let additions: Vec<toml_edit::Value> = {
        let mine: Vec<String> = doc.get(&key)?.as_array()?.iter().map(bare).collect();
        let mut seen = mine;
        let mut out = Vec::new();
        for v in other.get(&key)?.as_array()?.iter() {
            let b = bare(v);
            if !seen.contains(&b) {
                seen.push(b);
                let mut v = v.clone();
                v.decor_mut().clear();
                out.push(v);
            }
        }
        out
    };
    let array = doc.get_mut(&key)?.as_array_mut()?;
    for v in additions {
        array.push(v);
    }
    let text = doc.to_string();
    Some(if crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "a = 1\n<<<<<<< ours\nb = 2\n=======\nb = 3\n>>>>>>> theirs\nc = 4\n<<<<<<<< HEAD\nd = [\"x\"]\n|||||||| base\nd = []\n========\nd = [\"y\", \"x\"]\n>>>>>>>> main\n";

    #[test]
    fn two_conflicts_one_in_diff3_style_with_a_longer_marker() {
        let c = Conflicted::parse(TWO).unwrap().unwrap();
        let blocks: Vec<&Block> = c.blocks().collect();
        assert_eq!(blocks.len(), 2);
        assert_eq!(
            (
                blocks[0].line,
                blocks[0].ours.as_str(),
                blocks[0].theirs.as_str()
            ),
            (2, "b = 2\n", "b = 3\n")
        );
        assert_eq!(
            (
                blocks[0].ours_label.as_str(),
                blocks[0].theirs_label.as_str()
            ),
            ("ours", "theirs")
        );
        assert_eq!(blocks[0].base, None);
        assert_eq!(blocks[1].line, 8);
        assert_eq!(
            blocks[1].base,
            Some(("base".to_string(), "d = []\n".to_string()))
        );
        assert_eq!(blocks[1].theirs_label, "main");
        // Resolved, the text outside the conflicts is as it was.
        let text = c
            .resolve(&[Some("b = 9\n".into()), Some(blocks[1].take(Take::Both))])
            .unwrap();
        assert_eq!(text, "a = 1\nb = 9\nc = 4\nd = [\"x\", \"y\"]\n");
        assert_eq!(c.resolve(&[Some(String::new()), None]), None);
    }

    #[test]
    fn both_names_the_keys_it_would_repeat() {
        let block = |ours: &str, theirs: &str| {
            let text = format!("<<<<<<< ours\n{ours}=======\n{theirs}>>>>>>> theirs\n");
            let c = Conflicted::parse(&text).unwrap().unwrap();
            c.blocks().next().unwrap().clone()
        };
        let b = block(
            "title = \"A\"\nsource = \"x\"\n",
            "title = \"B\"\nsource = \"x\"\n",
        );
        assert_eq!(b.both_repeats(), ["title", "source"]);
        assert!(block("a = [1]\n", "a = [2]\n").both_repeats().is_empty());
        assert!(block("a = 1\n", "b = 2\n").both_repeats().is_empty());
        let tables = "[[country.objective]]\nid = \"X\"\n";
        assert!(block(tables, tables).both_repeats().is_empty());
    }

    #[test]
    fn a_text_without_markers_has_no_conflicts() {
        assert_eq!(Conflicted::parse("a = 1\nb = \"<<<<<<< x\"\n"), Ok(None));
        assert_eq!(Conflicted::parse(""), Ok(None));
        // Six characters are not a marker.
        assert_eq!(Conflicted::parse("<<<<<< a\n"), Ok(None));
    }

    #[test]
    fn crlf_text_keeps_its_line_endings() {
        let text = "a = 1\r\n<<<<<<< ours\r\nk = [\"A\"]\r\n=======\r\nk = [\"B\"]\r\n>>>>>>> theirs\r\nz = 0\r\n";
        let c = Conflicted::parse(text).unwrap().unwrap();
        let block = c.blocks().next().unwrap().clone();
        assert_eq!(block.line_ending(), "\r\n");
        assert_eq!(block.take(Take::Theirs), "k = [\"B\"]\r\n");
        assert_eq!(block.take(Take::Both), "k = [\"A\", \"B\"]\r\n");
        let edited = block.edited("k = [\"C\"]\nm = 1").unwrap();
        assert_eq!(edited, "k = [\"C\"]\r\nm = 1\r\n");
        let out = c.resolve(&[Some(block.take(Take::Ours))]).unwrap();
        assert_eq!(out, "a = 1\r\nk = [\"A\"]\r\nz = 0\r\n");
    }

    #[test]
    fn both_of_other_blocks_is_ours_then_theirs() {
        let text = "<<<<<<< a\n[x]\nk = 1\n=======\nk = [\"y\"]\n>>>>>>> b\n";
        let c = Conflicted::parse(text).unwrap().unwrap();
        let block = c.blocks().next().unwrap();
        assert_eq!(block.take(Take::Both), "[x]\nk = 1\nk = [\"y\"]\n");
        // Two arrays of different keys are not merged as a set.
        let text = "<<<<<<< a\np = [1]\n=======\nq = [1]\n>>>>>>> b\n";
        let c = Conflicted::parse(text).unwrap().unwrap();
        let block = c.blocks().next().unwrap();
        assert_eq!(block.take(Take::Both), "p = [1]\nq = [1]\n");
    }

    #[test]
    fn an_edit_with_markers_left_is_refused() {
        let c = Conflicted::parse(TWO).unwrap().unwrap();
        let block = c.blocks().next().unwrap();
        assert!(block.edited("b = 2\n=======\nb = 3").is_err());
        assert!(block.edited("<<<<<<< x\nb\n=======\nc\n>>>>>>> y").is_err());
        assert_eq!(block.edited(""), Ok(String::new()));
    }

    #[test]
    fn malformed_markers_are_errors_that_say_where() {
        let nested = "<<<<<<< a\nx\n<<<<<<< b\ny\n=======\nz\n>>>>>>> c\n=======\n>>>>>>> d\n";
        assert_eq!(
            Conflicted::parse(nested),
            Err(MarkerError::Nested { line: 3, outer: 1 })
        );
        let stray = "a = 1\n>>>>>>> theirs\n";
        let err = Conflicted::parse(stray).unwrap_err();
        assert_eq!(err.line(), 2);
        assert!(err.to_string().contains("outside a conflict"), "{err}");
        let unclosed = "<<<<<<< a\nx\n=======\ny\n";
        assert_eq!(
            Conflicted::parse(unclosed),
            Err(MarkerError::Unclosed { open: 1 })
        );
        let early = "<<<<<<< a\nx\n>>>>>>> b\n";
        let err = Conflicted::parse(early).unwrap_err();
        assert!(err.to_string().contains("expects `=======`"), "{err}");
        // A separator of another size inside a conflict is not its separator.
        let sizes = "<<<<<<<< a\nx\n=======\ny\n>>>>>>>> b\n";
        assert_eq!(Conflicted::parse(sizes).unwrap_err().line(), 3);
    }
}
