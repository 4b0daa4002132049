// A required parameter (`FIELDS`) left out of the constructor.
#![allow(deprecated)]
use bitrix_rest::api::imbot::ImbotCommandUpdate;

fn main() {
    let _request = ImbotCommandUpdate::new(99);
}
