//! Limit-aware calling against the emulator: the client-side bucket under concurrent tasks, the
//! operating-time wait, and the retry rules (503 retried, unmarked writes never repeated).

#![allow(deprecated)]

use std::time::Duration;

use bitrix_mock::{Bot, Config, Emulator, Fault, Plan as EmuPlan};
use bitrix_rest::{Client, Error, Plan, RetryPolicy};

const APP: &str = "pacing-app";

fn statuses(emu: &Emulator, method: &str) -> Vec<u16> {
    emu.calls()
        .iter()
        .filter(|c| c.method == method)
        .map(|c| c.status)
        .collect()
}

fn quick_retry(tries: u32) -> RetryPolicy {
    RetryPolicy {
        max_tries: tries,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_tasks_never_trip_the_standard_bucket() {
    const SPEED: f64 = 20.0;
    let emu = Emulator::start(Config::new().plan(EmuPlan::Standard).clock_speed(SPEED))
        .await
        .unwrap();
    let client = Client::builder()
        .plan(Plan::Standard)
        .retry(RetryPolicy::none())
        .time_scale(SPEED)
        .webhook(&emu.webhook_url())
        .unwrap();
    let start = emu.clock().now();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..12 {
                client
                    .call(&bitrix_rest::api::imbot::bot::List::new())
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let calls = statuses(&emu, "imbot.bot.list");
    assert_eq!(calls.len(), 96);
    assert!(calls.iter().all(|s| *s == 200), "{calls:?}");
    // 96 requests: 49 at once, 47 more at 2 a second, so no less than 23.5 emulated seconds. How
    // close to that the client gets is a speed figure, measured by `bench_throughput`, not here.
    let took = emu.clock().now() - start;
    assert!(took >= 23.0, "took {took} emulated s");
}

#[tokio::test]
async fn waits_for_the_operating_reset_after_429() {
    const SPEED: f64 = 600.0;
    let emu = Emulator::start(
        Config::new()
            .clock_speed(SPEED)
            .operating_limit(Duration::from_secs(1))
            .method_cost("imbot.bot.list", Duration::from_millis(600)),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .plan(Plan::Unlimited)
        .retry(quick_retry(3))
        .time_scale(SPEED)
        .webhook(&emu.webhook_url())
        .unwrap();
    let start = emu.clock().now();
    for _ in 0..3 {
        client
            .call(&bitrix_rest::api::imbot::bot::List::new())
            .await
            .unwrap();
    }
    // The third call was blocked once (429), waited for `operating_reset_at`, then ran.
    assert_eq!(statuses(&emu, "imbot.bot.list"), [200, 200, 429, 200]);
    assert!(emu.clock().now() - start >= 600.0);
}

#[tokio::test]
async fn a_method_near_its_budget_waits_instead_of_being_blocked() {
    const SPEED: f64 = 600.0;
    let emu = Emulator::start(
        Config::new()
            .clock_speed(SPEED)
            .operating_limit(Duration::from_secs(1))
            .method_cost("imbot.bot.list", Duration::from_millis(600)),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .plan(Plan::Unlimited)
        .retry(RetryPolicy::none())
        .operating_budget(Duration::from_secs(1), Duration::from_millis(300))
        .time_scale(SPEED)
        .webhook(&emu.webhook_url())
        .unwrap();
    for _ in 0..3 {
        client
            .call(&bitrix_rest::api::imbot::bot::List::new())
            .await
            .unwrap();
    }
    assert_eq!(statuses(&emu, "imbot.bot.list"), [200, 200, 200]);
}

fn register(bot: i64, name: &str) -> bitrix_rest::api::imbot::command::Register {
    let lang = vec![bitrix_rest::api::imbot::CommandLang::new("en", "Echo")];
    bitrix_rest::api::imbot::command::Register::new(bot, name, "https://example.com/c", lang)
        .client_id(APP)
}

#[tokio::test]
async fn an_unmarked_write_is_not_repeated_after_a_dropped_connection() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let bot = emu.seed_bot(Bot::new("b", APP)) as i64;
    let client = Client::builder()
        .retry(quick_retry(5))
        .webhook(&emu.webhook_url())
        .unwrap();
    emu.inject(Fault::DropConnection, 1);
    match client.call(&register(bot, "once")).await {
        Err(Error::Transport(t)) => assert!(!t.not_sent()),
        other => panic!("{other:?}"),
    }
    assert_eq!(statuses(&emu, "imbot.command.register"), [0]);
    // Marked idempotent by the caller, the same write is retried once and succeeds.
    emu.inject(Fault::DropConnection, 1);
    client
        .call_idempotent(&register(bot, "twice"))
        .await
        .unwrap();
    assert_eq!(statuses(&emu, "imbot.command.register"), [0, 0, 200]);
    // A read (IDEMPOTENT in its spec) is retried without marking.
    emu.inject(Fault::DropConnection, 1);
    client
        .call(&bitrix_rest::api::imbot::bot::List::new())
        .await
        .unwrap();
    assert_eq!(statuses(&emu, "imbot.bot.list"), [0, 200]);
}

#[tokio::test]
async fn a_503_is_retried_once_then_succeeds() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let bot = emu.seed_bot(Bot::new("b", APP)) as i64;
    let client = Client::builder()
        .retry(quick_retry(3))
        .webhook(&emu.webhook_url())
        .unwrap();
    emu.inject(Fault::Status503, 1);
    // Even a write: QUERY_LIMIT_EXCEEDED means the call did not run.
    client.call(&register(bot, "after503")).await.unwrap();
    assert_eq!(statuses(&emu, "imbot.command.register"), [503, 200]);
    assert_eq!(emu.commands().len(), 1);
    // The number of tries is bounded.
    emu.inject(Fault::Status503, 5);
    let err = client
        .call(&bitrix_rest::api::imbot::bot::List::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(statuses(&emu, "imbot.bot.list"), [503, 503, 503]);
}
