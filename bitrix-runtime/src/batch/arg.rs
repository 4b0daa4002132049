//! A request parameter: a value, or a `$result[…]` reference to an earlier command's result in
//! the same batch. Constructors and setters take `impl IntoArg<T>`, so a reference goes where a
//! value of its type goes, and nowhere else: the compiler checks the path's type.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::reference::Reference;
use super::typed::{ListRef, MapRef, ValueRef};
use crate::error::InvalidRequest;
use crate::wire::file::File;
use crate::wire::flag::FlagForm;
use crate::wire::lang_text::LangText;
use crate::wire::one_or_many::OneOrMany;
use crate::wire::record::Record;
use crate::wire::validate::{UrlField, Validate};

/// A parameter's value, or a batch reference to a value of its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<T> {
    /// A value.
    Value(T),
    /// `$result[key][…]`: filled in by the portal from an earlier command of the batch.
    Ref(Reference),
}

impl<T> Arg<T> {
    /// The value, when it is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Arg::Value(v) => Some(v),
            Arg::Ref(_) => None,
        }
    }
}

/// What a parameter of type `T` accepts: values that convert into `T`, and references typed `T`.
pub trait IntoArg<T> {
    /// The parameter.
    fn into_arg(self) -> Arg<T>;
}

impl<T> IntoArg<T> for Arg<T> {
    fn into_arg(self) -> Arg<T> {
        self
    }
}

impl<T: Record> IntoArg<T> for T {
    fn into_arg(self) -> Arg<T> {
        Arg::Value(self)
    }
}

macro_rules! scalar {
    ($($t:ty),*) => {$(
        impl<V: Into<$t>> IntoArg<$t> for V {
            fn into_arg(self) -> Arg<$t> {
                Arg::Value(self.into())
            }
        }
    )*};
}

scalar!(i64, f64, String);

impl<V: Into<LangText>> IntoArg<LangText> for V {
    fn into_arg(self) -> Arg<LangText> {
        Arg::Value(self.into())
    }
}

macro_rules! one_or_many {
    ($($t:ty),*) => {$(
        impl<V: Into<OneOrMany<$t>>> IntoArg<OneOrMany<$t>> for V {
            fn into_arg(self) -> Arg<OneOrMany<$t>> {
                Arg::Value(self.into())
            }
        }
    )*};
}

one_or_many!(i64, f64, String, bool);

impl IntoArg<bool> for bool {
    fn into_arg(self) -> Arg<bool> {
        Arg::Value(self)
    }
}

impl IntoArg<File> for File {
    fn into_arg(self) -> Arg<File> {
        Arg::Value(self)
    }
}

impl<T> IntoArg<Option<T>> for Option<T> {
    fn into_arg(self) -> Arg<Option<T>> {
        Arg::Value(self)
    }
}

/// Lists from any iterator of what converts into their items (`select(["ID", "TITLE"])`).
impl<T, I> IntoArg<Vec<T>> for I
where
    I: IntoIterator,
    I::Item: Into<T>,
{
    fn into_arg(self) -> Arg<Vec<T>> {
        Arg::Value(self.into_iter().map(Into::into).collect())
    }
}

impl<T> IntoArg<BTreeMap<String, T>> for BTreeMap<String, T> {
    fn into_arg(self) -> Arg<BTreeMap<String, T>> {
        Arg::Value(self)
    }
}

impl<T> IntoArg<T> for ValueRef<T> {
    fn into_arg(self) -> Arg<T> {
        Arg::Ref(self.into())
    }
}

impl<T> IntoArg<Option<T>> for ValueRef<T> {
    fn into_arg(self) -> Arg<Option<T>> {
        Arg::Ref(self.into())
    }
}

impl<T> IntoArg<Vec<T>> for ListRef<T> {
    fn into_arg(self) -> Arg<Vec<T>> {
        Arg::Ref(self.into())
    }
}

impl<T> IntoArg<BTreeMap<String, T>> for MapRef<T> {
    fn into_arg(self) -> Arg<BTreeMap<String, T>> {
        Arg::Ref(self.into())
    }
}

impl<T: Serialize> Serialize for Arg<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Value(v) => v.serialize(s),
            Arg::Ref(r) => s.collect_str(r),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Arg<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Arg::Value)
    }
}

impl<T: FlagForm> FlagForm for Arg<T> {
    fn serialize_flag<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Value(v) => v.serialize_flag(s),
            Arg::Ref(r) => s.collect_str(r),
        }
    }
    fn deserialize_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_flag(d).map(Arg::Value)
    }
}

impl<T: Validate> Validate for Arg<T> {
    fn validate_at(&self, path: &str) -> Result<(), InvalidRequest> {
        self.value().map_or(Ok(()), |v| v.validate_at(path))
    }
}

impl<T: UrlField> UrlField for Arg<T> {
    fn check_urls(&self, path: &str) -> Result<(), InvalidRequest> {
        self.value().map_or(Ok(()), |v| v.check_urls(path))
    }
}
