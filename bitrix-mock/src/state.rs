//! What the emulated portal remembers: credentials, limits, faults, the record store, the bot
//! family and the recent calls. One lock guards it all; handlers are short.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use bitrix_codegen::Method;
use serde_json::Value;

use crate::bots::BotState;
use crate::clock::Clock;
use crate::config::Config;
use crate::faults::{Fault, FaultRule, Rng};
use crate::idempotency::Replays;
use crate::limits::bucket::Bucket;
use crate::limits::operating::OperatingTime;
use crate::store::shape::Shape;
use crate::store::Store;

/// Who is calling.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Webhook or OAuth.
    pub kind: AuthKind,
    /// The key operating time is counted under (one per application or webhook).
    pub app: String,
    /// The OAuth application's `client_id` (`None` for webhooks, which name it in `CLIENT_ID`).
    pub client_id: Option<String>,
}

impl Caller {
    /// Webhook calls must send `required = "webhook"` parameters.
    pub fn is_webhook(&self) -> bool {
        self.kind == AuthKind::Webhook
    }
}

/// How a call authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// `/rest/USER/CODE/method`.
    Webhook,
    /// `/rest/method` with `auth`.
    OAuth,
    /// Refused before authentication succeeded.
    None,
}

/// One HTTP call the emulator received on `/rest/` (batch sub-calls are not listed separately).
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// The method name (without `.json`).
    pub method: String,
    /// How it authenticated.
    pub auth_kind: AuthKind,
    /// The HTTP status answered (0 for a dropped connection).
    pub status: u16,
    /// Emulated Unix time it arrived.
    pub at: f64,
}

/// The credentials a client needs to call the emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The webhook's user ID (in `/rest/USER/CODE/`).
    pub webhook_user_id: u64,
    /// The webhook's secret code.
    pub webhook_code: String,
    /// The current OAuth access token.
    pub access_token: String,
    /// The current OAuth refresh token.
    pub refresh_token: String,
    /// The OAuth application's `client_id`.
    pub client_id: String,
    /// The OAuth application's `client_secret`.
    pub client_secret: String,
    /// The application token that signs outgoing events.
    pub application_token: String,
}

/// Token bookkeeping of the single OAuth application (and the webhook).
#[derive(Debug)]
pub(crate) struct Tokens {
    pub creds: Credentials,
    /// Every access token issued, with its expiry in emulated Unix time.
    pub access_expiry: BTreeMap<String, f64>,
    pub refresh_count: usize,
    /// The portal's `member_id`, sent with new tokens.
    pub member_id: String,
    /// The OAuth server's `/rest/` address that deliveries name as `server_endpoint`, when it is
    /// not the portal itself (a [`crate::Cloud`]'s portals renew at the cloud's server).
    pub server_endpoint: Option<String>,
    seed: u64,
    counter: u64,
}

impl Tokens {
    fn new(seed: u64, now: f64, ttl: f64) -> Self {
        let mut t = Tokens {
            creds: Credentials {
                webhook_user_id: 1,
                webhook_code: String::new(),
                access_token: String::new(),
                refresh_token: String::new(),
                client_id: String::new(),
                client_secret: String::new(),
                application_token: String::new(),
            },
            access_expiry: BTreeMap::new(),
            refresh_count: 0,
            member_id: String::new(),
            server_endpoint: None,
            seed,
            counter: 0,
        };
        t.creds.webhook_code = t.fresh(16);
        t.creds.client_id = format!("local.{}", t.fresh(20));
        t.creds.client_secret = t.fresh(40);
        t.creds.application_token = t.fresh(32);
        t.member_id = t.fresh(32);
        t.issue(now, ttl);
        t
    }

    /// A new hex string of `len` characters, unique within this emulator. Hashes of a counter are
    /// unpredictable enough for a local test server and need no random-number crate.
    pub fn fresh(&mut self, len: usize) -> String {
        let mut out = String::new();
        while out.len() < len {
            self.counter += 1;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (self.seed, self.counter).hash(&mut h);
            out.push_str(&format!("{:016x}", h.finish()));
        }
        out.truncate(len);
        out
    }

    /// Issues a new access/refresh pair; the previous refresh token stops working.
    pub fn issue(&mut self, now: f64, ttl: f64) {
        self.creds.access_token = self.fresh(32);
        self.creds.refresh_token = self.fresh(32);
        self.access_expiry
            .insert(self.creds.access_token.clone(), now + ttl);
    }
}

/// Everything mutable.
#[derive(Debug)]
pub(crate) struct Data {
    pub tokens: Tokens,
    pub bucket: Option<Bucket>,
    pub operating: OperatingTime,
    /// Faults queued by tests for the next calls, whatever the method.
    pub faults: VecDeque<Fault>,
    /// Faults by method, drawn with `rng`.
    pub fault_rules: Vec<FaultRule>,
    pub rng: Rng,
    /// The generic store of every method with `[state]`.
    pub store: Store,
    /// The bot family (the extension module).
    pub bots: BotState,
    /// The most recent calls, oldest first, at most `Config::call_log` of them.
    pub calls: VecDeque<CallRecord>,
    /// Items answered by paged methods without state, by method name (seeded by tests).
    pub lists: BTreeMap<String, Vec<Value>>,
    /// REST 3.0 answers kept for `Idempotency-Key` replays.
    pub replays: Replays,
    /// Event handlers bound and offline events.
    pub events: crate::events::EventBook,
}

impl Data {
    /// The per-method rule that hits a call of `method`, if one does: the rules covering it
    /// draw in order until one hits, so the hits depend only on the seed and the calls.
    pub fn draw_fault(&mut self, method: &str) -> Option<FaultRule> {
        let rules: Vec<FaultRule> = self
            .fault_rules
            .iter()
            .filter(|r| r.covers(method))
            .cloned()
            .collect();
        rules.into_iter().find(|r| self.rng.next_f64() < r.rate)
    }

    /// Logs a call, forgetting the oldest beyond `limit`.
    pub fn log_call(&mut self, call: CallRecord, limit: usize) {
        if limit == 0 {
            return;
        }
        while self.calls.len() >= limit {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }
}

/// Shared between the server tasks and the [`Emulator`](crate::Emulator) handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: Config,
    pub clock: Clock,
    /// Every method of the specs, by name.
    pub methods: Arc<BTreeMap<String, Method>>,
    /// What the specs say about each family's records (see [`crate::names::family`]).
    pub shapes: BTreeMap<String, Shape>,
    /// How each family writes its records on the wire.
    pub templates: BTreeMap<String, crate::wire::Template>,
    /// Scopes granted to the application and the webhook.
    pub scopes: BTreeSet<String>,
    /// The bound address.
    pub addr: SocketAddr,
    /// The queues of event deliveries.
    pub dispatcher: crate::events::Dispatcher,
    data: Mutex<Data>,
}

impl Shared {
    /// The spec of `name` at the REST 2 address, or at the REST 3.0 one (`v3`): the twin
    /// `name@v3` first, then a method that exists in REST 3.0 only. A method of the other version
    /// is not found.
    pub fn method(&self, name: &str, v3: bool) -> Option<&Method> {
        let found = if v3 {
            self.methods
                .get(&bitrix_codegen::model::key(name, true))
                .or_else(|| self.methods.get(name))
        } else {
            self.methods.get(name)
        };
        found.filter(|m| (m.rest == 3) == v3)
    }

    pub fn new(
        config: Config,
        methods: Arc<BTreeMap<String, Method>>,
        seed: u64,
        addr: SocketAddr,
    ) -> Result<Self, String> {
        let clock = Clock::new(config.clock_speed);
        let now = clock.now();
        let scopes = match &config.scopes {
            Some(s) => s.iter().cloned().collect(),
            None => methods.values().map(|m| m.scope.clone()).collect(),
        };
        let shapes = crate::store::shape::catalog(methods.values());
        let templates = crate::wire::catalog(methods.values(), &shapes);
        let store = crate::seed::load(&config, &methods, now)?;
        let data = Data {
            tokens: Tokens::new(seed, now, config.token_ttl.as_secs_f64()),
            bucket: config.plan.bucket().map(|(d, c)| Bucket::new(d, c, now)),
            operating: OperatingTime::default(),
            faults: VecDeque::new(),
            fault_rules: config.fault_rules.clone(),
            rng: Rng::new(config.seed),
            store,
            bots: BotState::default(),
            calls: VecDeque::new(),
            lists: BTreeMap::new(),
            replays: Replays::default(),
            events: crate::events::EventBook::default(),
        };
        let dispatcher = crate::events::Dispatcher::new(config.events);
        Ok(Shared {
            dispatcher,
            config,
            clock,
            methods,
            shapes,
            templates,
            scopes,
            addr,
            data: Mutex::new(data),
        })
    }

    /// `http://HOST:PORT/` (`https://` when serving TLS).
    pub fn portal_url(&self) -> String {
        let scheme = if self.config.tls { "https" } else { "http" };
        format!("{scheme}://{}/", self.addr)
    }

    /// Locks the mutable state. A poisoned lock is recovered: handlers do not panic on input, and
    /// a half-finished update of test state is better than a dead server.
    pub fn data(&self) -> MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(|p| p.into_inner())
    }
}
