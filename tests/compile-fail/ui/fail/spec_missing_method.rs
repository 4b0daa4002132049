// A spec without `method`.
bitrix_macros::include_specs!("ui/specs/missing_method");

fn main() {}
