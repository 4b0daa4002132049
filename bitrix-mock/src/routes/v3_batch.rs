//! REST 3.0 `batch` (rest-v3.md, *Batch call*): a JSON list of `{"method", "query"}` (or an object
//! of them, which PHP reads as the same array), run in order; a command's `as` name (else its
//! place) lets later commands use its result through `{"$ref": "NAME.path"}` (one value) and
//! `{"$refArray": "NAME.field"}` (that field of every listed item), as b24jssdk sends them.

use serde_json::{Map, Value};

use crate::envelope::{ApiError, Operating, Success};
use crate::methods::{call, Api, Outcome};
use crate::state::Caller;
use crate::state::Shared;

/// One command of a batch.
#[derive(Debug, Clone)]
pub struct Command {
    /// The method name.
    pub method: String,
    /// Its parameters.
    pub query: Value,
    /// The name later commands refer to it by: `as`, else its key or place.
    pub name: String,
}

/// Reads the commands of a list body; REST 2's `cmd` form is refused with the documented code.
pub fn from_list(list: Vec<Value>) -> Result<Vec<Command>, ApiError> {
    list.into_iter()
        .enumerate()
        .map(|(i, c)| command(i.to_string(), c))
        .collect()
}

/// Reads the commands of an object body (`{"0": {…}, "first": {…}}`), or `None` when the object
/// is not one (a value without a `method`).
pub fn from_map(map: Map<String, Value>) -> Option<Result<Vec<Command>, ApiError>> {
    let all = !map.is_empty()
        && map
            .values()
            .all(|v| v.get("method").is_some_and(Value::is_string));
    if !all {
        return None;
    }
    let mut entries: Vec<(String, Value)> = map.into_iter().collect();
    // Index keys in their numeric order (`"10"` after `"2"`); names as they sort.
    entries.sort_by(
        |(a, _), (b, _)| match (a.parse::<u64>(), b.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => a.cmp(b),
        },
    );
    Some(entries.into_iter().map(|(k, c)| command(k, c)).collect())
}

fn command(key: String, c: Value) -> Result<Command, ApiError> {
    let invalid = || {
        ApiError::new(
            400,
            "BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION",
            "Every batch command needs a `method` name and a `query` object",
        )
    };
    let Value::Object(mut c) = c else {
        return Err(invalid());
    };
    let name = match c.remove("as") {
        Some(Value::String(s)) if !s.is_empty() => s,
        _ => key,
    };
    // `parallel` is the client's own key; a method without parameters may leave `query` out.
    let query = match c.remove("query") {
        Some(q @ Value::Object(_)) => q,
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(_) => return Err(invalid()),
    };
    match c.remove("method") {
        Some(Value::String(method)) => Ok(Command {
            method,
            query,
            name,
        }),
        _ => Err(invalid()),
    }
}

/// Runs the commands in order. There are no per-command errors in REST 3.0: the first command
/// that fails answers for the whole batch (the ones before it have run). The batch reports an
/// operating time of 0 (b24jssdk's suite, from portals), with the commands' reset time.
pub fn run(shared: &Shared, caller: &Caller, commands: Vec<Command>) -> Outcome {
    let mut done: Vec<(String, Value)> = Vec::with_capacity(commands.len());
    let mut reset_at = None;
    for c in commands {
        let query = resolve(c.query, &done, 0);
        let (outcome, spent) = call(shared, caller, &c.method, query, Api::V3);
        reset_at = spent.map(|o| o.reset_at).or(reset_at);
        let operating = reset_at.map(|reset_at| Operating {
            operating: 0.0,
            reset_at,
        });
        match outcome {
            Ok(success) => done.push((c.name, success.result)),
            Err(e) => return (Err(e), operating),
        }
    }
    let operating = reset_at.map(|reset_at| Operating {
        operating: 0.0,
        reset_at,
    });
    let results = done.into_iter().map(|(_, r)| r).collect();
    (Ok(Success::of(Value::Array(results))), operating)
}

/// Deepest nesting followed when replacing references.
const MAX_DEPTH: usize = 32;

/// `value` with every `$ref` / `$refArray` object replaced by what it points at (`null` when it
/// points at nothing).
fn resolve(value: Value, done: &[(String, Value)], depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return value;
    }
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(path)) = map.get("$ref") {
                    return reference(path, done).unwrap_or(Value::Null);
                }
                if let Some(Value::String(path)) = map.get("$refArray") {
                    return Value::Array(reference_array(path, done));
                }
            }
            Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, resolve(v, done, depth + 1)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| resolve(v, done, depth + 1))
                .collect(),
        ),
        other => other,
    }
}

/// The result a path's first segment names, and the rest of the path.
fn target<'a, 'b>(path: &'b str, done: &'a [(String, Value)]) -> Option<(&'a Value, Vec<&'b str>)> {
    let mut parts = path.split('.');
    let name = parts.next()?;
    let result = done.iter().find(|(n, _)| n == name).map(|(_, r)| r)?;
    Some((result, parts.collect()))
}

/// `NAME.a.b`: the value at `a.b` in the result, or in its `item` (a `get` answers one).
fn reference(path: &str, done: &[(String, Value)]) -> Option<Value> {
    let (result, rest) = target(path, done)?;
    walk(result, &rest)
        .or_else(|| walk(result.get("item")?, &rest))
        .cloned()
}

/// `NAME.field`: `field` of every item the result lists (`items`, or the result itself).
fn reference_array(path: &str, done: &[(String, Value)]) -> Vec<Value> {
    let Some((result, rest)) = target(path, done) else {
        return Vec::new();
    };
    let items = match result.get("items").unwrap_or(result) {
        Value::Array(items) => items,
        _ => return Vec::new(),
    };
    items
        .iter()
        .filter_map(|item| walk(item, &rest).cloned())
        .collect()
}

fn walk<'a>(mut value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    for key in path {
        value = match value {
            Value::Object(map) => map.get(*key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_take_one_value_or_a_field_of_every_item() {
        let done = vec![
            ("one".to_string(), json!({"item": {"id": 7}})),
            (
                "list".to_string(),
                json!({"items": [{"userId": 1}, {"userId": 3}, {}]}),
            ),
        ];
        let query = json!({"id": {"$ref": "one.id"}, "filter": [["userId", "in", {"$refArray": "list.userId"}]],
            "gone": {"$ref": "nobody.id"}});
        assert_eq!(
            resolve(query, &done, 0),
            json!({"id": 7, "filter": [["userId", "in", [1, 3]]], "gone": null})
        );
    }

    #[test]
    fn object_bodies_run_in_index_order_and_keep_their_names() {
        let map = json!({"10": {"method": "b"}, "2": {"method": "a", "as": "first"}})
            .as_object()
            .cloned()
            .unwrap();
        let commands = from_map(map).unwrap().unwrap();
        let order: Vec<(&str, &str)> = commands
            .iter()
            .map(|c| (c.method.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(order, vec![("a", "first"), ("b", "10")]);
        let not_commands = json!({"filter": {}}).as_object().cloned().unwrap();
        assert!(from_map(not_commands).is_none());
    }
}
