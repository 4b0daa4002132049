//! The database: an SQLite file (the embedded default) or a PostgreSQL server (several app
//! processes), reached through `sqlx`'s `Any` driver so that one set of queries and migrations
//! serves both.

mod account;
mod data;
mod migrate;
mod queries;

pub use queries::Installed;

use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

pub use account::{Account, Status, TokenState};

/// A database error, with no query parameters in it (they may hold tokens).
#[derive(Debug, thiserror::Error)]
#[error("database: {0}")]
pub struct DbError(String);

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        // sqlx errors name the failing statement and driver message, never bound values.
        DbError(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        DbError(e.to_string())
    }
}

/// Which kind of server a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The application's database: portal accounts, domains and per-portal data. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Opens (creating it if needed) the SQLite file at `path` and applies the migrations.
    pub async fn sqlite(path: impl AsRef<Path>) -> Result<Db, DbError> {
        let url = format!("sqlite://{}?mode=rwc", path.as_ref().display());
        Db::connect(&url).await
    }

    /// Connects to `url` (`sqlite://FILE?mode=rwc` or `postgres://…`) and applies the
    /// migrations (once: concurrent processes wait for each other on the migration lock).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError(
                "the database URL must start with sqlite: or postgres:".into(),
            ));
        };
        let max = match backend {
            // One writer at a time anyway; a few connections let reads overlap in WAL mode.
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL: readers do not wait for the writer; busy_timeout: writers of other
                        // processes wait instead of failing with SQLITE_BUSY.
                        sqlx::query("PRAGMA journal_mode=WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout=10000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous=NORMAL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        migrate::run(&pool).await?;
        Ok(Db { pool, backend })
    }

    /// Which kind of database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for the application's own tables.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// Milliseconds since the Unix epoch (every time in the tables).
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
