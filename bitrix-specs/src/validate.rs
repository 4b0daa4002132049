//! `bitrix-specs check`: the folder through the generator's validator (what `include_specs!`
//! would report, without compiling the API), plus the error examples that would read as
//! `SystemError::Uncoded` although the spec documents rows sent with an empty code.

use std::path::Path;

use bitrix_codegen::model::Method;
use serde_json::Value;

/// What the check found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Specs read (not `_types.toml`).
    pub specs: usize,
    /// Problems the validator reports (`file:line:col: what`); any fails the build.
    pub problems: Vec<String>,
    /// Error examples sent with an empty code whose text is on no row of a spec that has such
    /// rows, as `method: example`: they still decode (as `SystemError::Uncoded`), so they are
    /// remarks, not problems.
    pub unmatched: Vec<String>,
}

/// Validates every spec below `dir`.
pub fn check(dir: &Path) -> Result<Checked, String> {
    let sources = bitrix_codegen::load_dir(dir).map_err(|p| {
        p.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let checked = bitrix_codegen::check_all(&sources);
    let mut out = Checked {
        specs: sources.iter().filter(|s| !s.is_shared_types()).count(),
        problems: checked.problems.iter().map(ToString::to_string).collect(),
        unmatched: Vec::new(),
    };
    for m in &checked.methods {
        out.unmatched.extend(
            unmatched(m)
                .into_iter()
                .map(|e| format!("{}: example `{e}`", m.name)),
        );
    }
    Ok(out)
}

/// Names of the method's error examples sent with an empty code that match none of its
/// empty-code rows (when it has some).
pub fn unmatched(m: &Method) -> Vec<String> {
    let texts: Vec<String> = m
        .errors
        .iter()
        .filter(|e| e.code.is_empty())
        .filter_map(|e| e.description.as_deref())
        .map(|d| d.trim().to_lowercase())
        .collect();
    if texts.is_empty() {
        return Vec::new();
    }
    m.examples
        .iter()
        .filter(|e| e.status >= 300)
        .filter(|e| {
            let r = e.response.as_ref();
            let code = r.and_then(|r| r.get("error")).and_then(Value::as_str);
            let text = r
                .and_then(|r| r.get("error_description"))
                .and_then(Value::as_str)
                .map(|d| d.trim().to_lowercase());
            code == Some("") && !text.is_some_and(|t| texts.contains(&t))
        })
        .map(|e| e.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use bitrix_codegen::{parse_spec, SpecSource};

    const SPEC: &str = r#"method = "demo.thing.get"
scope = "demo"

[result]
type = "any"

[[errors]]
code = ""
description = "Not found"
variant = "NotFound"

[[examples]]
name = "error"
status = 400
response = '{"error": "", "error_description": "not found "}'

[[examples]]
name = "error_2"
status = 400
response = '{"error": "", "error_description": "Access denied"}'
"#;

    #[test]
    fn empty_code_examples_must_match_a_row_by_text() {
        let m = parse_spec(&SpecSource::new("demo/demo.thing.get.toml", SPEC)).unwrap();
        assert_eq!(super::unmatched(&m), vec!["error_2".to_string()]);
        // The text on a row: nothing left.
        let both = SPEC.replace(
            "[[examples]]\nname = \"error\"",
            "[[errors]]\ncode = \"\"\ndescription = \"Access denied\"\nvariant = \"AccessDenied\"\n\n[[examples]]\nname = \"error\"",
        );
        let m = parse_spec(&SpecSource::new("demo/demo.thing.get.toml", both)).unwrap();
        assert!(super::unmatched(&m).is_empty());
    }
}
