// An example request with a key that is not a parameter.
bitrix_macros::include_specs!("ui/specs/example_unknown_key");

fn main() {}
