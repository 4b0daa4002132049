//! A portal account as stored: who the portal is, where it lives, its tokens and its state.

use std::fmt;

use bitrix_runtime::Secret;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Where an account is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The install POST was verified; the `ONAPPINSTALL` event (with the application token) has
    /// not arrived yet.
    New,
    /// Installed: events are accepted, calls are made.
    Active,
    /// Blocked by the application (unpaid, abuse): events are refused, no calls are made.
    Blocked,
    /// Uninstalled without cleaning: tokens are gone, the application's data is kept for a
    /// reinstall.
    Deleted,
}

impl Status {
    /// The value stored in the `status` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Active => "active",
            Status::Blocked => "blocked",
            Status::Deleted => "deleted",
        }
    }

    pub(crate) fn parse(s: &str) -> Status {
        match s {
            "new" => Status::New,
            "active" => Status::Active,
            "blocked" => Status::Blocked,
            // An unknown value is treated as the most restrictive state.
            _ => Status::Deleted,
        }
    }
}

/// Whether the stored pair is known to work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// The last renewal (if any) succeeded.
    Ok,
    /// The last renewal failed; the stored pair is the last good one.
    RenewalFailed,
}

/// One portal the application is (or was) installed on.
#[derive(Clone)]
pub struct Account {
    /// The portal's unchanging identifier.
    pub member_id: String,
    /// The portal's current domain (as the OAuth server names it).
    pub domain: String,
    /// The portal's REST address, `https://DOMAIN/rest/`, as the OAuth server gave it.
    pub client_endpoint: String,
    /// The OAuth server's REST address.
    pub server_endpoint: String,
    /// Where the account is in its life.
    pub status: Status,
    /// The scopes granted to the application, comma-separated.
    pub scope: String,
    /// The user who installed the application.
    pub installed_by: Option<i64>,
    /// The installed version of the application.
    pub app_version: i64,
    /// The access token.
    pub access_token: Secret,
    /// The refresh token.
    pub refresh_token: Secret,
    /// When the access token expires (Unix milliseconds; 0 when unknown).
    pub expires_at: i64,
    /// The token the portal signs events with (known after `ONAPPINSTALL`).
    pub application_token: Option<Secret>,
    /// Whether the pair is known to work.
    pub token_state: TokenState,
    /// Why the last renewal failed.
    pub renewal_error: Option<String>,
    /// How many renewals this account had.
    pub renewals: i64,
    /// When the application was (last) installed (Unix milliseconds).
    pub installed_at: i64,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("member_id", &self.member_id)
            .field("domain", &self.domain)
            .field("status", &self.status)
            .field("scope", &self.scope)
            .field("installed_by", &self.installed_by)
            .field("app_version", &self.app_version)
            .field("token_state", &self.token_state)
            .field("renewals", &self.renewals)
            .finish_non_exhaustive()
    }
}

/// The columns [`Account::from_row`] reads, in a `SELECT`.
pub(crate) const COLUMNS: &str = "member_id, domain, client_endpoint, server_endpoint, status, \
    scope, installed_by, app_version, access_token, refresh_token, expires_at, application_token, \
    token_state, renewal_error, renewals, installed_at";

impl Account {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Account, sqlx::Error> {
        let status: String = row.try_get("status")?;
        let token_state: String = row.try_get("token_state")?;
        let app_token: Option<String> = row.try_get("application_token")?;
        Ok(Account {
            member_id: row.try_get("member_id")?,
            domain: row.try_get("domain")?,
            client_endpoint: row.try_get("client_endpoint")?,
            server_endpoint: row.try_get("server_endpoint")?,
            status: Status::parse(&status),
            scope: row.try_get("scope")?,
            installed_by: row.try_get("installed_by")?,
            app_version: row.try_get("app_version")?,
            access_token: Secret::new(row.try_get::<String, _>("access_token")?),
            refresh_token: Secret::new(row.try_get::<String, _>("refresh_token")?),
            expires_at: row.try_get("expires_at")?,
            application_token: app_token.filter(|t| !t.is_empty()).map(Secret::new),
            token_state: if token_state == "ok" {
                TokenState::Ok
            } else {
                TokenState::RenewalFailed
            },
            renewal_error: row.try_get("renewal_error")?,
            renewals: row.try_get("renewals")?,
            installed_at: row.try_get("installed_at")?,
        })
    }

    /// The portal's address (`client_endpoint` without `rest/`), what an OAuth client calls.
    pub fn portal_url(&self) -> String {
        let base = self
            .client_endpoint
            .strip_suffix("rest/")
            .unwrap_or(&self.client_endpoint);
        base.to_string()
    }
}
