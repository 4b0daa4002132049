//! OAuth applications: the access token goes in the body as `auth`; on `expired_token` the client
//! renews the pair once through the OAuth server, however many calls saw the expiry at once.
//!
//! The renewal runs in a task of its own: the OAuth server spends the old refresh token as soon as
//! it answers, so a caller that gives up (a timeout, a `select!`, a dropped future) must not take
//! the new pair with it. The task stores the pair, saves it to the [`TokenStore`], reports it to
//! the callback, and hands its outcome to every call waiting for it.

use std::fmt;
use std::sync::{Arc, Mutex, RwLock};

use reqwest::Url;
use tokio::sync::watch;
use tracing::Instrument;

use super::check_address;
use super::grant::Grant;
use super::store::TokenStore;
use super::tokens::TokenPair;
use crate::error::AuthError;
use crate::error::ConfigError;
use crate::secret::Secret;

/// The default Bitrix24 OAuth server.
pub const DEFAULT_OAUTH_SERVER: &str = "https://oauth.bitrix.info/";

/// What an OAuth client needs: the portal, the application's credentials and the current tokens.
#[derive(Debug, Clone)]
pub struct OAuthConfig {
    /// The portal, e.g. `https://example.bitrix24.com/`.
    pub portal: String,
    /// The OAuth server (default `https://oauth.bitrix.info/`).
    pub oauth_server: String,
    /// The application's `client_id`.
    pub client_id: String,
    /// The application's `client_secret`.
    pub client_secret: Secret,
    /// The current access token.
    pub access_token: Secret,
    /// The current refresh token.
    pub refresh_token: Secret,
}

impl OAuthConfig {
    /// A configuration with the default OAuth server.
    pub fn new(
        portal: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        access_token: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        OAuthConfig {
            portal: portal.into(),
            oauth_server: DEFAULT_OAUTH_SERVER.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            access_token: access_token.into(),
            refresh_token: refresh_token.into(),
        }
    }

    /// Uses another OAuth server (a self-hosted one, or the emulator).
    #[must_use]
    pub fn oauth_server(mut self, url: impl Into<String>) -> Self {
        self.oauth_server = url.into();
        self
    }
}

/// Called with each new token pair.
pub type RefreshCallback = Arc<dyn Fn(&TokenPair) + Send + Sync>;

struct Tokens {
    access: Secret,
    refresh: Secret,
    /// Bumped on every renewal, so a call that saw an old token knows it was already renewed.
    generation: u64,
}

/// The outcome of one renewal, shared by every call waiting for it.
type Outcome = Option<Result<(), Arc<AuthError>>>;

/// The renewal in progress: which generation it replaces, and where its outcome appears.
struct Flight {
    seen: u64,
    done: watch::Receiver<Outcome>,
}

/// Renewals in progress and failed.
#[derive(Default)]
struct Flights {
    current: Option<Flight>,
    /// How many renewals failed; a call that read a lower count before sending was in flight
    /// during a failure, and gets that failure instead of trying again.
    failures: u64,
    last_failure: Option<Arc<AuthError>>,
}

/// What a call knew when it sent its request: the token generation and the failure count.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    generation: u64,
    failures: u64,
}

/// The OAuth state of a client, shared with the renewal task.
struct Shared {
    portal: Url,
    server: Url,
    client_id: String,
    client_secret: Secret,
    tokens: RwLock<Tokens>,
    flight: Mutex<Flights>,
    on_refresh: Option<RefreshCallback>,
    store: Option<Arc<dyn TokenStore>>,
}

/// The OAuth state of a client.
pub struct OAuth {
    shared: Arc<Shared>,
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared;
        f.debug_struct("OAuth")
            .field("portal", &s.portal.as_str())
            .field("oauth_server", &s.server.as_str())
            .field("client_id", &s.client_id)
            .field("client_secret", &s.client_secret)
            .field("tokens", &"***")
            .field("store", &s.store.is_some())
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Only plain values are replaced under these locks; a panic elsewhere leaves them usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl OAuth {
    pub(crate) fn new(
        config: OAuthConfig,
        on_refresh: Option<RefreshCallback>,
        store: Option<Arc<dyn TokenStore>>,
    ) -> Result<Self, ConfigError> {
        let mut portal = check_address(&config.portal, "portal")?;
        if !portal.path().ends_with('/') {
            portal.set_path(&format!("{}/", portal.path()));
        }
        let server = check_address(&config.oauth_server, "oauth_server")?;
        Ok(OAuth {
            shared: Arc::new(Shared {
                portal,
                server,
                client_id: config.client_id,
                client_secret: config.client_secret,
                tokens: RwLock::new(Tokens {
                    access: config.access_token,
                    refresh: config.refresh_token,
                    generation: 0,
                }),
                flight: Mutex::new(Flights::default()),
                on_refresh,
                store,
            }),
        })
    }

    /// The address of `method` on the portal.
    pub(crate) fn method_url(&self, method: &str, v3: bool) -> String {
        let api = if v3 { "api/" } else { "" };
        format!("{}rest/{api}{method}", self.shared.portal)
    }

    /// The access token to send, and what the call knows when it sends it.
    pub(crate) fn current(&self) -> (Secret, Ticket) {
        let failures = lock(&self.shared.flight).failures;
        let t = self.shared.tokens.read().unwrap_or_else(|p| p.into_inner());
        let ticket = Ticket {
            generation: t.generation,
            failures,
        };
        (t.access.clone(), ticket)
    }

    fn generation(&self) -> u64 {
        self.shared
            .tokens
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .generation
    }

    /// The current pair (for apps that store tokens on shutdown).
    pub fn tokens(&self) -> TokenPair {
        let t = self.shared.tokens.read().unwrap_or_else(|p| p.into_inner());
        TokenPair {
            access_token: t.access.clone(),
            refresh_token: t.refresh.clone(),
            expires_in: None,
        }
    }

    /// Renews the pair unless a renewal happened since `ticket` was taken. Concurrent callers
    /// wait for the one renewal in progress and get its outcome, failure included, instead of
    /// starting their own; so does a call that sent its request before a renewal failed. The
    /// renewal itself runs in a detached task, so it completes (and its pair is kept, saved and
    /// reported) even if every caller goes away.
    pub(crate) async fn renew(
        &self,
        http: &reqwest::Client,
        limit: usize,
        ticket: Ticket,
    ) -> Result<(), AuthError> {
        let seen = ticket.generation;
        let mut done = {
            let mut flights = lock(&self.shared.flight);
            if self.generation() != seen {
                return Ok(());
            }
            if flights.failures != ticket.failures {
                if let Some(e) = &flights.last_failure {
                    return Err(e.duplicate());
                }
            }
            match &flights.current {
                Some(f) if f.seen == seen => f.done.clone(),
                _ => {
                    let (tx, rx) = watch::channel(None);
                    flights.current = Some(Flight {
                        seen,
                        done: rx.clone(),
                    });
                    let shared = self.shared.clone();
                    let http = http.clone();
                    tokio::spawn(
                        async move { shared.renewal(http, limit, seen, tx).await }
                            .in_current_span(),
                    );
                    rx
                }
            }
        };
        let outcome = done.wait_for(Option::is_some).await.map(|o| o.clone());
        match outcome {
            Ok(Some(Ok(()))) => Ok(()),
            Ok(Some(Err(e))) => Err(e.duplicate()),
            // The task ended without an outcome (it panicked); the flight was cleared on the way.
            Ok(None) | Err(_) => Err(AuthError::Unexpected(
                crate::error::UnexpectedResponse::new(0, "the token renewal did not finish", b""),
            )),
        }
    }
}

/// Clears the flight of generation `seen` when the renewal task ends, however it ends.
struct ClearFlight<'a>(&'a Shared, u64);

impl Drop for ClearFlight<'_> {
    fn drop(&mut self) {
        let mut flights = lock(&self.0.flight);
        if flights.current.as_ref().is_some_and(|f| f.seen == self.1) {
            flights.current = None;
        }
    }
}

impl Shared {
    /// The renewal task: a newer pair from the store, else a new one from the OAuth server;
    /// installed, saved, announced to the waiting calls, then reported to the callback (which
    /// runs under no lock, so it may take its time without holding up calls).
    async fn renewal(
        &self,
        http: reqwest::Client,
        limit: usize,
        seen: u64,
        tx: watch::Sender<Outcome>,
    ) {
        let clear = ClearFlight(self, seen);
        tracing::debug!(target: "bitrix_rest", "renewing the OAuth token pair");
        let (failed, refresh) = {
            let t = self.tokens.read().unwrap_or_else(|p| p.into_inner());
            (t.access.clone(), t.refresh.clone())
        };
        let grant = Grant {
            server: &self.server,
            client_id: &self.client_id,
            client_secret: &self.client_secret,
            refresh: &refresh,
        };
        let outcome = match &self.store {
            Some(store) => {
                let http = http.clone();
                let server = self.server.clone();
                let client_id = self.client_id.clone();
                let client_secret = self.client_secret.clone();
                let spend: super::store::Grant<'_> = Box::new(move |refresh: Secret| {
                    Box::pin(async move {
                        let grant = Grant {
                            server: &server,
                            client_id: &client_id,
                            client_secret: &client_secret,
                            refresh: &refresh,
                        };
                        grant.request(&http, limit).await
                    })
                });
                store
                    .renew(&failed, &refresh, spend)
                    .await
                    .map(|r| (r.pair, r.issued))
            }
            None => grant.request(&http, limit).await.map(|p| (p, true)),
        };
        let (pair, fresh) = match outcome {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(target: "bitrix_rest", error = %e, "OAuth renewal failed");
                let e = Arc::new(e);
                {
                    let mut flights = lock(&self.flight);
                    flights.failures += 1;
                    flights.last_failure = Some(e.clone());
                }
                drop(clear);
                let _ = tx.send(Some(Err(e)));
                return;
            }
        };
        {
            let mut t = self.tokens.write().unwrap_or_else(|p| p.into_inner());
            t.access = pair.access_token.clone();
            t.refresh = pair.refresh_token.clone();
            t.generation += 1;
        }
        tracing::debug!(target: "bitrix_rest", from_store = !fresh, "OAuth token pair renewed");
        drop(clear);
        let _ = tx.send(Some(Ok(())));
        if fresh {
            if let Some(cb) = &self.on_refresh {
                cb(&pair);
            }
        }
    }
}
