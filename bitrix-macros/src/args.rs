//! The arguments of `include_specs!`.

use bitrix_codegen::expand::{ClientMethods, Options};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Lit, LitStr, Token};

/// The folder and the options.
pub struct Args {
    pub path: LitStr,
    pub options: Options,
    /// Path of the generated API, for `example_tests!`.
    pub api: proc_macro2::TokenStream,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: LitStr = input.parse()?;
        let mut options = Options {
            track_files: true,
            ..Options::default()
        };
        let mut client_kind = "trait".to_string();
        let mut trait_name = "SpecMethods".to_string();
        let mut api = quote::quote!(::bitrix_rest::api);
        while input.parse::<Option<Token![,]>>()?.is_some() {
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: Lit = input.parse()?;
            let text = || match &value {
                Lit::Str(s) => Ok(s.value()),
                other => Err(syn::Error::new(
                    other.span(),
                    format!("`{key}` takes a string"),
                )),
            };
            match key.to_string().as_str() {
                "client" => {
                    client_kind = text()?;
                    if !["trait", "inherent", "none"].contains(&client_kind.as_str()) {
                        return Err(syn::Error::new(value.span(), "`client` is \"trait\", \"inherent\" or \"none\""));
                    }
                }
                "client_trait" => trait_name = text()?,
                "api" => {
                    let path: syn::Path = syn::parse_str(&text()?)?;
                    api = quote::quote!(#path);
                }
                "runtime" => {
                    let path: syn::Path = syn::parse_str(&text()?)?;
                    options.runtime = quote::quote!(#path);
                }
                "scope_features" => match &value {
                    Lit::Bool(b) => options.feature_per_scope = b.value,
                    other => return Err(syn::Error::new(other.span(), "`scope_features` takes true or false")),
                },
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown option `{other}`; the options are client, client_trait, runtime, scope_features, api"),
                    ))
                }
            }
        }
        options.client = match client_kind.as_str() {
            "inherent" => ClientMethods::Inherent,
            "none" => ClientMethods::None,
            _ => ClientMethods::Trait(trait_name),
        };
        Ok(Args { path, options, api })
    }
}
