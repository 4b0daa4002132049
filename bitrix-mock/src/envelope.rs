//! The JSON around every answer: `result` with `time` (and `next`/`total` on list methods) on
//! success, `{error, error_description}` with an HTTP status on failure.

use serde_json::{json, Map, Value};

use crate::clock::iso8601;

/// A refused call: HTTP status, `error` code and `error_description`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The `error` code as sent.
    pub code: String,
    /// The `error_description` as sent (REST 3.0: `message`).
    pub description: String,
    /// REST 3.0 `validation` entries (`{"message", "field"}`), for problems with parameters.
    pub validation: Vec<Value>,
}

impl ApiError {
    /// An error with the given status, code and description.
    pub fn new(status: u16, code: &str, description: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            description: description.into(),
            validation: Vec::new(),
        }
    }

    /// A system error (common to every method) with its code and documented status, and the
    /// text the portal sends with it.
    pub fn system(error: bitrix_facts::SystemError, description: impl Into<String>) -> Self {
        ApiError::new(error.status(), error.code(), description)
    }

    /// The same error with a REST 3.0 `validation` entry for `field`.
    #[must_use]
    pub fn with_validation(mut self, field: &str, message: impl Into<String>) -> Self {
        self.validation
            .push(json!({"message": message.into(), "field": field}));
        self
    }

    /// The REST 3.0 answer body: `{"error": {"code", "message", "validation"?}}`.
    pub fn body_v3(&self) -> Value {
        let mut error = Map::new();
        error.insert("code".into(), json!(self.code));
        error.insert("message".into(), json!(self.description));
        if !self.validation.is_empty() {
            error.insert("validation".into(), Value::Array(self.validation.clone()));
        }
        json!({ "error": error })
    }

    /// The answer body.
    pub fn body(&self) -> Value {
        json!({"error": self.code, "error_description": self.description})
    }
}

/// A successful method result, before timing is added.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The `result` value.
    pub result: Value,
    /// `next` of list methods: `start` of the following page.
    pub next: Option<u64>,
    /// `total` of list methods.
    pub total: Option<u64>,
}

impl Success {
    /// A plain result without paging.
    pub fn of(result: Value) -> Self {
        Success {
            result,
            next: None,
            total: None,
        }
    }
}

/// Operating-time figures of a method for the calling application.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operating {
    /// Seconds used in the last ten minutes.
    pub operating: f64,
    /// Unix time when the oldest minute bucket stops counting.
    pub reset_at: i64,
}

/// The `time` object. Without `operating` it has the six keys `batch` uses for itself and its
/// sub-calls; with it, all eight keys of a method answer.
pub fn time_json(start: f64, finish: f64, operating: Option<Operating>) -> Value {
    let mut t = Map::new();
    t.insert("start".into(), json!(start));
    t.insert("finish".into(), json!(finish));
    t.insert("duration".into(), json!(finish - start));
    t.insert("processing".into(), json!(finish - start));
    t.insert("date_start".into(), json!(iso8601(start)));
    t.insert("date_finish".into(), json!(iso8601(finish)));
    if let Some(op) = operating {
        t.insert("operating_reset_at".into(), json!(op.reset_at));
        t.insert("operating".into(), json!(op.operating));
    }
    Value::Object(t)
}

/// The success body: `result`, `next` and `total` when set, and `time`.
pub fn success_body(success: &Success, time: Value) -> Value {
    let mut body = Map::new();
    body.insert("result".into(), success.result.clone());
    if let Some(next) = success.next {
        body.insert("next".into(), json!(next));
    }
    if let Some(total) = success.total {
        body.insert("total".into(), json!(total));
    }
    body.insert("time".into(), time);
    Value::Object(body)
}

/// PHP's `json_encode` sends an empty array for an empty map; Bitrix24 answers show `[]` there.
pub fn php_map(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Array(Vec::new())
    } else {
        Value::Object(map)
    }
}
