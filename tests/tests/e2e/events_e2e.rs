//! Incoming events end to end over loopback: the emulator delivers, an axum bot verifies and
//! answers through the client, the answer lands in the emulator's chat log.
#![allow(deprecated)]

use std::sync::Arc;

use bitrix_mock::{Config, Emulator};
use bitrix_rest::events::{Event, Receiver};
use bitrix_rest::Client;

struct Setup {
    emu: Emulator,
    bot_id: u64,
    handler: String,
}

/// Starts the emulator and an echo bot (with `token` as its application token) and registers
/// the bot and `/echo` pointing at the bot's server.
async fn setup(token: Option<&str>) -> Setup {
    let emu = Emulator::start(Config::new()).await.unwrap();
    // The emulator runs unlimited here, so the client need not pace itself either.
    let client = Client::builder()
        .plan(bitrix_rest::Plan::Unlimited)
        .webhook(&emu.webhook_url());
    let client = Arc::new(client.unwrap());
    let token = token.map_or_else(|| emu.credentials().application_token, str::to_string);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let handler = format!("http://{}/", listener.local_addr().unwrap());
    let c = client.clone();
    let app = bitrix_rest::events::axum::router(Receiver::new(token), move |incoming| {
        let c = c.clone();
        async move {
            if let Event::OnImCommandAdd(cmd) = incoming.event {
                for e in cmd.command.unwrap_or_default().into_values() {
                    let answer =
                        bitrix_rest::api::imbot::command::Answer::new(e.message_id.unwrap())
                            .command_id(e.command_id.unwrap())
                            .message(e.command_params.unwrap_or_default())
                            .client_id("e2e");
                    c.call(&answer).await.unwrap();
                }
            }
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    let reg = bitrix_rest::api::imbot::Register::new(
        "e2e_bot",
        bitrix_rest::api::imbot::register::Properties::new().name("E2E"),
    )
    .event_handler(handler.clone())
    .client_id("e2e");
    let bot_id = client.call(&reg).await.unwrap().result;
    let lang = vec![bitrix_rest::api::imbot::CommandLang::new("en", "Echo")];
    let cmd =
        bitrix_rest::api::imbot::command::Register::new(bot_id, "echo", handler.clone(), lang)
            .client_id("e2e");
    client.call(&cmd).await.unwrap();
    Setup {
        emu,
        bot_id: bot_id as u64,
        handler,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_is_delivered_and_answered() {
    let s = setup(None).await;
    let report = s
        .emu
        .user_writes(s.bot_id, "/echo hello world")
        .await
        .unwrap();
    assert_eq!(report.event, "ONIMCOMMANDADD");
    assert_eq!(report.status, 200, "{report:?}");
    let log = s.emu.messages();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].message, "hello world");
    assert_eq!(log[0].reply_to, Some(report.message_id));
    // A plain message goes to EVENT_MESSAGE_ADD; this bot acknowledges it without answering.
    let report = s.emu.user_writes(s.bot_id, "just text").await.unwrap();
    assert_eq!(
        (report.event.as_str(), report.status),
        ("ONIMBOTMESSAGEADD", 200)
    );
    assert_eq!(s.emu.messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_token_gets_401_and_no_answer() {
    let s = setup(Some("not-the-emulator-token")).await;
    let report = s.emu.user_writes(s.bot_id, "/echo hello").await.unwrap();
    assert_eq!(report.status, 401, "{report:?}");
    assert!(s.emu.messages().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_get_400_and_the_server_lives_on() {
    let s = setup(None).await;
    let http = reqwest::Client::new();
    let token = s.emu.credentials().application_token;
    for (ct, body) in [
        ("application/x-www-form-urlencoded", format!("a[b=1&auth[application_token]={token}")),
        ("application/x-www-form-urlencoded", format!("auth[application_token]={token}")),
        ("application/json", "{not json".to_string()),
        ("application/x-www-form-urlencoded", format!("event=ONIMCOMMANDADD&data[COMMAND][1][COMMAND_ID]=x&auth[application_token]={token}")),
        // Signed: the token is checked before anything is decoded, so an unsigned one is a 401.
        ("application/x-www-form-urlencoded", format!("%ff%fe=%zz&auth[application_token]={token}")),
    ] {
        let r = http
            .post(&s.handler)
            .header("content-type", ct)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 400, "{body}");
    }
    let r = http
        .post(&s.handler)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("event=X")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(s.emu.messages().is_empty());
    let report = s
        .emu
        .user_writes(s.bot_id, "/echo still here")
        .await
        .unwrap();
    assert_eq!(report.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_parallel_events_are_each_answered_once() {
    let s = Arc::new(setup(None).await);
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move { s.emu.user_writes(s.bot_id, &format!("/echo n{i}")).await })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        let report = t.await.unwrap().unwrap();
        assert_eq!(report.status, 200);
        ids.push(report.message_id);
    }
    let log = s.emu.messages();
    assert_eq!(log.len(), 100);
    for i in 0..100 {
        assert_eq!(
            log.iter().filter(|m| m.message == format!("n{i}")).count(),
            1,
            "n{i}"
        );
    }
    for id in ids {
        assert_eq!(log.iter().filter(|m| m.reply_to == Some(id)).count(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_over_large_body_gets_413_unread() {
    let s = setup(None).await;
    let token = s.emu.credentials().application_token;
    // Over the receiver's 1 MiB default, and signed: the size alone refuses it.
    let body = format!(
        "event=ONIMCOMMANDADD&auth[application_token]={token}&data[X]={}",
        "a".repeat(2 * 1024 * 1024)
    );
    let r = reqwest::Client::new()
        .post(&s.handler)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    assert!(s.emu.messages().is_empty());
}
