//! REST 3.0 end to end against the emulator: `/rest/api/` addresses, the item envelope, typed v3
//! errors with their validation rows, and `Idempotency-Key`: a write whose connection drops after
//! the portal ran it is retried with the same key and exists once; replays are visible; a key
//! reused with another body and an invalid key are refused.

/// Typed REST 3.0 methods from the test specs the emulator also serves.
mod v3 {
    bitrix_macros::include_specs!("specs_v3");
}

use crate::common;

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

/// The two forms of rest-v3.md, built with the typed builders: `select` through a related
/// object, and a filter with an OR group.
#[test]
fn typed_select_and_filter_send_the_documented_forms() {
    use bitrix_rest::v3::{Filter, Select};
    use task::list::Task;
    let get = task::Get::new(3835).select(
        Select::<task::get::Task>::new()
            .field(|t| t.responsible().name())
            .field(|t| t.responsible().email()),
    );
    assert_eq!(
        serde_json::to_value(&get).unwrap(),
        json!({"id": 3835, "select": ["responsible.name", "responsible.email"]})
    );
    let filter = Filter::<Task>::new()
        .eq(|t| t.title(), "NEW")
        .any_of(|g| g.is_in(|t| t.id(), [1, 2]).is_in(|t| t.id(), [3, 4, 5]));
    let list = task::List::new().filter(filter.clone());
    assert_eq!(
        serde_json::to_value(&list).unwrap()["filter"],
        json!([["title", "=", "NEW"], {"logic": "or", "conditions": [["id", "in", [1, 2]], ["id", "in", [3, 4, 5]]]}])
    );
    // Every operator of the page's table, and a field the spec does not name.
    let all = Filter::<Task>::new()
        .ne(|t| t.title(), "CLOSED")
        .gt(|t| t.priority(), 1)
        .ge(|t| t.priority(), 1)
        .lt(|t| t.priority(), 3)
        .le(|t| t.priority(), 3)
        .between(|t| t.created_date(), "2025-01-01", "2025-12-31")
        .raw("ufCrmTask", bitrix_rest::v3::Op::Eq, "D_1");
    let ops: Vec<_> = all
        .to_json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].clone())
        .collect();
    assert_eq!(
        ops,
        [
            json!("!="),
            json!(">"),
            json!(">="),
            json!("<"),
            json!("<="),
            json!("between"),
            json!("=")
        ]
    );
    assert_eq!(
        all.to_json()[5],
        json!(["createdDate", "between", ["2025-01-01", "2025-12-31"]])
    );
}

#[tokio::test]
async fn a_typed_filter_and_select_narrow_a_list_on_the_emulator() {
    use bitrix_rest::v3::{Filter, Select};
    use task::list::Task;
    let (_emu, client) = start().await;
    let mut ids = Vec::new();
    for (title, priority) in [("a", 1), ("b", 2), ("c", 3), ("d", 2)] {
        let fields = task::add::Task::new()
            .title(title)
            .priority(priority)
            .description("text");
        let added = client.call(&task::Add::new(fields)).await.unwrap();
        ids.push(added.result.item.id.unwrap());
    }
    // priority = 2 AND (title = "b" OR id = the third task) -> only "b".
    let filter = Filter::<Task>::new()
        .eq(|t| t.priority(), 2)
        .any_of(|g| g.eq(|t| t.title(), "b").eq(|t| t.id(), ids[2]));
    let list = task::List::new()
        .filter(filter)
        .select(Select::<Task>::new().field(|t| t.id()).field(|t| t.title()));
    let answer = client.call(&list).await.unwrap();
    let titles: Vec<_> = answer.result.iter().map(|t| t.title.clone()).collect();
    assert_eq!(titles, [Some("b".to_string())]);
    assert_eq!(answer.result[0].description, None, "not selected");
    // `in` and `between`.
    let filter = Filter::<Task>::new()
        .is_in(|t| t.id(), [ids[0], ids[3]])
        .between(|t| t.priority(), 2, 3);
    let answer = client
        .call(&task::List::new().filter(filter))
        .await
        .unwrap();
    let got: Vec<_> = answer.result.iter().map(|t| t.id).collect();
    assert_eq!(got, [Some(ids[3])]);
}

#[tokio::test]
async fn a_v3_batch_answers_typed_results_in_order() {
    use bitrix_rest::v3::Batch;
    let (emu, client) = start().await;
    let first = client
        .call(&task::Add::new(task::add::Task::new().title("first")))
        .await
        .unwrap()
        .result
        .item
        .id
        .unwrap();
    let mut batch = Batch::new();
    let add = batch
        .add(&task::Add::new(task::add::Task::new().title("second")))
        .unwrap();
    let get = batch.add(&task::Get::new(first)).unwrap();
    let raw = batch
        .add_raw("tasks.task.get", json!({"id": first}))
        .unwrap();
    // A REST 2 method does not belong in a REST 3.0 batch, nor the reverse: refused before sending.
    assert!(batch.add(&bitrix_rest::api::user::Current::new()).is_err());
    let mut rest2 = bitrix_rest::Batch::new();
    assert!(rest2.add("t", &task::Get::new(first)).is_err());
    let answers = client.batch_v3(&batch).await.unwrap();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers.requests(), 1);
    assert_eq!(
        answers.get(&get).unwrap().result.item.title.as_deref(),
        Some("first")
    );
    let second = answers.get(&add).unwrap().result.item;
    assert_eq!(second.title.as_deref(), Some("second"));
    assert_eq!(
        answers.get_raw(&raw).unwrap()["item"]["title"],
        json!("first")
    );
    // One request to /rest/api/batch, holding a JSON list.
    let calls: Vec<_> = emu
        .calls()
        .into_iter()
        .filter(|c| c.method == "batch")
        .collect();
    assert_eq!(calls.len(), 1);
    assert_eq!(emu.records("tasks.task").len(), 2);
}

#[tokio::test]
async fn a_failing_v3_batch_command_fails_the_batch_with_the_v3_error() {
    use bitrix_rest::v3::Batch;
    let (_emu, client) = start().await;
    let mut batch = Batch::new();
    batch.add(&task::Get::new(999_999)).unwrap();
    let failed = client.batch_v3(&batch).await.unwrap_err();
    match failed.error {
        Error::Method(e) => assert!(
            e.code.starts_with("BITRIX_REST_V3_") || e.status == 404,
            "{e:?}"
        ),
        Error::System(e) => assert_eq!(e.status, 404, "{e:?}"),
        other => panic!("{other:?}"),
    }
    assert!(failed.completed.is_empty());
}

#[tokio::test]
async fn a_v3_batch_with_a_write_dropped_after_running_is_retried_and_runs_once() {
    use bitrix_rest::v3::Batch;
    let (emu, client) = start().await;
    let mut batch = Batch::new();
    let add = batch
        .add(&task::Add::new(task::add::Task::new().title("once")))
        .unwrap();
    emu.inject(Fault::DropAfterRunning, 1);
    let answers = client.batch_v3(&batch).await.unwrap();
    assert_eq!(
        answers.get(&add).unwrap().result.item.title.as_deref(),
        Some("once")
    );
    assert_eq!(
        emu.records("tasks.task").len(),
        1,
        "the retry was replayed, not run again"
    );
    let batches = emu
        .calls()
        .into_iter()
        .filter(|c| c.method == "batch")
        .count();
    assert_eq!(batches, 2, "one dropped try, one retry");
}

#[tokio::test]
async fn an_oauth_v3_batch_sends_its_token_in_the_address() {
    use bitrix_rest::v3::Batch;
    let (emu, _) = start().await;
    let client = Client::oauth(common::oauth(&emu)).unwrap();
    let mut batch = Batch::new();
    let add = batch
        .add(&task::Add::new(task::add::Task::new().title("by app")))
        .unwrap();
    let answers = client.batch_v3(&batch).await.unwrap();
    assert_eq!(
        answers.get(&add).unwrap().result.item.title.as_deref(),
        Some("by app")
    );
}

#[tokio::test]
async fn a_typed_select_of_related_fields_answers_that_part_of_the_related_object() {
    use bitrix_rest::v3::Select;
    let (emu, client) = start().await;
    // The emulator's record holds the related user as an object (the test spec's `add` does not
    // type it, so it goes in raw).
    emu.seed_list(
        "tasks.task.list",
        vec![json!({"id": 5, "title": "owned", "description": "d",
                    "responsible": {"name": "Ann", "email": "ann@example.com"}})],
    );
    let select = Select::<task::get::Task>::new()
        .field(|t| t.title())
        .field(|t| t.responsible().name());
    let got = client
        .call(&task::Get::new(5).select(select))
        .await
        .unwrap()
        .result
        .item;
    assert_eq!(got.title.as_deref(), Some("owned"));
    assert_eq!(got.description, None, "not selected");
    let responsible = got.responsible.flatten().expect("the related object");
    assert_eq!(responsible.name.as_deref(), Some("Ann"));
    assert_eq!(
        responsible.email, None,
        "only `responsible.name` was selected"
    );
}

#[tokio::test]
async fn a_v3_list_streams_every_item_by_pagination_page_and_exports_by_id() {
    use bitrix_rest::v3::Filter;
    use bitrix_rest::FastExport;
    let (emu, client) = start().await;
    let items: Vec<_> = (1..=120)
        .map(|i| json!({"id": i, "title": format!("t{i}"), "priority": i % 3}))
        .collect();
    emu.seed_list("tasks.task.list", items);
    let mut stream = client.stream(&task::List::new());
    let mut ids = Vec::new();
    while let Some(item) = stream.next().await {
        ids.push(item.unwrap().id.unwrap());
    }
    assert_eq!(
        ids,
        (1..=120).collect::<Vec<i64>>(),
        "every item once, in order"
    );
    let pages = emu
        .calls()
        .into_iter()
        .filter(|c| c.method == "tasks.task.list")
        .count();
    assert_eq!(pages, 3, "pages of 50, 50 and 20");
    // Keyset export with the v3 filter form, keeping the request's own condition.
    let only = task::List::new().filter(Filter::new().eq(|t: task::list::TaskRef| t.priority(), 0));
    let mut export = client.export(&only, FastExport::new("id"));
    let mut got = Vec::new();
    while let Some(item) = export.next().await {
        got.push(item.unwrap().id.unwrap());
    }
    assert_eq!(got, (1..=120).filter(|i| i % 3 == 0).collect::<Vec<i64>>());
}
