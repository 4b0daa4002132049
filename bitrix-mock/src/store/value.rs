//! How stored values compare. Form bodies carry every scalar as text while JSON bodies carry
//! numbers, so `"5000"` and `5000` must be the same value; strings compare without case, as the
//! portal's database collation does.

use std::cmp::Ordering;

use serde_json::{Map, Value};

pub use crate::scalar::{number, text};

/// The value of `name` in `record`: the exact key, else one spelled alike in the other casing
/// (`stageId` finds `STAGE_ID`), as one record is seen through families of both casings, else
/// the same system fact under another family's name (`createdTime` finds `DATE_CREATE`: b24jssdk
/// filters companies added by `crm.company.add` with `>=createdTime` in `crm.item.list`).
pub fn field<'a>(record: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    use crate::names::{loose, loose_eq, same_as};
    record
        .get(name)
        .or_else(|| {
            record
                .iter()
                .find(|(k, _)| loose_eq(k, name))
                .map(|(_, v)| v)
        })
        .or_else(|| {
            let others = same_as(&loose(name));
            if others.is_empty() {
                return None;
            }
            record
                .iter()
                .find(|(k, _)| others.iter().any(|o| loose_eq(k, o)))
                .map(|(_, v)| v)
        })
}

/// A total order over scalars: null (or absent) first, then numbers, then other text without
/// case. Ranking the kinds (rather than comparing a number with text as text) keeps the order
/// transitive, and `total_cmp` gives NaN (text such as `"NaN"` parses to it) a fixed place, so
/// sorting never sees an inconsistent comparison.
pub fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let a = a.filter(|v| !v.is_null());
    let b = b.filter(|v| !v.is_null());
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => match (number(x), number(y)) {
            (Some(p), Some(q)) => p.total_cmp(&q),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => {
                let (p, q) = (text(x).unwrap_or_default(), text(y).unwrap_or_default());
                p.to_lowercase().cmp(&q.to_lowercase())
            }
        },
    }
}

/// Whether two scalars are equal in the portal's sense (`"5"` equals `5`, `new` equals `NEW`).
pub fn equal(a: Option<&Value>, b: &Value) -> bool {
    match a {
        None | Some(Value::Null) => b.is_null() || text(b).is_some_and(|t| t.is_empty()),
        // A list-valued field (several contact IDs, observers) matches when one of its values does.
        Some(Value::Array(items)) => items.iter().any(|i| equal(Some(i), b)),
        Some(x) => compare(Some(x), Some(b)) == Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_and_numbers_meet() {
        assert!(equal(Some(&json!("5000")), &json!(5000)));
        assert!(equal(Some(&json!("new")), &json!("NEW")));
        assert!(equal(Some(&json!([1, 2])), &json!("2")));
        assert_eq!(
            compare(Some(&json!(10)), Some(&json!("9"))),
            Ordering::Greater
        );
        assert_eq!(compare(None, Some(&json!(0))), Ordering::Less);
    }

    #[test]
    fn nan_has_a_place_in_the_order() {
        // serde_json cannot hold NaN, but text can parse to it.
        let nan = json!("NaN");
        let one = json!(1);
        let ab = compare(Some(&nan), Some(&one));
        let ba = compare(Some(&one), Some(&nan));
        assert_eq!(ab, ba.reverse());
        assert_eq!(compare(Some(&nan), Some(&nan)), Ordering::Equal);
        // Numbers, numeric text and other text: no cycle.
        let (a, b, c) = (json!("10"), json!("2"), json!("1a"));
        assert_eq!(compare(Some(&b), Some(&a)), Ordering::Less);
        assert_eq!(compare(Some(&a), Some(&c)), Ordering::Less);
        assert_eq!(compare(Some(&b), Some(&c)), Ordering::Less);
    }
}
