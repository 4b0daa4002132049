//! The `filter` of list methods: `{"=stageId": "NEW", ">opportunity": 5000, "@id": [1, 2]}`, with
//! nested `{"logic": "OR", "0": {...}, "1": {...}}` blocks. Prefixes: `=` (or none), `!`/`!=`,
//! `>`, `>=`, `<`, `<=`, `%` (substring), `!%` (no substring), `=%`/`%=` (SQL `LIKE` pattern with
//! `%` and `_`), `!=%`/`!%=` (not that pattern), `@` (in), `!@` (not in). A key naming no field is
//! refused by strict lists and ignored by the others. REST 3.0 writes conditions as
//! a list: `[["status", "=", "NEW"], {"logic": "or", "conditions": [["id", [1, 2]]]}]` with
//! `=`, `!=`, `>`, `>=`, `<`, `<=`, `in`, `between`.

use bitrix_facts::FilterOp as Op;
use serde_json::{Map, Value};

use super::shape::Shape;
use super::value::{compare, equal, number, text};
use std::cmp::Ordering;

/// Why a filter is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    /// The filter is not an object.
    Malformed,
    /// A field the entity does not have.
    UnknownField(String),
    /// A value that does not fit its field (text for a number).
    BadValue(String),
    /// A REST 3.0 operator that does not exist.
    UnknownOperator(String),
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// Every condition holds.
    All(Vec<Cond>),
    /// One condition holds.
    Any(Vec<Cond>),
    /// One field condition.
    Field {
        /// The field name.
        field: String,
        /// How to compare.
        op: OpCode,
        /// The value (a list for `@`/`!@`).
        value: Value,
    },
}

/// Opaque wrapper so the operator type stays private to this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpCode(Op);

/// Parses `filter` (absent, `[]` or an object) against the entity's fields. A `strict` list
/// refuses a key naming no field; the others leave it out, as the legacy lists do (a portal
/// answers `crm.lead.list` with `<>STATUS_ID` as if the key were not there: fast_bitrix24's suite).
pub fn parse(filter: Option<&Value>, shape: &Shape, strict: bool) -> Result<Cond, FilterError> {
    match filter {
        None | Some(Value::Null) => Ok(Cond::All(Vec::new())),
        Some(Value::Array(a)) if a.is_empty() => Ok(Cond::All(Vec::new())),
        Some(Value::Object(map)) => block(map, shape, strict, 0),
        Some(_) => Err(FilterError::Malformed),
    }
}

/// Deepest nesting of logic blocks accepted; deeper filters are refused rather than recursed.
const MAX_DEPTH: usize = 16;

fn block(
    map: &Map<String, Value>,
    shape: &Shape,
    strict: bool,
    depth: usize,
) -> Result<Cond, FilterError> {
    if depth > MAX_DEPTH {
        return Err(FilterError::Malformed);
    }
    let mut conds = Vec::new();
    for (key, value) in map {
        if key.eq_ignore_ascii_case("logic") {
            continue;
        }
        let nested = key.is_empty() || key.bytes().all(|b| b.is_ascii_digit());
        if nested {
            match value {
                Value::Object(inner) => conds.push(block(inner, shape, strict, depth + 1)?),
                // A block whose own keys were `0..n` arrives as an array (form bodies).
                Value::Array(items) => {
                    for item in items {
                        let Value::Object(inner) = item else {
                            return Err(FilterError::Malformed);
                        };
                        conds.push(block(inner, shape, strict, depth + 1)?);
                    }
                }
                _ => return Err(FilterError::Malformed),
            }
            continue;
        }
        match field(key, value, shape) {
            Err(FilterError::UnknownField(_)) if !strict => {}
            other => conds.push(other?),
        }
    }
    let or = map
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("logic"))
        .and_then(|(_, v)| v.as_str())
        .is_some_and(|l| l.eq_ignore_ascii_case("or"));
    Ok(if or {
        Cond::Any(conds)
    } else {
        Cond::All(conds)
    })
}

/// Parses a REST 3.0 `filter` (absent, `[]` or a list of conditions).
pub fn parse_v3(filter: Option<&Value>, shape: &Shape) -> Result<Cond, FilterError> {
    match filter {
        None | Some(Value::Null) => Ok(Cond::All(Vec::new())),
        Some(Value::Array(items)) => list_v3(items, shape, 0).map(Cond::All),
        Some(Value::Object(map)) if map.is_empty() => Ok(Cond::All(Vec::new())),
        Some(_) => Err(FilterError::Malformed),
    }
}

fn list_v3(items: &[Value], shape: &Shape, depth: usize) -> Result<Vec<Cond>, FilterError> {
    if depth > MAX_DEPTH {
        return Err(FilterError::Malformed);
    }
    items
        .iter()
        .map(|i| condition_v3(i, shape, depth))
        .collect()
}

fn condition_v3(item: &Value, shape: &Shape, depth: usize) -> Result<Cond, FilterError> {
    match item {
        Value::Object(group) => {
            let Some(Value::Array(conds)) = group.get("conditions") else {
                return Err(FilterError::Malformed);
            };
            let conds = list_v3(conds, shape, depth + 1)?;
            let or = group
                .get("logic")
                .and_then(Value::as_str)
                .is_some_and(|l| l.eq_ignore_ascii_case("or"));
            Ok(if or {
                Cond::Any(conds)
            } else {
                Cond::All(conds)
            })
        }
        Value::Array(parts) => {
            let (name, op, value) = match parts.as_slice() {
                [Value::String(n), v @ Value::Array(_)] => (n, "in", v),
                [Value::String(n), v] => (n, "=", v),
                [Value::String(n), Value::String(op), v] => (n, op.as_str(), v),
                _ => return Err(FilterError::Malformed),
            };
            let op =
                Op::from_rest3(op).ok_or_else(|| FilterError::UnknownOperator(op.to_string()))?;
            if op == Op::Between && value.as_array().is_none_or(|a| a.len() != 2) {
                return Err(FilterError::BadValue(name.clone()));
            }
            condition(name, op, value, shape)
        }
        _ => Err(FilterError::Malformed),
    }
}

fn field(key: &str, value: &Value, shape: &Shape) -> Result<Cond, FilterError> {
    let (op, name) = Op::split_rest2_key(key);
    condition(name, op, value, shape)
}

/// One field condition, checked against the entity's fields.
fn condition(name: &str, op: Op, value: &Value, shape: &Shape) -> Result<Cond, FilterError> {
    let name = name.trim();
    let kind = shape
        .kind(name)
        .ok_or_else(|| FilterError::UnknownField(name.to_string()))?;
    let op = match (op, value) {
        (Op::Eq, Value::Array(_)) => Op::In,
        (Op::Ne, Value::Array(_)) => Op::NotIn,
        (op, _) => op,
    };
    if matches!(value, Value::Object(_)) {
        return Err(FilterError::BadValue(name.to_string()));
    }
    let textual = matches!(op, Op::Contains | Op::NotContains | Op::Like | Op::NotLike);
    if kind.numeric() && !textual {
        let values: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            v => vec![v],
        };
        let fits = |v: &&Value| {
            v.is_null() || number(v).is_some() || text(v).is_some_and(|t| t.trim().is_empty())
        };
        if !values.iter().all(fits) {
            return Err(FilterError::BadValue(name.to_string()));
        }
    }
    Ok(Cond::Field {
        field: name.to_string(),
        op: OpCode(op),
        value: value.clone(),
    })
}

impl Cond {
    /// Whether `record` passes.
    pub fn matches(&self, record: &Map<String, Value>) -> bool {
        match self {
            Cond::All(conds) => conds.iter().all(|c| c.matches(record)),
            Cond::Any(conds) => conds.iter().any(|c| c.matches(record)),
            Cond::Field { field, op, value } => {
                test(super::value::field(record, field), op.0, value)
            }
        }
    }
}

fn test(have: Option<&Value>, op: Op, want: &Value) -> bool {
    let list = || match want {
        Value::Array(items) => items.clone(),
        v => vec![v.clone()],
    };
    match op {
        Op::Eq => equal(have, want),
        Op::Ne => !equal(have, want),
        Op::In => list().iter().any(|w| equal(have, w)),
        Op::NotIn => !list().iter().any(|w| equal(have, w)),
        Op::Contains => {
            let needle = text(want).unwrap_or_default().to_lowercase();
            any_item(have, |v| like(v, &needle))
        }
        Op::NotContains => !test(have, Op::Contains, want),
        Op::Like => {
            let pattern: Vec<char> = text(want)
                .unwrap_or_default()
                .to_lowercase()
                .chars()
                .collect();
            any_item(have, |v| {
                text(v).is_some_and(|t| {
                    let t: Vec<char> = t.to_lowercase().chars().collect();
                    sql_like(&t, &pattern)
                })
            })
        }
        Op::NotLike => !test(have, Op::Like, want),
        Op::Between => {
            let (Some(lo), Some(hi)) = (want.get(0), want.get(1)) else {
                return false;
            };
            test(have, Op::Ge, lo) && test(have, Op::Le, hi)
        }
        Op::Gt | Op::Ge | Op::Lt | Op::Le => {
            // Nothing stored compares with nothing: a portal's SQL says NULL > x is not true.
            let Some(have) = have.filter(|v| !v.is_null()) else {
                return false;
            };
            let o = compare(Some(have), Some(want));
            match op {
                Op::Gt => o == Ordering::Greater,
                Op::Ge => o != Ordering::Less,
                Op::Lt => o == Ordering::Less,
                _ => o != Ordering::Greater,
            }
        }
    }
}

fn like(value: &Value, needle: &str) -> bool {
    text(value).is_some_and(|t| t.to_lowercase().contains(needle))
}

/// Whether the stored value (or one item of a multiple field) passes `check`.
fn any_item(have: Option<&Value>, check: impl Fn(&Value) -> bool) -> bool {
    match have {
        Some(Value::Array(items)) => items.iter().any(&check),
        Some(v) => check(v),
        None => false,
    }
}

/// SQL `LIKE` without case: `%` any run of characters, `_` one character. Iterative, with one
/// backtracking point, so a hostile pattern costs at most text length times pattern length.
fn sql_like(text: &[char], pattern: &[char]) -> bool {
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('%') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if *c == '_' || *c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::shape::Kind;
    use serde_json::json;

    fn shape() -> Shape {
        let mut s = Shape {
            key: "id".into(),
            ..Shape::default()
        };
        s.fields.insert("title".into(), Kind::Text);
        s.fields.insert("opportunity".into(), Kind::Double);
        s.fields.insert("stageId".into(), Kind::Text);
        s
    }

    fn rec(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn prefixes_and_logic_blocks() {
        let f = parse(
            Some(
                &json!({">=opportunity": "100", "@stageId": ["NEW", "WON"], "%title": "dea",
                "0": {"logic": "OR", "0": {"id": 1}, "1": {"!=id": 1}}}),
            ),
            &shape(),
            true,
        )
        .expect("parses");
        assert!(f.matches(&rec(
            json!({"id": 1, "opportunity": 100, "stageId": "new", "title": "Deal"})
        )));
        assert!(!f.matches(&rec(
            json!({"id": 1, "opportunity": 99, "stageId": "NEW", "title": "Deal"})
        )));
        assert!(!f.matches(&rec(
            json!({"id": 1, "opportunity": 200, "stageId": "LOSE", "title": "Deal"})
        )));
        let not_in = parse(
            Some(&json!({"!@id": [1, 2], "<opportunity": 5})),
            &shape(),
            true,
        )
        .unwrap();
        assert!(not_in.matches(&rec(json!({"id": 3, "opportunity": 4}))));
        assert!(!not_in.matches(&rec(json!({"id": 2, "opportunity": 4}))));
        assert!(!not_in.matches(&rec(json!({"id": 3}))));
    }

    #[test]
    fn rest_v3_conditions() {
        let f = parse_v3(
            Some(&json!([["stageId", "=", "NEW"], {"logic": "or", "conditions": [["id", [1, 2]], ["opportunity", "between", [10, 20]]]}])),
            &shape(),
        )
        .expect("parses");
        assert!(f.matches(&rec(json!({"id": 2, "stageId": "NEW"}))));
        assert!(f.matches(&rec(json!({"id": 9, "stageId": "NEW", "opportunity": 15}))));
        assert!(!f.matches(&rec(json!({"id": 9, "stageId": "NEW", "opportunity": 25}))));
        assert_eq!(
            parse_v3(Some(&json!([["id", "like", 1]])), &shape()),
            Err(FilterError::UnknownOperator("like".into()))
        );
        assert_eq!(
            parse_v3(Some(&json!([["nope", "=", 1]])), &shape()),
            Err(FilterError::UnknownField("nope".into()))
        );
        assert_eq!(
            parse_v3(Some(&json!([5])), &shape()),
            Err(FilterError::Malformed)
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(
            parse(Some(&json!({"nope": 1})), &shape(), true),
            Err(FilterError::UnknownField("nope".into()))
        );
        assert_eq!(
            parse(Some(&json!({">opportunity": "lots"})), &shape(), true),
            Err(FilterError::BadValue("opportunity".into()))
        );
        assert_eq!(
            parse(Some(&json!("x")), &shape(), true),
            Err(FilterError::Malformed)
        );
        assert!(parse(
            Some(&json!({"ufCrm_1": "x", "UF_CRM_2": 1})),
            &shape(),
            true
        )
        .is_ok());
    }

    #[test]
    fn like_patterns_and_unknown_keys_of_lenient_lists() {
        let f = |v: Value| parse(Some(&v), &shape(), false).expect("parses");
        let deal = rec(json!({"id": 1, "title": "Acme deal", "stageId": "NEW"}));
        assert!(f(json!({"=%title": "a%"})).matches(&deal));
        assert!(f(json!({"%=title": "%DEAL"})).matches(&deal));
        assert!(f(json!({"=%title": "ac_e%"})).matches(&deal));
        assert!(!f(json!({"=%title": "deal%"})).matches(&deal));
        assert!(f(json!({"!=%title": "b%"})).matches(&deal));
        assert!(!f(json!({"!%title": "me d"})).matches(&deal));
        assert!(f(json!({"!%=title": "%x%"})).matches(&deal));
        // `<>` is no operator: the key names no field and a lenient list leaves it out.
        assert!(f(json!({"<>stageId": "NEW"})).matches(&deal));
        assert!(!f(json!({"!stageId": "NEW", "<>stageId": "NEW"})).matches(&deal));
        assert_eq!(
            parse(Some(&json!({"<>stageId": "NEW"})), &shape(), true),
            Err(FilterError::UnknownField(">stageId".into()))
        );
        let long: Vec<char> = "a".repeat(2000).chars().collect();
        let hostile: Vec<char> = "%a%a%a%a%a%a%a%a%b".chars().collect();
        assert!(!sql_like(&long, &hostile));
    }
}
