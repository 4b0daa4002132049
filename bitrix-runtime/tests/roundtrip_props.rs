//! Property tests of the wire round trips (bounded: the whole file runs in well under 5 s):
//!
//! - `encode_query` then the events' form decoder gives the value back, normalised as the
//!   encoder documents (`src/wire/query.rs`): `true`/`false` -> `"1"`/`"0"`, numbers -> their JSON
//!   text, `null`/`[]`/`{}` -> `""`, objects keyed exactly `"0".."n-1"` -> arrays (PHP has one
//!   array type) except at the top level, which stays an object. Keys are non-empty and hold no `[`/`]`: PHP, and the decoder, read brackets
//!   after percent-decoding, so such keys cannot survive any bracket query.
//! - The form encoder and decoder of events (`events::form`) agree the same way.
//! - A generated record (`tests/roundtrip-specs/demo/_types.toml`) read from JSON, written
//!   (`Serialize`) and read again (`Deserialize`) is the same record, and writes the same JSON.
//!
//! The fuzz target `query_roundtrip` (fuzz/) checks the first property on unbounded inputs.

use bitrix_runtime::encode_query;
use bitrix_runtime::events::form;
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

mod generated {
    bitrix_macros::include_specs!(
        "tests/roundtrip-specs",
        runtime = "bitrix_runtime",
        methods = false
    );
}

use generated::demo::Contact;

/// A key that survives a bracket query: not empty, no brackets; any other character, escapes
/// and non-ASCII included.
fn key() -> impl Strategy<Value = String> {
    // Small numbers often, so that objects keyed `0..n` (lists to PHP) come up.
    prop_oneof![3 => "[^\\[\\]]{1,6}", 1 => "[0-3]"]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,8}".prop_map(Value::String),
    ]
}

/// JSON values up to 4 levels deep, up to 4 items per list or object, empty ones included.
fn json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn top() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(key(), json(), 0..5).prop_map(|m| m.into_iter().collect())
}

/// What a bracket query decodes to, for `v` (see the module comment).
fn normalise(v: &Value) -> Value {
    match v {
        Value::Null => Value::String(String::new()),
        Value::Bool(b) => Value::String(if *b { "1" } else { "0" }.into()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => Value::String(s.clone()),
        Value::Array(items) if items.is_empty() => Value::String(String::new()),
        Value::Object(map) if map.is_empty() => Value::String(String::new()),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Object(map) => listed(map.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
    }
}

/// An object keyed exactly `"0".."n-1"` as an array.
fn listed(mut map: Map<String, Value>) -> Value {
    let n = map.len();
    if n > 0 && (0..n).all(|i| map.contains_key(&i.to_string())) {
        Value::Array((0..n).filter_map(|i| map.remove(&i.to_string())).collect())
    } else {
        Value::Object(map)
    }
}

/// The top level stays an object: its keys are parameter names, never list indexes.
fn expected(top: &Map<String, Value>) -> Value {
    Value::Object(top.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
}

/// Drops empty lists and objects, which the events' form encoder writes as nothing at all.
fn without_empty(v: &Value) -> Option<Value> {
    match v {
        Value::Array(items) => {
            let items: Vec<Value> = items.iter().filter_map(without_empty).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let map: Map<String, Value> = map
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), without_empty(v)?)))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        other => Some(other.clone()),
    }
}

/// A contact as the portal sends it: any subset of the spec's fields, unknown keys, multi-value
/// phones with or without a type.
fn contact_json() -> impl Strategy<Value = Value> {
    let phone = (
        ".{0,6}",
        prop::option::of(prop_oneof![Just("WORK"), Just("MOBILE"), Just("FAX")]),
    )
        .prop_map(|(value, kind)| {
            let mut m = Map::new();
            m.insert("VALUE".into(), Value::String(value));
            if let Some(k) = kind {
                m.insert("VALUE_TYPE".into(), Value::String(k.into()));
            }
            Value::Object(m)
        });
    (
        prop::option::of(any::<i64>()),
        prop::option::of(".{0,8}"),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::collection::vec(phone, 0..3)),
        prop::collection::btree_map("X_[A-Z]{1,4}", scalar(), 0..3),
    )
        .prop_map(|(id, name, opened, phones, extra)| {
            let mut m: Map<String, Value> = extra.into_iter().collect();
            if let Some(id) = id {
                m.insert("ID".into(), Value::from(id));
            }
            if let Some(name) = name {
                m.insert("NAME".into(), Value::String(name));
            }
            if let Some(opened) = opened {
                m.insert(
                    "OPENED".into(),
                    Value::String(if opened { "Y" } else { "N" }.into()),
                );
            }
            if let Some(phones) = phones {
                m.insert("PHONE".into(), Value::Array(phones));
            }
            Value::Object(m)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn query_encoding_decodes_back(top in top()) {
        let query = encode_query(&Value::Object(top.clone()));
        let decoded = form::parse(query.as_bytes()).map_err(TestCaseError::fail)?;
        prop_assert_eq!(decoded, expected(&top), "query: {}", query);
    }

    #[test]
    fn form_encoding_decodes_back(top in top()) {
        let top = match without_empty(&Value::Object(top)) {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let body = form::encode(&Value::Object(top.clone()));
        let decoded = form::parse(body.as_bytes()).map_err(TestCaseError::fail)?;
        prop_assert_eq!(decoded, expected(&top), "body: {}", body);
    }

    #[test]
    fn form_decoding_is_stable(top in top()) {
        // Whatever the decoder reads, its encoder writes back to the same value.
        let first = form::parse(encode_query(&Value::Object(top)).as_bytes()).map_err(TestCaseError::fail)?;
        let again = form::parse(form::encode(&first).as_bytes()).map_err(TestCaseError::fail)?;
        prop_assert_eq!(again, first);
    }

    #[test]
    fn generated_record_round_trips(json in contact_json()) {
        let contact: Contact = serde_json::from_value(json.clone()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let written = serde_json::to_value(&contact).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: Contact = serde_json::from_value(written.clone()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &contact);
        prop_assert_eq!(serde_json::to_value(&back).map_err(|e| TestCaseError::fail(e.to_string()))?, written);
    }
}
