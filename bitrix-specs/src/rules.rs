//! What a field's description says beyond its type: the list conventions (`select`, `order`,
//! `filter`), values listed as bullets (enums), and rules only the prose states (todo points).

use crate::row::RowInfo;
use bitrix_codegen::write::spec::Spec;

/// The shapes of the list conventions every list method shares: `select`, `order`, `filter`.
pub fn convention(info: &RowInfo) -> Option<&'static str> {
    let word = info.word.as_deref().unwrap_or("").to_ascii_lowercase();
    if !matches!(word.as_str(), "object" | "array" | "string[]" | "array[]") {
        return None;
    }
    match info.name.to_ascii_lowercase().as_str() {
        "select" => Some("[string]"),
        "order" => Some("{string}"),
        "filter" => Some("{any}"),
        _ => None,
    }
}

/// The values of a bullet list in which every bullet starts with a code span, when there are
/// at least two and each is a plain token (not only `Y`/`N`, which is a flag).
pub fn listed_values(description: &str) -> Option<Vec<String>> {
    let mut values: Vec<String> = Vec::new();
    // The first list only, at its own indent: nested bullets describe a value's parts, and a
    // later list describes something else.
    let mut indent: Option<usize> = None;
    for line in description.lines() {
        let l = line.trim();
        let depth = line.len() - line.trim_start().len();
        let Some(item) = l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")) else {
            if indent.is_some_and(|i| !l.is_empty() && depth <= i) {
                break;
            }
            continue;
        };
        match indent {
            None => indent = Some(depth),
            Some(i) if depth > i => continue,
            Some(i) if depth < i => break,
            Some(_) => {}
        }
        let item = item.trim_start();
        let rest = item.strip_prefix('`')?;
        let end = rest.find('`')?;
        let value = &rest[..end];
        // `A` — what it means; a bullet that goes on otherwise (`A` and `B` become …) shows
        // examples, not the allowed values.
        let after = rest[end + 1..].trim_start();
        let listed = after.is_empty()
            || [
                "—", "–", "-", ":", ",", "(", "=", "for ", "if ", "when ", "is ", "means ",
            ]
            .iter()
            .any(|sep| after.starts_with(sep));
        let ok = listed
            && !value.is_empty()
            && value.len() <= 40
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c));
        if !ok {
            return None;
        }
        if !values.iter().any(|v| v == value) {
            values.push(value.to_string());
        }
    }
    let yn = values.iter().all(|v| v == "Y" || v == "N");
    let numeric = values.iter().all(|v| v.chars().all(|c| c.is_ascii_digit()));
    (values.len() >= 2 && !yn && !numeric).then_some(values)
}

/// Rules that only the prose states become todo points (in our words).
pub fn prose_rules(spec: &mut Spec, path: &str, description: &str) {
    let d = description.to_ascii_lowercase();
    let rules = [
        ("only for webhook", "required for webhook calls only"),
        ("required only", "required only in some cases"),
        ("at least one", "at least one of its fields must be set"),
        ("one of the", "one of several parameters must be given"),
        ("either", "one of several alternatives must be given"),
    ];
    for (phrase, point) in rules {
        if d.contains(phrase) {
            spec.todo(format!(
                "`{path}`: the page states a rule in prose: {point}"
            ));
            return;
        }
    }
}
