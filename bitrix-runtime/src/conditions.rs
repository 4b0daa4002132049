//! `filter` of REST 2 list methods (`crm.deal.list`, `catalog.product.list`, …): an object whose
//! keys are field names with an operator prefix (`">=OPPORTUNITY"`, `"@ASSIGNED_BY_ID"`,
//! `"=%TITLE"`) and whose values are what the field is compared with. Every condition must hold.
//!
//! With the record type the method lists (`Conditions<Deal>`), fields are picked with the
//! record's field methods and the value must convert into the field's type, so a misspelt field
//! or a text where a number goes does not compile. Fields the spec does not describe (user
//! fields) go in with [`Conditions::raw`].

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::batch::{Referable, Reference, ValueRef};

/// The operator of a REST 2 filter condition: the prefix of its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Compare {
    /// `=`: equal (also what a key without a prefix means).
    Eq,
    /// `!=`: not equal.
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `@`: one of a list of values.
    In,
    /// `!@`: none of a list of values.
    NotIn,
    /// `%`: contains the text (no `%` in the value).
    Contains,
    /// `=%`: matches a pattern whose `%` stand for any text (`"mol%"` starts with "mol").
    Like,
}

impl Compare {
    /// The comparison, as the portal facts name it.
    pub fn op(self) -> bitrix_facts::FilterOp {
        use bitrix_facts::FilterOp;
        match self {
            Compare::Eq => FilterOp::Eq,
            Compare::Ne => FilterOp::Ne,
            Compare::Gt => FilterOp::Gt,
            Compare::Ge => FilterOp::Ge,
            Compare::Lt => FilterOp::Lt,
            Compare::Le => FilterOp::Le,
            Compare::In => FilterOp::In,
            Compare::NotIn => FilterOp::NotIn,
            Compare::Contains => FilterOp::Contains,
            Compare::Like => FilterOp::Like,
        }
    }

    /// The prefix as sent before the field name.
    pub fn prefix(self) -> &'static str {
        // Every comparison above has a REST 2 prefix (a unit test holds it); `=` is the plain
        // key's meaning anyway.
        self.op().rest2_prefix().unwrap_or("=")
    }
}

/// A REST 2 filter over records of type `T` (a generated struct, or `()` where the method's
/// records have no declared type). Conditions added one after another must all hold; a second
/// condition with the same operator on the same field replaces the first, as the portal keeps
/// one value per key.
///
/// ```ignore
/// let filter = Conditions::<Deal>::new()
///     .eq(|d| d.stage_id(), "NEW")
///     .ge(|d| d.opportunity(), 10_000.0)
///     .is_in(|d| d.assigned_by_id(), [1, 6]);
/// // {"=STAGE_ID": "NEW", ">=OPPORTUNITY": 10000.0, "@ASSIGNED_BY_ID": [1, 6]}
/// ```
///
/// Booleans are sent as `"Y"`/`"N"`, the form every REST 2 filter reads.
pub struct Conditions<T = ()> {
    keys: Map<String, Value>,
    _of: PhantomData<fn() -> T>,
}

impl<T: Referable> Conditions<T> {
    fn compare<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        op: Compare,
        value: Value,
    ) -> Self {
        let root = T::Ref::from(Reference::path_root());
        let name = Reference::from(field(root)).dotted();
        self.raw(format!("{}{name}", op.prefix()), value)
    }

    /// `field = value`.
    #[must_use]
    pub fn eq<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Compare::Eq, json(&value.into()))
    }

    /// `field != value`.
    #[must_use]
    pub fn ne<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Compare::Ne, json(&value.into()))
    }

    /// `field > value`.
    #[must_use]
    pub fn gt<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Compare::Gt, json(&value.into()))
    }

    /// `field >= value`.
    #[must_use]
    pub fn ge<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Compare::Ge, json(&value.into()))
    }

    /// `field < value`.
    #[must_use]
    pub fn lt<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Compare::Lt, json(&value.into()))
    }

    /// `field <= value`.
    #[must_use]
    pub fn le<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Compare::Le, json(&value.into()))
    }

    /// `field` is one of `values`.
    #[must_use]
    pub fn is_in<V: Serialize, I: Into<V>>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        values: impl IntoIterator<Item = I>,
    ) -> Self {
        let values = values.into_iter().map(|v| json(&v.into())).collect();
        self.compare(field, Compare::In, Value::Array(values))
    }

    /// `field` is none of `values`.
    #[must_use]
    pub fn not_in<V: Serialize, I: Into<V>>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        values: impl IntoIterator<Item = I>,
    ) -> Self {
        let values = values.into_iter().map(|v| json(&v.into())).collect();
        self.compare(field, Compare::NotIn, Value::Array(values))
    }

    /// The text field contains `text`.
    #[must_use]
    pub fn contains(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<String>,
        text: impl Into<String>,
    ) -> Self {
        self.compare(field, Compare::Contains, Value::String(text.into()))
    }

    /// The text field matches `pattern`, whose `%` stand for any text.
    #[must_use]
    pub fn like(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<String>,
        pattern: impl Into<String>,
    ) -> Self {
        self.compare(field, Compare::Like, Value::String(pattern.into()))
    }
}

impl<T> Conditions<T> {
    /// No condition yet.
    pub fn new() -> Self {
        Conditions::from_keys(Map::new())
    }

    fn from_keys(keys: Map<String, Value>) -> Self {
        Conditions {
            keys,
            _of: PhantomData,
        }
    }

    /// A condition on a field by name (user fields such as `UF_CRM_1721244482250`, or records
    /// without a declared type): `field(Compare::Ge, "OPPORTUNITY", 100)`.
    #[must_use]
    pub fn field(self, op: Compare, name: &str, value: impl Into<Value>) -> Self {
        self.raw(format!("{}{name}", op.prefix()), value)
    }

    /// A key exactly as sent, operator included (`"%=TITLE"`, `"!STATUS_ID"`), for what
    /// [`Compare`] does not name.
    #[must_use]
    pub fn raw(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.keys.insert(key.into(), flags_as_text(value.into()));
        self
    }

    /// Whether no condition was added.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The filter as sent.
    pub fn to_json(&self) -> Value {
        Value::Object(self.keys.clone())
    }
}

/// A value as JSON; the values a filter takes (numbers, text, flags, enums) always encode.
fn json<V: Serialize>(value: &V) -> Value {
    flags_as_text(serde_json::to_value(value).unwrap_or(Value::Null))
}

/// REST 2 filters read booleans as `Y`/`N` (a JSON `true` would reach PHP as `"1"`).
fn flags_as_text(value: Value) -> Value {
    match value {
        Value::Bool(b) => Value::String(if b { "Y" } else { "N" }.into()),
        Value::Array(items) => Value::Array(items.into_iter().map(flags_as_text).collect()),
        other => other,
    }
}

/// Keys as sent (`{">=OPPORTUNITY": 100}`), for filters kept as data.
impl<T> From<Map<String, Value>> for Conditions<T> {
    fn from(keys: Map<String, Value>) -> Self {
        keys.into_iter()
            .fold(Conditions::new(), |c, (k, v)| c.raw(k, v))
    }
}

/// Keys as sent, for filters kept as data.
impl<T> From<std::collections::BTreeMap<String, Value>> for Conditions<T> {
    fn from(keys: std::collections::BTreeMap<String, Value>) -> Self {
        keys.into_iter()
            .fold(Conditions::new(), |c, (k, v)| c.raw(k, v))
    }
}

impl<T> Default for Conditions<T> {
    fn default() -> Self {
        Conditions::new()
    }
}

// Hand-written so that `T` needs none of these traits itself.
impl<T> Clone for Conditions<T> {
    fn clone(&self) -> Self {
        Conditions::from_keys(self.keys.clone())
    }
}

impl<T> PartialEq for Conditions<T> {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys
    }
}

impl<T> fmt::Debug for Conditions<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

impl<T> Serialize for Conditions<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.keys.serialize(s)
    }
}

/// Any object reads back (a documented example's filter), and so does `[]`, PHP's empty
/// object; keys are kept as written, not re-checked.
impl<'de, T> Deserialize<'de> for Conditions<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Object(keys) => Ok(Conditions::from_keys(keys)),
            Value::Array(a) if a.is_empty() => Ok(Conditions::new()),
            other => Err(serde::de::Error::custom(format!(
                "a filter is an object of conditions, not {}",
                match other {
                    Value::Null => "null",
                    Value::Bool(_) => "a boolean",
                    Value::Number(_) => "a number",
                    Value::String(_) => "a string",
                    _ => "a list",
                }
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_comparison_has_its_rest2_prefix_in_the_portal_facts() {
        let all = [
            (Compare::Eq, "="),
            (Compare::Ne, "!="),
            (Compare::Gt, ">"),
            (Compare::Ge, ">="),
            (Compare::Lt, "<"),
            (Compare::Le, "<="),
            (Compare::In, "@"),
            (Compare::NotIn, "!@"),
            (Compare::Contains, "%"),
            (Compare::Like, "=%"),
        ];
        for (compare, prefix) in all {
            assert_eq!(compare.op().rest2_prefix(), Some(prefix), "{compare:?}");
        }
    }

    /// A record type with two fields, as the generator writes its reference type.
    struct Deal;
    struct DealRef(Reference);
    impl From<Reference> for DealRef {
        fn from(r: Reference) -> Self {
            DealRef(r)
        }
    }
    impl From<DealRef> for Reference {
        fn from(r: DealRef) -> Self {
            r.0
        }
    }
    impl DealRef {
        fn stage_id(self) -> ValueRef<String> {
            ValueRef::from(self.0.field("STAGE_ID"))
        }
        fn opportunity(self) -> ValueRef<f64> {
            ValueRef::from(self.0.field("OPPORTUNITY"))
        }
        fn assigned_by_id(self) -> ValueRef<i64> {
            ValueRef::from(self.0.field("ASSIGNED_BY_ID"))
        }
        fn opened(self) -> ValueRef<bool> {
            ValueRef::from(self.0.field("OPENED"))
        }
        fn title(self) -> ValueRef<String> {
            ValueRef::from(self.0.field("TITLE"))
        }
    }
    impl Referable for Deal {
        type Ref = DealRef;
    }

    #[test]
    fn typed_conditions_write_prefixed_keys() {
        let f = Conditions::<Deal>::new()
            .eq(|d| d.stage_id(), "NEW")
            .ge(|d| d.opportunity(), 10_000.0)
            .lt(|d| d.opportunity(), 20_000.0)
            .is_in(|d| d.assigned_by_id(), [1, 6])
            .not_in(|d| d.stage_id(), ["LOSE"])
            .like(|d| d.title(), "%a")
            .contains(|d| d.title(), "mol")
            .ne(|d| d.opened(), true);
        assert_eq!(
            f.to_json(),
            serde_json::json!({
                "=STAGE_ID": "NEW",
                ">=OPPORTUNITY": 10000.0,
                "<OPPORTUNITY": 20000.0,
                "@ASSIGNED_BY_ID": [1, 6],
                "!@STAGE_ID": ["LOSE"],
                "=%TITLE": "%a",
                "%TITLE": "mol",
                "!=OPENED": "Y"
            })
        );
    }

    #[test]
    fn untyped_and_raw_keys_and_replacement() {
        let f = Conditions::<()>::new()
            .field(Compare::Gt, "UF_CRM_1", 5)
            .raw("!STATUS_ID", "NEW")
            .raw("!STATUS_ID", "CLOSED")
            .field(Compare::Eq, "CLOSED", false);
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            serde_json::json!({">UF_CRM_1": 5, "!STATUS_ID": "CLOSED", "=CLOSED": "N"})
        );
        assert!(!f.is_empty());
        assert!(Conditions::<Deal>::default().is_empty());
        let kept = std::collections::BTreeMap::from([("@ID".to_string(), serde_json::json!([1]))]);
        assert_eq!(
            Conditions::<Deal>::from(kept).to_json(),
            serde_json::json!({"@ID": [1]})
        );
    }

    #[test]
    fn an_object_or_an_empty_list_reads_back_and_anything_else_is_refused() {
        let f: Conditions<Deal> =
            serde_json::from_value(serde_json::json!({">=OPPORTUNITY": 1, "TYPE_ID": "SALE"}))
                .unwrap();
        assert_eq!(
            f.to_json(),
            serde_json::json!({">=OPPORTUNITY": 1, "TYPE_ID": "SALE"})
        );
        let empty: Conditions = serde_json::from_value(serde_json::json!([])).unwrap();
        assert!(empty.is_empty());
        for bad in [
            serde_json::json!("ID"),
            serde_json::json!([1]),
            serde_json::json!(null),
        ] {
            let err = serde_json::from_value::<Conditions>(bad).unwrap_err();
            assert!(err.to_string().contains("a filter is an object"), "{err}");
        }
    }
}
