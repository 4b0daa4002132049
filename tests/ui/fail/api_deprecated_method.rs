// `imbot.command.update` is deprecated: under `deny(deprecated)` using it is an error that names
// the replacement.
#![deny(deprecated)]
use bitrix_rest::api::imbot::{ImbotCommandUpdate, ImbotCommandUpdateFields};
use bitrix_rest::Client;

async fn run(client: &Client) {
    let request = ImbotCommandUpdate::new(99, ImbotCommandUpdateFields::new().command("echo"));
    let _ = client.imbot_command_update(&request).await;
}

fn main() {
    let _ = run;
}
