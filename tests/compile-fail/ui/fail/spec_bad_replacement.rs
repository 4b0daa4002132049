// A deprecation whose `replacement` is not a method name.
bitrix_macros::include_specs!("ui/specs/bad_replacement");

fn main() {}
