//! REST 3.0 end to end against the emulator: `/rest/api/` addresses, the item envelope, typed v3
//! errors with their validation rows, and `Idempotency-Key`: a write whose connection drops after
//! the portal ran it is retried with the same key and exists once; replays are visible; a key
//! reused with another body and an invalid key are refused.

/// Typed REST 3.0 methods from the test specs the emulator also serves.
mod v3 {
    bitrix_macros::include_specs!("specs_v3");
}

use bitrix_mock::{Config, Emulator, Fault};
use bitrix_rest::{Client, Error, Method};
use serde_json::json;
use v3::tasks::task;

async fn start() -> (Emulator, Client) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs_v3");
    let emu = Emulator::start(Config::new().specs_dir(dir)).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    (emu, client)
}

#[tokio::test]
async fn a_v3_write_dropped_after_running_is_retried_with_its_key_and_exists_once() {
    let (emu, client) = start().await;
    assert_eq!(<task::Add as Method>::REST, 3);
    // The portal runs the write, then the connection drops before the answer.
    emu.inject(Fault::DropAfterRunning, 1);
    let added = client
        .call(&task::Add::new(task::add::Task::new().title("Once")))
        .await
        .unwrap();
    assert!(
        added.replayed,
        "the retry is answered from the stored first answer"
    );
    let id = added.result.item.id.unwrap();
    let stored = emu.records("tasks.task");
    assert_eq!(stored.len(), 1, "written once: {stored:?}");
    assert_eq!(stored[0]["title"], json!("Once"));
    let calls: Vec<_> = emu
        .calls()
        .into_iter()
        .filter(|c| c.method == "tasks.task.add")
        .collect();
    assert_eq!(calls.len(), 2, "one dropped try, one retry");
    assert_eq!(calls[0].status, 0);
    // The record reads back through the same store at the v3 address.
    let got = client.call(&task::Get::new(id)).await.unwrap();
    assert_eq!(got.result.item.title.as_deref(), Some("Once"));
}

#[tokio::test]
async fn an_apps_own_key_replays_and_a_reused_key_with_another_body_is_refused() {
    let (emu, client) = start().await;
    let add = task::Add::new(task::add::Task::new().title("Keyed"));
    let first = client.call_with_key(&add, "order-42").await.unwrap();
    assert!(!first.replayed);
    let again = client.call_with_key(&add, "order-42").await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.result.item.id, first.result.item.id);
    assert_eq!(emu.records("tasks.task").len(), 1);

    let other = task::Add::new(task::add::Task::new().title("Other"));
    match client.call_with_key(&other, "order-42").await {
        Err(Error::Method(e)) => {
            assert_eq!(
                e.code,
                "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION"
            );
            assert_eq!(e.status, 422);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(emu.records("tasks.task").len(), 1);
}

#[tokio::test]
async fn a_key_that_is_not_printable_ascii_is_refused_before_sending() {
    let (emu, client) = start().await;
    let add = task::Add::new(task::add::Task::new().title("x"));
    for key in ["", "ключ", &"k".repeat(256)] {
        match client.call_with_key(&add, key).await {
            Err(Error::InvalidRequest(e)) => assert_eq!(e.path(), "Idempotency-Key"),
            other => panic!("{key:?}: {other:?}"),
        }
    }
    assert!(emu.calls().is_empty());
    // The portal refuses one too, with its v3 error: sent raw, past the client's check.
    let raw = reqwest::Client::new()
        .post(format!(
            "{}tasks.task.add",
            emu.webhook_url().replace("/rest/", "/rest/api/")
        ))
        .header("Idempotency-Key", "k".repeat(256))
        .json(&json!({"fields": {"title": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(
        body["error"]["code"],
        json!("BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION")
    );
}

#[tokio::test]
async fn v3_errors_decode_with_their_validation_rows() {
    let (_emu, client) = start().await;
    // `fields` is required: sent raw without it, the portal answers a v3 validation error.
    match client.call_raw_v3("tasks.task.add", json!({}), None).await {
        Err(Error::Method(e)) => {
            assert!(
                e.code.starts_with("BITRIX_REST_V3_EXCEPTION_"),
                "{}",
                e.code
            );
            assert!(!e.validation.is_empty(), "{e:?}");
            assert!(
                e.validation
                    .iter()
                    .any(|v| v.field.as_deref() == Some("fields")),
                "{:?}",
                e.validation
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_v3_only_method_at_the_rest_2_address_is_not_found() {
    let (_emu, client) = start().await;
    match client
        .call_raw("tasks.task.add", json!({"fields": {"title": "x"}}))
        .await
    {
        Err(Error::System(e)) => {
            assert_eq!(e.code, "ERROR_METHOD_NOT_FOUND");
            assert_eq!(e.status, 404);
        }
        other => panic!("{other:?}"),
    }
}
