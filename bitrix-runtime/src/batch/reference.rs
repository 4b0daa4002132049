//! `$result[key][field]…` references from one batch command to an earlier command's result.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

/// A reference to (a part of) an earlier batch command's result, sent as
/// `$result[key][field][0]…` and replaced by the portal with the value before the later command
/// runs. Make one with [`Handle::result`](super::Handle::result) or
/// [`Handle::field`](super::Handle::field).
///
/// It converts into `String` and `serde_json::Value`, so it fits every string setter of a
/// generated request, and `with_extra(name, reference)` for parameters of any other type
/// (an integer ID, for instance): `with_extra` keys are sent after, and so win over, the typed
/// field of the same name. A reference that is the whole parameter value keeps the referenced
/// value's type on the portal (a number stays a number); inside longer text it is replaced by its
/// text. References to a command in an earlier chunk of more than 50 commands are resolved by the
/// client before sending.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    key: String,
    path: Vec<String>,
}

impl Reference {
    pub(crate) fn new(key: &str) -> Self {
        Reference {
            key: key.to_string(),
            path: Vec::new(),
        }
    }

    /// The root of a field path inside one object, for REST 3.0 `select` and `filter`
    /// ([`crate::v3`]): no command key, only the path.
    pub(crate) fn path_root() -> Self {
        Reference {
            key: String::new(),
            path: Vec::new(),
        }
    }

    /// The path below the command's result, joined with dots (`responsible.name`).
    pub(crate) fn dotted(&self) -> String {
        self.path.join(".")
    }

    /// A field of the referenced object: `$result[key][…][name]`.
    #[must_use]
    pub fn field(mut self, name: &str) -> Self {
        self.path.push(name.to_string());
        self
    }

    /// An element of the referenced list: `$result[key][…][index]`.
    #[must_use]
    pub fn index(mut self, index: usize) -> Self {
        self.path.push(index.to_string());
        self
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "$result[{}]", self.key)?;
        for p in &self.path {
            write!(f, "[{p}]")?;
        }
        Ok(())
    }
}

impl From<Reference> for String {
    fn from(r: Reference) -> String {
        r.to_string()
    }
}

impl From<&Reference> for String {
    fn from(r: &Reference) -> String {
        r.to_string()
    }
}

impl From<Reference> for Value {
    fn from(r: Reference) -> Value {
        Value::String(r.to_string())
    }
}

const MARK: &str = "$result[";

/// Replaces references to the results in `done` inside every string of `value`, as the portal
/// would; references to other keys stay as written (the portal resolves them).
pub(crate) fn substitute(value: Value, done: &Map<String, Value>) -> Value {
    match value {
        Value::String(s) if s.contains(MARK) => substitute_text(&s, done),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| substitute(v, done)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, substitute(v, done)))
                .collect(),
        ),
        other => other,
    }
}

/// Rewrites `$result[key]` to `$result[index]` for the keys in `index` (the commands of the same
/// chunk, which is sent as a list so that its order survives every JSON library on the way).
pub(crate) fn rename(value: Value, index: &HashMap<String, usize>) -> Value {
    match value {
        Value::String(s) if s.contains(MARK) => {
            let mut out = String::with_capacity(s.len());
            let mut rest = s.as_str();
            while let Some(pos) = rest.find(MARK) {
                let (before, tail) = rest.split_at(pos + MARK.len());
                out.push_str(before);
                rest = tail;
                if let Some(close) = tail.find(']') {
                    if let Some(i) = index.get(&tail[..close]) {
                        out.push_str(&i.to_string());
                        rest = &tail[close..];
                    }
                }
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| rename(v, index)).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, rename(v, index)))
                .collect(),
        ),
        other => other,
    }
}

fn substitute_text(s: &str, done: &Map<String, Value>) -> Value {
    if let Some((value, len)) = resolve(s, done) {
        if len == s.len() {
            return value;
        }
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find(MARK) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        match resolve(tail, done) {
            Some((value, len)) => {
                match value {
                    Value::String(t) => out.push_str(&t),
                    Value::Null => {}
                    other => out.push_str(&other.to_string()),
                }
                rest = &tail[len..];
            }
            None => {
                out.push_str(MARK);
                rest = &tail[MARK.len()..];
            }
        }
    }
    out.push_str(rest);
    Value::String(out)
}

/// The value of the reference at the start of `s` and the reference's length.
fn resolve(s: &str, done: &Map<String, Value>) -> Option<(Value, usize)> {
    let mut rest = s.strip_prefix("$result")?;
    let mut len = "$result".len();
    let mut keys = Vec::new();
    while let Some(after) = rest.strip_prefix('[') {
        let close = after.find(']')?;
        keys.push(&after[..close]);
        len += close + 2;
        rest = &after[close + 1..];
    }
    let (first, path) = keys.split_first()?;
    let mut node = done.get(*first)?;
    for key in path {
        node = match node {
            Value::Object(map) => map.get(*key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some((node.clone(), len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_and_resolves() {
        let r = Reference::new("u").field("DEP").index(1);
        assert_eq!(r.to_string(), "$result[u][DEP][1]");
        let mut done = Map::new();
        done.insert("u".into(), json!({"ID": "7", "DEP": [3, 4]}));
        let v = substitute(
            json!({"a": r.to_string(), "b": "x-$result[u][ID]", "c": "$result[later][ID]"}),
            &done,
        );
        assert_eq!(v, json!({"a": 4, "b": "x-7", "c": "$result[later][ID]"}));
        let index = HashMap::from([("later".to_string(), 3)]);
        let v = rename(
            json!(["$result[later][ID]-$result[x]", "$result[later"]),
            &index,
        );
        assert_eq!(v, json!(["$result[3][ID]-$result[x]", "$result[later"]));
    }
}
