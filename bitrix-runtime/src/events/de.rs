//! Decoders of optional payload fields, for what portals put in form-encoded deliveries.
//!
//! A form body carries every value as text, so the hazards are in the text: PHP writes the
//! literal `undefined` for a value it never had, `""` for `null`, and a keyed map whose keys
//! happen to be `0..n` (`data[BOT][0]`, `data[BOT][1]`) reads back as a list. Generated payload
//! structs decode their optional fields through [`optional`] and [`optional_flag`].

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::wire::flag::FlagForm;
use crate::wire::lenient::Lenient;

/// The text PHP and JavaScript senders put where a value is absent.
pub const UNDEFINED: &str = "undefined";

/// An optional field: `null`, `"undefined"`, and `""` where `T` has no text form, are `None`;
/// anything else decodes leniently into `T` (a list where a keyed map is expected is read as a
/// map keyed by position).
pub fn optional<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    let value = Value::deserialize(d)?;
    decode(value, crate::wire::lenient::lenient_value::<T>).map_err(D::Error::custom)
}

/// [`optional`] for fields made of `Y`/`N` flags.
pub fn optional_flag<'de, D: Deserializer<'de>, T: FlagForm>(d: D) -> Result<Option<T>, D::Error> {
    let value = Value::deserialize(d)?;
    decode(value, |v| T::deserialize_flag(v)).map_err(D::Error::custom)
}

/// Takes the optional field `key` out of a payload object and decodes it as [`optional`] does
/// (`read` is the field's decoder); the error names the key. Generated payload types read their
/// optional fields with it.
pub fn take_optional<T>(
    map: &mut Map<String, Value>,
    key: &'static str,
    read: impl Fn(Value) -> Result<T, serde_json::Error>,
) -> Result<Option<T>, serde_json::Error> {
    match map.remove(key) {
        None => Ok(None),
        Some(value) => {
            decode(value, read).map_err(|e| serde_json::Error::custom(format_args!("`{key}`: {e}")))
        }
    }
}

fn decode<T>(
    value: Value,
    read: impl Fn(Value) -> Result<T, serde_json::Error>,
) -> Result<Option<T>, serde_json::Error> {
    match &value {
        Value::Null => return Ok(None),
        Value::String(s) if s == UNDEFINED => return Ok(None),
        _ => {}
    }
    let first = match read(value.clone()) {
        Ok(v) => return Ok(Some(v)),
        Err(e) => e,
    };
    match value {
        Value::String(s) if s.is_empty() => Ok(None),
        Value::Array(items) => read(Value::Object(positional(items)))
            .map(Some)
            .map_err(|_| first),
        _ => Err(first),
    }
}

/// `["a", "b"]` -> `{"0": "a", "1": "b"}`: the map a form with keys `0..n` meant.
fn positional(items: Vec<Value>) -> Map<String, Value> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| (i.to_string(), v))
        .collect()
}

/// Removes every `"undefined"` value from a delivered tree: object keys holding it are dropped,
/// list items holding it are left out. Depth is bounded by the body parsers.
pub fn drop_undefined(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !is_undefined(v));
            map.values_mut().for_each(drop_undefined);
        }
        Value::Array(items) => {
            items.retain(|v| !is_undefined(v));
            items.iter_mut().for_each(drop_undefined);
        }
        _ => {}
    }
}

fn is_undefined(v: &Value) -> bool {
    matches!(v, Value::String(s) if s == UNDEFINED)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn opt<T: Lenient>(v: Value) -> Result<Option<T>, serde_json::Error> {
        optional(v)
    }

    #[test]
    fn undefined_null_and_empty_text_are_absent() {
        assert_eq!(opt::<i64>(json!("undefined")).unwrap(), None);
        assert_eq!(opt::<String>(json!("undefined")).unwrap(), None);
        assert_eq!(opt::<i64>(json!(null)).unwrap(), None);
        assert_eq!(opt::<i64>(json!("")).unwrap(), None);
        assert_eq!(opt::<f64>(json!("")).unwrap(), None);
        // Text keeps its empty value: it is one.
        assert_eq!(opt::<String>(json!("")).unwrap(), Some(String::new()));
        assert_eq!(opt::<i64>(json!("42")).unwrap(), Some(42));
        assert!(opt::<i64>(json!("4x")).is_err());
    }

    #[test]
    fn flags_decode_from_text_and_undefined_is_absent() {
        assert_eq!(optional_flag::<_, bool>(json!("Y")).unwrap(), Some(true));
        assert_eq!(optional_flag::<_, bool>(json!("N")).unwrap(), Some(false));
        assert_eq!(optional_flag::<_, bool>(json!("undefined")).unwrap(), None);
        assert!(optional_flag::<_, bool>(json!("maybe")).is_err());
    }

    #[test]
    fn keyed_maps_that_arrived_as_lists_keep_their_keys() {
        // `data[BOT][0][ID]=5&data[BOT][1][ID]=6` parses into a list.
        let got = opt::<BTreeMap<String, i64>>(json!(["5", "6"]))
            .unwrap()
            .unwrap();
        assert_eq!(got["0"], 5);
        assert_eq!(got["1"], 6);
        assert!(opt::<BTreeMap<String, i64>>(json!(["x"])).is_err());
    }

    #[test]
    fn undefined_is_dropped_everywhere() {
        let mut v =
            json!({"A": "undefined", "B": {"C": "undefined", "D": "1"}, "L": ["undefined", "2"]});
        drop_undefined(&mut v);
        assert_eq!(v, json!({"B": {"D": "1"}, "L": ["2"]}));
    }
}
