//! `filter` of REST 3.0 (rest-v3.md, *Filtering*): a list of `[field, operator, value]`
//! conditions that must all hold, and `{"logic": "or", "conditions": […]}` groups of which one
//! must hold. Fields and value types are checked by the compiler against the object's type.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::batch::{Referable, Reference, ValueRef};

/// A comparison of a filter condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `in`: one of a list of values.
    In,
    /// `between`: within `[from, to]`.
    Between,
}

impl Op {
    /// The comparison, as the portal facts name it.
    pub fn op(self) -> bitrix_facts::FilterOp {
        use bitrix_facts::FilterOp;
        match self {
            Op::Eq => FilterOp::Eq,
            Op::Ne => FilterOp::Ne,
            Op::Gt => FilterOp::Gt,
            Op::Ge => FilterOp::Ge,
            Op::Lt => FilterOp::Lt,
            Op::Le => FilterOp::Le,
            Op::In => FilterOp::In,
            Op::Between => FilterOp::Between,
        }
    }

    /// The operator as sent.
    pub fn as_str(self) -> &'static str {
        // Every operator above is a REST 3.0 one (a unit test holds it).
        self.op().rest3_operator().unwrap_or("=")
    }
}

/// A REST 3.0 filter over objects of type `T` (a generated struct). Conditions added one after
/// another must all hold; [`Filter::any_of`] adds a group of which at least one must hold.
///
/// ```ignore
/// let filter = Filter::<Task>::new()
///     .eq(|t| t.status(), "NEW")
///     .any_of(|g| g.is_in(|t| t.id(), [1, 2]).gt(|t| t.priority(), 1));
/// // [["status","=","NEW"],{"logic":"or","conditions":[["id","in",[1,2]],["priority",">",1]]}]
/// ```
///
/// A field is picked with the struct's field methods and the value must convert into the
/// field's type, so `eq(|t| t.id(), "x")` does not compile. Fields the spec does not describe go
/// in with [`Filter::raw`].
pub struct Filter<T> {
    items: Vec<Value>,
    _of: PhantomData<fn() -> T>,
}

impl<T: Referable> Filter<T> {
    /// No condition yet.
    pub fn new() -> Self {
        Filter::from_items(Vec::new())
    }

    fn compare<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        op: Op,
        value: Value,
    ) -> Self {
        let root = T::Ref::from(Reference::path_root());
        let name = Reference::from(field(root)).dotted();
        self.raw(name, op, value)
    }

    /// `field = value`.
    #[must_use]
    pub fn eq<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Op::Eq, json(&value.into()))
    }

    /// `field != value`.
    #[must_use]
    pub fn ne<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Op::Ne, json(&value.into()))
    }

    /// `field > value`.
    #[must_use]
    pub fn gt<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Op::Gt, json(&value.into()))
    }

    /// `field >= value`.
    #[must_use]
    pub fn ge<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Op::Ge, json(&value.into()))
    }

    /// `field < value`.
    #[must_use]
    pub fn lt<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Op::Lt, json(&value.into()))
    }

    /// `field <= value`.
    #[must_use]
    pub fn le<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        value: impl Into<V>,
    ) -> Self {
        self.compare(field, Op::Le, json(&value.into()))
    }

    /// `field in [values]`.
    #[must_use]
    pub fn is_in<V: Serialize, I: Into<V>>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        values: impl IntoIterator<Item = I>,
    ) -> Self {
        let values = values.into_iter().map(|v| json(&v.into())).collect();
        self.compare(field, Op::In, Value::Array(values))
    }

    /// A group whose conditions are joined by OR: at least one of the conditions `group` adds
    /// must hold (`.any_of(|g| g.eq(|t| t.id(), 1).eq(|t| t.id(), 2))`).
    #[must_use]
    pub fn any_of(mut self, group: impl FnOnce(Filter<T>) -> Filter<T>) -> Self {
        let mut or = serde_json::Map::new();
        or.insert("logic".into(), Value::String("or".into()));
        or.insert(
            "conditions".into(),
            Value::Array(group(Filter::new()).items),
        );
        self.items.push(Value::Object(or));
        self
    }

    /// `from <= field <= to`.
    #[must_use]
    pub fn between<V: Serialize>(
        self,
        field: impl FnOnce(T::Ref) -> ValueRef<V>,
        from: impl Into<V>,
        to: impl Into<V>,
    ) -> Self {
        let range = Value::Array(vec![json(&from.into()), json(&to.into())]);
        self.compare(field, Op::Between, range)
    }
}

impl<T> Filter<T> {
    fn from_items(items: Vec<Value>) -> Self {
        Filter {
            items,
            _of: PhantomData,
        }
    }

    /// A condition on a field by name, for fields the spec does not describe (user fields).
    #[must_use]
    pub fn raw(mut self, field: impl Into<String>, op: Op, value: impl Into<Value>) -> Self {
        self.items.push(Value::Array(vec![
            Value::String(field.into()),
            Value::String(op.as_str().to_string()),
            value.into(),
        ]));
        self
    }

    /// Whether no condition was added.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The filter as sent.
    pub fn to_json(&self) -> Value {
        Value::Array(self.items.clone())
    }
}

/// A value as JSON; the values a filter takes (numbers, text, flags, enums) always encode.
fn json<V: Serialize>(value: &V) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl<T: Referable> Default for Filter<T> {
    fn default() -> Self {
        Filter::new()
    }
}

// Hand-written so that `T` needs none of these traits itself.
impl<T> Clone for Filter<T> {
    fn clone(&self) -> Self {
        Filter::from_items(self.items.clone())
    }
}

impl<T> PartialEq for Filter<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<T> fmt::Debug for Filter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

impl<T> Serialize for Filter<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(s)
    }
}

/// Any list reads back (a documented example's filter); its conditions are not re-checked.
impl<'de, T> Deserialize<'de> for Filter<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Value>::deserialize(d).map(Filter::from_items)
    }
}

#[cfg(test)]
mod op_tests {
    use super::Op;

    #[test]
    fn every_operator_is_a_rest3_operator_of_the_portal_facts() {
        let all = [
            (Op::Eq, "="),
            (Op::Ne, "!="),
            (Op::Gt, ">"),
            (Op::Ge, ">="),
            (Op::Lt, "<"),
            (Op::Le, "<="),
            (Op::In, "in"),
            (Op::Between, "between"),
        ];
        for (op, sent) in all {
            assert_eq!(op.op().rest3_operator(), Some(sent), "{op:?}");
        }
    }
}
