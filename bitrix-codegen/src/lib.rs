//! The generator behind `bitrix_macros::include_specs!`: Bitrix24 REST method specs (TOML) in,
//! typed Rust out.
//!
//! The work is split into steps that can be tested one by one:
//! 1. [`read`]: TOML text to a spanned syntax tree ([`ast`]), reporting syntax errors and unknown keys;
//! 2. [`valid`]: the rules of `specs/README.md`, reporting every problem with file, line and column;
//! 3. [`model`]: the resolved description of each method, shared with the emulator;
//! 4. [`mod@expand`]: Rust tokens for request types, result types, error enums and client methods.
//!
//! [`source`] is where spec files are found and read from disk; [`mod@write`] is where they are
//! written (the importer's writer, with the round trip tested against every shipped spec).
//!
//! The proc-macro crate only reads the folder and turns [`Diagnostic`]s into `compile_error!`s.

pub mod ast;
pub mod build;
pub mod diag;
pub mod events;
pub mod expand;
#[cfg(test)]
mod fuzz_regressions;
pub mod model;
pub mod names;
pub mod read;
pub mod source;
pub mod valid;
pub mod write;

pub use diag::Diagnostic;
pub use expand::{expand, Options};
pub use model::Method;
pub use source::{load_dir, load_dir_if_present, SpecSource};

/// Reads and validates one spec (without shared types). All of its problems are returned together.
pub fn parse_spec(source: &SpecSource) -> Result<Method, Vec<Diagnostic>> {
    match parse_spec_with_fallback(source, &[]) {
        (Some(m), problems) if problems.is_empty() => Ok(m),
        (_, problems) => Err(problems),
    }
}

/// Reads and validates one spec, with the shared types of its folder; on problems, also returns
/// the method as far as it could be understood when that is sound enough to generate (see
/// [`valid::Validated::Fallback`]).
pub fn parse_spec_with_fallback(
    source: &SpecSource,
    shared: &[model::TypeDef],
) -> (Option<Method>, Vec<Diagnostic>) {
    let mut ctx = diag::Ctx::new(&source.display, &source.text);
    let outcome = read::read_spec(&mut ctx, &source.text)
        .map(|ast| valid::validate(&mut ctx, ast, source.stem(), source, shared));
    let mut problems = ctx.finish();
    // Reported in the order they stand in the file, whichever step found them.
    problems.sort_by_key(|d| (d.line, d.column));
    match outcome {
        Some(valid::Validated::Valid(m) | valid::Validated::Fallback(m)) => (Some(m), problems),
        _ => (None, problems),
    }
}

/// The outcome of checking a set of specs: the good methods, and every problem of the bad ones.
#[derive(Debug, Default)]
pub struct Checked {
    /// Specs that passed, sorted by method name.
    pub methods: Vec<Method>,
    /// Problems, grouped by file in the order the files were given.
    pub problems: Vec<Diagnostic>,
    /// Method names of specs that failed, where the name could be read.
    pub failed: Vec<String>,
    /// Specs that failed but are sound enough to generate from what was understood, so that code
    /// using them gets only the spec's own errors, not follow-on ones.
    pub fallback: Vec<Method>,
    /// The shared types of each folder (`_types.toml`).
    pub shared: valid::SharedTypes,
}

/// Reads and validates many specs, then checks what only shows across files (two specs of one method).
pub fn check_all(sources: &[SpecSource]) -> Checked {
    let mut out = Checked::default();
    let (types, specs): (Vec<&SpecSource>, Vec<&SpecSource>) =
        sources.iter().partition(|s| s.is_shared_types());
    let (shared, problems) = valid::check_shared_types(&types);
    out.problems.extend(problems);
    out.shared = shared;
    let mut by_name: std::collections::BTreeMap<String, String> = Default::default();
    for s in specs {
        // A `_types.toml` at the root of what was loaded serves the specs beside it.
        let folder_types = out
            .shared
            .get(s.folder.as_deref().unwrap_or_default())
            .map_or(&[][..], Vec::as_slice);
        let (method, problems) = parse_spec_with_fallback(s, folder_types);
        let Some(m) = method else {
            out.problems.extend(problems);
            out.failed.extend(s.stem().map(str::to_string));
            continue;
        };
        // A method may have one spec per REST version (`name.toml` and `name@v3.toml`).
        if let Some(first) = by_name.insert(m.key(), s.display.clone()) {
            let (line, column) = s.position_of_key("method");
            out.problems.extend(problems);
            out.problems.push(Diagnostic {
                file: s.display.clone(),
                line,
                column,
                message: format!("method `{}` is already defined in {first}", m.name),
                help: Some("each method has exactly one spec; remove one of them".into()),
            });
            out.failed.push(m.name);
        } else if problems.is_empty() {
            out.methods.push(m);
        } else {
            out.problems.extend(problems);
            out.failed.push(m.name.clone());
            out.fallback.push(m);
        }
    }
    out.methods.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
