// A type whose Rust name is the error enum's (`Error` in `demo.ping` -> `DemoPingError`).
bitrix_macros::include_specs!("ui/specs/type_named_like_error", client = "none");

fn main() {}
