//! Methods without `[state]` answer their spec's first documented success; list methods page
//! their items (seeded by tests, else the example's list) 50 at a time.

use bitrix_codegen::model::Ty;
use bitrix_codegen::Method;
use serde_json::{json, Map, Value};

use super::stateful::PAGE;
use crate::envelope::Success;
use crate::state::Data;
use crate::store::shape::Shape;
use crate::store::{filter, order};

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
    let items = select(items, params);
    let start = crate::params::int(params, "start").unwrap_or(0);
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

/// Applies a list call's `filter` and `order` as the store does, with no field list to check
/// names against (a method without `[state]` describes no entity); a filter or order the store
/// would refuse is ignored here, as these answers are only examples.
fn select(items: Vec<Value>, params: &Map<String, Value>) -> Vec<Value> {
    let shape = Shape::default();
    let cond =
        filter::parse(params.get("filter"), &shape, false).unwrap_or(filter::Cond::All(Vec::new()));
    let keys = order::parse(params.get("order"), &shape).unwrap_or_default();
    let empty = Map::new();
    let mut rows: Vec<&Map<String, Value>> = items
        .iter()
        .map(|v| v.as_object().unwrap_or(&empty))
        .filter(|r| cond.matches(r))
        .collect();
    order::sort(&mut rows, &keys, "");
    rows.into_iter().map(|r| Value::Object(r.clone())).collect()
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
        Ty::String | Ty::Url | Ty::Date | Ty::DateTime | Ty::LangText => json!(""),
        Ty::List(_) | Ty::Select(_) | Ty::Filter(_) | Ty::OneOrMany(_) => json!([]),
        Ty::Map(_) | Ty::Named(_) | Ty::Any | Ty::File | Ty::Conditions(_) => json!({}),
        Ty::Nullable(_) => Value::Null,
    }
}
