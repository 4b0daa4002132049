// A misspelt key (`requird`): the hint suggests `required`.
bitrix_macros::include_specs!("ui/specs/unknown_key");

fn main() {}
