//! The specs already in the folder, as read by the spec library (`bitrix_codegen::source`): just
//! enough to decide what import may overwrite and what drift and stats compare.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bitrix_codegen::SpecSource;
use serde_json::Value;

/// The facts of a spec file that the tool compares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Existing {
    /// Where the file is.
    pub path: PathBuf,
    /// The `method` key.
    pub method: String,
    /// `origin = "import"`.
    pub imported: bool,
    /// Its todo points.
    pub todo: Vec<String>,
    /// The whole spec as JSON, for comparisons.
    pub value: Value,
    /// The file's text, for the tools that write it over (import keeps its other keys, mark
    /// edits it).
    pub text: String,
}

impl Existing {
    /// The file name without `.toml`, lower-cased: `method`, or `method@v3` for a REST 3.0 twin.
    pub fn key(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_else(|| self.method.to_ascii_lowercase())
    }
}

/// A spec folder as the tools see it: the method specs and each folder's `_types.toml`.
#[derive(Debug, Default)]
pub struct Folder {
    /// Every method spec (not `_types.toml`), sorted by path.
    pub specs: Vec<Existing>,
    /// Each folder's `_types.toml` as JSON, by the folder's path.
    pub shared: BTreeMap<PathBuf, Value>,
}

/// Reads every spec below `dir` (not `_types.toml`), sorted by path. Unreadable files are
/// returned as problems; a folder that does not exist holds no spec.
pub fn read_all(dir: &Path) -> (Vec<Existing>, Vec<String>) {
    match read_folder(dir) {
        Ok(f) => (f.specs, Vec::new()),
        Err(problems) => (Vec::new(), problems),
    }
}

/// Reads every spec and shared types file below `dir`; the problems of all files that could not
/// be read or parsed.
pub fn read_folder(dir: &Path) -> Result<Folder, Vec<String>> {
    let sources = bitrix_codegen::load_dir_if_present(dir)
        .map_err(|p| p.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let mut out = Folder::default();
    let mut problems = Vec::new();
    for s in sources {
        if s.is_shared_types() {
            match bitrix_codegen::read::raw(&s.text) {
                Ok(v) => {
                    let folder = s.path.parent().unwrap_or(Path::new("")).to_path_buf();
                    out.shared.insert(folder, v);
                }
                Err(p) => problems.push(format!("{}: {p}", s.path.display())),
            }
            continue;
        }
        match from_source(s) {
            Ok(e) => out.specs.push(e),
            Err((path, p)) => problems.push(format!("{}: {p}", path.display())),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn from_source(s: SpecSource) -> Result<Existing, (PathBuf, String)> {
    let value = match bitrix_codegen::read::raw(&s.text) {
        Ok(v) => v,
        Err(p) => return Err((s.path, p)),
    };
    let Some(method) = value.get("method").and_then(Value::as_str) else {
        return Err((s.path, "no `method`".into()));
    };
    Ok(Existing {
        method: method.to_string(),
        imported: value.get("origin").and_then(Value::as_str) == Some("import"),
        todo: value
            .get("todo")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        path: s.path,
        text: s.text,
        value,
    })
}
