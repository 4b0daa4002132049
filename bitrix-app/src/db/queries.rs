//! The account rows: install, activation, state changes, uninstall.

use bitrix_runtime::Secret;
use sqlx::Row;

use super::account::{Account, Status, COLUMNS};
use super::{now_ms, Db, DbError};

/// What a verified install brings: the portal as the OAuth server names it and a fresh pair.
#[derive(Clone)]
pub struct Installed {
    /// The portal's identifier.
    pub member_id: String,
    /// Its domain.
    pub domain: String,
    /// Its REST address.
    pub client_endpoint: String,
    /// The OAuth server's REST address.
    pub server_endpoint: String,
    /// The granted scopes.
    pub scope: String,
    /// The installing user.
    pub user_id: Option<i64>,
    /// The access token.
    pub access_token: Secret,
    /// The refresh token.
    pub refresh_token: Secret,
    /// When the access token expires (Unix milliseconds).
    pub expires_at: i64,
}

impl std::fmt::Debug for Installed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Installed")
            .field("member_id", &self.member_id)
            .field("domain", &self.domain)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// The account of `member_id`, if any.
    pub async fn account(&self, member_id: &str) -> Result<Option<Account>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM bitrix_accounts WHERE member_id = $1");
        let row = sqlx::query(&sql)
            .bind(member_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(Account::from_row).transpose()?)
    }

    /// Every account, by `member_id`.
    pub async fn accounts(&self) -> Result<Vec<Account>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM bitrix_accounts ORDER BY member_id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(Account::from_row)
            .collect::<Result<_, _>>()?)
    }

    /// Records a verified install POST: a new account (`new`, waiting for `ONAPPINSTALL`), a
    /// reinstall of a deleted one (its kept data comes back), or an update of an installed one
    /// (its application token and state are kept). The domain joins the portal's history.
    pub async fn record_install(&self, i: &Installed) -> Result<(), DbError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO bitrix_accounts (member_id, domain, client_endpoint, server_endpoint, \
             status, scope, installed_by, access_token, refresh_token, expires_at, installed_at, \
             updated_at) VALUES ($1, $2, $3, $4, 'new', $5, $6, $7, $8, $9, $10, $10) \
             ON CONFLICT (member_id) DO UPDATE SET domain = excluded.domain, \
             client_endpoint = excluded.client_endpoint, server_endpoint = excluded.server_endpoint, \
             scope = excluded.scope, installed_by = excluded.installed_by, \
             access_token = excluded.access_token, refresh_token = excluded.refresh_token, \
             expires_at = excluded.expires_at, token_state = 'ok', renewal_error = NULL, \
             lease_owner = NULL, lease_until = NULL, updated_at = excluded.updated_at, \
             status = CASE WHEN bitrix_accounts.status = 'deleted' THEN 'new' \
                           ELSE bitrix_accounts.status END, \
             application_token = CASE WHEN bitrix_accounts.status = 'deleted' THEN NULL \
                           ELSE bitrix_accounts.application_token END, \
             installed_at = CASE WHEN bitrix_accounts.status = 'deleted' THEN excluded.installed_at \
                           ELSE bitrix_accounts.installed_at END",
        )
        .bind(&i.member_id)
        .bind(&i.domain)
        .bind(&i.client_endpoint)
        .bind(&i.server_endpoint)
        .bind(&i.scope)
        .bind(i.user_id)
        .bind(i.access_token.expose())
        .bind(i.refresh_token.expose())
        .bind(i.expires_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO bitrix_domains (member_id, domain, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (member_id, domain) DO UPDATE SET seen_at = excluded.seen_at",
        )
        .bind(&i.member_id)
        .bind(&i.domain)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The `ONAPPINSTALL` event of a verified install: the application token is stored and the
    /// account becomes active (a blocked one stays blocked). False when there is no such account
    /// or it was deleted meanwhile.
    pub async fn activate(
        &self,
        member_id: &str,
        application_token: &Secret,
        version: i64,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE bitrix_accounts SET application_token = $1, app_version = $2, \
             status = CASE WHEN status = 'blocked' THEN 'blocked' ELSE 'active' END, \
             updated_at = $3 WHERE member_id = $4 AND status <> 'deleted'",
        )
        .bind(application_token.expose())
        .bind(version)
        .bind(now_ms())
        .bind(member_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores the pair of `installed` in its portal's account if that account still holds the
    /// refresh token `spent` (a verification spent it); false when no account matched.
    pub async fn adopt_pair(&self, installed: &Installed, spent: &Secret) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE bitrix_accounts SET access_token = $1, refresh_token = $2, expires_at = $3, \
             token_state = 'ok', renewal_error = NULL, updated_at = $4 \
             WHERE member_id = $5 AND refresh_token = $6",
        )
        .bind(installed.access_token.expose())
        .bind(installed.refresh_token.expose())
        .bind(installed.expires_at)
        .bind(now_ms())
        .bind(&installed.member_id)
        .bind(spent.expose())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets the state of an account (block, unblock); false when there is none.
    pub async fn set_status(&self, member_id: &str, status: Status) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE bitrix_accounts SET status = $1, updated_at = $2 WHERE member_id = $3",
        )
        .bind(status.as_str())
        .bind(now_ms())
        .bind(member_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// An uninstall: with `clean`, the account, its domains and its data are removed; without,
    /// the account is marked deleted and its tokens are dropped (they no longer work), its data
    /// kept for a reinstall. `installed_at` guards against a concurrent reinstall: only the
    /// installation the event was verified against is removed. False when nothing matched.
    pub async fn uninstall(
        &self,
        member_id: &str,
        installed_at: i64,
        clean: bool,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let done = if clean {
            sqlx::query(
                "DELETE FROM bitrix_accounts WHERE member_id = $1 AND installed_at = $2 \
                 AND status <> 'deleted'",
            )
            .bind(member_id)
            .bind(installed_at)
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "UPDATE bitrix_accounts SET status = 'deleted', access_token = '', \
                 refresh_token = '', application_token = NULL, lease_owner = NULL, \
                 lease_until = NULL, updated_at = $1 WHERE member_id = $2 AND installed_at = $3 \
                 AND status <> 'deleted'",
            )
            .bind(now_ms())
            .bind(member_id)
            .bind(installed_at)
            .execute(&mut *tx)
            .await?
        };
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        if clean {
            for table in [
                "bitrix_domains",
                "bitrix_portal_data",
                "bitrix_rate_buckets",
            ] {
                sqlx::query(&format!("DELETE FROM {table} WHERE member_id = $1"))
                    .bind(member_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Every domain `member_id` was seen under, oldest first.
    pub async fn domains(&self, member_id: &str) -> Result<Vec<String>, DbError> {
        let rows = sqlx::query(
            "SELECT domain FROM bitrix_domains WHERE member_id = $1 ORDER BY seen_at, domain",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>("domain"))
            .collect::<Result<_, _>>()?)
    }
}
