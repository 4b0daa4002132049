//! The PHP bracket encoder of `batch` commands against the emulator's decoder: every documented
//! request of every spec comes back as sent, with scalars as strings.

use std::path::Path;

use serde_json::Value;

/// What PHP sees after decoding: scalars as text (`true` as `1`), `null` and empty containers as
/// empty text.
fn as_decoded(value: &Value) -> Value {
    match value {
        Value::Object(map) if !map.is_empty() => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), as_decoded(v)))
                .collect(),
        ),
        Value::Array(items) if !items.is_empty() => {
            Value::Array(items.iter().map(as_decoded).collect())
        }
        Value::Object(_) | Value::Array(_) | Value::Null => Value::String(String::new()),
        Value::Bool(b) => Value::String(if *b { "1" } else { "0" }.into()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => Value::String(s.clone()),
    }
}

#[test]
fn every_spec_request_round_trips() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let sources = bitrix_codegen::load_dir(&dir).expect("specs load");
    let all = bitrix_codegen::check_all(&sources);
    assert!(all.problems.is_empty(), "{:?}", all.problems);
    let mut checked = 0;
    for method in &all.methods {
        for example in &method.examples {
            let Some(request) = &example.request else {
                continue;
            };
            let query = bitrix_rest::encode_query(request);
            let decoded = bitrix_mock::decode_query(&query);
            // The top level is the parameter list itself: empty stays an empty object.
            let expected = match request {
                Value::Object(map) if map.is_empty() => request.clone(),
                other => bitrix_mock::php_arrays(as_decoded(other)),
            };
            assert_eq!(
                decoded, expected,
                "{} / {}: {query}",
                method.name, example.name
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} requests checked");
}

#[test]
fn tricky_values_round_trip() {
    let request = serde_json::json!({
        "FIELDS": {
            "TITLE": "John&Martin = 100% [sure]? #1 + ünïcödé ✓",
            "LANG": [{"LANGUAGE_ID": "en", "TITLE": "a/b\\c\"d'e\nf"}],
            "EMPTY": "",
            "N": -1.5,
            "FLAG": "Y",
            "ON": true
        },
        "select": ["id", "title"],
        "filter": {">id": 10, "@stageId": ["A", "B"]}
    });
    let query = bitrix_rest::encode_query(&request);
    assert_eq!(bitrix_mock::decode_query(&query), as_decoded(&request));
}
