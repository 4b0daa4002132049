// One bad spec beside a good one: the bad one is reported, the good one is still generated and
// usable, so the only error is the spec's.
mod api {
    bitrix_macros::include_specs!("ui/specs/one_bad_one_good");
}

fn main() {
    let _ = <api::demo::DemoPong as bitrix_rest::Method>::NAME;
}
