//! What the application trusts about an installer: only the OAuth server it is configured with.
//!
//! An install POST names a portal (`member_id`, `DOMAIN`) and brings tokens; any of it may be
//! forged. The application never calls the address the POST names. It spends the POSTed refresh
//! token at its own OAuth server (a documented `grant_type=refresh_token` request): a token the
//! server does not know is refused there, and the answer names the portal the tokens belong to
//! (`member_id`, `client_endpoint`), which must be the one the POST claims. The fresh pair of that
//! answer is what gets stored.

use std::time::Duration;

use bitrix_runtime::Secret;
use serde::Deserialize;
use url::Url;

use crate::db::{now_ms, Installed};
use crate::error::AppError;

/// Most bytes read of an OAuth server answer.
const MAX_ANSWER: usize = 64 * 1024;

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
    member_id: Option<String>,
    client_endpoint: Option<String>,
    server_endpoint: Option<String>,
    scope: Option<String>,
    user_id: Option<serde_json::Value>,
    error: Option<String>,
    error_description: Option<String>,
}

fn number(v: &serde_json::Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str()?.parse().ok())
}

/// The OAuth server and the application's credentials.
#[derive(Clone)]
pub(crate) struct Verifier {
    pub(crate) http: reqwest::Client,
    pub(crate) oauth_server: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
}

impl Verifier {
    /// Spends `refresh` at the OAuth server and returns the portal it belongs to with a fresh
    /// pair.
    pub(crate) async fn grant(&self, refresh: &Secret) -> Result<Installed, AppError> {
        let mut url = self
            .oauth_server
            .join("oauth/token/")
            .map_err(|e| AppError::Internal(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("grant_type", "refresh_token")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose())
            .append_pair("refresh_token", refresh.expose());
        let answer = self
            .http
            .get(url)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|e| AppError::OAuthServer(format!("unreachable: {}", e.without_url())))?;
        let status = answer.status().as_u16();
        let body = answer.bytes().await.map_err(|e| {
            AppError::OAuthServer(format!("reading the answer: {}", e.without_url()))
        })?;
        if body.len() > MAX_ANSWER {
            return Err(AppError::OAuthServer(format!(
                "an answer of {} bytes (HTTP {status})",
                body.len()
            )));
        }
        let parsed: TokenAnswer = serde_json::from_slice(&body).map_err(|_| {
            AppError::OAuthServer(format!("an answer that is no token answer (HTTP {status})"))
        })?;
        if let Some(code) = parsed.error.filter(|c| !c.is_empty()) {
            return Err(AppError::Forged(format!(
                "the OAuth server refused the installer's tokens: {code} {}",
                parsed.error_description.unwrap_or_default()
            )));
        }
        let (Some(access), Some(refresh), Some(real_member), Some(endpoint)) = (
            parsed.access_token,
            parsed.refresh_token,
            parsed.member_id,
            parsed.client_endpoint,
        ) else {
            return Err(AppError::OAuthServer(
                "the token answer lacks a token, member_id or client_endpoint".into(),
            ));
        };
        let endpoint_url = Url::parse(&endpoint).map_err(|_| {
            AppError::OAuthServer("the OAuth server sent an unreadable client_endpoint".into())
        })?;
        let real_domain = authority(&endpoint_url);
        let expires_in = parsed.expires_in.as_ref().and_then(number).unwrap_or(3600);
        Ok(Installed {
            member_id: real_member,
            domain: real_domain,
            server_endpoint: parsed
                .server_endpoint
                .unwrap_or_else(|| format!("{}rest/", self.oauth_server)),
            client_endpoint: endpoint,
            scope: parsed.scope.unwrap_or_default(),
            user_id: parsed.user_id.as_ref().and_then(number),
            access_token: Secret::new(access),
            refresh_token: Secret::new(refresh),
            expires_at: now_ms() + expires_in.saturating_mul(1000),
        })
    }

    /// Whether `access` is a live token of the portal at `client_endpoint` (a stored, verified
    /// address): `app.info` answers a result with it.
    pub(crate) async fn token_works(&self, client_endpoint: &str, access: &Secret) -> bool {
        let Ok(url) = Url::parse(client_endpoint).and_then(|u| u.join("app.info")) else {
            return false;
        };
        let answer = self
            .http
            .post(url)
            .form(&[("auth", access.expose())])
            .timeout(Duration::from_secs(30))
            .send()
            .await;
        let Ok(answer) = answer else { return false };
        if !answer.status().is_success() {
            return false;
        }
        match answer.bytes().await {
            Ok(body) if body.len() <= MAX_ANSWER => {
                serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .is_some_and(|v| v.get("result").is_some())
            }
            _ => false,
        }
    }
}

/// Whether what the installer claimed (`member_id`, `DOMAIN`) is what the OAuth server says.
pub(crate) fn check_claims(
    installed: &Installed,
    member_id: &str,
    domain: Option<&str>,
) -> Result<(), AppError> {
    if installed.member_id != member_id {
        return Err(AppError::Forged(
            "the tokens belong to another portal than the member_id sent".into(),
        ));
    }
    if let Some(claimed) = domain {
        if !claimed.eq_ignore_ascii_case(&installed.domain) {
            return Err(AppError::Forged(format!(
                "DOMAIN `{}` is not the portal's domain",
                short(claimed)
            )));
        }
    }
    Ok(())
}

/// `host[:port]` of a URL, lowercased (how `DOMAIN` names a portal).
pub(crate) fn authority(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

/// At most 64 characters of an untrusted value for an error message.
pub(crate) fn short(s: &str) -> String {
    s.chars().take(64).collect()
}
