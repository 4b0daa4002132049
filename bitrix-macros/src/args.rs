//! The arguments of the macros: a folder, then `key = value` options.

use bitrix_codegen::expand::{Options, Shared};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Lit, LitStr, Token};

/// The folder and the options.
pub struct Args {
    pub path: LitStr,
    pub options: Options,
    /// The crates that generate the shards, for `include_api!`, `example_tests!` and
    /// `answer_table!`.
    pub crates: Vec<proc_macro2::TokenStream>,
}

const OPTIONS: &str = "runtime, scope_features, shard, shared, methods, tables, crates";

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: LitStr = input.parse()?;
        let mut options = Options {
            track_files: true,
            ..Options::default()
        };
        let mut crates = Vec::new();
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
            let flag = || match &value {
                Lit::Bool(b) => Ok(b.value),
                other => Err(syn::Error::new(
                    other.span(),
                    format!("`{key}` takes true or false"),
                )),
            };
            let path = |text: String| -> syn::Result<proc_macro2::TokenStream> {
                let path: syn::Path = syn::parse_str(&text)?;
                Ok(quote::quote!(#path))
            };
            match key.to_string().as_str() {
                "runtime" => options.runtime = path(text()?)?,
                "scope_features" => options.feature_per_folder = flag()?,
                "methods" => options.methods = flag()?,
                "tables" => options.tables = Some(text()?),
                "shared" => options.shared = Shared::Extern(path(text()?)?),
                "shard" => {
                    options.shard = Some(shard(&text()?).ok_or_else(|| {
                        syn::Error::new(value.span(), "`shard` is \"INDEX/COUNT\", e.g. \"0/8\"")
                    })?)
                }
                "crates" => {
                    crates = text()?
                        .split_whitespace()
                        .map(|c| path(c.to_string()))
                        .collect::<syn::Result<_>>()?;
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown option `{other}`; the options are {OPTIONS}"),
                    ))
                }
            }
        }
        Ok(Args {
            path,
            options,
            crates,
        })
    }
}

/// `"3/8"` -> `(3, 8)`.
fn shard(text: &str) -> Option<(u32, u32)> {
    let (i, n) = text.split_once('/')?;
    let (i, n) = (i.trim().parse().ok()?, n.trim().parse().ok()?);
    (i < n).then_some((i, n))
}
