// The error of `imbot.command.update` is `command::update::Error`, not `imbot.command.register`'s.
#![allow(deprecated)]
use bitrix_rest::api::imbot::command;
use bitrix_rest::{ApiError, Client, Error};

async fn run(client: &Client) {
    let request = command::Update::new(99, command::update::Fields::new().command("echo"));
    match client.call(&request).await {
        Ok(_) => {}
        Err(Error::Method(ApiError {
            kind: command::register::Error::BotId,
            ..
        })) => {}
        Err(_) => {}
    }
}

fn main() {
    let _ = run;
}
