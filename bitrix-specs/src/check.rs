//! Every spec is validated with `bitrix-codegen` before it is written. What the validator refuses
//! is left out piece by piece (an example, a parameter, a type), each with a todo point, until
//! the spec passes.

use bitrix_codegen::model::{check_value, Method};
use bitrix_codegen::SpecSource;

use crate::examples::json;
use bitrix_codegen::write::spec::Spec;
use bitrix_codegen::write::{render, Mode, Part};

/// Whether the validator in use knows `origin`, `todo` and `[state]` (else [`Mode::Compat`]).
pub fn validator_mode() -> Mode {
    let probe = "method = \"a.b\"\nscope = \"a\"\norigin = \"import\"\ntodo = [\"x\"]\n\n[state]\nentity = \"a\"\naction = \"fields\"\n\n[result]\ntype = \"any\"\n";
    match bitrix_codegen::parse_spec(&SpecSource::new("a.b.toml", probe)) {
        Ok(_) => Mode::Full,
        Err(_) => Mode::Compat,
    }
}

/// Validates and trims `spec` until it passes; returns the text to write, or the problems left.
pub fn settle(spec: &mut Spec, mode: Mode) -> Result<String, Vec<String>> {
    let display = format!("{}/{}.toml", spec.scope, spec.stem());
    let mut result_rounds = 0;
    let mut fixed_examples = false;
    for _ in 0..40 {
        let r = render(spec, mode);
        let source = SpecSource::new(display.clone(), r.text.clone());
        match bitrix_codegen::parse_spec(&source) {
            Ok(method) => {
                if result_rounds < 25 && fix_result(spec, &method, result_rounds == 24) {
                    result_rounds += 1;
                    continue;
                }
                if !fixed_examples {
                    fixed_examples = true;
                    if fix_examples(spec, &method) {
                        continue;
                    }
                }
                return Ok(render(spec, Mode::Full).text);
            }
            Err(problems) => {
                let mut parts: Vec<(Part, String)> = Vec::new();
                for p in &problems {
                    match r.part_at(p.line) {
                        Some(Part::Top) | None => {
                            return Err(problems.iter().map(|p| p.to_string()).collect())
                        }
                        Some(part) => {
                            if !parts.iter().any(|(q, _)| *q == part) {
                                parts.push((part, p.message.clone()));
                            }
                        }
                    }
                }
                // Remove from the back so indices stay valid; one kind per round is enough.
                parts.sort_by_key(|(p, _)| std::cmp::Reverse(order(*p)));
                for (part, message) in parts {
                    drop_part(spec, part, &message);
                }
            }
        }
    }
    Err(vec![format!("{display}: still invalid after trimming")])
}

fn order(p: Part) -> (usize, usize, usize) {
    match p {
        Part::Top => (0, 0, 0),
        Part::Deprecated => (1, 0, 0),
        Part::State => (2, 0, 0),
        Part::Param(i) => (3, i, 0),
        Part::Type(i) => (4, i, usize::MAX),
        Part::TypeField(i, j) => (4, i, j),
        Part::Result => (5, 0, 0),
        Part::Error(i) => (6, i, 0),
        Part::Example(i) => (7, i, 0),
    }
}

fn drop_part(spec: &mut Spec, part: Part, message: &str) {
    let why = message.replace('`', "'");
    match part {
        Part::Top => {}
        Part::Deprecated => {
            spec.deprecated = Some(None);
            spec.todo(format!("[deprecated]: replacement left out ({why})"));
        }
        Part::State => {
            spec.state = None;
            spec.todo(format!("[state] left out ({why})"));
        }
        Part::Param(i) if i < spec.params.len() => {
            let p = spec.params.remove(i);
            spec.todo(format!("parameter `{}` left out ({why})", p.name));
            if let Some(s) = &spec.state {
                if s.id.as_deref() == Some(&p.name) || s.fields.as_deref() == Some(&p.name) {
                    spec.state = None;
                }
            }
        }
        Part::Type(i) if i < spec.types.len() => {
            let name = spec.types[i].name.clone();
            spec.forget_type(&name);
            spec.todo(format!("type `{name}` left out, typed as any ({why})"));
        }
        Part::TypeField(i, j) if i < spec.types.len() && j < spec.types[i].fields.len() => {
            let t = &mut spec.types[i];
            let f = t.fields.remove(j);
            let name = t.name.clone();
            spec.todo(format!("field `{name}.{}` left out ({why})", f.name));
            if spec.types[i].fields.is_empty() {
                spec.forget_type(&name);
            }
        }
        Part::Result => {
            spec.result.ty = "any".into();
            spec.result.items = None;
            spec.todo(format!("[result] typed as any ({why})"));
        }
        Part::Error(i) if i < spec.errors.len() => {
            let e = spec.errors.remove(i);
            spec.todo(format!("error `{}` left out ({why})", e.code));
        }
        Part::Example(i) if i < spec.examples.len() => {
            let e = &mut spec.examples[i];
            let about_request = !why.contains("response") && !why.contains("answers");
            if about_request && e.request.is_some() && e.response.is_some() {
                // The documented answer is still a fact worth keeping.
                e.request = None;
                let name = e.name.clone();
                spec.todo(format!("example `{name}`: request left out ({why})"));
            } else {
                let e = spec.examples.remove(i);
                spec.todo(format!("example `{}` left out ({why})", e.name));
            }
        }
        _ => {}
    }
}

/// Keeps only examples the SDK's generated tests accept: requests the typed request rebuilds
/// unchanged, error answers that map to a documented row or a system error.
fn fix_examples(spec: &mut Spec, method: &Method) -> bool {
    let mut changed = false;
    let mut todo = Vec::new();
    for e in &mut spec.examples {
        if let Some(req) = e.request.as_deref().and_then(json) {
            if let Some(at) = crate::roundtrip::request_differs(method, &req) {
                todo.push(format!(
                    "example `{}`: request left out ('{at}' is written in a form the typed request would not send back unchanged)",
                    e.name
                ));
                e.request = None;
                changed = true;
            }
        }
    }
    let before = spec.examples.len();
    spec.examples.retain(|e| {
        if e.status < 300 {
            return e.request.is_some() || e.response.is_some();
        }
        let answer = e.response.as_deref().and_then(json).unwrap_or_default();
        let known = crate::roundtrip::error_known(method, &answer);
        if !known {
            let why = match answer.get("error") {
                Some(serde_json::Value::String(c)) if c.is_empty() => "its error code is empty",
                Some(serde_json::Value::String(_) | serde_json::Value::Number(_)) => {
                    "its error matches no documented row"
                }
                Some(serde_json::Value::Object(e))
                    if e.get("code").is_some_and(|c| c.is_string()) =>
                {
                    "its error matches no documented row"
                }
                _ => "its error code is neither text nor a number",
            };
            todo.push(format!("example `{}` left out: {why}", e.name));
        }
        known
    });
    changed |= spec.examples.len() != before;
    for t in todo {
        spec.todo(t);
    }
    changed
}

/// When a documented success answer does not fit the result type, the result becomes `any`.
fn fix_result(spec: &mut Spec, method: &Method, last: bool) -> bool {
    for e in &spec.examples {
        if e.status >= 300 {
            continue;
        }
        let Some(v) = e.response.as_deref().and_then(json) else {
            continue;
        };
        let Some(result) = v.get("result") else {
            continue;
        };
        let value = match &method.result.items {
            Some(k) => match result.get(k) {
                Some(inner) => inner,
                None => result,
            },
            None => result,
        };
        if let Some(problem) = lenient_check(method, value) {
            // First try to loosen just the field the answer contradicts.
            if !last {
                if let Some(field) = loosen_field(spec, &problem) {
                    spec.todo(format!(
                        "`{field}`: the example answer contradicts the page's type ({}); typed as any",
                        problem.replace('`', "'")
                    ));
                    return true;
                }
            }
            let was = spec.result.ty.clone();
            spec.result.ty = if was.starts_with('[') && value.is_array() {
                "[any]".into()
            } else {
                "any".into()
            };
            if spec.result.ty == "any" {
                spec.result.items = None;
                spec.result.paged = false;
            }
            spec.todo(format!(
                "[result]: typed `{was}` by the page, but the example answer does not fit ({}); typed as {}",
                problem.replace('`', "'"),
                spec.result.ty
            ));
            return true;
        }
    }
    false
}

/// `check_value` names the path of the value that did not fit (`` `result.order.statusId` ``).
/// Sets the type of that struct field to `any`; returns the field's path when it could.
fn loosen_field(spec: &mut Spec, problem: &str) -> Option<String> {
    let path = problem.strip_prefix('`')?.split('`').next()?;
    let segments: Vec<String> = path
        .split('.')
        .map(|s| s.split('[').next().unwrap_or(s).to_string())
        .collect();
    if segments.len() < 2 || segments[0] != "result" {
        return None;
    }
    let bare = |t: &str| t.trim_matches(|c| "[]{}?".contains(c)).to_string();
    let mut ty = bare(&spec.result.ty);
    let structs: Vec<String> = spec
        .types
        .iter()
        .filter(|t| !t.fields.is_empty())
        .map(|t| t.name.clone())
        .collect();
    for (i, seg) in segments[1..].iter().enumerate() {
        let t = spec.types.iter_mut().find(|t| t.name == ty)?;
        let f = t.fields.iter_mut().find(|f| &f.name == seg)?;
        // The last segment, or a field whose value is no struct (a map, a list of text): the
        // value that did not fit is in this field.
        if i == segments.len() - 2 || !structs.contains(&bare(&f.ty)) {
            if f.ty == "any" || f.ty == "any?" {
                return None;
            }
            f.ty = "any".into();
            return Some(path.to_string());
        }
        ty = bare(&f.ty);
    }
    None
}

/// `check_value` as the runtime decodes: what it reads as "empty" (`null`, `""`, `[]`, `{}`,
/// `false`) fits any optional field, and a text field takes a number. The first problem left,
/// if any.
fn lenient_check(method: &Method, value: &serde_json::Value) -> Option<String> {
    let mut value = value.clone();
    for _ in 0..500 {
        match check_value(method, &method.result.ty, &value, "result") {
            Ok(()) => return None,
            Err(problem) => {
                if !patch(method, &mut value, &problem) {
                    return Some(problem);
                }
            }
        }
    }
    check_value(method, &method.result.ty, &value, "result").err()
}

/// Makes the value a problem names what the runtime would read it as: an empty value inside an
/// object is dropped (an unset field), a number where text is wanted becomes its text. `false`
/// when the runtime would refuse it too.
fn patch(method: &Method, root: &mut serde_json::Value, problem: &str) -> bool {
    use serde_json::Value;
    let Some(path) = problem.strip_prefix('`').and_then(|p| p.split('`').next()) else {
        return false;
    };
    let mut tokens: Vec<Result<String, usize>> = Vec::new();
    for seg in path.split('.').skip(1) {
        let mut parts = seg.split('[');
        if let Some(name) = parts.next().filter(|n| !n.is_empty()) {
            tokens.push(Ok(name.to_string()));
        }
        for idx in parts {
            match idx.trim_end_matches(']').parse::<usize>() {
                Ok(i) => tokens.push(Err(i)),
                Err(_) => return false,
            }
        }
    }
    let Some((last, parents)) = tokens.split_last() else {
        return false;
    };
    let mut at = root;
    for t in parents {
        let next = match (t, at) {
            (Ok(k), Value::Object(m)) => m.get_mut(k),
            (Err(i), Value::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        let Some(n) = next else { return false };
        at = n;
    }
    let Ok(key) = last else { return false };
    let Value::Object(m) = at else { return false };
    let Some(v) = m.get(key) else { return false };
    // Only a struct reads an empty value as an unset field; a map keeps its entries.
    let in_struct = parent_is_struct(method, parents);
    let empty = in_struct
        && match v {
            Value::Null | Value::Bool(false) => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
    if empty {
        m.remove(key);
        return true;
    }
    if let (Value::Number(n), true) = (v, problem.contains("must be a string")) {
        let text = n.to_string();
        m.insert(key.clone(), Value::String(text));
        return true;
    }
    false
}

/// Whether the value at `path` (below `result`) is declared as a struct of the method.
fn parent_is_struct(method: &Method, path: &[Result<String, usize>]) -> bool {
    use bitrix_codegen::model::{Ty, TypeKind};
    fn bare(t: &Ty) -> &Ty {
        match t {
            Ty::Nullable(inner) => bare(inner),
            other => other,
        }
    }
    let fields_of = |name: &str| {
        method
            .types
            .iter()
            .find(|t| t.name == name)
            .and_then(|t| match &t.kind {
                TypeKind::Struct { fields, .. } => Some(fields),
                _ => None,
            })
    };
    let mut ty = bare(&method.result.ty);
    for step in path {
        ty = match (step, ty) {
            (Ok(key), Ty::Named(n)) => {
                match fields_of(n).and_then(|f| f.iter().find(|f| &f.wire == key)) {
                    Some(f) => bare(&f.ty),
                    None => return false,
                }
            }
            (Ok(_), Ty::Map(inner)) => bare(inner),
            (Err(_), Ty::List(inner) | Ty::Map(inner)) => bare(inner),
            _ => return false,
        };
    }
    matches!(ty, Ty::Named(n) if fields_of(n).is_some())
}
