//! The binary prints its addresses and credentials, then `ready`, and serves the webhook.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::json;

/// Kills the child even when an assertion fails.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_prints_credentials_then_ready_and_serves() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_bitrix-mock"))
            .args([
                "--addr",
                "127.0.0.1:0",
                "--plan",
                "enterprise",
                "--token-ttl",
                "120",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary runs"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut values = std::collections::BTreeMap::new();
    // Bounded: the binary prints seven lines and `ready`.
    for _ in 0..20 {
        let line = lines.next().expect("a line before ready").expect("utf-8");
        if line == "ready" {
            break;
        }
        let (k, v) = line.split_once('=').expect("key=value");
        values.insert(k.to_string(), v.to_string());
    }
    for key in [
        "webhook",
        "portal",
        "access_token",
        "refresh_token",
        "client_id",
        "client_secret",
        "application_token",
    ] {
        assert!(
            values.get(key).is_some_and(|v| !v.is_empty()),
            "missing {key}: {values:?}"
        );
    }
    let webhook = &values["webhook"];
    assert!(webhook.starts_with(values["portal"].as_str()) && webhook.contains("/rest/1/"));
    let resp = reqwest::Client::new()
        .post(format!("{webhook}user.current"))
        .json(&json!({}))
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 200);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert!(body["result"].is_object());
    let oauth = reqwest::Client::new()
        .post(format!("{}rest/app.info", values["portal"]))
        .json(&json!({"auth": values["access_token"]}))
        .send()
        .await
        .expect("answer");
    assert_eq!(oauth.status().as_u16(), 200);
}

/// Starts the binary with `args` and returns it with its `webhook=` address once `ready`.
fn start(args: &[&str]) -> (Child, String) {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_bitrix-mock"))
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary runs"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut webhook = String::new();
    for line in BufReader::new(stdout).lines().take(20) {
        let line = line.expect("utf-8");
        if let Some(url) = line.strip_prefix("webhook=") {
            webhook = url.to_string();
        }
        if line == "ready" {
            break;
        }
    }
    assert!(!webhook.is_empty(), "no webhook line");
    (child, webhook)
}

#[tokio::test]
async fn binary_takes_specs_faults_and_a_seed() {
    let specs = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/specs");
    let (_child, webhook) = start(&[
        "--specs",
        specs,
        "--fault",
        "crm.contact.list:rate=1:status=503:code=QUERY_LIMIT_EXCEEDED",
        "--seed",
        "7",
        "--call-log",
        "100",
    ]);
    let http = reqwest::Client::new();
    let added = http
        .post(format!("{webhook}crm.contact.add"))
        .json(&json!({"fields": {"NAME": "Ann"}}))
        .send()
        .await
        .expect("answer");
    assert_eq!(added.status().as_u16(), 200);
    let body: serde_json::Value = added.json().await.expect("json");
    assert_eq!(body["result"], 1);
    let listed = http
        .post(format!("{webhook}crm.contact.list"))
        .json(&json!({}))
        .send()
        .await
        .expect("answer");
    assert_eq!(listed.status().as_u16(), 503);
    // Only the test specs are served.
    let other = http
        .post(format!("{webhook}user.current"))
        .json(&json!({}))
        .send()
        .await
        .expect("answer");
    assert_eq!(other.status().as_u16(), 404);
}

#[test]
fn binary_refuses_a_bad_fault() {
    let out = Command::new(env!("CARGO_BIN_EXE_bitrix-mock"))
        .args(["--fault", "crm.item.add:rate=lots"])
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fault"));
}
