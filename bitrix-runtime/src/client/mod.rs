//! The client: one shared call path for every method, typed or not.

pub(crate) mod call;
mod options;
mod retry;

use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Auth, OAuth, OAuthConfig, TokenPair, TokenStore, Webhook};
use crate::error::ConfigError;

/// A Bitrix24 REST client. Cheap to clone; clones share the connection pool and OAuth tokens.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    http: reqwest::Client,
    auth: Auth,
    /// Most bytes read of one answer's body.
    pub(crate) max_body: usize,
    /// Rate, concurrency and operating-time pacing shared by every clone.
    pub(crate) pacer: crate::pacing::Pacer,
}

impl Client {
    /// A client for an incoming webhook, `https://PORTAL/rest/USER_ID/CODE/`.
    pub fn webhook(url: &str) -> Result<Client, ConfigError> {
        ClientBuilder::default().webhook(url)
    }

    /// A client for an OAuth application.
    pub fn oauth(config: OAuthConfig) -> Result<Client, ConfigError> {
        ClientBuilder::default().oauth(config)
    }

    /// A builder for more options (timeouts, the token-refresh callback).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The current OAuth tokens (after any renewal), or `None` for a webhook client.
    pub fn oauth_tokens(&self) -> Option<TokenPair> {
        match &self.inner.auth {
            Auth::OAuth(o) => Some(o.tokens()),
            Auth::Webhook(_) => None,
        }
    }
}

/// Options for a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    on_refresh: Option<crate::auth::RefreshCallback>,
    store: Option<Arc<dyn TokenStore>>,
    max_body: Option<usize>,
    http: Option<reqwest::Client>,
    pub(crate) pacing: crate::pacing::PacingConfig,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("timeout", &self.timeout)
            .field("max_body_size", &self.max_body)
            .field("token_store", &self.store.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Time limit of a whole call (Bitrix24 stops a call after 60 s; default 75 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit to connect (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Called with each new OAuth token pair, so the app can store it. It runs in the renewal's own
    /// task, under no lock: calls go on with the new pair meanwhile, and it runs even when the
    /// call that triggered the renewal was cancelled.
    #[must_use]
    pub fn on_token_refresh(mut self, f: impl Fn(&TokenPair) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(Arc::new(f));
        self
    }

    /// Where the OAuth pair is shared with other clients and processes: read before a renewal
    /// (a newer pair there is used instead of renewing), written after one. See [`TokenStore`].
    #[must_use]
    pub fn token_store(mut self, store: impl TokenStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Most bytes of one answer's body the client reads (default 32 MiB); a larger answer is
    /// refused with [`Error::UnexpectedResponse`](crate::Error::UnexpectedResponse) as soon as the
    /// limit is passed, without reading the rest.
    #[must_use]
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = Some(bytes);
        self
    }

    /// Uses a prepared `reqwest::Client` (proxies, custom TLS roots). Timeouts set here are ignored
    /// then. Build it with `redirect(reqwest::redirect::Policy::none())`: a followed redirect could
    /// carry the webhook code or the token to another origin (the client refuses 3xx answers it
    /// sees, but cannot stop one that reqwest followed).
    #[must_use]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds a webhook client.
    pub fn webhook(self, url: &str) -> Result<Client, ConfigError> {
        let auth = Auth::Webhook(Webhook::parse(url)?);
        self.build(auth)
    }

    /// Builds an OAuth client.
    pub fn oauth(mut self, config: OAuthConfig) -> Result<Client, ConfigError> {
        let auth = Auth::OAuth(Box::new(OAuth::new(
            config,
            self.on_refresh.take(),
            self.store.take(),
        )?));
        self.build(auth)
    }

    fn build(self, auth: Auth) -> Result<Client, ConfigError> {
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(Duration::from_secs(75)))
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .user_agent(concat!("bitrix-rest/", env!("CARGO_PKG_VERSION")))
                // Never follow: the next hop would get the webhook code or the token.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| ConfigError::Http(e.without_url().to_string()))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                auth,
                max_body: self
                    .max_body
                    .unwrap_or(crate::transport::read::DEFAULT_MAX_BODY),
                pacer: crate::pacing::Pacer::new(&self.pacing),
            }),
        })
    }
}
