//! The per-method error enum: one variant per documented row, plus `Unknown` for codes the
//! spec does not list (new codes must not break old programs).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{error_ident, Options};
use crate::model::Method;

/// `enum <Method>Error` and its `MethodError` impl.
pub fn expand(m: &Method, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let name = error_ident(m);
    let doc = format!(
        "Errors that `{}` documents. System errors (limits, auth) are in [`{rt}::SystemError`] instead; codes the spec does not list arrive as `Unknown`.",
        m.name,
        rt = opts.runtime.to_string().replace(' ', "")
    );
    let variants = m.errors.iter().map(|e| {
        let id = format_ident!("{}", e.variant);
        let mut doc = format!("`{}` (HTTP {})", e.code, e.status);
        if let Some(d) = &e.description {
            doc.push_str(&format!(", \"{d}\""));
        }
        if let Some(meaning) = &e.meaning {
            doc.push_str(&format!(": {meaning}"));
        }
        quote!(#[doc = #doc] #id,)
    });
    // Rows with a unique code match by code; rows sharing a code match by description too.
    let mut seen = Vec::new();
    let arms = m.errors.iter().filter_map(|e| {
        if seen.contains(&e.code.as_str()) {
            return None;
        }
        seen.push(e.code.as_str());
        let code = &e.code;
        let rows: Vec<_> = m.errors.iter().filter(|r| r.code == e.code).collect();
        if rows.len() == 1 {
            let id = format_ident!("{}", e.variant);
            return Some(quote!(#code => ::std::option::Option::Some(Self::#id),));
        }
        let by_description = rows.iter().map(|r| {
            let id = format_ident!("{}", r.variant);
            let d = r.description.clone().unwrap_or_default().to_lowercase();
            quote!(#d => ::std::option::Option::Some(Self::#id),)
        });
        Some(quote! {
            #code => match description.trim().to_lowercase().as_str() {
                #(#by_description)*
                _ => ::std::option::Option::None,
            },
        })
    });
    let code_arms = m.errors.iter().map(|e| {
        let id = format_ident!("{}", e.variant);
        let code = &e.code;
        quote!(Self::#id => #code,)
    });
    let status_arms = m.errors.iter().map(|e| {
        let id = format_ident!("{}", e.variant);
        let status = e.status;
        quote!(Self::#id => ::std::option::Option::Some(#status),)
    });
    let description_arms = m.errors.iter().map(|e| {
        let id = format_ident!("{}", e.variant);
        let d = e.description.clone().unwrap_or_else(|| e.code.clone());
        quote!(Self::#id => #d,)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A code this spec does not document, kept with the server's description.
            Unknown(#rt::UnknownCode),
        }

        impl #rt::MethodError for #name {
            fn from_documented(code: &str, description: &str) -> ::std::option::Option<Self> {
                let _ = description;
                match code {
                    #(#arms)*
                    _ => ::std::option::Option::None,
                }
            }

            fn unknown(code: #rt::UnknownCode) -> Self {
                Self::Unknown(code)
            }

            fn code(&self) -> &str {
                match self {
                    #(#code_arms)*
                    Self::Unknown(u) => &u.code,
                }
            }

            fn documented_status(&self) -> ::std::option::Option<u16> {
                match self {
                    #(#status_arms)*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let description: &str = match self {
                    #(#description_arms)*
                    Self::Unknown(u) => &u.description,
                };
                write!(f, "{}: {}", #rt::MethodError::code(self), description)
            }
        }

        impl ::std::error::Error for #name {}
    }
}
