//! What the portal remembers about events: the handlers each application bound (`event.bind`)
//! and the offline queue (`event_type = offline`), per application (its `client_id`).

use std::collections::VecDeque;

use serde_json::{json, Map, Value};

/// Handlers kept at most, over all applications; `event.bind` refuses more.
pub(crate) const MAX_BINDINGS: usize = 10_000;

/// One `event.bind`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Binding {
    /// `event_handler_id`.
    pub id: u64,
    /// The application's `client_id`.
    pub app: String,
    /// The event name, upper case.
    pub event: String,
    /// The handler address; empty for an offline subscription.
    pub handler: String,
    /// The user the handler runs as; 0: the user who caused the event.
    pub auth_type: u64,
    /// `auth_connector` of an offline subscription.
    pub connector: String,
    /// `options[minTimeout]` of an `ONOFFLINEEVENT` handler: seconds between notifications.
    pub min_timeout: u64,
    /// When an `ONOFFLINEEVENT` handler was last notified (emulated Unix time).
    pub notified_at: Option<f64>,
}

impl Binding {
    /// An offline subscription: events wait in the queue.
    pub fn offline(&self) -> bool {
        self.handler.is_empty()
    }

    /// The row `event.get` answers.
    pub fn row(&self) -> Value {
        if self.offline() {
            json!({"event": self.event, "connector_id": self.connector, "offline": 1})
        } else {
            json!({
                "event": self.event,
                "handler": self.handler,
                "auth_type": self.auth_type.to_string(),
                "offline": 0,
            })
        }
    }
}

/// One offline event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OfflineEvent {
    pub id: u64,
    pub app: String,
    pub connector: String,
    /// Emulated Unix time of the last change.
    pub at: f64,
    pub event: String,
    pub data: Value,
    /// The same for every change of one object by one event: the queue keeps the latest.
    pub message_id: String,
    /// The reservation of `event.offline.get` with `clear = 0`; empty when free.
    pub process_id: String,
    /// Marked by `event.offline.error`.
    pub error: bool,
}

impl OfflineEvent {
    /// The record as the `event.offline.*` methods filter, order and answer it.
    pub fn row(&self, with_process: bool) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("ID".into(), json!(self.id.to_string()));
        m.insert("TIMESTAMP_X".into(), json!(crate::clock::iso8601(self.at)));
        m.insert("EVENT_NAME".into(), json!(self.event));
        m.insert("EVENT_DATA".into(), self.data.clone());
        m.insert("EVENT_ADDITIONAL".into(), json!(false));
        m.insert("MESSAGE_ID".into(), json!(self.message_id));
        if with_process {
            m.insert("PROCESS_ID".into(), json!(self.process_id));
            m.insert("ERROR".into(), json!(if self.error { "1" } else { "0" }));
        }
        m
    }
}

/// The event book of the portal.
#[derive(Debug, Default)]
pub(crate) struct EventBook {
    pub bindings: Vec<Binding>,
    pub next_binding: u64,
    pub offline: VecDeque<OfflineEvent>,
    pub next_offline: u64,
    /// Counter of process IDs handed out.
    pub next_process: u64,
}

impl EventBook {
    /// A new binding's ID.
    pub fn binding_id(&mut self) -> u64 {
        self.next_binding = self.next_binding.max(1);
        let id = self.next_binding;
        self.next_binding += 1;
        id
    }

    /// Queues an offline event, or refreshes the waiting one of the same object (its time, data
    /// and place at the end). `false` when the queue holds `limit` events already.
    pub fn store_offline(&mut self, mut ev: OfflineEvent, limit: usize) -> bool {
        let same = self.offline.iter().position(|o| {
            o.app == ev.app
                && o.connector == ev.connector
                && o.message_id == ev.message_id
                && o.process_id.is_empty()
                && !o.error
        });
        if let Some(i) = same {
            if let Some(mut old) = self.offline.remove(i) {
                old.at = ev.at;
                old.data = ev.data;
                self.offline.push_back(old);
            }
            return true;
        }
        if self.offline.len() >= limit {
            return false;
        }
        self.next_offline = self.next_offline.max(1);
        ev.id = self.next_offline;
        self.next_offline += 1;
        self.offline.push_back(ev);
        true
    }
}

/// A 32-hex-digit hash of `parts`, for `MESSAGE_ID` and `process_id` (portals send 32 characters).
pub(crate) fn hex32(parts: &[&str]) -> String {
    use std::hash::{Hash, Hasher};
    let mut out = String::new();
    for salt in 0u8..2 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        parts.hash(&mut h);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}
