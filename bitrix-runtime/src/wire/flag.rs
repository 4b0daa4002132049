//! `Y`/`N` flags: `bool` in Rust, `"Y"`/`"N"` on the wire (legacy methods).
//!
//! Used as `#[serde(with = "…::flag")]` on fields of type `bool`, `Option<bool>`, `Vec<bool>`, …

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serializer};

use super::lenient::BoolVisitor;

/// A value made of flags.
pub trait FlagForm: Sized {
    /// Writes the value with `"Y"`/`"N"` in place of booleans.
    fn serialize_flag<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    /// Reads the value, accepting `"Y"`/`"N"`, booleans and `1`/`0`.
    fn deserialize_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// `serialize_with` entry point.
pub fn serialize<T: FlagForm, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    value.serialize_flag(s)
}

/// `deserialize_with` entry point.
pub fn deserialize<'de, T: FlagForm, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    T::deserialize_flag(d)
}

/// Writes a flag value as `"Y"`/`"N"` (used by generated `Serialize` impls).
pub struct Ser<'a, T>(pub &'a T);
impl<T: FlagForm> serde::Serialize for Ser<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_flag(s)
    }
}

struct De<T>(T);
impl<'de, T: FlagForm> Deserialize<'de> for De<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_flag(d).map(De)
    }
}

impl FlagForm for bool {
    fn serialize_flag<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if *self { "Y" } else { "N" })
    }
    fn deserialize_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

impl<T: FlagForm> FlagForm for Option<T> {
    fn serialize_flag<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => s.serialize_some(&Ser(v)),
            None => s.serialize_none(),
        }
    }
    fn deserialize_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<De<T>>::deserialize(d)?.map(|v| v.0))
    }
}

impl<T: FlagForm> FlagForm for Vec<T> {
    fn serialize_flag<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for v in self {
            seq.serialize_element(&Ser(v))?;
        }
        seq.end()
    }
    fn deserialize_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<De<T>>::deserialize(d)?
            .into_iter()
            .map(|v| v.0)
            .collect())
    }
}

impl<T: FlagForm> FlagForm for BTreeMap<String, T> {
    fn serialize_flag<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, &Ser(v))?;
        }
        map.end()
    }
    fn deserialize_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<String, De<T>>::deserialize(d)?
            .into_iter()
            .map(|(k, v)| (k, v.0))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_round_trip_as_y_and_n() {
        let v = serialize(&Some(true), serde_json::value::Serializer).unwrap();
        assert_eq!(v, json!("Y"));
        assert_eq!(
            serialize(&vec![false], serde_json::value::Serializer).unwrap(),
            json!(["N"])
        );
        assert!(deserialize::<bool, _>(json!("Y")).unwrap());
        assert!(!deserialize::<bool, _>(json!(false)).unwrap());
    }
}
