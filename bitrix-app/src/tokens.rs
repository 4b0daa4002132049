//! The runtime's [`TokenStore`] on an account row: one renewal per expiry across every client and
//! process sharing the database.
//!
//! A refresh token works once, so when several processes see `expired_token` together only one
//! may spend it. The row carries a lease (`lease_owner`, `lease_until`), taken by a
//! compare-and-swap `UPDATE … WHERE access_token = <the expired one> AND <no live lease>`: exactly
//! one process wins it, spends the refresh token and writes the new pair with another
//! compare-and-swap on the refresh token it spent. The others wait until the row holds a new
//! access token and use that one. A process killed while it holds the lease leaves the old pair in
//! the row; the lease runs out and the next caller renews with it. A failed renewal marks the row
//! (`token_state = 'renewal_failed'`, the reason) and keeps the last good pair.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bitrix_runtime::auth::{BoxFuture, Grant, Renewed, TokenStore};
use bitrix_runtime::{AuthError, Secret, TokenPair};
use sqlx::Row;

use crate::db::{now_ms, Db};

/// How long a renewal may hold an account's lease before another process may take it over.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// How often a process waiting for another's renewal looks at the row again.
const POLL: Duration = Duration::from_millis(20);

/// The token pair of one account, kept in the database.
#[derive(Debug, Clone)]
pub struct AccountTokens {
    db: Db,
    member_id: String,
    lease: Duration,
    owner: String,
}

/// A lease holder name unique to this process and store.
fn owner_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}:{}:{}",
        std::process::id(),
        now_ms(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// An error of the store as the runtime's renewal error (no token in it).
fn store_error(code: &str, description: impl Into<String>) -> AuthError {
    AuthError::Rejected {
        code: code.to_string(),
        description: description.into(),
        status: 0,
    }
}

/// The row's pair and lease, as a renewal reads them.
struct Stored {
    access: String,
    refresh: String,
    expires_at: i64,
    status: String,
    lease_until: Option<i64>,
    token_state: String,
    renewal_error: Option<String>,
    updated_at: i64,
}

impl AccountTokens {
    /// The tokens of `member_id` in `db`, with a renewal lease of `lease`.
    pub fn new(db: Db, member_id: impl Into<String>, lease: Duration) -> Self {
        AccountTokens {
            db,
            member_id: member_id.into(),
            lease,
            owner: owner_name(),
        }
    }

    async fn read(&self) -> Result<Option<Stored>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT access_token, refresh_token, expires_at, status, lease_until, token_state, \
             renewal_error, updated_at FROM bitrix_accounts WHERE member_id = $1",
        )
        .bind(&self.member_id)
        .fetch_optional(self.db.pool())
        .await?;
        row.map(|r| {
            Ok(Stored {
                access: r.try_get("access_token")?,
                refresh: r.try_get("refresh_token")?,
                expires_at: r.try_get("expires_at")?,
                status: r.try_get("status")?,
                lease_until: r.try_get("lease_until")?,
                token_state: r.try_get("token_state")?,
                renewal_error: r.try_get("renewal_error")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    /// Takes the lease if the row still holds `failed` and no live lease.
    async fn take_lease(&self, failed: &str) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE bitrix_accounts SET lease_owner = $1, lease_until = $2 WHERE member_id = $3 \
             AND access_token = $4 AND status <> 'deleted' \
             AND (lease_until IS NULL OR lease_until < $5)",
        )
        .bind(&self.owner)
        .bind(now + self.lease.as_millis() as i64)
        .bind(&self.member_id)
        .bind(failed)
        .bind(now)
        .execute(self.db.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Writes the new pair in place of the one whose refresh token was spent.
    async fn write_pair(&self, spent: &str, pair: &TokenPair) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let expires_at = pair
            .expires_in
            .map(|s| now + (s as i64).saturating_mul(1000))
            .unwrap_or(0);
        let done = sqlx::query(
            "UPDATE bitrix_accounts SET access_token = $1, refresh_token = $2, expires_at = $3, \
             token_state = 'ok', renewal_error = NULL, lease_owner = NULL, lease_until = NULL, \
             renewals = renewals + 1, updated_at = $4 WHERE member_id = $5 AND refresh_token = $6",
        )
        .bind(pair.access_token.expose())
        .bind(pair.refresh_token.expose())
        .bind(expires_at)
        .bind(now)
        .bind(&self.member_id)
        .bind(spent)
        .execute(self.db.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks a failed renewal (the pair stays) and gives the lease back.
    async fn mark_failed(&self, error: &AuthError) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE bitrix_accounts SET token_state = 'renewal_failed', renewal_error = $1, \
             lease_owner = NULL, lease_until = NULL, updated_at = $2 \
             WHERE member_id = $3 AND lease_owner = $4",
        )
        .bind(error.to_string())
        .bind(now_ms())
        .bind(&self.member_id)
        .bind(&self.owner)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    async fn renew_leased<'a>(
        &'a self,
        failed: &'a Secret,
        grant: Grant<'a>,
    ) -> Result<Renewed, AuthError> {
        let db = |e: sqlx::Error| store_error("token_store", format!("database: {e}"));
        let started = now_ms();
        // Bounded: the lease holder either finishes or its lease runs out, and then this caller
        // takes over; twice the lease plus a margin covers both.
        let deadline = started + 2 * self.lease.as_millis() as i64 + 5_000;
        let mut grant = Some(grant);
        loop {
            let row = self.read().await.map_err(db)?.ok_or_else(|| {
                store_error(
                    "account_removed",
                    "the portal's account is no longer stored",
                )
            })?;
            if row.status == "deleted" {
                return Err(store_error(
                    "account_removed",
                    "the application was uninstalled from this portal",
                ));
            }
            if row.access != failed.expose() && !row.access.is_empty() {
                return Ok(Renewed {
                    pair: pair_of(&row),
                    issued: false,
                });
            }
            let now = now_ms();
            if row.token_state == "renewal_failed"
                && row.updated_at >= started
                && row.lease_until.is_none()
            {
                // Another process tried while this one waited, and the OAuth server refused.
                return Err(store_error(
                    "renewal_failed",
                    row.renewal_error.unwrap_or_default(),
                ));
            }
            if row.lease_until.is_none_or(|until| until < now)
                && self.take_lease(failed.expose()).await.map_err(db)?
            {
                let spend = grant.take().ok_or_else(|| {
                    store_error("token_store", "the renewal was already attempted")
                })?;
                return match spend(Secret::new(row.refresh.clone())).await {
                    Ok(pair) => {
                        self.write_pair(&row.refresh, &pair).await.map_err(db)?;
                        Ok(Renewed { pair, issued: true })
                    }
                    Err(e) => {
                        self.mark_failed(&e).await.map_err(db)?;
                        Err(e)
                    }
                };
            }
            if now > deadline {
                return Err(store_error(
                    "token_store",
                    "another process held the renewal lease for too long",
                ));
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

fn pair_of(row: &Stored) -> TokenPair {
    let left = (row.expires_at - now_ms()) / 1000;
    TokenPair {
        access_token: Secret::new(row.access.clone()),
        refresh_token: Secret::new(row.refresh.clone()),
        expires_in: (row.expires_at > 0 && left > 0).then_some(left as u64),
    }
}

impl TokenStore for AccountTokens {
    fn load(&self) -> BoxFuture<'_, Option<TokenPair>> {
        Box::pin(async move {
            let row = self.read().await.ok().flatten()?;
            (row.status != "deleted" && !row.access.is_empty()).then(|| pair_of(&row))
        })
    }

    fn save<'a>(&'a self, pair: &'a TokenPair) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let now = now_ms();
            let expires_at = pair
                .expires_in
                .map(|s| now + (s as i64).saturating_mul(1000))
                .unwrap_or(0);
            let saved = sqlx::query(
                "UPDATE bitrix_accounts SET access_token = $1, refresh_token = $2, \
                 expires_at = $3, token_state = 'ok', renewal_error = NULL, updated_at = $4 \
                 WHERE member_id = $5 AND status <> 'deleted'",
            )
            .bind(pair.access_token.expose())
            .bind(pair.refresh_token.expose())
            .bind(expires_at)
            .bind(now)
            .bind(&self.member_id)
            .execute(self.db.pool())
            .await;
            if let Err(e) = saved {
                tracing::error!(target: "bitrix_app", member_id = %self.member_id, error = %e, "cannot save the token pair");
            }
        })
    }

    fn renew<'a>(
        &'a self,
        failed: &'a Secret,
        _refresh: &'a Secret,
        grant: Grant<'a>,
    ) -> BoxFuture<'a, Result<Renewed, AuthError>> {
        Box::pin(self.renew_leased(failed, grant))
    }
}
