//! `cargo xtask package-check`: the published crates are self-contained. `cargo package` builds
//! `bitrix-rest` from its `.crate` file and those of its dependencies, so the specs and event
//! specs the API is generated from, and the license texts, must travel inside them.

use crate::sync::SHARDS;
use crate::util::{cargo, output, run, target_dir};
use std::path::{Path, PathBuf};

/// The published crates, dependencies first.
pub fn published() -> Vec<String> {
    let mut crates: Vec<String> = [
        "bitrix-facts",
        "bitrix-codegen",
        "bitrix-macros",
        "bitrix-runtime",
    ]
    .map(String::from)
    .to_vec();
    crates.extend((0..SHARDS).map(|i| format!("bitrix-api-{i}")));
    crates.push("bitrix-rest".into());
    crates
}

/// The features the verification build turns on: the seed method's folder.
const VERIFIED_FEATURES: &str = "bitrix-rest/imbot";

/// Files every published crate carries.
const LICENSES: &[&str] = &["LICENSE-MIT", "LICENSE-APACHE"];

/// Files some crates must carry besides the licenses.
fn required(krate: &str) -> &'static [&'static str] {
    match krate {
        "bitrix-rest" => &[
            "specs/imbot/imbot.command.update.toml",
            "specs/README.md",
            "build.rs",
        ],
        "bitrix-runtime" => &["events/imbot/ONIMCOMMANDADD.toml", "build.rs"],
        k if k.starts_with("bitrix-api-") => &["specs/imbot/imbot.command.update.toml", "build.rs"],
        _ => &[],
    }
}

/// Whether `name` (a folder in cargo's registry sources) is an unpacked copy of one of `crates`:
/// `NAME-VERSION` with a version that starts with a digit.
pub fn is_unpacked_copy(name: &str, crates: &[String]) -> bool {
    crates.iter().any(|k| {
        name.strip_prefix(k.as_str())
            .and_then(|v| v.strip_prefix('-'))
            .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The files of `list` (one per line, as `cargo package --list` prints) that `needles` lack.
pub fn lacking<'a>(list: &str, needles: &[&'a str]) -> Vec<&'a str> {
    needles
        .iter()
        .copied()
        .filter(|n| !list.lines().any(|l| l == *n))
        .collect()
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
}

/// The command.
pub fn run_check(root: &Path) -> Result<(), String> {
    let crates = published();
    // Verification unpacks our .crate files into cargo's registry sources, and cargo reuses an
    // unpacked copy of the same name and version: drop copies left by earlier runs so today's
    // files are built. Only the local registry's folders (named `-HASH`) are touched.
    if let Some(sources) = cargo_home().map(|h| h.join("registry/src")) {
        for registry in std::fs::read_dir(&sources).into_iter().flatten().flatten() {
            if !registry.file_name().to_string_lossy().starts_with('-') {
                continue;
            }
            for copy in std::fs::read_dir(registry.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if is_unpacked_copy(&copy.file_name().to_string_lossy(), &crates) {
                    std::fs::remove_dir_all(copy.path())
                        .map_err(|e| format!("{}: {e}", copy.path().display()))?;
                }
            }
        }
    }
    // Likewise, cargo takes a registry crate's build output as final for its version.
    let packaged = target_dir(root).join("package");
    if packaged.exists() {
        std::fs::remove_dir_all(&packaged).map_err(|e| format!("{}: {e}", packaged.display()))?;
    }
    let selected: Vec<String> = crates
        .iter()
        .flat_map(|k| ["-p".to_string(), k.clone()])
        .collect();
    let below = &selected[..selected.len() - 2];
    run(cargo()
        .current_dir(root)
        .args(["package", "-q", "--allow-dirty", "--no-verify"])
        .args(below))?;
    // Only bitrix-rest is verified (built from the .crate files); it builds every crate below it.
    // One folder (the seed method's) is enough to prove the generator finds its specs inside the
    // .crate files; every folder's files are counted below, and the whole API is built by the
    // tests, so a second build of it here would only cost CI minutes.
    run(cargo()
        .current_dir(root)
        .args(["package", "-q", "--allow-dirty", "--no-default-features"])
        .args(["--features", VERIFIED_FEATURES])
        .args(&selected))?;
    for krate in &crates {
        let list = output(cargo().current_dir(root).args([
            "package",
            "-q",
            "--allow-dirty",
            "--list",
            "-p",
            krate,
        ]))?;
        let needles: Vec<&str> = LICENSES.iter().chain(required(krate)).copied().collect();
        if let Some(file) = lacking(&list, &needles).first() {
            return Err(format!("package: {krate}'s .crate lacks {file}"));
        }
        let specs = list
            .lines()
            .filter(|l| l.starts_with("specs/") && l.ends_with(".toml"))
            .count();
        println!("package: {krate} ok ({specs} spec files inside)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_crates_are_listed_dependencies_first() {
        let crates = published();
        assert_eq!(crates.first().map(String::as_str), Some("bitrix-facts"));
        assert_eq!(crates.last().map(String::as_str), Some("bitrix-rest"));
        assert!(crates.contains(&format!("bitrix-api-{}", SHARDS - 1)));
        assert_eq!(crates.len(), SHARDS + 5);
    }

    #[test]
    fn only_our_crates_unpacked_copies_are_dropped() {
        let crates = published();
        assert!(is_unpacked_copy("bitrix-rest-0.1.0", &crates));
        assert!(is_unpacked_copy("bitrix-api-7-0.1.0", &crates));
        assert!(!is_unpacked_copy("bitrix-rest", &crates));
        assert!(!is_unpacked_copy("bitrix-restx-0.1.0", &crates));
        assert!(!is_unpacked_copy("serde-1.0.0", &crates));
        assert!(!is_unpacked_copy("bitrix-api-7-beta", &crates));
    }

    #[test]
    fn lacking_matches_whole_lines() {
        let list = "Cargo.toml\nLICENSE-MIT\nspecs/README.md\n";
        assert_eq!(
            lacking(list, &["LICENSE-MIT", "LICENSE-APACHE"]),
            vec!["LICENSE-APACHE"]
        );
        assert_eq!(lacking(list, &["README.md"]), vec!["README.md"]);
    }

    #[test]
    fn every_published_crate_needs_the_licenses_and_its_specs() {
        assert!(required("bitrix-api-3").contains(&"build.rs"));
        assert!(required("bitrix-rest").contains(&"specs/README.md"));
        assert!(required("bitrix-runtime")
            .iter()
            .any(|f| f.starts_with("events/")));
    }
}
