// The same parameter twice.
bitrix_macros::include_specs!("ui/specs/duplicate_param");

fn main() {}
