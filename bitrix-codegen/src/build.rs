//! What the build scripts of binaries built from the specs run (`build.rs`: one call).

use std::path::{Path, PathBuf};

/// Embeds every `*.toml` below `specs/` (a link to the workspace's `specs/`) as
/// `OUT_DIR/specs.rs`, `pub static SPECS: &[(&str, &str)]` of (path below `specs/`, text), so a
/// binary (the emulator, `b24`) reads the specs it was built with and not the file system.
pub fn embed_specs() {
    embed("specs", "SPECS", "specs.rs");
}

/// Embeds every `*.toml` below `events/` (a link to the workspace's `events/`) as
/// `OUT_DIR/events.rs`, `pub static EVENTS: &[(&str, &str)]`, as [`embed_specs`] does for methods.
pub fn embed_events() {
    embed("events", "EVENTS", "events.rs");
}

fn embed(folder: &str, name: &str, file: &str) {
    use std::fmt::Write as _;
    let root = Path::new(folder);
    let listing = crate::source::list(root);
    // A folder's mtime changes when a file is added to it; each file is a trigger of its own,
    // since editing a file does not touch its folder.
    for dir in &listing.folders {
        println!("cargo:rerun-if-changed={}", dir.display());
    }
    let mut out = format!(
        "/// Every spec file: (path below `{folder}/`, TOML text).\npub static {name}: &[(&str, &str)] = &[\n"
    );
    for file in listing.files {
        println!("cargo:rerun-if-changed={}", file.display());
        let display = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let abs = file.canonicalize().unwrap_or_else(|_| file.clone());
        let _ = writeln!(
            out,
            "    ({display:?}, include_str!({:?})),",
            abs.to_string_lossy()
        );
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(file);
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
