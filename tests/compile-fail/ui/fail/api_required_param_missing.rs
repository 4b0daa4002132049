// A required parameter (`FIELDS`) left out of the constructor.
#![allow(deprecated)]
use bitrix_rest::api::imbot::command;

fn main() {
    let _request = command::Update::new(99);
}
