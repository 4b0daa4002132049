//! Rebuilds the crate when a spec is added, removed or edited. (Each spec is also tracked by the
//! generated code's `include_str!`; this catches files that are new.)
fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=events");
    println!("cargo:rustc-check-cfg=cfg(docsrs)");
}
