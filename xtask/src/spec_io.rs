//! `cargo xtask spec-io`: spec files are read and written in one place, the spec library
//! (`bitrix-codegen`: `source.rs` finds and reads them, `read/` parses them, `write/` writes
//! them). Every other source file of the workspace's crates that reads or writes files, or
//! parses TOML, is listed below with what it touches instead; a new one fails the check until
//! it goes through the library or is listed with its reason. Tests, benches and examples are
//! not checked: they read back what they wrote.

use std::path::{Path, PathBuf};

/// The spec library: files (or folders, ending in `/`) that may read, parse and write specs.
const LIBRARY: &[&str] = &[
    "bitrix-codegen/src/source.rs",
    "bitrix-codegen/src/read/",
    "bitrix-codegen/src/write/",
    "bitrix-codegen/src/events/read.rs",
    "bitrix-codegen/src/events/raise.rs",
    "bitrix-codegen/src/build.rs",
];

/// Other files that touch the file system or parse TOML, and what they touch: never a spec.
const OTHERS: &[(&str, &str)] = &[
    ("bitrix-cli/src/auth.rs", "the saved credentials file"),
    (
        "bitrix-cli/src/params/mod.rs",
        "a call's parameters (`--json @file`)",
    ),
    ("bitrix-cli/src/export/sink.rs", "an export's output file"),
    (
        "bitrix-cli/src/commands/batch.rs",
        "a batch's commands file",
    ),
    (
        "bitrix-macros/src/lib.rs",
        "the calling crate's Cargo.toml (its features)",
    ),
    (
        "bitrix-mock/src/lib.rs",
        "the emulator's CA certificate, written for clients",
    ),
    ("bitrix-mock/src/seed.rs", "a seed file of portal records"),
    (
        "bitrix-runtime/build.rs",
        "lists the folders of specs/ to watch their _types.toml (no dependency on the library)",
    ),
    ("bitrix-specs/src/docs.rs", "the reference's Markdown"),
    (
        "bitrix-specs/src/coverage.rs",
        "answers recorded from portals",
    ),
    ("xtask/src/circles.rs", "Rust sources"),
    ("xtask/src/spec_io.rs", "Rust sources"),
    ("xtask/src/docs.rs", "generated rustdoc pages"),
    (
        "xtask/src/package.rs",
        "the .crate files and the manifest of the crate that checks them",
    ),
    (
        "xtask/src/layout.rs",
        "a benchmark: rewrites a copy of the workspace's manifests into domain crates",
    ),
    ("xtask/src/util.rs", "measurement reports"),
    (
        "xtask/src/sync.rs",
        "manifests; lists the folders of specs/ by name",
    ),
    (
        "xtask/src/scale.rs",
        "a benchmark: copies the workspace, makes synthetic specs from the shipped ones as text",
    ),
    (
        "xtask/src/build_times.rs",
        "a benchmark: appends a comment to one spec to time the rebuild, then restores it",
    ),
];

/// What reading, writing or parsing a file looks like in Rust source.
const PATTERNS: &[&str] = &[
    "read_to_string(",
    "fs::read(",
    "read_dir(",
    "File::open(",
    "File::create(",
    "OpenOptions",
    "fs::write(",
    "remove_file(",
    "DeTable",
    "toml::de",
    "toml::from_str",
    "toml::Value",
    "toml::Table",
];

/// The command: fails naming each file and line that touches files outside the library and
/// the list, and each listed file that no longer does.
pub fn run_check(root: &Path) -> Result<(), String> {
    let found = check(root)?;
    if found.is_empty() {
        println!("spec files are read and written by the spec library only");
        Ok(())
    } else {
        Err(format!(
            "{} place(s) outside the spec library touch files; read and write specs through \
             bitrix_codegen (source::load_dir, read::raw, write::save), or list the file in \
             xtask/src/spec_io.rs with what it touches:\n{}",
            found.len(),
            found.join("\n")
        ))
    }
}

/// Every unlisted place as `file:line: text`, and every stale entry of [`OTHERS`].
pub fn check(root: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut used = vec![false; OTHERS.len()];
    for dir in crate::circles::crate_dirs(root)? {
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files)?;
        let build = dir.join("build.rs");
        if build.is_file() {
            files.push(build);
        }
        for file in files {
            let rel = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            if LIBRARY
                .iter()
                .any(|l| rel == *l || (l.ends_with('/') && rel.starts_with(l)))
            {
                continue;
            }
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let hits = touches(&text);
            match OTHERS.iter().position(|(f, _)| *f == rel) {
                Some(i) => used[i] = !hits.is_empty(),
                None => out.extend(hits.into_iter().map(|(n, l)| format!("{rel}:{n}: {l}"))),
            }
        }
    }
    for ((file, _), used) in OTHERS.iter().zip(used) {
        if !used {
            out.push(format!(
                "{file}: listed in xtask/src/spec_io.rs but touches no file; remove it from the list"
            ));
        }
    }
    Ok(out)
}

/// The lines (1-based, trimmed) of `text` that touch files, comments aside.
fn touches(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let code = l.split("//").next().unwrap_or("");
            PATTERNS.iter().any(|p| code.contains(p))
        })
        .map(|(i, l)| (i + 1, l.trim().to_string()))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_spec_library_touches_spec_files() {
        let root = crate::util::root().unwrap();
        let found = check(&root).unwrap();
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    #[test]
    fn a_crate_reading_files_itself_is_named() {
        let root = std::env::temp_dir().join(format!("xtask-spec-io-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let src = root.join("bitrix-specs/src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(root.join("bitrix-specs/Cargo.toml"), "[package]\n").unwrap();
        std::fs::write(
            src.join("stats.rs"),
            "// std::fs::read_to_string(comment)\nfn f(p: &Path) {\n    let t = std::fs::read_to_string(p);\n    let d = toml::de::DeTable::parse(&t);\n}\n",
        )
        .unwrap();
        std::fs::write(
            src.join("lib.rs"),
            "fn g() { bitrix_codegen::load_dir(p); }\n",
        )
        .unwrap();
        let found = check(&root).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
        assert!(found
            .iter()
            .any(|f| f == "bitrix-specs/src/stats.rs:3: let t = std::fs::read_to_string(p);"));
        assert!(found
            .iter()
            .any(|f| f.starts_with("bitrix-specs/src/stats.rs:4: ")));
        assert!(!found
            .iter()
            .any(|f| f.contains("stats.rs:1:") || f.starts_with("bitrix-specs/src/lib.rs")));
        // The listed files are not in this tree: each is reported as stale.
        assert!(found
            .iter()
            .any(|f| f.starts_with("bitrix-cli/src/auth.rs: listed")));
    }
}
