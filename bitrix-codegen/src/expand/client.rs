//! Per-method functions on `Client`: thin wrappers over the shared `Client::call`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust_type::rust_type;
use super::{deprecated_attr, error_ident, request_ident, ClientMethods, Options};
use crate::model::Method;
use crate::names;

struct Signature {
    attrs: TokenStream,
    name: Ident,
    request: Ident,
    output: TokenStream,
}

fn signature(m: &Method, opts: &Options) -> Signature {
    let rt = &opts.runtime;
    let out = rust_type(m, &m.result.ty, opts);
    let err = error_ident(m);
    let dep = deprecated_attr(m);
    let doc = format!(
        "Calls `{}`: {} See [`{}`].",
        m.name,
        m.summary.as_deref().unwrap_or_default(),
        m.rust_name
    );
    Signature {
        attrs: quote!(#[doc = #doc] #dep),
        name: format_ident!(
            "{}",
            names::method_fn_name(&m.name).trim_start_matches("r#")
        ),
        request: request_ident(m),
        output: quote!(::std::result::Result<#rt::Response<#out>, #rt::Error<#err>>),
    }
}

/// The client functions of the methods of one scope.
pub fn expand(methods: &[&Method], opts: &Options, scope: &str) -> TokenStream {
    let rt = &opts.runtime;
    let sigs: Vec<Signature> = methods.iter().map(|m| signature(m, opts)).collect();
    match &opts.client {
        ClientMethods::None => quote!(),
        ClientMethods::Inherent => {
            let fns = sigs.iter().map(
                |Signature {
                     attrs,
                     name,
                     request,
                     output,
                 }| {
                    quote! {
                        #attrs
                        pub async fn #name(&self, request: &#request) -> #output {
                            self.call(request).await
                        }
                    }
                },
            );
            quote! {
                #[allow(deprecated)]
                impl #rt::Client { #(#fns)* }
            }
        }
        ClientMethods::Trait(trait_name) => {
            let tr = format_ident!("{}", trait_name);
            let doc = format!("Client functions for the `{scope}` methods; bring the trait into scope to call them on a `Client`.");
            let decls = sigs.iter().map(|Signature { attrs, name, request, output }| {
                quote! {
                    #attrs
                    fn #name(&self, request: &#request) -> impl ::std::future::Future<Output = #output> + Send;
                }
            });
            let impls = sigs.iter().map(|Signature { name, request, output, .. }| {
                quote! {
                    fn #name(&self, request: &#request) -> impl ::std::future::Future<Output = #output> + Send {
                        self.call(request)
                    }
                }
            });
            quote! {
                #[doc = #doc]
                #[allow(deprecated)]
                pub trait #tr {
                    #(#decls)*
                }

                #[allow(deprecated)]
                impl #tr for #rt::Client {
                    #(#impls)*
                }
            }
        }
    }
}
