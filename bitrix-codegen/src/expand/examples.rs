//! The documented examples of every spec as one table the runtime checks: the typed request
//! rebuilds the documented body, the documented success answer decodes into the result type, and
//! every documented error (rows and answers) maps to its own variant. One generic check serves
//! all methods, so the tests cost a table row per method, not a test function each.
//!
//! The rows are compiled by the crates that generate the methods (`__tables`, behind a Cargo
//! feature), not by the test: each row instantiates the runtime's generic checks for its method,
//! which is the whole API compiled to machine code. Split over the API's parts, that work runs on
//! every core instead of in one test crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, shard_of, Options};
use crate::model::Method;

/// `#[doc(hidden)] pub mod __tables` behind `#[cfg(feature = feature)]`: `EXAMPLES` and
/// `ANSWERS`, one row per method of this crate's shard.
pub fn expand_tables(methods: &[Method], opts: &Options, feature: &str) -> TokenStream {
    let rt = &opts.runtime;
    let own: Vec<&Method> = methods
        .iter()
        .filter(|m| opts.shard.is_none_or(|(i, n)| shard_of(&m.name, n) == i))
        .collect();
    let api = quote!(crate);
    let examples = own.iter().map(|m| example_row(m, &api, opts));
    let answers = own.iter().map(|m| answer_row(m, &api, opts));
    quote! {
        /// The checks of this crate's methods, for the SDK's own tests.
        #[cfg(feature = #feature)]
        #[doc(hidden)]
        #[allow(deprecated)]
        pub mod __tables {
            /// Every method's documented examples and their check.
            pub static EXAMPLES: &[#rt::__private::ExampleRow<'static>] = &[#(#examples)*];
            /// Every method's name, REST version and whole-answer checks.
            pub static ANSWERS: &[#rt::__private::AnswerRow] = &[#(#answers)*];
        }
    }
}

fn example_row(m: &Method, api: &TokenStream, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let path = method_path(m, api);
    let examples = serde_json::to_string(&m.examples.iter().map(|e| serde_json::json!({"name": e.name, "request": e.request, "status": e.status, "response": e.response})).collect::<Vec<_>>()).unwrap_or_default();
    let gate = gate(m, opts);
    // A hand spec needs an example unless it says why the page has none to keep.
    let required = !m.imported && m.no_example.is_none();
    quote! {
        #gate
        (#rt::__private::check_examples::<#path> as fn(&str, bool) -> ::std::result::Result<(), ::std::string::String>, #examples, #required),
    }
}

fn answer_row(m: &Method, api: &TokenStream, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let path = method_path(m, api);
    let gate = gate(m, opts);
    let (name, rest) = (&m.name, m.rest);
    quote! {
        #gate
        (#name, #rest, #rt::__private::check_answer::<#path> as #rt::__private::AnswerCheck, #rt::__private::check_batch_answer::<#path> as #rt::__private::BatchCheck),
    }
}

fn method_path(m: &Method, api: &TokenStream) -> TokenStream {
    let segments = m.rust.module.iter().map(|s| ident(s));
    let ty = ident(&m.rust.type_name);
    quote!(#api::#(#segments::)*#ty)
}

fn gate(m: &Method, opts: &Options) -> Option<TokenStream> {
    let folder = &m.folder;
    opts.feature_per_folder
        .then(|| quote!(#[cfg(feature = #folder)]))
}

/// `#[test] fn documented_examples()` over the example tables of `crates` (each built with its
/// tables feature on). `methods` are the specs the crates generate from: the test also checks
/// that the tables hold a row for each method of the folders whose feature is on, so a part
/// left out of `crates` fails instead of passing with fewer rows.
pub fn expand_tests(methods: &[Method], crates: &[TokenStream], opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let mut per_folder = std::collections::BTreeMap::<&str, usize>::new();
    for m in methods {
        *per_folder.entry(m.folder.as_str()).or_default() += 1;
    }
    let counts = per_folder.iter().map(|(folder, n)| {
        if opts.feature_per_folder {
            quote!(+ if cfg!(feature = #folder) { #n } else { 0 })
        } else {
            quote!(+ #n)
        }
    });
    quote! {
        #[test]
        fn documented_examples() {
            let table: ::std::vec::Vec<#rt::__private::ExampleRow<'static>> =
                [#(#crates::__tables::EXAMPLES),*].concat();
            let expected: usize = 0 #(#counts)*;
            assert_eq!(table.len(), expected, "rows in the API crates' example tables against specs of the folders turned on: is every part named in `crates`, with its tables feature on?");
            #rt::__private::run_example_table(&table);
        }
    }
}

/// `static ANSWER_TABLE`: the answer tables of `crates`, so a test can read any recorded portal
/// answer through the method it names, as a call would.
pub fn expand_answer_table(crates: &[TokenStream], runtime: &TokenStream) -> TokenStream {
    quote! {
        /// Every generated method with its answer checks.
        pub static ANSWER_TABLE: ::std::sync::LazyLock<::std::vec::Vec<#runtime::__private::AnswerRow>> =
            ::std::sync::LazyLock::new(|| [#(#crates::__tables::ANSWERS),*].concat());
    }
}
