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
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    let mut out = format!(
        "/// Every spec file: (path below `{folder}/`, TOML text).\npub static {name}: &[(&str, &str)] = &[\n"
    );
    for file in files {
        // A folder's mtime does not change when a file in it is edited: each file is a trigger.
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

/// Collects `*.toml` files below `dir`, following the linked folder; folders are triggers too
/// (a new file changes its folder).
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
}
