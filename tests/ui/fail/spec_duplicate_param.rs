// The same parameter twice.
bitrix_macros::include_specs!("ui/specs/duplicate_param", client = "none");

fn main() {}
