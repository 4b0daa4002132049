//! Measures the application layer: install time per portal and events handled per second, with
//! SQLite and (when `BITRIX_APP_PG_URL` names a server) PostgreSQL. Medians of 3 runs.
//!
//! ```sh
//! cargo run --release -p bitrix-app --example bench
//! eval "$(bash scripts/ci-postgres.sh)" && cargo run --release -p bitrix-app --example bench
//! ```
//!
//! Each event is a real delivery: the emulated portal POSTs the form body over loopback, the
//! application verifies it against the portal's application token (a database read), decodes
//! it, and its handler increments a per-portal counter (a database write).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bitrix_app::{App, AppConfig, AppHandler, BoxFuture, Db, HandlerError, PortalContext};
use bitrix_mock::Cloud;
use bitrix_runtime::events::Incoming;
use tokio::sync::Semaphore;

const PORTALS: usize = 20;
const EVENTS: usize = 2000;
const IN_FLIGHT: usize = 16;

struct Count;

impl AppHandler for Count {
    fn event(&self, portal: PortalContext, _: Incoming) -> BoxFuture<'_, Result<(), HandlerError>> {
        Box::pin(async move {
            portal
                .app
                .db()
                .add_data(&portal.member_id, "events", 1)
                .await?;
            Ok(())
        })
    }
}

/// (median install time, events per second) of one run.
async fn run(db: Db) -> Result<(Duration, f64), Box<dyn std::error::Error>> {
    let mut cloud = Cloud::start(PORTALS, bitrix_mock::Config::new().call_log(0)).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/", listener.local_addr()?);
    let reg = cloud.app().clone();
    let config = AppConfig::new(
        reg.client_id.clone(),
        reg.client_secret.clone(),
        base.clone(),
    )
    .oauth_server(cloud.oauth_server_url())
    .event("ONCRMDEALADD");
    let app = App::new(config, db, Count)?;
    let router = app.router();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    cloud.register(format!("{base}install"), format!("{base}app"));
    let mut installs = Vec::new();
    for i in 0..PORTALS {
        let t = Instant::now();
        let report = cloud.install(i).await?;
        installs.push(t.elapsed());
        if !report.ok() {
            return Err(format!("install failed: {report:?}").into());
        }
    }
    let cloud = Arc::new(cloud);
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let t = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..EVENTS {
        let (cloud, gate) = (cloud.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.ok()?;
            let (_, reports) = cloud.portal(n % PORTALS).add_deal("bench").await.ok()?;
            reports.first().map(|r| r.status)
        }));
    }
    for task in tasks {
        if task.await? != Some(200) {
            return Err("an event was not handled".into());
        }
    }
    let rate = EVENTS as f64 / t.elapsed().as_secs_f64();
    server.abort();
    Ok((median(installs), rate))
}

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

async fn fresh_pg(base: &str, n: usize) -> Result<Db, Box<dyn std::error::Error>> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(base).await?;
    let name = format!("bitrix_app_bench_{n}");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&pool)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await?;
    let (head, _) = base.rsplit_once('/').ok_or("bad URL")?;
    Ok(Db::connect(&format!("{head}/{name}")).await?)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pg = std::env::var("BITRIX_APP_PG_URL").ok();
    for backend in ["sqlite", "postgres"] {
        let mut results = Vec::new();
        for n in 0..3 {
            let dir = tempfile::tempdir()?;
            let db = match (backend, &pg) {
                ("sqlite", _) => Db::sqlite(dir.path().join("bench.sqlite3")).await?,
                (_, Some(url)) => fresh_pg(url, n).await?,
                _ => {
                    println!("postgres: skipped (BITRIX_APP_PG_URL is not set)");
                    break;
                }
            };
            results.push(run(db).await?);
        }
        if results.is_empty() {
            continue;
        }
        let install = median(results.iter().map(|r| r.0).collect());
        let rate = median(results.iter().map(|r| r.1).collect());
        println!(
            "{backend}: install median {:.1} ms; {rate:.0} events/s ({EVENTS} events, {PORTALS} portals, {IN_FLIGHT} in flight; median of 3)",
            install.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
