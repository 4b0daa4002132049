//! Decoding that accepts what Bitrix24 actually sends: IDs as `42` or `"42"`, booleans as `true`,
//! `"Y"`, `"1"`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// A value that can be decoded leniently.
pub trait Lenient: Sized {
    /// Decodes `d` accepting text forms of numbers and booleans.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// `deserialize_with` target for fields whose type contains integers, doubles or booleans.
pub fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    T::deserialize_lenient(d)
}

struct Wrap<T>(T);

impl<'de, T: Lenient> Deserialize<'de> for Wrap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(d).map(Wrap)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<Wrap<T>>::deserialize(d)?.map(|w| w.0))
    }
}

/// A list, or PHP's form of a list whose keys were kept (`{"3": {...}, "7": {...}}`): its values in
/// the order sent.
impl<T: Lenient> Lenient for Vec<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor(std::marker::PhantomData))
    }
}

struct ListVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list (or an object whose values are the items)")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(Wrap(v)) = seq.next_element::<Wrap<T>>()? {
            out.push(v);
        }
        Ok(out)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some((_, Wrap(v))) = map.next_entry::<de::IgnoredAny, Wrap<T>>()? {
            out.push(v);
        }
        Ok(out)
    }
}

impl<T: Lenient> Lenient for BTreeMap<String, T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MapVisitor(std::marker::PhantomData))
    }
}

struct MapVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for MapVisitor<T> {
    type Value = BTreeMap<String, T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object (or an empty array, as PHP sends empty objects)")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Wrap<T>>()? {
            out.insert(k, v.0);
        }
        Ok(out)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        match seq.next_element::<de::IgnoredAny>()? {
            None => Ok(BTreeMap::new()),
            Some(_) => Err(de::Error::custom(
                "expected an object, found a non-empty array",
            )),
        }
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(TextOrNumber::deserialize(d)?.0)
    }
}

impl Lenient for serde_json::Value {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d)
    }
}

impl Lenient for crate::wire::file::File {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::wire::file::File::deserialize(d)
    }
}

/// Decodes a struct, taking `[]` (PHP's empty object) as `{}`.
pub fn object_or_empty_array<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = match serde_json::Value::deserialize(d)? {
        serde_json::Value::Array(a) if a.is_empty() => {
            serde_json::Value::Object(serde_json::Map::new())
        }
        other => other,
    };
    T::deserialize(value).map_err(de::Error::custom)
}

/// The list under `key` of an object result (`{"items": [...]}`); an absent key is an empty list.
pub fn take_items(
    value: serde_json::Value,
    key: &str,
) -> Result<serde_json::Value, serde_json::Error> {
    match value {
        serde_json::Value::Object(mut map) => Ok(map
            .remove(key)
            .unwrap_or(serde_json::Value::Array(Vec::new()))),
        serde_json::Value::Array(a) if a.is_empty() => Ok(serde_json::Value::Array(a)),
        other => Err(de::Error::custom(format!(
            "expected an object with `{key}`, found {other}"
        ))),
    }
}

impl Lenient for i64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IntVisitor)
    }
}

impl Lenient for f64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
}

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding one")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("{v} does not fit in an i64")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(E::custom(format!("{v} is not an integer")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::custom(format!("\"{v}\" is not an integer")))
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding one")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::custom(format!("\"{v}\" is not a number")))
    }
}

/// Accepts `true`/`false`, `"Y"`/`"N"`, `"true"`/`"false"`, `1`/`0` and their text forms.
pub(crate) struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, \"Y\" or \"N\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::custom(format!("{v} is not a boolean"))),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v {
            "Y" | "y" | "true" | "1" => Ok(true),
            "N" | "n" | "false" | "0" | "" => Ok(false),
            _ => Err(E::custom(format!("\"{v}\" is not a boolean"))),
        }
    }
}

/// A string or a number, read as text (enum values sometimes arrive as numbers).
#[derive(Debug)]
pub struct TextOrNumber(String);

impl TextOrNumber {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for TextOrNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = TextOrNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(v.to_string()))
            }
            // `false` is how portals write an empty text (`MAIL_FROM: false`).
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(if v { "true".into() } else { String::new() }))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_decode_from_php_objects_with_kept_keys() {
        assert_eq!(
            lenient::<_, Vec<i64>>(json!({"3": "7", "9": 8})).unwrap(),
            [7, 8]
        );
        assert_eq!(lenient::<_, Vec<i64>>(json!(["1", 2])).unwrap(), [1, 2]);
        assert!(lenient::<_, Vec<i64>>(json!("1")).is_err());
    }

    #[test]
    fn ids_decode_from_numbers_and_strings() {
        assert_eq!(lenient::<_, i64>(json!(42)).unwrap(), 42);
        assert_eq!(lenient::<_, i64>(json!("42")).unwrap(), 42);
        assert_eq!(lenient::<_, Option<i64>>(json!(null)).unwrap(), None);
        assert_eq!(lenient::<_, Vec<i64>>(json!(["1", 2])).unwrap(), vec![1, 2]);
        assert!(lenient::<_, i64>(json!("4x")).is_err());
        assert!(lenient::<_, i64>(json!(1.5)).is_err());
    }

    #[test]
    fn booleans_decode_from_text_forms() {
        assert!(lenient::<_, bool>(json!("Y")).unwrap());
        assert!(!lenient::<_, bool>(json!(0)).unwrap());
        assert!(lenient::<_, bool>(json!("maybe")).is_err());
    }
}
