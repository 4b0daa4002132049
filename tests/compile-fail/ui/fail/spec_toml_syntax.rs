// A TOML syntax error (an unquoted string).
bitrix_macros::include_specs!("ui/specs/toml_syntax");

fn main() {}
