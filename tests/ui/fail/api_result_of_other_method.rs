// `imbot.command.update` answers `bool`; it is not the command id that `imbot.command.register` answers.
#![allow(deprecated)]
use bitrix_rest::api::imbot::{ImbotCommandRegister, ImbotCommandUpdate, ImbotCommandUpdateFields};
use bitrix_rest::{Client, Method, Response};

fn command_id(response: Response<<ImbotCommandRegister as Method>::Output>) -> i64 {
    response.result
}

async fn run(client: &Client) {
    let request = ImbotCommandUpdate::new(99, ImbotCommandUpdateFields::new().command("echo"));
    if let Ok(response) = client.call(&request).await {
        let _ = command_id(response);
    }
}

fn main() {
    let _ = run;
}
