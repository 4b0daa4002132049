//! What a portal does to the application: install it (the install POST, then `ONAPPINSTALL`),
//! open its page, deliver events to its handlers, uninstall it (`ONAPPUNINSTALL`). Deliveries go
//! through `events::bot`: form-encoded with PHP brackets, POSTed only to loopback addresses.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};

use super::{AppRegistration, Portal};
use crate::events::wire::encode;
use crate::methods::events::bot::Outgoing;
use crate::methods::events::deliver;
use crate::DeliveryReport;

/// What an install did: the install POST's answer and the `ONAPPINSTALL` deliveries.
#[derive(Debug, Clone)]
pub struct InstallReport {
    /// The answer to the install POST.
    pub install: DeliveryReport,
    /// The `ONAPPINSTALL` deliveries (none when the install POST was refused).
    pub events: Vec<DeliveryReport>,
}

impl InstallReport {
    /// Whether the install POST and every `ONAPPINSTALL` delivery got HTTP 200, and there was
    /// at least one delivery.
    pub fn ok(&self) -> bool {
        self.install.status == 200
            && !self.events.is_empty()
            && self.events.iter().all(|e| e.status == 200)
    }
}

/// Hex text derived from `seed`.
pub(super) fn random_hex(seed: u64, len: usize) -> String {
    let mut out = String::new();
    let mut i = 0u64;
    while out.len() < len {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (seed, i, now_nanos()).hash(&mut h);
        out.push_str(&format!("{:016x}", h.finish()));
        i += 1;
    }
    out.truncate(len);
    out
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn now_secs() -> i64 {
    (now_nanos() / 1_000_000_000) as i64
}

/// `Outgoing` names its event with a `&'static str`; each distinct name is kept once.
fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// POSTs a form body to `url` (loopback only).
pub(super) async fn post(url: &str, event: &str, body: String) -> std::io::Result<DeliveryReport> {
    deliver(Outgoing {
        event: intern(event),
        url: url.to_string(),
        body,
        message_id: 0,
    })
    .await
}

impl Portal {
    fn portal_url(&self) -> String {
        self.state.shared.portal_url()
    }

    /// The `auth` block of a delivery, with the application's current pair.
    fn auth(&self, with_tokens: bool) -> Value {
        let data = self.state.shared.data();
        let creds = &data.tokens.creds;
        let portal = self.portal_url();
        let mut auth = json!({
            "domain": self.domain(),
            "server_endpoint": format!("{}rest/", self.state.oauth_url),
            "client_endpoint": format!("{portal}rest/"),
            "member_id": data.tokens.member_id,
            "application_token": creds.application_token,
        });
        if with_tokens {
            let ttl = self.state.shared.config.token_ttl.as_secs();
            if let Value::Object(m) = &mut auth {
                m.insert("access_token".into(), json!(creds.access_token));
                m.insert("refresh_token".into(), json!(creds.refresh_token));
                m.insert(
                    "expires".into(),
                    json!((now_secs() + ttl as i64).to_string()),
                );
                m.insert("expires_in".into(), json!(ttl.to_string()));
                m.insert("scope".into(), json!(self.scope()));
                m.insert("status".into(), json!("L"));
                m.insert("user_id".into(), json!(creds.webhook_user_id.to_string()));
            }
        }
        auth
    }

    fn scope(&self) -> String {
        let scopes: Vec<&str> = self
            .state
            .shared
            .scopes
            .iter()
            .map(String::as_str)
            .collect();
        scopes.join(",")
    }

    /// Installs `app`: issues the application a pair and an application token, POSTs the
    /// install URL (`DOMAIN`, `PROTOCOL`, `LANG`, `APP_SID` in the query string; `AUTH_ID`,
    /// `AUTH_EXPIRES`, `REFRESH_ID`, `SERVER_ENDPOINT`, `member_id`, `status`, `PLACEMENT` in the
    /// body) and, when it answers 200, delivers `ONAPPINSTALL` to every handler the application
    /// bound for it meanwhile.
    pub async fn install(&self, app: &AppRegistration) -> std::io::Result<InstallReport> {
        let (access, refresh, member_id) = {
            let mut state = self.state.app();
            state.installed = true;
            let shared = &self.state.shared;
            let now = shared.clock.now();
            let mut data = shared.data();
            forget_bindings(&mut data);
            data.tokens.access_expiry.clear();
            data.tokens
                .issue(now, shared.config.token_ttl.as_secs_f64());
            data.tokens.creds.application_token = data.tokens.fresh(32);
            (
                data.tokens.creds.access_token.clone(),
                data.tokens.creds.refresh_token.clone(),
                data.tokens.member_id.clone(),
            )
        };
        let ttl = self.state.shared.config.token_ttl.as_secs();
        let query = encode(&json!({
            "DOMAIN": self.domain(),
            "PROTOCOL": "0",
            "LANG": "en",
            "APP_SID": random_hex(ttl, 32),
        }));
        let body = encode(&json!({
            "AUTH_ID": access,
            "AUTH_EXPIRES": ttl.to_string(),
            "REFRESH_ID": refresh,
            "SERVER_ENDPOINT": format!("{}rest/", self.state.oauth_url),
            "member_id": member_id,
            "status": "L",
            "PLACEMENT": "DEFAULT",
            "PLACEMENT_OPTIONS": "{}",
        }));
        let url = with_query(&app.install_url, &query);
        let install = post(&url, "INSTALL", body).await?;
        if install.status != 200 {
            // The portal shows the error; the application stays uninstalled.
            self.revoke();
            return Ok(InstallReport {
                install,
                events: Vec::new(),
            });
        }
        let data = json!({
            "VERSION": app.version.to_string(),
            "ACTIVE": "Y",
            "INSTALLED": "Y",
            "LANGUAGE_ID": "en",
        });
        let events = self.raise("ONAPPINSTALL", data).await?;
        Ok(InstallReport { install, events })
    }

    /// Opens the application's page (or a placement) as the portal's user: a fresh user token
    /// in `AUTH_ID`, `PLACEMENT` and `PLACEMENT_OPTIONS` in the body.
    pub async fn open_page(
        &self,
        app: &AppRegistration,
        placement: &str,
        options: Value,
    ) -> std::io::Result<DeliveryReport> {
        let (access, member_id) = {
            let shared = &self.state.shared;
            let now = shared.clock.now();
            let mut data = shared.data();
            let token = data.tokens.fresh(32);
            let ttl = shared.config.token_ttl.as_secs_f64();
            data.tokens.access_expiry.insert(token.clone(), now + ttl);
            (token, data.tokens.member_id.clone())
        };
        let query = encode(&json!({"DOMAIN": self.domain(), "PROTOCOL": "0", "LANG": "en"}));
        let body = encode(&json!({
            "AUTH_ID": access,
            "AUTH_EXPIRES": "3600",
            "REFRESH_ID": random_hex(7, 32),
            "member_id": member_id,
            "status": "L",
            "PLACEMENT": placement,
            "PLACEMENT_OPTIONS": options.to_string(),
        }));
        post(&with_query(&app.page_url, &query), "PAGE", body).await
    }

    /// Delivers a lifecycle event (`ONAPPINSTALL`, `ONAPPUNINSTALL`: raised by installing and
    /// uninstalling, not by a store write) with `data` to every handler the application bound
    /// for it, at once; the application's current pair rides in `auth`.
    pub async fn raise(&self, event: &str, data: Value) -> std::io::Result<Vec<DeliveryReport>> {
        let event = event.to_ascii_uppercase();
        let with_tokens = event != "ONAPPUNINSTALL";
        let handlers: Vec<_> = self
            .bindings()
            .into_iter()
            .filter(|b| b.event == event)
            .collect();
        let mut reports = Vec::with_capacity(handlers.len());
        for b in handlers {
            let body = encode(&json!({
                "event": event,
                "event_handler_id": b.id.to_string(),
                "data": data,
                "ts": now_secs().to_string(),
                "auth": self.auth(with_tokens),
            }));
            self.state
                .app()
                .last_bodies
                .insert(event.clone(), (b.handler.clone(), body.clone()));
            reports.push(post(&b.handler, &event, body).await?);
        }
        Ok(reports)
    }

    /// A user adds a deal: it is stored like any other, and the write raises what the event
    /// specs say (`ONCRMDEALADD` with its ID) to the handlers bound for it, through the
    /// emulator's delivery queues. Returns the ID and the deliveries, once they are made.
    pub async fn add_deal(&self, title: &str) -> std::io::Result<(u64, Vec<DeliveryReport>)> {
        let _one_at_a_time = self.state.writes.lock().await;
        let dispatcher = &self.state.shared.dispatcher;
        let before = dispatcher.stats.counters();
        let id = {
            let st = self
                .state
                .shared
                .methods
                .get("crm.deal.add")
                .and_then(|m| m.state.clone())
                .ok_or_else(|| {
                    std::io::Error::other("the emulator has no stateful crm.deal.add")
                })?;
            let mut fields = serde_json::Map::new();
            fields.insert("TITLE".into(), json!(title));
            let shared = &self.state.shared;
            let mut data = shared.data();
            let partition = crate::methods::stateful::partition(&st, &fields);
            let id = data.store.insert(&st.entity, &st.key, partition, fields);
            crate::methods::events::raise(shared, &mut data, "");
            id
        };
        dispatcher.stats.settled().await;
        let after = dispatcher.stats.counters();
        let made = (after.delivered + after.failed - before.delivered - before.failed) as usize;
        Ok((id, dispatcher.stats.last_reports(made)))
    }

    /// Uninstalls the application: `ONAPPUNINSTALL` (`CLEAN` as given) to its handlers, then its
    /// tokens and bindings are gone.
    pub async fn uninstall(&self, clean: bool) -> std::io::Result<Vec<DeliveryReport>> {
        let data = json!({"LANGUAGE_ID": "en", "CLEAN": if clean { "1" } else { "0" }});
        let reports = self.raise("ONAPPUNINSTALL", data).await?;
        self.revoke();
        Ok(reports)
    }

    /// No token of the application works any more.
    fn revoke(&self) {
        let mut state = self.state.app();
        state.installed = false;
        let mut data = self.state.shared.data();
        forget_bindings(&mut data);
        data.tokens.access_expiry.clear();
        data.tokens.creds.access_token.clear();
        data.tokens.creds.refresh_token.clear();
    }
}

/// Drops every binding of the portal's application (a new install starts without handlers; an
/// uninstalled application has none).
fn forget_bindings(data: &mut crate::state::Data) {
    let app = data.tokens.creds.client_id.clone();
    data.events.bindings.retain(|b| b.app != app);
}

fn with_query(url: &str, query: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{query}")
}
