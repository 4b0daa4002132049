//! The generated API laid out by domain, for `cargo xtask scale … domains`: the layout
//! async-stripe and aws-sdk-rust use (a crate per product area) measured against the hash parts
//! the project ships (`bitrix-api/part-N`, each method in the part its name hashes to). Rewrites
//! a copy of the workspace; the shipped layout is never touched.

use crate::sync::SHARDS;
use std::fs;
use std::path::Path;

/// The domain crates and the folders of `specs/` each one generates: eight, as many as the
/// hash parts, grouped as the portal's products are.
pub const DOMAINS: &[(&str, &[&str])] = &[
    ("crm", &["crm"]),
    ("tasks", &["task", "tasks"]),
    ("im", &["im", "imbot", "imconnector", "imopenlines"]),
    ("sale", &["sale", "salescenter", "catalog"]),
    (
        "people",
        &[
            "user",
            "department",
            "humanresources",
            "timeman",
            "userconsent",
        ],
    ),
    (
        "content",
        &[
            "disk",
            "calendar",
            "landing",
            "lists",
            "documentgenerator",
            "sign",
            "socialnetwork",
            "sonet_group",
            "log",
            "vote",
            "note",
            "mail",
            "mailservice",
        ],
    ),
    (
        "telephony",
        &["telephony", "voximplant", "call", "messageservice"],
    ),
    (
        "platform",
        &[
            "ai",
            "biconnector",
            "bizproc",
            "booking",
            "core",
            "entity",
            "main",
            "placement",
            "rpa",
            "userfieldconfig",
            "userfieldtype",
        ],
    ),
];

/// The domain of a folder; a folder no domain names goes to `platform`.
pub fn domain_of(folder: &str) -> &'static str {
    DOMAINS
        .iter()
        .find(|(_, folders)| folders.contains(&folder))
        .map_or("platform", |(d, _)| *d)
}

/// `bitrix-rest/Cargo.toml` with the domain crates in place of the parts: each folder feature
/// turns on its one domain crate, the parts' dependency lines become the domains' lines.
pub fn rest_manifest(text: &str, folders: &[String]) -> String {
    let mut out = String::new();
    let mut deps_written = false;
    for line in text.lines() {
        let name = line.split(" = ").next().unwrap_or("");
        if line.starts_with("bitrix-api-") {
            // Dependencies (normal and dev): one block of domain crates, written once.
            if !deps_written {
                for (d, _) in DOMAINS {
                    out += &format!("bitrix-api-{d} = {{ path = \"../bitrix-api/{d}\" }}\n");
                }
                deps_written = true;
            }
            continue;
        }
        if folders.iter().any(|f| f == name) && line.contains("\"bitrix-api-0/") {
            out += &format!(
                "{name} = [\"bitrix-api-{}/{name}\", \"bitrix-runtime/{name}\"]\n",
                domain_of(name)
            );
            continue;
        }
        out += line;
        out.push('\n');
    }
    out
}

/// A domain crate's manifest.
fn domain_manifest(domain: &str, folders: &[&str]) -> String {
    let features: String = folders.iter().map(|f| format!("{f} = []\n")).collect();
    format!(
        r#"[package]
name = "bitrix-api-{domain}"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
test = false
doctest = false

[features]
{features}test-tables = []

[dependencies]
bitrix-runtime.workspace = true
bitrix-macros.workspace = true
"#
    )
}

const DOMAIN_LIB: &str = r#"//! One domain of the generated API.
bitrix_macros::include_specs!(
    "specs",
    runtime = "::bitrix_runtime",
    shared = "::bitrix_runtime::shared",
    scope_features = true,
    tables = "test-tables"
);
"#;

/// Rewrites the workspace copy at `ws` to domain crates. Each domain crate's `specs/` holds
/// links to its folders only; `bitrix-rest` re-exports the domains' modules, whose folder
/// modules do not overlap.
pub fn rewrite(ws: &Path) -> Result<(), String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    for i in 0..SHARDS {
        let part = ws.join(format!("bitrix-api/part-{i}"));
        fs::remove_dir_all(&part).map_err(|e| err(&part, e))?;
    }
    let present: Vec<String> = fs::read_dir(ws.join("specs"))
        .map_err(|e| err(&ws.join("specs"), e))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for (domain, folders) in DOMAINS {
        let dir = ws.join("bitrix-api").join(domain);
        let specs = dir.join("specs");
        fs::create_dir_all(dir.join("src")).map_err(|e| err(&dir, e))?;
        fs::create_dir_all(&specs).map_err(|e| err(&specs, e))?;
        let mut own: Vec<&str> = folders.to_vec();
        // Folders added since the table was written go to `platform`.
        if *domain == "platform" {
            for f in &present {
                if DOMAINS.iter().all(|(_, fs)| !fs.contains(&f.as_str())) {
                    own.push(f);
                }
            }
        }
        for folder in &own {
            link(&format!("../../../specs/{folder}"), &specs.join(folder))?;
        }
        link("../../bitrix-rest/build.rs", &dir.join("build.rs"))?;
        fs::write(dir.join("Cargo.toml"), domain_manifest(domain, &own))
            .map_err(|e| err(&dir, e))?;
        fs::write(dir.join("src/lib.rs"), DOMAIN_LIB).map_err(|e| err(&dir, e))?;
    }
    let manifest = ws.join("bitrix-rest/Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| err(&manifest, e))?;
    fs::write(&manifest, rest_manifest(&text, &present)).map_err(|e| err(&manifest, e))?;
    let lib = ws.join("bitrix-rest/src/lib.rs");
    let text = fs::read_to_string(&lib).map_err(|e| err(&lib, e))?;
    let uses: String = DOMAINS
        .iter()
        .map(|(d, _)| format!("    pub use ::bitrix_api_{d}::*;\n"))
        .collect();
    let mut out = String::new();
    for line in text.lines() {
        if line.contains("bitrix_macros::include_api!") {
            out += &uses;
        } else {
            out += line;
            out.push('\n');
        }
    }
    fs::write(&lib, out).map_err(|e| err(&lib, e))?;
    let root = ws.join("Cargo.toml");
    let text = fs::read_to_string(&root).map_err(|e| err(&root, e))?;
    let mut text = text.replace(
        "[profile.dev.package.bitrix-api-",
        "[profile.dev.package.unused-part-",
    );
    for (d, _) in DOMAINS {
        text += &format!("\n[profile.dev.package.bitrix-api-{d}]\ndebug = false\n");
    }
    fs::write(&root, text).map_err(|e| err(&root, e))
}

fn link(target: &str, at: &Path) -> Result<(), String> {
    #[cfg(unix)]
    return std::os::unix::fs::symlink(target, at).map_err(|e| format!("{}: {e}", at.display()));
    #[cfg(not(unix))]
    return Err(format!("{}: links are made on Unix only", at.display()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_folder_has_one_domain() {
        let root = crate::util::root().unwrap();
        let folders = crate::sync::folders(&root.join("specs")).unwrap();
        for f in &folders {
            let named: Vec<&str> = DOMAINS
                .iter()
                .filter(|(_, fs)| fs.contains(&f.as_str()))
                .map(|(d, _)| *d)
                .collect();
            assert_eq!(named.len(), 1, "{f}: {named:?}");
        }
        assert_eq!(DOMAINS.len(), SHARDS, "as many domain crates as hash parts");
    }

    #[test]
    fn the_rest_manifest_names_domains_instead_of_parts() {
        let text = "[features]\ncrm = [\"bitrix-api-0/crm\", \"bitrix-api-1/crm\", \"bitrix-runtime/crm\"]\naxum = []\n\n[dependencies]\nbitrix-api-0 = { path = \"x\" }\nbitrix-api-1 = { path = \"y\" }\n\n[dev-dependencies]\nbitrix-api-0 = { path = \"x\", features = [\"test-tables\"] }\ntokio = \"1\"\n";
        let out = rest_manifest(text, &["crm".to_string()]);
        assert!(out.contains("crm = [\"bitrix-api-crm/crm\", \"bitrix-runtime/crm\"]\n"));
        assert!(out.contains("axum = []\n"));
        assert_eq!(out.matches("bitrix-api-tasks = ").count(), 1, "{out}");
        assert!(!out.contains("bitrix-api-0"));
        assert!(out.contains("[dev-dependencies]\ntokio = \"1\"\n"));
    }
}
