// `one_or_many<T>` takes one plain value type: a list inside it is refused with what it takes.
bitrix_macros::include_specs!("ui/specs/one_or_many_of_a_list");

fn main() {}
