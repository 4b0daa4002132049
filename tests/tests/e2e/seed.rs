//! The seed method `imbot.command.update` over real HTTP against the emulator: the documented
//! request, the documented answers, every documented error, every system error. Answers the
//! emulator would not give by itself are injected with `Fault::Respond`.

#![allow(deprecated)] // imbot.command.update is deprecated upstream; it is still the seed.

use std::path::Path;

use bitrix_codegen::{check_all, load_dir};
use bitrix_mock::{Config, Emulator, Fault};
use bitrix_rest::{Client, Error, Method, SystemError};

/// The seed spec, read with its folder (whose `_types.toml` it uses) as the macro reads it.
fn seed_spec() -> bitrix_codegen::Method {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/imbot");
    let checked = check_all(&load_dir(&dir).unwrap());
    checked
        .methods
        .into_iter()
        .find(|m| m.name == "imbot.command.update")
        .unwrap()
}

fn example(name: &str) -> bitrix_codegen::model::Example {
    seed_spec()
        .examples
        .into_iter()
        .find(|e| e.name == name)
        .unwrap()
}

fn seed_request() -> bitrix_rest::api::imbot::command::Update {
    let fields = bitrix_rest::api::imbot::command::update::Fields::new()
        .command("echo2")
        .event_command_add("https://example.com/bot/command.php")
        .hidden(false)
        .extranet_support(true)
        .lang(vec![
            bitrix_rest::api::imbot::CommandLang::new("de", "Echo 2").params("text"),
            bitrix_rest::api::imbot::CommandLang::new("en", "Echo 2").params("text"),
        ]);
    bitrix_rest::api::imbot::command::Update::new(99, fields)
        .client_id("**put_your_client_id_here**")
}

async fn start() -> (Emulator, Client) {
    let emu = Emulator::start(Config::new()).await.unwrap();
    // Pacing and retries off: these tests read single scripted answers, limits included.
    let client = Client::builder()
        .plan(bitrix_rest::Plan::Unlimited)
        .retry(bitrix_rest::RetryPolicy::none())
        .webhook(&emu.webhook_url())
        .unwrap();
    (emu, client)
}

fn respond(emu: &Emulator, status: u16, body: impl Into<String>) {
    emu.inject(
        Fault::Respond {
            status,
            body: body.into(),
        },
        1,
    );
}

#[test]
fn typed_request_serializes_to_the_documented_body() {
    let expected = example("update_command").request.unwrap();
    assert_eq!(serde_json::to_value(seed_request()).unwrap(), expected);
}

#[tokio::test]
async fn documented_success_decodes_to_true_with_time() {
    let (emu, client) = start().await;
    respond(
        &emu,
        200,
        example("update_command").response.unwrap().to_string(),
    );
    let answer = client.call(&seed_request()).await.unwrap();
    assert!(answer.result);
    let time = answer.time.expect("time is kept");
    assert_eq!(time.start, 1772103002.0);
    assert_eq!(time.operating_reset_at, Some(1772103603));
    assert_eq!(time.date_finish, "2026-02-26T13:50:03+01:00");
    assert_eq!(emu.calls()[0].method, "imbot.command.update");
}

#[tokio::test]
async fn each_documented_error_row_decodes_to_its_own_variant() {
    let (emu, client) = start().await;
    let spec = seed_spec();
    let expected = [
        bitrix_rest::api::imbot::command::update::Error::CommandId,
        bitrix_rest::api::imbot::command::update::Error::AppId,
        bitrix_rest::api::imbot::command::update::Error::EventCommandAdd,
        bitrix_rest::api::imbot::command::update::Error::EmptyFields,
        bitrix_rest::api::imbot::command::update::Error::UpdateFailed,
    ];
    assert_eq!(spec.errors.len(), expected.len());
    for (row, want) in spec.errors.iter().zip(expected) {
        let body = serde_json::json!({"error": row.code, "error_description": row.description});
        respond(&emu, row.status, body.to_string());
        match client.call(&seed_request()).await {
            Err(Error::Method(e)) => {
                assert_eq!(e.kind, want, "{}", row.code);
                assert_eq!(e.status, row.status);
                assert_eq!(Some(e.description.as_str()), row.description.as_deref());
            }
            other => panic!("{}: {other:?}", row.code),
        }
    }
}

#[tokio::test]
async fn the_documented_error_example_is_empty_fields() {
    let (emu, client) = start().await;
    let ex = example("empty_fields");
    respond(&emu, ex.status, ex.response.unwrap().to_string());
    let err = client.call(&seed_request()).await.unwrap_err();
    assert_eq!(
        err.method(),
        Some(&bitrix_rest::api::imbot::command::update::Error::EmptyFields)
    );
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn each_system_error_decodes_to_its_own_variant() {
    let (emu, client) = start().await;
    for kind in SystemError::ALL {
        let body = serde_json::json!({"error": kind.code(), "error_description": "x"});
        respond(&emu, kind.status(), body.to_string());
        let err = client.call(&seed_request()).await.unwrap_err();
        assert_eq!(err.system(), Some(kind), "{}", kind.code());
        assert_eq!(err.status(), Some(kind.status()));
    }
}

#[tokio::test]
async fn unknown_codes_are_kept() {
    let (emu, client) = start().await;
    respond(
        &emu,
        400,
        r#"{"error":"BRAND_NEW_CODE","error_description":"Something new"}"#,
    );
    match client.call(&seed_request()).await {
        Err(Error::Method(e)) => match e.kind {
            bitrix_rest::api::imbot::command::update::Error::Unknown(u) => {
                assert_eq!(u.code, "BRAND_NEW_CODE");
                assert_eq!(u.description, "Something new");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // A shared code with a description the spec does not know is not guessed.
    respond(
        &emu,
        400,
        r#"{"error":"WRONG_REQUEST","error_description":"Other text"}"#,
    );
    let err = client.call(&seed_request()).await.unwrap_err();
    assert!(matches!(
        err.method(),
        Some(bitrix_rest::api::imbot::command::update::Error::Unknown(_))
    ));
}

#[tokio::test]
async fn odd_answers_are_typed_errors_that_keep_the_body() {
    let (emu, client) = start().await;
    for (status, body) in [
        (200, r#"{"error":"","error_description":""}"#),
        (502, "<html>Bad gateway</html>"),
        (200, r#"{"result":"not a bool"}"#),
        (200, ""),
    ] {
        respond(&emu, status, body);
        match client.call(&seed_request()).await {
            Err(Error::UnexpectedResponse(u)) => {
                assert_eq!(u.status, status);
                assert_eq!(u.body, body);
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    // An empty code with an error status is an error without a code, typed with its status.
    respond(&emu, 500, r#"{"error":"","error_description":""}"#);
    match client.call(&seed_request()).await {
        Err(Error::System(e)) => {
            assert_eq!((e.kind, e.status), (bitrix_rest::SystemError::Uncoded, 500))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn ids_decode_from_numbers_and_quoted_strings() {
    let (emu, client) = start().await;
    let lang = vec![bitrix_rest::api::imbot::CommandLang::new("en", "Echo")];
    let req =
        bitrix_rest::api::imbot::command::Register::new(1, "echo", "https://example.com/h", lang)
            .client_id("app");
    for body in [r#"{"result":99}"#, r#"{"result":"99"}"#] {
        respond(&emu, 200, body);
        assert_eq!(client.call(&req).await.unwrap().result, 99);
    }
}

#[tokio::test]
async fn empty_fields_and_bad_urls_are_refused_before_sending() {
    let (emu, client) = start().await;
    let empty = bitrix_rest::api::imbot::command::Update::new(
        99,
        bitrix_rest::api::imbot::command::update::Fields::new(),
    );
    match client.call(&empty).await {
        Err(Error::InvalidRequest(e)) => assert_eq!(e.path(), "FIELDS"),
        other => panic!("{other:?}"),
    }
    let bad_url = bitrix_rest::api::imbot::command::Update::new(
        99,
        bitrix_rest::api::imbot::command::update::Fields::new().event_command_add("ftp://x"),
    );
    match client.call(&bad_url).await {
        Err(Error::InvalidRequest(e)) => assert_eq!(e.path(), "FIELDS.EVENT_COMMAND_ADD"),
        other => panic!("{other:?}"),
    }
    assert!(emu.calls().is_empty(), "nothing was sent");
    assert!(<bitrix_rest::api::imbot::command::Update as Method>::NAME == "imbot.command.update");
}

#[tokio::test]
async fn a_webhook_call_missing_a_webhook_required_parameter_is_not_sent() {
    let (emu, client) = start().await;
    let fields = bitrix_rest::api::imbot::command::update::Fields::new().command("x");
    let req = bitrix_rest::api::imbot::command::Update::new(5, fields);
    match client.call(&req).await {
        Err(Error::InvalidRequest(e)) => assert_eq!(e.path(), "CLIENT_ID"),
        other => panic!("{other:?}"),
    }
    assert!(emu.calls().is_empty(), "nothing was sent");
}
