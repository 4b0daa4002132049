//! Every method with `[state]`, served by the generic store: add, get, list, update, delete and
//! fields, each answering in the shape its spec names (`answer`, `wrap`).

use bitrix_codegen::model::{Action, Answer, StateDef, Ty};
use bitrix_codegen::Method;
use serde_json::{json, Map, Value};

use super::problem::Problem;
use crate::clock::iso8601;
use crate::envelope::Success;
use crate::store::shape::{is_user_field, Kind, Shape};
use crate::store::{filter, multi, order, select, value, Partition, Record, Store};

/// Items on one page of a list method.
pub const PAGE: usize = 50;

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
            Ok(answer(
                method,
                st,
                json!(id),
                Some(record.fields.clone()),
                ctx.v3,
            ))
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

/// The values of the partition parameters, as text.
pub fn partition(st: &StateDef, params: &Map<String, Value>) -> Partition {
    st.partition
        .iter()
        .map(|p| params.get(p).and_then(value::text).unwrap_or_default())
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

/// Writes `given` into a new record.
fn write(
    shape: &Shape,
    record: &mut Map<String, Value>,
    given: Map<String, Value>,
    store: &mut Store,
) {
    let mut counter = std::mem::take(&mut store.next_multi);
    merge_into(shape, record, given, &mut counter);
    store.next_multi = counter;
}

/// Merges `given` into `record`: multi-value fields entry by entry, numbers given as text
/// stored as numbers where the spec says the field is one, everything else (user fields too) as
/// given.
fn merge_into(
    shape: &Shape,
    record: &mut Map<String, Value>,
    given: Map<String, Value>,
    counter: &mut u64,
) {
    for (name, v) in given {
        if name == shape.key {
            // The ID is the store's to give.
            continue;
        }
        let kind = shape.fields.get(&name).copied();
        if multi::is_multi(&name, &v, kind == Some(Kind::Multi)) {
            *counter = (*counter).max(1);
            let merged = multi::merge(&name, record.get(&name), &v, counter);
            record.insert(name, merged);
            continue;
        }
        let v = match (kind, &v) {
            (Some(Kind::Integer), Value::String(s)) => {
                s.trim().parse::<i64>().map(Value::from).unwrap_or(v)
            }
            (Some(Kind::Double), Value::String(s)) => match s.trim().parse::<i64>() {
                Ok(i) => Value::from(i),
                Err(_) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
                    .unwrap_or(v),
            },
            _ => v,
        };
        record.insert(name, v);
    }
}

/// The system fields the record type declares: creation and change times and users, the
/// responsible user (the caller unless given), and the partition parameters.
fn system_fields(
    shape: &Shape,
    record: &mut Map<String, Value>,
    partition: &Partition,
    st: &StateDef,
    ctx: Context,
    created: bool,
) {
    let now = json!(iso8601(ctx.now));
    let user = json!(ctx.user_id);
    let set = |record: &mut Map<String, Value>, names: &[&str], v: &Value, always: bool| {
        for n in names {
            if shape.fields.contains_key(*n) && (always || !record.contains_key(*n)) {
                record.insert((*n).to_string(), v.clone());
            }
        }
    };
    if created {
        let names = ["DATE_CREATE", "createdTime", "CREATED_DATE", "createdDate"];
        set(record, &names, &now, true);
        set(
            record,
            &["CREATED_BY_ID", "createdBy", "CREATED_BY"],
            &user,
            true,
        );
        set(record, &["ASSIGNED_BY_ID", "assignedById"], &user, false);
        for (name, v) in st.partition.iter().zip(partition) {
            if shape.fields.contains_key(name) {
                let v = v.parse::<i64>().map_or_else(|_| json!(v), Value::from);
                record.insert(name.clone(), v);
            }
        }
    }
    set(
        record,
        &["DATE_MODIFY", "updatedTime", "UPDATED_DATE"],
        &now,
        true,
    );
    set(
        record,
        &["MODIFY_BY_ID", "updatedBy", "MODIFIED_BY"],
        &user,
        true,
    );
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

/// A page of records.
fn list(
    method: &Method,
    st: &StateDef,
    shape: &Shape,
    params: &Map<String, Value>,
    partition: &Partition,
    store: &Store,
    v3: bool,
) -> Result<Success, Problem> {
    let parsed = if v3 {
        filter::parse_v3(params.get("filter"), shape)
    } else {
        filter::parse(params.get("filter"), shape)
    };
    let cond = parsed.map_err(|e| match e {
        filter::FilterError::Malformed => Problem::Malformed("filter"),
        filter::FilterError::UnknownField(f) => Problem::FilterField(f),
        filter::FilterError::UnknownOperator(op) => Problem::FilterOperator(op),
        filter::FilterError::BadValue(f) => Problem::FilterValue(f),
    })?;
    let mut keys = order::parse(params.get("order"), shape).map_err(|e| match e {
        order::OrderError::Malformed => Problem::Malformed("order"),
        order::OrderError::UnknownField(f) => Problem::OrderField(f),
        order::OrderError::BadDirection(f) => Problem::OrderDirection(f),
    })?;
    // The keys in the order the caller sent them (the parsed map is sorted by name).
    crate::key_order::arrange(&mut keys, params.get(crate::key_order::ORDER_KEYS));
    let pick = select::parse(params.get("select")).map_err(|_| Problem::Malformed("select"))?;
    if v3 {
        return list_v3(st, params, &cond, &keys, &pick, partition, store);
    }
    let start = match params.get("start") {
        None | Some(Value::Null) => 0,
        Some(v) => value::text(v)
            .and_then(|t| t.trim().parse::<i64>().ok())
            .ok_or(Problem::Malformed("start"))?,
    };
    let mut rows: Vec<&Map<String, Value>> = store
        .in_partition(&st.entity, partition)
        .map(|r: &Record| &r.fields)
        .filter(|f| cond.matches(f))
        .collect();
    order::sort(&mut rows, &keys, &st.key);
    // `start=-1` asks the portal not to count: first page, no `total`, no `next`.
    let (from, counted) = if start < 0 {
        (0, false)
    } else {
        (usize::try_from(start).unwrap_or(usize::MAX), true)
    };
    let page: Vec<Value> = rows
        .iter()
        .skip(from)
        .take(PAGE)
        .map(|r| Value::Object(pick.apply(r, &st.key)))
        .collect();
    let end = from.saturating_add(PAGE);
    let key = st.wrap.clone().or_else(|| method.result.items.clone());
    let result = match key {
        Some(key) => json!({ key: page }),
        None => Value::Array(page),
    };
    Ok(Success {
        result,
        next: (counted && end < rows.len()).then_some(end as u64),
        total: counted.then_some(rows.len() as u64),
    })
}

/// A REST 3.0 page: `pagination` (`page` from 1, `limit` up to 1000, default 50, or `offset`),
/// the items under `items`, no `next` or `total`.
fn list_v3(
    st: &StateDef,
    params: &Map<String, Value>,
    cond: &filter::Cond,
    keys: &order::Order,
    pick: &select::Select,
    partition: &Partition,
    store: &Store,
) -> Result<Success, Problem> {
    let number = |key: &str| -> Result<Option<u64>, Problem> {
        match params.get("pagination").and_then(|p| p.get(key)) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => value::text(v)
                .and_then(|t| t.trim().parse::<u64>().ok())
                .map(Some)
                .ok_or(Problem::Malformed("pagination")),
        }
    };
    if params
        .get("pagination")
        .is_some_and(|p| !p.is_object() && !p.is_null())
    {
        return Err(Problem::Malformed("pagination"));
    }
    let limit = number("limit")?.unwrap_or(PAGE as u64);
    if !(1..=1000).contains(&limit) {
        return Err(Problem::Malformed("pagination"));
    }
    let from = match (number("offset")?, number("page")?) {
        (Some(offset), _) if offset > 0 => offset,
        (_, Some(page)) if page > 1 => (page - 1).saturating_mul(limit),
        _ => 0,
    };
    let mut rows: Vec<&Map<String, Value>> = store
        .in_partition(&st.entity, partition)
        .map(|r: &Record| &r.fields)
        .filter(|f| cond.matches(f))
        .collect();
    order::sort(&mut rows, keys, &st.key);
    let page: Vec<Value> = rows
        .iter()
        .skip(usize::try_from(from).unwrap_or(usize::MAX))
        .take(limit as usize)
        .map(|r| Value::Object(pick.apply(r, &st.key)))
        .collect();
    Ok(Success::of(json!({ "items": page })))
}

/// The field descriptions of a `fields` method.
fn describe(shape: &Shape) -> Value {
    let upper = shape.upper();
    let mut out = Map::new();
    let system = [
        "DATE_CREATE",
        "createdTime",
        "DATE_MODIFY",
        "updatedTime",
        "CREATED_BY_ID",
        "createdBy",
        "MODIFY_BY_ID",
        "updatedBy",
    ];
    let key = std::iter::once((shape.key.clone(), Kind::Integer));
    for (name, kind) in key.chain(shape.fields.iter().map(|(k, v)| (k.clone(), *v))) {
        let read_only = name == shape.key || system.contains(&name.as_str());
        let mut info = json!({
            "type": kind.word(),
            "isRequired": false,
            "isReadOnly": read_only,
            "isImmutable": false,
            "isMultiple": matches!(kind, Kind::List | Kind::Multi),
            "isDynamic": is_user_field(&name),
            "title": name,
        });
        if !upper {
            info["upperName"] = json!(upper_name(&name));
        }
        out.insert(name, info);
    }
    Value::Object(out)
}

/// `assignedById` -> `ASSIGNED_BY_ID`.
fn upper_name(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}
