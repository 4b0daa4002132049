//! How an emulator is set up: address, specs, plan (request limits), token lifetime,
//! operating-time budget, scopes, the emulated cost of calls, faults and timeouts.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::faults::FaultRule;

/// The portal's plan, which decides the leaky-bucket request limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Most plans: drains 2 requests a second, blocks above 50.
    Standard,
    /// Enterprise: drains 5 a second, blocks above 250.
    Enterprise,
    /// No request limit, for functional tests.
    Unlimited,
}

/// A plan's rate as the emulator's bucket reads it.
fn rate(r: bitrix_facts::Rate) -> (f64, f64) {
    (r.per_second, f64::from(r.burst))
}

impl Plan {
    /// `(drain per second, capacity)`, or `None` when unlimited.
    pub fn bucket(self) -> Option<(f64, f64)> {
        match self {
            Plan::Standard => Some(rate(bitrix_facts::STANDARD)),
            Plan::Enterprise => Some(rate(bitrix_facts::ENTERPRISE)),
            Plan::Unlimited => None,
        }
    }

    /// Parses `standard`, `enterprise` or `unlimited` (case-insensitive).
    pub fn parse(text: &str) -> Option<Plan> {
        match text.to_ascii_lowercase().as_str() {
            "standard" => Some(Plan::Standard),
            "enterprise" => Some(Plan::Enterprise),
            "unlimited" => Some(Plan::Unlimited),
            _ => None,
        }
    }
}

/// Settings of an [`Emulator`](crate::Emulator), built with setters.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) addr: SocketAddr,
    pub(crate) plan: Plan,
    pub(crate) token_ttl: Duration,
    pub(crate) operating_limit: Duration,
    pub(crate) clock_speed: f64,
    pub(crate) scopes: Option<Vec<String>>,
    pub(crate) default_cost: Duration,
    pub(crate) method_costs: BTreeMap<String, Duration>,
    pub(crate) fault_rules: Vec<FaultRule>,
    pub(crate) seed: u64,
    pub(crate) call_log: usize,
    pub(crate) header_timeout: Duration,
    pub(crate) body_timeout: Duration,
    pub(crate) specs_dir: Option<PathBuf>,
    pub(crate) tls: bool,
    pub(crate) tls_names: Vec<String>,
    pub(crate) ca_out: Option<PathBuf>,
    pub(crate) seed_file: Option<PathBuf>,
    pub(crate) events: crate::events::Settings,
}

// The event settings of the builder.
impl Config {
    /// How long the emulator waits for an event handler's answer before it counts the delivery
    /// as failed (default 10 s). The write that raised the event never waits for it.
    #[must_use]
    pub fn event_timeout(mut self, timeout: Duration) -> Self {
        self.events.timeout = timeout;
        self
    }

    /// How many deliveries may wait for one handler (default 1024); more are dropped and counted
    /// in [`EventCounters::dropped`](crate::EventCounters::dropped).
    #[must_use]
    pub fn event_queue(mut self, deliveries: usize) -> Self {
        self.events.queue = deliveries.max(1);
        self
    }

    /// How many offline events the portal keeps (default 10 000); more are dropped and counted.
    #[must_use]
    pub fn offline_queue(mut self, events: usize) -> Self {
        self.events.offline = events;
        self
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// Defaults for library use: `127.0.0.1:0`, [`Plan::Unlimited`], tokens live 3600 s, operating
    /// limit 480 s, every call costs 0.01 s of operating time, real-time clock, all scopes.
    pub fn new() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            plan: Plan::Unlimited,
            token_ttl: Duration::from_secs(bitrix_facts::ACCESS_TOKEN_LIFETIME_SECS),
            operating_limit: Duration::from_secs(bitrix_facts::OPERATING_BUDGET_SECS),
            clock_speed: 1.0,
            scopes: None,
            default_cost: Duration::from_millis(10),
            method_costs: BTreeMap::new(),
            fault_rules: Vec::new(),
            seed: 0,
            call_log: 10_000,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(60),
            specs_dir: None,
            tls: false,
            tls_names: Vec::new(),
            ca_out: None,
            seed_file: None,
            events: crate::events::Settings::default(),
        }
    }

    /// A fault some calls of a method suffer (see [`FaultRule`]); rules are tried in order.
    #[must_use]
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.fault_rules.push(rule);
        self
    }

    /// The seed of the fault draws (default 0): the same seed and calls give the same faults.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How many recent calls [`Emulator::calls`](crate::Emulator::calls) keeps (default 10 000);
    /// older ones are forgotten so a long run does not grow without bound.
    #[must_use]
    pub fn call_log(mut self, calls: usize) -> Self {
        self.call_log = calls;
        self
    }

    /// How long a client may take to send a request's headers (default 30 s); a connection that
    /// stalls longer is closed.
    #[must_use]
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// How long a client may take to send a request's body (default 60 s); a stalled body is
    /// answered 408 and the connection closed.
    #[must_use]
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// Serves the specs below `dir` (read when the emulator starts) instead of the ones built in.
    #[must_use]
    pub fn specs_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.specs_dir = Some(dir.into());
        self
    }

    /// Serves HTTPS instead of HTTP (default off): a CA is generated at start, and a server
    /// certificate it signs covers `localhost`, `127.0.0.1`, `::1` and the [`tls_name`]s. Clients
    /// trust [`Emulator::ca_pem`](crate::Emulator::ca_pem) (or the [`ca_out`] file).
    ///
    /// [`tls_name`]: Config::tls_name
    /// [`ca_out`]: Config::ca_out
    #[must_use]
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// Another host name the HTTPS certificate covers (a name in `/etc/hosts` pointing here).
    #[must_use]
    pub fn tls_name(mut self, name: impl Into<String>) -> Self {
        self.tls_names.push(name.into());
        self
    }

    /// Writes the CA certificate (PEM) to `path` at start, for clients to trust; implies
    /// [`tls`](Config::tls).
    #[must_use]
    pub fn ca_out(mut self, path: impl Into<PathBuf>) -> Self {
        self.tls = true;
        self.ca_out = Some(path.into());
        self
    }

    /// Seeds the portal's reference data (users, departments, CRM statuses, categories,
    /// currencies) from this JSON file instead of the built-in `seed/portal.json`; same format.
    #[must_use]
    pub fn seed_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.seed_file = Some(path.into());
        self
    }

    /// The address to listen on (port 0 picks a free one).
    #[must_use]
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The plan, which sets the request-rate limit.
    #[must_use]
    pub fn plan(mut self, plan: Plan) -> Self {
        self.plan = plan;
        self
    }

    /// Lifetime of issued access tokens, in emulated time.
    #[must_use]
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// Operating time a method may use per application in ten minutes before it answers 429.
    #[must_use]
    pub fn operating_limit(mut self, limit: Duration) -> Self {
        self.operating_limit = limit;
        self
    }

    /// Initial speed of the emulated clock (`0.0` freezes it until tests advance it).
    #[must_use]
    pub fn clock_speed(mut self, speed: f64) -> Self {
        self.clock_speed = speed;
        self
    }

    /// Restricts the scopes of the OAuth application and the webhook (default: every scope of the
    /// specs). Methods of scope `core` need no scope, as on a real portal.
    #[must_use]
    pub fn scopes(mut self, scopes: &[&str]) -> Self {
        self.scopes = Some(scopes.iter().map(|s| s.to_string()).collect());
        self
    }

    /// Emulated operating time charged for each call of a method without its own cost.
    #[must_use]
    pub fn default_cost(mut self, cost: Duration) -> Self {
        self.default_cost = cost;
        self
    }

    /// Emulated operating time charged for each call of `method`, so tests can exhaust the budget.
    #[must_use]
    pub fn method_cost(mut self, method: &str, cost: Duration) -> Self {
        self.method_costs.insert(method.to_string(), cost);
        self
    }

    /// The cost of one call of `method`.
    pub(crate) fn cost_of(&self, method: &str) -> f64 {
        self.method_costs
            .get(method)
            .unwrap_or(&self.default_cost)
            .as_secs_f64()
    }
}
