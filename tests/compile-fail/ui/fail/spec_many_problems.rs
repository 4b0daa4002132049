// One spec with several problems: all of them are reported, not only the first.
bitrix_macros::include_specs!("ui/specs/many_problems");

fn main() {}
