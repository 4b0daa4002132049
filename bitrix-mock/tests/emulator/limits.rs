//! The request bucket, operating time, token expiry and refresh, and injected faults, over HTTP.

use crate::common;

use std::time::Duration;

use bitrix_mock::{Config, Emulator, Fault, FaultRule, Plan};
use common::{assert_error, get, post_json};
use serde_json::json;

#[tokio::test]
async fn standard_bucket_fifty_pass_then_two_a_second() {
    // A frozen clock: only `advance` lets the bucket drain, so slow machines cannot flake.
    let emu = Emulator::start(Config::new().plan(Plan::Standard).clock_speed(0.0))
        .await
        .expect("starts");
    let url = format!("{}user.current", emu.webhook_url());
    for i in 0..50 {
        let (status, body) = post_json(&url, &json!({})).await;
        assert_eq!(status, 200, "call {i}: {body}");
    }
    let refused = post_json(&url, &json!({})).await;
    assert_error(&refused, 503, "QUERY_LIMIT_EXCEEDED");
    assert_eq!(refused.1["error_description"], "Too many requests");
    emu.clock().advance(Duration::from_secs(1));
    assert_eq!(post_json(&url, &json!({})).await.0, 200);
    assert_eq!(post_json(&url, &json!({})).await.0, 200);
    assert_error(
        &post_json(&url, &json!({})).await,
        503,
        "QUERY_LIMIT_EXCEEDED",
    );
    // One batch of many sub-calls is one drop.
    emu.clock().advance(Duration::from_secs(1));
    let cmd: serde_json::Map<String, serde_json::Value> = (0..10)
        .map(|i| (format!("c{i}"), json!("user.current")))
        .collect();
    let (status, body) =
        post_json(&format!("{}batch", emu.webhook_url()), &json!({"cmd": cmd})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["result"].as_object().map(|m| m.len()),
        Some(10)
    );
}

#[tokio::test]
async fn operating_time_blocks_the_method_for_ten_minutes() {
    let emu = Emulator::start(
        Config::new()
            .clock_speed(0.0)
            .operating_limit(Duration::from_secs(10))
            .method_cost("user.current", Duration::from_secs(4)),
    )
    .await
    .expect("starts");
    let url = format!("{}user.current", emu.webhook_url());
    let mut last = json!(null);
    for _ in 0..3 {
        let (status, body) = post_json(&url, &json!({})).await;
        assert_eq!(status, 200, "{body}");
        last = body;
    }
    assert_eq!(last["time"]["operating"], 12.0);
    let reset_at = last["time"]["operating_reset_at"].as_f64().expect("reset");
    assert!((reset_at - last["time"]["start"].as_f64().unwrap_or(0.0) - 600.0).abs() < 1.0);
    assert_error(
        &post_json(&url, &json!({})).await,
        429,
        "OPERATION_TIME_LIMIT",
    );
    // Other methods are not blocked.
    assert_eq!(
        post_json(&format!("{}app.info", emu.webhook_url()), &json!({}))
            .await
            .0,
        200
    );
    emu.clock().advance(Duration::from_secs(601));
    let (status, body) = post_json(&url, &json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["time"]["operating"], 4.0);
}

#[tokio::test]
async fn expired_token_refresh_and_old_refresh_token_refused() {
    let emu = Emulator::start(
        Config::new()
            .token_ttl(Duration::from_secs(60))
            .clock_speed(0.0),
    )
    .await
    .expect("starts");
    let creds = emu.credentials();
    let url = format!("{}rest/user.current", emu.portal_url());
    assert_eq!(
        post_json(&url, &json!({"auth": creds.access_token}))
            .await
            .0,
        200
    );
    emu.clock().advance(Duration::from_secs(61));
    let expired = post_json(&url, &json!({"auth": creds.access_token})).await;
    assert_error(&expired, 401, "expired_token");
    assert_eq!(
        expired.1["error_description"],
        "The access token provided has expired."
    );

    let token_url = |refresh: &str, secret: &str| {
        format!(
            "{}oauth/token/?grant_type=refresh_token&client_id={}&client_secret={secret}&refresh_token={refresh}",
            emu.oauth_server_url(),
            creds.client_id
        )
    };
    assert_error(
        &get(&token_url(&creds.refresh_token, "wrong")).await,
        401,
        "invalid_client",
    );
    let (status, pair) = get(&token_url(&creds.refresh_token, &creds.client_secret)).await;
    assert_eq!(status, 200, "{pair}");
    assert_eq!(pair["expires_in"], 60);
    let access = pair["access_token"].as_str().expect("access").to_string();
    assert_ne!(access, creds.access_token);
    assert_eq!(emu.refresh_count(), 1);
    assert_eq!(emu.credentials().access_token, access);
    assert_eq!(post_json(&url, &json!({"auth": access})).await.0, 200);
    assert_error(
        &get(&token_url(&creds.refresh_token, &creds.client_secret)).await,
        400,
        "invalid_grant",
    );

    emu.expire_access_token();
    assert_error(
        &post_json(&url, &json!({"auth": access})).await,
        401,
        "expired_token",
    );
}

#[tokio::test]
async fn injected_faults_hit_the_next_calls_only() {
    let emu = Emulator::start(Config::new()).await.expect("starts");
    let url = format!("{}user.current", emu.webhook_url());
    emu.inject(Fault::Status500, 1);
    emu.inject(Fault::Status503, 1);
    emu.inject(Fault::NotJson, 1);
    assert_error(
        &post_json(&url, &json!({})).await,
        500,
        "INTERNAL_SERVER_ERROR",
    );
    assert_error(
        &post_json(&url, &json!({})).await,
        503,
        "QUERY_LIMIT_EXCEEDED",
    );
    let (status, body) = post_json(&url, &json!({})).await;
    assert_eq!(status, 200);
    assert!(body.is_string(), "not JSON expected, got {body}");
    assert_eq!(post_json(&url, &json!({})).await.0, 200);

    emu.inject(Fault::DropConnection, 1);
    let dropped = reqwest::Client::new()
        .post(&url)
        .json(&json!({}))
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection should be closed without an answer"
    );
    assert_eq!(post_json(&url, &json!({})).await.0, 200);

    emu.inject(Fault::Slow(Duration::from_millis(300)), 1);
    let started = std::time::Instant::now();
    assert_eq!(post_json(&url, &json!({})).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let statuses: Vec<u16> = emu.calls().iter().map(|c| c.status).collect();
    assert_eq!(statuses, vec![500, 503, 200, 200, 0, 200, 200]);
}

#[tokio::test]
async fn shutdown_closes_the_listener() {
    let emu = Emulator::start(Config::new()).await.expect("starts");
    let url = format!("{}user.current", emu.webhook_url());
    assert_eq!(post_json(&url, &json!({})).await.0, 200);
    emu.shutdown().await;
    // A fresh connection (no pooled one) must be refused right away: the listener is gone.
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let refused = fresh.post(&url).json(&json!({})).send().await;
    assert!(refused.is_err(), "{refused:?}");
}

/// The statuses of `n` calls of `method`.
async fn statuses(emu: &Emulator, method: &str, n: usize) -> Vec<u16> {
    let url = format!("{}{method}", emu.webhook_url());
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(post_json(&url, &json!({})).await.0);
    }
    out
}

#[tokio::test]
async fn per_method_faults_repeat_with_the_seed() {
    let config = |seed| {
        Config::new()
            .seed(seed)
            .fault(FaultRule::new("user.current").rate(0.5).status(503))
    };
    let a = Emulator::start(config(7)).await.expect("starts");
    let b = Emulator::start(config(7)).await.expect("starts");
    let c = Emulator::start(config(8)).await.expect("starts");
    let first = statuses(&a, "user.current", 40).await;
    assert_eq!(
        first,
        statuses(&b, "user.current", 40).await,
        "same seed, same faults"
    );
    assert_ne!(
        first,
        statuses(&c, "user.current", 40).await,
        "another seed, others"
    );
    let hit = first.iter().filter(|s| **s == 503).count();
    assert!((8..=32).contains(&hit), "about half: {first:?}");
    assert!(first.iter().all(|s| *s == 200 || *s == 503));
    // Other methods are untouched.
    assert_eq!(statuses(&a, "app.info", 10).await, [200; 10]);
    let refused = post_json(&format!("{}user.current", a.webhook_url()), &json!({})).await;
    if refused.0 == 503 {
        assert_eq!(refused.1["error"], "QUERY_LIMIT_EXCEEDED");
    }
}

#[tokio::test]
async fn faults_set_and_cleared_from_a_test() {
    let emu = Emulator::start(Config::new()).await.expect("starts");
    emu.set_fault(FaultRule::new("app.info").status(500).code("ERROR_CORE"));
    let answer = post_json(&format!("{}app.info", emu.webhook_url()), &json!({})).await;
    assert_error(&answer, 500, "ERROR_CORE");
    // A queued fault wins over a rule.
    emu.inject(Fault::Status503, 1);
    assert_eq!(statuses(&emu, "app.info", 2).await, [503, 500]);
    // A rule with only a delay answers normally, later.
    emu.set_fault(FaultRule::new("app.info").delay(Duration::from_millis(150)));
    let started = std::time::Instant::now();
    assert_eq!(statuses(&emu, "app.info", 1).await, [200]);
    assert!(started.elapsed() >= Duration::from_millis(150));
    emu.clear_faults();
    assert_eq!(statuses(&emu, "app.info", 3).await, [200; 3]);
    // `*` covers every method; rate 0 none.
    emu.set_fault(FaultRule::new("*").rate(0.0).status(500));
    assert_eq!(statuses(&emu, "profile", 5).await, [200; 5]);
}

#[tokio::test]
async fn a_batch_is_billed_to_batch_not_to_its_commands() {
    // As users measured on real portals (b24jssdk issue 459): the whole batch counts against
    // `batch`, with its commands' time; the methods inside it are not billed themselves.
    let emu = Emulator::start(
        Config::new()
            .clock_speed(0.0)
            .method_cost("app.info", Duration::from_secs(2))
            .method_cost("batch", Duration::from_secs(1)),
    )
    .await
    .expect("starts");
    let cmd = json!({"a": "app.info", "b": "app.info", "c": "app.info"});
    let (status, body) =
        post_json(&format!("{}batch", emu.webhook_url()), &json!({"cmd": cmd})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["time"]["operating"], 7.0,
        "the batch and its three commands: {body}"
    );
    let (_, direct) = post_json(&format!("{}app.info", emu.webhook_url()), &json!({})).await;
    assert_eq!(
        direct["time"]["operating"], 2.0,
        "only this call counts against app.info"
    );
}

#[tokio::test]
async fn batch_commands_suffer_their_methods_faults() {
    let emu = Emulator::start(Config::new().fault(FaultRule::new("crm.item.add").status(503)))
        .await
        .expect("starts");
    let cmd = json!({
        "a": "crm.item.add?entityTypeId=2&fields[title]=x",
        "b": "crm.item.list?entityTypeId=2",
    });
    let (status, body) =
        post_json(&format!("{}batch", emu.webhook_url()), &json!({"cmd": cmd})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["result_error"]["a"]["error"],
        "QUERY_LIMIT_EXCEEDED"
    );
    assert_eq!(body["result"]["result_total"]["b"], 0);
    assert!(emu.records("crm").is_empty());
}
