//! The order of the keys of two parameters whose key order means something: a list's `order`
//! (sort by the first key, then the next) and `batch`'s `cmd` (run in the order given). The
//! emulator's JSON maps are sorted by key while PHP keeps the order sent, so these keys are read
//! once more from the raw body in the order sent and passed along under [`ORDER_KEYS`] and
//! [`CMD_KEYS`], keys no spec can name.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// The parameter carrying the keys of `order` in the order sent.
pub const ORDER_KEYS: &str = "\u{1}order";
/// The parameter carrying the keys of `cmd` in the order sent.
pub const CMD_KEYS: &str = "\u{1}cmd";

/// The parameters whose key order is kept, with the key that carries it.
const KEPT: [(&str, &str); 2] = [("order", ORDER_KEYS), ("cmd", CMD_KEYS)];

/// Adds the keys of `order` and `cmd`, as sent in `text` (a form, a query string or, with
/// `json`, a JSON body), to `params`; keys already noted (from the query string) are replaced
/// only by keys found in `text`.
pub fn note(params: &mut Value, text: &str, json: bool) {
    let Value::Object(map) = params else {
        return;
    };
    for (param, key) in KEPT {
        let keys = if json {
            in_json(text, param)
        } else {
            in_form(text, param)
        };
        if !keys.is_empty() {
            map.insert(
                key.into(),
                Value::Array(keys.into_iter().map(Value::String).collect()),
            );
        }
    }
}

/// Orders `items` (name, value) as the names appear in `sent` (the value noted under
/// [`ORDER_KEYS`] or [`CMD_KEYS`]); names not there go last, in their current order.
pub fn arrange<T>(items: &mut [(String, T)], sent: Option<&Value>) {
    if let Some(Value::Array(sent)) = sent {
        let rank = |name: &str| sent.iter().position(|k| k.as_str() == Some(name));
        items.sort_by_key(|(name, _)| rank(name).unwrap_or(usize::MAX));
    }
}

/// The keys of `param[...]` in a form or query string, first appearance first.
fn in_form(text: &str, param: &str) -> Vec<String> {
    let prefix = format!("{param}[");
    let mut keys: Vec<String> = Vec::new();
    for pair in text.split('&') {
        let raw = pair.split_once('=').map_or(pair, |(k, _)| k);
        let key = crate::params::decode(raw);
        let Some(rest) = key.strip_prefix(prefix.as_str()) else {
            continue;
        };
        if let Some((name, _)) = rest.split_once(']') {
            if !keys.iter().any(|k| k == name) {
                keys.push(name.to_string());
            }
        }
    }
    keys
}

/// The keys of the top-level `param` object of a JSON body, in the order sent.
fn in_json(text: &str, param: &str) -> Vec<String> {
    let mut de = serde_json::Deserializer::from_str(text);
    Top(param).deserialize(&mut de).unwrap_or_default()
}

/// Visits the body's top-level object, keeping only the keys of one parameter.
struct Top<'p>(&'p str);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = Vec<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == self.0 {
                out = map.next_value_seed(Keys)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// Collects an object's keys; anything else gives none.
struct Keys;

impl<'de> DeserializeSeed<'de> for Keys {
    type Value = Vec<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Keys {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            out.push(key);
        }
        Ok(out)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
    fn visit_str<E>(self, _: &str) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
    fn visit_unit<E>(self) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_the_order_sent() {
        assert_eq!(
            in_json(
                r#"{"a":1,"order":{"z":"ASC","b":"DESC","m":"ASC"},"x":[1,{"q":2}]}"#,
                "order"
            ),
            ["z", "b", "m"]
        );
        assert!(in_json(r#"{"order":"title"}"#, "order").is_empty());
        assert!(in_json("not json", "order").is_empty());
        assert_eq!(
            in_form("order%5Bz%5D=ASC&x=1&order[b]=DESC&order[z]=DESC", "order"),
            ["z", "b"]
        );
        let mut params = serde_json::json!({});
        note(&mut params, "cmd[b]=x&cmd[a]=y", false);
        let mut items = vec![("a".to_string(), 1), ("b".to_string(), 2)];
        arrange(&mut items, params.get(CMD_KEYS));
        assert_eq!(items[0].0, "b");
    }
}
