//! One request to the OAuth server: the refresh token for a new pair. The answer is read within
//! the client's size limit, and no token of it ends up in an error.

use reqwest::Url;
use serde::Deserialize;

use super::tokens::TokenPair;
use crate::error::{AuthError, TransportError, UnexpectedResponse};
use crate::secret::{redact, Secret};
use crate::transport::read::{read_body, ReadError};

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
    error: Option<String>,
    error_description: Option<String>,
}

/// What the grant needs to know about the application.
pub(crate) struct Grant<'a> {
    pub(crate) server: &'a Url,
    pub(crate) client_id: &'a str,
    pub(crate) client_secret: &'a Secret,
    pub(crate) refresh: &'a Secret,
}

impl Grant<'_> {
    /// Spends the refresh token for a new pair.
    pub(crate) async fn request(
        &self,
        http: &reqwest::Client,
        limit: usize,
    ) -> Result<TokenPair, AuthError> {
        let mut url = self
            .server
            .join("oauth/token/")
            .map_err(|e| AuthError::Unexpected(UnexpectedResponse::new(0, e.to_string(), b"")))?;
        url.query_pairs_mut()
            .append_pair("grant_type", "refresh_token")
            .append_pair("client_id", self.client_id)
            .append_pair("client_secret", self.client_secret.expose())
            .append_pair("refresh_token", self.refresh.expose());
        let answer = http
            .get(url)
            .send()
            .await
            .map_err(|e| AuthError::Transport(TransportError::from_reqwest(e)))?;
        let (status, body) = read_body(answer, limit).await.map_err(|e| match e {
            ReadError::Transport(t) => AuthError::Transport(t),
            // A redirect or an oversized answer: its body may echo tokens, keep none of it.
            ReadError::Unexpected(u) => {
                AuthError::Unexpected(UnexpectedResponse::new(u.status, u.reason, b""))
            }
        })?;
        let unexpected = |reason: String| {
            AuthError::Unexpected(UnexpectedResponse::new(status, reason, &redacted(&body)))
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
        Ok(TokenPair {
            access_token: Secret::new(access),
            refresh_token: Secret::new(refresh),
            expires_in: parsed
                .expires_in
                .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok())),
        })
    }
}

/// A token answer as it may be kept in an error: a JSON object with its token-like keys redacted,
/// or nothing at all when it is not JSON (it could hold tokens in any form).
fn redacted(body: &[u8]) -> Vec<u8> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v @ serde_json::Value::Object(_)) => redact(&v).to_string().into_bytes(),
        _ => b"(not JSON; withheld, it may hold tokens)".to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_answers_are_redacted_or_withheld() {
        let json = redacted(br#"{"access_token":"a-s3cret","refresh_token":"r-s3cret","x":1}"#);
        let text = String::from_utf8(json).unwrap();
        assert!(
            !text.contains("s3cret") && text.contains("\"x\":1"),
            "{text}"
        );
        let plain = redacted(b"access_token=a-s3cret&refresh_token=r-s3cret");
        assert!(!String::from_utf8(plain).unwrap().contains("s3cret"));
    }
}
