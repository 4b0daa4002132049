// An enum type with an empty value list.
bitrix_macros::include_specs!("ui/specs/empty_enum");

fn main() {}
