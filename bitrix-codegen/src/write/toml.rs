//! TOML's lexical forms, written by hand so that the text is ours to the byte: strings, keys,
//! multi-line strings and inline lists. Every spec writer builds on these.

use std::fmt::Write as _;

/// A TOML basic string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON text as a multi-line TOML string: literal when it can be, basic otherwise.
pub fn block(s: &str) -> String {
    let literal_ok = !s.contains("'''")
        && !s.ends_with('\'')
        && s.chars().all(|c| c == '\n' || c == '\t' || !c.is_control());
    if literal_ok {
        format!("'''\n{s}\n'''")
    } else {
        let mut out = String::from("\"\"\"\n");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push('\n'),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push_str("\n\"\"\"");
        out
    }
}

/// A key: bare when TOML allows it, quoted otherwise.
pub fn key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        quote(key)
    }
}

/// A list of strings on one line: `["a", "b"]`.
pub fn list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", q.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::raw;
    use serde_json::{json, Value};

    /// Every string of up to three characters from a set of awkward ones: quotes of both kinds,
    /// the escape character, line ends, control characters, DEL, non-ASCII letters and an astral
    /// character.
    fn awkward() -> Vec<String> {
        let pool = [
            "a", "\"", "'", "\\", "\n", "\r", "\t", "\u{0}", "\u{1b}", "\u{7f}", "é", "Ж", "😀",
            "#", "=", "[", "{", " ",
        ];
        let mut out = vec![String::new()];
        for a in pool {
            out.push(a.to_string());
            for b in pool {
                out.push(format!("{a}{b}"));
                for c in pool {
                    out.push(format!("{a}{b}{c}"));
                }
            }
        }
        out
    }

    fn read_one(doc: &str) -> Value {
        let v = raw(doc).unwrap_or_else(|e| panic!("{doc:?}: {e}"));
        v["k"].clone()
    }

    #[test]
    fn quoted_strings_read_back_as_written() {
        for s in awkward() {
            assert_eq!(read_one(&format!("k = {}\n", quote(&s))), json!(s), "{s:?}");
        }
    }

    #[test]
    fn multi_line_strings_read_back_with_one_closing_newline() {
        for s in awkward() {
            let text = format!("k = {}\n", block(&s));
            assert_eq!(read_one(&text), json!(format!("{s}\n")), "{s:?} as {text}");
        }
        // The forms chosen: literal for plain JSON, basic when the text holds `'''`.
        assert_eq!(block("{\"a\": 1}"), "'''\n{\"a\": 1}\n'''");
        assert!(block("'''").starts_with("\"\"\"\n"));
    }

    #[test]
    fn keys_are_bare_only_when_toml_allows() {
        assert_eq!(key("FIELDS"), "FIELDS");
        assert_eq!(key("a-b_c9"), "a-b_c9");
        for k in ["FIELDS.ID", "", "a b", "Имя", "\"", "a=b"] {
            let doc = format!("{} = 1\n", key(k));
            let v = raw(&doc).unwrap_or_else(|e| panic!("{doc:?}: {e}"));
            assert_eq!(v, json!({ k: 1 }), "{k:?}");
        }
    }

    #[test]
    fn lists_empty_or_not() {
        assert_eq!(list(&[]), "[]");
        assert_eq!(read_one(&format!("k = {}\n", list(&[]))), json!([]));
        let items: Vec<String> = vec!["a\"b".into(), "c\\d".into(), "é\n".into()];
        assert_eq!(read_one(&format!("k = {}\n", list(&items))), json!(items));
    }
}
