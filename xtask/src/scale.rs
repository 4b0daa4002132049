//! `cargo xtask scale N|shipped [SCOPE]`: the build cost at scale (issue 10). Makes N synthetic
//! method specs from the shipped ones (copies under new method names, in the same folders), then
//! measures the build of the API with all folders, after editing one spec, and with one folder:
//! time and peak memory. Works on a copy of the workspace in `$SCALE_DIR` (default
//! `target/scale`); dependencies are built once in its own target folder and reused, so the
//! figures are "dependencies prebuilt".

use crate::sync::SHARDS;
use crate::util::{cargo, measure, quietly};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The method name in a spec (its `method = "…"` line).
pub fn method_of(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|l| l.strip_prefix("method = \""))
        .and_then(|rest| rest.split('"').next())
        .filter(|m| !m.is_empty())
}

/// Whether the importer wrote the spec (an `origin = "import"` line).
pub fn imported(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("origin = \"import\""))
}

/// The synthetic specs that bring `shipped` (path and text, sorted by path) up to `n`: copy `i` of
/// `a.b.c` is `a.sI.b.c` (an entity module of its own), in the folder of its original.
pub fn synthetic(shipped: &[(PathBuf, String)], n: usize) -> Vec<(PathBuf, String)> {
    let mut made = Vec::new();
    if shipped.is_empty() {
        return made;
    }
    let mut i = 1;
    while shipped.len() + made.len() < n {
        for (path, text) in shipped {
            if shipped.len() + made.len() >= n {
                break;
            }
            let Some(method) = method_of(text) else {
                continue;
            };
            let new = match method.split_once('.') {
                Some((head, rest)) => format!("{head}.s{i}.{rest}"),
                None => format!("{method}.s{i}"),
            };
            let text = text.replacen(
                &format!("method = \"{method}\""),
                &format!("method = \"{new}\""),
                1,
            );
            let dir = path.parent().unwrap_or(Path::new(""));
            made.push((dir.join(format!("{new}.toml")), text));
        }
        i += 1;
    }
    made
}

/// Method spec files under `dir` (`*.toml` not starting with `_`), at any depth.
fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".toml") && !name.starts_with('_') {
                files.push(path);
            }
        }
    }
    files.sort_by_key(|p| p.to_string_lossy().into_owned());
    files
}

/// Copies `from` to `to`, links as links, leaving out the top-level names in `skip`.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        if kind.is_symlink() {
            let target = fs::read_link(&src).map_err(|e| e.to_string())?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, &dst)
                .map_err(|e| format!("{}: {e}", dst.display()))?;
            #[cfg(not(unix))]
            return Err(format!(
                "{}: links are copied on Unix only ({})",
                src.display(),
                target.display()
            ));
        } else if kind.is_dir() {
            copy_tree(&src, &dst, &[])?;
        } else {
            fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

/// The command.
pub fn run_scale(
    root: &Path,
    specs: Option<usize>,
    scope: &str,
    domains: bool,
) -> Result<(), String> {
    let work = std::env::var_os("SCALE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/scale"));
    let ws = work.join("ws");
    if ws.exists() {
        fs::remove_dir_all(&ws).map_err(|e| format!("{}: {e}", ws.display()))?;
    }
    // The workspace without its build output and history.
    copy_tree(root, &ws, &["target", ".git"])?;
    if let Some(n) = specs {
        // Synthetic copies are made from the hand-finished specs only (the imported ones are
        // removed first), so that the curve starts from the same seed specs whatever was
        // imported since.
        let mut shipped = Vec::new();
        for path in spec_files(&ws.join("specs")) {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            if imported(&text) {
                fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            } else {
                shipped.push((path, text));
            }
        }
        let made = synthetic(&shipped, n);
        for (path, text) in &made {
            fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        eprintln!("{} specs", shipped.len() + made.len());
    }
    if domains {
        crate::layout::rewrite(&ws)?;
    }
    let target = work.join("target");
    let in_ws = |args: &[&str]| {
        let mut c = cargo();
        c.current_dir(&ws)
            .env("CARGO_TARGET_DIR", &target)
            .args(args);
        c
    };
    let log = work.join("log");
    let report = |cmd: Command| -> Result<String, String> {
        let m = measure(&cmd, &log)?;
        if !m.ok {
            let text = fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(30).collect();
            for line in tail.iter().rev() {
                eprintln!("{line}");
            }
            return Ok("FAILED".into());
        }
        Ok(match m.peak_mib {
            Some(mib) => format!("{:.1} s, {mib:.0} MiB", m.seconds),
            None => format!("{:.1} s", m.seconds),
        })
    };
    // Dependencies, built once.
    quietly(&mut in_ws(&[
        "build",
        "-q",
        "-p",
        "bitrix-rest",
        "--no-default-features",
    ]));
    let mut ours: Vec<String> = vec!["clean".into(), "-q".into()];
    let names = [
        "bitrix-codegen",
        "bitrix-macros",
        "bitrix-runtime",
        "bitrix-rest",
    ];
    let parts: Vec<String> = if domains {
        crate::layout::DOMAINS
            .iter()
            .map(|(d, _)| format!("bitrix-api-{d}"))
            .collect()
    } else {
        (0..SHARDS).map(|i| format!("bitrix-api-{i}")).collect()
    };
    for name in names.into_iter().map(String::from).chain(parts) {
        ours.extend(["-p".to_string(), name]);
    }
    let ours: Vec<&str> = ours.iter().map(String::as_str).collect();
    quietly(&mut in_ws(&ours));
    println!(
        "specs={} layout={}",
        spec_files(&ws.join("specs")).len(),
        if domains { "domains" } else { "parts" }
    );
    let all = ["build", "-q", "-p", "bitrix-rest", "--all-features"];
    println!("all scopes: {}", report(in_ws(&all))?);
    // One spec of a small folder and one of the largest: a domain crate rebuilds its whole
    // domain, a hash part about an eighth of the API either way.
    for edited in [
        "specs/imbot/imbot.command.update.toml",
        "specs/crm/crm.deal.add.toml",
    ] {
        let spec = ws.join(edited);
        let mut text = fs::read_to_string(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        text.push_str("# edited\n");
        fs::write(&spec, text).map_err(|e| format!("{}: {e}", spec.display()))?;
        println!(
            "one spec edited ({edited}), all scopes: {}",
            report(in_ws(&all))?
        );
    }
    quietly(&mut in_ws(&ours));
    let count = spec_files(&ws.join("specs").join(scope)).len();
    let one = [
        "build",
        "-q",
        "-p",
        "bitrix-rest",
        "--no-default-features",
        "--features",
        scope,
    ];
    println!(
        "one scope ({scope}, {count} specs): {}",
        report(in_ws(&one))?
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(method: &str, origin: &str) -> String {
        format!("method = \"{method}\"\norigin = \"{origin}\"\n[[params]]\nname = \"ID\"\n")
    }

    #[test]
    fn methods_and_origins_are_read_from_their_lines() {
        assert_eq!(
            method_of(&spec("crm.item.add", "hand")),
            Some("crm.item.add")
        );
        assert_eq!(method_of("# method = \"x\"\n"), None);
        assert!(imported(&spec("a.b", "import")));
        assert!(!imported(&spec("a.b", "hand")));
    }

    #[test]
    fn synthetic_copies_get_numbered_entity_modules_in_their_folder() {
        let shipped = vec![
            (
                PathBuf::from("specs/crm/crm.item.add.toml"),
                spec("crm.item.add", "hand"),
            ),
            (
                PathBuf::from("specs/user/user.current.toml"),
                spec("user.current", "hand"),
            ),
            (
                PathBuf::from("specs/core/batch.toml"),
                spec("batch", "hand"),
            ),
        ];
        let made = synthetic(&shipped, 7);
        let names: Vec<String> = made.iter().map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "specs/crm/crm.s1.item.add.toml",
                "specs/user/user.s1.current.toml",
                "specs/core/batch.s1.toml",
                "specs/crm/crm.s2.item.add.toml",
            ]
        );
        assert!(made[0].1.starts_with("method = \"crm.s1.item.add\"\n"));
        assert!(made[0].1.contains("name = \"ID\""));
        assert!(synthetic(&shipped, 2).is_empty());
        assert!(synthetic(&[], 5).is_empty());
    }
}
