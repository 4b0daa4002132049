// An [[errors]] row without `code`.
bitrix_macros::include_specs!("ui/specs/error_without_code");

fn main() {}
