//! Fault scenarios end to end against the emulator, each checked through the emulator's own state
//! (`emu.calls()`, `emu.records(..)`): a storm of 503s, 429 with `operating_reset_at`, 20
//! concurrent calls on an expired token, connections dropped before and after a write, answers
//! slower than the timeout. Each prints its figures (`--nocapture`): calls made, retried, failed,
//! writes done twice (must be 0), items lost (must be 0).

use std::collections::HashSet;
use std::time::Duration;

use bitrix_mock::{Config, Emulator, Fault, FaultRule};
use bitrix_rest::{Client, Plan, RetryPolicy};
use serde_json::{json, Value};

use crate::common;

const ADD: &str = "crm.item.add";

fn retries(tries: u32) -> RetryPolicy {
    RetryPolicy {
        max_tries: tries,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(10),
        ..RetryPolicy::default()
    }
}

fn statuses(emu: &Emulator, method: &str) -> Vec<u16> {
    emu.calls()
        .iter()
        .filter(|c| c.method == method)
        .map(|c| c.status)
        .collect()
}

async fn add(client: &Client, title: &str) -> Result<i64, bitrix_rest::Error> {
    let answer = client
        .call_raw(ADD, json!({"entityTypeId": 2, "fields": {"title": title}}))
        .await?;
    Ok(answer.result["item"]["id"].as_i64().unwrap_or(-1))
}

/// Titles stored by the emulator, and how many of them are stored more than once.
fn stored(emu: &Emulator) -> (Vec<String>, usize) {
    let titles: Vec<String> = emu
        .records("crm")
        .iter()
        .filter_map(|r| r.get("title").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let unique: HashSet<&String> = titles.iter().collect();
    let twice = titles.len() - unique.len();
    (titles, twice)
}

/// Prints the figures of a scenario: `calls` is how many calls the app made; every request the
/// emulator logged beyond those is a retry.
fn report(
    scenario: &str,
    emu: &Emulator,
    (method, calls): (&str, usize),
    failed: usize,
    twice: usize,
    lost: usize,
) {
    let s = statuses(emu, method);
    let retried = s.len().saturating_sub(calls);
    println!(
        "{scenario}: calls made {}, retried {retried}, failed {failed}, writes done twice {twice}, items lost {lost}",
        s.len()
    );
}

#[tokio::test]
async fn a_storm_of_503s_loses_and_repeats_nothing() {
    let emu = Emulator::start(
        Config::new()
            .seed(14)
            .fault(FaultRule::new(ADD).rate(0.5).status(503)),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .plan(Plan::Unlimited)
        .retry(retries(12))
        .webhook(&emu.webhook_url())
        .unwrap();
    let mut ok = Vec::new();
    let mut failed = 0;
    for i in 0..40 {
        match add(&client, &format!("storm {i}")).await {
            Ok(_) => ok.push(format!("storm {i}")),
            Err(e) => {
                assert_eq!(e.status(), Some(503), "{e:?}");
                failed += 1;
            }
        }
    }
    let (titles, twice) = stored(&emu);
    let lost = ok.iter().filter(|t| !titles.contains(t)).count();
    report("503 storm", &emu, (ADD, 40), failed, twice, lost);
    let s = statuses(&emu, ADD);
    assert!(
        s.iter().filter(|st| **st == 503).count() >= 10,
        "a storm: {s:?}"
    );
    assert_eq!(s.iter().filter(|st| **st == 200).count(), titles.len());
    assert_eq!((twice, lost), (0, 0));
    assert_eq!(titles.len() + failed, 40);
}

#[tokio::test]
async fn a_429_waits_for_operating_reset_at_and_writes_once() {
    const SPEED: f64 = 600.0;
    let emu = Emulator::start(
        Config::new()
            .clock_speed(SPEED)
            .operating_limit(Duration::from_secs(1))
            .method_cost(ADD, Duration::from_millis(600)),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .plan(Plan::Unlimited)
        .retry(retries(3))
        .time_scale(SPEED)
        .webhook(&emu.webhook_url())
        .unwrap();
    let start = emu.clock().now();
    for i in 0..3 {
        add(&client, &format!("op {i}")).await.unwrap();
    }
    let (titles, twice) = stored(&emu);
    report("429 operating", &emu, (ADD, 3), 0, twice, 3 - titles.len());
    assert_eq!(statuses(&emu, ADD), [200, 200, 429, 200]);
    assert!(emu.clock().now() - start >= 600.0, "waited for the reset");
    assert_eq!((titles.len(), twice), (3, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_calls_on_an_expired_token_renew_once() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::builder()
        .plan(Plan::Unlimited)
        .oauth(common::oauth(&emu))
        .unwrap();
    emu.expire_access_token();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let c = client.clone();
            tokio::spawn(async move { add(&c, &format!("token {i}")).await })
        })
        .collect();
    let mut failed = 0;
    for t in tasks {
        if t.await.unwrap().is_err() {
            failed += 1;
        }
    }
    let (titles, twice) = stored(&emu);
    report(
        "20 on expired token",
        &emu,
        (ADD, 20),
        failed,
        twice,
        20 - titles.len(),
    );
    assert_eq!(emu.refresh_count(), 1, "exactly one renewal");
    assert_eq!(failed, 0);
    assert_eq!((titles.len(), twice), (20, 0));
    let s = statuses(&emu, ADD);
    assert_eq!(s.iter().filter(|st| **st == 200).count(), 20);
    assert!(s.iter().all(|st| *st == 200 || *st == 401), "{s:?}");
}

#[tokio::test]
async fn a_connection_dropped_before_the_write_is_not_a_write() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::builder()
        .plan(Plan::Unlimited)
        .retry(retries(5))
        .webhook(&emu.webhook_url())
        .unwrap();
    emu.inject(Fault::DropConnection, 1);
    // A write not marked idempotent: the client cannot know it did not run, so it does not
    // repeat it, and reports the failure.
    let err = add(&client, "dropped").await.unwrap_err();
    assert!(matches!(err, bitrix_rest::Error::Transport(_)), "{err:?}");
    let (titles, twice) = stored(&emu);
    report("drop before write", &emu, (ADD, 1), 1, twice, 0);
    assert_eq!(statuses(&emu, ADD), [0]);
    assert!(titles.is_empty(), "the portal did not run it");
    // The app retries it itself: exactly one record.
    add(&client, "dropped").await.unwrap();
    assert_eq!(stored(&emu), (vec!["dropped".to_string()], 0));
}

/// A proxy in front of the emulator that passes each request on, waits for the first bytes of
/// the answer (the portal has run the call by then) and closes the client's connection instead
/// of passing the answer back: a connection lost after the portal ran a write.
async fn cutting_proxy(upstream: std::net::SocketAddr) -> std::net::SocketAddr {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(server) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let (mut client_read, _client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let forward = tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
                });
                let mut first = [0u8; 1];
                let _ = server_read.read(&mut first).await;
                forward.abort();
                // Dropping both halves closes the client's connection without an answer.
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_connection_lost_after_the_write_ran_is_not_repeated() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let proxy = cutting_proxy(emu.addr()).await;
    let hook = emu
        .webhook_url()
        .replace(&emu.addr().to_string(), &proxy.to_string());
    let client = Client::builder()
        .plan(Plan::Unlimited)
        .retry(retries(5))
        .webhook(&hook)
        .unwrap();
    let err = add(&client, "ran").await.unwrap_err();
    assert!(matches!(err, bitrix_rest::Error::Transport(_)), "{err:?}");
    let (titles, twice) = stored(&emu);
    report("lost after write", &emu, (ADD, 1), 1, twice, 0);
    assert_eq!(statuses(&emu, ADD), [200], "sent once, not retried");
    assert_eq!(titles, ["ran"], "the portal ran it once");
    assert_eq!(twice, 0);
}

#[tokio::test]
async fn answers_slower_than_the_timeout_retry_reads_not_writes() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    emu.seed_list(
        "crm.item.list",
        (1..=3)
            .map(|id| json!({"id": id, "entityTypeId": 2, "title": format!("seed {id}")}))
            .collect(),
    );
    let client = Client::builder()
        .plan(Plan::Unlimited)
        .retry(retries(4))
        .timeout(Duration::from_millis(150))
        .webhook(&emu.webhook_url())
        .unwrap();
    // A read (idempotent in its spec) times out twice, then answers.
    emu.inject(Fault::Slow(Duration::from_millis(400)), 2);
    let list = client
        .call(&bitrix_rest::api::crm::item::List::new(2))
        .await
        .unwrap();
    assert_eq!(list.result.len(), 3, "no item lost");
    // The emulator abandons a call whose client left, so only the third try shows in its log;
    // the first two were spent on the injected delays.
    assert_eq!(statuses(&emu, "crm.item.list"), [200]);
    println!(
        "slow read: calls made 3 (2 abandoned), retried 2, failed 0, writes done twice 0, items lost 0"
    );
    // A write that times out is not repeated (and the abandoned emulator never ran it).
    emu.inject(Fault::Slow(Duration::from_millis(400)), 1);
    assert!(add(&client, "slow write").await.is_err());
    let (titles, twice) = stored(&emu);
    println!(
        "slow write: calls made 1, retried 0, failed 1, writes done twice {twice}, items lost 0"
    );
    assert!(statuses(&emu, ADD).is_empty());
    assert!(
        !titles.iter().any(|t| t == "slow write") && twice == 0,
        "{titles:?}"
    );
}
