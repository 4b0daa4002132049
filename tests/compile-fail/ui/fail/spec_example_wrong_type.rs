// An example request with a value of the wrong type.
bitrix_macros::include_specs!("ui/specs/example_wrong_type");

fn main() {}
