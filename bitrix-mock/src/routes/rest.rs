//! `/rest/USER/CODE/METHOD` (webhook) and `/rest/METHOD` with `auth` (OAuth): faults, parameters,
//! authentication, the request bucket, the call, and the envelope.

use serde_json::Value;

use super::{parameters, Reply, Request};
use crate::envelope::{success_body, time_json, ApiError};
use crate::faults::{Fault, FaultRule};
use crate::methods::{call, Api};
use crate::state::{AuthKind, CallRecord, Shared};

/// Answers one REST call (REST 3.0 when `v3`: the path starts with `/rest/api/`) and records it.
pub async fn handle(shared: &Shared, req: Request, v3: bool) -> Reply {
    let start = shared.clock.now();
    let prefix = if v3 { "/rest/api/" } else { "/rest/" };
    let rest = req.path.trim_start_matches(prefix).trim_end_matches('/');
    let segments: Vec<&str> = rest.split('/').collect();
    let (webhook, raw_method) = match segments.as_slice() {
        [method] => (None, *method),
        [user, code, method] => (Some((*user, *code)), *method),
        _ => (None, ""),
    };
    let method = raw_method
        .strip_suffix(".json")
        .unwrap_or(raw_method)
        .to_string();
    let (fault, rule) = {
        let mut data = shared.data();
        // A queued fault wins; only calls without one draw from the per-method rules.
        match data.faults.pop_front() {
            Some(queued) => (Some(queued), None),
            None => (None, data.draw_fault(&method)),
        }
    };
    if let Some(rule) = &rule {
        if !rule.delay.is_zero() {
            tokio::time::sleep(rule.delay).await;
        }
    }
    // Errors in the format of the address called.
    let err = |e: ApiError| -> Reply {
        if v3 {
            Reply::Json(e.status, e.body_v3())
        } else {
            e.into()
        }
    };
    let (reply, kind) = match (fault, rule) {
        (
            None,
            Some(
                rule @ FaultRule {
                    status: Some(status),
                    ..
                },
            ),
        ) => (
            err(ApiError::new(
                status,
                &rule.error_code(),
                "Fault injected by the emulator",
            )),
            AuthKind::None,
        ),
        (fault, _) => match fault {
            Some(Fault::Status500) => (
                err(ApiError::system(
                    bitrix_facts::SystemError::InternalServerError,
                    "Internal server error",
                )),
                AuthKind::None,
            ),
            Some(Fault::Status503) => (
                ApiError::system(
                    bitrix_facts::SystemError::QueryLimitExceeded,
                    "Too many requests",
                )
                .into(),
                AuthKind::None,
            ),
            Some(Fault::NotJson) => (
                Reply::Text(
                    200,
                    "text/html; charset=utf-8",
                    "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
                ),
                AuthKind::None,
            ),
            Some(Fault::DropConnection) => (Reply::Drop, AuthKind::None),
            Some(Fault::DropAfterRunning) => {
                let (_, kind) = answer_any(shared, &req, webhook, &method, start, v3);
                (Reply::Drop, kind)
            }
            Some(Fault::Respond { status, body }) => (
                Reply::Text(status, "application/json; charset=utf-8", body),
                AuthKind::None,
            ),
            Some(Fault::Slow(delay)) => {
                tokio::time::sleep(delay).await;
                answer_any(shared, &req, webhook, &method, start, v3)
            }
            None => answer_any(shared, &req, webhook, &method, start, v3),
        },
    };
    let status = reply.status();
    let limit = shared.config.call_log;
    shared.data().log_call(
        CallRecord {
            method,
            auth_kind: kind,
            status,
            at: start,
        },
        limit,
    );
    reply
}

/// The normal answer of either version.
fn answer_any(
    shared: &Shared,
    req: &Request,
    webhook: Option<(&str, &str)>,
    method: &str,
    start: f64,
    v3: bool,
) -> (Reply, AuthKind) {
    if v3 {
        super::v3::answer(shared, req, webhook, method, start)
    } else {
        answer(shared, req, webhook, method, start)
    }
}

/// The normal answer, with how the caller authenticated.
fn answer(
    shared: &Shared,
    req: &Request,
    webhook: Option<(&str, &str)>,
    method: &str,
    start: f64,
) -> (Reply, AuthKind) {
    if method.is_empty() {
        return (
            ApiError::system(
                bitrix_facts::SystemError::ErrorMethodNotFound,
                "Method not found",
            )
            .into(),
            AuthKind::None,
        );
    }
    let mut params = match parameters(req) {
        Ok(p) => p,
        Err(e) => return (e.into(), AuthKind::None),
    };
    let auth = match &mut params {
        Value::Object(map) => map.remove("auth"),
        _ => None,
    };
    let caller = match super::auth::authenticate(shared, webhook, auth, start) {
        Ok(c) => c,
        Err(e) => return (e.into(), AuthKind::None),
    };
    let allowed = {
        let mut data = shared.data();
        match &mut data.bucket {
            Some(bucket) => bucket.try_add(shared.clock.now()),
            None => true,
        }
    };
    if !allowed {
        return (
            ApiError::system(
                bitrix_facts::SystemError::QueryLimitExceeded,
                "Too many requests",
            )
            .into(),
            caller.kind,
        );
    }
    let (outcome, operating) = call(shared, &caller, method, params, Api::V2);
    let reply = match outcome {
        Ok(success) => {
            let time = time_json(start, shared.clock.now(), operating);
            Reply::Json(200, success_body(&success, time))
        }
        Err(e) => e.into(),
    };
    (reply, caller.kind)
}
