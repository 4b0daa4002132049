// Nested types that contain each other (not through a list or a map).
bitrix_macros::include_specs!("ui/specs/type_cycle");

fn main() {}
