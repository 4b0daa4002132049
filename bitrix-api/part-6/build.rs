//! See `bitrix_codegen::build::spec_crate`: new spec files rebuild the crate, and the macro
//! generates only the folders whose features are on.
fn main() {
    bitrix_codegen::build::spec_crate();
}
