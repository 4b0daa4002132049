// A type whose Rust name is the error enum's (`Error` is the enum of the method's documented errors).
bitrix_macros::include_specs!("ui/specs/type_named_like_error");

fn main() {}
