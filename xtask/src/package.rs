//! `cargo xtask package-check`: the published crates are self-contained. `cargo package` writes
//! their `.crate` files; a crate outside the workspace then checks `bitrix-rest` built from them
//! alone, so the specs and event specs the API is generated from, and the license texts, must
//! travel inside them.

use crate::sync::SHARDS;
use crate::util::{cargo, output, run, target_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The folder the verification build turns on: the largest, the one most apps use. With it
/// alone, and clippy's warnings as errors, the check is also CI's one-folder build.
const VERIFIED_FOLDER: &str = "crm";

/// Files every published crate carries.
const LICENSES: &[&str] = &["LICENSE-MIT", "LICENSE-APACHE"];

/// Files some crates must carry besides the licenses.
fn required(krate: &str) -> &'static [&'static str] {
    match krate {
        "bitrix-rest" => &[
            "specs/imbot/imbot.command.update.toml",
            "specs/crm/crm.item.add.toml",
            "specs/README.md",
            "build.rs",
        ],
        "bitrix-runtime" => &["events/imbot/ONIMCOMMANDADD.toml", "build.rs"],
        k if k.starts_with("bitrix-api-") => &[
            "specs/imbot/imbot.command.update.toml",
            "specs/crm/crm.item.add.toml",
            "build.rs",
        ],
        _ => &[],
    }
}

/// Whether `name` (a `.crate` file's name without the extension) is a version of one of
/// `crates`: `NAME-VERSION` with a version that starts with a digit.
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

/// The `.crate` file of `krate` that `cargo package` wrote into `dir`.
fn crate_file(dir: &Path, krate: &str) -> Result<PathBuf, String> {
    std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".crate"))
                .is_some_and(|n| is_unpacked_copy(n, std::slice::from_ref(&krate.to_string())))
        })
        .ok_or_else(|| format!("package: no .crate file of {krate} in {}", dir.display()))
}

/// The files inside a `.crate` file, one per line, without the `NAME-VERSION/` folder.
fn files_inside(file: &Path) -> Result<String, String> {
    let list = output(Command::new("tar").arg("tzf").arg(file))?;
    Ok(list
        .lines()
        .filter_map(|l| l.split_once('/').map(|(_, rest)| rest))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n"))
}

/// A crate outside the workspace that depends on the packaged `bitrix-rest` (every published
/// crate patched in from its unpacked `.crate` file) and names the seed method.
fn verifier(unpacked: &Path, crates: &[String]) -> String {
    let patches: String = crates
        .iter()
        .map(|k| format!("{k} = {{ path = \"{}\" }}\n", unpacked.join(k).display()))
        .collect();
    format!(
        r#"[package]
name = "verify-packaged"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
bitrix-rest = {{ version = "0.1", default-features = false, features = ["{VERIFIED_FOLDER}"] }}

[patch.crates-io]
{patches}
[workspace]
"#
    )
}

/// The command.
pub fn run_check(root: &Path) -> Result<(), String> {
    let crates = published();
    let packaged = target_dir(root).join("package");
    if packaged.exists() {
        std::fs::remove_dir_all(&packaged).map_err(|e| format!("{}: {e}", packaged.display()))?;
    }
    let selected: Vec<String> = crates
        .iter()
        .flat_map(|k| ["-p".to_string(), k.clone()])
        .collect();
    run(cargo()
        .current_dir(root)
        .args(["package", "-q", "--allow-dirty", "--no-verify"])
        .args(&selected))?;

    // The files: licenses, specs and build scripts inside every .crate file.
    let verify = target_dir(root).join("package-verify");
    let unpacked = verify.join("crates");
    if unpacked.exists() {
        std::fs::remove_dir_all(&unpacked).map_err(|e| format!("{}: {e}", unpacked.display()))?;
    }
    std::fs::create_dir_all(&unpacked).map_err(|e| format!("{}: {e}", unpacked.display()))?;
    for krate in &crates {
        let file = crate_file(&packaged, krate)?;
        let list = files_inside(&file)?;
        let needles: Vec<&str> = LICENSES.iter().chain(required(krate)).copied().collect();
        if let Some(missing) = lacking(&list, &needles).first() {
            return Err(format!("package: {krate}'s .crate lacks {missing}"));
        }
        let specs = list
            .lines()
            .filter(|l| l.starts_with("specs/") && l.ends_with(".toml"))
            .count();
        println!("package: {krate} ok ({specs} spec files inside)");
        // Unpacked as `crates/NAME`, whatever the version, so the patch paths stay fixed.
        let into = unpacked.join(krate);
        std::fs::create_dir_all(&into).map_err(|e| format!("{}: {e}", into.display()))?;
        run(Command::new("tar")
            .arg("xzf")
            .arg(&file)
            .arg("--strip-components=1")
            .arg("-C")
            .arg(&into))?;
    }

    // The build: cargo's own verification builds each of the 13 crates on its own, the API
    // parts twice; one crate that depends on the packaged bitrix-rest checks them all once.
    // One folder proves the generator finds its specs inside the .crate files; the whole API
    // is built by the tests.
    let app = verify.join("app");
    std::fs::create_dir_all(app.join("src")).map_err(|e| format!("{}: {e}", app.display()))?;
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(app.join("Cargo.toml"), &verifier(&unpacked, &crates))?;
    write(
        app.join("src/lib.rs"),
        "//! Names a method of the packaged API.\npub use bitrix_rest::api::crm::item::Add;\n",
    )?;
    // The workspace's versions of everything else, so that the check needs no network.
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    // Clippy: the patched crates are local to cargo, so their warnings are not capped.
    run(cargo()
        .current_dir(&app)
        .env("CARGO_TARGET_DIR", verify.join("target"))
        .args(["clippy", "-q", "--offline", "--", "-D", "warnings"]))?;
    println!("package: the packaged bitrix-rest with `{VERIFIED_FOLDER}` alone builds from the .crate files, without warnings");
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
    fn crate_files_are_matched_by_name_and_version() {
        let crates = published();
        assert!(is_unpacked_copy("bitrix-rest-0.1.0", &crates));
        assert!(is_unpacked_copy("bitrix-api-7-0.1.0", &crates));
        assert!(!is_unpacked_copy("bitrix-rest", &crates));
        assert!(!is_unpacked_copy("bitrix-restx-0.1.0", &crates));
        assert!(!is_unpacked_copy("serde-1.0.0", &crates));
        assert!(!is_unpacked_copy("bitrix-api-7-beta", &crates));
    }

    #[test]
    fn the_verifier_patches_in_every_packaged_crate() {
        let crates = published();
        let text = verifier(Path::new("/v/crates"), &crates);
        assert!(text.contains(
            "bitrix-rest = { version = \"0.1\", default-features = false, features = [\"crm\"] }"
        ));
        for k in &crates {
            assert!(
                text.contains(&format!("\n{k} = {{ path = \"/v/crates/{k}\" }}\n")),
                "{k}"
            );
        }
        assert!(
            text.trim_end().ends_with("[workspace]"),
            "outside the SDK's workspace"
        );
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
