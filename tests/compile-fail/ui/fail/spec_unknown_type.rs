// A misspelt primitive type (`integr`): the hint suggests `integer`.
bitrix_macros::include_specs!("ui/specs/unknown_type");

fn main() {}
