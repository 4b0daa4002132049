//! Rebuilds the facade when a spec is added or removed (the API's names come from the specs).
fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rustc-check-cfg=cfg(docsrs)");
}
