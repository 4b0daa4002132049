//! Measures what the shared pacing adds to each call: one reservation of a portal's bucket row
//! in PostgreSQL (`PortalBucket::reserve`, one `INSERT … ON CONFLICT DO UPDATE … RETURNING`
//! over loopback), alone and with 4 tasks (4 pools, as 4 processes) reserving on the same row.
//!
//! ```sh
//! eval "$(bash scripts/ci-postgres.sh)" && cargo run --release -p bitrix-app --example bench_reserve
//! ```

use std::time::{Duration, Instant};

use bitrix_app::{Db, PortalBucket};
use bitrix_runtime::SharedBucket;

const RESERVES: usize = 2000;
const PROCESSES: usize = 4;

/// A rate so high that no reservation waits: only the round trip is measured.
const RATE: f64 = 1e9;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn run(bucket: &PortalBucket, n: usize) -> Vec<Duration> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        bucket.reserve(RATE, 50.0).await.expect("reserve");
        times.push(start.elapsed());
    }
    times
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Ok(url) = std::env::var("BITRIX_APP_PG_URL") else {
        eprintln!("set BITRIX_APP_PG_URL (eval \"$(bash scripts/ci-postgres.sh)\")");
        std::process::exit(2);
    };
    let db = Db::connect(&url).await.expect("database");
    let bucket = PortalBucket::new(db, "bench-portal").expect("PostgreSQL");
    run(&bucket, 200).await; // warm the pool and the plan
    let alone = median(run(&bucket, RESERVES).await);
    let mut tasks = Vec::new();
    for _ in 0..PROCESSES {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let db = Db::connect(&url).await.expect("database");
            let bucket = PortalBucket::new(db, "bench-portal").expect("PostgreSQL");
            run(&bucket, 100).await;
            run(&bucket, RESERVES).await
        }));
    }
    let mut shared = Vec::new();
    for t in tasks {
        shared.extend(t.await.expect("task"));
    }
    let shared = median(shared);
    println!("reserve, one process:        median {alone:?} ({RESERVES} reserves)");
    println!(
        "reserve, {PROCESSES} pools on one row: median {shared:?} ({} reserves)",
        RESERVES * PROCESSES
    );
}
