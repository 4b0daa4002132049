// The error of `imbot.command.update` is `ImbotCommandUpdateError`, not `imbot.command.register`'s.
#![allow(deprecated)]
use bitrix_rest::api::imbot::{
    ImbotCommandRegisterError, ImbotCommandUpdate, ImbotCommandUpdateFields,
};
use bitrix_rest::{ApiError, Client, Error};

async fn run(client: &Client) {
    let request = ImbotCommandUpdate::new(99, ImbotCommandUpdateFields::new().command("echo"));
    match client.call(&request).await {
        Ok(_) => {}
        Err(Error::Method(ApiError {
            kind: ImbotCommandRegisterError::BotIdError,
            ..
        })) => {}
        Err(_) => {}
    }
}

fn main() {
    let _ = run;
}
