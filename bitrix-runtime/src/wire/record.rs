//! What a generated struct is on the wire: a JSON object whose known keys are its fields and
//! whose other keys are its `extra`. A struct implements [`Record`] (a line per field); the
//! serde impls, leniency and checks are written once here for every record.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::lenient::Lenient;
use super::validate::Validate;
use crate::error::InvalidRequest;

/// A generated struct: how it is written to and read from a JSON object.
pub trait Record: Sized {
    /// Writes the set fields under their wire names, then `extra`.
    fn write(&self, w: &mut Writer);
    /// Takes the fields out of `map` by their wire names; what is left becomes `extra`.
    fn read(map: &mut Map<String, Value>) -> Result<Self, serde_json::Error>;
    /// Checks the rules that can be checked before sending; `path` names the value in the error.
    fn validate_at(&self, path: &str) -> Result<(), InvalidRequest> {
        let _ = path;
        Ok(())
    }
}

/// Collects a record's fields as a JSON object.
#[derive(Default)]
pub struct Writer {
    map: Map<String, Value>,
    error: Option<serde_json::Error>,
}

impl Writer {
    /// Writes a field.
    pub fn put<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.map.insert(key.to_string(), v);
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }

    /// Writes a field that is set; leaves it out otherwise.
    pub fn put_opt<T: Serialize>(&mut self, key: &str, value: Option<T>) {
        if let Some(v) = value {
            self.put(key, &v);
        }
    }

    /// Writes the keys the spec does not describe, as they are.
    pub fn extra(&mut self, extra: &Map<String, Value>) {
        for (k, v) in extra {
            self.map.insert(k.clone(), v.clone());
        }
    }

    fn finish(self) -> Result<Map<String, Value>, serde_json::Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.map),
        }
    }
}

/// `Serialize` of every record: its object.
pub fn ser_record<T: Record, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    let mut w = Writer::default();
    value.write(&mut w);
    w.finish().map_err(serde::ser::Error::custom)?.serialize(s)
}

/// `Deserialize` of every record: an object (or PHP's `[]` for an empty one), fields taken out.
pub fn de_record<'de, T: Record, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let mut map = match Value::deserialize(d)? {
        Value::Object(map) => map,
        Value::Array(a) if a.is_empty() => Map::new(),
        other => {
            return Err(D::Error::custom(format_args!(
                "expected an object, found {}",
                kind(&other)
            )))
        }
    };
    T::read(&mut map).map_err(D::Error::custom)
}

/// `Deserialize` of every generated enum: text (or a number sent for it) mapped to its variant,
/// unknown values kept.
pub fn de_enum<'de, T: for<'a> From<&'a str>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let text = super::lenient::TextOrNumber::deserialize(d)?;
    Ok(T::from(text.as_str()))
}

/// `Debug` of every record: its wire form, with the values of secret-looking keys (`botToken`,
/// `CLIENT_SECRET`, `auth`, `password`, …, at any depth, `extra` included) printed as `***`, so
/// a request logged with `{:?}` gives no token away.
pub fn debug_record<T: Record>(
    value: &T,
    name: &str,
    f: &mut std::fmt::Formatter<'_>,
) -> std::fmt::Result {
    let mut w = Writer::default();
    value.write(&mut w);
    write!(
        f,
        "{name} {}",
        Value::Object(crate::secret::redact_map(&w.map))
    )
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl<T: Record> Lenient for T {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_record(d)
    }
    fn from_value(value: Value) -> Result<Self, serde_json::Error> {
        match value {
            Value::Object(mut map) => T::read(&mut map),
            Value::Array(a) if a.is_empty() => T::read(&mut Map::new()),
            other => Err(serde_json::Error::custom(format_args!(
                "expected an object, found {}",
                kind(&other)
            ))),
        }
    }
}

impl<T: Record> Validate for T {
    fn validate_at(&self, path: &str) -> Result<(), InvalidRequest> {
        Record::validate_at(self, path)
    }
}
