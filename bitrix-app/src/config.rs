//! The application's registration and how it runs.

use std::fmt;
use std::time::Duration;

use bitrix_runtime::{Plan, Secret};

/// What the application is (its OAuth credentials, where portals reach it) and how it runs.
#[derive(Clone)]
pub struct AppConfig {
    /// The application's `client_id`.
    pub client_id: String,
    /// The application's `client_secret` (sent only to the OAuth server).
    pub client_secret: Secret,
    /// The OAuth server, the one party trusted about portals (default
    /// `https://oauth.bitrix.info/`).
    pub oauth_server: String,
    /// Where portals reach this application, e.g. `https://app.example.com/` (the router's
    /// `events` path is bound under it).
    pub public_url: String,
    /// Events bound on every portal at install, besides `ONAPPINSTALL` and `ONAPPUNINSTALL`.
    pub events: Vec<String>,
    /// How long one renewal may hold an account's lease before another process takes over.
    pub lease: Duration,
    /// The portals' plan, for the pacing of calls to each portal (`None`: the runtime default).
    pub plan: Option<Plan>,
    /// Whether the processes sharing a PostgreSQL database pace each portal together, through
    /// one bucket row per portal ([`PortalBucket`](crate::PortalBucket); default `true`). Off,
    /// each process paces alone and together they may send the plan's rate several times over.
    /// No effect on SQLite (one process, one in-memory bucket per portal).
    pub shared_pacing: bool,
}

impl fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("oauth_server", &self.oauth_server)
            .field("public_url", &self.public_url)
            .field("events", &self.events)
            .field("lease", &self.lease)
            .field("plan", &self.plan)
            .field("shared_pacing", &self.shared_pacing)
            .finish_non_exhaustive()
    }
}

impl AppConfig {
    /// An application with the default OAuth server, reached by portals at `public_url`.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        public_url: impl Into<String>,
    ) -> Self {
        AppConfig {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            oauth_server: bitrix_runtime::auth::DEFAULT_OAUTH_SERVER.to_string(),
            public_url: public_url.into(),
            events: Vec::new(),
            lease: crate::tokens::DEFAULT_LEASE,
            plan: None,
            shared_pacing: true,
        }
    }

    /// Uses another OAuth server (a self-hosted one, or the emulator's).
    #[must_use]
    pub fn oauth_server(mut self, url: impl Into<String>) -> Self {
        self.oauth_server = url.into();
        self
    }

    /// Binds `event` on every portal at install.
    #[must_use]
    pub fn event(mut self, event: impl Into<String>) -> Self {
        self.events.push(event.into().to_ascii_uppercase());
        self
    }

    /// Sets the renewal lease.
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Sets the portals' plan for pacing.
    #[must_use]
    pub fn plan(mut self, plan: Plan) -> Self {
        self.plan = Some(plan);
        self
    }

    /// Turns the pacing shared across processes on PostgreSQL on or off (see
    /// [`shared_pacing`](AppConfig::shared_pacing)).
    #[must_use]
    pub fn shared_pacing(mut self, on: bool) -> Self {
        self.shared_pacing = on;
        self
    }

    /// The address events are bound to.
    pub fn events_url(&self) -> String {
        format!("{}/events", self.public_url.trim_end_matches('/'))
    }
}
