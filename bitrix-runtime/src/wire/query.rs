//! The PHP bracket query encoding Bitrix24 reads inside `batch` commands
//! (`FIELDS[LANG][0][LANGUAGE_ID]=en&FIELDS[HIDDEN]=N`).
//!
//! Rules, following PHP's `http_build_query` where the wire has no better answer:
//! - objects and arrays nest as `key[sub]` and `key[0]`, `key[1]`, …;
//! - strings go as they are, numbers in their JSON text, `true`/`false` as `1`/`0` (both of which
//!   Bitrix24 reads as booleans; `Y`/`N` flags are already strings when they get here);
//! - `null`, an empty array and an empty object go as an empty value (`key=`): a query string has no
//!   `null` and no empty array, and an empty value is what PHP then sees for "cleared";
//! - keys and values are percent-encoded (everything except `A-Z a-z 0-9 - . _ ~`; the brackets
//!   of the key structure stay literal), so `&`, `=`, `?`, `%` and `#` inside names or values, and
//!   `[` and `]` inside values, cannot break the structure. A `[` or `]` inside a *name* can: PHP
//!   percent-decodes a name before it reads its brackets, so `a%5Bb%5D` arrives as `a[b]` (no
//!   bracket query can carry such a name; see FUZZING.md).

use serde_json::Value;

/// Encodes a JSON object as a PHP bracket query string (no leading `?`). A value that is not an
/// object encodes as the empty string.
pub fn encode(params: &Value) -> String {
    let mut out = String::new();
    if let Value::Object(map) = params {
        for (key, value) in map {
            let mut prefix = String::new();
            escape_into(key, &mut prefix);
            push(&mut out, &mut prefix, value);
        }
    }
    out
}

fn push(out: &mut String, prefix: &mut String, value: &Value) {
    let pair = |out: &mut String, prefix: &str, text: &str| {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(prefix);
        out.push('=');
        escape_into(text, out);
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, v) in map {
                let len = prefix.len();
                prefix.push('[');
                escape_into(key, prefix);
                prefix.push(']');
                push(out, prefix, v);
                prefix.truncate(len);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                let len = prefix.len();
                prefix.push('[');
                prefix.push_str(&i.to_string());
                prefix.push(']');
                push(out, prefix, v);
                prefix.truncate(len);
            }
        }
        Value::Object(_) | Value::Array(_) | Value::Null => pair(out, prefix, ""),
        Value::Bool(b) => pair(out, prefix, if *b { "1" } else { "0" }),
        Value::Number(n) => pair(out, prefix, &n.to_string()),
        Value::String(s) => pair(out, prefix, s),
    }
}

/// Percent-encodes `text` (UTF-8) into `out`, leaving only unreserved characters as they are.
fn escape_into(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nests_with_brackets_and_escapes() {
        let q = encode(&json!({
            "COMMAND_ID": 7,
            "FIELDS": {"LANG": [{"LANGUAGE_ID": "en", "TITLE": "a&b=c [x]"}], "HIDDEN": "N"},
            "ok": true,
            "none": null,
            "empty": []
        }));
        assert_eq!(
            q,
            "COMMAND_ID=7&FIELDS[HIDDEN]=N&FIELDS[LANG][0][LANGUAGE_ID]=en\
             &FIELDS[LANG][0][TITLE]=a%26b%3Dc%20%5Bx%5D&empty=&none=&ok=1"
        );
    }

    #[test]
    fn escapes_keys_and_unicode() {
        assert_eq!(
            encode(&json!({"a b": {"[k]": "é"}})),
            "a%20b[%5Bk%5D]=%C3%A9"
        );
        assert_eq!(encode(&json!([1])), "");
    }
}
