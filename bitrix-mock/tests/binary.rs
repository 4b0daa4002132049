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
