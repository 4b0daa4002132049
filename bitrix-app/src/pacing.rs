//! The runtime's [`SharedBucket`] on a PostgreSQL row: one request-rate bucket per portal for
//! every process of the application, so that together they send no more than the portal's plan.
//!
//! Each request reserves its slot with one `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the
//! row lock orders concurrent reservations, and the drain, the new drop and the wait are computed
//! by the server with its own clock (`statement_timestamp()`), so that processes whose clocks
//! disagree still agree on the bucket. A statement that started before the row's last
//! reservation drains nothing (never negatively), which only errs on the side of waiting.
//!
//! When the database does not answer (an error, or nothing within [`RESERVE_TIMEOUT`]), the
//! runtime paces that request with the client's own bucket and the call goes on: stopping calls
//! the portal would still accept because the app's database is down would turn a pacing helper
//! into an outage, and the portal's `QUERY_LIMIT_EXCEEDED`, which the client retries after a
//! backoff, still protects the portal. After a failure the row is left alone for [`COOL_DOWN`],
//! so that an unreachable server costs one timeout, not one per call.
//!
//! SQLite needs none of this: one process owns the file, and its clients of a portal share one
//! in-memory bucket already.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use bitrix_runtime::auth::BoxFuture;
use bitrix_runtime::{SharedBucket, SharedBucketError};
use sqlx::Row;

use crate::db::{Backend, Db};

/// The longest a reservation waits for the database before the client paces alone.
pub(crate) const RESERVE_TIMEOUT: Duration = Duration::from_secs(2);

/// How long the row is left alone after the database failed to answer.
pub(crate) const COOL_DOWN: Duration = Duration::from_secs(5);

/// Drains the row by the time since its last reservation, adds one drop, and answers how long
/// the new drop waits for its slot. `$2` is the rate (drops a second), `$3` the capacity.
const RESERVE: &str = "INSERT INTO bitrix_rate_buckets AS b (member_id, level, last_at) \
     VALUES ($1, 1, EXTRACT(EPOCH FROM statement_timestamp())::float8) \
     ON CONFLICT (member_id) DO UPDATE SET \
     level = GREATEST(b.level - GREATEST(EXCLUDED.last_at - b.last_at, 0) * $2, 0) + 1, \
     last_at = GREATEST(b.last_at, EXCLUDED.last_at) \
     RETURNING GREATEST((b.level - $3) / $2, 0) AS wait";

/// Drains the row and fills it to at least the capacity (`$3`): the portal said it is full.
const SATURATE: &str = "INSERT INTO bitrix_rate_buckets AS b (member_id, level, last_at) \
     VALUES ($1, $3, EXTRACT(EPOCH FROM statement_timestamp())::float8) \
     ON CONFLICT (member_id) DO UPDATE SET \
     level = GREATEST(b.level - GREATEST(EXCLUDED.last_at - b.last_at, 0) * $2, EXCLUDED.level), \
     last_at = GREATEST(b.last_at, EXCLUDED.last_at)";

/// The request-rate bucket of one portal in PostgreSQL (table `bitrix_rate_buckets`), shared by
/// every process using the database. A reservation that gets no answer within 2 s, or fails,
/// leaves the request to the client's own bucket, and the row is not asked again for 5 s. [`App::portal`](crate::App::portal) sets it on each portal's
/// client when the database is PostgreSQL (unless
/// [`AppConfig::shared_pacing`](crate::AppConfig::shared_pacing) is off).
#[derive(Debug)]
pub struct PortalBucket {
    db: Db,
    member_id: String,
    /// Until when the database is not asked again after a failure.
    resting_until: Mutex<Option<Instant>>,
}

impl PortalBucket {
    /// The bucket of `member_id` in `db`; `None` on SQLite (see the module documentation).
    pub fn new(db: Db, member_id: impl Into<String>) -> Option<Self> {
        (db.backend() == Backend::Postgres).then(|| PortalBucket {
            db,
            member_id: member_id.into(),
            resting_until: Mutex::new(None),
        })
    }

    fn resting(&self) -> Option<Instant> {
        let until = *self.resting_until.lock().unwrap_or_else(|p| p.into_inner());
        until.filter(|u| *u > Instant::now())
    }

    fn rest(&self) {
        *self.resting_until.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Instant::now() + COOL_DOWN);
    }

    /// Runs one statement within [`RESERVE_TIMEOUT`], resting after a failure.
    async fn bounded<T>(
        &self,
        run: impl std::future::Future<Output = Result<T, sqlx::Error>>,
    ) -> Result<T, SharedBucketError> {
        if self.resting().is_some() {
            return Err("the database failed moments ago; not asked again yet".into());
        }
        let failed: SharedBucketError = match tokio::time::timeout(RESERVE_TIMEOUT, run).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) => format!("database: {e}").into(),
            Err(_) => format!("database: no answer within {RESERVE_TIMEOUT:?}").into(),
        };
        self.rest();
        Err(failed)
    }
}

/// A wait the database computed, as a duration (a nonsensical figure waits nothing: the
/// client's own bucket and the portal's answer still hold the rate).
fn wait_of(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds).unwrap_or(Duration::ZERO)
}

impl SharedBucket for PortalBucket {
    fn reserve(
        &self,
        rate: f64,
        capacity: f64,
    ) -> BoxFuture<'_, Result<Duration, SharedBucketError>> {
        Box::pin(async move {
            let query = sqlx::query(RESERVE)
                .bind(&self.member_id)
                .bind(rate)
                .bind(capacity);
            let row = self.bounded(query.fetch_one(self.db.pool())).await?;
            let seconds: f64 = row.try_get("wait")?;
            Ok(wait_of(seconds))
        })
    }

    fn saturate(&self, rate: f64, capacity: f64) -> BoxFuture<'_, Result<(), SharedBucketError>> {
        Box::pin(async move {
            let query = sqlx::query(SATURATE)
                .bind(&self.member_id)
                .bind(rate)
                .bind(capacity);
            self.bounded(query.execute(self.db.pool())).await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_the_database_cannot_mean_are_none() {
        assert_eq!(wait_of(f64::NAN), Duration::ZERO);
        assert_eq!(wait_of(-1.0), Duration::ZERO);
        assert_eq!(wait_of(f64::INFINITY), Duration::ZERO);
        assert_eq!(wait_of(0.25), Duration::from_millis(250));
    }
}
