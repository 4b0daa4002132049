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
const WRITER: &str = "cargo xtask sync-features";

/// What [`render`] reads besides the folder names: the current text of the files it edits.
#[derive(Debug, Clone)]
pub struct Current {
    /// `bitrix-rest/Cargo.toml`.
    pub rest_manifest: String,
    /// The files that name every part in a `crates = "…"` argument ([`CRATE_LISTS`]), with
    /// their text.
    pub crate_lists: Vec<(PathBuf, String)>,
    /// `bitrix-runtime/Cargo.toml`.
    pub runtime_manifest: String,
    /// The workspace's `Cargo.toml`.
    pub root_manifest: String,
}

/// The files whose `crates = "…"` macro arguments name every part: the facade, and the tests
/// and the benchmark that read the parts' check tables.
pub const CRATE_LISTS: &[&str] = &[
    "bitrix-rest/src/lib.rs",
    "bitrix-rest/tests/api/examples.rs",
    "bitrix-rest/tests/api/recorded.rs",
    "bitrix-rest/benches/decode_corpus.rs",
];

/// The Cargo feature under which each part compiles its methods' example and answer checks
/// (`include_specs!`'s `tables`); only `bitrix-rest`'s tests turn it on, as a dev-dependency.
pub const TABLES_FEATURE: &str = "test-tables";

/// The links every part has, and where they point, from the part's folder. The build script is
/// `bitrix-rest`'s (one file to keep, not eight copies); `cargo package` copies what a link
/// points to, so the published parts carry real files.
pub const PART_LINKS: &[(&str, &str)] = &[
    ("specs", "../../specs"),
    ("build.rs", "../../bitrix-rest/build.rs"),
    ("LICENSE-MIT", "../../LICENSE-MIT"),
    ("LICENSE-APACHE", "../../LICENSE-APACHE"),
];

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
    }
    out.push(Output {
        path: "bitrix-rest/Cargo.toml".into(),
        text: rest_manifest(folders, &current.rest_manifest)?,
    });
    for (path, text) in &current.crate_lists {
        out.push(Output {
            path: path.clone(),
            text: crate_list(text).map_err(|e| format!("{}: {e}", path.display()))?,
        });
    }
    out.push(Output {
        path: "bitrix-runtime/Cargo.toml".into(),
        text: runtime_manifest(&features, &current.runtime_manifest)?,
    });
    out.push(Output {
        path: "Cargo.toml".into(),
        text: root_manifest(&current.root_manifest),
    });
    Ok(out)
}

/// The workspace manifest ends with the parts' profile: no debug info in development builds.
/// Every span of generated code is the macro call, so line tables would say nothing, and they
/// would double the size of every binary that links the API (the parts' check tables included).
fn root_manifest(text: &str) -> String {
    let marker = "# The parts' generated code: no line tables (written by ";
    let kept = text.find(marker).map_or(text, |at| &text[..at]);
    let mut out = kept.trim_end().to_string();
    out += &format!("\n\n{marker}{WRITER}).\n");
    for i in 0..SHARDS {
        out += &format!("[profile.dev.package.bitrix-api-{i}]\ndebug = false\n");
        if i + 1 < SHARDS {
            out += "\n";
        }
    }
    out
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
include = ["src/**/*", "specs/**/*", "build.rs", "Cargo.toml", "LICENSE-MIT", "LICENSE-APACHE"]

[lib]
test = false
doctest = false

[features]
# One feature per folder of specs/; bitrix-rest turns them on.
{features}
# The methods' example and answer checks as tables, compiled here (on every core) rather than in
# the test that runs them; only bitrix-rest's tests turn it on.
{TABLES_FEATURE} = []

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
    scope_features = true,
    tables = "{TABLES_FEATURE}"
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
    let text = format!(
        "{}# The shards (written by {WRITER}).\n{deps}{}",
        &text[..from],
        &text[to..]
    );
    dev_tables(&text)
}

/// The parts again as dev-dependencies with their check tables on, so that only the tests and
/// benchmarks of `bitrix-rest` compile them: the marker line and the lines after it, or, the
/// first time, right after `[dev-dependencies]`.
fn dev_tables(text: &str) -> Result<String, String> {
    let marker = "# The shards with their check tables (written by ";
    let (from, mut to) = match text.find(marker) {
        Some(from) => (
            from,
            from + text[from..].find('\n').map_or(text.len() - from, |n| n + 1),
        ),
        None => {
            let at = text
                .find("[dev-dependencies]\n")
                .ok_or("bitrix-rest/Cargo.toml: no [dev-dependencies] table")?
                + "[dev-dependencies]\n".len();
            (at, at)
        }
    };
    while text[to..].starts_with("bitrix-api-") {
        to += text[to..].find('\n').map_or(text.len() - to, |n| n + 1);
    }
    let deps: String = (0..SHARDS)
        .map(|i| {
            format!(
                "bitrix-api-{i} = {{ path = \"../bitrix-api/part-{i}\", version = \"0.1.0\", features = [\"{TABLES_FEATURE}\"] }}\n"
            )
        })
        .collect();
    Ok(format!(
        "{}{marker}{WRITER}).\n{deps}{}",
        &text[..from],
        &text[to..]
    ))
}

/// Every `crates = "…"` argument in `text` names all the parts.
fn crate_list(text: &str) -> Result<String, String> {
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
        return Err("no `crates = \"…\"` argument".into());
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
        crate_lists: CRATE_LISTS
            .iter()
            .map(|p| Ok((PathBuf::from(p), fs::read_to_string(root.join(p))?)))
            .collect::<std::io::Result<_>>()?,
        runtime_manifest: fs::read_to_string(root.join("bitrix-runtime/Cargo.toml"))?,
        root_manifest: fs::read_to_string(root.join("Cargo.toml"))?,
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
        for (name, target) in PART_LINKS {
            let rel = format!("bitrix-api/part-{i}/{name}");
            let link = root.join(&rel);
            let now = fs::symlink_metadata(&link).ok();
            if now.is_some() && fs::read_link(&link).ok().as_deref() == Some(Path::new(target)) {
                continue;
            }
            stale.push(rel);
            if check {
                continue;
            }
            // A file in the link's place (the copies of the build script older versions
            // wrote) gives way; a folder is somebody's work and stops the command.
            if now.as_ref().is_some_and(|m| m.is_dir()) {
                return Err(format!(
                    "{}: a folder where a link to {target} belongs",
                    link.display()
                ));
            }
            if now.is_some() {
                fs::remove_file(&link).map_err(|e| format!("{}: {e}", link.display()))?;
            }
            symlink(target, &link)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::Scratch;

    fn workspace() -> PathBuf {
        crate::util::root().unwrap()
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// The committed manifests, `lib.rs` files and links are exactly what the command writes:
    /// a folder added to `specs/` without running it fails here, naming the files.
    #[test]
    fn committed_files_are_what_sync_features_writes() {
        let root = workspace();
        let folders = folders(&root.join("specs")).unwrap();
        assert!(folders.iter().any(|f| f == "crm"), "{folders:?}");
        let outputs = render(&folders, &current(&root).unwrap()).unwrap();
        let stale: Vec<String> = outputs
            .iter()
            .filter(|o| fs::read_to_string(root.join(&o.path)).ok().as_deref() != Some(&o.text))
            .map(|o| o.path.display().to_string())
            .collect();
        assert!(
            stale.is_empty(),
            "run `cargo xtask sync-features`: {stale:?} differ"
        );
        for i in 0..SHARDS {
            for (name, target) in PART_LINKS {
                let link = root.join(format!("bitrix-api/part-{i}/{name}"));
                assert_eq!(
                    fs::read_link(&link).ok().as_deref(),
                    Some(Path::new(target)),
                    "{}",
                    link.display()
                );
            }
        }
    }

    #[test]
    fn a_new_folder_gets_a_feature_everywhere() {
        let root = workspace();
        let mut folders = folders(&root.join("specs")).unwrap();
        folders.push("zzz".into());
        let outputs = render(&folders, &current(&root).unwrap()).unwrap();
        let text = |path: &str| {
            &outputs
                .iter()
                .find(|o| o.path == Path::new(path))
                .unwrap()
                .text
        };
        for i in 0..SHARDS {
            let part = text(&format!("bitrix-api/part-{i}/Cargo.toml"));
            assert!(part.contains("\nzzz = []\n"), "{part}");
            assert_ne!(
                fs::read_to_string(root.join(format!("bitrix-api/part-{i}/Cargo.toml"))).unwrap(),
                *part
            );
        }
        let rest = text("bitrix-rest/Cargo.toml");
        assert!(rest.contains(", \"zzz\"]\n"), "full lacks zzz");
        assert!(rest.contains("\nzzz = [\"bitrix-api-0/zzz\", "));
        assert!(rest.contains("\"bitrix-api-7/zzz\", \"bitrix-runtime/zzz\"]\n"));
        assert!(text("bitrix-runtime/Cargo.toml").contains("\nzzz = []\n"));
    }

    const REST: &str = "[features]\ndefault = [\"full\"]\n# One feature per folder of specs/ (written by old).\nfull = [\"gone\"]\ngone = [\"x\"]\n\n# The `axum` integration.\naxum = []\n\n[dependencies]\n# The shards (written by old).\nbitrix-api-0 = { path = \"x\" }\nbitrix-api-9 = { path = \"y\" }\n\n[dev-dependencies]\n";

    #[test]
    fn the_rest_manifest_keeps_everything_but_its_generated_blocks() {
        let out = rest_manifest(&names(&["a", "b"]), REST).unwrap();
        assert!(out.starts_with("[features]\ndefault = [\"full\"]\n# One feature per folder of specs/ (written by cargo xtask sync-features).\nfull = [\"a\", \"b\"]\na = [\"bitrix-api-0/a\", "));
        assert!(out.contains("\"bitrix-runtime/b\"]\n\n# The `axum` integration.\naxum = []\n"));
        assert!(!out.contains("gone"));
        assert!(!out.contains("bitrix-api-9"));
        assert!(out.contains("# The shards (written by cargo xtask sync-features).\nbitrix-api-0 = { path = \"../bitrix-api/part-0\", version = \"0.1.0\" }\n"));
        assert!(out.contains("bitrix-api-7 = { path = \"../bitrix-api/part-7\", version = \"0.1.0\" }\n\n[dev-dependencies]\n# The shards with their check tables (written by cargo xtask sync-features).\nbitrix-api-0 = { path = \"../bitrix-api/part-0\", version = \"0.1.0\", features = [\"test-tables\"] }\n"));
        assert!(out.ends_with("bitrix-api-7 = { path = \"../bitrix-api/part-7\", version = \"0.1.0\", features = [\"test-tables\"] }\n"));
        // Written again, the dev block replaces itself instead of growing.
        assert_eq!(rest_manifest(&names(&["a", "b"]), &out).unwrap(), out);
        assert!(rest_manifest(&names(&["a"]), "[features]\n").is_err());
    }

    #[test]
    fn the_runtime_block_is_replaced_or_inserted_after_features() {
        let features = "a = []\nb = []";
        let without = "[package]\n\n[features]\n# The `axum` one.\naxum = []\n";
        assert_eq!(
            runtime_manifest(features, without).unwrap(),
            "[package]\n\n[features]\n# One feature per folder of specs/: its shared types (written by cargo xtask sync-features).\na = []\nb = []\n\n# The `axum` one.\naxum = []\n"
        );
        let with = runtime_manifest("old = []", without).unwrap();
        assert_eq!(
            runtime_manifest(features, &with).unwrap(),
            runtime_manifest(features, without).unwrap()
        );
    }

    #[test]
    fn the_root_manifest_ends_with_the_parts_profile_once() {
        let once = root_manifest("[workspace]\n");
        assert!(once.starts_with("[workspace]\n\n# The parts' generated code"));
        assert!(once.contains("[profile.dev.package.bitrix-api-0]\ndebug = false\n\n"));
        assert!(once.ends_with("[profile.dev.package.bitrix-api-7]\ndebug = false\n"));
        assert_eq!(root_manifest(&once), once);
    }

    #[test]
    fn the_facade_names_every_part() {
        let lib = "x!(\"specs\", crates = \"::bitrix_api_0\", shared = \"s\");\n";
        let out = crate_list(lib).unwrap();
        assert_eq!(
            out,
            "x!(\"specs\", crates = \"::bitrix_api_0 ::bitrix_api_1 ::bitrix_api_2 ::bitrix_api_3 ::bitrix_api_4 ::bitrix_api_5 ::bitrix_api_6 ::bitrix_api_7\", shared = \"s\");\n"
        );
        assert!(crate_list("no argument").is_err());
    }

    #[test]
    fn only_folders_with_toml_files_count() {
        let dir = Scratch::new("sync-test").unwrap();
        for (folder, file) in [
            ("crm", "crm.item.add.toml"),
            ("b", "_types.toml"),
            ("empty", "README.md"),
        ] {
            fs::create_dir_all(dir.0.join(folder)).unwrap();
            fs::write(dir.0.join(folder).join(file), "").unwrap();
        }
        fs::write(dir.0.join("top.toml"), "").unwrap();
        assert_eq!(folders(&dir.0).unwrap(), names(&["b", "crm"]));
    }
}
