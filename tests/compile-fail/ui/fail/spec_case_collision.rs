// Two parameters whose Rust names collide after case conversion (`FIELDS`, `fields`).
bitrix_macros::include_specs!("ui/specs/case_collision");

fn main() {}
