//! `include_specs!`: generates typed Bitrix24 REST methods from a folder of TOML specs.
//!
//! This crate is a thin shell: it reads the folder, hands the text to `bitrix_codegen` and turns
//! its diagnostics into compile errors. All the logic lives in `bitrix-codegen`, where it can be
//! tested without a compiler in the loop.

mod args;

use std::path::PathBuf;

use proc_macro::TokenStream;
use quote::quote;

/// Generates, for every `*.toml` spec below a folder (relative to the calling crate's
/// `Cargo.toml`): the request type with its nested types, the error enum, the `Method` impl and
/// a client function, grouped in one module per scope.
///
/// ```ignore
/// bitrix_macros::include_specs!("specs");
/// bitrix_macros::include_specs!("specs", client_trait = "MyPortalMethods");
/// ```
///
/// Options (all optional): `client = "trait" | "inherent" | "none"`, `client_trait = "Name"`
/// (default `SpecMethods`), `scope_features = true` (gate each scope module on the feature of
/// that name), `runtime = "path"` (default `::bitrix_rest`).
///
/// A bad spec fails the build with `file:line:col: what is wrong` and a hint; the other specs are
/// still generated, and so is what could be understood of the bad one, so one mistake does not
/// bury the rest under follow-on errors.
#[proc_macro]
pub fn include_specs(input: TokenStream) -> TokenStream {
    with_sources(input, |args, sources| {
        let checked = bitrix_codegen::check_all(sources);
        // Specs with problems that are still sound are generated too (what was understood of
        // them), so code that uses them shows only the spec's own errors.
        let mut methods = checked.methods;
        methods.extend(checked.fallback);
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        // Each file is tracked through include_str! in the code; the folder itself (new files)
        // is tracked by a build script printing `cargo:rerun-if-changed=<folder>`.
        (
            checked.problems,
            bitrix_codegen::expand(&methods, &args.options),
        )
    })
}

/// Generates one `#[test]` per spec of a folder from its documented examples: the typed request
/// rebuilds the documented JSON body, the documented success answer decodes into the result type,
/// each documented error answer and each error row maps to its own variant. A spec without
/// examples fails its test.
///
/// ```ignore
/// bitrix_macros::example_tests!("specs", api = "bitrix_rest::api");
/// ```
#[proc_macro]
pub fn example_tests(input: TokenStream) -> TokenStream {
    with_sources(input, |args, sources| {
        let checked = bitrix_codegen::check_all(sources);
        let tests =
            bitrix_codegen::expand::expand_tests(&checked.methods, &args.api, &args.options);
        (checked.problems, tests)
    })
}

/// Parses the arguments, reads the folder (relative to the calling crate's `Cargo.toml`) and
/// turns the problems `generate` reports into compile errors placed next to its code.
fn with_sources(
    input: TokenStream,
    generate: impl FnOnce(
        &args::Args,
        &[bitrix_codegen::SpecSource],
    ) -> (Vec<bitrix_codegen::Diagnostic>, proc_macro2::TokenStream),
) -> TokenStream {
    let args = match syn::parse::<args::Args>(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error().into(),
    };
    let span = args.path.span();
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let sources = match bitrix_codegen::load_dir(&root.join(args.path.value())) {
        Ok(s) => s,
        Err(problems) => return errors(span, problems.iter().map(ToString::to_string)).into(),
    };
    let (problems, code) = generate(&args, &sources);
    let errors = errors(span, problems.iter().map(ToString::to_string));
    quote!(#errors #code).into()
}

fn errors(
    span: proc_macro2::Span,
    messages: impl Iterator<Item = String>,
) -> proc_macro2::TokenStream {
    let errs = messages.map(|m| quote::quote_spanned!(span=> ::core::compile_error!(#m);));
    quote!(#(#errs)*)
}

/// Generates, for every `*.toml` event spec below a folder (relative to the calling crate's
/// `Cargo.toml`; format in `events/README.md`): a typed struct per event payload (`data`) in a
/// module per scope, and one `#[non_exhaustive] enum Event` over all of them with
/// `Event::parse(raw)` dispatching by event name (unknown events kept as `Event::Unknown`).
///
/// ```ignore
/// bitrix_macros::include_events!("events");
/// ```
///
/// Option: `runtime = "path"` (default `::bitrix_rest`). A bad spec fails the build with
/// `file:line:col: what is wrong` and a hint.
#[proc_macro]
pub fn include_events(input: TokenStream) -> TokenStream {
    with_sources(input, |args, sources| {
        let checked = bitrix_codegen::events::check_events(sources);
        let code = bitrix_codegen::events::expand_events(&checked.events, &args.options);
        (checked.problems, code)
    })
}
