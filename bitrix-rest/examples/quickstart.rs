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

use bitrix_rest::api::imbot::{
    ImbotCommandRegister, ImbotCommandRegisterLang, ImbotCommandUnregister, ImbotCommandUpdate,
    ImbotCommandUpdateError, ImbotCommandUpdateFields, ImbotCommandUpdateLang, ImbotRegister,
    ImbotRegisterColor, ImbotRegisterProperties, ImbotUnregister,
};
use bitrix_rest::{Client, Error};

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

    step("1. imbot.register");
    let properties = ImbotRegisterProperties::new()
        .name("Echo bot")
        .color(ImbotRegisterColor::Green);
    let register = ImbotRegister::new("quickstart_echo_bot", properties)
        .event_handler("https://example.com/bot/events")
        .client_id(CLIENT_ID);
    let bot_id = client.imbot_register(&register).await?.result;
    println!("   bot id {bot_id}");

    step("2. imbot.command.register");
    let lang = vec![ImbotCommandRegisterLang::new("en", "Echo").params("text")];
    let register =
        ImbotCommandRegister::new(bot_id, "echo", "https://example.com/bot/command", lang)
            .client_id(CLIENT_ID);
    let command_id = client.imbot_command_register(&register).await?.result;
    println!("   command id {command_id}");

    step("3. imbot.command.update");
    let fields = ImbotCommandUpdateFields::new()
        .command("echo2")
        .hidden(false)
        .extranet_support(true)
        .lang(vec![
            ImbotCommandUpdateLang::new("en", "Echo 2").params("text")
        ]);
    let answer = client
        .imbot_command_update(&ImbotCommandUpdate::new(command_id, fields).client_id(CLIENT_ID))
        .await?;
    let operating = answer.time.as_ref().and_then(|t| t.operating);
    println!(
        "   result {} (operating time used: {operating:?} s)",
        answer.result
    );

    step("4. documented errors of imbot.command.update");
    let empty =
        ImbotCommandUpdate::new(command_id, ImbotCommandUpdateFields::new()).client_id(CLIENT_ID);
    match client.imbot_command_update(&empty).await {
        Err(Error::InvalidRequest(e)) => println!("   empty FIELDS refused before sending: {e}"),
        other => return Err(format!("empty FIELDS was not refused: {other:?}").into()),
    }
    let raw = serde_json::json!({"COMMAND_ID": command_id, "FIELDS": {}, "CLIENT_ID": CLIENT_ID});
    match client.call_raw("imbot.command.update", raw).await {
        Err(e) => println!("   the portal's answer to empty FIELDS: {e}"),
        Ok(a) => return Err(format!("empty FIELDS was accepted: {a:?}").into()),
    }
    let unknown = ImbotCommandUpdate::new(987_654, ImbotCommandUpdateFields::new().command("x"))
        .client_id(CLIENT_ID);
    expect(
        client.imbot_command_update(&unknown).await,
        ImbotCommandUpdateError::CommandIdError,
    )?;
    let raw = serde_json::json!({"COMMAND_ID": command_id, "FIELDS": {"EVENT_COMMAND_ADD": "ftp://example.com/h"}, "CLIENT_ID": CLIENT_ID});
    match client.call_raw("imbot.command.update", raw).await {
        Err(e) => println!("   handler address that is not http(s): {e}"),
        Ok(a) => return Err(format!("a non-http handler was accepted: {a:?}").into()),
    }
    let other_app =
        ImbotCommandUpdate::new(command_id, ImbotCommandUpdateFields::new().command("x"))
            .client_id("another-app");
    expect(
        client.imbot_command_update(&other_app).await,
        ImbotCommandUpdateError::AppIdError,
    )?;

    step("5. imbot.command.unregister");
    let done = client
        .imbot_command_unregister(&ImbotCommandUnregister::new(command_id).client_id(CLIENT_ID))
        .await?;
    println!("   result {}", done.result);

    step("6. imbot.unregister");
    let done = client
        .imbot_unregister(&ImbotUnregister::new(bot_id).client_id(CLIENT_ID))
        .await?;
    println!("   result {}", done.result);

    println!("done");
    Ok(())
}

fn step(name: &str) {
    println!("{name}");
}

/// Prints a documented error that was expected, and fails on anything else.
fn expect<T: std::fmt::Debug>(
    answer: Result<T, Error<ImbotCommandUpdateError>>,
    want: ImbotCommandUpdateError,
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
