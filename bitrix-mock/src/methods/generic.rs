//! Methods without emulated state answer their spec's first documented success; list methods page
//! their items (seeded by tests, else the example's list) 50 at a time.

use bitrix_codegen::model::Ty;
use bitrix_codegen::Method;
use serde_json::{json, Map, Value};

use crate::envelope::Success;
use crate::state::Data;

/// Items on one page of a list method.
pub const PAGE: usize = 50;

/// The answer of `method` for `params`.
pub fn answer(method: &Method, params: &Map<String, Value>, data: &mut Data) -> Success {
    let example = example_result(method);
    if !method.result.paged {
        return Success::of(example.unwrap_or_else(|| default_for(&method.result.ty)));
    }
    let items = data.lists.get(&method.name).cloned().unwrap_or_else(|| {
        let list = match (&method.result.items, &example) {
            (Some(key), Some(v)) => v.get(key).cloned(),
            (None, Some(v)) => Some(v.clone()),
            _ => None,
        };
        match list {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        }
    });
    let start = super::int(params, "start").unwrap_or(0);
    // `start=-1` asks the portal not to count: first page, no `total`, no `next`.
    let (from, counted) = if start < 0 {
        (0, false)
    } else {
        (usize::try_from(start).unwrap_or(usize::MAX), true)
    };
    let page: Vec<Value> = items.iter().skip(from).take(PAGE).cloned().collect();
    let end = from.saturating_add(PAGE);
    let result = match &method.result.items {
        Some(key) => json!({ key.clone(): page }),
        None => Value::Array(page),
    };
    Success {
        result,
        next: (counted && end < items.len()).then_some(end as u64),
        total: counted.then_some(items.len() as u64),
    }
}

/// `result` of the first documented answer with status 200.
fn example_result(method: &Method) -> Option<Value> {
    method
        .examples
        .iter()
        .filter(|e| e.status == 200)
        .find_map(|e| e.response.as_ref()?.get("result").cloned())
}

/// A plausible value of a result type when the spec has no example.
fn default_for(ty: &Ty) -> Value {
    match ty {
        Ty::Boolean => json!(true),
        Ty::Flag => json!("Y"),
        Ty::Integer => json!(1),
        Ty::Double => json!(1.0),
        Ty::String | Ty::Url | Ty::Date | Ty::DateTime => json!(""),
        Ty::List(_) => json!([]),
        Ty::Map(_) | Ty::Named(_) | Ty::Any | Ty::File => json!({}),
        Ty::Nullable(_) => Value::Null,
    }
}
