//! The committed snapshots of the generated code (bitrix-codegen/tests/snapshots) compile against
//! this runtime and behave like the macro's output.

#![allow(deprecated)]

#[allow(dead_code)]
mod generated {
    include!("../../../bitrix-codegen/tests/snapshots/imbot_command_update.rs");
}

#[allow(dead_code)]
mod generated_list {
    include!("../../../bitrix-codegen/tests/snapshots/imbot_bot_list.rs");
}

#[allow(dead_code)]
mod features {
    include!("../../../bitrix-codegen/tests/snapshots/features.rs");
}

use bitrix_rest::{Method, MethodError};
use generated::imbot::command::{update, Update};

#[test]
fn snapshot_types_work() {
    let req = Update::new(5, update::Fields::new().hidden(true));
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        serde_json::json!({"COMMAND_ID": 5, "FIELDS": {"HIDDEN": "Y"}})
    );
    assert_eq!(<Update as Method>::NAME, "imbot.command.update");
    assert_eq!(<Update as Method>::WEBHOOK_REQUIRED, ["CLIENT_ID"]);
    assert_eq!(
        update::Error::from_documented("WRONG_REQUEST", "Command can't be updated"),
        Some(update::Error::UpdateFailed)
    );
}

#[test]
fn snapshot_reference_types_follow_the_result() {
    let mut batch = bitrix_rest::Batch::new();
    let list = batch
        .add("l", &generated_list::imbot::bot::List::new())
        .unwrap();
    assert_eq!(
        list.result().key("1").id().reference().to_string(),
        "$result[l][1][ID]"
    );
    assert_eq!(
        bitrix_rest::Reference::from(list.result().key("1")).to_string(),
        "$result[l][1]"
    );
}

#[test]
fn shared_types_are_one_type_for_every_method() {
    use features::demo::{contact, Contact, Multifield, ValueType};
    let fields = Contact::new()
        .name("Ann")
        .opened(true)
        .phone([Multifield::new("+1 555").value_type(ValueType::Work)]);
    let add = contact::Add::new(fields.clone()).client_id("app");
    assert_eq!(
        serde_json::to_value(&add).unwrap(),
        serde_json::json!({"fields": {"NAME": "Ann", "OPENED": "Y", "PHONE": [{"VALUE": "+1 555", "VALUE_TYPE": "WORK"}]}, "CLIENT_ID": "app"})
    );
    // The list answers the same `Contact` type that `add` takes.
    let page: Vec<Contact> = <contact::List as Method>::decode_output(
        serde_json::json!({"contacts": [{"ID": "7", "NAME": "Ann"}]}),
    )
    .unwrap();
    assert_eq!(page[0].id, Some(7));
    assert_eq!(<features::demo::note::Update as Method>::REST, 3);
}
