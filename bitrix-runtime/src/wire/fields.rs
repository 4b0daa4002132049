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
    decode: impl Fn(Value) -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    let value = match map.remove(key) {
        Some(value) => value,
        None if nullable => Value::Null,
        None => return Err(serde_json::Error::missing_field(key)),
    };
    decode_or_empty(value, &decode)
        .map_err(|e| serde_json::Error::custom(format_args!("`{key}`: {e}")))
}

/// A field the struct may lack. A `null` reads as absent unless the field's type is itself
/// nullable (`keep_null`), where `null` is a value of its own ("remove this translation"). An
/// empty stand-in of another type (`false`, `""`, `{}`, `[]`: how portals send an unset user
/// field or date) that the type cannot take reads as absent too.
pub fn take_optional<T>(
    map: &mut Map<String, Value>,
    key: &'static str,
    keep_null: bool,
    decode: impl Fn(Value) -> Result<T, serde_json::Error>,
) -> Result<Option<T>, serde_json::Error> {
    match map.remove(key) {
        None => Ok(None),
        Some(Value::Null) if !keep_null => Ok(None),
        Some(value) => {
            let empty = is_empty_stand_in(&value);
            match decode(value) {
                Ok(v) => Ok(Some(v)),
                Err(_) if empty => Ok(None),
                Err(e) => Err(serde_json::Error::custom(format_args!("`{key}`: {e}"))),
            }
        }
    }
}

/// Decodes `value`; when it is an empty stand-in the type cannot take (`false` where a list is
/// declared, `{}` where a text is), decodes the empty value of another shape instead (`[]`,
/// `""`, `{}`, `null`): portals write "nothing" in whichever of these the module happens to use.
/// A value that is not empty and does not fit still fails.
pub fn decode_or_empty<T>(
    value: Value,
    decode: &impl Fn(Value) -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    if !is_empty_stand_in(&value) {
        return decode(value);
    }
    let original = value.clone();
    match decode(value) {
        Ok(v) => Ok(v),
        Err(first) => {
            for empty in empty_forms(&original) {
                if let Ok(v) = decode(empty) {
                    return Ok(v);
                }
            }
            Err(first)
        }
    }
}

/// Decodes a method's `result` into its output type, taking an empty stand-in as the type's
/// empty value (`[]` for a list answered as `false`).
pub(crate) fn decode_result<M: crate::Method>(
    value: Value,
) -> Result<M::Output, serde_json::Error> {
    decode_or_empty(value, &M::decode_output)
}

/// `false`, `""`, `{}`, `[]` and `null`: the values portals send for "nothing".
pub fn is_empty_stand_in(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The other empty forms to try, the given one left out.
fn empty_forms(given: &Value) -> impl Iterator<Item = Value> + '_ {
    [
        Value::Array(Vec::new()),
        Value::Object(Map::new()),
        Value::String(String::new()),
        Value::Null,
    ]
    .into_iter()
    .filter(move |v| v != given)
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
        let id: i64 =
            take_required::<i64>(&mut m, "ID", false, crate::wire::lenient::lenient).unwrap();
        let name: Option<String> =
            take_optional(&mut m, "NAME", false, serde_json::from_value).unwrap();
        assert_eq!((id, name), (7, None));
        assert_eq!(Value::Object(m), json!({"UF_X": 1}));
    }

    #[test]
    fn null_and_absent_differ_only_for_nullable_types() {
        let mut m = map(json!({"de": null}));
        let de: Option<Option<String>> =
            take_optional(&mut m, "de", true, serde_json::from_value).unwrap();
        let en: Option<Option<String>> =
            take_optional(&mut m, "en", true, serde_json::from_value).unwrap();
        assert_eq!((de, en), (Some(None), None));
    }

    #[test]
    fn empty_stand_ins_decode_as_empty_values() {
        let mut m =
            map(json!({"UF": false, "MAIL": false, "DATE": {}, "N": "", "L": "", "BAD": "x"}));
        let uf: Vec<i64> =
            take_required(&mut m, "UF", false, crate::wire::lenient::lenient).unwrap();
        let mail: String = take_required(&mut m, "MAIL", false, serde_json::from_value).unwrap();
        let date: Option<String> =
            take_optional(&mut m, "DATE", false, serde_json::from_value).unwrap();
        let n: Option<i64> =
            take_optional(&mut m, "N", false, crate::wire::lenient::lenient).unwrap();
        let l: Vec<String> = take_required(&mut m, "L", false, serde_json::from_value).unwrap();
        assert_eq!(
            (uf, mail, date, n, l),
            (vec![], String::new(), None, None, vec![])
        );
        // Not empty and not fitting: still an error, naming the field.
        let e =
            take_optional::<i64>(&mut m, "BAD", false, crate::wire::lenient::lenient).unwrap_err();
        assert!(e.to_string().starts_with("`BAD`: "), "{e}");
        // A required integer has no empty form: `""` fails.
        let mut m = map(json!({"ID": ""}));
        assert!(take_required::<i64>(&mut m, "ID", false, crate::wire::lenient::lenient).is_err());
    }

    #[test]
    fn errors_name_the_field() {
        let mut m = map(json!({"ID": "x"}));
        let e =
            take_required::<i64>(&mut m, "ID", false, crate::wire::lenient::lenient).unwrap_err();
        assert!(e.to_string().starts_with("`ID`: "), "{e}");
        let e = take_required::<i64>(&mut m, "GONE", false, serde_json::from_value).unwrap_err();
        assert_eq!(e.to_string(), "missing field `GONE`");
    }
}
