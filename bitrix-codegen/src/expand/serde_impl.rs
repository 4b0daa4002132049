//! Hand-written `Serialize` and `Deserialize` for generated structs. They do what
//! `#[derive(Serialize, Deserialize)]` with `#[serde(flatten)] extra` did, in a fraction of the
//! code: a struct is read as a JSON map and its fields taken out by key (the rest is `extra`),
//! and written as a map of its set fields followed by `extra`. The generated API is most of the
//! runtime crate's build time, and serde's flatten support was most of the generated API.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::rust_type::{adapter, Adapter};
use super::{ident, Options};
use crate::model::{Field, Ty};

/// `impl Serialize`: the set fields under their wire names (flags as `"Y"`/`"N"`), then `extra`.
pub fn serialize(name: &Ident, fields: &[Field], opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let entries = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire;
        let value = if adapter(&f.ty) == Adapter::Flag {
            quote!(&#rt::__private::flag::Ser(value))
        } else {
            quote!(value)
        };
        if f.is_required() {
            quote! {
                let value = &self.#id;
                map.serialize_entry(#wire, #value)?;
            }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#id {
                    map.serialize_entry(#wire, #value)?;
                }
            }
        }
    });
    quote! {
        #[allow(deprecated)]
        impl #rt::__private::serde::Serialize for #name {
            fn serialize<S: #rt::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use #rt::__private::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                #(#entries)*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// `impl Deserialize`: the object as a JSON map, each field taken out by its wire name and
/// decoded leniently where its type asks for it; what is left is `extra`.
pub fn deserialize(name: &Ident, fields: &[Field], opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let inits = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire;
        let decode = match adapter(&f.ty) {
            Adapter::None => quote!(#rt::__private::serde_json::from_value),
            Adapter::Lenient => quote!(#rt::__private::lenient),
            Adapter::Flag => quote!(#rt::__private::flag::deserialize),
        };
        let nullable = matches!(f.ty, Ty::Nullable(_));
        let take = if f.is_required() {
            quote!(#rt::__private::take_required)
        } else {
            quote!(#rt::__private::take_optional)
        };
        quote!(#id: #take(&mut extra, #wire, #nullable, #decode)?,)
    });
    // A struct without fields keeps every key in `extra` and takes nothing out of it.
    let binding = if fields.is_empty() {
        quote!(extra)
    } else {
        quote!(mut extra)
    };
    quote! {
        #[allow(deprecated)]
        impl<'de> #rt::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let #binding: #rt::__private::Map = #rt::__private::serde::Deserialize::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self { #(#inits)* extra })
            }
        }
    }
}
