// Two spec files of the same method.
bitrix_macros::include_specs!("ui/specs/same_method");

fn main() {}
