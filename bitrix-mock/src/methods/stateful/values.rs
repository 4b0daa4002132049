//! Settings (`[state]` actions `set_values` and `get_values`): one set of key-value pairs per
//! entity and partition, which a set merges keys into and a get answers, all of it or the one
//! key asked, in the form the get documents (`app.option.*`, `user.option.*`,
//! `timeman.timecontrol.settings.*`, `im.user.status.*`).

use bitrix_codegen::model::{StateDef, Ty};
use bitrix_codegen::Method;
use serde_json::{Map, Value};

use super::{at_path, fields_param, wrap, View};
use crate::envelope::Success;
use crate::names::loose_eq;
use crate::problem::Problem;
use crate::store::{value, Partition, Store};
use crate::wire::form::Out;

/// Merges the given keys into the partition's settings. Where the get answers a documented
/// record, a key replaces the one it names in another casing (`ACTIVE` set, `active` answered);
/// free keys (an app's own options) are kept exactly as named.
pub(super) fn set(
    method: &Method,
    st: &StateDef,
    view: View<'_>,
    params: &Map<String, Value>,
    partition: &Partition,
    store: &mut Store,
    v3: bool,
) -> Result<Success, Problem> {
    let given = fields_param(st, params)?;
    let documented = !view.template.is_empty();
    let settings = store.settings_mut(&st.entity, partition);
    for (k, v) in given {
        if documented {
            settings.retain(|old, _| !loose_eq(old, &k));
        }
        settings.insert(k, v);
    }
    store.updated(&st.entity, partition, crate::store::SETTINGS_ID);
    Ok(super::answer(method, st, Value::Bool(true), None, v3))
}

/// The partition's settings: the one a parameter (`id`) or `pick` names, in the form the
/// documented answer shows it, `null` when unset; else all of them, as the documented record
/// when the get answers one, as stored otherwise (`[]` when there are none, as PHP encodes an
/// empty array).
pub(super) fn get(
    method: &Method,
    st: &StateDef,
    view: View<'_>,
    params: &Map<String, Value>,
    partition: &Partition,
    store: &Store,
) -> Result<Success, Problem> {
    let empty = Map::new();
    let stored = store.settings(&st.entity, partition).unwrap_or(&empty);
    let asked = st.pick.clone().or_else(|| {
        st.id
            .as_deref()
            .and_then(|p| at_path(params, p))
            .and_then(value::text)
    });
    let result = match asked {
        Some(key) => {
            let found = stored.get(&key).or_else(|| {
                stored
                    .iter()
                    .find(|(k, _)| loose_eq(k, &key))
                    .map(|(_, v)| v)
            });
            match (found, documented_scalar(method)) {
                (Some(v), Some(out)) => out.apply(v),
                (Some(v), None) => v.clone(),
                (None, _) => Value::Null,
            }
        }
        None if answers_record(method) => Value::Object(view.render(stored)),
        None if stored.is_empty() => Value::Array(Vec::new()),
        None => Value::Object(stored.clone()),
    };
    Ok(Success::of(wrap(st, result)))
}

/// The form of the documented answer's bare value (`"dnd"`, `"USD"`), for a get answering one.
fn documented_scalar(method: &Method) -> Option<Out> {
    let result = method
        .examples
        .iter()
        .filter(|e| e.status == 200)
        .find_map(|e| e.response.as_ref()?.get("result").cloned())?;
    match result {
        Value::Object(_) | Value::Array(_) => None,
        v => Out::of_example(&v),
    }
}

/// Whether the get's result type is a record the spec declares (so its documented keys and
/// forms are the answer), rather than free keys.
fn answers_record(method: &Method) -> bool {
    let mut ty = &method.result.ty;
    while let Ty::Nullable(inner) = ty {
        ty = inner;
    }
    matches!(ty, Ty::Named(n) if method.type_def(n).is_some())
}
