//! Structs (requests and nested objects), enums, and the batch reference type of a struct.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust_type::{field_type, rust_type, takes_reference, Paths};
use super::{docs, ident, record, Options};
use crate::model::{EnumValue, Field, Method, Ty, TypeDef, TypeKind};

/// A named type of the spec. `referable`: the result can hold it, so batch references into it
/// get typed paths (request-only types do not need them).
pub fn expand(m: &Method, t: &TypeDef, referable: bool, p: &Paths, opts: &Options) -> TokenStream {
    let name = format_ident!("{}", t.rust_name);
    let doc = docs::type_doc(m, t);
    match &t.kind {
        TypeKind::Struct { fields, min_fields } => {
            let strukt = expand_struct(m, &name, &doc, fields, *min_fields, false, None, p, opts);
            let reference = referable.then(|| expand_reference(m, &name, fields, p));
            quote! { #strukt #reference }
        }
        TypeKind::Enum { values } => {
            let rt = &p.rt;
            let enm = expand_enum(&name, &doc, values, rt);
            let reference = referable.then(|| {
                quote! {
                    impl #rt::Referable for #name {
                        type Ref = #rt::ValueRef<#name>;
                    }
                }
            });
            quote! { #enm #reference }
        }
    }
}

/// The batch reference to a struct: one method per field, each returning the reference typed
/// after that field, so `$result[key][bot][id]` paths are checked against the result type.
fn expand_reference(m: &Method, name: &Ident, fields: &[Field], p: &Paths) -> TokenStream {
    let rt = &p.rt;
    let ref_name = format_ident!("{name}Ref");
    let doc = format!("A `$result[…]` reference to a [`{name}`] in an earlier command of a batch (see `Handle::result`): each method is the reference to that field.");
    let accessors = fields.iter().map(|f| {
        let method = match f.rust.as_str() {
            // Would shadow the derived traits' methods of the reference itself.
            "clone" | "fmt" | "eq" | "ne" | "into" | "from" | "to_string" | "to_owned"
            | "into_arg" => format_ident!("field_{}", f.rust),
            _ => ident(&f.rust),
        };
        let ty = field_type(m, f, p, false);
        let wire = &f.wire;
        let doc = format!("The reference to `{wire}`: `$result[…][{wire}]`.");
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #method(&self) -> <#ty as #rt::Referable>::Ref {
                ::std::convert::From::from(self.0.clone().field(#wire))
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct #ref_name(#rt::Reference);

        impl #ref_name {
            #(#accessors)*
        }

        impl ::std::convert::From<#rt::Reference> for #ref_name {
            #[inline]
            fn from(reference: #rt::Reference) -> Self {
                Self(reference)
            }
        }

        impl ::std::convert::From<#ref_name> for #rt::Reference {
            #[inline]
            fn from(reference: #ref_name) -> Self {
                reference.0
            }
        }

        impl #rt::IntoArg<#name> for #ref_name {
            #[inline]
            fn into_arg(self) -> #rt::Arg<#name> {
                #rt::Arg::Ref(self.0)
            }
        }

        impl #rt::Referable for #name {
            type Ref = #ref_name;
        }
    }
}

/// A struct with required fields in `new`, optional ones as setters, unknown keys in `extra`.
/// `arg`: it is a request, whose parameters also take batch references.
#[allow(clippy::too_many_arguments)]
pub fn expand_struct(
    m: &Method,
    name: &Ident,
    doc: &str,
    fields: &[Field],
    min_fields: usize,
    arg: bool,
    deprecated: Option<&TokenStream>,
    p: &Paths,
    opts: &Options,
) -> TokenStream {
    let rt = &p.rt;
    let defs = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = field_type(m, f, p, arg);
        let doc = docs::field_doc(f);
        quote! { #[doc = #doc] pub #id: #ty, }
    });
    let required: Vec<&Field> = fields.iter().filter(|f| f.is_required()).collect();
    let args = required.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = argument_type(m, f, arg, p);
        quote!(#id: #ty)
    });
    let inits = fields.iter().map(|f| {
        let id = ident(&f.rust);
        if f.is_required() {
            let value = convert(f, arg, quote!(#id));
            quote!(#id: #value)
        } else {
            quote!(#id: ::std::option::Option::None)
        }
    });
    let setters = fields.iter().filter(|f| !f.is_required()).map(|f| {
        let id = ident(&f.rust);
        let setter = match f.rust.as_str() {
            "new" | "with_extra" => format_ident!("set_{}", f.rust),
            _ => id.clone(),
        };
        let inner = argument_type(m, f, arg, p);
        let value = convert(f, arg, quote!(value));
        let doc = format!(
            "Sets `{}`{}",
            f.wire,
            f.description
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_else(|| ".".into())
        );
        quote! {
            #[doc = #doc]
            #[must_use]
            #[inline]
            pub fn #setter(mut self, value: #inner) -> Self {
                self.#id = ::std::option::Option::Some(#value);
                self
            }
        }
    });
    let new_doc = if required.is_empty() {
        "Creates it with no field set.".to_string()
    } else {
        format!(
            "Creates it from the required fields ({}); set the others with the setters.",
            required
                .iter()
                .map(|f| format!("`{}`", f.wire))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let record = record::expand(m, name, fields, min_fields, arg, p, opts);
    let name_text = name.to_string();
    // Some methods document that many required parameters; `new` takes them all.
    let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #[doc = #doc]
        #deprecated
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#defs)*
            /// Keys the spec does not describe, sent and received as they are (custom `UF_*` fields, newer parameters).
            pub extra: #rt::__private::Map,
        }

        #record

        // Through the wire form, so that secret parameters (`botToken`) print as `***`.
        #[allow(deprecated)]
        impl ::std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #rt::__private::debug_record(self, #name_text, f)
            }
        }

        #[allow(deprecated)]
        impl #name {
            #[doc = #new_doc]
            #deprecated
            #too_many
            #[must_use]
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* extra: #rt::__private::Map::new() }
            }

            #(#setters)*

            /// Adds a key the spec does not describe; it is sent as given.
            #[must_use]
            #[inline]
            pub fn with_extra(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<#rt::__private::Value>) -> Self {
                self.extra.insert(key.into(), value.into());
                self
            }
        }
    }
}

/// How a constructor or setter takes a value: a request parameter as `impl IntoArg<T>` (a value
/// or a batch reference typed after it); `bool` as is (so a `"Y"` is a plain type error); a list
/// as any iterator of what converts into its items (`select(["ID", "TITLE"])`); anything else as
/// `impl Into<T>`.
fn argument_type(m: &Method, f: &Field, arg: bool, p: &Paths) -> TokenStream {
    let rt = &p.rt;
    let rust = rust_type(m, &f.ty, p);
    if arg && takes_reference(&f.ty) {
        return quote!(impl #rt::IntoArg<#rust>);
    }
    match &f.ty {
        Ty::Boolean | Ty::Flag => rust,
        Ty::List(item) => {
            let item = rust_type(m, item, p);
            quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>)
        }
        _ => quote!(impl ::std::convert::Into<#rust>),
    }
}

/// The value stored for an argument taken by [`argument_type`].
fn convert(f: &Field, arg: bool, value: TokenStream) -> TokenStream {
    if arg && takes_reference(&f.ty) {
        return quote!(#value.into_arg());
    }
    match &f.ty {
        Ty::Boolean | Ty::Flag => value,
        Ty::List(_) => quote!(#value.into_iter().map(::std::convert::Into::into).collect()),
        _ => quote!(#value.into()),
    }
}

fn expand_enum(name: &Ident, doc: &str, values: &[EnumValue], rt: &TokenStream) -> TokenStream {
    let variants = values.iter().map(|v| {
        let id = format_ident!("{}", v.variant);
        let doc = format!(
            "`{}`{}",
            v.value,
            v.description
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        );
        quote!(#[doc = #doc] #id,)
    });
    let wire: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    let ids: Vec<Ident> = values
        .iter()
        .map(|v| format_ident!("{}", v.variant))
        .collect();
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this spec does not list, kept as sent.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#ids => #wire,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#wire => Self::#ids,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl #rt::__private::Lenient for #name {
            fn deserialize_lenient<'de, D: #rt::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                #rt::__private::de_enum(d)
            }
        }

        impl #rt::IntoArg<#name> for #name {
            #[inline]
            fn into_arg(self) -> #rt::Arg<Self> {
                #rt::Arg::Value(self)
            }
        }

        impl #rt::__private::serde::Serialize for #name {
            fn serialize<S: #rt::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> #rt::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                #rt::__private::de_enum(d)
            }
        }
    }
}
