//! Every method with `[state]`, served by the generic store: add, get, list, update, delete,
//! fields, rows and settings, each answering in the shape its spec names (`answer`, `wrap`). Writing fields, listing
//! and describing live in the submodules.

use bitrix_codegen::model::{Action, Answer, StateDef, Ty};
use bitrix_codegen::Method;
use serde_json::{json, Map, Value};

mod fields;
mod list;
mod values;
mod write;

use crate::envelope::Success;
use crate::problem::Problem;
use crate::store::shape::Shape;
use crate::store::{value, Partition, Store};
use crate::wire::form::Out;
use crate::wire::Template;
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

/// What the spec says about the records a method reaches: its family's fields and wire form.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The family's fields and kinds.
    pub shape: &'a Shape,
    /// How the family writes records.
    pub template: &'a Template,
}

impl View<'_> {
    /// `fields` as the family answers them.
    fn render(&self, fields: &Map<String, Value>) -> Map<String, Value> {
        self.template.render(fields, self.shape)
    }
}

/// Runs `method` (which has `st`) on `store`.
pub fn run(
    method: &Method,
    st: &StateDef,
    view: View<'_>,
    params: &Map<String, Value>,
    ctx: Context,
    store: &mut Store,
) -> Result<Success, Problem> {
    let shape = view.shape;
    let partition = partition(st, params);
    match st.action {
        Action::Add => {
            let mut given = fields_param(st, params)?;
            for (name, v) in &st.defaults {
                // Given in either casing (a default is written in the family's own).
                let given_too = given.keys().any(|k| crate::names::loose_eq(k, name));
                if !given_too {
                    given.insert(name.clone(), v.clone());
                }
            }
            // Fields the portal fills from another the caller gave (`priceDelivery`).
            for (to, from) in &st.copy {
                let given_too = given.keys().any(|k| crate::names::loose_eq(k, to));
                let source = given
                    .iter()
                    .find(|(k, _)| crate::names::loose_eq(k, from))
                    .map(|(_, v)| v.clone());
                if let (false, Some(v)) = (given_too, source) {
                    given.insert(to.clone(), v);
                }
            }
            view.template
                .with_value_ids(&mut given, &mut store.next_multi);
            let mut record = Map::new();
            write(shape, &mut record, given, store);
            system_fields(shape, &mut record, &partition, st, ctx, true);
            // Nobody changed it yet; and a family whose record shows no creator
            // (`tasks.template.checklist`'s items) keeps none.
            view.template
                .unset_shown_null(&mut record, &write::MODIFIERS);
            view.template
                .unset_shown_null(&mut record, &crate::store::shape::system::CREATED_BY);
            let now = crate::clock::iso8601(ctx.now);
            view.template.stamp(&mut record, &now, ctx.user_id);
            let (id, answered) = if st.named {
                let name = record_name(st, params)?;
                if store
                    .named(&st.entity, &partition, &st.key, &name)
                    .is_some()
                {
                    return Err(Problem::Taken(name));
                }
                let given = params.get(st.id.as_deref().unwrap_or_default());
                let name_value = given.cloned().unwrap_or(Value::from(name));
                // The answered ID is the store's own (`telephony.externalLine.add`'s `{"ID": 7}`),
                // and the record shows it where the family has an ID field besides the name
                // (`ai.engine.list`'s `id` beside its `code`).
                let id =
                    store.insert_named(&st.entity, &st.key, partition.clone(), record, name_value);
                if let Some(field) = counted_id_field(shape, &st.key) {
                    if let Some(r) = store.get_mut(&st.entity, &partition, id) {
                        r.fields.insert(field, json!(id));
                    }
                }
                (id, json!(id))
            } else {
                let id = store.insert(&st.entity, &st.key, partition.clone(), record);
                (id, json!(id))
            };
            // Rendered only where the answer shows it: most adds answer the ID alone.
            let stored = match st.answer {
                Answer::Record | Answer::Records => store
                    .get(&st.entity, &partition, id)
                    .map(|r| view.render(&r.fields)),
                _ => None,
            };
            Ok(answer(method, st, answered, stored, ctx.v3))
        }
        Action::Get => {
            let id = record_id(st, params, ctx, &partition, store)?;
            let Some(record) = store.get(&st.entity, &partition, id) else {
                if st.missing_empty {
                    return Ok(Success::of(json!([])));
                }
                return Err(Problem::NotFound(id.to_string()));
            };
            let rendered = view.render(&record.fields);
            // A REST 3.0 `get` takes a `select` too (`["id", "responsible.name"]`).
            let fields = match params.get("select") {
                Some(select) => crate::store::select::parse(Some(select))
                    .map_err(|_| Problem::Malformed("select"))?
                    .apply(&rendered, &st.key),
                None => rendered,
            };
            Ok(answer(method, st, json!(id), Some(fields), ctx.v3))
        }
        Action::Update => {
            if st.upsert {
                create_named(st, view, params, ctx, &partition, store)?;
            }
            let id = record_id(st, params, ctx, &partition, store)?;
            let mut given = fields_param(st, params)?;
            view.template
                .with_value_ids(&mut given, &mut store.next_multi);
            if store.get(&st.entity, &partition, id).is_none() {
                return Err(Problem::NotFound(id.to_string()));
            }
            // Multi-value IDs come from the store's counter; take it out while a record is borrowed.
            let mut counter = std::mem::take(&mut store.next_multi);
            let updated = store.get_mut(&st.entity, &partition, id).map(|r| {
                merge_into(shape, &mut r.fields, given, &mut counter);
                system_fields(shape, &mut r.fields, &partition, st, ctx, false);
                view.render(&r.fields)
            });
            store.next_multi = counter;
            store.updated(&st.entity, &partition, id);
            Ok(answer(method, st, json!(id), updated, ctx.v3))
        }
        Action::Delete => {
            let id = record_id(st, params, ctx, &partition, store)?;
            if !store.remove(&st.entity, &partition, id) {
                return Err(Problem::NotFound(id.to_string()));
            }
            Ok(answer(method, st, json!(id), None, ctx.v3))
        }
        Action::List => list(method, st, view, params, &partition, store, ctx.v3),
        Action::Fields => Ok(answer(method, st, describe(shape), None, ctx.v3)),
        Action::SetRows => {
            let rows = rows_param(st, params)?;
            let owner = owner(st, params);
            if st.owner_type.is_some() && owner.is_none() {
                return Err(Problem::Missing(st.parent.clone().unwrap_or_default()));
            }
            match &owner {
                Some(o) => store.retain(&st.entity, &partition, |r| !o.owns(r)),
                None => store.clear(&st.entity, &partition),
            }
            for row in rows {
                let mut record = Map::new();
                write(shape, &mut record, row, store);
                if let Some(o) = &owner {
                    o.stamp(shape, &mut record);
                }
                store.insert(&st.entity, &st.key, partition.clone(), record);
            }
            Ok(answer(method, st, json!(true), None, ctx.v3))
        }
        Action::GetRows => {
            let owner = owner(st, params);
            let rows: Vec<Value> = store
                .in_partition(&st.entity, &partition)
                .filter(|r| owner.as_ref().is_none_or(|o| o.owns(&r.fields)))
                .map(|r| Value::Object(view.render(&r.fields)))
                .collect();
            Ok(Success::of(wrap(st, Value::Array(rows))))
        }
        Action::Now => {
            let now = crate::clock::iso8601(ctx.now);
            let shape = method
                .examples
                .iter()
                .filter(|e| e.status == 200)
                .find_map(|e| e.response.as_ref()?.get("result").cloned())
                .and_then(|r| Out::of_example(&r))
                .unwrap_or(Out::Raw);
            Ok(Success::of(wrap(st, shape.apply(&json!(now)))))
        }
        Action::SetValues => values::set(method, st, view, params, &partition, store, ctx.v3),
        Action::GetValues => values::get(method, st, view, params, &partition, store),
    }
}

/// The values of the partition: the fixed ones, then the partition parameters (a dotted path
/// reaches into a nested one: `preset.ID`), then the parent's ID, as text (whole numbers in their
/// plain form).
pub fn partition(st: &StateDef, params: &Map<String, Value>) -> Partition {
    // Rows kept by owner share the entity's one partition; their parent is a field, not a part.
    let parent = st.parent.as_ref().filter(|_| st.owner_type.is_none());
    let given = st
        .partition
        .iter()
        .chain(parent)
        .map(|p| at_path(params, p).and_then(value::text).unwrap_or_default())
        // `02` and ` 2` are the type 2, as PHP's intval reads them.
        .map(|t| t.trim().parse::<i64>().map_or(t, |n| n.to_string()));
    st.partition_value.iter().cloned().chain(given).collect()
}

/// The owner of nested rows kept by owner (`[state] owner_type`): its type code and the ID the
/// `parent` parameter gives.
struct Owner {
    kind: Value,
    id: Value,
}

impl Owner {
    /// Whether a stored row belongs to this owner, whatever casing wrote its owner fields.
    fn owns(&self, fields: &Map<String, Value>) -> bool {
        value::equal(value::field(fields, "OWNER_TYPE"), &self.kind)
            && value::equal(value::field(fields, "OWNER_ID"), &self.id)
    }

    /// Writes the owner into a new row, in the family's casing.
    fn stamp(&self, shape: &Shape, record: &mut Map<String, Value>) {
        let (kind, id) = if shape.upper() {
            ("OWNER_TYPE", "OWNER_ID")
        } else {
            ("ownerType", "ownerId")
        };
        record.retain(|k, _| !crate::names::loose_eq(k, kind) && !crate::names::loose_eq(k, id));
        record.insert(kind.to_string(), self.kind.clone());
        record.insert(id.to_string(), self.id.clone());
    }
}

fn owner(st: &StateDef, params: &Map<String, Value>) -> Option<Owner> {
    let kind = st.owner_type.as_ref()?;
    let raw = params.get(st.parent.as_deref()?).and_then(value::text)?;
    let id = raw
        .trim()
        .parse::<i64>()
        .map_or_else(|_| Value::from(raw.clone()), Value::from);
    Some(Owner {
        kind: Value::from(kind.as_str()),
        id,
    })
}

/// The rows of `set_rows`: a list (or PHP's `0..n` object) of objects; none without `rows`.
fn rows_param(
    st: &StateDef,
    params: &Map<String, Value>,
) -> Result<Vec<Map<String, Value>>, Problem> {
    // No `rows` parameter: the method empties the partition (`*.unset`).
    let Some(name) = st.rows.as_deref() else {
        return Ok(Vec::new());
    };
    let items: Vec<&Value> = match params.get(name) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(m)) if m.keys().all(|k| k.parse::<usize>().is_ok()) => {
            m.values().collect()
        }
        Some(_) => return Err(Problem::Malformed("rows")),
    };
    items
        .into_iter()
        .map(|v| match v {
            Value::Object(m) => Ok(m.clone()),
            _ => Err(Problem::Malformed("rows")),
        })
        .collect()
}

/// Creates the record an upserting update names when no record has the name yet, with the
/// portal's system fields, so that the update then writes into it.
fn create_named(
    st: &StateDef,
    view: View<'_>,
    params: &Map<String, Value>,
    ctx: Context,
    partition: &Partition,
    store: &mut Store,
) -> Result<(), Problem> {
    let name = record_name(st, params)?;
    if store.named(&st.entity, partition, &st.key, &name).is_some() {
        return Ok(());
    }
    let mut record = Map::new();
    system_fields(view.shape, &mut record, partition, st, ctx, true);
    view.template
        .stamp(&mut record, &crate::clock::iso8601(ctx.now), ctx.user_id);
    let given = at_path(params, st.id.as_deref().unwrap_or_default()).cloned();
    let name_value = given.unwrap_or(Value::from(name));
    store.insert_named(&st.entity, &st.key, partition.clone(), record, name_value);
    Ok(())
}

/// The family's own ID field (`id`, `ID`) when its records go by another name (`code`).
fn counted_id_field(shape: &Shape, key: &str) -> Option<String> {
    shape
        .fields
        .keys()
        .find(|f| f.eq_ignore_ascii_case("id") && !f.eq_ignore_ascii_case(key))
        .cloned()
}

/// The value at a parameter path: a name, or a dotted path into a nested parameter
/// (`flowData.id` of `tasks.flow.Flow.update`).
fn at_path<'a>(params: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(v) = params.get(path) {
        return Some(v);
    }
    let mut parts = path.split('.');
    let mut node = params.get(parts.next()?)?;
    for part in parts {
        node = node.get(part)?;
    }
    Some(node)
}

/// The name a named family's record goes by: the `id` parameter's text.
fn record_name(st: &StateDef, params: &Map<String, Value>) -> Result<String, Problem> {
    let param = st.id.as_deref().unwrap_or("id");
    at_path(params, param)
        .and_then(value::text)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| Problem::Missing(param.to_string()))
}

/// The record's ID from the `id` parameter; a value that is no whole number finds nothing. A
/// named family's record is the one whose key field holds the parameter's text.
fn record_id(
    st: &StateDef,
    params: &Map<String, Value>,
    ctx: Context,
    partition: &Partition,
    store: &Store,
) -> Result<u64, Problem> {
    if st.named {
        let name = record_name(st, params)?;
        return store
            .named(&st.entity, partition, &st.key, &name)
            .ok_or(Problem::NotFound(name));
    }
    let name = st.id.as_deref().unwrap_or("id");
    // `user.current` and `profile` read the caller's own record.
    if name == "$caller" {
        return Ok(ctx.user_id);
    }
    let raw = at_path(params, name).ok_or_else(|| Problem::Missing(name.to_string()))?;
    value::text(raw)
        .and_then(|t| t.trim().parse::<u64>().ok())
        .ok_or_else(|| Problem::NotFound(value::text(raw).unwrap_or_default()))
}

/// The fields object at the spec's dotted `fields` path; absent or `[]` is no fields. `*`: the
/// method's own parameters but the ID, partition and parent ones.
fn fields_param(st: &StateDef, params: &Map<String, Value>) -> Result<Map<String, Value>, Problem> {
    let path = st.fields.as_deref().unwrap_or("fields");
    if path == "*" {
        let skip: Vec<&str> = st
            .id
            .iter()
            .chain(&st.partition)
            .chain(st.parent.as_ref())
            .map(String::as_str)
            .collect();
        return Ok(params
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect());
    }
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
        Answer::Fields | Answer::Time | Answer::Keys | Answer::Keyed => id,
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
