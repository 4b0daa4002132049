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
/// at `path::<folder>` instead of here), `methods = false` (only the shared types),
/// `tables = "feature"` (behind that Cargo feature, `__tables` with every method's example and
/// answer checks, for `example_tests!` and `answer_table!`).
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
        let missing = missing_features(&args.options, &methods);
        methods.retain(|m| enabled(&args.options, &m.folder));
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        let mut shared = checked.shared;
        shared.retain(|folder, _| enabled(&args.options, folder));
        // Each file is tracked through include_str! in the code; the folder itself (new files)
        // is tracked by a build script printing `cargo:rerun-if-changed=<folder>`.
        let mut problems: Vec<String> = checked.problems.iter().map(ToString::to_string).collect();
        problems.extend(missing);
        (
            problems,
            bitrix_codegen::expand(&methods, &shared, &args.options),
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
        let missing = missing_features(&args.options, &methods);
        methods.retain(|m| enabled(&args.options, &m.folder));
        methods.sort_by(|a, b| a.name.cmp(&b.name));
        let shared = match &args.options.shared {
            bitrix_codegen::expand::Shared::Extern(path) => path.clone(),
            bitrix_codegen::expand::Shared::Emit => quote!(crate),
        };
        // The shard crates report the specs' problems; the facade only mirrors what they made.
        let _ = checked.problems;
        let code = bitrix_codegen::expand::facade::expand_reexports(
            &methods,
            &checked.shared,
            &args.crates,
            &shared,
            args.options.feature_per_folder,
        );
        (missing, code)
    })
}

/// Generates `#[test] fn documented_examples()` over the example tables of the API's crates:
/// for every generated method, the typed request rebuilds the documented JSON body, the
/// documented success answer decodes into the result type, each documented error answer and
/// each error row maps to its own variant. A hand spec without examples (and without
/// `no_example`) fails. The crates build the rows themselves with their `tables` feature on
/// (`include_specs!(…, tables = "test-tables")`), so the test compiles no method code.
///
/// ```ignore
/// bitrix_macros::example_tests!("specs", crates = "::bitrix_api_0 ::bitrix_api_1", scope_features = true);
/// ```
#[proc_macro]
pub fn example_tests(input: TokenStream) -> TokenStream {
    with_sources(input, |args, sources| {
        let checked = bitrix_codegen::check_all(sources);
        let mut methods = checked.methods;
        methods.extend(checked.fallback);
        let tests = bitrix_codegen::expand::expand_tests(&methods, &args.crates, &args.options);
        (
            checked.problems.iter().map(ToString::to_string).collect(),
            tests,
        )
    })
}

/// Generates `static ANSWER_TABLE`: for every generated method (from the API crates' tables, as
/// for `example_tests!`), the method's name, its REST version and the runtime's checks of a
/// whole answer (`check_answer`, `check_batch_answer`): what the recorded-answers test reads real
/// portals' answers through.
///
/// ```ignore
/// bitrix_macros::answer_table!(crates = "::bitrix_api_0 ::bitrix_api_1");
/// ```
#[proc_macro]
pub fn answer_table(input: TokenStream) -> TokenStream {
    over_crates(input, bitrix_codegen::expand::expand_answer_table)
}

/// `crates = "…"` (and optionally `runtime = "…"`, default `::bitrix_rest`), with no folder.
fn over_crates(
    input: TokenStream,
    expand: fn(&[proc_macro2::TokenStream], &proc_macro2::TokenStream) -> proc_macro2::TokenStream,
) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    let parsed = syn::parse2::<args::Args>(quote!("" , #input));
    match parsed {
        Ok(args) if args.crates.is_empty() => {
            quote!(compile_error!("name the API crates: `crates = \"::bitrix_api_0 …\"`");).into()
        }
        Ok(args) => expand(&args.crates, &args.options.runtime).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// With `scope_features`, each folder of specs needs its Cargo feature in the calling crate's
/// `Cargo.toml`; without it the folder would be left out silently. One error per such folder.
fn missing_features(
    options: &bitrix_codegen::Options,
    methods: &[bitrix_codegen::Method],
) -> Vec<String> {
    missing_folder_features(options, methods.iter().map(|m| m.folder.as_str()), "spec")
}

/// The folders among `folders` that have no Cargo feature in the calling crate (with
/// `scope_features`), one error each.
fn missing_folder_features<'a>(
    options: &bitrix_codegen::Options,
    folders: impl Iterator<Item = &'a str>,
    kind: &str,
) -> Vec<String> {
    if !options.feature_per_folder {
        return Vec::new();
    }
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(|d| PathBuf::from(d).join("Cargo.toml"))
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let declared = |folder: &str| {
        manifest.lines().any(|l| {
            l.trim_start()
                .strip_prefix(folder)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
    };
    let mut folders: Vec<&str> = folders.collect();
    folders.sort_unstable();
    folders.dedup();
    folders
        .into_iter()
        .filter(|f| !declared(f))
        .map(|f| format!("the {kind} folder `{f}` has no Cargo feature in this crate's Cargo.toml: run `cargo xtask sync-features` (or add `{f} = []`)"))
        .collect()
}

/// Whether the methods (and shared types) of `folder` are generated: with `scope_features`, only the folders whose
/// Cargo feature is on, as the crate's build script lists them in `BITRIX_SPEC_FOLDERS` (the
/// `#[cfg]` on each folder's module would drop the others too, but only after they were
/// generated and parsed). Without that list every folder is generated.
fn enabled(options: &bitrix_codegen::Options, folder: &str) -> bool {
    if !options.feature_per_folder {
        return true;
    }
    match std::env::var("BITRIX_SPEC_FOLDERS") {
        Ok(list) => list.split(',').any(|f| f == folder),
        Err(_) => true,
    }
}

/// Parses the arguments, reads the folder (relative to the calling crate's `Cargo.toml`) and
/// turns the problems `generate` reports into compile errors placed next to its code.
fn with_sources(
    input: TokenStream,
    generate: impl FnOnce(
        &args::Args,
        &[bitrix_codegen::SpecSource],
    ) -> (Vec<String>, proc_macro2::TokenStream),
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
    let errors = errors(span, problems.into_iter());
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
/// Options: `runtime = "path"` (default `::bitrix_rest`), `scope_features = true` (only the
/// events of the folders whose Cargo feature is on; each folder needs a feature, as for
/// methods). A bad spec fails the build with `file:line:col: what is wrong` and a hint.
#[proc_macro]
pub fn include_events(input: TokenStream) -> TokenStream {
    with_sources(input, |args, sources| {
        let checked = bitrix_codegen::events::check_events(sources);
        let mut problems: Vec<String> = checked.problems.iter().map(ToString::to_string).collect();
        problems.extend(missing_folder_features(
            &args.options,
            checked.events.iter().map(|e| e.module()),
            "event",
        ));
        let mut events = checked.events;
        events.retain(|e| enabled(&args.options, e.module()));
        let code = bitrix_codegen::events::expand_events(&events, &args.options);
        (problems, code)
    })
}
