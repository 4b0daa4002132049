//! `Client::batch` against the emulator: chunking at 50/51/101 commands, references between
//! commands (within a chunk and across chunks), `halt`, and per-command typed errors.

#![allow(deprecated)]

use bitrix_mock::{Bot, Config, Emulator};
use bitrix_rest::{Batch, Client, Error, SystemError};
use serde_json::json;

const APP: &str = "batch-app";

async fn setup() -> (Emulator, Client) {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    (emu, client)
}

fn batch_calls(emu: &Emulator) -> usize {
    emu.calls().iter().filter(|c| c.method == "batch").count()
}

#[tokio::test]
async fn chunks_of_fifty_in_order() {
    let (emu, client) = setup().await;
    emu.seed_bot(Bot::new("b", APP));
    for (n, requests) in [(50, 1), (51, 2), (101, 3)] {
        let before = batch_calls(&emu);
        let mut batch = Batch::new();
        let handles: Vec<_> = (0..n)
            .map(|i| {
                batch
                    .add(&format!("c{i}"), &bitrix_rest::api::imbot::bot::List::new())
                    .unwrap()
            })
            .collect();
        let answers = client.batch(&batch).await.unwrap();
        assert_eq!(answers.requests(), requests, "{n} commands");
        assert_eq!(batch_calls(&emu) - before, requests, "{n} commands");
        assert_eq!(answers.len(), n);
        for h in &handles {
            let bots = answers.get(h).unwrap().result;
            assert_eq!(bots.len(), 1, "{}", h.key());
        }
    }
    // Keys `0..n` come back from PHP as a list; they are still found by key.
    let mut batch = Batch::new();
    let h: Vec<_> = (0..3)
        .map(|i| {
            batch
                .add(&i.to_string(), &bitrix_rest::api::imbot::bot::List::new())
                .unwrap()
        })
        .collect();
    let answers = client.batch(&batch).await.unwrap();
    assert!(h.iter().all(|h| answers.get(h).is_ok()));
}

#[tokio::test]
async fn later_commands_take_earlier_results() {
    let (emu, client) = setup().await;
    let mut batch = Batch::new();
    let props = bitrix_rest::api::imbot::register::Properties::new().name("Ref bot");
    let bot = batch
        .add(
            "bot",
            &bitrix_rest::api::imbot::Register::new("ref_bot", props)
                .event_handler("https://example.com/h")
                .client_id(APP),
        )
        .unwrap();
    let lang = || vec![bitrix_rest::api::imbot::CommandLang::new("en", "Echo")];
    // `BOT_ID` is an integer: the constructor takes an integer or a reference typed `i64`.
    let same_chunk = batch
        .add(
            "same",
            &bitrix_rest::api::imbot::command::Register::new(
                bot.result(),
                "same",
                "https://example.com/c",
                lang(),
            )
            .client_id(APP),
        )
        .unwrap();
    for i in 0..50 {
        batch
            .add(
                &format!("fill{i}"),
                &bitrix_rest::api::imbot::bot::List::new(),
            )
            .unwrap();
    }
    // Command 52 is in the second chunk: the client resolves the reference before sending.
    let next_chunk = batch
        .add(
            "next",
            &bitrix_rest::api::imbot::command::Register::new(
                bot.result(),
                "next",
                "https://example.com/c",
                lang(),
            )
            .client_id(APP),
        )
        .unwrap();
    let answers = client.batch(&batch).await.unwrap();
    assert_eq!(answers.requests(), 2);
    let bot_id = answers.get(&bot).unwrap().result;
    let commands = emu.commands();
    for (h, name) in [(&same_chunk, "same"), (&next_chunk, "next")] {
        let id = answers.get(h).unwrap().result;
        let cmd = commands.iter().find(|c| c.id as i64 == id).unwrap();
        assert_eq!(cmd.command, name);
        assert_eq!(cmd.bot_id as i64, bot_id, "{name}");
    }
    // A field reference renders as the portal expects.
    assert_eq!(bot.field("ID").index(0).to_string(), "$result[bot][ID][0]");
}

#[tokio::test]
async fn references_typed_after_the_result_reach_into_objects_and_maps() {
    let (emu, client) = setup().await;
    let seeded = emu.seed_bot(Bot::new("listed", APP));
    let mut batch = Batch::new();
    let list = batch
        .add("list", &bitrix_rest::api::imbot::bot::List::new())
        .unwrap();
    // `imbot.bot.list` answers a map of bots by ID: `key` picks one, `id()` its `ID` field.
    let listed_id = list.result().key(&seeded.to_string()).id();
    assert_eq!(
        listed_id.reference().to_string(),
        format!("$result[list][{seeded}][ID]")
    );
    let cmd = batch
        .add(
            "cmd",
            &bitrix_rest::api::imbot::command::Register::new(
                listed_id,
                "typed",
                "https://example.com/c",
                vec![bitrix_rest::api::imbot::CommandLang::new("en", "Typed")],
            )
            .client_id(APP),
        )
        .unwrap();
    let answers = client.batch(&batch).await.unwrap();
    let id = answers.get(&cmd).unwrap().result;
    let commands = emu.commands();
    let made = commands.iter().find(|c| c.id as i64 == id).unwrap();
    assert_eq!(made.bot_id, seeded);
}

#[tokio::test]
async fn each_command_gets_its_typed_error() {
    let (emu, client) = setup().await;
    emu.seed_bot(Bot::new("b", APP));
    let mut batch = Batch::new();
    let ok = batch
        .add("ok", &bitrix_rest::api::imbot::bot::List::new())
        .unwrap();
    let unknown = bitrix_rest::api::imbot::command::Update::new(
        987_654,
        bitrix_rest::api::imbot::command::update::Fields::new().command("x"),
    )
    .client_id(APP);
    let bad = batch.add("bad", &unknown).unwrap();
    let raw = batch.add_raw("raw", "no.such.method", json!({})).unwrap();
    let after = batch
        .add("after", &bitrix_rest::api::imbot::bot::List::new())
        .unwrap();
    let answers = client.batch(&batch).await.unwrap();
    assert!(answers.get(&ok).is_ok());
    match answers.get(&bad) {
        Err(Error::Method(e)) => {
            assert_eq!(
                e.kind,
                bitrix_rest::api::imbot::command::update::Error::CommandId
            );
            assert_eq!(e.code, "COMMAND_ID_ERROR");
        }
        other => panic!("{other:?}"),
    }
    let e = answers.get_raw(&raw).unwrap_err();
    assert_eq!(e.system(), Some(&SystemError::ErrorMethodNotFound));
    assert!(
        answers.get(&after).is_ok(),
        "without halt every command runs"
    );
    let mut failed: Vec<_> = answers.failed().collect();
    failed.sort();
    assert_eq!(failed, ["bad", "raw"]);
}

#[tokio::test]
async fn halt_stops_at_the_first_error() {
    let (emu, client) = setup().await;
    emu.seed_bot(Bot::new("b", APP));
    let mut batch = Batch::new().halt(true);
    let first = batch
        .add("first", &bitrix_rest::api::imbot::bot::List::new())
        .unwrap();
    let bad = batch.add_raw("bad", "no.such.method", json!({})).unwrap();
    let third = batch
        .add("third", &bitrix_rest::api::imbot::bot::List::new())
        .unwrap();
    for i in 0..60 {
        batch
            .add(
                &format!("more{i}"),
                &bitrix_rest::api::imbot::bot::List::new(),
            )
            .unwrap();
    }
    let before = batch_calls(&emu);
    let answers = client.batch(&batch).await.unwrap();
    assert!(answers.get(&first).is_ok(), "{:?}", answers.get(&first));
    assert!(answers.get_raw(&bad).is_err());
    assert!(!answers.ran("third"));
    assert!(matches!(answers.get(&third), Err(Error::InvalidRequest(_))));
    // The second chunk is not sent after a halt.
    assert_eq!(answers.requests(), 1);
    assert_eq!(batch_calls(&emu) - before, 1);
    assert_eq!(answers.len(), 2);
}
