//! The specs already in the folder: read just enough to decide what import may overwrite and
//! what drift compares.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use toml::de::{DeTable, DeValue};

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

/// Reads every spec below `dir` (not `_types.toml`), sorted by path. Unreadable files are
/// returned as problems.
pub fn read_all(dir: &Path) -> (Vec<Existing>, Vec<String>) {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        match read_one(&f) {
            Ok(e) => out.push(e),
            Err(p) => problems.push(format!("{}: {p}", f.display())),
        }
    }
    (out, problems)
}

/// Reads one spec file.
pub fn read_one(path: &Path) -> Result<Existing, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let value = parse(&text)?;
    let method = value
        .get("method")
        .and_then(Value::as_str)
        .ok_or("no `method`")?
        .to_string();
    Ok(Existing {
        path: path.to_path_buf(),
        method,
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
        value,
    })
}

/// TOML text to JSON.
pub fn parse(text: &str) -> Result<Value, String> {
    let doc = DeTable::parse(text).map_err(|e| e.message().to_string())?;
    Ok(table(doc.get_ref()))
}

fn table(t: &DeTable<'_>) -> Value {
    let mut m = Map::new();
    for (k, v) in t.iter() {
        m.insert(k.get_ref().to_string(), value(v.get_ref()));
    }
    Value::Object(m)
}

fn value(v: &DeValue<'_>) -> Value {
    match v {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(i.as_str().to_string())),
        DeValue::Float(f) => Value::String(f.as_str().to_string()),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(|x| value(x.get_ref())).collect()),
        DeValue::Table(t) => table(t),
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml")
            && p.file_name().is_some_and(|n| n != "_types.toml")
        {
            out.push(p);
        }
    }
}
