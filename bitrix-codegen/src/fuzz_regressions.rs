//! Regressions the fuzzer found, run through the whole pipeline (check, then expand).

use crate::SpecSource;

/// Fuzz `spec_reader`: a shared type named `-ontact` was reported and still generated, and
/// `format_ident!` panicked in the proc-macro.
#[test]
fn a_shared_type_with_a_bad_name_is_reported_not_generated() {
    let types = include_str!("../tests/specs/demo/_types.toml").replace(
        "[[types.Contact.fields]]\nname = \"ID\"",
        "[[types.-ontact.fields]]\nname = \"ID\"",
    );
    assert!(types.contains("types.-ontact"));
    let mut shared = SpecSource::new("specs/demo/_types.toml", types);
    shared.folder = Some("demo".into());
    let mut spec = SpecSource::new(
        "specs/demo/demo.contact.add.toml",
        include_str!("../tests/specs/demo/demo.contact.add.toml"),
    );
    spec.folder = Some("demo".into());
    let checked = crate::check_all(&[shared, spec]);
    assert!(
        checked
            .problems
            .iter()
            .any(|p| p.message.contains("-ontact")),
        "{:?}",
        checked.problems
    );
    let mut methods = checked.methods;
    methods.extend(checked.fallback);
    let _ = crate::expand(&methods, &checked.shared, &Default::default());
}
