//! Step 4: Rust tokens from the [`Method`] model.
//!
//! Generated code names the runtime only through `Options::runtime` (default `::bitrix_rest`), so
//! an app can generate its own methods against the same client.

mod client;
pub(crate) mod docs;
mod errors;
mod examples;
mod request;
pub(crate) mod rust_type;
mod serde_impl;
pub(crate) mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

pub use examples::expand_tests;

use crate::model::Method;
use crate::names;

/// How client methods are attached to `Client`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientMethods {
    /// Inherent methods on `Client` (only possible inside the runtime crate itself).
    Inherent,
    /// An extension trait with this name, implemented for `Client`.
    Trait(String),
    /// No per-method client functions (`client.call(&request)` still works).
    None,
}

/// Choices for one expansion.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the runtime crate in the generated code.
    pub runtime: TokenStream,
    /// How client methods are generated.
    pub client: ClientMethods,
    /// Put each scope module behind the Cargo feature of the same name.
    pub feature_per_scope: bool,
    /// `include_str!` each spec file by absolute path so that editing it triggers a rebuild.
    pub track_files: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime: quote!(::bitrix_rest),
            client: ClientMethods::Trait("SpecMethods".into()),
            feature_per_scope: false,
            track_files: false,
        }
    }
}

/// All methods, grouped into one module per scope.
pub fn expand(methods: &[Method], opts: &Options) -> TokenStream {
    let mut scopes: Vec<&str> = methods.iter().map(|m| m.scope.as_str()).collect();
    scopes.dedup();
    scopes.sort();
    scopes.dedup();
    let modules = scopes.iter().map(|scope| {
        let in_scope: Vec<&Method> = methods.iter().filter(|m| m.scope == *scope).collect();
        let module = ident(&names::module_name(scope));
        let items = in_scope.iter().map(|m| expand_method(m, opts));
        let client = client::expand(&in_scope, opts, scope);
        let gate = opts.feature_per_scope.then(|| {
            quote! {
                #[cfg(feature = #scope)]
                #[cfg_attr(docsrs, doc(cfg(feature = #scope)))]
            }
        });
        let doc = format!("Methods of the `{scope}` scope.");
        quote! {
            #[doc = #doc]
            #gate
            pub mod #module {
                #(#items)*
                #client
            }
        }
    });
    quote! { #(#modules)* }
}

/// Everything generated for one method: request, nested types, error enum, `Method` impl.
pub fn expand_method(m: &Method, opts: &Options) -> TokenStream {
    let request = request::expand(m, opts);
    let referable = m.result_types();
    let types = m
        .types
        .iter()
        .map(|t| types::expand(m, t, referable.contains(t.name.as_str()), opts));
    let errors = errors::expand(m, opts);
    let track = opts.track_files.then(|| {
        let path = &m.path;
        quote! { const _: &str = include_str!(#path); }
    });
    quote! {
        #request
        #(#types)*
        #errors
        #track
    }
}

/// An identifier from a name that may be a raw identifier (`r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The `#[deprecated]` attribute of a method, if deprecated.
pub(crate) fn deprecated_attr(m: &Method) -> Option<TokenStream> {
    let d = m.deprecated.as_ref()?;
    let mut note = match &d.replacement {
        Some(r) => format!("`{}` is deprecated: use `{r}` instead", m.name),
        None => format!("`{}` is deprecated", m.name),
    };
    if let Some(n) = &d.note {
        note.push_str(". ");
        note.push_str(n);
    }
    Some(quote!(#[deprecated(note = #note)]))
}

/// The request type's identifier.
pub(crate) fn request_ident(m: &Method) -> Ident {
    format_ident!("{}", m.rust_name)
}

/// The error enum's identifier.
pub(crate) fn error_ident(m: &Method) -> Ident {
    format_ident!("{}Error", m.rust_name)
}
