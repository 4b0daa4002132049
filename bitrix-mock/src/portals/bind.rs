//! `event.bind`, `event.unbind` and `event.get` on a cloud portal: the bindings of the cloud's
//! application, kept per portal so that the portal can deliver `ONAPPINSTALL`, `ONAPPUNINSTALL`
//! and the events the application asked for. Calls to other emulators go on to the spec-driven
//! routes untouched.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use serde_json::{json, Value};

use super::{Binding, PortalState};
use crate::envelope::{success_body, time_json, ApiError, Success};
use crate::routes::{parameters, Reply, Request};
use crate::state::Shared;

type Registry = Mutex<HashMap<SocketAddr, Weak<PortalState>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

pub(super) fn register(addr: SocketAddr, state: &Arc<PortalState>) {
    registry()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(addr, Arc::downgrade(state));
}

pub(super) fn unregister(addr: SocketAddr) {
    registry()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&addr);
}

fn portal(addr: SocketAddr) -> Option<Arc<PortalState>> {
    registry()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&addr)
        .and_then(Weak::upgrade)
}

/// Answers the event binding methods of a cloud portal; `None` for every other request.
pub(crate) fn intercept(shared: &Shared, req: &Request) -> Option<Reply> {
    let method = req
        .path
        .strip_prefix("/rest/")?
        .trim_end_matches('/')
        .trim_end_matches(".json")
        .to_ascii_lowercase();
    if !matches!(method.as_str(), "event.bind" | "event.unbind" | "event.get") {
        return None;
    }
    let state = portal(shared.addr)?;
    let start = shared.clock.now();
    let params = match parameters(req) {
        Ok(p) => p,
        Err(e) => return Some(e.into()),
    };
    if let Err(e) = authenticate(shared, &params, start) {
        return Some(e.into());
    }
    let get = |k: &str| {
        params
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut app = state.app();
    let result = match method.as_str() {
        "event.bind" => {
            let (event, handler) = (get("event").to_ascii_uppercase(), get("handler"));
            if event.is_empty() || handler.is_empty() {
                return Some(
                    ApiError::new(400, "ERROR_ARGUMENT", "event and handler are required").into(),
                );
            }
            if app.bindings.iter().any(|b| b.event == event && b.handler == handler) {
                return Some(
                    ApiError::new(400, "ERROR_EVENT_HANDLER_ALREADY_EXISTS", "Handler already binded")
                        .into(),
                );
            }
            app.next_binding += 1;
            let id = app.next_binding;
            app.bindings.push(Binding { event, handler, id });
            json!(true)
        }
        "event.unbind" => {
            let (event, handler) = (get("event").to_ascii_uppercase(), get("handler"));
            let before = app.bindings.len();
            app.bindings
                .retain(|b| !(b.event == event && (handler.is_empty() || b.handler == handler)));
            json!({"count": before - app.bindings.len()})
        }
        _ => Value::Array(
            app.bindings
                .iter()
                .map(|b| json!({"event": b.event, "handler": b.handler, "auth_type": "0", "offline": 0}))
                .collect(),
        ),
    };
    let time = time_json(start, shared.clock.now(), None);
    Some(Reply::Json(200, success_body(&Success::of(result), time)))
}

/// The application's token, as the REST routes check it.
fn authenticate(shared: &Shared, params: &Value, now: f64) -> Result<(), ApiError> {
    let token = params.get("auth").and_then(Value::as_str).unwrap_or("");
    if token.is_empty() {
        return Err(ApiError::new(
            401,
            "NO_AUTH_FOUND",
            "Wrong authorization data",
        ));
    }
    match shared.data().tokens.access_expiry.get(token) {
        None => Err(ApiError::new(
            401,
            "invalid_token",
            "Unable to get application by token",
        )),
        Some(expiry) if now >= *expiry => Err(ApiError::new(
            401,
            "expired_token",
            "The access token provided has expired.",
        )),
        Some(_) => Ok(()),
    }
}
