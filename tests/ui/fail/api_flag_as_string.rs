// A `Y`/`N` flag is a `bool` in Rust; the wire form is the SDK's business.
use bitrix_rest::api::imbot::ImbotCommandUpdateFields;

fn main() {
    let _fields = ImbotCommandUpdateFields::new().hidden("Y");
}
