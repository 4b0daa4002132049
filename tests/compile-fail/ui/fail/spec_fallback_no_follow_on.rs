// Two mistakes in a spec; the code below uses what was understood of it (`Ping::new` with
// its one good parameter). Only the spec's own errors are reported: no "cannot find type"
// follow-on errors, because the macro still generates the method from the sound parts.
bitrix_macros::include_specs!("ui/specs/fallback");

fn main() {
    let request = demo::Ping::new(7);
    let _ = <demo::Ping as bitrix_rest::Method>::NAME;
    let _ = request.id;
}
