// A spec without `scope`.
bitrix_macros::include_specs!("ui/specs/missing_scope", client = "none");

fn main() {}
