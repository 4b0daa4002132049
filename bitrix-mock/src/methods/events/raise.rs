//! Raising events from store writes: after every call (a REST 2 call, each command of a batch,
//! a REST 3.0 call) the store's journal of writes is read, each write is matched against the
//! `[[raise]]` facts of the event specs, and every handler bound to a raised event gets it
//! (online: queued for delivery; offline: stored for `event.offline.get`). No event is named
//! here: which write raises what, and what `data` carries, is spec data.

use bitrix_codegen::events::raise::{Raise, Source, Write};
use serde_json::{json, Map, Value};

use crate::events::book::{hex32, Binding, OfflineEvent};
use crate::events::catalog::catalog;
use crate::events::delivery::Job;
use crate::events::wire::encode;
use crate::state::{Data, Shared};
use crate::store::value;

/// One event raised by one write, before it meets its handlers.
struct Raised {
    event: String,
    scope: String,
    data: Value,
}

/// Raises the events of the writes journaled since the last call. `connector`: the
/// `auth_connector` the writing call sent (offline subscriptions with the same key skip it).
pub(crate) fn raise(shared: &Shared, data: &mut Data, connector: &str) {
    let written = std::mem::take(&mut data.store.journal);
    if written.is_empty() || data.events.bindings.is_empty() {
        return;
    }
    let Ok(catalog) = catalog() else {
        return;
    };
    let mut raised = Vec::new();
    for w in &written {
        let stored;
        let record = match w.write {
            Write::Delete => w.removed.as_ref(),
            _ => {
                stored = data.store.get(&w.entity, &w.partition, w.id);
                stored.map(|r| &r.fields)
            }
        };
        for (ev, r) in catalog.raised_by(&w.entity, w.write, &w.partition) {
            raised.push(Raised {
                event: ev.name.clone(),
                scope: ev.scope.clone(),
                data: fill(r, w.id, &w.partition, record),
            });
        }
    }
    let now = shared.clock.now();
    let limit = shared.config.events.offline;
    let mut queued_for: Vec<String> = Vec::new();
    for r in raised {
        let bound: Vec<Binding> = data
            .events
            .bindings
            .iter()
            .filter(|b| b.event == r.event)
            .cloned()
            .collect();
        for b in bound {
            if b.offline() {
                if !b.connector.is_empty() && b.connector == connector {
                    continue;
                }
                let text = r.data.to_string();
                let ev = OfflineEvent {
                    id: 0,
                    app: b.app.clone(),
                    connector: b.connector.clone(),
                    at: now,
                    event: r.event.clone(),
                    message_id: hex32(&[&b.app, &r.event, &text]),
                    data: r.data.clone(),
                    process_id: String::new(),
                    error: false,
                };
                let stats = &shared.dispatcher.stats;
                let counter = if data.events.store_offline(ev, limit) {
                    &stats.offline_stored
                } else {
                    &stats.offline_dropped
                };
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if !queued_for.contains(&b.app) {
                    queued_for.push(b.app.clone());
                }
                continue;
            }
            let user = match b.auth_type {
                0 => data.tokens.creds.webhook_user_id,
                u => u,
            };
            let body = json!({
                "event": r.event,
                "event_handler_id": b.id.to_string(),
                "data": r.data,
                "ts": (now as i64).to_string(),
                "auth": super::auth::block(shared, data, &b.app, user, &r.scope, now),
            });
            let job = Job {
                event: r.event.clone(),
                url: b.handler.clone(),
                handler_id: b.id,
                body: encode(&body),
            };
            shared.dispatcher.send(&b.app, job);
        }
    }
    for app in queued_for {
        notify_offline(shared, data, &app, now);
    }
}

/// The event that tells an application its offline queue has news (`ONOFFLINEEVENT`, bound as
/// an online handler): no data, a refresh token in `auth`, at most once per `minTimeout`
/// seconds (`0`: once per call).
fn notify_offline(shared: &Shared, data: &mut Data, app: &str, now: f64) {
    const EVENT: &str = "ONOFFLINEEVENT";
    let due: Vec<Binding> = data
        .events
        .bindings
        .iter_mut()
        .filter(|b| b.app == app && b.event == EVENT && !b.offline())
        .filter_map(|b| {
            let wait = b.min_timeout as f64;
            let ready = wait == 0.0 || b.notified_at.is_none_or(|t| now - t >= wait);
            ready.then(|| {
                b.notified_at = Some(now);
                b.clone()
            })
        })
        .collect();
    let scope = catalog()
        .ok()
        .and_then(|c| c.get(EVENT))
        .map_or_else(String::new, |e| e.scope.clone());
    for b in due {
        let mut auth = super::auth::block(
            shared,
            data,
            app,
            data.tokens.creds.webhook_user_id,
            &scope,
            now,
        );
        auth["refresh_token"] = json!(data.tokens.creds.refresh_token);
        let body = json!({
            "event": EVENT,
            "event_handler_id": b.id.to_string(),
            "data": [],
            "ts": (now as i64).to_string(),
            "auth": auth,
        });
        shared.dispatcher.send(
            app,
            Job {
                event: EVENT.to_string(),
                url: b.handler.clone(),
                handler_id: b.id,
                body: encode(&body),
            },
        );
    }
}

/// The `data` of one raise, from the record written.
fn fill(r: &Raise, id: u64, partition: &[String], record: Option<&Map<String, Value>>) -> Value {
    let mut data = Map::new();
    for (path, source) in &r.data {
        let v = match source {
            Source::Id => Some(json!(id.to_string())),
            Source::Partition(n) => partition.get(*n).map(|p| json!(p)),
            Source::Field(name) => record
                .and_then(|rec| value::field(rec, name))
                .filter(|v| !v.is_null())
                .cloned(),
            Source::Text(t) => Some(json!(t)),
        };
        if let Some(v) = v {
            insert(&mut data, path, v);
        }
    }
    Value::Object(data)
}

/// Sets `path` in `map`, making the objects on the way (a text in the way is replaced).
fn insert(map: &mut Map<String, Value>, path: &[String], v: Value) {
    let Some((last, init)) = path.split_last() else {
        return;
    };
    let mut node = map;
    for seg in init {
        let slot = node
            .entry(seg.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else {
            return;
        };
        node = next;
    }
    node.insert(last.clone(), v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_filled_from_the_record() {
        let r = Raise {
            entity: "crm".into(),
            partition: vec!["*".into()],
            write: Write::Add,
            data: vec![
                (vec!["FIELDS".into(), "ID".into()], Source::Id),
                (
                    vec!["FIELDS".into(), "ENTITY_TYPE_ID".into()],
                    Source::Partition(0),
                ),
                (
                    vec!["FIELDS".into(), "TITLE".into()],
                    Source::Field("title".into()),
                ),
                (
                    vec!["FIELDS".into(), "NONE".into()],
                    Source::Field("none".into()),
                ),
                (vec!["FLAG".into()], Source::Text("N".into())),
            ],
        };
        let record = json!({"TITLE": "Big"});
        let got = fill(&r, 7, &["1220".into()], record.as_object());
        assert_eq!(
            got,
            json!({"FIELDS": {"ID": "7", "ENTITY_TYPE_ID": "1220", "TITLE": "Big"}, "FLAG": "N"})
        );
    }
}
