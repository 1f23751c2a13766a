//! An array written one entry per line, seen as its lines: toml_edit keeps the comment after an
//! entry's comma in the next entry's prefix (or the array's trailing space), so an entry
//! removed or appended by its decor alone takes its neighbour's comment. Here each entry owns
//! its lines: the comment lines above it, the value, and the rest of its line after the comma.

use toml_edit::{Array, Value};

use super::render::raw_text;

/// One entry and the lines it owns.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The lines above it and its indentation (what follows the previous entry's line).
    lead: String,
    /// The value, its space before the comma kept.
    pub value: Value,
    /// The rest of its line after the comma: a comment, then the line break.
    tail: String,
}

/// An array of entries each on a line of its own, with a comma after the last.
#[derive(Debug, Clone)]
pub struct Lines {
    /// The rest of the `[` line.
    head: String,
    /// The entries.
    pub entries: Vec<Entry>,
    /// The lines between the last entry's line and `]`.
    end: String,
}

/// `text` cut after its first line break (`None` without one).
fn first_line(text: &str) -> Option<(&str, &str)> {
    text.find('\n').map(|i| text.split_at(i + 1))
}

impl Lines {
    /// The lines of `array`, when every entry starts a line and the last has a comma after it.
    pub fn of(array: &Array) -> Option<Lines> {
        if array.is_empty() || !array.trailing_comma() {
            return None;
        }
        let mut head = String::new();
        let mut entries: Vec<Entry> = Vec::with_capacity(array.len());
        for value in array.iter() {
            let (above, lead) = first_line(raw_text(value.decor().prefix()))?;
            match entries.last_mut() {
                Some(previous) => previous.tail = above.to_string(),
                None => head = above.to_string(),
            }
            let mut value = value.clone();
            value.decor_mut().set_prefix("");
            entries.push(Entry {
                lead: lead.to_string(),
                value,
                tail: String::new(),
            });
        }
        let trailing = array.trailing().as_str().unwrap_or("");
        let (tail, end) = first_line(trailing).unwrap_or((trailing, ""));
        if let Some(last) = entries.last_mut() {
            last.tail = tail.to_string();
        }
        Some(Lines {
            head,
            end: end.to_string(),
            entries,
        })
    }

    /// A new entry laid out like the last one (its indentation, a line of its own).
    pub fn entry_like_last(&self, mut value: Value) -> Entry {
        let lead = self.entries.last().map_or("", |e| e.lead.as_str());
        let indent = lead.rsplit('\n').next().unwrap_or("");
        value.decor_mut().clear();
        Entry {
            lead: indent.to_string(),
            value,
            tail: "\n".to_string(),
        }
    }

    /// The array these lines print.
    pub fn into_array(self) -> Array {
        let mut array = Array::new();
        let mut above = self.head;
        let mut empty = true;
        for entry in self.entries {
            let mut value = entry.value;
            value
                .decor_mut()
                .set_prefix(format!("{above}{}", entry.lead));
            array.push_formatted(value);
            above = entry.tail;
            empty = false;
        }
        array.set_trailing(format!("{above}{}", self.end));
        array.set_trailing_comma(!empty);
        array
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    fn array(text: &str) -> Array {
        let doc: DocumentMut = format!("x = {text}").parse().unwrap();
        doc.get("x").and_then(|i| i.as_array()).unwrap().clone()
    }

    #[test]
    fn each_entry_keeps_its_own_comment_when_entries_go_and_come() {
        let text =
            "[ # head\n  \"a\",  # on a\n  # above b\n  \"b\" ,   # on b\n  # before the end\n]";
        let mut lines = Lines::of(&array(text)).unwrap();
        assert_eq!(lines.clone().into_array().to_string(), text);
        lines.entries.remove(0);
        let c = lines.entry_like_last(Value::from("c"));
        lines.entries.push(c);
        assert_eq!(
            lines.into_array().to_string(),
            "[ # head\n  # above b\n  \"b\" ,   # on b\n  \"c\",\n  # before the end\n]"
        );
    }

    #[test]
    fn arrays_not_one_entry_per_line_are_not_lines() {
        assert!(Lines::of(&array("[\"a\", \"b\"]")).is_none());
        assert!(Lines::of(&array("[\n  \"a\",\n  \"b\"\n]")).is_none());
        assert!(Lines::of(&array("[]")).is_none());
        assert!(Lines::of(&array("[\n  \"a\", \"b\",\n]")).is_none());
    }
}
