// A type whose Rust name is the request type's (`AppInfo` in `app.info`).
bitrix_macros::include_specs!("ui/specs/type_named_like_request", client = "none");

fn main() {}
