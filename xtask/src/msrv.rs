//! `cargo xtask msrv` and `cargo xtask one-folder`: what CI can say about the oldest Rust the
//! workspace supports (`rust-version` in the root `Cargo.toml`) with only the current toolchain,
//! and a build of `bitrix-rest` with a single folder's feature.
//!
//! The MSRV check reads `cargo metadata`: every package the workspace's build resolves to on this
//! platform must declare a `rust-version` no newer than ours. The code itself is held to it by
//! clippy's `incompatible_msrv` lint (std items stabilised after `rust-version`), which `.ci/run`
//! denies in its workspace-wide clippy run.

use crate::util::{cargo, output, run};
use serde_json::Value;
use std::path::Path;

/// A Rust version as `rust-version` writes it: `1.85` or `1.85.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// Reads `1.85` or `1.85.1`.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        parts
            .next()
            .is_none()
            .then_some(Version(major, minor, patch))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The workspace's `rust-version` and the packages of the resolved graph that need a newer Rust
/// (`name version needs X`), from `cargo metadata --format-version 1`'s answer.
pub fn too_new(metadata: &Value) -> Result<(Version, Vec<String>), String> {
    let packages = metadata["packages"]
        .as_array()
        .ok_or("cargo metadata: no packages")?;
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .ok_or("cargo metadata: no workspace_members")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let declared = |p: &Value| p["rust_version"].as_str().and_then(Version::parse);
    let ours = packages
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| members.contains(&id)))
        .filter_map(declared)
        .min()
        .ok_or("cargo metadata: no workspace member declares rust-version")?;
    // Only what is resolved (the host's platform, our features) counts; `packages` also lists
    // dependencies that no build here uses.
    let resolved: Vec<&str> = metadata["resolve"]["nodes"]
        .as_array()
        .ok_or("cargo metadata: no resolve graph")?
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    let mut newer: Vec<String> = packages
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| resolved.contains(&id)))
        .filter_map(|p| {
            let needs = declared(p)?;
            (needs > ours).then(|| {
                format!(
                    "{} {} needs Rust {needs}",
                    p["name"].as_str().unwrap_or("?"),
                    p["version"].as_str().unwrap_or("?")
                )
            })
        })
        .collect();
    newer.sort();
    Ok((ours, newer))
}

fn host() -> Result<String, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let verbose = output(std::process::Command::new(rustc).arg("-vV"))?;
    verbose
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(String::from)
        .ok_or_else(|| "rustc -vV: no host line".into())
}

/// `cargo xtask msrv`.
pub fn run_msrv(root: &Path) -> Result<(), String> {
    let text = output(cargo().current_dir(root).args([
        "metadata",
        "--format-version",
        "1",
        "--locked",
        "--filter-platform",
        &host()?,
    ]))?;
    let metadata: Value =
        serde_json::from_str(&text).map_err(|e| format!("cargo metadata: {e}"))?;
    let (ours, newer) = too_new(&metadata)?;
    if !newer.is_empty() {
        return Err(format!(
            "msrv: rust-version is {ours} but the lockfile holds:\n  {}",
            newer.join("\n  ")
        ));
    }
    println!("msrv: no dependency needs a Rust newer than {ours}");
    Ok(())
}

/// `cargo xtask one-folder FOLDER`: `bitrix-rest` with that folder's feature alone, linted with
/// warnings as errors (code that only the other folders use shows up here as unused).
pub fn run_one_folder(root: &Path, folder: &str) -> Result<(), String> {
    if !root.join("specs").join(folder).is_dir() {
        return Err(format!("one-folder: specs/{folder} is not a folder"));
    }
    run(cargo()
        .current_dir(root)
        .args(["clippy", "-q", "-p", "bitrix-rest", "--no-default-features"])
        .args(["--features", folder, "--", "-D", "warnings"]))?;
    println!("one-folder: bitrix-rest with `{folder}` alone builds without warnings");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_read_two_or_three_parts() {
        assert_eq!(Version::parse("1.85"), Some(Version(1, 85, 0)));
        assert_eq!(Version::parse("1.85.1"), Some(Version(1, 85, 1)));
        assert_eq!(Version::parse("1"), Some(Version(1, 0, 0)));
        assert_eq!(Version::parse("1.x"), None);
        assert_eq!(Version::parse("1.2.3.4"), None);
        assert!(Version(1, 86, 0) > Version(1, 85, 9));
    }

    fn metadata(dep_needs: &str, resolved: bool) -> Value {
        let mut nodes = vec![json!({"id": "ours"})];
        if resolved {
            nodes.push(json!({"id": "dep"}));
        }
        json!({
            "workspace_members": ["ours"],
            "packages": [
                {"id": "ours", "name": "bitrix-rest", "version": "0.1.0", "rust_version": "1.85"},
                {"id": "dep", "name": "serde", "version": "1.0.0", "rust_version": dep_needs},
                {"id": "old", "name": "old", "version": "1.0.0", "rust_version": null}
            ],
            "resolve": {"nodes": nodes}
        })
    }

    #[test]
    fn a_resolved_dependency_needing_a_newer_rust_is_reported() {
        let (ours, newer) = too_new(&metadata("1.88", true)).unwrap();
        assert_eq!(ours, Version(1, 85, 0));
        assert_eq!(newer, vec!["serde 1.0.0 needs Rust 1.88.0"]);
    }

    #[test]
    fn older_or_unresolved_dependencies_pass() {
        assert!(too_new(&metadata("1.85.0", true)).unwrap().1.is_empty());
        assert!(too_new(&metadata("1.99", false)).unwrap().1.is_empty());
    }
}
