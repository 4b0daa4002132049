//! Every method with `[state]`, served by the generic store: add, get, list, update, delete and
//! fields, each answering in the shape its spec names (`answer`, `wrap`). Writing fields, listing
//! and describing live in the submodules.

use bitrix_codegen::model::{Action, Answer, StateDef, Ty};
use bitrix_codegen::Method;
use serde_json::{json, Map, Value};

mod fields;
mod list;
mod write;

use super::problem::Problem;
use crate::envelope::Success;
use crate::store::shape::Shape;
use crate::store::{value, Partition, Store};
use fields::describe;
use list::list;
pub use list::PAGE;
use write::{merge_into, system_fields, write};

/// Who calls and when, for system fields.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// Emulated Unix time.
    pub now: f64,
    /// The calling user's ID.
    pub user_id: u64,
    /// A REST 3.0 call: `filter` is a list of conditions, lists page by `pagination`, `true`
    /// answers are `{"result": true}`.
    pub v3: bool,
}

/// Runs `method` (which has `st`) on `store`.
pub fn run(
    method: &Method,
    st: &StateDef,
    shape: &Shape,
    params: &Map<String, Value>,
    ctx: Context,
    store: &mut Store,
) -> Result<Success, Problem> {
    let partition = partition(st, params);
    match st.action {
        Action::Add => {
            let given = fields_param(st, params)?;
            let mut record = Map::new();
            write(shape, &mut record, given, store);
            system_fields(shape, &mut record, &partition, st, ctx, true);
            let id = store.insert(&st.entity, &st.key, partition.clone(), record);
            let stored = store
                .get(&st.entity, &partition, id)
                .map(|r| r.fields.clone())
                .unwrap_or_default();
            Ok(answer(method, st, json!(id), Some(stored), ctx.v3))
        }
        Action::Get => {
            let id = record_id(st, params)?;
            let record = store
                .get(&st.entity, &partition, id)
                .ok_or_else(|| Problem::NotFound(id.to_string()))?;
            // A REST 3.0 `get` takes a `select` too (`["id", "responsible.name"]`).
            let fields = match params.get("select") {
                Some(select) => crate::store::select::parse(Some(select))
                    .map_err(|_| Problem::Malformed("select"))?
                    .apply(&record.fields, &st.key),
                None => record.fields.clone(),
            };
            Ok(answer(method, st, json!(id), Some(fields), ctx.v3))
        }
        Action::Update => {
            let id = record_id(st, params)?;
            let given = fields_param(st, params)?;
            if store.get(&st.entity, &partition, id).is_none() {
                return Err(Problem::NotFound(id.to_string()));
            }
            // Multi-value IDs come from the store's counter; take it out while a record is borrowed.
            let mut counter = std::mem::take(&mut store.next_multi);
            let updated = store.get_mut(&st.entity, &partition, id).map(|r| {
                merge_into(shape, &mut r.fields, given, &mut counter);
                system_fields(shape, &mut r.fields, &partition, st, ctx, false);
                r.fields.clone()
            });
            store.next_multi = counter;
            Ok(answer(method, st, json!(id), updated, ctx.v3))
        }
        Action::Delete => {
            let id = record_id(st, params)?;
            if !store.remove(&st.entity, &partition, id) {
                return Err(Problem::NotFound(id.to_string()));
            }
            Ok(answer(method, st, json!(id), None, ctx.v3))
        }
        Action::List => list(method, st, shape, params, &partition, store, ctx.v3),
        Action::Fields => Ok(answer(method, st, describe(shape), None, ctx.v3)),
    }
}

/// The values of the partition parameters, as text (whole numbers in their plain form).
pub fn partition(st: &StateDef, params: &Map<String, Value>) -> Partition {
    st.partition
        .iter()
        .map(|p| params.get(p).and_then(value::text).unwrap_or_default())
        // `02` and ` 2` are the type 2, as PHP's intval reads them.
        .map(|t| t.trim().parse::<i64>().map_or(t, |n| n.to_string()))
        .collect()
}

/// The record's ID from the `id` parameter; a value that is no positive integer finds nothing.
fn record_id(st: &StateDef, params: &Map<String, Value>) -> Result<u64, Problem> {
    let name = st.id.as_deref().unwrap_or("id");
    let raw = params
        .get(name)
        .ok_or_else(|| Problem::Missing(name.to_string()))?;
    value::text(raw)
        .and_then(|t| t.trim().parse::<u64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| Problem::NotFound(value::text(raw).unwrap_or_default()))
}

/// The fields object at the spec's dotted `fields` path; absent or `[]` is no fields.
fn fields_param(st: &StateDef, params: &Map<String, Value>) -> Result<Map<String, Value>, Problem> {
    let path = st.fields.as_deref().unwrap_or("fields");
    let mut node = params.get(path.split('.').next().unwrap_or(path));
    for part in path.split('.').skip(1) {
        node = node.and_then(|n| n.get(part));
    }
    match node {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Array(a)) if a.is_empty() => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(other) => Err(Problem::WrongType(bitrix_codegen::model::TypeMismatch {
            path: path.to_string(),
            expected: "an object".into(),
            found: value::text(other).map_or_else(|| "a list".into(), |t| format!("\"{t}\"")),
        })),
    }
}

/// `result` for `st`'s answer: the ID, `true` (in the result type's form), the record or the
/// given value, under `wrap` when set.
fn answer(
    method: &Method,
    st: &StateDef,
    id: Value,
    record: Option<Map<String, Value>>,
    v3: bool,
) -> Success {
    let inner = match st.answer {
        Answer::Id => id,
        // REST 3.0 answers an operation's outcome as `{"result": true}` (rest-v3.md).
        Answer::True if v3 => return Success::of(json!({"result": true})),
        Answer::True => return Success::of(truthy(&method.result.ty)),
        Answer::Record | Answer::Records => record.map(Value::Object).unwrap_or(Value::Null),
        Answer::Fields => id,
    };
    Success::of(wrap(st, inner))
}

fn wrap(st: &StateDef, inner: Value) -> Value {
    match &st.wrap {
        Some(key) => json!({ key.clone(): inner }),
        None => inner,
    }
}

/// `true` as the result type has it: `true`, `"Y"`, or `[]` where the portal answers an empty
/// array (`crm.item.delete`).
fn truthy(ty: &Ty) -> Value {
    match ty {
        Ty::Nullable(inner) => truthy(inner),
        Ty::Flag => json!("Y"),
        Ty::List(_) => json!([]),
        Ty::Integer => json!(1),
        _ => json!(true),
    }
}
