//! Running one method call: lookup, scope, operating time, parameter check, then the stateful
//! handler or the spec's example answer. `batch` runs its sub-calls through the same path.

pub mod batch;
pub mod generic;
pub mod imbot;
pub mod validate;

use serde_json::{Map, Value};

use crate::envelope::{ApiError, Operating, Success};
use crate::state::{AuthKind, Shared};

/// Who is calling.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Webhook or OAuth.
    pub kind: AuthKind,
    /// The key operating time is counted under (one per application or webhook).
    pub app: String,
    /// The OAuth application's `client_id` (`None` for webhooks, which name it in `CLIENT_ID`).
    pub client_id: Option<String>,
}

impl Caller {
    /// Webhook calls must send `required = "webhook"` parameters.
    pub fn is_webhook(&self) -> bool {
        self.kind == AuthKind::Webhook
    }
}

/// The outcome of a call and, for methods that count it, the operating figures after it.
pub type Outcome = (Result<Success, ApiError>, Option<Operating>);

/// Runs `name` with `params` (a JSON object, `auth` already removed).
pub fn call(
    shared: &Shared,
    caller: &Caller,
    name: &str,
    params: Value,
    in_batch: bool,
) -> Outcome {
    if name == "batch" {
        if in_batch {
            return (
                Err(ApiError::new(
                    405,
                    "ERROR_BATCH_METHOD_NOT_ALLOWED",
                    "Method is not allowed for batch usage",
                )),
                None,
            );
        }
        // The outer batch is not charged operating time; its sub-calls are, each on its own.
        return (batch::run(shared, caller, &params), None);
    }
    let Some(method) = shared.methods.get(name) else {
        return (
            Err(ApiError::new(
                404,
                "ERROR_METHOD_NOT_FOUND",
                "Method not found",
            )),
            None,
        );
    };
    if method.scope != "core" && !shared.scopes.contains(&method.scope) {
        return (
            Err(ApiError::new(
                403,
                "insufficient_scope",
                "The request requires higher privileges than provided by the webhook token",
            )),
            None,
        );
    }
    let now = shared.clock.now();
    let limit = shared.config.operating_limit.as_secs_f64();
    let mut data = shared.data();
    if data.operating.blocked(&caller.app, name, now, limit) {
        return (
            Err(ApiError::new(
                429,
                "OPERATION_TIME_LIMIT",
                "Method is blocked due to operation time limit.",
            )),
            None,
        );
    }
    let params = match params {
        Value::Object(map) => map,
        Value::Array(a) if a.is_empty() => Map::new(),
        _ => Map::new(),
    };
    let outcome =
        validate::check(method, &params, caller.is_webhook()).and_then(
            |checked| match imbot::handle(method, caller, &checked, &mut data) {
                Some(result) => result,
                None => Ok(generic::answer(method, &params, &mut data)),
            },
        );
    let cost = shared.config.cost_of(name);
    let operating = data.operating.record(&caller.app, name, now, cost);
    (outcome, Some(operating))
}

/// A string parameter; numbers are accepted in their text form, as PHP would see them.
pub fn text(params: &Map<String, Value>, key: &str) -> Option<String> {
    match params.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "Y" } else { "N" }.to_string()),
        _ => None,
    }
}

/// An integer parameter given as a number or as text.
pub fn int(params: &Map<String, Value>, key: &str) -> Option<i64> {
    match params.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A `Y`/`N` flag (also `true`/`1`).
pub fn flag(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => matches!(s.as_str(), "Y" | "y" | "true" | "1"),
        _ => false,
    }
}

/// Whether `url` is an absolute http(s) address with a host.
pub fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
}
