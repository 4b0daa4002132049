//! Rebuilds the crate when an event spec or a folder's shared types (`specs/*/_types.toml`)
//! change, and tells the macro which folders' features are on: only their shared types are
//! generated. Method specs are the API crates' business: watching them here would rebuild the
//! runtime, and so everything, on every spec edit.
fn main() {
    println!("cargo:rerun-if-changed=events");
    println!("cargo:rustc-check-cfg=cfg(docsrs)");
    let mut folders: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| {
            k.strip_prefix("CARGO_FEATURE_")
                .map(str::to_ascii_lowercase)
        })
        .collect();
    folders.sort();
    println!("cargo:rustc-env=BITRIX_SPEC_FOLDERS={}", folders.join(","));
    // A `_types.toml` added later is picked up by `cargo xtask sync-features`, which touches
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
