//! Four application processes (this test binary started again as workers) share one PostgreSQL
//! database and call their portals all the time. Each expiry of a portal's token is renewed
//! exactly once across them (the emulated OAuth server counts the renewals), and a worker killed
//! with SIGKILL while it renews loses no pair: another takes the renewal over once the lease runs
//! out. Skips (with a message) when no PostgreSQL is available; CI provides one
//! (`scripts/ci-postgres.sh`).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bitrix_app::{
    App, AppConfig, AppHandler, BoxFuture, Db, HandlerError, PortalContext, TokenState,
};
use bitrix_mock::Cloud;
use bitrix_runtime::events::Incoming;
use serde_json::{json, Value};
use sqlx::Row;

const WORKER_ENV: &str = "BITRIX_APP_TEST_WORKER";
const PORTALS: usize = 8;
const WORKERS: usize = 4;
const ROUNDS: usize = 3;
const LEASE_MS: u64 = 3000;

struct Nothing;

impl AppHandler for Nothing {
    fn event(&self, _: PortalContext, _: Incoming) -> BoxFuture<'_, Result<(), HandlerError>> {
        Box::pin(async { Ok(()) })
    }
}

/// The worker: runs only when started by the test below, with its job in `WORKER_ENV`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker() {
    let Ok(job) = std::env::var(WORKER_ENV) else {
        return;
    };
    let job: Value = serde_json::from_str(&job).unwrap();
    let s = |k: &str| job[k].as_str().unwrap().to_string();
    let db = Db::connect(&s("pg")).await.unwrap();
    let config = AppConfig::new(s("client_id"), s("client_secret"), "http://127.0.0.1:9/")
        .oauth_server(s("oauth"))
        .lease(Duration::from_millis(LEASE_MS));
    let app = App::new(config, db, Nothing).unwrap();
    let members: Vec<String> = job["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    let stop = std::path::PathBuf::from(s("stop"));
    let (mut ok, mut failed) = (0u64, 0u64);
    while !stop.exists() {
        for m in &members {
            let client = app.portal(m).await.unwrap();
            match client.call_raw("app.info", json!({})).await {
                Ok(_) => ok += 1,
                Err(e) => {
                    failed += 1;
                    eprintln!("WORKER error {m}: {e}");
                }
            }
        }
        println!("WORKER {} ok={ok} failed={failed}", std::process::id());
    }
    println!("WORKER {} done ok={ok} failed={failed}", std::process::id());
}

/// The last progress line of each worker: (ok, failed, done).
type Progress = Arc<Mutex<Vec<(u64, u64, bool)>>>;

fn spawn_worker(job: &Value, i: usize, progress: &Progress) -> Child {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "worker", "--nocapture", "--test-threads", "1"])
        .env(WORKER_ENV, job.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let progress = progress.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let Some(rest) = line.strip_prefix("WORKER ") else {
                continue;
            };
            let num = |k: &str| {
                rest.split_whitespace()
                    .find_map(|w| w.strip_prefix(k))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0)
            };
            progress.lock().unwrap()[i] = (num("ok="), num("failed="), rest.contains("done"));
        }
    });
    child
}

async fn wait_for(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until every live worker made `n` more successful calls than now.
async fn progress_of(progress: &Progress, live: &[bool], n: u64) {
    let start: Vec<u64> = progress.lock().unwrap().iter().map(|p| p.0).collect();
    wait_for("the workers' progress", 60, || {
        let now = progress.lock().unwrap();
        now.iter()
            .zip(&start)
            .zip(live)
            .all(|((p, s), l)| !*l || p.0 >= s + n)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_renew_once_per_expiry_and_survive_a_kill() {
    if std::env::var(WORKER_ENV).is_ok() {
        return;
    }
    let Some(pg) = common::pg::start("bitrix_app_processes").await else {
        return;
    };
    let mut cloud = Cloud::start(PORTALS, common::portal_config())
        .await
        .unwrap();
    let db = Db::connect(&pg.url).await.unwrap();
    let served = common::serve(&mut cloud, db.clone(), false).await;
    for i in 0..PORTALS {
        assert!(cloud.install(i).await.unwrap().ok());
    }
    // The install spent one renewal per portal (its verification at the OAuth server).
    let base: Vec<usize> = cloud.portals().iter().map(|p| p.refresh_count()).collect();
    let dir = tempfile::tempdir().unwrap();
    let stop = dir.path().join("stop");
    let reg = cloud.app().clone();
    let job = json!({
        "pg": pg.url, "oauth": cloud.oauth_server_url(), "client_id": reg.client_id,
        "client_secret": reg.client_secret, "stop": stop.to_str().unwrap(),
        "members": cloud.portals().iter().map(|p| p.member_id()).collect::<Vec<_>>(),
    });
    let progress: Progress = Arc::new(Mutex::new(vec![(0, 0, false); WORKERS]));
    let mut children: Vec<Child> = (0..WORKERS)
        .map(|i| spawn_worker(&job, i, &progress))
        .collect();
    let mut live = vec![true; WORKERS];
    progress_of(&progress, &live, 1).await;

    let renewed = |cloud: &Cloud, n: usize| {
        cloud
            .portals()
            .iter()
            .zip(&base)
            .all(|(p, b)| p.refresh_count() >= b + n)
    };
    for round in 1..=ROUNDS {
        for p in cloud.portals() {
            p.expire_tokens();
        }
        wait_for("one renewal per portal", 60, || renewed(&cloud, round)).await;
        progress_of(&progress, &live, PORTALS as u64).await;
    }

    // A slow OAuth server; kill the worker that holds a renewal lease while its request waits.
    cloud.set_oauth_delay(Duration::from_millis(800));
    for p in cloud.portals() {
        p.expire_tokens();
    }
    let pids: Vec<u32> = children.iter().map(Child::id).collect();
    let mut victim = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    while victim.is_none() {
        assert!(Instant::now() < deadline, "no worker took a renewal lease");
        let rows =
            sqlx::query("SELECT lease_owner FROM bitrix_accounts WHERE lease_owner IS NOT NULL")
                .fetch_all(db.pool())
                .await
                .unwrap();
        victim = rows.iter().find_map(|r| {
            let owner: String = r.try_get("lease_owner").ok()?;
            let pid: u32 = owner.split(':').next()?.parse().ok()?;
            pids.iter().position(|p| *p == pid)
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let victim = victim.unwrap();
    children[victim].kill().unwrap(); // SIGKILL
    children[victim].wait().unwrap();
    live[victim] = false;
    cloud.set_oauth_delay(Duration::ZERO);
    wait_for("the renewals after the kill", 60, || {
        renewed(&cloud, ROUNDS + 1)
    })
    .await;
    progress_of(&progress, &live, 2 * PORTALS as u64).await;

    std::fs::write(&stop, b"").unwrap();
    for (i, c) in children.iter_mut().enumerate() {
        if live[i] {
            assert!(c.wait().unwrap().success());
        }
    }
    wait_for("the workers' last lines", 10, || {
        progress
            .lock()
            .unwrap()
            .iter()
            .zip(&live)
            .all(|(p, l)| !*l || p.2)
    })
    .await;

    // Exactly one renewal per expiry and portal, nothing failed, every stored pair works.
    for (p, b) in cloud.portals().iter().zip(&base) {
        assert_eq!(
            p.refresh_count(),
            b + ROUNDS + 1,
            "portal {}",
            p.member_id()
        );
        let a = db.account(p.member_id()).await.unwrap().unwrap();
        assert_eq!(a.token_state, TokenState::Ok, "{a:?}");
        assert_eq!(a.refresh_token.expose(), p.tokens().1);
        served
            .app
            .portal(p.member_id())
            .await
            .unwrap()
            .call_raw("app.info", json!({}))
            .await
            .unwrap();
    }
    for (i, p) in progress.lock().unwrap().iter().enumerate() {
        if live[i] {
            assert_eq!(p.1, 0, "worker {i} had failed calls");
            assert!(p.0 > 0);
        }
    }
}
