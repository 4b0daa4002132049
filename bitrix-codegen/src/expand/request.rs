//! The request type of a method and its `Method` impl: the one link to the shared call path.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type::{decode_expr, rust_type};
use super::{deprecated_attr, docs, error_ident, request_ident, types, Options};
use crate::model::Method;

/// The request struct, its constructor and setters, and `impl Method`.
pub fn expand(m: &Method, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let name = request_ident(m);
    let error = error_ident(m);
    let deprecated = deprecated_attr(m);
    let doc = docs::method_doc(m);
    let strukt = types::expand_struct(m, &name, &doc, &m.params, 0, deprecated.as_ref(), opts);
    let method_name = &m.name;
    let output = rust_type(m, &m.result.ty, opts);
    let decode = decode_expr(&m.result.ty, m.result.items.as_deref(), opts);
    let paged = m.result.paged;
    let idempotent = m.idempotent;
    quote! {
        #strukt

        #[allow(deprecated)]
        impl #rt::Method for #name {
            const NAME: &'static str = #method_name;
            const IDEMPOTENT: bool = #idempotent;
            const PAGED: bool = #paged;
            type Output = #output;
            type Error = #error;

            fn decode_output(value: #rt::__private::Value) -> ::std::result::Result<Self::Output, #rt::__private::serde_json::Error> {
                #decode
            }
        }
    }
}
