//! `cargo xtask circles`: no import circle between the modules of a crate. Modules that use each
//! other cannot be read, tested or moved one at a time; a layered crate can. Each crate's `src/`
//! is read as files (`a/b.rs` and `a/b/mod.rs` are module `a::b`), its `crate::…` and `super::…`
//! paths (comments aside) are the edges, and the graph is checked twice: between top-level
//! modules, and between the modules one level down (`auth::grant` -> `auth::oauth`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One module's source: its path (`["auth", "grant"]`) and its lines.
struct Module {
    path: Vec<String>,
    file: PathBuf,
    text: String,
}

/// An import circle: the modules in it and, per edge, where the reference was found.
#[derive(Debug)]
pub struct Circle {
    /// The modules, `a::b` form, sorted.
    pub modules: Vec<String>,
    /// `from -> to (file:line)` for each edge inside the circle.
    pub edges: Vec<String>,
}

/// Checks every crate of the workspace with a `src/` folder.
pub fn run_check(root: &Path) -> Result<(), String> {
    let mut found = Vec::new();
    let mut crates = 0;
    for dir in crate_dirs(root)? {
        crates += 1;
        for circle in circles(&dir.join("src"))? {
            found.push(format!(
                "{}: {}\n    {}",
                dir.strip_prefix(root).unwrap_or(&dir).display(),
                circle.modules.join(" <-> "),
                circle.edges.join("\n    ")
            ));
        }
    }
    if found.is_empty() {
        println!("no import circle in {crates} crates");
        Ok(())
    } else {
        Err(format!(
            "{} import circle(s); move what both sides use into a module of its own:\n{}",
            found.len(),
            found.join("\n")
        ))
    }
}

/// The workspace's crate folders: every folder (one level, or two under `bitrix-api/` and
/// `tests/`) with a `Cargo.toml` and a `src/`.
pub(crate) fn crate_dirs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !path.is_dir() || name.starts_with('.') || name == "target" || name == "fuzz" {
                continue;
            }
            if path.join("Cargo.toml").is_file() && path.join("src").is_dir() {
                out.push(path.clone());
            }
            if depth == 0 && (name == "bitrix-api" || name == "tests") {
                stack.push((path, 1));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The import circles of the crate whose sources are in `src`.
pub fn circles(src: &Path) -> Result<Vec<Circle>, String> {
    let modules = read_modules(src)?;
    let known: BTreeSet<Vec<String>> = modules.iter().map(|m| m.path.clone()).collect();
    let mut out = Vec::new();
    for depth in [1, 2] {
        // node -> node -> first place seen
        let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for module in &modules {
            let from = cut(&module.path, depth);
            edges.entry(from.join("::")).or_default();
            for (line_no, target) in references(module, &known) {
                let to = cut(&target, depth);
                if to.is_empty() || from.starts_with(&to) || to.starts_with(&from) {
                    continue;
                }
                let place = format!(
                    "{}:{}",
                    module
                        .file
                        .strip_prefix(src)
                        .unwrap_or(&module.file)
                        .display(),
                    line_no
                );
                edges
                    .entry(from.join("::"))
                    .or_default()
                    .entry(to.join("::"))
                    .or_insert(place);
            }
        }
        for component in strongly_connected(&edges) {
            let set: BTreeSet<&String> = component.iter().collect();
            let mut listed = Vec::new();
            for from in &component {
                for (to, place) in &edges[from] {
                    if set.contains(to) {
                        listed.push(format!("{from} -> {to} ({place})"));
                    }
                }
            }
            out.push(Circle {
                modules: component,
                edges: listed,
            });
        }
    }
    Ok(out)
}

/// The first `depth` segments of a module path.
fn cut(path: &[String], depth: usize) -> Vec<String> {
    path[..path.len().min(depth)].to_vec()
}

/// Reads every `.rs` file under `src` as a module.
fn read_modules(src: &Path) -> Result<Vec<Module>, String> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).map_err(|e| e.to_string())?;
            let mut parts: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
                parts.clear();
            }
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push(Module {
                path: parts,
                file: path,
                text,
            });
        }
    }
    Ok(out)
}

/// The modules a module refers to, with the line: `crate::a::b::Item` is the longest known
/// module prefix (`a::b`), `super::x` is `x` beside the module. Comment lines are skipped, so a
/// doc link is not an import.
fn references(module: &Module, known: &BTreeSet<Vec<String>>) -> Vec<(usize, Vec<String>)> {
    let parent: Vec<String> = module
        .path
        .split_last()
        .map(|(_, p)| p.to_vec())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (i, line) in module.text.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for (anchor, base) in [("crate::", Vec::new()), ("super::", parent.clone())] {
            let mut rest = line;
            while let Some(at) = rest.find(anchor) {
                let before = rest[..at].chars().last();
                let tail = &rest[at + anchor.len()..];
                rest = tail;
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let mut path = base.clone();
                let mut best = None;
                for segment in tail.split("::") {
                    let name: String = segment
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if name.is_empty() {
                        break;
                    }
                    // `Thing;` or `helper(x)`: the path ends inside this segment.
                    let whole = name.len() == segment.len();
                    path.push(name);
                    if known.contains(&path) {
                        best = Some(path.clone());
                    }
                    if !whole {
                        break;
                    }
                }
                if let Some(found) = best {
                    out.push((i + 1, found));
                }
            }
        }
    }
    out
}

/// Tarjan's strongly connected components with more than one node, each sorted.
fn strongly_connected(edges: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeMap<String, String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let edges = s.edges;
        for w in edges.get(v).into_iter().flat_map(|m| m.keys()) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_crate(files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "xtask-circles-{}-{}",
            std::process::id(),
            files.len() * 31 + files[0].1.len()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_circle_between_top_level_modules_is_found_with_its_places() {
        let src = write_crate(&[
            ("lib.rs", "mod a;\nmod b;\n"),
            ("a.rs", "use crate::b::Thing;\n"),
            ("b/mod.rs", "mod inner;\n"),
            (
                "b/inner.rs",
                "// crate::c is only a comment\nfn f() { crate::a::g(); }\n",
            ),
        ]);
        let found = circles(&src).unwrap();
        std::fs::remove_dir_all(&src).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].modules, vec!["a", "b"]);
        assert!(found[0].edges.iter().any(|e| e == "a -> b (a.rs:1)"));
        assert!(found[0]
            .edges
            .iter()
            .any(|e| e.starts_with("b -> a (b/inner.rs:2)")));
    }

    #[test]
    fn a_circle_one_level_down_is_found_through_super() {
        let src = write_crate(&[
            ("lib.rs", "mod auth;\n"),
            ("auth/mod.rs", "mod grant;\nmod oauth;\n"),
            ("auth/grant.rs", "use super::oauth::TokenPair;\n"),
            ("auth/oauth.rs", "use super::grant::Grant;\n"),
        ]);
        let found = circles(&src).unwrap();
        std::fs::remove_dir_all(&src).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].modules, vec!["auth::grant", "auth::oauth"]);
    }

    #[test]
    fn layers_and_references_to_items_or_parents_are_not_circles() {
        let src = write_crate(&[
            ("lib.rs", "mod a;\nmod b;\npub use a::X;\n"),
            ("a/mod.rs", "mod x;\nuse crate::b::Y;\n"),
            ("a/x.rs", "use super::*;\nuse crate::a::helper;\n"),
            ("b.rs", "pub struct Y;\nfn f() { let _ = crate::Y; }\n"),
        ]);
        let found = circles(&src).unwrap();
        std::fs::remove_dir_all(&src).unwrap();
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn the_workspace_crates_are_found() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let dirs = crate_dirs(root).unwrap();
        assert!(dirs.iter().any(|d| d.ends_with("bitrix-runtime")));
        assert!(dirs.iter().any(|d| d.ends_with("xtask")));
    }
}
