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
/// `Cargo.toml`): the request type with its `Method` impl, its own types and error enum, in a
/// module tree after the method names (`imbot.command.update` in `specs/imbot` ->
/// `imbot::command::Update`, its types in `imbot::command::update`). Call any of them with
/// `client.call(&request)`.
///
/// ```ignore
/// bitrix_macros::include_specs!("specs");
/// ```
///
/// Options (all optional): `runtime = "path"` (default `::bitrix_rest`), `scope_features = true`
/// (gate each folder's module on the Cargo feature of that name), `shard = "I/N"` (only the
/// methods of shard I of N), `shared = "path"` (the folders' `_types.toml` types are generated
/// at `path::<folder>` instead of here), `methods = false` (only the shared types).
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
            bitrix_codegen::expand(&methods, &checked.shared, &args.options),
        )
    })
}

/// The facade over crates that each generate one shard of the same folder (`shard = "I/N"`):
/// the module tree of the whole API, every item re-exported from the crate that has it.
///
/// ```ignore
/// bitrix_macros::include_api!("specs", crates = "bitrix_api_0 bitrix_api_1", shared = "::bitrix_runtime::shared", scope_features = true);
/// ```
#[proc_macro]
pub fn include_api(input: TokenStream) -> TokenStream {
    with_sources(input, |args, sources| {
        let checked = bitrix_codegen::check_all(sources);
        let mut methods = checked.methods;
        methods.extend(checked.fallback);
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        let shared = match &args.options.shared {
            bitrix_codegen::expand::Shared::Extern(path) => path.clone(),
            bitrix_codegen::expand::Shared::Emit => quote!(crate),
        };
        // The shard crates report the specs' problems; the facade only mirrors what they made.
        let _ = checked.problems;
        let code = bitrix_codegen::expand::facade::expand_reexports(&methods, &checked.shared, &args.crates, &shared, args.options.feature_per_folder);
        (Vec::new(), code)
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
