// New spec files rebuild the crate (edited ones are tracked by the generated code).
fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rustc-check-cfg=cfg(docsrs)");
}
