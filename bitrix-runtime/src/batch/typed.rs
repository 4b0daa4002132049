//! References that follow the result type: `handle.result().bot().id()` instead of
//! `handle.field("bot").field("id")`, so a path the result type does not have does not compile.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde_json::Value;

use super::reference::Reference;
use crate::wire::file::File;
use crate::wire::lang_text::LangText;
use crate::wire::one_or_many::OneOrMany;

/// A type a batch [`Reference`] can point into. Every generated result type implements it: a
/// struct's `Ref` has one method per field, a list's has [`ListRef::index`], a map's
/// [`MapRef::key`], and a plain value's is the [`Reference`] itself, ready to be sent.
pub trait Referable {
    /// The reference to a value of this type.
    type Ref: From<Reference> + Into<Reference>;
}

macro_rules! leaf {
    ($($t:ty),*) => {$(
        impl Referable for $t {
            type Ref = ValueRef<$t>;
        }
    )*};
}

leaf!(i64, f64, bool, String, Value, File, LangText);

/// One value or a list is referenced as a whole: which of the two the answer holds is not known
/// before the batch runs.
impl<T> Referable for OneOrMany<T> {
    type Ref = ValueRef<OneOrMany<T>>;
}

impl<T: Referable> Referable for Option<T> {
    type Ref = T::Ref;
}

impl<T: Referable> Referable for Vec<T> {
    type Ref = ListRef<T>;
}

impl<T: Referable> Referable for BTreeMap<String, T> {
    type Ref = MapRef<T>;
}

/// A reference to a plain value (a number, a text, a flag, an enum): where a parameter of that
/// type is expected, it can stand in for the value.
pub struct ValueRef<T> {
    reference: Reference,
    _value: PhantomData<fn() -> T>,
}

impl<T> ValueRef<T> {
    /// The reference as written in the batch (`$result[key][…]`).
    pub fn reference(&self) -> &Reference {
        &self.reference
    }
}

/// A reference to a list in an earlier command's result.
pub struct ListRef<T> {
    reference: Reference,
    _item: PhantomData<fn() -> T>,
}

impl<T: Referable> ListRef<T> {
    /// The element at `index`: `$result[key][…][index]`.
    pub fn index(&self, index: usize) -> T::Ref {
        T::Ref::from(self.reference.clone().index(index))
    }
}

/// A reference to an object with free keys (a map) in an earlier command's result.
pub struct MapRef<T> {
    reference: Reference,
    _value: PhantomData<fn() -> T>,
}

impl<T: Referable> MapRef<T> {
    /// The value under `key`: `$result[key][…][name]`.
    pub fn key(&self, key: &str) -> T::Ref {
        T::Ref::from(self.reference.clone().field(key))
    }
}

// Hand-written so that `T` needs none of these traits itself.
macro_rules! container {
    ($name:ident, $marker:ident) => {
        impl<T> From<Reference> for $name<T> {
            fn from(reference: Reference) -> Self {
                $name {
                    reference,
                    $marker: PhantomData,
                }
            }
        }

        impl<T> From<$name<T>> for Reference {
            fn from(r: $name<T>) -> Reference {
                r.reference
            }
        }

        impl<T> From<$name<T>> for Value {
            fn from(r: $name<T>) -> Value {
                r.reference.into()
            }
        }

        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                Self::from(self.reference.clone())
            }
        }

        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.reference, f)
            }
        }
    };
}

container!(ValueRef, _value);
container!(ListRef, _item);
container!(MapRef, _value);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_type() {
        let list: <Vec<BTreeMap<String, Option<i64>>> as Referable>::Ref =
            Reference::new("k").into();
        let leaf: Reference = list.index(2).key("de").into();
        assert_eq!(leaf.to_string(), "$result[k][2][de]");
        assert_eq!(Value::from(list), Value::String("$result[k]".to_string()));
    }
}
