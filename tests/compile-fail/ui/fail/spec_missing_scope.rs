// A spec without `scope`.
bitrix_macros::include_specs!("ui/specs/missing_scope");

fn main() {}
