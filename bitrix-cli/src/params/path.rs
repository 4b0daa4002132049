//! Splitting `KEY=VALUE` and reading key paths: `FIELDS.TITLE`, `FIELDS[TITLE]`, `filter[>=id]`.

use crate::failure::Failure;

/// One `KEY=VALUE` (or `KEY:=JSON`) argument, split.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The key path, `FIELDS.TITLE` as `["FIELDS", "TITLE"]`; an empty segment (`tags[]`) appends.
    pub path: Vec<String>,
    /// The value as typed.
    pub value: String,
    /// `KEY:=JSON`: the value is JSON, not text.
    pub json: bool,
}

/// Splits `KEY=VALUE` at the first `=` outside brackets, so that `filter[>=id]=5` keeps its key.
pub fn parse_assignment(arg: &str) -> Result<Assignment, Failure> {
    let mut depth = 0usize;
    let mut split = None;
    for (i, c) in arg.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '=' if depth == 0 => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(at) = split else {
        return Err(Failure::usage(format!(
            "`{arg}` is not KEY=VALUE (write FIELDS.TITLE=x or FIELDS[TITLE]=x)"
        )));
    };
    let (mut key, value) = (&arg[..at], &arg[at + 1..]);
    let json = key.ends_with(':');
    if json {
        key = &key[..key.len() - 1];
    }
    Ok(Assignment {
        path: parse_path(key)?,
        value: value.to_string(),
        json,
    })
}

/// `FIELDS.TITLE`, `FIELDS[TITLE]`, `a[b].c`, `filter[>=id]` to their segments.
pub fn parse_path(key: &str) -> Result<Vec<String>, Failure> {
    let bad = |why: &str| Failure::usage(format!("bad key `{key}`: {why}"));
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = key.chars();
    let mut after_bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if current.is_empty() && !after_bracket {
                    return Err(bad("an empty name before `.`"));
                }
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                after_bracket = false;
            }
            '[' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                } else if out.is_empty() {
                    return Err(bad("it starts with `[`"));
                }
                let mut inner = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                if !closed {
                    return Err(bad("`[` is not closed"));
                }
                out.push(inner);
                after_bracket = true;
            }
            ']' => return Err(bad("`]` without `[`")),
            c => {
                if after_bracket {
                    return Err(bad("write `.` or `[` after `]`"));
                }
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    } else if !after_bracket {
        return Err(bad("an empty name"));
    }
    Ok(out)
}
