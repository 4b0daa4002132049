//! `cargo xtask sync-features`: the crates that compile the generated API in parallel
//! (`bitrix-api/part-N`, one shard of the methods each, see bitrix-codegen's `shard_of`) and the
//! per-folder Cargo features of them, of `bitrix-runtime` (shared types) and of `bitrix-rest`,
//! written from the folders of `specs/`. Until it runs after a folder is added, the build fails
//! naming the folder without a feature.
//!
//! [`render`] is pure (folders and current files in, files out), so the tests can hold the
//! committed manifests against it.

use std::fs;
use std::path::{Path, PathBuf};

/// How many `bitrix-api/part-N` crates share the methods.
pub const SHARDS: usize = 8;

/// Who writes the generated parts of the manifests (said in their comments).
const WRITER: &str = "scripts/sync-api-crates.sh";

/// What [`render`] reads besides the folder names: the current text of the files it edits.
#[derive(Debug, Clone)]
pub struct Current {
    /// `bitrix-rest/Cargo.toml`.
    pub rest_manifest: String,
    /// `bitrix-rest/src/lib.rs`.
    pub rest_lib: String,
    /// `bitrix-runtime/Cargo.toml`.
    pub runtime_manifest: String,
    /// `bitrix-rest/build.rs`, which every part copies.
    pub build_script: String,
}

/// One file [`render`] wants, relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Where, from the workspace root.
    pub path: PathBuf,
    /// Its whole text.
    pub text: String,
}

/// The folders of `specs/` that hold at least one `.toml` file, sorted: one feature each.
pub fn folders(specs: &Path) -> std::io::Result<Vec<String>> {
    let mut folders = Vec::new();
    for entry in fs::read_dir(specs)? {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let has_spec = fs::read_dir(entry.path())?
            .flatten()
            .any(|f| f.file_name().to_string_lossy().ends_with(".toml"));
        if has_spec {
            folders.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    folders.sort();
    Ok(folders)
}

/// Every file the command writes, from the folder names and the current files.
pub fn render(folders: &[String], current: &Current) -> Result<Vec<Output>, String> {
    let features: String = folders
        .iter()
        .map(|f| format!("{f} = []"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    for i in 0..SHARDS {
        let root = PathBuf::from(format!("bitrix-api/part-{i}"));
        out.push(Output {
            path: root.join("Cargo.toml"),
            text: part_manifest(i, &features),
        });
        out.push(Output {
            path: root.join("src/lib.rs"),
            text: part_lib(i),
        });
        out.push(Output {
            path: root.join("build.rs"),
            text: current.build_script.clone(),
        });
    }
    out.push(Output {
        path: "bitrix-rest/Cargo.toml".into(),
        text: rest_manifest(folders, &current.rest_manifest)?,
    });
    out.push(Output {
        path: "bitrix-rest/src/lib.rs".into(),
        text: rest_lib(&current.rest_lib)?,
    });
    out.push(Output {
        path: "bitrix-runtime/Cargo.toml".into(),
        text: runtime_manifest(&features, &current.runtime_manifest)?,
    });
    Ok(out)
}

fn part_manifest(i: usize, features: &str) -> String {
    format!(
        r#"# Written by {WRITER}; do not edit.
[package]
name = "bitrix-api-{i}"
description = "Part {i} of {SHARDS} of the generated API of bitrix-rest (depend on bitrix-rest instead)"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
include = ["src/**/*", "specs/**/*", "build.rs", "Cargo.toml"]

[lib]
test = false
doctest = false

[features]
# One feature per folder of specs/; bitrix-rest turns them on.
{features}

[package.metadata.docs.rs]
all-features = true

[dependencies]
bitrix-runtime.workspace = true
bitrix-macros.workspace = true
"#
    )
}

fn part_lib(i: usize) -> String {
    format!(
        r#"//! Part {i} of {SHARDS} of the API generated from `specs/`; use it as `bitrix_rest::api`.
#![cfg_attr(docsrs, feature(doc_cfg))]
bitrix_macros::include_specs!(
    "specs",
    runtime = "::bitrix_runtime",
    shared = "::bitrix_runtime::shared",
    shard = "{i}/{SHARDS}",
    scope_features = true
);
"#
    )
}

fn quoted<I: IntoIterator<Item = String>>(items: I) -> String {
    items
        .into_iter()
        .map(|x| format!("\"{x}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text from `start` up to (not including) the blank line before the `axum` feature.
fn block_before_axum(text: &str, start: &str) -> Option<(usize, usize)> {
    let from = text.find(start)?;
    let to = from + text[from..].find("\n\n# The `axum`")? + 1;
    Some((from, to))
}

fn rest_manifest(folders: &[String], text: &str) -> Result<String, String> {
    let mut block = format!(
        "# One feature per folder of specs/ (written by {WRITER}).\nfull = [{}]\n",
        quoted(folders.iter().cloned())
    );
    for f in folders {
        let parts = (0..SHARDS).map(|i| format!("bitrix-api-{i}/{f}"));
        let all = parts.chain([format!("bitrix-runtime/{f}")]);
        block += &format!("{f} = [{}]\n", quoted(all));
    }
    let (from, to) = block_before_axum(text, "# One feature per folder of specs/")
        .ok_or("bitrix-rest/Cargo.toml: no `# One feature per folder of specs/` block before the `axum` feature")?;
    let text = format!("{}{block}{}", &text[..from], &text[to..]);

    // The shard dependencies: the marker line and the `bitrix-api-N = …` lines after it.
    let marker = "# The shards (written by ";
    let from = text
        .find(marker)
        .ok_or("bitrix-rest/Cargo.toml: no `# The shards (written by …)` line")?;
    let mut to = from + text[from..].find('\n').map_or(text.len() - from, |n| n + 1);
    while text[to..].starts_with("bitrix-api-") {
        to += text[to..].find('\n').map_or(text.len() - to, |n| n + 1);
    }
    let deps: String = (0..SHARDS)
        .map(|i| {
            format!(
                "bitrix-api-{i} = {{ path = \"../bitrix-api/part-{i}\", version = \"0.1.0\" }}\n"
            )
        })
        .collect();
    Ok(format!(
        "{}# The shards (written by {WRITER}).\n{deps}{}",
        &text[..from],
        &text[to..]
    ))
}

fn rest_lib(text: &str) -> Result<String, String> {
    let crates: Vec<String> = (0..SHARDS).map(|i| format!("::bitrix_api_{i}")).collect();
    let wanted = format!("crates = \"{}\"", crates.join(" "));
    let mut out = String::new();
    let mut rest = text;
    let mut found = false;
    while let Some(at) = rest.find("crates = \"") {
        let value = at + "crates = \"".len();
        let Some(end) = rest[value..].find('"') else {
            break;
        };
        out += &rest[..at];
        out += &wanted;
        rest = &rest[value + end + 1..];
        found = true;
    }
    if !found {
        return Err("bitrix-rest/src/lib.rs: no `crates = \"…\"` argument".into());
    }
    out += rest;
    Ok(out)
}

fn runtime_manifest(features: &str, text: &str) -> Result<String, String> {
    let start = "# One feature per folder of specs/: its shared types";
    let block = format!("{start} (written by {WRITER}).\n{features}\n");
    if text.contains(start) {
        let (from, to) = block_before_axum(text, start).ok_or(
            "bitrix-runtime/Cargo.toml: the per-folder block is not followed by the `axum` feature",
        )?;
        Ok(format!("{}{block}{}", &text[..from], &text[to..]))
    } else {
        let at = text
            .find("[features]\n")
            .ok_or("bitrix-runtime/Cargo.toml: no [features] table")?
            + "[features]\n".len();
        Ok(format!("{}{block}\n{}", &text[..at], &text[at..]))
    }
}

/// Reads the inputs under `root`, the workspace.
pub fn current(root: &Path) -> std::io::Result<Current> {
    Ok(Current {
        rest_manifest: fs::read_to_string(root.join("bitrix-rest/Cargo.toml"))?,
        rest_lib: fs::read_to_string(root.join("bitrix-rest/src/lib.rs"))?,
        runtime_manifest: fs::read_to_string(root.join("bitrix-runtime/Cargo.toml"))?,
        build_script: fs::read_to_string(root.join("bitrix-rest/build.rs"))?,
    })
}

/// The command: writes the files (or, with `check`, lists those that differ and fails).
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let folders = folders(&root.join("specs")).map_err(|e| format!("specs/: {e}"))?;
    let current = current(root).map_err(|e| e.to_string())?;
    let outputs = render(&folders, &current)?;
    let mut stale = Vec::new();
    for out in &outputs {
        let path = root.join(&out.path);
        if fs::read_to_string(&path).ok().as_deref() == Some(out.text.as_str()) {
            continue;
        }
        stale.push(out.path.display().to_string());
        if !check {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            fs::write(&path, &out.text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    for i in 0..SHARDS {
        let link = root.join(format!("bitrix-api/part-{i}/specs"));
        if fs::symlink_metadata(&link).is_err() {
            stale.push(format!("bitrix-api/part-{i}/specs"));
            if !check {
                symlink("../../specs", &link)?;
            }
        }
    }
    if check {
        if stale.is_empty() {
            println!(
                "sync-features: {} folders, {SHARDS} shards: up to date",
                folders.len()
            );
            return Ok(());
        }
        return Err(format!(
            "sync-features: out of date (run `cargo xtask sync-features`): {}",
            stale.join(", ")
        ));
    }
    // The runtime generates the folders' shared types and watches only the `_types.toml` that
    // existed when it was last built: a new one is seen after this touch.
    touch(&root.join("bitrix-runtime/src/lib.rs"))?;
    println!("{} folders, {SHARDS} shards", folders.len());
    Ok(())
}

fn symlink(target: &str, link: &Path) -> Result<(), String> {
    #[cfg(unix)]
    return std::os::unix::fs::symlink(target, link)
        .map_err(|e| format!("{}: {e}", link.display()));
    #[cfg(not(unix))]
    return Err(format!(
        "{}: make it a link to {target} (symbolic links are made on Unix only)",
        link.display()
    ));
}

fn touch(path: &Path) -> Result<(), String> {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(std::time::SystemTime::now()))
        .map_err(|e| format!("{}: {e}", path.display()))
}
