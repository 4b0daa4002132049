//! The reference's Markdown, cut into the blocks the importer reads: headings, Diplodoc tables,
//! fenced code, notes, includes and plain lines. Nothing here knows about REST methods.

pub mod table;

pub use table::{Row, Table};

/// One block of a page, with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `## Text {#anchor}`.
    Heading {
        /// Number of `#`.
        level: usize,
        /// Heading text without the anchor.
        text: String,
        /// The `{#anchor}` id, if any.
        anchor: Option<String>,
        /// Line number.
        line: usize,
    },
    /// A Diplodoc table (`#| ... |#`).
    Table(Table),
    /// A fenced code block.
    Code {
        /// The info string (`json`, `bash`, ...), lower-cased.
        lang: String,
        /// The text between the fences, indentation of the fence removed.
        text: String,
        /// Line of the opening fence.
        line: usize,
    },
    /// Any other non-empty line.
    Text {
        /// The line, trimmed.
        text: String,
        /// Line number.
        line: usize,
    },
}

impl Block {
    /// The line the block starts on.
    pub fn line(&self) -> usize {
        match self {
            Block::Heading { line, .. } | Block::Code { line, .. } | Block::Text { line, .. } => {
                *line
            }
            Block::Table(t) => t.line,
        }
    }
}

/// Splits a page into blocks. Tables that do not close are returned with `broken` set.
pub fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let line = raw.trim();
        if let Some(info) = line.strip_prefix("```") {
            let indent = raw.len() - raw.trim_start().len();
            let start = i + 1;
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                let l = lines[i];
                // At most the fence's indentation, and never inside a multi-byte space
                // (U+3000 after a two-space fence; found by review, fuzz `markdown_table`).
                let mut cut = (l.len() - l.trim_start().len()).min(indent);
                while !l.is_char_boundary(cut) {
                    cut -= 1;
                }
                body.push(&l[cut..]);
                i += 1;
            }
            out.push(Block::Code {
                lang: info.trim().to_ascii_lowercase(),
                text: body.join("\n"),
                line: start,
            });
            i += 1;
            continue;
        }
        if line.starts_with("#|") {
            let (table, next) = table::parse(&lines, i);
            out.push(Block::Table(table));
            i = next;
            continue;
        }
        if let Some(h) = heading(line) {
            let (level, text, anchor) = h;
            out.push(Block::Heading {
                level,
                text,
                anchor,
                line: i + 1,
            });
        } else if !line.is_empty() {
            out.push(Block::Text {
                text: line.to_string(),
                line: i + 1,
            });
        }
        i += 1;
    }
    out
}

fn heading(line: &str) -> Option<(usize, String, Option<String>)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    if level == 0 || level > 6 || !line[level..].starts_with(' ') {
        return None;
    }
    let mut text = line[level..].trim().to_string();
    let mut anchor = None;
    if let Some(start) = text.rfind("{#") {
        if text.ends_with('}') {
            anchor = Some(text[start + 2..text.len() - 1].trim().to_string());
            text = text[..start].trim().to_string();
        }
    }
    Some((level, text, anchor))
}

/// A Markdown link `[text](target)` found in a piece of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The link text.
    pub text: String,
    /// The target as written (`../data-types.md#time`, `#fields`).
    pub target: String,
}

/// Every `[text](target)` link in `s`, in order.
pub fn links(s: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(open) = s[i..].find('[').map(|p| p + i) {
        let mut depth = 0;
        let mut close = None;
        for (j, c) in s[open..].char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(open + j);
                        break;
                    }
                }
                '\n' => break,
                _ => {}
            }
        }
        let Some(close) = close else {
            i = open + 1;
            continue;
        };
        if b.get(close + 1) == Some(&b'(') {
            if let Some(end) = s[close + 2..].find(')') {
                let target = s[close + 2..close + 2 + end].trim().to_string();
                out.push(Link {
                    text: s[open + 1..close].to_string(),
                    target,
                });
                i = close + 2 + end;
                continue;
            }
        }
        i = open + 1;
    }
    out
}

/// The texts in backticks in `s`, in order.
pub fn code_spans(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = s.split('`');
    parts.next();
    while let Some(inside) = parts.next() {
        out.push(inside.to_string());
        if parts.next().is_none() {
            break;
        }
    }
    out
}

/// Removes Markdown emphasis, links and backticks: `**A**` -> `A`, `[x](y)` -> `x`.
pub fn plain(s: &str) -> String {
    let mut t = s.to_string();
    for l in links(s) {
        t = t.replace(&format!("[{}]({})", l.text, l.target), &l.text);
    }
    t.replace("**", "")
        .replace('`', "")
        .replace("\\_", "_")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fuzz `markdown_table`: a code line starting with U+3000 (three bytes) below a fence
    /// indented by two spaces was cut inside the character.
    #[test]
    fn fence_indentation_is_not_cut_inside_a_character() {
        let blocks = blocks("  ```json\n\u{3000}x\n   y\n  ```\n");
        let [Block::Code { lang, text, .. }] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(lang, "json");
        assert_eq!(text, "\u{3000}x\n y");
    }
}
