//! Rust types and serde attributes for spec types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Options;
use crate::model::{Field, Method, Ty, TypeKind};

/// The Rust type of a type expression.
pub fn rust_type(m: &Method, ty: &Ty, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    match ty {
        Ty::Integer => quote!(i64),
        Ty::Double => quote!(f64),
        Ty::String | Ty::Url | Ty::Date | Ty::DateTime => quote!(::std::string::String),
        Ty::Boolean | Ty::Flag => quote!(bool),
        Ty::File => quote!(#rt::File),
        Ty::Any => quote!(#rt::__private::Value),
        Ty::Named(n) => {
            let name = m
                .type_def(n)
                .map_or_else(|| n.clone(), |t| t.rust_name.clone());
            let id = format_ident!("{}", name);
            quote!(#id)
        }
        Ty::List(t) => {
            let t = rust_type(m, t, opts);
            quote!(::std::vec::Vec<#t>)
        }
        Ty::Map(t) => {
            let t = rust_type(m, t, opts);
            quote!(::std::collections::BTreeMap<::std::string::String, #t>)
        }
        Ty::Nullable(t) => {
            let t = rust_type(m, t, opts);
            quote!(::std::option::Option<#t>)
        }
    }
}

/// The Rust type of a field: optional fields are wrapped in `Option`.
pub fn field_type(m: &Method, f: &Field, opts: &Options) -> TokenStream {
    let t = rust_type(m, &f.ty, opts);
    if f.is_required() {
        t
    } else {
        quote!(::std::option::Option<#t>)
    }
}

/// How values of a type are read and written, beyond plain serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    /// Plain serde.
    None,
    /// Decoding accepts quoted numbers, text booleans, and `[]` for empty objects (PHP).
    Lenient,
    /// `"Y"`/`"N"` on the wire.
    Flag,
}

/// The adapter a type needs.
pub fn adapter(ty: &Ty) -> Adapter {
    if ty.contains(&|t| *t == Ty::Flag) {
        Adapter::Flag
    } else if ty.contains(&|t| {
        matches!(
            t,
            Ty::Integer | Ty::Double | Ty::Boolean | Ty::Map(_) | Ty::Named(_)
        )
    }) {
        Adapter::Lenient
    } else {
        Adapter::None
    }
}

/// Whether values of this type need checks before sending (structs with rules, URLs).
pub fn needs_validation(m: &Method, ty: &Ty) -> bool {
    ty.contains(&|t| match t {
        Ty::Url => true,
        Ty::Named(n) => matches!(
            m.type_def(n).map(|d| &d.kind),
            Some(TypeKind::Struct { .. })
        ),
        _ => false,
    })
}

/// An expression decoding `value` (a JSON value) into `ty`; `items` names the key of the list
/// inside an object result.
pub fn decode_expr(ty: &Ty, items: Option<&str>, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let unwrap = items.map(|key| quote!(let value = #rt::__private::take_items(value, #key)?;));
    let decode = match adapter(ty) {
        Adapter::None => quote!(#rt::__private::serde_json::from_value(value)),
        Adapter::Lenient => quote!(#rt::__private::lenient(value)),
        Adapter::Flag => quote!(#rt::__private::flag::deserialize(value)),
    };
    quote! { #unwrap #decode }
}
