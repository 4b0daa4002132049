//! Embeds every spec below `specs/` (a symlink to the workspace's `specs/`) into `b24`, so the
//! binary describes and checks methods without reading the file system. Only the texts are
//! embedded: they are parsed once at run time, so 1,500 specs cost no generated code.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=specs");
    let root = Path::new("specs");
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Every spec file: (path below `specs/`, TOML text).\npub static SPECS: &[(&str, &str)] = &[\n",
    );
    for file in files {
        // The folder's mtime does not change when a file is edited, so each file is a trigger too.
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
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("specs.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// Collects `*.toml` files below `dir`, following the symlinked folder.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
}
