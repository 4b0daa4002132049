//! OAuth applications: the access token goes in the body as `auth`; on `expired_token` the client
//! renews the pair once through the OAuth server, however many calls saw the expiry at once.

use std::fmt;
use std::sync::{Arc, RwLock};

use reqwest::Url;
use serde::Deserialize;

use super::check_address;
use crate::client::ConfigError;
use crate::error::{AuthError, TransportError, UnexpectedResponse};
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

/// A freshly issued token pair, handed to the refresh callback so the app can store it.
#[derive(Debug, Clone)]
pub struct TokenPair {
    /// The new access token.
    pub access_token: Secret,
    /// The new refresh token (the old one no longer works).
    pub refresh_token: Secret,
    /// Lifetime of the access token in seconds, when the server said.
    pub expires_in: Option<u64>,
}

/// Called with each new token pair.
pub type RefreshCallback = Arc<dyn Fn(&TokenPair) + Send + Sync>;

struct Tokens {
    access: Secret,
    refresh: Secret,
    /// Bumped on every renewal, so a call that saw an old token knows it was already renewed.
    generation: u64,
}

/// The OAuth state of a client.
pub struct OAuth {
    portal: Url,
    server: Url,
    client_id: String,
    client_secret: Secret,
    tokens: RwLock<Tokens>,
    renewing: tokio::sync::Mutex<()>,
    on_refresh: Option<RefreshCallback>,
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("portal", &self.portal.as_str())
            .field("oauth_server", &self.server.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("tokens", &"***")
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
    error: Option<String>,
    error_description: Option<String>,
}

impl OAuth {
    pub(crate) fn new(
        config: OAuthConfig,
        on_refresh: Option<RefreshCallback>,
    ) -> Result<Self, ConfigError> {
        let mut portal = check_address(&config.portal, "portal")?;
        if !portal.path().ends_with('/') {
            portal.set_path(&format!("{}/", portal.path()));
        }
        let server = check_address(&config.oauth_server, "oauth_server")?;
        Ok(OAuth {
            portal,
            server,
            client_id: config.client_id,
            client_secret: config.client_secret,
            tokens: RwLock::new(Tokens {
                access: config.access_token,
                refresh: config.refresh_token,
                generation: 0,
            }),
            renewing: tokio::sync::Mutex::new(()),
            on_refresh,
        })
    }

    /// The address of `method` on the portal.
    pub(crate) fn method_url(&self, method: &str) -> String {
        format!("{}rest/{}", self.portal, method)
    }

    /// The access token to send and the generation it belongs to.
    pub(crate) fn current(&self) -> (Secret, u64) {
        let t = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        (t.access.clone(), t.generation)
    }

    /// The current pair (for apps that store tokens on shutdown).
    pub fn tokens(&self) -> TokenPair {
        let t = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        TokenPair {
            access_token: t.access.clone(),
            refresh_token: t.refresh.clone(),
            expires_in: None,
        }
    }

    /// Renews the pair unless a renewal happened since `seen` was read; concurrent callers wait
    /// for the one renewal in progress instead of starting their own.
    pub(crate) async fn renew(&self, http: &reqwest::Client, seen: u64) -> Result<(), AuthError> {
        let _guard = self.renewing.lock().await;
        let refresh = {
            let t = self.tokens.read().unwrap_or_else(|p| p.into_inner());
            if t.generation != seen {
                return Ok(());
            }
            t.refresh.clone()
        };
        let mut url = self.server.join("oauth/token/").map_err(|e| {
            AuthError::Unexpected(UnexpectedResponse {
                status: 0,
                reason: e.to_string(),
                body: String::new(),
            })
        })?;
        url.query_pairs_mut()
            .append_pair("grant_type", "refresh_token")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose())
            .append_pair("refresh_token", refresh.expose());
        let answer = http
            .get(url)
            .send()
            .await
            .map_err(|e| AuthError::Transport(TransportError::from_reqwest(e)))?;
        let status = answer.status().as_u16();
        let body = answer
            .bytes()
            .await
            .map_err(|e| AuthError::Transport(TransportError::from_reqwest(e)))?;
        let unexpected = |reason: String| {
            AuthError::Unexpected(UnexpectedResponse {
                status,
                reason,
                body: redact_tokens(&String::from_utf8_lossy(&body)),
            })
        };
        let parsed: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| unexpected(format!("not a token answer: {e}")))?;
        if let Some(code) = parsed.error.filter(|c| !c.is_empty()) {
            return Err(AuthError::Rejected {
                code,
                description: parsed.error_description.unwrap_or_default(),
                status,
            });
        }
        let (Some(access), Some(refresh)) = (parsed.access_token, parsed.refresh_token) else {
            return Err(unexpected(
                "the answer has no access_token and refresh_token".into(),
            ));
        };
        let pair = TokenPair {
            access_token: Secret::new(access),
            refresh_token: Secret::new(refresh),
            expires_in: parsed
                .expires_in
                .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok())),
        };
        {
            let mut t = self.tokens.write().unwrap_or_else(|p| p.into_inner());
            t.access = pair.access_token.clone();
            t.refresh = pair.refresh_token.clone();
            t.generation += 1;
        }
        if let Some(cb) = &self.on_refresh {
            cb(&pair);
        }
        Ok(())
    }
}

/// Token answers must not leak into error messages.
fn redact_tokens(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut map)) => {
            for key in ["access_token", "refresh_token"] {
                if let Some(v) = map.get_mut(key) {
                    *v = serde_json::Value::String("***".into());
                }
            }
            serde_json::Value::Object(map).to_string()
        }
        _ => body.to_string(),
    }
}
