//! Writing given fields into a record, and the system fields the portal fills itself.

use bitrix_codegen::model::StateDef;
use serde_json::{json, Map, Value};

use super::Context;
use crate::clock::iso8601;
use crate::store::shape::{system, Kind, Shape};
use crate::store::{multi, Partition, Store};

/// Writes `given` into a new record.
pub(super) fn write(
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
pub(super) fn merge_into(
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
        // One field whatever the casing it is written in (`TITLE` through crm.deal, `title`
        // through crm.item): the new spelling replaces the old.
        let other = |k: &String| k != &name && crate::names::loose_eq(k, &name);
        if record.keys().any(other) {
            record.retain(|k, _| !other(k));
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
pub(super) fn system_fields(
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
            if shape.system.contains(n) && (always || !record.contains_key(*n)) {
                record.insert((*n).to_string(), v.clone());
            }
        }
    };
    if created {
        set(record, &system::CREATED_AT, &now, true);
        set(record, &system::STAMPED_AT, &now, false);
        set(record, &system::CREATED_BY, &user, true);
        set(record, &system::TOUCHED_BY, &user, false);
        for (name, v) in st.partition.iter().zip(partition) {
            if shape.fields.contains_key(name) {
                let v = v.parse::<i64>().map_or_else(|_| json!(v), Value::from);
                record.insert(name.clone(), v);
            }
        }
    }
    set(record, &system::MODIFIED_AT, &now, true);
    set(record, &MODIFIERS, &user, true);
}

/// The names the portal gives the user who last changed a record, by family.
pub(super) const MODIFIERS: [&str; 4] = system::MODIFIED_BY;
