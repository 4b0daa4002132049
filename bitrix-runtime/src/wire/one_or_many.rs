//! `one_or_many<T>`: one value or a list of them (`USER_ID: 5` or `USER_ID: [5, 7]`).
//!
//! Methods that act on one or several records take either form; a request sends the form the
//! caller gave (some methods answer differently for a list of one), an answer is read in either.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::lenient::Lenient;

/// One value, or a list of values.
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrMany<T> {
    /// A single value, sent bare.
    One(T),
    /// A list, sent as a list (also when it holds one value).
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values as a slice (one value is a slice of one).
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }

    /// The values as a list.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(v) => vec![v],
            OneOrMany::Many(v) => v,
        }
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(one: T) -> Self {
        OneOrMany::One(one)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(many: Vec<T>) -> Self {
        OneOrMany::Many(many)
    }
}

impl<T, const N: usize> From<[T; N]> for OneOrMany<T> {
    fn from(many: [T; N]) -> Self {
        OneOrMany::Many(many.into())
    }
}

impl From<&str> for OneOrMany<String> {
    fn from(one: &str) -> Self {
        OneOrMany::One(one.to_string())
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OneOrMany::One(v) => v.serialize(s),
            OneOrMany::Many(v) => v.serialize(s),
        }
    }
}

impl<'de, T: Lenient> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::deserialize_lenient(d)
    }
}

impl<T: Lenient> Lenient for OneOrMany<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::from_value(Value::deserialize(d)?).map_err(D::Error::custom)
    }

    fn from_value(value: Value) -> Result<Self, serde_json::Error> {
        // A list is read the way `[T]` reads it: PHP's list with kept keys
        // (`{"3": 5, "9": 7}`) is a list too, and an item that does not fit names its place.
        let items: Vec<(String, Value)> = match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            Value::Object(map) => map.into_iter().collect(),
            one => return T::from_value(one).map(OneOrMany::One),
        };
        items
            .into_iter()
            .map(|(at, v)| {
                T::from_value(v).map_err(|e| serde_json::Error::custom(format_args!("[{at}]: {e}")))
            })
            .collect::<Result<_, _>>()
            .map(OneOrMany::Many)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_one_value_or_a_list() {
        assert_eq!(
            OneOrMany::<i64>::from_value(json!("5")).unwrap(),
            OneOrMany::One(5)
        );
        assert_eq!(
            OneOrMany::<i64>::from_value(json!([5, "7"])).unwrap(),
            OneOrMany::Many(vec![5, 7])
        );
        assert_eq!(
            OneOrMany::<i64>::from_value(json!({"3": 5, "9": 7}))
                .unwrap()
                .into_vec(),
            [5, 7]
        );
        assert_eq!(
            OneOrMany::<String>::from_value(json!(["a", 2]))
                .unwrap()
                .as_slice(),
            ["a".to_string(), "2".to_string()]
        );
        assert_eq!(OneOrMany::One(3).as_slice(), [3]);
        let plain: OneOrMany<i64> = serde_json::from_str("[1]").unwrap();
        assert_eq!(plain, OneOrMany::Many(vec![1]));
    }

    #[test]
    fn refuses_values_that_do_not_fit_naming_the_item() {
        let e = OneOrMany::<i64>::from_value(json!([1, "x"]))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("[1]: "), "{e}");
        assert!(OneOrMany::<i64>::from_value(json!("x")).is_err());
        assert!(OneOrMany::<i64>::from_value(json!(null)).is_err());
        assert!(OneOrMany::<bool>::from_value(json!([true, 2])).is_err());
    }

    #[test]
    fn sends_the_form_the_caller_gave() {
        let body = json!({
            "ONE": OneOrMany::from(5),
            "LIST": OneOrMany::<i64>::from(vec![5]),
            "TEXTS": OneOrMany::<String>::from(["a", "b"].map(String::from)),
        });
        assert_eq!(body, json!({"ONE": 5, "LIST": [5], "TEXTS": ["a", "b"]}));
        assert_eq!(
            crate::wire::query::encode(&body),
            "LIST[0]=5&ONE=5&TEXTS[0]=a&TEXTS[1]=b"
        );
        for v in [body["ONE"].clone(), body["LIST"].clone()] {
            let back = OneOrMany::<i64>::from_value(v.clone()).unwrap();
            assert_eq!(serde_json::to_value(&back).unwrap(), v);
        }
    }
}
