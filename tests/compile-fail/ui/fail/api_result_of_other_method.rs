// `imbot.command.update` answers `bool`; it is not the command id that `imbot.command.register` answers.
#![allow(deprecated)]
use bitrix_rest::api::imbot::command;
use bitrix_rest::{Client, Method, Response};

fn command_id(response: Response<<command::Register as Method>::Output>) -> i64 {
    response.result
}

async fn run(client: &Client) {
    let request = command::Update::new(99, command::update::Fields::new().command("echo"));
    if let Ok(response) = client.call(&request).await {
        let _ = command_id(response);
    }
}

fn main() {
    let _ = run;
}
