//! `application/x-www-form-urlencoded` bodies with PHP bracket keys (`data[PARAMS][MESSAGE]`,
//! `auth[application_token]`), as PHP's `http_build_query` writes them, to nested JSON and back.

use serde_json::{Map, Value};

/// At most this many `key=value` pairs (PHP's `max_input_vars` is 1000; events stay well below).
const MAX_PAIRS: usize = 10_000;
/// At most this many bracket levels (PHP's `max_input_nesting_level` is 64).
const MAX_DEPTH: usize = 32;

/// Parses a form body into a JSON object. Objects whose keys are exactly `0..n` become arrays;
/// every value is a string, as sent. A repeated key keeps the last value (as PHP does).
pub fn parse(body: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the form body is not UTF-8".to_string())?;
    let mut root = Map::new();
    for (n, pair) in text.split('&').filter(|p| !p.is_empty()).enumerate() {
        if n >= MAX_PAIRS {
            return Err(format!("the form body has more than {MAX_PAIRS} fields"));
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(k)?;
        let value = decode(v)?;
        let path = split_key(&key)?;
        insert(&mut root, &path, value);
    }
    // The root holds parameter names, never list indexes: it stays an object even when its keys
    // are `0..n` (`0=a&1=b`), as documented (found by the `form` fuzz target's round trip).
    for v in root.values_mut() {
        arrays(v);
    }
    Ok(Value::Object(root))
}

/// Writes a JSON value as a form body with PHP bracket keys, as `http_build_query` does:
/// booleans as `1`/`0`, `null` as an empty string, arrays with their indexes.
pub fn encode(value: &Value) -> String {
    let mut out = Vec::new();
    if let Value::Object(map) = value {
        for (k, v) in map {
            encode_into(k.clone(), v, &mut out);
        }
    }
    out.join("&")
}

fn encode_into(key: String, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                encode_into(format!("{key}[{k}]"), v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                encode_into(format!("{key}[{i}]"), v, out);
            }
        }
        scalar => {
            let text = match scalar {
                Value::String(s) => s.clone(),
                Value::Bool(true) => "1".into(),
                Value::Bool(false) => "0".into(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            out.push(format!("{}={}", escape(&key), escape(&text)));
        }
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-decoding with `+` as space.
pub(crate) fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("bad percent escape in `{}`", preview(s)))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| format!("`{}` does not decode to UTF-8", preview(s)))
}

fn preview(s: &str) -> String {
    s.chars().take(40).collect()
}

/// `data[PARAMS][MESSAGE]` -> `["data", "PARAMS", "MESSAGE"]`; `a[]` appends (empty segment).
fn split_key(key: &str) -> Result<Vec<String>, String> {
    let (base, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if base.is_empty() {
        return Err(format!("form key `{}` has no name", preview(key)));
    }
    let mut path = vec![base.to_string()];
    while !rest.is_empty() {
        let inner = rest
            .strip_prefix('[')
            .and_then(|r| r.find(']').map(|end| (&r[..end], &r[end + 1..])));
        let Some((seg, after)) = inner else {
            return Err(format!(
                "form key `{}` has unbalanced brackets",
                preview(key)
            ));
        };
        path.push(seg.to_string());
        rest = after;
        if path.len() > MAX_DEPTH {
            return Err(format!("form key `{}` is nested too deeply", preview(key)));
        }
    }
    Ok(path)
}

fn insert(map: &mut Map<String, Value>, path: &[String], value: String) {
    let (first, rest) = match path.split_first() {
        Some(p) => p,
        None => return,
    };
    let key = if first.is_empty() {
        map.len().to_string()
    } else {
        first.clone()
    };
    if rest.is_empty() {
        map.insert(key, Value::String(value));
        return;
    }
    let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Value::Object(inner) = slot {
        insert(inner, rest, value);
    }
}

/// Objects keyed exactly `0..n` become arrays, depth first.
fn arrays(value: &mut Value) {
    if let Value::Object(map) = value {
        for v in map.values_mut() {
            arrays(v);
        }
        let n = map.len();
        if n > 0 && (0..n).all(|i| map.contains_key(&i.to_string())) {
            let items = (0..n)
                .map(|i| map.remove(&i.to_string()).unwrap_or(Value::Null))
                .collect();
            *value = Value::Array(items);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bracket_keys_nest_and_sequential_keys_become_arrays() {
        let body = b"event=ONIMCOMMANDADD&data%5BCOMMAND%5D%5B0%5D%5BCOMMAND%5D=echo&data[PARAMS][MESSAGE]=%2Fecho+hello+w%C3%B6rld&data[COMMAND][103][X]=1&auth[application_token]=t&list[]=a&list[]=b";
        let v = parse(body).unwrap();
        assert_eq!(v["event"], "ONIMCOMMANDADD");
        assert_eq!(v["data"]["PARAMS"]["MESSAGE"], "/echo hello wörld");
        assert_eq!(v["data"]["COMMAND"]["0"]["COMMAND"], "echo");
        assert_eq!(v["data"]["COMMAND"]["103"]["X"], "1");
        assert_eq!(v["auth"]["application_token"], "t");
        assert_eq!(v["list"], json!(["a", "b"]));
        assert_eq!(parse(b"a[0]=x&a[1]=y").unwrap(), json!({"a": ["x", "y"]}));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for bad in [
            &b"a[b=1"[..],
            b"=1",
            b"a=%zz",
            b"a=%",
            b"a=%C3",
            b"\xff=1",
            b"[x]=1",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = format!("a{}=1", "[x]".repeat(100));
        assert!(parse(deep.as_bytes()).is_err());
    }

    /// Fuzz `form`: `0=a` parsed into `["a"]`, which is no object and does not encode back.
    #[test]
    fn root_keys_counting_from_zero_stay_an_object() {
        assert_eq!(parse(b"0=a&1=b").unwrap(), json!({"0": "a", "1": "b"}));
        assert_eq!(parse(b"0[0]=a").unwrap(), json!({"0": ["a"]}));
        let v = parse(b"0=a").unwrap();
        assert_eq!(parse(encode(&v).as_bytes()).unwrap(), v);
    }

    #[test]
    fn encode_and_parse_round_trip() {
        let v = json!({"event": "E", "data": {"A": {"1": "x y&z", "2": "é"}, "L": ["p", "q"]}, "ts": "1"});
        assert_eq!(parse(encode(&v).as_bytes()).unwrap(), v);
        assert_eq!(encode(&json!({"b": true, "n": null, "i": 5})), "b=1&i=5&n=");
    }
}
