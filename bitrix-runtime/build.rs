//! Rebuilds the crate when an event spec or a folder's shared types (`specs/*/_types.toml`)
//! change. Method specs are the API crates' business: watching them here would rebuild the
//! runtime, and so everything, on every spec edit.
fn main() {
    println!("cargo:rerun-if-changed=events");
    println!("cargo:rustc-check-cfg=cfg(docsrs)");
    // A `_types.toml` added later is picked up by `scripts/sync-api-crates.sh`, which touches
    // this crate; watching the whole folder would rebuild everything on every spec edit.
    if let Ok(folders) = std::fs::read_dir("specs") {
        for folder in folders.flatten() {
            let types = folder.path().join("_types.toml");
            if types.exists() {
                println!("cargo:rerun-if-changed={}", types.display());
            }
        }
    }
}
