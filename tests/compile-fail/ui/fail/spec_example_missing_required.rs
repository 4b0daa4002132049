// An example request without a required parameter.
bitrix_macros::include_specs!("ui/specs/example_missing_required");

fn main() {}
