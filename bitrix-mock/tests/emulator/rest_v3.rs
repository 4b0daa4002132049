//! REST 3.0 at `/rest/api/` over raw HTTP, on the test specs `tasks.task.*` (`rest = 3`): the
//! same store, `result.item`/`result.items`, v3 errors, and `Idempotency-Key` replays.

use crate::common;

use bitrix_mock::{Config, Emulator};
use common::post_json;
use serde_json::{json, Value};

async fn emulator() -> Emulator {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/specs");
    Emulator::start(Config::new().specs_dir(dir))
        .await
        .expect("emulator starts on the test specs")
}

/// The REST 3.0 webhook address.
fn v3(emu: &Emulator) -> String {
    emu.webhook_url().replacen("/rest/", "/rest/api/", 1)
}

/// POSTs JSON with an optional `Idempotency-Key`; returns status, the two idempotency headers
/// and the body.
async fn call(
    url: &str,
    body: &Value,
    key: Option<&str>,
) -> (u16, Option<String>, Option<String>, Value) {
    let mut req = reqwest::Client::new().post(url).json(body);
    if let Some(key) = key {
        req = req.header("Idempotency-Key", key);
    }
    let resp = req.send().await.expect("answer");
    let status = resp.status().as_u16();
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (echo, replayed) = (header("idempotency-key"), header("idempotent-replayed"));
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, echo, replayed, body)
}

fn assert_v3_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
}

#[tokio::test]
async fn items_and_item_envelopes_on_the_same_store() {
    let emu = emulator().await;
    let api = v3(&emu);
    for (i, title) in ["one", "two", "three"].iter().enumerate() {
        let (status, _, _, body) = call(
            &format!("{api}tasks.task.add"),
            &json!({"fields": {"title": title, "priority": i}}),
            None,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["result"]["item"]["id"], i + 1);
        assert!(body["result"]["item"]["createdDate"].is_string());
        assert!(body["time"]["operating"].is_number());
    }
    let (_, _, _, got) = call(&format!("{api}tasks.task.get"), &json!({"id": 2}), None).await;
    assert_eq!(got["result"]["item"]["title"], "two");
    let (_, _, _, updated) = call(
        &format!("{api}tasks.task.update"),
        &json!({"id": 2, "fields": {"title": "TWO"}}),
        None,
    )
    .await;
    assert_eq!(updated["result"], json!({"result": true}));
    let (_, _, _, listed) = call(
        &format!("{api}tasks.task.list"),
        &json!({
            "filter": [["priority", ">=", 1], {"logic": "or", "conditions": [["id", [2]], ["title", "=", "three"]]}],
            "order": {"id": "desc"},
            "select": ["title"],
            "pagination": {"page": 1, "limit": 1}
        }),
        None,
    )
    .await;
    assert_eq!(
        listed["result"],
        json!({"items": [{"id": 3, "title": "three"}]})
    );
    assert!(listed.get("total").is_none() && listed.get("next").is_none());
    let (_, _, _, page2) = call(
        &format!("{api}tasks.task.list"),
        &json!({"order": {"id": "desc"}, "pagination": {"page": 2, "limit": 1}}),
        None,
    )
    .await;
    assert_eq!(page2["result"]["items"][0]["title"], "TWO");
    let (_, _, _, deleted) =
        call(&format!("{api}tasks.task.delete"), &json!({"id": 1}), None).await;
    assert_eq!(deleted["result"], json!({"result": true}));
    assert_eq!(emu.records("tasks.task").len(), 2);
}

#[tokio::test]
async fn v3_errors_have_code_message_and_validation() {
    let emu = emulator().await;
    let api = v3(&emu);
    let (status, _, _, body) = call(&format!("{api}tasks.task.get"), &json!({}), None).await;
    assert_eq!(status, 400);
    assert_v3_error(
        &body,
        "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
    );
    assert_eq!(body["error"]["validation"][0]["field"], "id");
    let (status, _, _, body) = call(&format!("{api}tasks.task.get"), &json!({"id": 9}), None).await;
    assert_eq!(status, 400);
    assert_v3_error(&body, "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION");
    assert_eq!(body["error"]["message"], "Record with ID = `9` not found");
    let list = format!("{api}tasks.task.list");
    let (_, _, _, body) = call(&list, &json!({"filter": [["nope", "=", 1]]}), None).await;
    assert_v3_error(
        &body,
        "BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION",
    );
    let (_, _, _, body) = call(&list, &json!({"filter": [["id", "like", 1]]}), None).await;
    assert_v3_error(
        &body,
        "BITRIX_REST_V3_EXCEPTION_UNKNOWNFILTEROPERATOREXCEPTION",
    );
    let (_, _, _, body) = call(&list, &json!({"filter": [["priority", ">", "high"]]}), None).await;
    assert_v3_error(
        &body,
        "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
    );
    // Form bodies are refused: REST 3.0 reads JSON only.
    let resp = reqwest::Client::new()
        .post(format!("{api}tasks.task.add"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("fields[title]=x")
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.expect("json");
    assert_v3_error(&body, "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION");
    // A REST 3.0 method at the old address: 404, as documented.
    let (status, body) = post_json(
        &format!("{}tasks.task.add", emu.webhook_url()),
        &json!({"fields": {"title": "x"}}),
    )
    .await;
    assert_eq!(
        (status, &body["error"]),
        (404, &json!("ERROR_METHOD_NOT_FOUND"))
    );
    // And an old method at the new one.
    let (status, _, _, _) = call(&format!("{api}crm.contact.list"), &json!({}), None).await;
    assert_eq!(status, 404);
    assert!(emu.records("tasks.task").is_empty(), "nothing was added");
}

#[tokio::test]
async fn idempotency_key_replays_refuses_reuse_and_skips_failures() {
    let emu = emulator().await;
    let add = format!("{}tasks.task.add", v3(&emu));
    let body = json!({"fields": {"title": "report"}});
    let (status, echo, replayed, first) = call(&add, &body, Some("key-1")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!((echo.as_deref(), replayed), (Some("key-1"), None));
    let (status, echo, replayed, again) = call(&add, &body, Some("key-1")).await;
    assert_eq!(status, 200);
    assert_eq!(echo.as_deref(), Some("key-1"));
    assert_eq!(replayed.as_deref(), Some("true"));
    assert_eq!(again, first, "the stored answer, time included");
    assert_eq!(emu.records("tasks.task").len(), 1, "ran once");

    // The same key with another body.
    let (status, echo, _, reused) =
        call(&add, &json!({"fields": {"title": "other"}}), Some("key-1")).await;
    assert_eq!(status, 422);
    assert_eq!(echo.as_deref(), Some("key-1"));
    assert_v3_error(
        &reused,
        "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION",
    );
    // Keys are per method: the same key elsewhere is another call.
    let update = format!("{}tasks.task.update", v3(&emu));
    let (status, _, replayed, _) = call(
        &update,
        &json!({"id": 1, "fields": {"title": "x"}}),
        Some("key-1"),
    )
    .await;
    assert_eq!((status, replayed), (200, None));

    // A failed call is not stored: repeating it runs it again (and now succeeds).
    let missing = json!({"id": 2, "fields": {"title": "late"}});
    let (status, _, _, _) = call(&update, &missing, Some("key-2")).await;
    assert_eq!(status, 400);
    call(&add, &json!({"fields": {"title": "second"}}), None).await;
    let (status, _, replayed, _) = call(&update, &missing, Some("key-2")).await;
    assert_eq!((status, replayed), (200, None));

    // Keys outside 1-255 printable ASCII.
    for bad in [String::new(), "k".repeat(256)] {
        let (status, _, _, body) = call(&add, &body, Some(&bad)).await;
        assert_eq!(status, 400, "{bad:?}");
        assert_v3_error(
            &body,
            "BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION",
        );
    }
    assert_eq!(emu.records("tasks.task").len(), 2);

    // After 24 emulated hours the key is free again.
    emu.clock()
        .advance(std::time::Duration::from_secs(24 * 3600 + 1));
    let (status, _, replayed, _) = call(&add, &body, Some("key-1")).await;
    assert_eq!((status, replayed), (200, None));
    assert_eq!(emu.records("tasks.task").len(), 3);
}
