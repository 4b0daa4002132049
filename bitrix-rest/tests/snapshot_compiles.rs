//! The committed snapshots of the generated code (bitrix-codegen/tests/snapshots) compile against
//! this runtime and behave like the macro's output.

#![allow(deprecated)]

#[allow(dead_code)]
mod generated {
    include!("../../bitrix-codegen/tests/snapshots/imbot_command_update.rs");
}

#[allow(dead_code)]
mod generated_list {
    include!("../../bitrix-codegen/tests/snapshots/imbot_bot_list.rs");
}

use bitrix_rest::{Method, MethodError};
use generated::imbot::{
    bitrix_rest::api::imbot::command::Update, bitrix_rest::api::imbot::command::update::Error, bitrix_rest::api::imbot::command::update::Fields, SpecMethods,
};

#[test]
fn snapshot_types_work() {
    let req = bitrix_rest::api::imbot::command::Update::new(5, bitrix_rest::api::imbot::command::update::Fields::new().hidden(true));
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        serde_json::json!({"COMMAND_ID": 5, "FIELDS": {"HIDDEN": "Y"}})
    );
    assert_eq!(<bitrix_rest::api::imbot::command::Update as Method>::NAME, "imbot.command.update");
    assert_eq!(
        bitrix_rest::api::imbot::command::update::Error::from_documented("WRONG_REQUEST", "Command can't be updated"),
        Some(bitrix_rest::api::imbot::command::update::Error::UpdateFailed)
    );
    // The extension trait is implemented for the client.
    fn assert_ext<T: SpecMethods>() {}
    assert_ext::<bitrix_rest::Client>();
}

#[test]
fn snapshot_reference_types_follow_the_result() {
    let mut batch = bitrix_rest::Batch::new();
    let list = batch
        .add("l", &generated_list::imbot::bitrix_rest::api::imbot::bot::List::new())
        .unwrap();
    assert_eq!(list.result().key("1").id().to_string(), "$result[l][1][ID]");
    assert_eq!(
        serde_json::Value::from(list.result().key("1")),
        serde_json::json!("$result[l][1]")
    );
}
