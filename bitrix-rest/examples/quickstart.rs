//! The main job: walk a chat bot through the legacy bot API, printing each step.
//!
//! Runs against the emulator (started in-process) unless `BITRIX24_WEBHOOK_URL` names a real
//! portal's incoming webhook (`https://PORTAL/rest/USER_ID/CODE/`, with the `imbot` scope).
//!
//! ```sh
//! cargo run -p bitrix-rest --example quickstart
//! ```

#![allow(deprecated)] // the legacy bot API is deprecated upstream; it is what most bots still use

use std::error::Error as _;

use bitrix_rest::api::imbot::{self, command};
use bitrix_rest::{Batch, Client, Error};

/// The key a webhook caller ties its bots and commands to.
const CLIENT_ID: &str = "quickstart-app";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the emulator alive for the whole run when we use it.
    let (client, _emulator) = match std::env::var("BITRIX24_WEBHOOK_URL") {
        Ok(url) => {
            println!("portal: the webhook in BITRIX24_WEBHOOK_URL");
            (Client::webhook(&url)?, None)
        }
        Err(_) => {
            let emu = bitrix_mock::Emulator::start(bitrix_mock::Config::new()).await?;
            println!("portal: emulator at {}", emu.portal_url());
            (Client::webhook(&emu.webhook_url())?, Some(emu))
        }
    };
    run(&client).await?;
    println!("done");
    Ok(())
}

/// Every call's error converts into the one `bitrix_rest::Error` with `?`.
async fn run(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    step("1. imbot.register");
    let properties = imbot::register::Properties::new()
        .name("Echo bot")
        .color(imbot::register::Color::Green);
    let register = imbot::Register::new("quickstart_echo_bot", properties)
        .event_handler("https://example.com/bot/events")
        .client_id(CLIENT_ID);
    let bot_id = client.call(&register).await?.result;
    println!("   bot id {bot_id}");

    step("2. imbot.command.register");
    let lang = [imbot::CommandLang::new("en", "Echo").params("text")];
    let register = command::Register::new(bot_id, "echo", "https://example.com/bot/command", lang)
        .client_id(CLIENT_ID);
    let command_id = client.call(&register).await?.result;
    println!("   command id {command_id}");

    step("3. imbot.command.update");
    let fields = command::update::Fields::new()
        .command("echo2")
        .hidden(false)
        .extranet_support(true)
        .lang([imbot::CommandLang::new("en", "Echo 2").params("text")]);
    let answer = client
        .call(&command::Update::new(command_id, fields).client_id(CLIENT_ID))
        .await?;
    let operating = answer.time.as_ref().and_then(|t| t.operating);
    println!(
        "   result {} (operating time used: {operating:?} s)",
        answer.result
    );

    step("4. documented errors of imbot.command.update");
    let empty =
        command::Update::new(command_id, command::update::Fields::new()).client_id(CLIENT_ID);
    match client.call(&empty).await {
        Err(Error::InvalidRequest(e)) => println!("   empty FIELDS refused before sending: {e}"),
        other => return Err(format!("empty FIELDS was not refused: {other:?}").into()),
    }
    let no_client_id =
        command::Update::new(command_id, command::update::Fields::new().command("x"));
    match client.call(&no_client_id).await {
        Err(Error::InvalidRequest(e)) => println!("   webhook call without CLIENT_ID refused: {e}"),
        other => {
            return Err(format!("a webhook call without CLIENT_ID was sent: {other:?}").into())
        }
    }
    let raw = serde_json::json!({"COMMAND_ID": command_id, "FIELDS": {}, "CLIENT_ID": CLIENT_ID});
    match client.call_raw("imbot.command.update", raw).await {
        Err(e) => println!("   the portal's answer to empty FIELDS: {e}"),
        Ok(a) => return Err(format!("empty FIELDS was accepted: {a:?}").into()),
    }
    let unknown = command::Update::new(987_654, command::update::Fields::new().command("x"))
        .client_id(CLIENT_ID);
    expect(
        client.call(&unknown).await,
        command::update::Error::CommandId,
    )?;
    let other_app = command::Update::new(command_id, command::update::Fields::new().command("x"))
        .client_id("another-app");
    expect(client.call(&other_app).await, command::update::Error::AppId)?;

    step(
        "5. a batch: a second command on the bot, registered with a reference to the list of bots",
    );
    let mut batch = Batch::new().halt(true);
    let bots = batch.add("bots", &imbot::bot::List::new())?;
    let lang = [imbot::CommandLang::new("en", "Ping")];
    let bot = bots.result().key(&bot_id.to_string()).id();
    let ping = batch.add(
        "ping",
        &command::Register::new(bot, "ping", "https://example.com/bot/command", lang)
            .client_id(CLIENT_ID),
    )?;
    let answers = client.batch(&batch).await?;
    let ping_id = answers.get(&ping)?.result;
    println!("   command id {ping_id}, bot found through $result[bots][{bot_id}][ID]");

    step("6. imbot.command.unregister");
    for id in [command_id, ping_id] {
        let done = client
            .call(&command::Unregister::new(id).client_id(CLIENT_ID))
            .await?;
        println!("   {id}: {}", done.result);
    }

    step("7. imbot.unregister");
    let done = client
        .call(&imbot::Unregister::new(bot_id).client_id(CLIENT_ID))
        .await?;
    println!("   result {}", done.result);
    Ok(())
}

fn step(name: &str) {
    println!("{name}");
}

/// Prints a documented error that was expected, and fails on anything else.
fn expect<T: std::fmt::Debug>(
    answer: Result<T, Error<command::update::Error>>,
    want: command::update::Error,
) -> Result<(), Box<dyn std::error::Error>> {
    match answer {
        Err(Error::Method(e)) if e.kind == want => {
            println!("   {want:?}: {e}");
            Ok(())
        }
        Err(e) => Err(format!("expected {want:?}, got {e} ({:?})", e.source()).into()),
        Ok(a) => Err(format!("expected {want:?}, got success {a:?}").into()),
    }
}
