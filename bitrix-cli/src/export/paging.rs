//! How a list method is paged, decided from its spec: by ID where it can be (fast, and nothing is
//! lost or repeated while items change), else by `start`/`next`.

use bitrix_codegen::model::{Ty, TypeKind};
use bitrix_codegen::Method;
use serde_json::Value;

/// How to page through a list method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// `start=-1`, `order {ID: ASC}`, `filter {">ID": last}` until a page comes back empty.
    ById {
        /// The ID field of the items (`id`, `ID`).
        id: String,
        /// The parameter names of the order and the filter as the spec spells them.
        order: String,
        /// See `order`.
        filter: String,
    },
    /// `start=0, 50, …` as `next` says, until there is no `next`.
    ByStart,
}

/// Paging for `method` with the user's parameters: by ID when the method takes an order and a
/// filter, its items have an ID field, and the user did not ask for another order.
pub fn paging_for(method: &Method, params: &Value) -> Paging {
    let find = |name: &str| {
        method
            .params
            .iter()
            .find(|p| p.wire.eq_ignore_ascii_case(name))
            .map(|p| p.wire.clone())
    };
    let (Some(order), Some(filter)) = (find("order"), find("filter")) else {
        return Paging::ByStart;
    };
    if params.get(&order).is_some() {
        return Paging::ByStart;
    }
    match item_id_field(method) {
        Some(id) => Paging::ById { id, order, filter },
        None => Paging::ByStart,
    }
}

/// The ID field of a list's items: the `[state]` key when the items have it, else `id` or `ID`.
pub fn item_id_field(method: &Method) -> Option<String> {
    let item = item_type(&method.result.ty)?;
    let Ty::Named(name) = item else { return None };
    let TypeKind::Struct { fields, .. } = &method.type_def(name)?.kind else {
        return None;
    };
    let preferred = method.state.as_ref().map(|s| s.key.as_str());
    preferred
        .into_iter()
        .chain(["id", "ID"])
        .find(|want| fields.iter().any(|f| f.wire == *want))
        .map(str::to_string)
}

fn item_type(ty: &Ty) -> Option<&Ty> {
    match ty {
        Ty::Nullable(t) => item_type(t),
        Ty::List(inner) => Some(strip(inner)),
        _ => None,
    }
}

fn strip(ty: &Ty) -> &Ty {
    match ty {
        Ty::Nullable(t) => strip(t),
        t => t,
    }
}

/// The items of one page: `result`, or `result[items]` when the spec names a key; PHP sends a
/// list with keys as an object, so an object's values are taken in order.
pub fn page_items(method: &Method, result: Value) -> Vec<Value> {
    let list = match (&method.result.items, result) {
        (Some(key), Value::Object(mut map)) => map.remove(key).unwrap_or(Value::Null),
        (_, other) => other,
    };
    match list {
        Value::Array(items) => items,
        Value::Object(map) => map.into_iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn crm_item_list_pages_by_id() {
        let m = crate::specs::method("crm.item.list").unwrap();
        assert_eq!(
            paging_for(m, &json!({"entityTypeId": 2})),
            Paging::ById {
                id: "id".into(),
                order: "order".into(),
                filter: "filter".into()
            }
        );
        assert_eq!(
            paging_for(m, &json!({"entityTypeId": 2, "order": {"title": "ASC"}})),
            Paging::ByStart
        );
        let items = page_items(m, json!({"items": [{"id": 1}, {"id": 2}]}));
        assert_eq!(items.len(), 2);
    }
}
