//! Network and input robustness (issue 14): stalled clients are cut off, the call log is bounded,
//! multi-byte command text and NaN values are handled. Each of these failed before its fix.

use crate::common;

use std::time::Duration;

use bitrix_mock::{Bot, Command, Config, Emulator};
use common::post_json;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; `None` when it is still open after `bound`
/// (the test's upper limit, far above the emulator's timeout, not a synchronisation sleep).
async fn read_until_closed(stream: &mut TcpStream, bound: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(bound, read).await.ok()?;
    Some(String::from_utf8_lossy(&got).into_owned())
}

#[tokio::test]
async fn a_client_stalling_in_its_headers_is_cut_off() {
    let emu = Emulator::start(Config::new().header_timeout(Duration::from_millis(200)))
        .await
        .expect("starts");
    let mut stream = TcpStream::connect(emu.addr()).await.expect("connects");
    stream
        .write_all(b"POST /rest/1/x/user.current HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        .await
        .expect("half a request sent");
    let answer = read_until_closed(&mut stream, Duration::from_secs(20)).await;
    assert!(answer.is_some(), "the connection is still held open");
    // The server still serves others.
    let url = format!("{}user.current", emu.webhook_url());
    assert_eq!(post_json(&url, &json!({})).await.0, 200);
}

#[tokio::test]
async fn a_silent_connection_is_cut_off() {
    let emu = Emulator::start(Config::new().header_timeout(Duration::from_millis(200)))
        .await
        .expect("starts");
    let mut stream = TcpStream::connect(emu.addr()).await.expect("connects");
    let answer = read_until_closed(&mut stream, Duration::from_secs(20)).await;
    assert!(answer.is_some(), "the connection is still held open");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_cut_off() {
    let emu = Emulator::start(Config::new().header_timeout(Duration::from_millis(200)))
        .await
        .expect("starts");
    let mut stream = TcpStream::connect(emu.addr()).await.expect("connects");
    let request = format!(
        "GET /rest/1/{}/user.current HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        emu.credentials().webhook_code
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    // The answer arrives, then the connection idles until the server closes it.
    let answer = read_until_closed(&mut stream, Duration::from_secs(20))
        .await
        .expect("the idle connection is closed");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_client_stalling_in_its_body_gets_408_and_is_cut_off() {
    let emu = Emulator::start(Config::new().body_timeout(Duration::from_millis(200)))
        .await
        .expect("starts");
    let creds = emu.credentials();
    let mut stream = TcpStream::connect(emu.addr()).await.expect("connects");
    let head = format!(
        "POST /rest/1/{}/user.current HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"a\":",
        creds.webhook_code
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    let answer = read_until_closed(&mut stream, Duration::from_secs(20))
        .await
        .expect("the connection is closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
}

#[tokio::test]
async fn the_call_log_keeps_only_the_latest_calls() {
    let emu = Emulator::start(Config::new().call_log(3))
        .await
        .expect("starts");
    let hook = emu.webhook_url();
    for method in ["user.current", "app.info", "profile", "scope", "methods"] {
        post_json(&format!("{hook}{method}"), &json!({})).await;
    }
    let methods: Vec<String> = emu.calls().into_iter().map(|c| c.method).collect();
    assert_eq!(methods, ["profile", "scope", "methods"]);
    // Zero keeps none.
    let quiet = Emulator::start(Config::new().call_log(0))
        .await
        .expect("starts");
    post_json(&format!("{}user.current", quiet.webhook_url()), &json!({})).await;
    assert!(quiet.calls().is_empty());
}

#[tokio::test]
async fn multi_byte_text_after_the_slash_does_not_panic() {
    let emu = Emulator::start(Config::new()).await.expect("starts");
    let bot = emu.seed_bot(Bot::new("b", "app"));
    // A command named like the word, so the text is parsed as that command.
    emu.seed_command(Command::new(bot, "éé", "app"));
    for text in ["/ éé", "/éé", "/éé ünïcødé params", "/  ", "/"] {
        // The handlers are not on loopback, so delivery is refused; what matters is that
        // preparing the event returns instead of panicking on a slice inside a character.
        let outcome = emu.user_writes(bot, text).await;
        let err = outcome.expect_err("handlers are not on loopback");
        assert_eq!(
            err.kind(),
            std::io::ErrorKind::InvalidInput,
            "{text}: {err}"
        );
    }
}

#[tokio::test]
async fn nan_values_sort_in_a_total_order() {
    let emu = Emulator::start(Config::new()).await.expect("starts");
    // Every third amount is "NaN" text; the others count down. With NaN "equal" to everything
    // (the old `partial_cmp` fallback) the NaN rows stayed where they were and split the numbers;
    // `total_cmp` puts them after every number.
    let items = (1..=120)
        .map(|id| {
            let v = if id % 3 == 0 {
                json!("NaN")
            } else {
                json!(1000 - id)
            };
            json!({"id": id, "entityTypeId": 2, "opportunity": v})
        })
        .collect();
    emu.seed_list("crm.item.list", items);
    let url = format!("{}crm.item.list", emu.webhook_url());
    let mut seen = Vec::new();
    for start in [0, 50, 100] {
        let (status, body) = post_json(
            &url,
            &json!({"entityTypeId": 2, "order": {"opportunity": "ASC"}, "start": start}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let page = body["result"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        seen.extend(page.iter().filter_map(|i| i["id"].as_i64()));
    }
    let mut expected: Vec<i64> = (1..=120).filter(|id| id % 3 != 0).rev().collect();
    expected.extend((1..=120).filter(|id| id % 3 == 0));
    assert_eq!(seen, expected);
}
