//! Running one method call: lookup, scope, operating time, parameter check, then the generic
//! store (methods with `[state]`), the bot extension, or the spec's example answer. `batch` runs
//! its sub-calls through the same path, so they reach the same store.

pub mod batch;
pub(crate) mod bots;
pub(crate) mod events;
pub mod generic;
pub mod lenient;
pub mod stateful;

use bitrix_codegen::model::{check_value_at, Required};
use bitrix_codegen::Method;
use serde_json::{Map, Value};

use crate::envelope::{ApiError, Operating, Success};
use crate::params::text;
use crate::problem::{self, Problem};
use crate::state::{Caller, Data, Shared};

/// Which address a call came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `/rest/<method>`.
    V2,
    /// `/rest/api/<method>` (REST 3.0).
    V3,
    /// A command inside a REST 2 `batch`.
    Batch,
}

/// The outcome of a call and, for methods that count it, the operating figures after it.
pub type Outcome = (Result<Success, ApiError>, Option<Operating>);

/// Runs `name` with `params` (a JSON object, `auth` already removed).
pub fn call(shared: &Shared, caller: &Caller, name: &str, params: Value, api: Api) -> Outcome {
    let v3 = api == Api::V3;
    // Portals find methods whatever the case of their name; REST 3.0 included.
    let name = lenient::method_name(shared, name, v3);
    if name.eq_ignore_ascii_case("batch") && !v3 {
        if api == Api::Batch {
            return (
                Err(ApiError::system(
                    bitrix_facts::SystemError::ErrorBatchMethodNotAllowed,
                    "Method is not allowed for batch usage",
                )),
                None,
            );
        }
        let mut params = match params {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        lenient::rename_keys(&mut params, &["cmd", "halt"]);
        return run_batch(shared, caller, &Value::Object(params));
    }
    // A REST 3.0 method is only at `/rest/api/`; the old address answers 404 for it, as
    // documented, and the new one serves only REST 3.0 methods.
    let Some(method) = shared.method(name, v3) else {
        // REST 3.0 names its own exception (the official JS SDK expects it: b24jssdk's
        // `server.time @apiV3` test).
        let code = if v3 {
            "BITRIX_REST_V3_EXCEPTION_METHODNOTFOUNDEXCEPTION"
        } else {
            "ERROR_METHOD_NOT_FOUND"
        };
        return (Err(ApiError::new(404, code, "Method not found")), None);
    };
    if method.scope != "core" && !shared.scopes.contains(&method.scope) {
        let code = if v3 {
            "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION"
        } else {
            "insufficient_scope"
        };
        return (
            Err(ApiError::new(
                403,
                code,
                "The request requires higher privileges than provided by the webhook token",
            )),
            None,
        );
    }
    // A method the reference reserves for applications refuses webhooks (spec `auth`), after
    // the scope check, as the method itself does on a portal.
    if method.application_only && caller.is_webhook() {
        let e = problem::row(
            method,
            "WRONG_AUTH_TYPE",
            None,
            (403, "Current authorization type is denied for this method"),
        );
        return (Err(e), None);
    }
    let now = shared.clock.now();
    let limit = shared.config.operating_limit.as_secs_f64();
    let mut data = shared.data();
    // Commands inside a batch are billed to `batch` (see `run_batch`), not to their methods.
    let billed = api != Api::Batch;
    if billed && data.operating.blocked(&caller.app, name, now, limit) {
        return blocked();
    }
    let mut params = match params {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    // Older names the spec documents the portal reading (`aliases`), before anything else
    // looks a parameter up by name.
    lenient::aliases(&mut params, method);
    // REST 3.0 reads a typed JSON object: its names and types are taken as sent.
    if !v3 {
        if !method.exact_names {
            lenient::rename_keys(&mut params, &lenient::known_names(method));
        }
        // The family's names, as the store reads the call with them (`crm.item.productrow.list`
        // shares its entity with the UPPER_CASE `crm.productrow` family).
        if let Some(shape) = method
            .state
            .as_ref()
            .and_then(|_| shared.shapes.get(&crate::names::family(method)))
        {
            lenient::field_names(&mut params, shape);
        }
        lenient::coerce_params(method, &mut params);
    }
    let outcome = run(shared, method, caller, &params, &mut data, now, v3);
    // The writes of this call raise their events (a batch raises per command, in order).
    let connector = text(&params, "auth_connector").unwrap_or_default();
    events::raise(shared, &mut data, &connector);
    if !billed {
        return (outcome, None);
    }
    let cost = shared.config.cost_of(name);
    let operating = data.operating.record(&caller.app, name, now, cost);
    (outcome, Some(operating))
}

/// The answer of a method whose operating time is used up until its reset.
fn blocked() -> Outcome {
    let e = ApiError::system(
        bitrix_facts::SystemError::OperationTimeLimit,
        "Method is blocked due to operation time limit.",
    );
    (Err(e), None)
}

/// Runs a REST 2 `batch` and bills it as portals do, as users measured them (b24jssdk issue 459;
/// `limits.md` says otherwise): the whole batch counts against the `batch` method, with the time
/// of its commands, and its commands count against nothing of their own. A blocked `batch` is
/// refused as a whole.
fn run_batch(shared: &Shared, caller: &Caller, params: &Value) -> Outcome {
    let now = shared.clock.now();
    let limit = shared.config.operating_limit.as_secs_f64();
    if shared
        .data()
        .operating
        .blocked(&caller.app, "batch", now, limit)
    {
        return blocked();
    }
    let outcome = batch::run(shared, caller, params);
    let commands: Vec<&str> = match params.get("cmd") {
        Some(Value::Object(map)) => map.values().filter_map(Value::as_str).collect(),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let cost = commands
        .iter()
        .map(|c| {
            shared
                .config
                .cost_of(c.split('?').next().unwrap_or_default())
        })
        .fold(shared.config.cost_of("batch"), |sum, c| sum + c);
    let operating = shared
        .data()
        .operating
        .record(&caller.app, "batch", now, cost);
    (outcome, Some(operating))
}

/// Checks the parameters and answers from the store, the bot extension or the example.
fn run(
    shared: &Shared,
    method: &Method,
    caller: &Caller,
    params: &Map<String, Value>,
    data: &mut Data,
    now: f64,
    v3: bool,
) -> Result<Success, ApiError> {
    let answer = |p: Problem| {
        if v3 {
            problem::answer_v3(method, &p)
        } else {
            problem::answer(method, &p)
        }
    };
    let events = events::methods::METHODS.contains(&method.name.as_str());
    let extension = events || bots::METHODS.contains(&method.name.as_str());
    // The extensions check presence themselves, in the portal's order (owner first); the event
    // methods check their values too, with the portal's own messages.
    if !events {
        check(method, params, caller.is_webhook(), !extension, v3).map_err(answer)?;
    }
    if events {
        if let Some(answer) = events::methods::handle(shared, method, caller, params, data) {
            return answer;
        }
    }
    if extension {
        if let Some(answer) = bots::handle(method, caller, params, &mut data.bots) {
            return answer;
        }
    }
    if let Some(st) = &method.state {
        let family = crate::names::family(method);
        let (no_shape, no_template) = (Default::default(), Default::default());
        let view = stateful::View {
            shape: shared.shapes.get(&family).unwrap_or(&no_shape),
            template: shared.templates.get(&family).unwrap_or(&no_template),
        };
        let ctx = stateful::Context {
            now,
            user_id: data.tokens.creds.webhook_user_id,
            v3,
        };
        return stateful::run(method, st, view, params, ctx, &mut data.store).map_err(answer);
    }
    Ok(generic::answer(method, params, data))
}

/// Checks the parameters the spec knows: presence of required ones (when `presence`) and the
/// type of every given one. Unknown keys (and `start` of list methods, which specs need not
/// list) are ignored, as a portal ignores them.
fn check(
    method: &Method,
    params: &Map<String, Value>,
    webhook: bool,
    presence: bool,
    v3: bool,
) -> Result<(), Problem> {
    if presence {
        for p in &method.params {
            let must = p.required == Required::Yes || (webhook && p.required == Required::Webhook);
            if must && params.get(&p.wire).is_none_or(Value::is_null) {
                return Err(Problem::Missing(p.wire.clone()));
            }
        }
    }
    // A stateful list's `filter`, `order` and `select` are the store's to check: it knows the
    // entity's fields and answers the documented rows (unknown field, bad direction).
    let listed = method
        .state
        .as_ref()
        .is_some_and(|st| st.action == bitrix_codegen::model::Action::List);
    for (key, value) in params {
        let store_checks =
            matches!(key.as_str(), "filter" | "order" | "select") || (v3 && key == "pagination");
        if listed && store_checks {
            continue;
        }
        if let Some(p) = method.param(key) {
            check_value_at(method, &p.ty, value, key).map_err(Problem::WrongType)?;
        }
    }
    Ok(())
}
