//! `[state]` where the method name decides it, and `[result] paged` for list methods.

use serde_json::Value;

use crate::examples::json;
use bitrix_codegen::write::spec::{Required, Spec, State};

/// Fills in `spec.state` and the paging keys of `spec.result`.
pub fn annotate(spec: &mut Spec) {
    let answer: Option<Value> = spec
        .examples
        .iter()
        .find(|e| e.status < 300)
        .and_then(|e| e.response.as_deref())
        .and_then(json);
    let result = answer.as_ref().and_then(|a| a.get("result"));
    let paged_answer = answer
        .as_ref()
        .is_some_and(|a| a.get("next").is_some() || a.get("total").is_some());
    let has_start = spec.params.iter().any(|p| p.name == "start");
    // The single key `result` wraps its record or records under, if any.
    let wrapped = result.and_then(|r| match r {
        Value::Object(m) if m.len() == 1 => m.iter().next().map(|(k, v)| (k.clone(), v.clone())),
        _ => None,
    });
    // A REST 3.0 list answers `{"items": [...]}` and pages with `pagination`.
    let v3_list = spec.rest == 3
        && wrapped
            .as_ref()
            .is_some_and(|(k, v)| k == "items" && v.is_array());
    if has_start || paged_answer || v3_list {
        paging(spec, result, wrapped.as_ref());
    }
    let Some((entity, action)) = spec.method.rsplit_once('.') else {
        return;
    };
    if !["add", "get", "list", "update", "delete", "fields"].contains(&action) {
        return;
    }
    if action == "list" && !spec.result.paged {
        spec.todo("[state]: `list` method whose page shows no paging (`start`, `next`, `total`); left out");
        return;
    }
    let id = find_param(spec, &["id", "ID", "Id"]).or_else(|| {
        spec.params
            .iter()
            .find(|p| {
                p.required == Required::Yes
                    && p.name.to_ascii_lowercase().ends_with("id")
                    && p.ty == "integer"
            })
            .map(|p| p.name.clone())
    });
    let fields = find_param(spec, &["fields", "FIELDS", "Fields"]);
    let mut state = State {
        entity: entity.to_string(),
        action: action.to_string(),
        id: None,
        fields: None,
        key: None,
        wrap: None,
        not_found: None,
        answer: None,
    };
    match action {
        "get" | "update" | "delete" => {
            let Some(id) = id else {
                spec.todo(format!(
                    "[state]: `{action}` method without an ID parameter the importer can name; left out"
                ));
                return;
            };
            state.id = Some(id);
        }
        _ => {}
    }
    if matches!(action, "add" | "update") {
        let Some(f) = fields else {
            spec.todo(format!(
                "[state]: `{action}` method without a `fields` parameter; left out"
            ));
            return;
        };
        state.fields = Some(f);
    }
    if let Some((k, v)) = &wrapped {
        let fits = match action {
            "get" | "add" | "update" => v.is_object(),
            // A field description map has many keys; one key named `fields` is a wrapper.
            "fields" => v.is_object() && k == "fields",
            "list" => v.is_array(),
            _ => false,
        };
        if fits && k.chars().all(|c| c.is_ascii_alphabetic()) {
            state.wrap = Some(k.clone());
        }
    }
    // REST 3.0 answers the added or updated record itself (`{"item": {...}}`).
    if spec.rest == 3 && matches!(action, "add" | "update") && state.wrap.is_some() {
        state.answer = Some("record".into());
    }
    let record = match (action, result) {
        ("get", Some(r)) => Some(state.wrap.as_ref().and_then(|w| r.get(w)).unwrap_or(r)),
        ("add" | "update", Some(r)) if state.answer.is_some() => {
            state.wrap.as_ref().and_then(|w| r.get(w))
        }
        ("list", Some(r)) => state
            .wrap
            .as_ref()
            .and_then(|w| r.get(w))
            .unwrap_or(r)
            .as_array()
            .and_then(|a| a.first()),
        _ => None,
    };
    if let Some(Value::Object(m)) = record {
        if !m.contains_key("ID") && m.contains_key("id") {
            state.key = Some("id".into());
        }
    }
    if matches!(action, "get" | "update" | "delete") {
        let not_found: Vec<&str> = spec
            .errors
            .iter()
            .filter(|e| !e.code.is_empty())
            .filter(|e| {
                e.code.to_ascii_uppercase().contains("NOT_FOUND")
                    || e.description
                        .as_deref()
                        .is_some_and(|d| d.to_ascii_lowercase().contains("not found"))
            })
            .map(|e| e.code.as_str())
            .collect();
        if let [one] = not_found.as_slice() {
            if spec.errors.iter().filter(|e| e.code == *one).count() == 1 {
                state.not_found = Some(one.to_string());
            }
        }
    }
    spec.state = Some(state);
}

fn find_param(spec: &Spec, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find(|n| spec.params.iter().any(|p| p.name == **n))
        .map(|n| n.to_string())
}

fn paging(spec: &mut Spec, result: Option<&Value>, wrapped: Option<&(String, Value)>) {
    spec.result.paged = true;
    let ty = spec.result.ty.clone();
    if ty.starts_with('[') {
        return;
    }
    match (result, wrapped) {
        (Some(Value::Array(_)), _) => {
            if ty == "any" {
                spec.result.ty = "[any]".into();
            }
        }
        (_, Some((k, Value::Array(_)))) => {
            spec.result.items = Some(k.clone());
            let inner = spec
                .types
                .iter()
                .find(|t| t.name == ty)
                .and_then(|t| t.fields.iter().find(|f| &f.name == k))
                .map(|f| f.ty.trim_end_matches('?').to_string())
                .filter(|t| t.starts_with('['));
            spec.result.ty = inner.unwrap_or_else(|| "[any]".into());
        }
        _ => {
            if ty != "any" {
                spec.result.paged = false;
                spec.todo("[result]: looks like a list method but the answer shape is unclear; not marked paged");
            }
        }
    }
}
