//! `event.bind`, `event.unbind`, `event.get` and `event.offline.*`, per application (the
//! `client_id` of the OAuth token). Webhooks are refused before they get here (the specs say
//! `auth = "application"`). The emulator's OAuth user is an administrator, so the
//! administrator-only rows (`ACCESS_DENIED`) are never answered.
//!
//! Facts: the reference's pages in `api-reference/events/` and its error table of `event.bind`.

use bitrix_codegen::Method;
use serde_json::{json, Map, Value};

use crate::envelope::{ApiError, Success};
use crate::events::book::{hex32, Binding, MAX_BINDINGS};
use crate::events::catalog::catalog;
use crate::params::{int, text};
use crate::state::Caller;
use crate::state::{Data, Shared};
use crate::store::shape::{Kind, Shape};
use crate::store::{filter, order};

/// The methods served here.
pub(crate) const METHODS: &[&str] = &[
    "event.bind",
    "event.unbind",
    "event.get",
    "event.offline.get",
    "event.offline.clear",
    "event.offline.error",
    "event.offline.list",
];

type Answer = Result<Success, ApiError>;

/// The page size of `event.offline.list` and the default `limit` of `event.offline.get`.
const PAGE: usize = bitrix_facts::PAGE_SIZE;

/// Answers `method` if it is one of [`METHODS`].
pub(crate) fn handle(
    shared: &Shared,
    method: &Method,
    caller: &Caller,
    params: &Map<String, Value>,
    data: &mut Data,
) -> Option<Answer> {
    let app = caller
        .client_id
        .clone()
        .unwrap_or_else(|| caller.app.clone());
    Some(match method.name.as_str() {
        "event.bind" => bind(shared, &app, params, data),
        "event.unbind" => unbind(shared, &app, params, data),
        "event.get" => Ok(Success::of(Value::Array(
            data.events
                .bindings
                .iter()
                .filter(|b| b.app == app)
                .map(Binding::row)
                .collect(),
        ))),
        "event.offline.get" => offline_get(&app, params, data),
        "event.offline.clear" => offline_clear(&app, params, data),
        "event.offline.error" => offline_error(&app, params, data),
        "event.offline.list" => offline_list(&app, params, data),
        _ => return None,
    })
}

fn argument(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "ERROR_ARGUMENT", message)
}

fn null_argument(name: &str) -> ApiError {
    argument(format!("Argument '{name}' is null or empty"))
}

/// `event_type`: `online` (the default) or `offline`.
fn offline_type(params: &Map<String, Value>) -> Result<bool, ApiError> {
    match text(params, "event_type")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "" | "online" => Ok(false),
        "offline" => Ok(true),
        _ => Err(argument("Value must be one of {online|offline}")),
    }
}

fn event_name(params: &Map<String, Value>) -> Result<String, ApiError> {
    let name = text(params, "event")
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase();
    if name.is_empty() {
        return Err(null_argument("EVENT"));
    }
    Ok(name)
}

fn bind(shared: &Shared, app: &str, params: &Map<String, Value>, data: &mut Data) -> Answer {
    let event = event_name(params)?;
    let offline = offline_type(params)?;
    let handler = match offline {
        // An offline subscription has no address; one given is ignored.
        true => String::new(),
        false => text(params, "handler")
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    if !offline {
        if handler.is_empty() {
            return Err(null_argument("HANDLER"));
        }
        check_handler(&handler)?;
    }
    let known = catalog().ok().and_then(|c| c.get(&event));
    let scope_ok = known.is_some_and(|e| {
        matches!(e.scope.as_str(), "basic" | "core" | "app") || shared.scopes.contains(&e.scope)
    });
    if !scope_ok {
        return Err(ApiError::new(
            400,
            "ERROR_EVENT_NOT_FOUND",
            "Event not found",
        ));
    }
    if offline && event == "ONOFFLINEEVENT" {
        return Err(argument(
            "Offline event cannot be registered for this event.",
        ));
    }
    let auth_type = match offline {
        true => 0,
        false => int(params, "auth_type").unwrap_or(0).max(0) as u64,
    };
    let connector = text(params, "auth_connector").unwrap_or_default();
    // The one option the reference documents (`ONOFFLINEEVENT`): default 1 s.
    let min_timeout = params
        .get("options")
        .and_then(|o| o.as_object())
        .and_then(|o| int(o, "minTimeout"))
        .unwrap_or(1)
        .max(0) as u64;
    let unable = |why: &str| {
        ApiError::system(
            bitrix_facts::SystemError::ErrorCore,
            format!("Unable to set event handler: {why}"),
        )
    };
    let book = &mut data.events;
    let same = book.bindings.iter().any(|b| {
        b.app == app
            && b.event == event
            && b.handler == handler
            && b.auth_type == auth_type
            && b.connector == connector
    });
    if same {
        return Err(unable("Handler already binded"));
    }
    if book.bindings.len() >= MAX_BINDINGS {
        return Err(unable(&format!(
            "the emulator keeps at most {MAX_BINDINGS} handlers"
        )));
    }
    let id = book.binding_id();
    book.bindings.push(Binding {
        id,
        app: app.to_string(),
        event,
        handler,
        auth_type,
        connector,
        min_timeout,
        notified_at: None,
    });
    Ok(Success::of(json!(true)))
}

/// The portal's checks of a handler address (an `http`/`https` scheme, a host with a dot), then
/// the emulator's own: it calls only `http://` handlers on IPv4 loopback, so tests never reach
/// the network.
fn check_handler(url: &str) -> Result<(), ApiError> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(ApiError::new(
            400,
            "ERROR_WRONG_HANDLER_URL",
            "Wrong handler URL",
        ));
    };
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err(ApiError::new(
            400,
            "ERROR_UNSUPPORTED_PROTOCOL",
            "Unsupported handler protocol",
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if host.is_empty() || !host.contains('.') {
        return Err(ApiError::new(
            400,
            "ERROR_WRONG_HANDLER_URL",
            "Wrong handler URL",
        ));
    }
    if crate::events::wire::loopback_target(url).is_err() {
        return Err(ApiError::new(
            400,
            "ERROR_WRONG_HANDLER_URL",
            format!(
                "Wrong handler URL: the emulator calls only http:// handlers on loopback (127.0.0.1), not `{url}`"
            ),
        ));
    }
    Ok(())
}

fn unbind(shared: &Shared, app: &str, params: &Map<String, Value>, data: &mut Data) -> Answer {
    let event = event_name(params)?;
    let offline = offline_type(params)?;
    let handler = match offline {
        true => String::new(),
        false => text(params, "handler")
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    if !offline && handler.is_empty() {
        return Err(null_argument("HANDLER"));
    }
    let connector = text(params, "auth_connector").unwrap_or_default();
    // `auth_type` given (`0` or empty too) selects the handlers of that user only.
    let auth_type = params
        .get("auth_type")
        .map(|_| int(params, "auth_type").unwrap_or(0).max(0) as u64);
    let book = &mut data.events;
    let before = book.bindings.len();
    book.bindings.retain(|b| {
        let hit = b.app == app
            && b.event == event
            && b.handler == handler
            && match offline {
                true => b.connector == connector,
                false => auth_type.is_none_or(|u| b.auth_type == u),
            };
        !hit
    });
    let count = before - book.bindings.len();
    if !offline
        && !book
            .bindings
            .iter()
            .any(|b| b.app == app && b.handler == handler)
    {
        shared.dispatcher.forget(app, &handler);
    }
    Ok(Success::of(json!({ "count": count })))
}

/// An offline record's place in the queue and its row.
type Placed = (usize, Map<String, Value>);

/// The key that carries a record's place in the queue through sorting.
const AT: &str = "\u{0}at";

/// The fields of an offline record, for filters and orders.
fn offline_shape() -> Shape {
    let fields = [
        ("ID", Kind::Integer),
        ("TIMESTAMP_X", Kind::DateTime),
        ("EVENT_NAME", Kind::Text),
        ("MESSAGE_ID", Kind::Text),
        ("PROCESS_ID", Kind::Text),
        ("ERROR", Kind::Integer),
    ];
    Shape {
        key: "ID".into(),
        fields: fields.iter().map(|(n, k)| (n.to_string(), *k)).collect(),
        ..Shape::default()
    }
}

/// The indexes of the application's offline events that pass `keep` and the call's filter, in
/// the call's order (else `default_order`).
fn select(
    app: &str,
    params: &Map<String, Value>,
    data: &Data,
    default_order: &str,
    keep: impl Fn(&crate::events::book::OfflineEvent) -> bool,
) -> Result<Vec<Placed>, ApiError> {
    let shape = offline_shape();
    let cond = filter::parse(params.get("filter"), &shape, false)
        .map_err(|e| argument(format!("Invalid filter: {e:?}")))?;
    let default = json!({ default_order: "ASC" });
    let ord = order::parse(params.get("order").or(Some(&default)), &shape)
        .map_err(|e| argument(format!("Invalid order: {e:?}")))?;
    let connector = text(params, "auth_connector").unwrap_or_default();
    let rows: Vec<Map<String, Value>> = data
        .events
        .offline
        .iter()
        .enumerate()
        .filter(|(_, o)| o.app == app && o.connector == connector && keep(o))
        .map(|(i, o)| {
            let mut row = o.row(true);
            // Where it stands in the queue, carried through the sort and taken out after.
            row.insert(AT.into(), json!(i));
            row
        })
        .filter(|row| cond.matches(row))
        .collect();
    let mut refs: Vec<&Map<String, Value>> = rows.iter().collect();
    order::sort(&mut refs, &ord, "ID");
    let sorted = refs
        .into_iter()
        .map(|r| {
            let mut r = r.clone();
            let at = r.remove(AT).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
            (at, r)
        })
        .collect();
    Ok(sorted)
}

fn offline_get(app: &str, params: &Map<String, Value>, data: &mut Data) -> Answer {
    let clear = int(params, "clear").unwrap_or(1) != 0;
    let given = text(params, "process_id")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty());
    let limit = int(params, "limit").unwrap_or(PAGE as i64);
    if limit <= 0 {
        return Err(argument("Value must be positive integer"));
    }
    let errors = int(params, "error") == Some(1);
    let rows = select(app, params, data, "TIMESTAMP_X", |o| {
        o.error == errors
            && match &given {
                Some(p) => &o.process_id == p,
                None => o.process_id.is_empty(),
            }
    })?;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let process = match &given {
        Some(p) => p.clone(),
        None => {
            data.events.next_process += 1;
            let n = data.events.next_process.to_string();
            hex32(&[app, "process", &n])
        }
    };
    let book = &mut data.events;
    let events: Vec<Value> = rows
        .iter()
        .map(|(_, r)| {
            let mut r = r.clone();
            r.remove("PROCESS_ID");
            r.remove("ERROR");
            Value::Object(r)
        })
        .collect();
    let picked: Vec<usize> = rows.iter().map(|(i, _)| *i).collect();
    if clear {
        let mut i = 0;
        book.offline.retain(|_| {
            let keep = !picked.contains(&i);
            i += 1;
            keep
        });
    } else {
        for i in &picked {
            if let Some(o) = book.offline.get_mut(*i) {
                o.process_id = process.clone();
            }
        }
    }
    let shown = (!clear || given.is_some()).then_some(process);
    Ok(Success::of(
        json!({ "process_id": shown, "events": events }),
    ))
}

/// A list parameter (a JSON array or PHP's `0..n` object) as texts.
fn list(params: &Map<String, Value>, name: &str) -> Option<Result<Vec<String>, ()>> {
    let v = params.get(name)?;
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m.values().collect(),
        _ => return Some(Err(())),
    };
    Some(Ok(items
        .into_iter()
        .filter_map(crate::store::value::text)
        .map(|t| t.trim().to_string())
        .collect()))
}

fn process_id(params: &Map<String, Value>) -> Result<String, ApiError> {
    text(params, "process_id")
        .map(|p| p.trim().to_string())
        .ok_or_else(|| null_argument("PROCESS_ID"))
}

fn offline_clear(app: &str, params: &Map<String, Value>, data: &mut Data) -> Answer {
    let process = process_id(params)?;
    let connector = text(params, "auth_connector").unwrap_or_default();
    let messages = match list(params, "message_id") {
        Some(Err(())) => return Err(argument("Value must be array of MESSAGE_ID values")),
        Some(Ok(m)) => Some(m),
        None => None,
    };
    let ids = match (&messages, list(params, "id")) {
        (Some(_), _) | (None, None) => None,
        (None, Some(Ok(ids))) => {
            let parsed: Option<Vec<u64>> = ids
                .iter()
                .map(|i| i.parse::<u64>().ok().filter(|n| *n > 0))
                .collect();
            Some(parsed.ok_or_else(|| argument("Value must be array of integers"))?)
        }
        (None, Some(Err(()))) => return Err(argument("Value must be array of integers")),
    };
    data.events.offline.retain(|o| {
        let hit = o.app == app
            && o.connector == connector
            && o.process_id == process
            && messages.as_ref().is_none_or(|m| m.contains(&o.message_id))
            && ids.as_ref().is_none_or(|i| i.contains(&o.id));
        !hit
    });
    Ok(Success::of(json!(true)))
}

fn offline_error(app: &str, params: &Map<String, Value>, data: &mut Data) -> Answer {
    let process = process_id(params)?;
    let connector = text(params, "auth_connector").unwrap_or_default();
    let Some(Ok(messages)) = list(params, "message_id") else {
        return Err(argument("Value must be array of MESSAGE_ID values"));
    };
    for o in data.events.offline.iter_mut() {
        if o.app == app
            && o.connector == connector
            && o.process_id == process
            && messages.contains(&o.message_id)
        {
            // An erroneous record leaves its reservation: `event.offline.get` with `error = 1`
            // finds it again.
            o.error = true;
            o.process_id.clear();
        }
    }
    Ok(Success::of(json!(true)))
}

fn offline_list(app: &str, params: &Map<String, Value>, data: &mut Data) -> Answer {
    let rows = select(app, params, data, "ID", |_| true)?;
    let start = int(params, "start").unwrap_or(0).max(0) as usize;
    let total = rows.len();
    let page: Vec<Value> = rows
        .into_iter()
        .skip(start)
        .take(PAGE)
        .map(|(_, r)| Value::Object(r))
        .collect();
    let next = (start + PAGE < total).then_some((start + PAGE) as u64);
    Ok(Success {
        result: Value::Array(page),
        next,
        total: Some(total as u64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handler_addresses_as_the_portal_and_the_emulator_check_them() {
        let code = |u: &str| check_handler(u).err().map(|e| e.code);
        assert_eq!(code("http://127.0.0.1:8080/h"), None);
        assert_eq!(
            code("ftp://127.0.0.1/"),
            Some("ERROR_UNSUPPORTED_PROTOCOL".into())
        );
        assert_eq!(
            code("http://localhost:80/"),
            Some("ERROR_WRONG_HANDLER_URL".into())
        );
        assert_eq!(code("nothing"), Some("ERROR_WRONG_HANDLER_URL".into()));
        let far = check_handler("https://example.com/h").unwrap_err();
        assert_eq!(far.code, "ERROR_WRONG_HANDLER_URL");
        assert!(far.description.contains("loopback"), "{}", far.description);
    }
}
