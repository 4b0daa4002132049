// `COMMAND_ID` is an integer; a string does not fit.
#![allow(deprecated)]
use bitrix_rest::api::imbot::command;

fn main() {
    let _request = command::Update::new("99", command::update::Fields::new().command("echo"));
}
