//! What generated `Deserialize` impls call for each field: take the field's key out of the
//! object's map and decode it, leaving the keys the spec does not describe for `extra`.
//!
//! Generated code deserializes a struct into a JSON map first and then takes its fields out one
//! by one, instead of deriving `Deserialize` with `#[serde(flatten)]`. The outcome is the same
//! (and `null` on a nullable optional field stays apart from a missing key); the generated code
//! is a fraction of the derive's, and that code is what the build time of the API is made of.

use serde::de::Error;
use serde_json::{Map, Value};

/// A field the struct must have. `nullable`: a missing key reads as `null` (the type is an
/// `Option`), as serde does for a missing `Option` field.
pub fn take_required<T>(
    map: &mut Map<String, Value>,
    key: &'static str,
    nullable: bool,
    decode: impl FnOnce(Value) -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    let value = match map.remove(key) {
        Some(value) => value,
        None if nullable => Value::Null,
        None => return Err(serde_json::Error::missing_field(key)),
    };
    decode(value).map_err(|e| serde_json::Error::custom(format_args!("`{key}`: {e}")))
}

/// A field the struct may lack. A `null` reads as absent unless the field's type is itself
/// nullable (`keep_null`), where `null` is a value of its own ("remove this translation").
pub fn take_optional<T>(
    map: &mut Map<String, Value>,
    key: &'static str,
    keep_null: bool,
    decode: impl FnOnce(Value) -> Result<T, serde_json::Error>,
) -> Result<Option<T>, serde_json::Error> {
    match map.remove(key) {
        None => Ok(None),
        Some(Value::Null) if !keep_null => Ok(None),
        Some(value) => decode(value)
            .map(Some)
            .map_err(|e| serde_json::Error::custom(format_args!("`{key}`: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn takes_fields_and_leaves_the_rest() {
        let mut m = map(json!({"ID": "7", "NAME": null, "UF_X": 1}));
        let id: i64 = take_required::<_, serde_json::Error>(
            &mut m,
            "ID",
            false,
            crate::wire::lenient::lenient,
        )
        .unwrap();
        let name: Option<String> =
            take_optional::<_, serde_json::Error>(&mut m, "NAME", false, serde_json::from_value)
                .unwrap();
        assert_eq!((id, name), (7, None));
        assert_eq!(Value::Object(m), json!({"UF_X": 1}));
    }

    #[test]
    fn null_and_absent_differ_only_for_nullable_types() {
        let mut m = map(json!({"de": null}));
        let de: Option<Option<String>> =
            take_optional::<_, serde_json::Error>(&mut m, "de", true, serde_json::from_value)
                .unwrap();
        let en: Option<Option<String>> =
            take_optional::<_, serde_json::Error>(&mut m, "en", true, serde_json::from_value)
                .unwrap();
        assert_eq!((de, en), (Some(None), None));
    }

    #[test]
    fn errors_name_the_field() {
        let mut m = map(json!({"ID": "x"}));
        let e = take_required::<i64, serde_json::Error>(
            &mut m,
            "ID",
            false,
            crate::wire::lenient::lenient,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("`ID`: "), "{e}");
        let e =
            take_required::<i64, serde_json::Error>(&mut m, "GONE", false, serde_json::from_value)
                .unwrap_err();
        assert_eq!(e.to_string(), "missing field `GONE`");
    }
}
