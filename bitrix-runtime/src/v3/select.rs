//! `select` of REST 3.0: the fields to answer, related objects' fields with a dot
//! (`responsible.name`), each path checked against the answer's type by the compiler.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::batch::{Referable, Reference};

/// The fields a REST 3.0 call answers, typed after the object `T` it answers (a generated
/// struct). Each path is written with the struct's field methods, so a field `T` does not have
/// does not compile; a related object's field is a path through it:
///
/// ```ignore
/// let select = Select::<Task>::new()
///     .field(|t| t.id())
///     .field(|t| t.responsible().name()); // sent as "responsible.name"
/// ```
///
/// Fields the spec does not describe (user fields) go in with [`Select::raw`].
pub struct Select<T> {
    fields: Vec<String>,
    _of: PhantomData<fn() -> T>,
}

impl<T: Referable> Select<T> {
    /// No field yet (an empty `select` answers the method's default fields).
    pub fn new() -> Self {
        Select::from_names(Vec::new())
    }

    /// Adds the field `path` picks from `T`: `|t| t.title()`, or through a related object,
    /// `|t| t.responsible().email()`.
    #[must_use]
    pub fn field<R: Into<Reference>>(mut self, path: impl FnOnce(T::Ref) -> R) -> Self {
        let root = T::Ref::from(Reference::path_root());
        self.fields.push(path(root).into().dotted());
        self
    }
}

impl<T> Select<T> {
    fn from_names(fields: Vec<String>) -> Self {
        Select {
            fields,
            _of: PhantomData,
        }
    }

    /// Adds a field by name, for fields the spec does not describe (`ufCrm…` user fields).
    #[must_use]
    pub fn raw(mut self, name: impl Into<String>) -> Self {
        self.fields.push(name.into());
        self
    }

    /// The field paths as sent.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }
}

impl<T: Referable> Default for Select<T> {
    fn default() -> Self {
        Select::new()
    }
}

// Hand-written so that `T` needs none of these traits itself.
impl<T> Clone for Select<T> {
    fn clone(&self) -> Self {
        Select::from_names(self.fields.clone())
    }
}

impl<T> PartialEq for Select<T> {
    fn eq(&self, other: &Self) -> bool {
        self.fields == other.fields
    }
}

impl<T> fmt::Debug for Select<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.fields).finish()
    }
}

impl<T> Serialize for Select<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.fields.serialize(s)
    }
}

impl<'de, T> Deserialize<'de> for Select<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(d).map(Select::from_names)
    }
}

/// A list of names (`select(["id", "title"])` in older code) is taken as raw names.
impl<T, S: Into<String>> FromIterator<S> for Select<T> {
    fn from_iter<I: IntoIterator<Item = S>>(names: I) -> Self {
        Select::from_names(names.into_iter().map(Into::into).collect())
    }
}
