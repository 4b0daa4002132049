//! The application's own key-value data per portal (settings, counters), removed with the
//! account when an uninstall asks to clean.

use sqlx::Row;

use super::{Db, DbError};

impl Db {
    /// Stores `value` under `name` for the portal.
    pub async fn put_data(&self, member_id: &str, name: &str, value: &str) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO bitrix_portal_data (member_id, name, value) VALUES ($1, $2, $3) \
             ON CONFLICT (member_id, name) DO UPDATE SET value = excluded.value",
        )
        .bind(member_id)
        .bind(name)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Adds `by` to the integer stored under `name` (0 when absent) in one statement, so that
    /// concurrent handlers and processes lose no increment; returns the new value.
    pub async fn add_data(&self, member_id: &str, name: &str, by: i64) -> Result<i64, DbError> {
        let row = sqlx::query(
            "INSERT INTO bitrix_portal_data (member_id, name, value) VALUES ($1, $2, $3) \
             ON CONFLICT (member_id, name) DO UPDATE SET \
             value = CAST(CAST(bitrix_portal_data.value AS BIGINT) + $4 AS TEXT) RETURNING value",
        )
        .bind(member_id)
        .bind(name)
        .bind(by.to_string())
        .bind(by)
        .fetch_one(&self.pool)
        .await?;
        let text: String = row.try_get("value")?;
        Ok(text.parse().unwrap_or(0))
    }

    /// The value stored under `name` for the portal.
    pub async fn data(&self, member_id: &str, name: &str) -> Result<Option<String>, DbError> {
        let row =
            sqlx::query("SELECT value FROM bitrix_portal_data WHERE member_id = $1 AND name = $2")
                .bind(member_id)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    /// How many data rows the portal has.
    pub async fn data_count(&self, member_id: &str) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM bitrix_portal_data WHERE member_id = $1")
            .bind(member_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}
