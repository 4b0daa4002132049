//! Reading one `batch` answer: `result`, `result_error`, `result_total`, `result_next` and
//! `result_time` by command key, in every shape portals send them (a list when the keys are
//! `0..n`, so `result` can be a list of lists; `[]` for an empty map; bare scalars per command;
//! error entries with an empty or numeric code).

use serde_json::{Map, Value};

use crate::envelope::{Response, Time};
use crate::error::{Error, MethodError, SystemError, UnexpectedResponse};
use crate::transport::answer::typed_failure;

/// What one command answered.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    /// Its result with its own `time`, `next` and `total`.
    Ok(Response<Value>),
    /// Its `result_error` entry.
    Err { code: String, description: String },
}

impl Entry {
    /// The command's envelope, or its error typed as the method `E`'s.
    pub(crate) fn typed<E: MethodError>(&self) -> Result<Response<Value>, Error<E>> {
        match self {
            Entry::Ok(r) => Ok(r.clone()),
            Entry::Err { code, description } => {
                // A command's error carries no HTTP status of its own: the documented one.
                let status = E::from_documented(code, description)
                    .and_then(|e| e.documented_status())
                    .or_else(|| SystemError::from_code(code).map(SystemError::status))
                    .unwrap_or(400);
                Err(typed_failure(
                    code.clone(),
                    description.clone(),
                    status,
                    Vec::new(),
                ))
            }
        }
    }
}

/// The maps of one batch answer, by command key.
pub(crate) struct ChunkAnswer {
    results: Map<String, Value>,
    errors: Map<String, Value>,
    totals: Map<String, Value>,
    nexts: Map<String, Value>,
    times: Map<String, Value>,
}

impl ChunkAnswer {
    /// Splits the batch's `result` into its maps.
    pub(crate) fn read(result: Value) -> Result<Self, UnexpectedResponse> {
        let mut body = match result {
            Value::Object(map) => map,
            // PHP's form of an empty object: no command answered anything.
            Value::Array(items) if items.is_empty() => Map::new(),
            other => {
                return Err(UnexpectedResponse::new(
                    200,
                    "a batch `result` must be an object",
                    other.to_string().as_bytes(),
                ))
            }
        };
        Ok(ChunkAnswer {
            results: keyed(body.remove("result")),
            errors: keyed(body.remove("result_error")),
            totals: keyed(body.remove("result_total")),
            nexts: keyed(body.remove("result_next")),
            times: keyed(body.remove("result_time")),
        })
    }

    /// The keys that answered, results first, each once.
    pub(crate) fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.results.keys().cloned().collect();
        keys.extend(
            self.errors
                .keys()
                .filter(|k| !self.results.contains_key(*k))
                .cloned(),
        );
        keys
    }

    /// What the command sent under `key` answered; `None` when it did not run.
    pub(crate) fn entry(&self, key: &str) -> Option<Entry> {
        if let Some(result) = self.results.get(key) {
            let count = |m: &Map<String, Value>| {
                m.get(key)
                    .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
            };
            return Some(Entry::Ok(Response {
                result: result.clone(),
                time: self.times.get(key).cloned().and_then(Time::from_value),
                next: count(&self.nexts),
                total: count(&self.totals),
                replayed: false,
            }));
        }
        let (code, description) = command_error(self.errors.get(key)?);
        Some(Entry::Err { code, description })
    }
}

/// The code and text of one `result_error` entry: `{"error", "error_description"}` (the code
/// may be empty, as in `"error": ""` "Not found", or a number), or a bare text.
fn command_error(entry: &Value) -> (String, String) {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    match entry {
        Value::Object(map) => (text(map.get("error")), text(map.get("error_description"))),
        Value::String(s) => (String::new(), s.clone()),
        other => (String::new(), other.to_string()),
    }
}

/// One of the batch answer's maps by key; PHP sends a list when the keys are `0..n`, and `[]` when
/// empty.
fn keyed(value: Option<Value>) -> Map<String, Value> {
    match value {
        Some(Value::Object(map)) => map,
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RawError;
    use serde_json::json;

    #[test]
    fn php_lists_become_keys() {
        let m = keyed(Some(json!([{"a": 1}, 2])));
        assert_eq!(m.get("1"), Some(&json!(2)));
        assert!(keyed(Some(json!([]))).is_empty());
    }

    #[test]
    fn every_envelope_shape_reads() {
        // Numeric keys: PHP sends lists, so `result` is a list of lists; bare scalars per command;
        // `[]` for the empty maps.
        let a = ChunkAnswer::read(json!({
            "result": [[{"ID": "1"}], 7, true, []],
            "result_error": [], "result_total": [2], "result_next": [], "result_time": []
        }))
        .unwrap();
        assert_eq!(a.keys(), ["0", "1", "2", "3"]);
        let Some(Entry::Ok(r)) = a.entry("0") else {
            panic!()
        };
        assert_eq!(
            (r.result, r.total, r.next),
            (json!([{"ID": "1"}]), Some(2), None)
        );
        assert!(matches!(a.entry("1"), Some(Entry::Ok(r)) if r.result == json!(7)));
        assert!(a.entry("4").is_none());
        // Named keys, an empty-code error and a limit error inside a 200 batch.
        let a = ChunkAnswer::read(json!({
            "result": {"a": 1}, "result_error": {
                "b": {"error": "", "error_description": "Not found"},
                "c": {"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked"}},
            "result_time": {"a": {"start": 1, "operating": "0.5"}}
        }))
        .unwrap();
        assert_eq!(a.keys(), ["a", "b", "c"]);
        let Some(Entry::Ok(r)) = a.entry("a") else {
            panic!()
        };
        assert_eq!(r.time.and_then(|t| t.operating), Some(0.5));
        let not_found = a.entry("b").unwrap().typed::<RawError>().unwrap_err();
        assert_eq!(not_found.system(), Some(&SystemError::Uncoded));
        assert_eq!(not_found.status(), Some(400));
        let limit = a.entry("c").unwrap().typed::<RawError>().unwrap_err();
        assert_eq!(limit.system(), Some(&SystemError::OperationTimeLimit));
        assert_eq!(limit.status(), Some(429));
        // An empty batch.
        assert!(ChunkAnswer::read(json!([])).unwrap().keys().is_empty());
        assert!(ChunkAnswer::read(json!(5)).is_err());
    }
}
