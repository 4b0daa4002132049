// A type whose Rust name is the request type's (`bitrix_rest::api::core::app::Info` in `app.info`).
bitrix_macros::include_specs!("ui/specs/type_named_like_request", client = "none");

fn main() {}
