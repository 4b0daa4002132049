// A `Y`/`N` flag is a `bool` in Rust; the wire form is the SDK's business.
use bitrix_rest::api::imbot::command;

fn main() {
    let _fields = command::update::Fields::new().hidden("Y");
}
