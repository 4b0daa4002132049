//! The request type of a method and its `Method` impl: the one link to the shared call path.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type::{decode_expr, rust_type, Paths};
use super::{deprecated_attr, docs, ident, types, Options};
use crate::model::{Method, Required};

/// The request struct, its constructor and setters, and `impl Method`; `p` reaches the
/// method's own types through its own module.
pub fn expand(m: &Method, p: &Paths, opts: &Options) -> TokenStream {
    let rt = &p.rt;
    let name = ident(&m.rust.type_name);
    let own = ident(&m.rust.own);
    let deprecated = deprecated_attr(m);
    let doc = docs::method_doc(m);
    let strukt = types::expand_struct(
        m,
        &name,
        &doc,
        &m.params,
        0,
        true,
        deprecated.as_ref(),
        p,
        opts,
    );
    let method_name = &m.name;
    let (output, decode, download) = if m.result.binary {
        // A file answer: the call path hands the bytes over; a JSON `result` does not fit.
        (
            quote!(#rt::Download),
            quote! {
                let _ = value;
                ::std::result::Result::Err(<#rt::__private::serde_json::Error as #rt::__private::serde::de::Error>::custom("the method answers a file, not JSON"))
            },
            quote! {
                #[inline]
                fn from_download(download: #rt::Download) -> ::std::option::Option<Self::Output> {
                    ::std::option::Option::Some(download)
                }
            },
        )
    } else {
        (
            rust_type(m, &m.result.ty, p),
            decode_expr(&m.result.ty, m.result.items.as_deref(), opts),
            quote!(),
        )
    };
    let (paged, idempotent, rest) = (m.result.paged, m.idempotent, m.rest);
    let webhook: Vec<&str> = m
        .params
        .iter()
        .filter(|f| f.required == Required::Webhook)
        .map(|f| f.wire.as_str())
        .collect();
    quote! {
        #strukt

        #[allow(deprecated)]
        impl #rt::Method for #name {
            const NAME: &'static str = #method_name;
            const IDEMPOTENT: bool = #idempotent;
            const PAGED: bool = #paged;
            const REST: u8 = #rest;
            const WEBHOOK_REQUIRED: &'static [&'static str] = &[#(#webhook),*];
            type Output = #output;
            type Error = #own::Error;

            #[inline]
            fn decode_output(value: #rt::__private::Value) -> ::std::result::Result<Self::Output, #rt::__private::serde_json::Error> {
                #decode
            }

            #download
        }
    }
}
