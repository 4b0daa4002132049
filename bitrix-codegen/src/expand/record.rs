//! `Record` for generated structs: the few lines per field that read and write the wire form;
//! `Serialize`, `Deserialize`, `Lenient` and `Validate` are the runtime's generic code over it, so
//! each struct adds two one-line serde impls and nothing else.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ident;
use super::rust_type::{adapter, decoder, needs_validation, takes_reference, Adapter, Paths};
use super::Options;
use crate::model::{Field, Method, Ty};

/// `impl Record` and the serde shells. `arg`: the fields are a request's parameters (`Arg`s).
pub fn expand(
    m: &Method,
    name: &Ident,
    fields: &[Field],
    min_fields: usize,
    arg: bool,
    p: &Paths,
    opts: &Options,
) -> TokenStream {
    let rt = &p.rt;
    let writes = fields.iter().map(|f| write(f, rt));
    let reads = fields.iter().map(|f| read(f, arg, opts));
    let validate = validate(m, fields, min_fields, rt);
    quote! {
        #[allow(deprecated)]
        impl #rt::__private::Record for #name {
            #[inline]
            fn write(&self, w: &mut #rt::__private::Writer) {
                #(#writes)*
                w.extra(&self.extra);
            }
            #[inline]
            fn read(map: &mut #rt::__private::Map) -> ::std::result::Result<Self, #rt::__private::serde_json::Error> {
                ::std::result::Result::Ok(Self { #(#reads)* extra: ::std::mem::take(map) })
            }
            #validate
        }
        #[allow(deprecated)]
        impl #rt::__private::serde::Serialize for #name {
            fn serialize<S: #rt::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                #rt::__private::ser_record(self, s)
            }
        }
        #[allow(deprecated)]
        impl<'de> #rt::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                #rt::__private::de_record(d)
            }
        }
    }
}

/// One field written under its wire name (flags as `"Y"`/`"N"`); unset optional fields are left out.
pub(crate) fn write(f: &Field, rt: &TokenStream) -> TokenStream {
    let id = ident(&f.rust);
    let wire = &f.wire;
    let flag = adapter(&f.ty) == Adapter::Flag;
    match (f.is_required(), flag) {
        (true, false) => quote!(w.put(#wire, &self.#id);),
        (true, true) => quote!(w.put(#wire, &#rt::__private::flag::Ser(&self.#id));),
        (false, false) => quote!(w.put_opt(#wire, self.#id.as_ref());),
        (false, true) => {
            quote!(w.put_opt(#wire, self.#id.as_ref().map(#rt::__private::flag::Ser));)
        }
    }
}

/// One field taken out of the map by its wire name and decoded (leniently where its type asks).
fn read(f: &Field, arg: bool, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let id = ident(&f.rust);
    let wire = &f.wire;
    let decode = decoder(&f.ty, opts);
    let nullable = matches!(f.ty, Ty::Nullable(_));
    let wrap = arg && takes_reference(&f.ty);
    match (f.is_required(), wrap) {
        (true, false) => {
            quote!(#id: #rt::__private::take_required(map, #wire, #nullable, #decode)?,)
        }
        (true, true) => {
            quote!(#id: #rt::Arg::Value(#rt::__private::take_required(map, #wire, #nullable, #decode)?),)
        }
        (false, false) => {
            quote!(#id: #rt::__private::take_optional(map, #wire, #nullable, #decode)?,)
        }
        (false, true) => {
            quote!(#id: #rt::__private::take_optional(map, #wire, #nullable, #decode)?.map(#rt::Arg::Value),)
        }
    }
}

/// `validate_at`, when the struct has rules to check before sending: at least `min_fields` set,
/// `http(s)` addresses, nested structs.
fn validate(
    m: &Method,
    fields: &[Field],
    min_fields: usize,
    rt: &TokenStream,
) -> Option<TokenStream> {
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
    let nested: Vec<TokenStream> = fields
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
        })
        .collect();
    if count.is_none() && nested.is_empty() {
        return None;
    }
    Some(quote! {
        #[inline]
        fn validate_at(&self, path: &str) -> ::std::result::Result<(), #rt::InvalidRequest> {
            #count
            #(#nested)*
            ::std::result::Result::Ok(())
        }
    })
}
