//! The SDK against the emulator over loopback HTTP: typed calls change the emulated portal's
//! state, OAuth renewal round-trips through its token endpoint, and its limits, auth failures
//! and injected faults come back as the right typed errors.

#![allow(deprecated)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitrix_mock::{Bot, Command, Config, Emulator, Fault, Plan};
use bitrix_rest::{Client, Error, SystemError, TransportErrorKind};
use serde_json::json;

const APP: &str = "e2e-app";

async fn register_command(emu: &Emulator, client: &Client) -> i64 {
    let bot = emu.seed_bot(Bot::new("echo_bot", APP)) as i64;
    let lang = vec![bitrix_rest::api::imbot::CommandLang::new("en", "Echo")];
    let req =
        bitrix_rest::api::imbot::command::Register::new(bot, "echo", "https://example.com/h", lang)
            .client_id(APP);
    client.call(&req).await.unwrap().result
}

use crate::common;

use common::oauth;

#[tokio::test]
async fn typed_update_changes_the_portal_state() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    let id = register_command(&emu, &client).await;
    let fields = bitrix_rest::api::imbot::command::update::Fields::new()
        .command("echo2")
        .hidden(true)
        .lang(vec![bitrix_rest::api::imbot::CommandLang::new(
            "de", "Echo 2",
        )]);
    let answer = client
        .call(&bitrix_rest::api::imbot::command::Update::new(id, fields).client_id(APP))
        .await
        .unwrap();
    assert!(answer.result);
    let time = answer.time.unwrap();
    assert!(time.operating.is_some() && time.operating_reset_at.is_some());
    let commands = emu.commands();
    let cmd = commands.iter().find(|c| c.id as i64 == id).unwrap();
    assert_eq!(cmd.command, "echo2");
    assert!(cmd.hidden);
    assert_eq!(cmd.lang, json!([{"LANGUAGE_ID": "de", "TITLE": "Echo 2"}]));
}

#[tokio::test]
async fn documented_errors_come_back_typed() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    let fields = || bitrix_rest::api::imbot::command::update::Fields::new().command("x");
    let err = client
        .call(&bitrix_rest::api::imbot::command::Update::new(4242, fields()).client_id(APP))
        .await
        .unwrap_err();
    assert_eq!(
        err.method(),
        Some(&bitrix_rest::api::imbot::command::update::Error::CommandId)
    );
    let foreign = emu.seed_command(Command::new(1, "theirs", "another-app"));
    let err = client
        .call(
            &bitrix_rest::api::imbot::command::Update::new(foreign as i64, fields()).client_id(APP),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.method(),
        Some(&bitrix_rest::api::imbot::command::update::Error::AppId)
    );
    // What the types refuse locally, the portal refuses too: sent raw.
    let id = register_command(&emu, &client).await;
    let raw = |fields| json!({"COMMAND_ID": id, "FIELDS": fields, "CLIENT_ID": APP});
    let err = client
        .call_raw("imbot.command.update", raw(json!({})))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.status()),
        (Some("WRONG_REQUEST"), Some(400))
    );
    let err = client
        .call_raw(
            "imbot.command.update",
            raw(json!({"EVENT_COMMAND_ADD": "ftp://x"})),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("EVENT_COMMAND_ADD_ERROR"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_token_is_renewed_once_for_twenty_concurrent_calls() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let stored = Arc::new(Mutex::new(Vec::new()));
    let sink = stored.clone();
    let client = Client::builder()
        .on_token_refresh(move |p| sink.lock().unwrap().push(p.clone()))
        .oauth(oauth(&emu))
        .unwrap();
    client.call_raw("imbot.bot.list", json!({})).await.unwrap();
    emu.expire_access_token();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.call_raw("imbot.bot.list", json!({})).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(emu.refresh_count(), 1);
    let now = emu.credentials();
    let stored = stored.lock().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].access_token.expose(), now.access_token);
    assert_eq!(stored[0].refresh_token.expose(), now.refresh_token);
}

#[tokio::test]
async fn system_errors_from_the_portal() {
    let emu = Emulator::start(Config::new().scopes(&["crm"]))
        .await
        .unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    let err = client
        .call_raw("no.such.method", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.system(), Some(&SystemError::ErrorMethodNotFound));
    let err = client
        .call_raw("imbot.bot.list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.system(), Some(&SystemError::InsufficientScope));
    assert_eq!(err.status(), Some(403));
    let wrong = Client::webhook(&format!("{}rest/1/not-the-code/", emu.portal_url())).unwrap();
    let err = wrong
        .call_raw("crm.item.fields", json!({"entityTypeId": 2}))
        .await
        .unwrap_err();
    // As portals answer a wrong webhook code.
    assert_eq!(err.system(), Some(&SystemError::InvalidCredentials));
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn the_rate_limit_answers_query_limit_exceeded() {
    let emu = Emulator::start(Config::new().plan(Plan::Standard).clock_speed(0.0))
        .await
        .unwrap();
    // Client-side pacing and retries off: this test is about the portal's own answer.
    let client = Client::builder()
        .plan(bitrix_rest::Plan::Unlimited)
        .retry(bitrix_rest::RetryPolicy::none())
        .webhook(&emu.webhook_url())
        .unwrap();
    for _ in 0..50 {
        client.call_raw("imbot.bot.list", json!({})).await.unwrap();
    }
    let err = client
        .call_raw("imbot.bot.list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.system(), Some(&SystemError::QueryLimitExceeded));
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn injected_faults_become_typed_errors() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::builder()
        .timeout(Duration::from_millis(300))
        .retry(bitrix_rest::RetryPolicy::none())
        .webhook(&emu.webhook_url())
        .unwrap();
    let call = || client.call_raw("imbot.bot.list", json!({}));

    emu.inject(Fault::Status500, 1);
    assert_eq!(
        call().await.unwrap_err().system(),
        Some(&SystemError::InternalServerError)
    );
    emu.inject(Fault::Status503, 1);
    assert_eq!(
        call().await.unwrap_err().system(),
        Some(&SystemError::QueryLimitExceeded)
    );
    emu.inject(Fault::NotJson, 1);
    match call().await.unwrap_err() {
        Error::UnexpectedResponse(u) => assert!(u.body.contains('<'), "raw body kept: {}", u.body),
        other => panic!("{other:?}"),
    }
    emu.inject(Fault::DropConnection, 1);
    assert!(matches!(call().await.unwrap_err(), Error::Transport(_)));
    emu.inject(Fault::Slow(Duration::from_secs(3)), 1);
    match call().await.unwrap_err() {
        Error::Transport(t) => assert_eq!(t.kind, TransportErrorKind::Timeout),
        other => panic!("{other:?}"),
    }
    // Faults are used up: the next call is answered normally.
    call().await.unwrap();
}

#[tokio::test]
async fn typed_attachments_and_keyboards_reach_the_chat_log_in_both_encodings() {
    use bitrix_rest::Batch;

    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    let bot = emu.seed_bot(Bot::new("rich_bot", APP)) as i64;
    let attach = bitrix_rest::api::imbot::message::add::Attach::new().blocks(vec![
        bitrix_rest::api::imbot::message::add::AttachBlock::new().message("Release notes"),
        bitrix_rest::api::imbot::message::add::AttachBlock::new().link(
            bitrix_rest::api::imbot::message::add::AttachLink::new("https://example.com/notes")
                .name("Read them")
                .width(100),
        ),
    ]);
    let keyboard = bitrix_rest::api::imbot::message::add::Keyboard::new().buttons(vec![
        bitrix_rest::api::imbot::message::add::KeyboardButton::new()
            .text("Again")
            .command("echo")
            .command_params("again")
            .block(true),
        bitrix_rest::api::imbot::message::add::KeyboardButton::new()
            .text("Off")
            .disabled(false),
    ]);
    let message = bitrix_rest::api::imbot::message::Add::new("Here you are")
        .bot_id(bot)
        .dialog_id("chat7")
        .attach(attach)
        .keyboard(keyboard)
        .client_id(APP);
    let expected_attach = json!({"BLOCKS": [
        {"MESSAGE": "Release notes"},
        {"LINK": {"LINK": "https://example.com/notes", "NAME": "Read them", "WIDTH": 100}},
    ]});
    let expected_keyboard = json!({"BUTTONS": [
        {"TEXT": "Again", "COMMAND": "echo", "COMMAND_PARAMS": "again", "BLOCK": "Y"},
        {"TEXT": "Off", "DISABLED": "N"},
    ]});

    // A JSON body.
    client.call(&message).await.unwrap();
    // Inside a batch: a `method?query` string in PHP bracket form, decoded by the portal.
    let mut batch = Batch::new();
    batch.add("m", &message).unwrap();
    client.batch(&batch).await.unwrap();

    let log = emu.messages();
    assert_eq!(log.len(), 2, "{log:?}");
    let (json_body, query) = (&log[0], &log[1]);
    assert_eq!(json_body.attach.as_ref(), Some(&expected_attach));
    // A query string carries text only: the portal reads the number as "100".
    let mut as_text = expected_attach;
    as_text["BLOCKS"][1]["LINK"]["WIDTH"] = json!("100");
    assert_eq!(query.attach.as_ref(), Some(&as_text));
    for m in [json_body, query] {
        assert_eq!(m.dialog_id, "chat7");
        assert_eq!(m.keyboard.as_ref(), Some(&expected_keyboard));
    }
}

/// A missing CRM record is `{"error": "", "error_description": "Not found"}` with HTTP 400 on a
/// portal: a typed error with its text and status, alone and inside a batch, never an
/// unreadable answer.
#[tokio::test]
async fn an_empty_code_not_found_is_a_typed_error() {
    use bitrix_rest::api::crm::deal;
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    let not_found = |e: &Error<deal::get::Error>| match e {
        Error::System(a) => (
            a.kind == SystemError::Uncoded,
            a.code.clone(),
            a.description.clone(),
            a.status,
        ),
        Error::Method(a) => (
            bitrix_rest::MethodError::code(&a.kind).is_empty(),
            a.code.clone(),
            a.description.clone(),
            a.status,
        ),
        other => panic!("not a typed error: {other:?}"),
    };
    let err = client.call(&deal::Get::new(987_654)).await.unwrap_err();
    assert_eq!(
        not_found(&err),
        (true, String::new(), "Not found".to_string(), 400)
    );

    let mut batch = bitrix_rest::Batch::new();
    let missing = batch.add("missing", &deal::Get::new(987_654)).unwrap();
    let answers = client.batch(&batch).await.unwrap();
    let err = answers.get(&missing).unwrap_err();
    assert_eq!(
        not_found(&err),
        (true, String::new(), "Not found".to_string(), 400)
    );
}
