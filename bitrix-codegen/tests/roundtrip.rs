//! The spec library's writer against every shipped spec (`specs/` of this repository): a spec
//! read into the writer's model and written again reads back as the same model; written over
//! its own file (as a re-import does) it is the same method to the generator, the emulator and
//! `b24`, keeps its `[[reviewed]]` rows, and a spec the importer wrote comes out byte for byte
//! as it is.
//!
//! `_types.toml` files and event specs are read by the library but written by hand (events by
//! the importer's event writer, whose text `bitrix-specs`' tests compare), so they are not part
//! of this round trip.

use std::path::Path;

use bitrix_codegen::write::{from_source, merge, render, Mode};
use bitrix_codegen::{check_all, load_dir, read, SpecSource};

fn shipped() -> Vec<SpecSource> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    load_dir(&root).unwrap_or_else(|p| panic!("specs/ cannot be read: {p:?}"))
}

/// `source` with another text, as if the file held it.
fn with_text(source: &SpecSource, text: String) -> SpecSource {
    SpecSource {
        text,
        ..source.clone()
    }
}

#[test]
fn every_shipped_spec_survives_read_write_read() {
    let sources = shipped();
    let mut again = Vec::new();
    let mut failures = Vec::new();
    let (mut specs, mut imported) = (0, 0);
    for source in &sources {
        if source.is_shared_types() {
            again.push(source.clone());
            continue;
        }
        specs += 1;
        let spec = match from_source(source) {
            Ok(spec) => spec,
            Err(p) => {
                failures.push(format!("{}: not read: {p:?}", source.display));
                continue;
            }
        };
        let text = render(&spec, Mode::Full).text;
        match from_source(&with_text(source, text.clone())) {
            Ok(back) if back == spec => {}
            Ok(back) => failures.push(format!(
                "{}: the written model reads back differently:\n{spec:#?}\n{back:#?}",
                source.display
            )),
            Err(p) => failures.push(format!(
                "{}: written text unreadable: {p:?}",
                source.display
            )),
        }
        let merged = match merge(&source.text, &text) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{}: not merged: {e}", source.display));
                continue;
            }
        };
        if source.text.contains("\norigin = \"import\"\n") {
            imported += 1;
            if merged != source.text {
                failures.push(format!(
                    "{}: an imported spec, written again, is not the same text:\n{merged}",
                    source.display
                ));
            }
        }
        let reviewed = |text: &str| {
            read::raw(text)
                .ok()
                .and_then(|v| v.get("reviewed").cloned())
        };
        if reviewed(&source.text) != reviewed(&merged) {
            failures.push(format!("{}: [[reviewed]] rows changed", source.display));
        }
        again.push(with_text(source, merged));
    }
    assert!(
        failures.is_empty(),
        "{} of {specs} specs:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(specs > 0 && imported > 0, "no spec found in specs/");

    // The facts: every method as the generator, the emulator and `b24` read it.
    let before = check_all(&sources);
    let after = check_all(&again);
    assert!(before.problems.is_empty(), "{:#?}", before.problems);
    assert!(after.problems.is_empty(), "{:#?}", after.problems);
    assert_eq!(before.methods.len(), after.methods.len());
    for (b, a) in before.methods.iter().zip(&after.methods) {
        assert_eq!(b, a, "{}: the facts changed on the way", b.source);
    }
}
