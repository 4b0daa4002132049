//! Request parameters to JSON: a JSON body, a form body or a query string. Form and query use PHP's
//! bracket keys (`FIELDS[LANG][0][LANGUAGE_ID]=en`), which become nested objects; objects whose keys
//! are `0..n` become arrays, as PHP's `json_encode` would send them.

use serde_json::{Map, Value};

/// Parses `a=1&b[c]=2` into a JSON object. Values stay strings, as PHP receives them.
pub fn parse_query(text: &str) -> Value {
    let mut root = Value::Object(Map::new());
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key);
        let value = decode(value);
        insert(&mut root, &key, Value::String(value));
    }
    // The root holds parameter names, never list indexes: it stays an object even when its keys
    // are `0..n` (`0=a` made the parameters a list, and a body `0=a` then replaced every
    // parameter of the query string when merged: found by the `emulator_request` fuzz target).
    match root {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, listify(v))).collect())
        }
        other => other,
    }
}

/// Merges `extra` into `base` (both objects); keys of `extra` win, nested objects merge.
pub fn merge(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                match b.get_mut(&k) {
                    Some(slot @ Value::Object(_)) if v.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, e) => *b = e,
    }
}

/// Percent-decoding with `+` as space; bad escapes are kept as written, bad UTF-8 is replaced.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Splits `a[b][0][]` into `["a", "b", "0", ""]`. A key without a closing bracket is taken whole,
/// as PHP does.
fn segments(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_string()];
    };
    if open == 0 {
        return vec![key.to_string()];
    }
    let mut segs = vec![key[..open].to_string()];
    let mut rest = &key[open..];
    while let Some(after) = rest.strip_prefix('[') {
        let Some(close) = after.find(']') else {
            break;
        };
        segs.push(after[..close].to_string());
        rest = &after[close + 1..];
    }
    segs
}

/// Deepest bracket nesting kept; deeper keys are dropped, as PHP's `max_input_nesting_level` (64)
/// does. It also keeps recursive handling of the value far from the stack's end.
const MAX_DEPTH: usize = 64;

/// Puts `value` at the bracket path `key` below `root`; `[]` appends.
fn insert(root: &mut Value, key: &str, value: Value) {
    let segs = segments(key);
    if segs.len() > MAX_DEPTH {
        return;
    }
    let mut node = root;
    for (i, seg) in segs.iter().enumerate() {
        if !node.is_object() {
            // A scalar given earlier under the same name is replaced by the deeper structure.
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else {
            return;
        };
        let seg = if seg.is_empty() {
            match next_index(map) {
                Some(n) => n.to_string(),
                // After the largest index there is no next one: PHP drops the value too.
                None => return,
            }
        } else {
            seg.clone()
        };
        if i + 1 == segs.len() {
            map.insert(seg, value);
            return;
        }
        node = map.entry(seg).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// The index `[]` appends at: one past the largest number key, `None` when that is `usize::MAX`
/// (`a[18446744073709551615]=1&a[]=2` overflowed here: found by review, fuzz `emulator_request`).
fn next_index(map: &Map<String, Value>) -> Option<usize> {
    map.keys()
        .filter_map(|k| k.parse::<usize>().ok())
        .max()
        .map_or(Some(0), |n| n.checked_add(1))
}

/// Turns objects keyed exactly `0..n` (in any order) into arrays, recursively.
pub fn listify(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let n = map.len();
            let sequential = n > 0
                && map.keys().all(|k| {
                    k.parse::<usize>()
                        .is_ok_and(|i| i < n && i.to_string() == *k)
                });
            if sequential {
                let mut items: Vec<(usize, Value)> = map
                    .into_iter()
                    .map(|(k, v)| (k.parse().unwrap_or(0), listify(v)))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, listify(v))).collect())
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(listify).collect()),
        other => other,
    }
}

/// A string parameter; numbers are accepted in their text form, as PHP would see them.
pub fn text(params: &Map<String, Value>, key: &str) -> Option<String> {
    match params.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "Y" } else { "N" }.to_string()),
        _ => None,
    }
}

/// An integer parameter given as a number or as text.
pub fn int(params: &Map<String, Value>, key: &str) -> Option<i64> {
    match params.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A `Y`/`N` flag (also `true`/`1`).
pub fn flag(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => matches!(s.as_str(), "Y" | "y" | "true" | "1"),
        _ => false,
    }
}

/// Whether `url` is an absolute http(s) address with a host.
pub fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn brackets_nest_and_number_keys_become_arrays() {
        let v = parse_query(
            "COMMAND_ID=7&FIELDS[LANG][0][LANGUAGE_ID]=en&FIELDS[LANG][0][TITLE]=Echo+2&FIELDS[LANG][1][LANGUAGE_ID]=de&FIELDS[HIDDEN]=N",
        );
        assert_eq!(
            v,
            json!({"COMMAND_ID":"7","FIELDS":{"HIDDEN":"N","LANG":[{"LANGUAGE_ID":"en","TITLE":"Echo 2"},{"LANGUAGE_ID":"de"}]}})
        );
    }

    #[test]
    fn empty_brackets_append_and_escapes_decode() {
        let v = parse_query("select[]=id&select[]=title&q=a%26b%3Dc&bad=%zz");
        assert_eq!(v, json!({"select":["id","title"],"q":"a&b=c","bad":"%zz"}));
    }

    #[test]
    fn too_deep_keys_are_dropped() {
        let deep = format!("a{}=1&b=2", "[x]".repeat(100));
        assert_eq!(parse_query(&deep), json!({"b": "2"}));
    }

    /// Fuzz `emulator_request`: `0=a` parsed into the list `["a"]`, and as a body it replaced
    /// the query string's parameters.
    #[test]
    fn root_keys_counting_from_zero_stay_an_object() {
        assert_eq!(parse_query("0=a&1=b"), json!({"0": "a", "1": "b"}));
        assert_eq!(parse_query("0[0]=a"), json!({"0": ["a"]}));
    }

    /// Fuzz `emulator_request`: appending after index `usize::MAX` overflowed (a panic in debug
    /// builds, in the query string of any request).
    #[test]
    fn append_after_the_largest_index_is_dropped() {
        let max = usize::MAX;
        assert_eq!(
            parse_query(&format!("a[{max}]=1&a[]=2&b[]=x")),
            json!({"a": {max.to_string(): "1"}, "b": ["x"]})
        );
    }

    #[test]
    fn sparse_numbers_stay_objects() {
        assert_eq!(parse_query("a[1]=x"), json!({"a":{"1":"x"}}));
        assert_eq!(parse_query("a[b=1"), json!({"a":"1"}));
    }
}
