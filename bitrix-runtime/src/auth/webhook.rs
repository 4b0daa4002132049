//! Incoming webhooks: `https://PORTAL/rest/USER_ID/CODE/` + method.

use std::fmt;

use reqwest::Url;

use super::check_address;
use crate::error::ConfigError;
use crate::secret::Secret;

/// An incoming webhook address, split so that the code never prints.
pub struct Webhook {
    /// Everything before `rest/`, e.g. `https://example.bitrix24.com/`.
    base: Url,
    user_id: String,
    code: Secret,
}

impl Webhook {
    /// Parses `https://PORTAL/rest/USER_ID/CODE/` (the trailing slash is optional).
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        let bad = |reason: &str| ConfigError::BadUrl {
            what: "webhook",
            reason: reason.to_string(),
        };
        let parsed = check_address(url.trim(), "webhook")?;
        let segments: Vec<&str> = parsed
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect())
            .unwrap_or_default();
        let n = segments.len();
        if n < 3 || segments[n - 3] != "rest" {
            return Err(bad("expected https://PORTAL/rest/USER_ID/CODE/"));
        }
        let user_id = segments[n - 2];
        if user_id.is_empty() || !user_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad("the user id (after rest/) must be a number"));
        }
        let code = segments[n - 1];
        let prefix = segments[..n - 3]
            .iter()
            .map(|s| format!("{s}/"))
            .collect::<String>();
        let mut base = parsed.clone();
        base.set_path(&format!("/{prefix}"));
        base.set_query(None);
        Ok(Webhook {
            base,
            user_id: user_id.to_string(),
            code: Secret::new(code),
        })
    }

    /// The address of `method` for this webhook (REST 3.0 under `/rest/api/`).
    pub(crate) fn method_url(&self, method: &str, v3: bool) -> String {
        format!(
            "{}rest/{}{}/{}/{}",
            self.base,
            if v3 { "api/" } else { "" },
            self.user_id,
            self.code.expose(),
            method
        )
    }

    /// The portal's address, e.g. `https://example.bitrix24.com/`.
    pub fn portal(&self) -> &Url {
        &self.base
    }

    /// The id of the user the webhook acts as.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("portal", &self.base.as_str())
            .field("user_id", &self.user_id)
            .field("code", &self.code)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_address_and_hides_the_code() {
        let w = Webhook::parse("https://example.bitrix24.com/rest/1/s3cr3tc0de/").unwrap();
        assert_eq!(
            w.method_url("user.current", false),
            "https://example.bitrix24.com/rest/1/s3cr3tc0de/user.current"
        );
        assert!(!format!("{w:?}").contains("s3cr3tc0de"));
        assert!(Webhook::parse("https://example.bitrix24.com/rest/x/abc/").is_err());
        assert!(Webhook::parse("https://example.bitrix24.com/").is_err());
        let e = Webhook::parse("http://example.com/rest/1/s3cr3tc0de/").unwrap_err();
        assert!(!e.to_string().contains("s3cr3tc0de"));
    }
}
