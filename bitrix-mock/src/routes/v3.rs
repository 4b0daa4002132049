//! REST 3.0 at `/rest/api/[USER/CODE/]METHOD`: JSON bodies only (the query string is not read),
//! the methods whose spec says `rest = 3`, the same store, v3 answers and errors
//! (`{"error": {"code", "message", "validation"}}`), and `Idempotency-Key` (rest-v3.md).

use serde_json::{Map, Value};

use super::v3_batch::{self, Command};
use super::{Reply, Request};
use crate::envelope::{success_body, time_json, ApiError};
use crate::idempotency::{valid_key, Lookup, Slot};
use crate::methods::{call, Api};
use crate::state::{AuthKind, Shared};

/// An error as REST 3.0 sends it.
fn fail(e: ApiError) -> Reply {
    Reply::Json(e.status, e.body_v3())
}

/// The answer to a REST 3.0 call, with how the caller authenticated.
pub fn answer(
    shared: &Shared,
    req: &Request,
    webhook: Option<(&str, &str)>,
    method: &str,
    start: f64,
) -> (Reply, AuthKind) {
    if method.is_empty() {
        let e = ApiError::system(
            bitrix_facts::SystemError::ErrorMethodNotFound,
            "Method not found",
        );
        return (fail(e), AuthKind::None);
    }
    // A batch body is a list (rest-v3.md, *Batch call*); it has no room for `auth`, which an
    // OAuth caller then sends in the address.
    let (mut params, commands) = match body(req, method.eq_ignore_ascii_case("batch")) {
        Ok(Body::Params(p)) => (p, None),
        Ok(Body::Commands(c)) => (Map::new(), Some(c)),
        Err(e) => return (fail(e), AuthKind::None),
    };
    let auth = params
        .remove("auth")
        .or_else(|| crate::params::parse_query(&req.query).get("auth").cloned());
    let caller = match super::auth::authenticate(shared, webhook, auth, start) {
        Ok(c) => c,
        Err(e) => return (fail(e), AuthKind::None),
    };
    let key = match req.idempotency_key.as_deref().map(valid_key) {
        None => None,
        Some(Some(key)) => Some(key),
        Some(None) => {
            let e = ApiError::new(
                400,
                "BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION",
                "The Idempotency-Key must be 1 to 255 printable ASCII characters",
            );
            return (fail(e), caller.kind);
        }
    };
    let allowed = {
        let mut data = shared.data();
        match &mut data.bucket {
            Some(bucket) => bucket.try_add(shared.clock.now()),
            None => true,
        }
    };
    if !allowed {
        let e = ApiError::system(
            bitrix_facts::SystemError::QueryLimitExceeded,
            "Too many requests",
        );
        return (fail(e), caller.kind);
    }
    // Only writes are kept: a read's repeat changes nothing (rest-v3.md). A batch is a write
    // when one of its commands is.
    let writes = |name: &str| shared.method(name, true).is_some_and(|m| !m.idempotent);
    let write = match &commands {
        Some(list) => list.iter().any(|c| writes(&c.method)),
        None => writes(method),
    };
    let user = shared.data().tokens.creds.webhook_user_id;
    let slot: Option<Slot> = key
        .clone()
        .filter(|_| write)
        .map(|k| (caller.app.clone(), user, method.to_string(), k));
    let request = match &commands {
        Some(list) => Value::Array(
            list.iter()
                .map(|c| serde_json::json!({"method": c.method, "query": c.query, "as": c.name}))
                .collect(),
        ),
        None => Value::Object(params.clone()),
    };
    if let Some(slot) = &slot {
        let seen = shared
            .data()
            .replays
            .lookup(slot, &request, shared.clock.now());
        match seen {
            Lookup::Fresh => {}
            Lookup::Replay(status, body) => {
                let reply = Reply::Json(status, body);
                return (headed(reply, &key, true), caller.kind);
            }
            Lookup::Reused => {
                let e = ApiError::new(
                    422,
                    "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION",
                    "The Idempotency-Key was already used with another request body",
                );
                return (headed(fail(e), &key, false), caller.kind);
            }
        }
    }
    let (outcome, operating) = match commands {
        Some(list) => v3_batch::run(shared, &caller, list),
        None => call(shared, &caller, method, request.clone(), Api::V3),
    };
    let reply = match outcome {
        Ok(success) => {
            let time = time_json(start, shared.clock.now(), operating);
            let body = success_body(&success, time);
            if let Some(slot) = slot {
                // Only a success is kept: a failed call runs again when repeated.
                let now = shared.clock.now();
                shared
                    .data()
                    .replays
                    .keep(slot, request, 200, body.clone(), now);
            }
            Reply::Json(200, body)
        }
        Err(e) => fail(e),
    };
    (headed(reply, &key, false), caller.kind)
}

/// Echoes the key (and marks a replay), as the portal does.
fn headed(reply: Reply, key: &Option<String>, replayed: bool) -> Reply {
    let Some(key) = key else {
        return reply;
    };
    let mut headers = vec![("idempotency-key", key.clone())];
    if replayed {
        headers.push(("idempotent-replayed", "true".to_string()));
    }
    Reply::Headed(Box::new(reply), headers)
}

/// A request body: the parameters of one call, or the commands of a batch.
enum Body {
    Params(Map<String, Value>),
    Commands(Vec<Command>),
}

/// The parameters: a JSON object body, or nothing; for `batch` a JSON list of commands. Form
/// bodies and broken JSON are refused.
fn body(req: &Request, batch: bool) -> Result<Body, ApiError> {
    let invalid = || {
        ApiError::new(
            400,
            "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION",
            "The request body must be a JSON object",
        )
    };
    let text = String::from_utf8_lossy(&req.body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Body::Params(Map::new()));
    }
    if !req.content_type.is_empty() && !req.content_type.contains("json") {
        return Err(invalid());
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Array(list)) if batch => v3_batch::from_list(list).map(Body::Commands),
        Ok(Value::Object(map)) if batch && map.contains_key("cmd") => Err(ApiError::new(
            400,
            "BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION",
            "A REST 3.0 batch is a JSON list of {\"method\", \"query\"}, not REST 2's `cmd`",
        )),
        // PHP decodes `{"0": {…}, "1": {…}}` (b24jssdk's form) into the same array as a list.
        Ok(Value::Object(map)) if batch => match v3_batch::from_map(map.clone()) {
            Some(commands) => commands.map(Body::Commands),
            None => Ok(Body::Params(map)),
        },
        Ok(Value::Object(map)) => Ok(Body::Params(map)),
        _ => Err(invalid()),
    }
}
