//! Arbitrary text as a method spec: a method or diagnostics, never a panic. A spec that reads
//! also goes through code generation, which runs in the proc-macro and must not panic either.
//! The first byte chooses between a method spec and a folder's `_types.toml` read together with
//! the rest as a method of that folder.
#![no_main]

use bitrix_codegen::{check_all, expand, parse_spec, Options, SpecSource};
use libfuzzer_sys::fuzz_target;

/// The value of the first `method = "..."` line, so that the file name matches the method and
/// validation goes past the name check.
fn method_name(text: &str) -> &str {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("method"))
        .filter_map(|l| l.trim_start().strip_prefix('='))
        .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
        .find(|name| !name.is_empty() && !name.contains(['/', '\\']))
        .unwrap_or("fuzz.method")
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let display = format!("specs/fuzz/{}.toml", method_name(text));
    if selector % 2 == 0 {
        let source = SpecSource::new(display, text);
        if let Ok(method) = parse_spec(&source) {
            let _ = expand(&[method], &Default::default(), &Options::default());
        }
        return;
    }
    // A `_types.toml` and a method of the same folder, split at the first line `#---`.
    let (types, method) = text.split_once("\n#---\n").unwrap_or((text, ""));
    let mut shared = SpecSource::new("specs/fuzz/_types.toml", types);
    shared.folder = Some("fuzz".into());
    let mut spec = SpecSource::new(display, method);
    spec.folder = Some("fuzz".into());
    let checked = check_all(&[shared, spec]);
    for problem in &checked.problems {
        let _ = problem.to_string();
    }
    if !checked.methods.is_empty() {
        let _ = expand(&checked.methods, &checked.shared, &Options::default());
    }
});
