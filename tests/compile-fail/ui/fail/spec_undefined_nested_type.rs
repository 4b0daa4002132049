// A reference to a nested type that is not declared.
bitrix_macros::include_specs!("ui/specs/undefined_nested_type");

fn main() {}
