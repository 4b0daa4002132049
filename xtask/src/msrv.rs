//! `cargo xtask msrv` and `cargo xtask one-folder`: what CI can say about the oldest Rust the
//! workspace supports (`rust-version` in the root `Cargo.toml`) with only the current toolchain,
//! and a build of `bitrix-rest` with a single folder's feature.
//!
//! The MSRV check reads `cargo metadata` (the lockfile, this platform): every package the
//! published crates build must declare a `rust-version` no newer than ours; packages only tests,
//! benches or unpublished tools build are listed but do not fail it. The code itself is held to it by
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

/// What the lockfile says about `rust-version`, from `cargo metadata --format-version 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The workspace's `rust-version` (the lowest a member declares).
    pub ours: Version,
    /// Packages the published crates build (normal and build dependencies, transitively) that
    /// need a newer Rust: the promise to users is broken.
    pub broken: Vec<String>,
    /// Packages only tests, benches or unpublished tools build that need a newer Rust: a
    /// contributor on the oldest Rust cannot run every test.
    pub dev_only: Vec<String>,
}

/// Reads `cargo metadata`'s answer into a [`Report`].
pub fn report(metadata: &Value) -> Result<Report, String> {
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
    let nodes = metadata["resolve"]["nodes"]
        .as_array()
        .ok_or("cargo metadata: no resolve graph")?;
    let resolved: Vec<&str> = nodes.iter().filter_map(|n| n["id"].as_str()).collect();
    // What users build: the published members (`publish` unset) and, transitively, their
    // normal and build dependencies.
    let mut promised: Vec<&str> = packages
        .iter()
        .filter(|p| p["publish"].is_null())
        .filter_map(|p| p["id"].as_str())
        .filter(|id| members.contains(id))
        .collect();
    let mut next = 0;
    while next < promised.len() {
        let id = promised[next];
        next += 1;
        let Some(node) = nodes.iter().find(|n| n["id"].as_str() == Some(id)) else {
            continue;
        };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let built = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].as_str() != Some("dev"));
            if let Some(pkg) = dep["pkg"].as_str().filter(|_| built) {
                if !promised.contains(&pkg) {
                    promised.push(pkg);
                }
            }
        }
    }
    let (mut broken, mut dev_only) = (Vec::new(), Vec::new());
    for p in packages {
        let Some(id) = p["id"].as_str().filter(|id| resolved.contains(id)) else {
            continue;
        };
        let Some(needs) = declared(p).filter(|v| *v > ours) else {
            continue;
        };
        let line = format!(
            "{} {} needs Rust {needs}",
            p["name"].as_str().unwrap_or("?"),
            p["version"].as_str().unwrap_or("?")
        );
        if promised.contains(&id) {
            broken.push(line);
        } else {
            dev_only.push(line);
        }
    }
    broken.sort();
    dev_only.sort();
    Ok(Report {
        ours,
        broken,
        dev_only,
    })
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
    let Report {
        ours,
        broken,
        dev_only,
    } = report(&metadata)?;
    if !dev_only.is_empty() {
        println!(
            "msrv: tests, benches or tools only (not built for users) need a newer Rust than {ours}:\n  {}",
            dev_only.join("\n  ")
        );
    }
    if !broken.is_empty() {
        return Err(format!(
            "msrv: rust-version is {ours} but the published crates build (`cargo update -p NAME` \
             picks a version that fits):\n  {}",
            broken.join("\n  ")
        ));
    }
    println!("msrv: nothing the published crates build needs a Rust newer than {ours}");
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

    /// A published crate with a normal dependency `dep`, a dev-dependency `test-dep`, and an
    /// unpublished tool with a normal dependency `tool-dep`; `dep` may be left out of the
    /// resolve graph (another platform's).
    fn metadata(needs: &str, resolved: bool) -> Value {
        let mut nodes = vec![
            json!({"id": "ours", "deps": [
                {"pkg": "dep", "dep_kinds": [{"kind": null}]},
                {"pkg": "test-dep", "dep_kinds": [{"kind": "dev"}]}
            ]}),
            json!({"id": "tool", "deps": [{"pkg": "tool-dep", "dep_kinds": [{"kind": null}]}]}),
            json!({"id": "test-dep", "deps": []}),
            json!({"id": "tool-dep", "deps": []}),
        ];
        if resolved {
            nodes.push(json!({"id": "dep", "deps": []}));
        }
        let package = |id: &str, needs: Option<&str>, publish: Value| json!({"id": id, "name": id, "version": "1.0.0", "rust_version": needs, "publish": publish});
        json!({
            "workspace_members": ["ours", "tool"],
            "packages": [
                package("ours", Some("1.85"), Value::Null),
                package("tool", Some("1.85"), json!([])),
                package("dep", Some(needs), Value::Null),
                package("test-dep", Some("1.90"), Value::Null),
                package("tool-dep", Some("1.91"), Value::Null),
                package("old", None, Value::Null),
            ],
            "resolve": {"nodes": nodes}
        })
    }

    #[test]
    fn a_dependency_of_a_published_crate_needing_a_newer_rust_breaks_the_promise() {
        let r = report(&metadata("1.88", true)).unwrap();
        assert_eq!(r.ours, Version(1, 85, 0));
        assert_eq!(r.broken, vec!["dep 1.0.0 needs Rust 1.88.0"]);
        assert_eq!(
            r.dev_only,
            vec![
                "test-dep 1.0.0 needs Rust 1.90.0",
                "tool-dep 1.0.0 needs Rust 1.91.0"
            ]
        );
    }

    #[test]
    fn older_or_unresolved_dependencies_pass() {
        assert!(report(&metadata("1.85.0", true)).unwrap().broken.is_empty());
        assert!(report(&metadata("1.99", false)).unwrap().broken.is_empty());
    }
}
