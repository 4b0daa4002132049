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
    let items = select(items, params);
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

/// Applies a list call's numeric `filter` conditions (`>F`, `>=F`, `<F`, `<=F`, `=F`, `F`, `!F`) and
/// the first key of its `order` (`ASC`/`DESC`), as a portal would; other conditions are ignored.
fn select(mut items: Vec<Value>, params: &Map<String, Value>) -> Vec<Value> {
    fn number(v: Option<&Value>) -> Option<f64> {
        match v? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    fn field<'a>(item: &'a Value, name: &str) -> Option<&'a Value> {
        let map = item.as_object()?;
        map.get(name).or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    }
    if let Some(Value::Object(filter)) = params.get("filter") {
        for (key, want) in filter {
            let Some(want) = number(Some(want)) else {
                continue;
            };
            let ops = [">=", "<=", "!=", ">", "<", "=", "!"];
            let (op, name) = ops
                .iter()
                .find_map(|op| key.strip_prefix(op).map(|rest| (*op, rest)))
                .unwrap_or(("=", key.as_str()));
            items.retain(|item| {
                number(field(item, name)).is_some_and(|v| match op {
                    ">=" => v >= want,
                    "<=" => v <= want,
                    ">" => v > want,
                    "<" => v < want,
                    "!=" | "!" => v != want,
                    _ => v == want,
                })
            });
        }
    }
    if let Some(Value::Object(order)) = params.get("order") {
        if let Some((name, dir)) = order.iter().next() {
            let desc = dir.as_str().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
            items.sort_by(|a, b| {
                let (x, y) = (number(field(a, name)), number(field(b, name)));
                let o = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                if desc {
                    o.reverse()
                } else {
                    o
                }
            });
        }
    }
    items
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
