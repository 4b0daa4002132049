//! List methods: filter, order, select and paging over one partition's records, in the REST 2
//! form (`start`, `next`, `total`) and the REST 3.0 one (`pagination`, `items` only).

use bitrix_codegen::model::{Answer, StateDef};
use bitrix_codegen::Method;
use serde_json::{json, Map, Value};

use crate::envelope::Success;
use crate::problem::Problem;
use crate::store::{filter, order, select, value, Partition, Record, Store};

/// Items on one page of a list method.
pub const PAGE: usize = bitrix_facts::PAGE_SIZE;

/// A list argument (`filter`, `order`, `select`, `start`) in whatever case the spec spells it
/// (`voximplant.sip.get` takes `FILTER`); the parameters reach here in the spec's spelling.
fn arg<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    params.get(name).or_else(|| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// The field that orders records the caller's `order` leaves tied: the ID, except for records
/// seeded from the documented answer, which keep its order (they are stored in it).
fn tie(st: &StateDef) -> &str {
    if st.documented {
        ""
    } else {
        &st.key
    }
}

/// A page of records.
pub(super) fn list(
    method: &Method,
    st: &StateDef,
    view: super::View<'_>,
    params: &Map<String, Value>,
    partition: &Partition,
    store: &Store,
    v3: bool,
) -> Result<Success, Problem> {
    let shape = view.shape;
    let parsed = if v3 {
        filter::parse_v3(arg(params, "filter"), shape)
    } else {
        filter::parse(arg(params, "filter"), shape, st.strict_filter)
    };
    let cond = parsed.map_err(|e| match e {
        filter::FilterError::Malformed => Problem::Malformed("filter"),
        filter::FilterError::UnknownField(f) => Problem::FilterField(f),
        filter::FilterError::UnknownOperator(op) => Problem::FilterOperator(op),
        filter::FilterError::BadValue(f) => Problem::FilterValue(f),
    })?;
    let mut keys = order::parse(arg(params, "order"), shape).map_err(|e| match e {
        order::OrderError::Malformed => Problem::Malformed("order"),
        order::OrderError::UnknownField(f) => Problem::OrderField(f),
        order::OrderError::BadDirection(f) => Problem::OrderDirection(f),
    })?;
    // The keys in the order the caller sent them (the parsed map is sorted by name).
    crate::key_order::arrange(&mut keys, params.get(crate::key_order::ORDER_KEYS));
    let pick = select::parse(arg(params, "select")).map_err(|_| Problem::Malformed("select"))?;
    if v3 {
        return list_v3(st, view, params, &cond, &keys, &pick, partition, store);
    }
    let start = match arg(params, "start") {
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
    order::sort(&mut rows, &keys, tie(st));
    let key = st.wrap.clone().or_else(|| method.result.items.clone());
    // A list whose answer the spec does not page holds every matching record, and no `next`.
    if !method.result.paged {
        let all: Vec<Value> = rows
            .iter()
            .map(|r| match st.answer {
                // Only the keys (`bizproc.activity.list` answers the codes).
                Answer::Keys => value::field(r, &st.key).cloned().unwrap_or(Value::Null),
                _ => Value::Object(pick.apply(&view.render(r), &st.key)),
            })
            .collect();
        // Keyed by each record's key (`task.stages.get`); none is PHP's empty array, `[]`.
        let all = if st.answer == Answer::Keyed && !all.is_empty() {
            Value::Object(
                rows.iter()
                    .zip(all)
                    .map(|(r, v)| {
                        let id = value::field(r, &st.key).and_then(value::text);
                        (id.unwrap_or_default(), v)
                    })
                    .collect(),
            )
        } else {
            Value::Array(all)
        };
        return Ok(Success::of(match key {
            Some(key) => json!({ key: all }),
            None => all,
        }));
    }
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
        .map(|r| Value::Object(pick.apply(&view.render(r), &st.key)))
        .collect();
    let end = from.saturating_add(PAGE);
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
#[allow(clippy::too_many_arguments)]
fn list_v3(
    st: &StateDef,
    view: super::View<'_>,
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
    order::sort(&mut rows, keys, tie(st));
    let page: Vec<Value> = rows
        .iter()
        .skip(usize::try_from(from).unwrap_or(usize::MAX))
        .take(limit as usize)
        .map(|r| Value::Object(pick.apply(&view.render(r), &st.key)))
        .collect();
    Ok(Success::of(json!({ "items": page })))
}
