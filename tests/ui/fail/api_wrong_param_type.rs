// `COMMAND_ID` is an integer; a string does not fit.
#![allow(deprecated)]
use bitrix_rest::api::imbot::{ImbotCommandUpdate, ImbotCommandUpdateFields};

fn main() {
    let _request = ImbotCommandUpdate::new("99", ImbotCommandUpdateFields::new().command("echo"));
}
