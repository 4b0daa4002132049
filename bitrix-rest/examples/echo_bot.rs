//! An echo bot end to end: an axum server receives `ONIMCOMMANDADD`, verifies its
//! `application_token`, and answers `/echo text` with `text` through `imbot.command.answer`.
//!
//! By default it runs against the emulator, started in-process: it registers the bot and the
//! `/echo` command pointing at itself, has a simulated user write `/echo hello`, prints the
//! answer from the emulator's chat log and exits.
//!
//! Against a real portal, give an incoming webhook with the `imbot` scope, the public address
//! that reaches this server, and the application token events are signed with:
//!
//! ```sh
//! BITRIX24_WEBHOOK_URL=https://PORTAL/rest/1/CODE/ BOT_PUBLIC_URL=https://bot.example.com/ \
//! BITRIX24_APPLICATION_TOKEN=... BOT_LISTEN=0.0.0.0:8080 \
//! cargo run -p bitrix-rest --features axum --example echo_bot
//! ```
//! (then it serves until killed).

#![allow(deprecated)] // the legacy bot API is deprecated upstream; it is what most bots still use

use std::sync::Arc;

use axum::Router;
use bitrix_rest::events::{Event, Incoming, Receiver};
use bitrix_rest::Client;

/// The key a webhook caller ties its bots and commands to.
const CLIENT_ID: &str = "echo-bot-example";

/// Answers every `/echo` command with the text after it.
async fn on_event(client: Arc<Client>, incoming: Incoming) {
    let Event::OnImCommandAdd(cmd) = incoming.event else {
        return; // other events are acknowledged and ignored
    };
    for entry in cmd.command.unwrap_or_default().into_values() {
        let (Some(command_id), Some(message_id)) = (entry.command_id, entry.message_id) else {
            continue;
        };
        let text = entry.command_params.unwrap_or_default();
        let text = if text.is_empty() {
            "(nothing to echo)".into()
        } else {
            text
        };
        let answer = bitrix_rest::api::imbot::command::Answer::new(message_id)
            .command_id(command_id)
            .message(text)
            .client_id(CLIENT_ID);
        if let Err(e) = client.call(&answer).await {
            eprintln!("answer failed: {e}");
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let real = std::env::var("BITRIX24_WEBHOOK_URL")
        .ok()
        .zip(std::env::var("BOT_PUBLIC_URL").ok());
    let emulator = match real {
        Some(_) => None,
        None => Some(bitrix_mock::Emulator::start(bitrix_mock::Config::new()).await?),
    };
    let (client, token, listen) = match (&real, &emulator) {
        (Some((webhook, _)), _) => (
            Client::webhook(webhook)?,
            std::env::var("BITRIX24_APPLICATION_TOKEN")?,
            std::env::var("BOT_LISTEN").unwrap_or_else(|_| "0.0.0.0:8080".into()),
        ),
        (None, Some(emu)) => (
            Client::webhook(&emu.webhook_url())?,
            emu.credentials().application_token,
            "127.0.0.1:0".to_string(),
        ),
        (None, None) => unreachable!("one of the two is set"),
    };
    let client = Arc::new(client);

    // The server: POST / takes events.
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    let local = listener.local_addr()?;
    let handler_client = client.clone();
    let app: Router = bitrix_rest::events::axum::router(Receiver::new(token), move |incoming| {
        on_event(handler_client.clone(), incoming)
    });
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let public = match &real {
        Some((_, url)) => url.clone(),
        None => format!("http://{local}/"),
    };
    println!("events handler: {public} (listening on {local})");

    let properties = bitrix_rest::api::imbot::register::Properties::new().name("Echo bot");
    let register = bitrix_rest::api::imbot::Register::new("echo_bot_example", properties)
        .event_handler(public.clone())
        .client_id(CLIENT_ID);
    let bot_id = client.call(&register).await?.result;
    let lang = vec![bitrix_rest::api::imbot::CommandLang::new("en", "Echo").params("text")];
    let command =
        bitrix_rest::api::imbot::command::Register::new(bot_id, "echo", public.clone(), lang)
            .client_id(CLIENT_ID);
    let command_id = client.call(&command).await?.result;
    println!("bot {bot_id}, command /echo {command_id}");

    let Some(emu) = emulator else {
        println!("serving; write /echo something to the bot");
        server.await??;
        return Ok(());
    };
    let report = emu
        .user_writes(u64::try_from(bot_id)?, "/echo hello")
        .await?;
    println!(
        "user wrote `/echo hello`: {} -> HTTP {}",
        report.event, report.status
    );
    let answer = emu
        .messages()
        .into_iter()
        .find(|m| m.reply_to == Some(report.message_id))
        .ok_or("the bot did not answer")?;
    println!("bot answered: {}", answer.message);
    Ok(())
}
