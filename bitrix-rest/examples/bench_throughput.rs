//! Throughput against the emulator on the standard plan (2 requests/s, burst 50) with its clock
//! sped up: 5,000 calls through batches, the same one by one, and a 10,000-item export plain and
//! fast, each against the minimum the bucket allows. Times are emulated seconds.
//!
//! `cargo run --release -p bitrix-rest --example bench_throughput [runs]`

#![allow(deprecated)] // imbot.bot.list is a cheap idempotent call the emulator answers from state

use std::time::Duration;

use bitrix_mock::{Config, Emulator, Plan as EmuPlan};
use bitrix_rest::{Batch, Client, FastExport, Plan};
use futures_util::StreamExt;
use serde_json::json;

const CALLS: usize = 5_000;
const ITEMS: i64 = 10_000;

/// Emulated seconds for `requests` HTTP requests on the standard plan: 50 at once, then 2 a second.
fn minimum(requests: usize) -> f64 {
    requests.saturating_sub(50) as f64 / 2.0
}

async fn setup(speed: f64) -> (Emulator, Client) {
    let emu = Emulator::start(Config::new().plan(EmuPlan::Standard).clock_speed(speed))
        .await
        .expect("emulator starts");
    let client = Client::builder()
        .plan(Plan::Standard)
        .time_scale(speed)
        .timeout(Duration::from_secs(30))
        .webhook(&emu.webhook_url())
        .expect("client");
    (emu, client)
}

fn limited(emu: &Emulator) -> usize {
    emu.calls().iter().filter(|c| c.status == 503).count()
}

/// (emulated seconds, HTTP requests, 503 answers)
async fn batched(speed: f64) -> (f64, usize, usize) {
    let (emu, client) = setup(speed).await;
    let mut batch = Batch::new();
    for i in 0..CALLS {
        batch
            .add(&format!("c{i}"), &bitrix_rest::api::imbot::bot::List::new())
            .expect("add");
    }
    let start = emu.clock().now();
    let answers = client.batch(&batch).await.expect("batch");
    let took = emu.clock().now() - start;
    assert_eq!(answers.len(), CALLS);
    (took, answers.requests(), limited(&emu))
}

async fn one_by_one(speed: f64) -> (f64, usize, usize) {
    let (emu, client) = setup(speed).await;
    let start = emu.clock().now();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in (t..CALLS).step_by(8) {
                    client
                        .call(&bitrix_rest::api::imbot::bot::List::new())
                        .await
                        .expect("call");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    (emu.clock().now() - start, CALLS, limited(&emu))
}

async fn export(speed: f64, fast: bool) -> (f64, usize, usize) {
    let (emu, client) = setup(speed).await;
    let items = (1..=ITEMS)
        .map(|id| json!({"id": id, "entityTypeId": 2}))
        .collect();
    emu.seed_list("crm.item.list", items);
    let start = emu.clock().now();
    let request = bitrix_rest::api::crm::item::List::new(2);
    let n = if fast {
        client
            .export(&request, FastExport::new("id"))
            .map(|r| r.expect("item"))
            .count()
            .await
    } else {
        client
            .stream(&request)
            .map(|r| r.expect("item"))
            .count()
            .await
    };
    assert_eq!(n as i64, ITEMS);
    let took = emu.clock().now() - start;
    let requests = emu
        .calls()
        .iter()
        .filter(|c| c.method == "crm.item.list")
        .count();
    (took, requests, limited(&emu))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn report<F, Fut>(name: &str, speed: f64, runs: usize, f: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = (f64, usize, usize)>,
{
    let mut times = Vec::new();
    let mut requests = 0;
    let mut limits = 0;
    for _ in 0..runs {
        let (t, r, l) = f().await;
        times.push(t);
        requests = r;
        limits += l;
    }
    let min = minimum(requests);
    let med = median(times.clone());
    println!(
        "| {name} | {speed}x | {requests} | {med:.1} s | {min:.1} s | {:.3}x | {limits} | {} |",
        med / min,
        times
            .iter()
            .map(|t| format!("{t:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    println!("| workload | clock speed | HTTP requests | median (emulated) | minimum | ratio | 503 received | runs |");
    println!("|---|---|---|---|---|---|---|---|");
    report("5,000 calls in batches of 50", 20.0, runs, || batched(20.0)).await;
    report(
        "export 10,000 items, plain (start/next)",
        20.0,
        runs,
        || export(20.0, false),
    )
    .await;
    report(
        "export 10,000 items, fast (start=-1, >id)",
        20.0,
        runs,
        || export(20.0, true),
    )
    .await;
    report(
        "5,000 calls one by one (8 tasks)",
        200.0,
        runs.min(3),
        || one_by_one(200.0),
    )
    .await;
}
