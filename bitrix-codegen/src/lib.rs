//! The generator behind `bitrix_macros::include_specs!`: Bitrix24 REST method specs (TOML) in,
//! typed Rust out.
//!
//! The work is split into steps that can be tested one by one:
//! 1. [`read`]: TOML text to a spanned syntax tree ([`ast`]), reporting syntax errors and unknown keys;
//! 2. [`valid`]: the rules of `specs/README.md`, reporting every problem with file, line and column;
//! 3. [`model`]: the resolved description of each method, shared with the emulator;
//! 4. [`mod@expand`]: Rust tokens for request types, result types, error enums and client methods.
//!
//! The proc-macro crate only reads the folder and turns [`Diagnostic`]s into `compile_error!`s.

pub mod ast;
pub mod diag;
pub mod events;
pub mod expand;
pub mod model;
pub mod names;
pub mod read;
pub mod source;
pub mod valid;

pub use diag::Diagnostic;
pub use expand::{expand, Options};
pub use model::Method;
pub use source::{load_dir, SpecSource};

/// Reads and validates one spec. All of its problems are returned together.
pub fn parse_spec(source: &SpecSource) -> Result<Method, Vec<Diagnostic>> {
    let mut ctx = diag::Ctx::new(&source.display, &source.text);
    let method = read::read_spec(&mut ctx, &source.text)
        .and_then(|ast| valid::validate(&mut ctx, ast, source.stem(), source));
    let mut problems = ctx.finish();
    // Reported in the order they stand in the file, whichever step found them.
    problems.sort_by_key(|d| (d.line, d.column));
    match method {
        Some(m) if problems.is_empty() => Ok(m),
        _ => Err(problems),
    }
}

/// The outcome of checking a set of specs: the good methods, and every problem of the bad ones.
#[derive(Debug, Default)]
pub struct Checked {
    /// Specs that passed, sorted by method name.
    pub methods: Vec<Method>,
    /// Problems, grouped by file in the order the files were given.
    pub problems: Vec<Diagnostic>,
    /// Method names of specs that failed, where the name could be read (for fallback code).
    pub failed: Vec<String>,
}

/// Reads and validates many specs, then checks what only shows across files (two specs of one method).
pub fn check_all(sources: &[SpecSource]) -> Checked {
    let mut out = Checked::default();
    let mut by_name: std::collections::BTreeMap<String, String> = Default::default();
    for s in sources {
        match parse_spec(s) {
            Ok(m) => {
                if let Some(first) = by_name.insert(m.name.clone(), s.display.clone()) {
                    let (line, column) = s.position_of_key("method");
                    out.problems.push(Diagnostic {
                        file: s.display.clone(),
                        line,
                        column,
                        message: format!("method `{}` is already defined in {first}", m.name),
                        help: Some("each method has exactly one spec; remove one of them".into()),
                    });
                    out.failed.push(m.name);
                } else {
                    out.methods.push(m);
                }
            }
            Err(problems) => {
                out.problems.extend(problems);
                if let Some(name) = s.stem() {
                    out.failed.push(name.to_string());
                }
            }
        }
    }
    out.methods.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
