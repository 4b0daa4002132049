//! Structs (requests and nested objects) and enums.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust_type::{field_type, needs_validation};
use super::{docs, ident, serde_impl, Options};
use crate::model::{EnumValue, Field, Method, Ty, TypeDef, TypeKind};

/// A named type of the spec. `referable`: the result can hold it, so batch references into it
/// get typed paths (request-only types do not need them).
pub fn expand(m: &Method, t: &TypeDef, referable: bool, opts: &Options) -> TokenStream {
    let name = format_ident!("{}", t.rust_name);
    let doc = docs::type_doc(m, t);
    match &t.kind {
        TypeKind::Struct { fields, min_fields } => {
            let strukt = expand_struct(m, &name, &doc, fields, *min_fields, None, opts);
            let reference = referable.then(|| expand_reference(m, &name, fields, opts));
            quote! { #strukt #reference }
        }
        TypeKind::Enum { values } => {
            let rt = &opts.runtime;
            let enm = expand_enum(&name, &doc, values, opts);
            let reference = referable.then(|| {
                quote! {
                    impl #rt::Referable for #name {
                        type Ref = #rt::Reference;
                    }
                }
            });
            quote! { #enm #reference }
        }
    }
}

/// The batch reference to a struct: one method per field, each returning the reference typed
/// after that field, so `$result[key][bot][id]` paths are checked against the result type.
fn expand_reference(m: &Method, name: &Ident, fields: &[Field], opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let ref_name = format_ident!("{name}Ref");
    let doc = format!(
        "A `$result[…]` reference to a [`{name}`] in an earlier command of a batch (see \
         `Handle::result`): each method is the reference to that field."
    );
    let accessors = fields.iter().map(|f| {
        let method = match f.rust.as_str() {
            // Would shadow the derived traits' methods of the reference itself.
            "clone" | "fmt" | "eq" | "ne" | "into" | "from" | "to_string" | "to_owned" => {
                format_ident!("field_{}", f.rust)
            }
            _ => ident(&f.rust),
        };
        let ty = field_type(m, f, opts);
        let wire = &f.wire;
        let doc = format!("The reference to `{wire}`: `$result[…][{wire}]`.");
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> <#ty as #rt::Referable>::Ref {
                ::std::convert::From::from(self.0.clone().field(#wire))
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct #ref_name(#rt::Reference);

        // A field of a plain type converts `Reference` into itself.
        #[allow(clippy::useless_conversion)]
        impl #ref_name {
            #(#accessors)*
        }

        impl ::std::convert::From<#rt::Reference> for #ref_name {
            fn from(reference: #rt::Reference) -> Self {
                Self(reference)
            }
        }

        impl ::std::convert::From<#ref_name> for #rt::Reference {
            fn from(reference: #ref_name) -> Self {
                reference.0
            }
        }

        impl ::std::convert::From<#ref_name> for #rt::__private::Value {
            fn from(reference: #ref_name) -> Self {
                reference.0.into()
            }
        }

        impl #rt::Referable for #name {
            type Ref = #ref_name;
        }
    }
}

/// A struct with required fields in `new`, optional ones as setters, unknown keys in `extra`,
/// and a `Validate` impl for the rules that can be checked before sending.
pub fn expand_struct(
    m: &Method,
    name: &Ident,
    doc: &str,
    fields: &[Field],
    min_fields: usize,
    deprecated: Option<&TokenStream>,
    opts: &Options,
) -> TokenStream {
    let rt = &opts.runtime;
    let defs = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = field_type(m, f, opts);
        let doc = docs::field_doc(f);
        quote! { #[doc = #doc] pub #id: #ty, }
    });
    let required: Vec<&Field> = fields.iter().filter(|f| f.is_required()).collect();
    let args = required.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = field_type(m, f, opts);
        let ty = argument_type(&f.ty, ty);
        quote!(#id: #ty)
    });
    let inits = fields.iter().map(|f| {
        let id = ident(&f.rust);
        if f.is_required() {
            let value = convert(&f.ty, quote!(#id));
            quote!(#id: #value)
        } else {
            quote!(#id: ::std::option::Option::None)
        }
    });
    let setters = fields.iter().filter(|f| !f.is_required()).map(|f| {
        let id = ident(&f.rust);
        let setter = match f.rust.as_str() {
            "new" | "with_extra" | "validate" => format_ident!("set_{}", f.rust),
            _ => id.clone(),
        };
        let inner = argument_type(&f.ty, super::rust_type::rust_type(m, &f.ty, opts));
        let value = convert(&f.ty, quote!(value));
        let doc = format!(
            "Sets `{}`: {}",
            f.wire,
            f.description
                .as_deref()
                .unwrap_or("see the field's documentation.")
        );
        quote! {
            #[doc = #doc]
            #[must_use]
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
    let serialize = serde_impl::serialize(name, fields, opts);
    let deserialize = serde_impl::deserialize(name, fields, opts);
    let validate = validate_body(m, fields, min_fields, opts);
    // A type with nothing to check does not look at its path.
    let path_arg = if validate.is_empty() {
        quote!(_path)
    } else {
        quote!(path)
    };
    quote! {
        #[doc = #doc]
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#defs)*
            /// Keys the spec does not describe, sent and received as they are (custom `UF_*` fields, newer parameters).
            pub extra: #rt::__private::Map,
        }

        #serialize
        #deserialize

        #[allow(deprecated)]
        impl #name {
            #[doc = #new_doc]
            #deprecated
            #[must_use]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* extra: #rt::__private::Map::new() }
            }

            #(#setters)*

            /// Adds a key the spec does not describe; it is sent as given.
            #[must_use]
            pub fn with_extra(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<#rt::__private::Value>) -> Self {
                self.extra.insert(key.into(), value.into());
                self
            }
        }

        #[allow(deprecated)]
        impl #rt::__private::Lenient for #name {
            fn deserialize_lenient<'de, D: #rt::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #rt::__private::object_or_empty_array(deserializer)
            }
        }

        #[allow(deprecated)]
        impl #rt::__private::Validate for #name {
            fn validate_at(&self, #path_arg: &str) -> ::std::result::Result<(), #rt::InvalidRequest> {
                #validate
                ::std::result::Result::Ok(())
            }
        }
    }
}

/// How a constructor or setter takes a value: `bool` as is (so a `"Y"` is a plain type error),
/// anything else as `impl Into<T>` (strings from `&str`, integers from smaller integers).
fn argument_type(ty: &Ty, rust: TokenStream) -> TokenStream {
    if matches!(ty, Ty::Boolean | Ty::Flag) {
        rust
    } else {
        quote!(impl ::std::convert::Into<#rust>)
    }
}

/// The value stored for an argument taken by [`argument_type`].
fn convert(ty: &Ty, value: TokenStream) -> TokenStream {
    if matches!(ty, Ty::Boolean | Ty::Flag) {
        value
    } else {
        quote!(#value.into())
    }
}

fn validate_body(m: &Method, fields: &[Field], min_fields: usize, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let count = (min_fields > 0).then(|| {
        let set = fields.iter().map(|f| {
            let id = ident(&f.rust);
            if f.is_required() {
                quote!(1usize)
            } else {
                quote!(usize::from(self.#id.is_some()))
            }
        });
        let names = fields
            .iter()
            .map(|f| format!("`{}`", f.wire))
            .collect::<Vec<_>>()
            .join(", ");
        let reason = format!("at least {min_fields} of {names} must be set");
        quote! {
            let set = #(#set +)* self.extra.len();
            if set < #min_fields {
                return ::std::result::Result::Err(#rt::InvalidRequest::new(path, #reason));
            }
        }
    });
    let nested = fields
        .iter()
        .filter(|f| needs_validation(m, &f.ty))
        .map(|f| {
            let id = ident(&f.rust);
            let wire = &f.wire;
            let check = if f.ty.contains(&|t| *t == Ty::Url) {
                quote!(#rt::__private::check_url)
            } else {
                quote!(#rt::__private::Validate::validate_at)
            };
            quote! { #check(&self.#id, &#rt::__private::join_path(path, #wire))?; }
        });
    quote! { #count #(#nested)* }
}

fn expand_enum(name: &Ident, doc: &str, values: &[EnumValue], opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
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
    let to_str = values.iter().map(|v| {
        let id = format_ident!("{}", v.variant);
        let s = &v.value;
        quote!(Self::#id => #s,)
    });
    let from_str = values.iter().map(|v| {
        let id = format_ident!("{}", v.variant);
        let s = &v.value;
        quote!(#s => Self::#id,)
    });
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
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl #rt::__private::serde::Serialize for #name {
            fn serialize<S: #rt::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl #rt::__private::Lenient for #name {
            fn deserialize_lenient<'de, D: #rt::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #rt::__private::serde::Deserialize::deserialize(deserializer)
            }
        }

        impl<'de> #rt::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let text: #rt::__private::TextOrNumber = #rt::__private::serde::Deserialize::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(text.as_str()))
            }
        }
    }
}
