//! The documented examples of every spec as one table the runtime checks: the typed request
//! rebuilds the documented body, the documented success answer decodes into the result type, and
//! every documented error (rows and answers) maps to its own variant. One generic check serves
//! all methods, so the tests cost a table row per method, not a test function each.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Options};
use crate::model::Method;

/// `#[test] fn documented_examples()` over every method; `api` is the path of the generated API
/// (`::bitrix_rest::api`).
pub fn expand_tests(methods: &[Method], api: &TokenStream, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let rows = methods.iter().map(|m| {
        let segments = m.rust.module.iter().map(|s| ident(s));
        let ty = ident(&m.rust.type_name);
        let examples = serde_json::to_string(&m.examples.iter().map(|e| serde_json::json!({"name": e.name, "request": e.request, "status": e.status, "response": e.response})).collect::<Vec<_>>()).unwrap_or_default();
        let folder = &m.folder;
        let gate = opts.feature_per_folder.then(|| quote!(#[cfg(feature = #folder)]));
        // A hand spec needs an example unless it says why the page has none to keep.
        let required = !m.imported && m.no_example.is_none();
        quote! {
            #gate
            (#rt::__private::check_examples::<#api::#(#segments::)*#ty> as fn(&str, bool) -> ::std::result::Result<(), ::std::string::String>, #examples, #required),
        }
    });
    quote! {
        #[test]
        #[allow(deprecated)]
        fn documented_examples() {
            #rt::__private::run_example_table(&[#(#rows)*]);
        }
    }
}

/// `static ANSWER_TABLE`: every method's name, REST version and the runtime's checks of a whole
/// answer (`check_answer::<M>`, `check_batch_answer::<M>`), so a test can read any recorded
/// portal answer through the method it names, as a call would.
pub fn expand_answer_table(methods: &[Method], api: &TokenStream, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let rows = methods.iter().map(|m| {
        let segments = m.rust.module.iter().map(|s| ident(s));
        let ty = ident(&m.rust.type_name);
        let path = quote!(#api::#(#segments::)*#ty);
        let folder = &m.folder;
        let gate = opts.feature_per_folder.then(|| quote!(#[cfg(feature = #folder)]));
        let (name, rest) = (&m.name, m.rest);
        quote! {
            #gate
            (#name, #rest, #rt::__private::check_answer::<#path> as #rt::__private::AnswerCheck, #rt::__private::check_batch_answer::<#path> as #rt::__private::BatchCheck),
        }
    });
    quote! {
        /// Every generated method with its answer checks.
        #[allow(deprecated)]
        pub static ANSWER_TABLE: &[#rt::__private::AnswerRow] = &[#(#rows)*];
    }
}
