//! The HTTP side: install URL, page, events.

mod events;
mod install;
mod page;
mod proof;
mod uninstall;

use axum::extract::DefaultBodyLimit;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use serde_json::Value;

use crate::app::App;
use crate::error::AppError;

/// Most bytes of a request body the handlers read.
const MAX_BODY: usize = 1024 * 1024;

// Declared here, beside the handlers it routes to, so that `app` does not depend on them.
impl App {
    /// The router: `POST /install` (the install URL), `POST /app` (the page and placements),
    /// `POST /events` (every event, `ONAPPINSTALL` and `ONAPPUNINSTALL` included).
    pub fn router(&self) -> Router {
        Router::new()
            .route("/install", post(install::install))
            .route("/app", post(page::page))
            .route("/events", post(events::events))
            .layer(DefaultBodyLimit::max(MAX_BODY))
            .with_state(self.clone())
    }
}

/// The content type of a request.
fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// The query string and the body (form with PHP brackets, or JSON) as one object; body wins.
fn parameters(query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Result<Value, AppError> {
    let mut params = match query {
        Some(q) => {
            bitrix_runtime::events::form::parse(q.as_bytes()).map_err(AppError::Malformed)?
        }
        None => Value::Object(Default::default()),
    };
    if !body.is_empty() {
        let parsed = bitrix_runtime::events::parse_body(content_type(headers), body)
            .map_err(|e| AppError::Malformed(e.to_string()))?;
        if let (Value::Object(p), Value::Object(b)) = (&mut params, parsed) {
            p.extend(b);
        }
    }
    Ok(params)
}

/// A string field, when present and non-empty.
fn text<'a>(params: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut v = params;
    for key in path {
        v = v.get(*key)?;
    }
    v.as_str().filter(|s| !s.is_empty() && *s != "undefined")
}

/// A required string field.
fn required<'a>(params: &'a Value, path: &[&str]) -> Result<&'a str, AppError> {
    text(params, path)
        .ok_or_else(|| AppError::Malformed(format!("`{}` is missing", path.join("."))))
}
