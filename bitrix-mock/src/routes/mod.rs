//! Routing of one HTTP request to the REST handler or the OAuth server.

mod auth;
pub mod oauth;
pub mod rest;
pub mod v3;
pub mod v3_batch;

use serde_json::Value;

use crate::envelope::ApiError;
use crate::state::Shared;

/// What to send back.
#[derive(Debug)]
pub enum Reply {
    /// A JSON body with a status.
    Json(u16, Value),
    /// A body sent as is with its content type (the `NotJson` and `Respond` faults).
    Text(u16, &'static str, String),
    /// Close the connection without answering.
    Drop,
    /// Another reply with extra headers (REST 3.0's `Idempotency-Key`, `Idempotent-Replayed`).
    Headed(Box<Reply>, Vec<(&'static str, String)>),
}

impl Reply {
    /// The HTTP status sent (0 for a dropped connection).
    pub fn status(&self) -> u16 {
        match self {
            Reply::Json(s, _) | Reply::Text(s, _, _) => *s,
            Reply::Drop => 0,
            Reply::Headed(inner, _) => inner.status(),
        }
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Self {
        Reply::Json(e.status, e.body())
    }
}

/// The parts of a request the handlers need.
#[derive(Debug)]
pub struct Request {
    /// The path, e.g. `/rest/1/abc/imbot.register.json`.
    pub path: String,
    /// The raw query string, if any.
    pub query: String,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The raw body.
    pub body: Vec<u8>,
    /// The `Idempotency-Key` header as sent (bytes: it may hold anything), if any.
    pub idempotency_key: Option<Vec<u8>>,
}

/// Answers one request.
pub async fn route(shared: &Shared, req: Request) -> Reply {
    if req.path.starts_with("/oauth/token") {
        oauth::token(shared, &req)
    } else if req.path.starts_with("/rest/api/") {
        rest::handle(shared, req, true).await
    } else if req.path.starts_with("/rest/") {
        rest::handle(shared, req, false).await
    } else {
        Reply::Json(
            404,
            serde_json::json!({"error": "NOT_FOUND", "error_description": "Unknown address"}),
        )
    }
}

/// Query-string and body parameters merged into one JSON object (body keys win).
pub fn parameters(req: &Request) -> Result<Value, ApiError> {
    let mut params = crate::params::parse_query(&req.query);
    crate::key_order::note(&mut params, &req.query, false);
    let body = String::from_utf8_lossy(&req.body);
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Ok(params);
    }
    let is_json = req.content_type.contains("json") || trimmed.starts_with('{');
    let parsed = if is_json {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(v @ Value::Object(_)) => v,
            Ok(Value::Array(a)) if a.is_empty() => Value::Object(Default::default()),
            Ok(_) => {
                return Err(ApiError::system(
                    bitrix_facts::SystemError::InvalidRequest,
                    "The JSON body must be an object",
                ))
            }
            Err(e) => {
                return Err(ApiError::system(
                    bitrix_facts::SystemError::InvalidRequest,
                    format!("The body is not valid JSON: {e}"),
                ))
            }
        }
    } else {
        crate::params::parse_query(trimmed)
    };
    crate::params::merge(&mut params, parsed);
    // Body keys win over the query string's, as for every parameter.
    crate::key_order::note(&mut params, trimmed, is_json);
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fuzz `emulator_request`: a form body `0=x` became a list and replaced the query string's
    /// parameters when merged.
    #[test]
    fn a_body_keyed_from_zero_keeps_the_query_parameters() {
        let req = Request {
            path: String::new(),
            query: "a=1".into(),
            content_type: "application/x-www-form-urlencoded".into(),
            body: b"0=x".to_vec(),
            idempotency_key: None,
        };
        let params = parameters(&req).unwrap();
        assert_eq!(params, serde_json::json!({"a": "1", "0": "x"}));
    }
}
