//! HTTPS: the emulator serves TLS with a certificate from a CA made at start; a client trusting
//! that CA calls it, a client that does not is refused, and the binary writes the CA to a file.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use bitrix_mock::{Config, Emulator};
use serde_json::{json, Value};

fn client_trusting(ca_pem: &str) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(ca_pem.as_bytes()).expect("the CA parses");
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca)
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_client_trusting_the_ca_calls_over_https() {
    let emu = Emulator::start(Config::new().tls(true)).await.unwrap();
    let webhook = emu.webhook_url();
    assert!(webhook.starts_with("https://127.0.0.1:"), "{webhook}");
    let ca = emu.ca_pem().expect("an HTTPS emulator has a CA");
    let resp = client_trusting(ca)
        .post(format!("{webhook}crm.deal.add"))
        .json(&json!({"fields": {"TITLE": "over TLS"}}))
        .send()
        .await
        .expect("the handshake succeeds");
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert!(
        body["result"].is_number() || body["result"].is_string(),
        "{body}"
    );
    // `localhost` is covered as well as the address.
    let port = emu.addr().port();
    let code = emu.credentials().webhook_code;
    let resp = client_trusting(ca)
        .get(format!(
            "https://localhost:{port}/rest/1/{code}/crm.deal.list"
        ))
        .send()
        .await
        .expect("localhost is in the certificate");
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn a_client_not_trusting_the_ca_is_refused() {
    let emu = Emulator::start(Config::new().tls(true)).await.unwrap();
    // Another emulator's CA is not this one's.
    let other = Emulator::start(Config::new().tls(true)).await.unwrap();
    let strangers = [
        reqwest::Client::builder().build().unwrap(),
        client_trusting(other.ca_pem().unwrap()),
    ];
    for client in strangers {
        let err = client
            .get(format!("{}crm.deal.list", emu.webhook_url()))
            .send()
            .await
            .expect_err("an untrusted certificate is refused");
        assert!(err.is_connect() || err.is_request(), "{err:?}");
    }
    // And plain HTTP to the TLS port gets no REST answer.
    let plain = format!("http://{}/rest/1/x/crm.deal.list", emu.addr());
    let answer = reqwest::get(plain).await;
    assert!(answer.map_or(true, |r| r.status() != 200));
}

#[tokio::test]
async fn a_plain_emulator_has_no_ca() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    assert!(emu.ca_pem().is_none());
    assert!(emu.webhook_url().starts_with("http://"));
}

/// Kills the child even when an assertion fails.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_writes_the_ca_and_prints_its_path() {
    let dir = std::env::temp_dir().join(format!("bitrix-mock-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = dir.join("ca.pem");
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_bitrix-mock"))
            .args(["--addr", "127.0.0.1:0", "--plan", "unlimited", "--tls"])
            .arg("--ca-out")
            .arg(&ca_file)
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary runs"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut values = std::collections::BTreeMap::new();
    for _ in 0..20 {
        let line = lines.next().expect("a line before ready").expect("utf-8");
        if line == "ready" {
            break;
        }
        let (k, v) = line.split_once('=').expect("key=value");
        values.insert(k.to_string(), v.to_string());
    }
    assert_eq!(values["ca"], ca_file.display().to_string());
    let webhook = values["webhook"].clone();
    assert!(webhook.starts_with("https://"), "{webhook}");
    let pem = std::fs::read_to_string(&ca_file).expect("the CA file is written");
    let resp = client_trusting(&pem)
        .get(format!("{webhook}crm.deal.list"))
        .send()
        .await
        .expect("https call");
    assert_eq!(resp.status(), 200);
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
}
