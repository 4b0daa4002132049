// `imbot.command.update` is deprecated: under `deny(deprecated)` using it is an error that names
// the replacement.
#![deny(deprecated)]
use bitrix_rest::api::imbot::command;
use bitrix_rest::Client;

async fn run(client: &Client) {
    let request = command::Update::new(99, command::update::Fields::new().command("echo"));
    let _ = client.call(&request).await;
}

fn main() {
    let _ = run;
}
