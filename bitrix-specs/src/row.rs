//! One row of a parameter or field table: the name cell (`**NAME***` and its type) and the rest.

use crate::markdown::{self, Row, Table};

/// What one table row says about a field.
#[derive(Debug, Clone, PartialEq)]
pub struct RowInfo {
    /// Wire name.
    pub name: String,
    /// Marked with a trailing `*`.
    pub required: bool,
    /// The type word (`integer`, `object[]`), if given.
    pub word: Option<String>,
    /// Where the type word links to.
    pub word_link: Option<String>,
    /// Two or more type words: a union.
    pub union: Vec<String>,
    /// The other cells, joined.
    pub description: String,
}

/// Reads the name cell (`**NAME***` and the type below it) and the description of a row.
pub fn read_row(row: &Row) -> Option<RowInfo> {
    let cell = row.cells.first()?;
    let (name, required, rest) = match cell.find("**") {
        Some(a) => {
            let after = &cell[a + 2..];
            let b = after.find("**")?;
            let name = &after[..b];
            let tail = &after[b + 2..];
            let required = tail.starts_with('*') || tail.starts_with("\\*");
            (name.to_string(), required, tail.to_string())
        }
        None => {
            let first = cell.lines().next().unwrap_or("");
            let rest = cell.lines().skip(1).collect::<Vec<_>>().join("\n");
            (markdown::plain(first), false, rest)
        }
    };
    let mut name = markdown::plain(&name)
        .trim_end_matches('*')
        .trim()
        .to_string();
    let mut required = required;
    if let Some(n) = name.strip_suffix('*') {
        name = n.trim().to_string();
        required = true;
    }
    let spans: Vec<String> = markdown::code_spans(&rest)
        .iter()
        .flat_map(|s| {
            s.split('|')
                .map(|w| w.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
        .collect();
    let word = spans.first().cloned();
    let word_link = markdown::links(&rest)
        .into_iter()
        .find(|l| l.text.contains('`'))
        .map(|l| l.target);
    let union = if spans.len() > 1 { spans } else { Vec::new() };
    Some(RowInfo {
        name,
        required,
        word,
        word_link,
        union,
        description: row.cells[1..].join("\n"),
    })
}

/// A plain wire name: letters, digits and `_`, not starting with a digit.
pub fn is_wire_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A table whose first column names fields.
pub fn is_field_table(t: &Table) -> bool {
    t.header.first().is_some_and(|h| {
        ["name", "field", "parameter", "value", "key", "property"]
            .iter()
            .any(|w| h.starts_with(w))
    }) && t.column("code").is_none_or(|c| c > 0)
}
