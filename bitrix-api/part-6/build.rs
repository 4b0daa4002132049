//! New spec files rebuild the crate (edited ones are tracked by the generated code), and the
//! macro learns which folders' features are on, so that it generates nothing for the others.
fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rustc-check-cfg=cfg(docsrs)");
    let mut folders: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| {
            k.strip_prefix("CARGO_FEATURE_")
                .map(str::to_ascii_lowercase)
        })
        .collect();
    folders.sort();
    println!("cargo:rustc-env=BITRIX_SPEC_FOLDERS={}", folders.join(","));
}
