//! Values the portal answers inside an object of its own making, read off the documented
//! example: `{}` for a PHP object with no public fields (a date object: `imopenlines.config`'s
//! `DATE_CREATE`), a set keyed by its own values (`{"UA": "UA"}`: `documentgenerator.template`'s
//! `users`), values keyed by their value IDs (`{"3743": "1269"}`: `lists.element`'s
//! `PROPERTY_*`), and `{value, valueId}` pairs (`catalog.product`'s `propertyNNN`). Callers send
//! the plain value (a text, a list); the store keeps the container with IDs from its multi-value
//! counter, so that they stay the same from one read to the next.

use serde_json::{Map, Value};

/// The container form a documented value shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    /// `{}`: an object without public fields, whatever the value.
    Opaque,
    /// `{"UA": "UA"}`: each value keyed by itself.
    ByItself,
    /// `{"3743": "1269", "3745": "1271"}`: each value keyed by its value ID.
    ById,
    /// `{"value": "test", "valueId": "9743"}`: the value with its value ID (a list of them for
    /// several).
    ValueWithId,
}

impl Keyed {
    /// The container form of the example value `v`, if it shows one.
    pub fn of_example(v: &Value) -> Option<Keyed> {
        let Value::Object(map) = v else { return None };
        if map.is_empty() {
            return Some(Keyed::Opaque);
        }
        let scalar = |v: &Value| v.is_string() || v.is_number();
        if map.len() == 2 && map.contains_key("value") && map.contains_key("valueId") {
            return Some(Keyed::ValueWithId);
        }
        if map.values().all(scalar) && map.iter().all(|(k, v)| v.as_str() == Some(k.as_str())) {
            return Some(Keyed::ByItself);
        }
        let id = |k: &String| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit());
        if map.values().all(scalar) && map.keys().all(id) {
            return Some(Keyed::ById);
        }
        None
    }

    /// Whether the form needs value IDs from the store (given when the value is written).
    pub fn needs_ids(self) -> bool {
        matches!(self, Keyed::ById | Keyed::ValueWithId)
    }

    /// A plain value (a scalar, or a list of scalars) in this form, value IDs taken from
    /// `next_id`; a value already in an object form, or `null`, stays as it is.
    pub fn wrap(self, v: &Value, next_id: &mut u64) -> Value {
        let items: Vec<Value> = match v {
            Value::Null | Value::Object(_) => return v.clone(),
            Value::Array(a) if a.iter().any(|i| i.is_object() || i.is_array()) => return v.clone(),
            Value::Array(a) => a.clone(),
            one => vec![one.clone()],
        };
        let text = |v: &Value| crate::scalar::text(v).unwrap_or_default();
        let mut id = || {
            *next_id = (*next_id).max(1);
            let n = *next_id;
            *next_id += 1;
            n.to_string()
        };
        match self {
            Keyed::Opaque => Value::Object(Map::new()),
            Keyed::ByItself => Value::Object(
                items
                    .iter()
                    .map(|i| (text(i), Value::from(text(i))))
                    .collect(),
            ),
            Keyed::ById => Value::Object(items.iter().map(|i| (id(), i.clone())).collect()),
            Keyed::ValueWithId => {
                let mut pairs: Vec<Value> = items
                    .iter()
                    .map(|i| {
                        let mut pair = Map::new();
                        pair.insert("value".into(), Value::from(text(i)));
                        pair.insert("valueId".into(), Value::from(id()));
                        Value::Object(pair)
                    })
                    .collect();
                // One value answers as one pair, several as a list of pairs.
                if v.is_array() {
                    Value::Array(pairs)
                } else {
                    pairs.pop().unwrap_or(Value::Null)
                }
            }
        }
    }

    /// A stored value on the way out: forms without IDs are made here (a value stored before
    /// the form was known), forms with IDs are left as stored.
    pub fn render(self, v: &Value) -> Value {
        if self.needs_ids() {
            return v.clone();
        }
        self.wrap(v, &mut 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn forms_read_off_examples_and_wrap_plain_values() {
        assert_eq!(Keyed::of_example(&json!({})), Some(Keyed::Opaque));
        assert_eq!(
            Keyed::of_example(&json!({"UA": "UA"})),
            Some(Keyed::ByItself)
        );
        assert_eq!(
            Keyed::of_example(&json!({"3743": "1269", "3745": 12})),
            Some(Keyed::ById)
        );
        assert_eq!(
            Keyed::of_example(&json!({"value": "x", "valueId": "9"})),
            Some(Keyed::ValueWithId)
        );
        assert_eq!(Keyed::of_example(&json!({"a": 1})), None);
        assert_eq!(Keyed::of_example(&json!([1])), None);
        let mut next = 5;
        assert_eq!(
            Keyed::ById.wrap(&json!(["a", "b"]), &mut next),
            json!({"5": "a", "6": "b"})
        );
        assert_eq!(
            Keyed::ValueWithId.wrap(&json!(3), &mut next),
            json!({"value": "3", "valueId": "7"})
        );
        assert_eq!(next, 8);
        assert_eq!(Keyed::ByItself.render(&json!(["UA"])), json!({"UA": "UA"}));
        assert_eq!(
            Keyed::Opaque.render(&json!("2024-01-01T00:00:00+00:00")),
            json!({})
        );
        // Already in an object form: kept, IDs and all.
        assert_eq!(
            Keyed::ById.wrap(&json!({"1": "a"}), &mut next),
            json!({"1": "a"})
        );
    }
}
