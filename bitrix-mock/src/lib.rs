//! `bitrix-mock`: a Bitrix24 portal emulator driven by the same specs as the SDK.
//!
//! It serves webhook and OAuth REST calls and the OAuth token endpoint on loopback, checks every
//! call against `specs/`, keeps records for every method with `[state]` in one generic store
//! (add, get, list with filter/order/select/paging, update, delete, fields), keeps the legacy bot
//! family in a small extension, enforces the request bucket and operating-time limits on an
//! adjustable clock, and injects faults, queued or drawn per method from a seed.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emu = bitrix_mock::Emulator::start(bitrix_mock::Config::new()).await?;
//! println!("call {}imbot.bot.list", emu.webhook_url());
//! # Ok(()) }
//! ```

mod bots;
mod clock;
mod config;
mod envelope;
mod events;
mod faults;
mod idempotency;
mod key_order;
mod limits;
mod methods;
mod names;
mod params;
mod portals;
mod problem;
mod routes;
mod scalar;
mod seed;
mod server;
mod specs;
mod state;
mod store;
mod tls;
mod wire;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub use bots::{Bot, ChatMessage, Command};
pub use clock::Clock;
pub use config::{Config, Plan};
pub use events::{DeliveryReport, EventCounters};
pub use faults::{Fault, FaultRule};
pub use portals::{AppRegistration, Binding, Cloud, InstallReport, Portal};
pub use state::{AuthKind, CallRecord, Credentials};

use state::Shared;

/// A running emulator. Dropping it stops the server and closes its connections.
#[derive(Debug)]
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    /// Dropping the sender tells the accept loop and every connection to stop.
    _shutdown: tokio::sync::watch::Sender<()>,
    /// The accept loop, awaited by [`Emulator::shutdown`].
    server: tokio::task::JoinHandle<()>,
    /// The CA certificate (PEM) of an HTTPS emulator.
    ca_pem: Option<String>,
}

impl Emulator {
    /// Binds `config`'s address and serves on the current tokio runtime. Returns once the listener is
    /// bound, so calls may start at once. Fails when the address cannot be bound or a spec is invalid.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        let methods = match &config.specs_dir {
            Some(dir) => specs::methods_in(dir),
            None => specs::methods(),
        }
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        events::catalog::catalog()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let tls = match config.tls {
            true => Some(
                tls::generate(&config.tls_names)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
            ),
            false => None,
        };
        if let (Some(tls), Some(path)) = (&tls, &config.ca_out) {
            std::fs::write(path, &tls.ca_pem)?;
        }
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let shared = Shared::new(config, methods, seed(addr), addr)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let shared = Arc::new(shared);
        let (tx, rx) = tokio::sync::watch::channel(());
        let acceptor = tls.as_ref().map(|t| t.acceptor.clone());
        let server = tokio::spawn(server::serve(listener, shared.clone(), rx, acceptor));
        Ok(Emulator {
            shared,
            addr,
            _shutdown: tx,
            server,
            ca_pem: tls.map(|t| t.ca_pem),
        })
    }

    /// Stops the server and returns once the listener is closed, so that a new connection is
    /// refused from then on. (Dropping the emulator stops it too, but without waiting.)
    pub async fn shutdown(self) {
        let Emulator {
            _shutdown, server, ..
        } = self;
        drop(_shutdown);
        // The loop only ends by the signal; a panic in it has nothing left to stop.
        let _ = server.await;
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The CA certificate (PEM) an HTTPS emulator's certificate is signed by ([`Config::tls`]);
    /// `None` for plain HTTP.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The portal address, `http://127.0.0.1:PORT/` (`https://` with [`Config::tls`]).
    pub fn portal_url(&self) -> String {
        self.shared.portal_url()
    }

    /// The webhook address, `http://127.0.0.1:PORT/rest/1/CODE/`.
    pub fn webhook_url(&self) -> String {
        let creds = self.credentials();
        format!(
            "{}rest/{}/{}/",
            self.portal_url(),
            creds.webhook_user_id,
            creds.webhook_code
        )
    }

    /// The OAuth server address (it serves `/oauth/token/`); the same host as the portal.
    pub fn oauth_server_url(&self) -> String {
        self.portal_url()
    }

    /// The current credentials (tokens change on each refresh).
    pub fn credentials(&self) -> Credentials {
        self.shared.data().tokens.creds.clone()
    }

    /// What a command-line emulator prints once it serves: `key=value` lines with the addresses
    /// and credentials (scripts read them; this is a local test server), `ca=PATH` when the CA
    /// was written to a file ([`Config::ca_out`]), then `ready`.
    pub fn ready_lines(&self) -> Vec<String> {
        let c = self.credentials();
        let mut lines = vec![
            format!("webhook={}", self.webhook_url()),
            format!("portal={}", self.portal_url()),
            format!("access_token={}", c.access_token),
            format!("refresh_token={}", c.refresh_token),
            format!("client_id={}", c.client_id),
            format!("client_secret={}", c.client_secret),
            format!("application_token={}", c.application_token),
        ];
        if let Some(path) = &self.shared.config.ca_out {
            lines.push(format!("ca={}", path.display()));
        }
        lines.push("ready".to_string());
        lines
    }

    /// The most recent calls received on `/rest/`, oldest first (batch sub-calls are not listed
    /// separately); at most [`Config::call_log`] of them.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.shared.data().calls.iter().cloned().collect()
    }

    /// Every record of `entity` (`crm`: deals, contacts and smart-process items alike;
    /// `tasks.task`), by partition then in ID order, as the store holds them (as sent, before
    /// the wire form).
    pub fn records(&self, entity: &str) -> Vec<serde_json::Value> {
        let data = self.shared.data();
        data.store
            .all(entity)
            .into_iter()
            .map(|r| serde_json::Value::Object(r.fields.clone()))
            .collect()
    }

    /// The bots registered (or seeded).
    pub fn bots(&self) -> Vec<Bot> {
        self.shared.data().bots.bots.clone()
    }

    /// The bot commands registered (or seeded).
    pub fn commands(&self) -> Vec<Command> {
        self.shared.data().bots.commands.clone()
    }

    /// The chat log: messages bots posted and command answers, oldest first.
    pub fn messages(&self) -> Vec<ChatMessage> {
        self.shared.data().bots.messages.clone()
    }

    /// Stores a bot directly (an `id` of 0 gets the next free ID) and returns its ID.
    pub fn seed_bot(&self, bot: Bot) -> u64 {
        self.shared.data().bots.add_bot(bot)
    }

    /// Stores a command directly (an `id` of 0 gets the next free ID) and returns its ID, e.g. a
    /// command owned by another application to provoke `APP_ID_ERROR`.
    pub fn seed_command(&self, command: Command) -> u64 {
        self.shared.data().bots.add_command(command)
    }

    /// Sets what a list method (spec `paged = true`) pages through. For a method with `[state]`
    /// the items replace every record of its entity (each lands in the partition its own
    /// partition fields name, e.g. `entityTypeId`; its ID field, when a positive integer, is
    /// kept), so the other methods of the entity see them too. Other list methods answer them
    /// instead of their example.
    pub fn seed_list(&self, method: &str, items: Vec<serde_json::Value>) {
        let st = self
            .shared
            .methods
            .get(method)
            .and_then(|m| m.state.clone());
        let mut data = self.shared.data();
        match st {
            Some(st) => {
                let records = items
                    .into_iter()
                    .map(|item| {
                        let fields = match item {
                            serde_json::Value::Object(map) => map,
                            _ => serde_json::Map::new(),
                        };
                        let partition = methods::stateful::partition(&st, &fields);
                        store::Record { partition, fields }
                    })
                    .collect();
                // A family standing in a fixed partition (`crm.deal` in the one CRM) replaces
                // only its own records.
                let only = (!st.partition_value.is_empty()).then(|| st.partition_value.clone());
                data.store
                    .replace(&st.entity, &st.key, records, only.as_ref());
            }
            None => {
                data.lists.insert(method.to_string(), items);
            }
        }
    }

    /// From now on, calls of `rule.method` suffer `rule` (replacing an earlier rule for the same
    /// method); draws continue the seeded sequence.
    pub fn set_fault(&self, rule: FaultRule) {
        let mut data = self.shared.data();
        data.fault_rules.retain(|r| r.method != rule.method);
        data.fault_rules.push(rule);
    }

    /// Removes every per-method fault rule.
    pub fn clear_faults(&self) {
        self.shared.data().fault_rules.clear();
    }

    /// Makes the next `times` REST calls fail with `fault`, after any faults already queued.
    pub fn inject(&self, fault: Fault, times: usize) {
        self.shared
            .data()
            .faults
            .extend(std::iter::repeat_n(fault, times));
    }

    /// Makes the current access token answer `401 expired_token` from now on.
    pub fn expire_access_token(&self) {
        let mut data = self.shared.data();
        let token = data.tokens.creds.access_token.clone();
        data.tokens.access_expiry.insert(token, f64::NEG_INFINITY);
    }

    /// The emulated clock used by limits, token expiry and `time` fields.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// A simulated user (the webhook's user) writes `text` to bot `bot_id` in a private chat, and
    /// the emulator delivers the event as Bitrix24 does, form-encoded with the `auth` block signed
    /// by [`Credentials::application_token`]: `/word args` for a command of that bot POSTs
    /// `ONIMCOMMANDADD` to the command's `EVENT_COMMAND_ADD` handler; other text POSTs
    /// `ONIMBOTMESSAGEADD` to the bot's `EVENT_MESSAGE_ADD`. Returns once the handler answered;
    /// its replies (`imbot.command.answer`, `imbot.message.add`) are in [`messages`](Self::messages).
    ///
    /// Only `http://` handlers on loopback addresses are called; others are an `InvalidInput` error.
    pub async fn user_writes(&self, bot_id: u64, text: &str) -> std::io::Result<DeliveryReport> {
        let out = methods::events::prepare(&self.shared, bot_id, text)?;
        methods::events::deliver(out).await
    }

    /// The reports of event deliveries to handlers bound with `event.bind`, oldest first (at
    /// most 10 000): one per handler and raised event, once the handler answered, failed or
    /// timed out.
    pub fn deliveries(&self) -> Vec<DeliveryReport> {
        self.shared.dispatcher.stats.reports()
    }

    /// Counts of raised, delivered, failed and dropped events since start.
    pub fn event_counters(&self) -> EventCounters {
        self.shared.dispatcher.stats.counters()
    }

    /// Returns once every event delivery queued so far has been answered, has failed or has
    /// timed out ([`Config::event_timeout`]): then [`deliveries`](Self::deliveries) is complete
    /// for the writes made before.
    pub async fn events_settled(&self) {
        self.shared.dispatcher.stats.settled().await;
    }

    /// How many token refreshes `/oauth/token/` has granted.
    pub fn refresh_count(&self) -> usize {
        self.shared.data().tokens.refresh_count
    }
}

/// Decodes a PHP bracket query string (`FIELDS[LANG][0][LANGUAGE_ID]=en&...`) the way the
/// emulator reads form bodies, query strings and `batch` commands: nested objects, objects keyed
/// `0..n` as arrays, values as strings.
pub fn decode_query(text: &str) -> serde_json::Value {
    params::parse_query(text)
}

/// The parameters of a request (query string, content type and body) as the REST routes read
/// them, without a server: the entry point of the `emulator_request` fuzz target. An error is the
/// status and body the emulator would answer.
#[doc(hidden)]
pub fn __request_parameters(
    query: &str,
    content_type: &str,
    body: &[u8],
) -> Result<serde_json::Value, (u16, serde_json::Value)> {
    let req = routes::Request {
        path: String::new(),
        query: query.to_string(),
        content_type: content_type.to_string(),
        body: body.to_vec(),
        idempotency_key: None,
    };
    routes::parameters(&req).map_err(|e| (e.status, e.body()))
}

/// A seed that differs between emulators, so their tokens differ.
fn seed(addr: SocketAddr) -> u64 {
    static STARTED: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos
        ^ (u64::from(addr.port()) << 48)
        ^ STARTED.fetch_add(1, Ordering::Relaxed)
        ^ u64::from(std::process::id())
}

/// PHP has one array type: turns objects keyed exactly `0..n` into arrays, recursively, as the
/// emulator does with decoded parameters.
pub fn php_arrays(value: serde_json::Value) -> serde_json::Value {
    params::listify(value)
}
