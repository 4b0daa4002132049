//! Tests generated from the documented examples of each spec: the typed request rebuilds the
//! documented body, the documented success answer decodes into the result type, and every
//! documented error (rows and answers) maps to its own variant.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{error_ident, request_ident, Options};
use crate::model::Method;
use crate::names;

/// One `#[test]` per method; `api` is the path of the generated API (`::bitrix_rest::api`).
pub fn expand_tests(methods: &[Method], api: &TokenStream, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let tests = methods.iter().map(|m| {
        let test = format_ident!("{}", names::method_fn_name(&m.name).trim_start_matches("r#"));
        let module = super::ident(&names::module_name(&m.scope));
        let req = request_ident(m);
        let err = error_ident(m);
        let examples = m.examples.iter().map(|ex| {
            let name = &ex.name;
            let request = ex.request.as_ref().map(|r| {
                let text = r.to_string();
                quote! {
                    let documented: #rt::__private::Value = #rt::__private::serde_json::from_str(#text).unwrap();
                    let typed: #api::#module::#req = #rt::__private::serde_json::from_value(documented.clone())
                        .unwrap_or_else(|e| panic!("example `{}`: the request does not fit the request type: {e}", #name));
                    let rebuilt = #rt::__private::serde_json::to_value(&typed).unwrap();
                    #rt::__private::assert_same_json(&rebuilt, &documented, #name);
                }
            });
            let response = ex.response.as_ref().map(|r| {
                let text = r.to_string();
                if ex.status < 300 {
                    quote! {
                        let answer: #rt::__private::Value = #rt::__private::serde_json::from_str(#text).unwrap();
                        let result = answer.get("result").cloned().unwrap_or_default();
                        if let ::std::result::Result::Err(e) = <#api::#module::#req as #rt::Method>::decode_output(result) {
                            panic!("example `{}`: the answer does not decode: {e}", #name);
                        }
                    }
                } else {
                    quote! {
                        let answer: #rt::__private::Value = #rt::__private::serde_json::from_str(#text).unwrap();
                        let code = answer["error"].as_str().unwrap_or_default();
                        let description = answer["error_description"].as_str().unwrap_or_default();
                        let documented = <#api::#module::#err as #rt::MethodError>::from_documented(code, description);
                        let system = #rt::SystemError::from_code(code);
                        assert!(
                            documented.is_some() || system.is_some(),
                            "example `{}`: error `{code}` (\"{description}\") matches no documented row and no system error",
                            #name
                        );
                    }
                }
            });
            quote! { #request #response }
        });
        let rows = m.errors.iter().map(|e| {
            let code = &e.code;
            let description = e.description.clone().unwrap_or_default();
            let variant = format_ident!("{}", e.variant);
            quote! {
                assert_eq!(
                    <#api::#module::#err as #rt::MethodError>::from_documented(#code, #description),
                    ::std::option::Option::Some(#api::#module::#err::#variant),
                    "error row {} ({:?})", #code, #description
                );
            }
        });
        let has_examples = !m.examples.is_empty();
        let method_name = &m.name;
        let scope = &m.scope;
        let gate = opts.feature_per_scope.then(|| quote!(#[cfg(feature = #scope)]));
        quote! {
            #gate
            #[test]
            #[allow(deprecated)]
            fn #test() {
                assert!(#has_examples, "spec `{}` has no example: every spec needs at least one", #method_name);
                #(#examples)*
                #(#rows)*
            }
        }
    });
    quote! { #(#tests)* }
}
