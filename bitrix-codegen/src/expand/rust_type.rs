//! Rust types for spec types, seen from the module the code is emitted in.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::Options;
use crate::model::{Field, Method, Ty, TypeKind};

/// How named types are reached from where code is emitted: a method's own types through
/// `local` (`update::` from the request's module, nothing inside the own module), shared types
/// through `shared` (their folder module).
#[derive(Clone)]
pub struct Paths {
    /// The runtime crate.
    pub rt: TokenStream,
    /// Prefix of the method's own named types.
    pub local: TokenStream,
    /// Prefix of the folder's shared types.
    pub shared: TokenStream,
}

impl Paths {
    /// Paths for code in the module `depth` levels below the folder module; `own` is the
    /// method's own module when the code sits in the module above it.
    pub fn new(opts: &Options, depth: usize, own: Option<&Ident>, folder: &str) -> Self {
        let local = match own {
            Some(own) => quote!(#own::),
            None => quote!(),
        };
        let shared = match &opts.shared {
            super::Shared::Emit => {
                let supers = (0..depth).map(|_| quote!(super::));
                quote!(#(#supers)*)
            }
            super::Shared::Extern(path) => {
                let folder = super::ident(&crate::names::module_name(folder));
                quote!(#path::#folder::)
            }
        };
        Paths {
            rt: opts.runtime.clone(),
            local,
            shared,
        }
    }
}

/// The Rust type of a type expression.
pub fn rust_type(m: &Method, ty: &Ty, p: &Paths) -> TokenStream {
    let rt = &p.rt;
    match ty {
        Ty::Integer => quote!(i64),
        Ty::Double => quote!(f64),
        Ty::String | Ty::Url | Ty::Date | Ty::DateTime => quote!(::std::string::String),
        Ty::Boolean | Ty::Flag => quote!(bool),
        Ty::File => quote!(#rt::File),
        Ty::Any => quote!(#rt::__private::Value),
        Ty::Select(n) => {
            let t = rust_type(m, &Ty::Named(n.clone()), p);
            quote!(#rt::v3::Select<#t>)
        }
        Ty::Filter(n) => {
            let t = rust_type(m, &Ty::Named(n.clone()), p);
            quote!(#rt::v3::Filter<#t>)
        }
        Ty::Conditions(Some(n)) => {
            let t = rust_type(m, &Ty::Named(n.clone()), p);
            quote!(#rt::Conditions<#t>)
        }
        Ty::Conditions(None) => quote!(#rt::Conditions),
        Ty::Named(n) => {
            let def = m.type_def(n);
            let id = format_ident!("{}", def.map_or(n.as_str(), |t| t.rust_name.as_str()));
            if def.is_some_and(|t| t.shared.is_some()) {
                let shared = &p.shared;
                quote!(#shared #id)
            } else {
                let local = &p.local;
                quote!(#local #id)
            }
        }
        Ty::List(t) => {
            let t = rust_type(m, t, p);
            quote!(::std::vec::Vec<#t>)
        }
        Ty::Map(t) => {
            let t = rust_type(m, t, p);
            quote!(::std::collections::BTreeMap<::std::string::String, #t>)
        }
        Ty::Nullable(t) => {
            let t = rust_type(m, t, p);
            quote!(::std::option::Option<#t>)
        }
        Ty::LangText => quote!(#rt::LangText),
        Ty::OneOrMany(t) => {
            let t = rust_type(m, t, p);
            quote!(#rt::OneOrMany<#t>)
        }
    }
}

/// The Rust type of a field: optional fields are wrapped in `Option`; a request's own parameters
/// (`arg`) are `Arg`s, which also hold batch references.
pub fn field_type(m: &Method, f: &Field, p: &Paths, arg: bool) -> TokenStream {
    let rt = &p.rt;
    let mut t = rust_type(m, &f.ty, p);
    if arg && takes_reference(&f.ty) {
        t = quote!(#rt::Arg<#t>);
    }
    if f.is_required() {
        t
    } else {
        quote!(::std::option::Option<#t>)
    }
}

/// Whether a parameter of this type takes a batch reference (`Arg<T>`): every type but free JSON,
/// which takes a reference as it is (a reference converts into a JSON value).
pub fn takes_reference(ty: &Ty) -> bool {
    // REST 3.0 `select` and `filter`, and REST 2 `conditions`, are built with their own typed
    // builders.
    !matches!(
        ty,
        Ty::Any | Ty::Select(_) | Ty::Filter(_) | Ty::Conditions(_)
    )
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
            Ty::Integer
                | Ty::Double
                | Ty::Boolean
                | Ty::Map(_)
                | Ty::Named(_)
                // Portals send a text field as a number in one module and as text in another.
                | Ty::String
                | Ty::Date
                | Ty::DateTime
                | Ty::Url
                | Ty::LangText
                | Ty::OneOrMany(_)
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
    let decode = decoder(ty, opts);
    quote! { #unwrap #decode(value) }
}

/// The function that decodes a JSON value into `ty`.
pub fn decoder(ty: &Ty, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    match adapter(ty) {
        Adapter::None => quote!(#rt::__private::serde_json::from_value),
        Adapter::Lenient => quote!(#rt::__private::lenient_value),
        Adapter::Flag => quote!(#rt::__private::flag::deserialize),
    }
}
