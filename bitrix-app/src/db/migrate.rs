//! The migrations in `migrations/`, embedded as text (no build-time database, no macros) and run
//! by `sqlx`'s migrator, which records them in `_sqlx_migrations` and locks concurrent runs.

use std::borrow::Cow;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::AnyPool;

use super::DbError;

/// `(version, description, SQL)` of every migration, in order.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "accounts",
        include_str!("../../migrations/0001_accounts.sql"),
    ),
    (
        2,
        "rate buckets",
        include_str!("../../migrations/0002_rate_buckets.sql"),
    ),
];

/// The embedded migrations as a source for [`Migrator::new`].
#[derive(Debug)]
struct Embedded;

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> futures_core::future::BoxFuture<'s, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(MIGRATIONS
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Applies the migrations not applied yet.
pub(crate) async fn run(pool: &AnyPool) -> Result<(), DbError> {
    Migrator::new(Embedded).await?.run(pool).await?;
    Ok(())
}
