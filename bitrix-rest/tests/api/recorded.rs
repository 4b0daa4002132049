//! Answers that live portals sent (`tests/recorded/`, each file with its source) read through the
//! generated types exactly as a call reads them: every success must decode into its method's
//! result type, every error must be the method's documented error or a system error. The test
//! also measures how much of what portals send lands in typed fields, under `any`, and in
//! `extra` (keys the specs do not declare), user fields (`UF_*`) counted apart.

use std::path::{Path, PathBuf};

use bitrix_codegen::model::{Method, Ty, TypeDef, TypeKind};
use bitrix_codegen::valid::SharedTypes;
use bitrix_rest::__private::{find_row, Outcome};
use serde_json::Value;

bitrix_macros::answer_table!(crates = "::bitrix_api_0 ::bitrix_api_1 ::bitrix_api_2 ::bitrix_api_3 ::bitrix_api_4 ::bitrix_api_5 ::bitrix_api_6 ::bitrix_api_7");

/// Shares the corpus must reach (issue: at least 97 % typed, at most 2 % under `any`).
const MIN_TYPED: f64 = 0.97;
const MAX_ANY: f64 = 0.02;

#[test]
fn recorded_answers_decode_into_the_generated_types() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/recorded");
    let files = corpus_files(&corpus);
    assert!(
        !files.is_empty(),
        "no recorded answers in {}",
        corpus.display()
    );
    let specs = Specs::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs"));
    let mut failures = Vec::new();
    let mut totals = Counts::default();
    let (mut answers, mut errors) = (0usize, 0usize);
    for file in &files {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let case: Value = match std::fs::read(file).map(|b| serde_json::from_slice(&b)) {
            Ok(Ok(v)) => v,
            other => {
                failures.push(format!("{name}: unreadable case: {other:?}"));
                continue;
            }
        };
        match read_case(&case, &specs) {
            Ok(report) => {
                answers += report.answers;
                errors += report.errors;
                totals.add(&report.counts);
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!(
        "recorded answers: {} files, {answers} answers ({errors} errors), {} values: {:.1} % typed, {:.1} % under `any`, {:.1} % in `extra`, {} in user fields",
        files.len(),
        totals.values(),
        100.0 * totals.share(totals.typed),
        100.0 * totals.share(totals.any),
        100.0 * totals.share(totals.extra),
        totals.user_fields
    );
    let loose = totals.share(totals.typed) < MIN_TYPED || totals.share(totals.any) > MAX_ANY;
    if loose {
        println!(
            "the files with the most values outside typed fields:\n{}",
            worst(&files, &specs)
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} recorded answers fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(
        !loose,
        "too little of what portals send is typed: at least {:.0} % typed and at most {:.0} % under `any` wanted (see above)",
        100.0 * MIN_TYPED,
        100.0 * MAX_ANY
    );
}

/// The `*.json` cases of the corpus, sorted.
fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// What one case gave.
struct Report {
    answers: usize,
    errors: usize,
    counts: Counts,
}

/// Reads one case: `{method, rest, status, response}` (a `batch` names its commands' method in
/// `inner_method`).
fn read_case(case: &Value, specs: &Specs) -> Result<Report, String> {
    let method = case["method"].as_str().ok_or("no `method`")?;
    let rest = u8::try_from(case["rest"].as_u64().unwrap_or(2)).unwrap_or(2);
    let status = u16::try_from(case["status"].as_u64().unwrap_or(200)).unwrap_or(200);
    let response = &case["response"];
    let body = serde_json::to_vec(response).map_err(|e| e.to_string())?;
    let mut report = Report {
        answers: 0,
        errors: 0,
        counts: Counts::default(),
    };
    if method == "batch" {
        let inner = case["inner_method"]
            .as_str()
            .ok_or("a batch case needs `inner_method`")?;
        let row = find_row(&ANSWER_TABLE, inner, rest).ok_or(format!("no spec for `{inner}`"))?;
        let spec = specs.get(inner, rest);
        for (key, outcome) in (row.3)(&body).map_err(|e| format!("batch of {inner}: {e}"))? {
            report.answers += 1;
            match outcome {
                Outcome::Success => {
                    if let Some(spec) = spec {
                        let result = command_result(&response["result"]["result"], &key);
                        specs.measure(spec, result, &mut report.counts);
                    }
                }
                _ => report.errors += 1,
            }
        }
        return Ok(report);
    }
    let row = find_row(&ANSWER_TABLE, method, rest).ok_or(format!("no spec for `{method}`"))?;
    report.answers = 1;
    match (row.2)(status, &body).map_err(|e| format!("{method}: {e}"))? {
        Outcome::Success => {
            if let Some(spec) = specs.get(method, rest) {
                specs.measure(spec, &response["result"], &mut report.counts);
            }
        }
        _ => report.errors = 1,
    }
    Ok(report)
}

/// A command's result in a batch's `result` (an object by key, or a list when keys are `0..n`).
fn command_result<'a>(results: &'a Value, key: &str) -> &'a Value {
    match results {
        Value::Array(items) => key
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i))
            .unwrap_or(&Value::Null),
        other => &other[key],
    }
}

/// The files with the most values outside typed fields, for the failure message.
fn worst(files: &[PathBuf], specs: &Specs) -> String {
    let mut rows: Vec<(usize, String)> = files
        .iter()
        .filter_map(|f| {
            let case: Value = serde_json::from_slice(&std::fs::read(f).ok()?).ok()?;
            let r = read_case(&case, specs).ok()?;
            let loose = r.counts.any + r.counts.extra;
            Some((
                loose,
                format!("  {loose:>5} of {:>5}  {}", r.counts.values(), f.display()),
            ))
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    rows.into_iter()
        .take(15)
        .map(|r| r.1)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Values counted by where they land.
#[derive(Default, Clone, Copy)]
struct Counts {
    typed: usize,
    any: usize,
    extra: usize,
    user_fields: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.typed += o.typed;
        self.any += o.any;
        self.extra += o.extra;
        self.user_fields += o.user_fields;
    }
    /// Values outside user fields.
    fn values(&self) -> usize {
        self.typed + self.any + self.extra
    }
    fn share(&self, n: usize) -> f64 {
        if self.values() == 0 {
            return 1.0;
        }
        n as f64 / self.values() as f64
    }
}

/// The specs, read as the macros read them, to walk an answer along its declared types.
struct Specs {
    methods: Vec<Method>,
    shared: SharedTypes,
}

impl Specs {
    fn load(dir: &Path) -> Specs {
        let sources = bitrix_codegen::load_dir(dir).unwrap_or_default();
        let checked = bitrix_codegen::check_all(&sources);
        Specs {
            methods: checked.methods,
            shared: checked.shared,
        }
    }

    fn get(&self, method: &str, rest: u8) -> Option<&Method> {
        self.methods
            .iter()
            .find(|m| m.rest == rest && m.name.eq_ignore_ascii_case(method))
    }

    fn named<'a>(&'a self, m: &'a Method, name: &str) -> Option<&'a TypeDef> {
        m.types
            .iter()
            .find(|t| t.name == name)
            .or_else(|| self.shared.get(&m.folder)?.iter().find(|t| t.name == name))
            .or_else(|| self.shared.values().flatten().find(|t| t.name == name))
    }

    /// Counts the values of `result` by where the method's result type puts them.
    fn measure(&self, m: &Method, result: &Value, counts: &mut Counts) {
        let value = match (&m.result.items, result) {
            (Some(key), Value::Object(map)) => map.get(key).unwrap_or(&Value::Null),
            _ => result,
        };
        self.walk(m, value, &m.result.ty, counts);
    }

    fn walk(&self, m: &Method, v: &Value, ty: &Ty, counts: &mut Counts) {
        match ty {
            Ty::Any => counts.any += leaves(v),
            Ty::Nullable(inner) => self.walk(m, v, inner, counts),
            Ty::List(item) | Ty::Map(item) => match v {
                Value::Array(items) if !items.is_empty() => {
                    items.iter().for_each(|i| self.walk(m, i, item, counts))
                }
                Value::Object(map) if !map.is_empty() => {
                    map.values().for_each(|i| self.walk(m, i, item, counts))
                }
                _ => counts.typed += 1,
            },
            Ty::Named(name) => match (self.named(m, name).map(|t| &t.kind), v) {
                (Some(TypeKind::Struct { fields, .. }), Value::Object(map)) => {
                    for (key, value) in map {
                        match fields.iter().find(|f| f.wire == *key) {
                            Some(f) => self.walk(m, value, &f.ty, counts),
                            None if is_user_field(key) => counts.user_fields += leaves(value),
                            None => counts.extra += leaves(value),
                        }
                    }
                }
                _ => counts.typed += leaves(v),
            },
            _ => counts.typed += leaves(v),
        }
    }
}

/// `UF_CRM_…`, `ufCrm…`: custom fields of a portal, which no spec can declare.
fn is_user_field(key: &str) -> bool {
    key.starts_with("UF_") || key.starts_with("uf") && key[2..].starts_with(char::is_uppercase)
}

/// Scalars and empty containers: the values a JSON tree carries.
fn leaves(v: &Value) -> usize {
    match v {
        Value::Array(items) if !items.is_empty() => items.iter().map(leaves).sum(),
        Value::Object(map) if !map.is_empty() => map.values().map(leaves).sum(),
        _ => 1,
    }
}
