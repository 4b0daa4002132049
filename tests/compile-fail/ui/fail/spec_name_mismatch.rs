// A method name that does not match its file name.
bitrix_macros::include_specs!("ui/specs/name_mismatch");

fn main() {}
