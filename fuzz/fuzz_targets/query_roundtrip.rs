//! `encode_query` followed by the events' form decoder gives the value back, normalised the way
//! the encoder documents (`bitrix-runtime/src/wire/query.rs`) and PHP reads a query:
//!
//! - `true`/`false` -> `"1"`/`"0"`, numbers -> their JSON text, strings as they are;
//! - `null`, `[]` and `{}` -> `""` (a query string has no null and no empty list);
//! - arrays come back as arrays (indexes `0..n`), and so do objects keyed exactly `"0".."n-1"`
//!   (PHP has one array type; the decoder cannot tell them apart);
//! - the top level stays an object, whatever its keys (parameter names, never list indexes);
//!   a top-level value that is not an object encodes as nothing and decodes as `{}`.
//!
//! Keys are non-empty and hold no `[` or `]`: percent-encoding protects them from the query's
//! `&` and `=`, but PHP (and the decoder) read brackets *after* percent-decoding, so `a%5Bb%5D`
//! is `a[b]` on the other side, and an empty key is an append (`a[]`) or no name at all. The
//! generator maps such keys to ones without brackets.
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Number, Value};

/// Deepest nesting generated (the decoder accepts 32 bracket levels).
const MAX_DEPTH: u32 = 5;
/// Most items of one array or object.
const MAX_ITEMS: usize = 5;

fn key(u: &mut Unstructured) -> Result<String> {
    let raw: String = u.arbitrary()?;
    let cleaned: String = raw.chars().filter(|c| !matches!(c, '[' | ']')).collect();
    Ok(if cleaned.is_empty() {
        "k".into()
    } else {
        cleaned
    })
}

fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let kinds = if depth >= MAX_DEPTH { 4 } else { 6 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => match u.choose_index(3)? {
            0 => Value::from(i64::arbitrary(u)?),
            1 => Value::from(u64::arbitrary(u)?),
            _ => Number::from_f64(f64::arbitrary(u)?).map_or(Value::Null, Value::Number),
        },
        3 => Value::String(u.arbitrary()?),
        4 => {
            let n = u.choose_index(MAX_ITEMS + 1)?;
            Value::Array((0..n).map(|_| value(u, depth + 1)).collect::<Result<_>>()?)
        }
        _ => Value::Object(object(u, depth + 1)?),
    })
}

fn object(u: &mut Unstructured, depth: u32) -> Result<Map<String, Value>> {
    let n = u.choose_index(MAX_ITEMS + 1)?;
    let mut map = Map::new();
    for _ in 0..n {
        map.insert(key(u)?, value(u, depth)?);
    }
    Ok(map)
}

/// What the decoder is expected to give back for `v` (see the module comment).
fn normalise(v: &Value) -> Value {
    match v {
        Value::Null => Value::String(String::new()),
        Value::Bool(b) => Value::String(if *b { "1" } else { "0" }.into()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => Value::String(s.clone()),
        Value::Array(items) if items.is_empty() => Value::String(String::new()),
        Value::Object(map) if map.is_empty() => Value::String(String::new()),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Object(map) => {
            let map: Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), normalise(v))).collect();
            listed(map)
        }
    }
}

/// An object keyed exactly `"0".."n-1"` as an array, as the decoder (and PHP) give it.
fn listed(mut map: Map<String, Value>) -> Value {
    let n = map.len();
    if n > 0 && (0..n).all(|i| map.contains_key(&i.to_string())) {
        Value::Array((0..n).filter_map(|i| map.remove(&i.to_string())).collect())
    } else {
        Value::Object(map)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(top) = object(&mut u, 0) else {
        return;
    };
    let query = bitrix_runtime::encode_query(&Value::Object(top.clone()));
    let decoded = bitrix_runtime::events::form::parse(query.as_bytes())
        .unwrap_or_else(|e| panic!("encoded query does not decode: {e}\n{query}"));
    let expected: Map<String, Value> = top.iter().map(|(k, v)| (k.clone(), normalise(v))).collect();
    let expected = Value::Object(expected);
    assert_eq!(decoded, expected, "query: {query}");
});
