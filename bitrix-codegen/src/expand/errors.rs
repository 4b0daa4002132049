//! The error enum of a method: one variant per documented row, plus `Unknown` for codes the spec
//! does not list (new codes must not break old programs). Matching codes, statuses and the text
//! are the runtime's, driven by the table of rows each enum carries.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::Method;

/// `enum Error` in the method's own module, and its `MethodError` impl.
pub fn expand(m: &Method, rt: &TokenStream) -> TokenStream {
    let doc = format!("Errors that `{}` documents. System errors (limits, auth) arrive as `SystemError` instead; codes the spec does not list arrive as `Unknown`. Every method's error converts into the common `Error` with `?`.", m.name);
    let ids: Vec<Ident> = m
        .errors
        .iter()
        .map(|e| format_ident!("{}", e.variant))
        .collect();
    let docs = m.errors.iter().map(|e| {
        // A row sent with an empty code is known by its description alone.
        let mut doc = if e.code.is_empty() {
            format!("Empty code (HTTP {})", e.status)
        } else {
            format!("`{}` (HTTP {})", e.code, e.status)
        };
        if let Some(d) = &e.description {
            doc.push_str(&format!(", \"{d}\""));
        }
        if let Some(meaning) = &e.meaning {
            doc.push_str(&format!(": {meaning}"));
        }
        doc
    });
    let rows = m.errors.iter().map(|e| {
        let (code, status, shared) = (&e.code, e.status, e.shared_code);
        let description = e.description.clone().unwrap_or_default();
        quote!(#rt::ErrorRow { code: #code, description: #description, status: #status, shared: #shared })
    });
    let index = 0..m.errors.len();
    let index2 = index.clone();
    // Without documented rows, `Unknown` is the only variant: simpler bodies, no dead arms.
    let (from_row, as_unknown) = if m.errors.is_empty() {
        (
            quote! { let _ = row; ::std::option::Option::None },
            quote! { let Self::Unknown(u) = self; ::std::option::Option::Some(u) },
        )
    } else {
        (
            quote! {
                match row {
                    #(#index => ::std::option::Option::Some(Self::#ids),)*
                    _ => ::std::option::Option::None,
                }
            },
            quote! {
                match self {
                    Self::Unknown(u) => ::std::option::Option::Some(u),
                    _ => ::std::option::Option::None,
                }
            },
        )
    };
    let method = &m.name;
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Error {
            #(#[doc = #docs] #ids,)*
            /// A code this spec does not document, kept with the server's description.
            Unknown(#rt::UnknownCode),
        }

        impl #rt::MethodError for Error {
            const METHOD: &'static str = #method;
            const ROWS: &'static [#rt::ErrorRow] = &[#(#rows),*];

            #[inline]
            fn from_row(row: usize) -> ::std::option::Option<Self> {
                #from_row
            }

            #[inline]
            fn row(&self) -> ::std::option::Option<usize> {
                match self {
                    #(Self::#ids => ::std::option::Option::Some(#index2),)*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }

            #[inline]
            fn unknown(code: #rt::UnknownCode) -> Self {
                Self::Unknown(code)
            }

            #[inline]
            fn as_unknown(&self) -> ::std::option::Option<&#rt::UnknownCode> {
                #as_unknown
            }
        }

        impl ::std::fmt::Display for Error {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #rt::__private::fmt_method_error(self, f)
            }
        }

        impl ::std::error::Error for Error {}
    }
}
