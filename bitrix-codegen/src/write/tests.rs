//! The writer on specs with awkward values: written, read back and compared, and written over a
//! file whose other keys (inline tables in inline tables, arrays of tables, comments) must stay.

use serde_json::json;

use super::spec::{ErrorRow, Example, Field, Origin, Required, ResultDef, State, TypeDef};
use super::*;
use crate::read::raw;
use crate::source::SpecSource;

fn field(name: &str, ty: &str, required: Required) -> Field {
    Field {
        name: name.into(),
        ty: ty.into(),
        required,
    }
}

/// A spec using every part of the model, with values that need quoting.
fn awkward() -> Spec {
    Spec {
        method: "demo.thing.add".into(),
        origin: Origin::Import,
        scope: "demo".into(),
        rest: 2,
        twin: false,
        docs: "https://example.invalid/a?b=\"c\"&d=é".into(),
        deprecated: Some(Some("demo.thing.create".into())),
        params: vec![
            field("FIELDS", "Fields", Required::Yes),
            field("a.b c", "[{string}]?", Required::Webhook),
            field("Имя", "string", Required::No),
        ],
        types: vec![
            TypeDef {
                name: "Fields".into(),
                fields: vec![field("TITLE", "string", Required::Yes)],
                values: Vec::new(),
            },
            TypeDef {
                name: "Kind".into(),
                fields: Vec::new(),
                values: vec!["A\"".into(), "'''".into(), "é😀".into(), String::new()],
            },
        ],
        result: ResultDef {
            ty: "[Fields]".into(),
            paged: true,
            items: Some("items".into()),
        },
        errors: vec![
            ErrorRow {
                code: String::new(),
                description: Some("Line one\nline \"two\"\t\\ end".into()),
                status: Some(403),
                variant: Some("Denied".into()),
            },
            ErrorRow {
                code: "ERROR_CORE".into(),
                description: None,
                status: None,
                variant: None,
            },
        ],
        examples: vec![
            Example {
                name: "unicode".into(),
                request: Some("{\n  \"FIELDS\": {\"TITLE\": \"Сделка 😀 'q'\"}\n}".into()),
                status: 200,
                response: Some("{\"result\": \"a'''b\\\\c\"}".into()),
            },
            Example {
                name: "answer_only".into(),
                request: None,
                status: 400,
                response: Some("{\"error\": \"\", \"error_description\": \"\\u0007\"}".into()),
            },
        ],
        state: Some(State {
            entity: "demo.thing".into(),
            action: "add".into(),
            id: None,
            fields: Some("FIELDS".into()),
            key: Some("ID".into()),
            wrap: None,
            not_found: None,
            answer: Some("id".into()),
        }),
        todo: vec!["a \"quoted\" point".into(), "ünïcode\npoint".into()],
        idempotent: true,
    }
}

fn read_back(text: &str) -> Spec {
    from_source(&SpecSource::new("demo/demo.thing.add.toml", text))
        .unwrap_or_else(|p| panic!("{p:?}\n{text}"))
}

#[test]
fn a_spec_with_awkward_values_reads_back_as_written() {
    let spec = awkward();
    let text = render(&spec, Mode::Full).text;
    assert_eq!(read_back(&text), spec, "{text}");
    // Arrays of tables and inline tables in an array, as TOML reads them.
    let v = raw(&text).unwrap();
    assert_eq!(v["params"][1]["required"], json!("webhook"));
    assert_eq!(v["types"]["Kind"]["values"][1], json!({ "value": "'''" }));
    assert_eq!(v["types"]["Fields"]["fields"][0]["name"], json!("TITLE"));
}

#[test]
fn empty_lists_and_absent_parts_are_not_written() {
    let spec = Spec {
        method: "demo.ping".into(),
        origin: Origin::Unsaid,
        scope: "demo".into(),
        rest: 2,
        ..Spec::default()
    };
    let text = render(&spec, Mode::Full).text;
    for absent in [
        "todo",
        "origin",
        "[[params]]",
        "[state]",
        "[deprecated]",
        "[[errors]]",
    ] {
        assert!(!text.contains(absent), "{absent} in\n{text}");
    }
    assert_eq!(read_back(&text), spec);
    let hand = Spec {
        origin: Origin::Hand,
        deprecated: Some(None),
        ..spec
    };
    let text = render(&hand, Mode::Full).text;
    assert!(text.contains("origin = \"hand\"\n") && text.contains("\n[deprecated]\n"));
    assert_eq!(read_back(&text), hand);
}

#[test]
fn written_over_a_file_its_other_keys_stay_as_written() {
    let spec = awkward();
    let new = render(&spec, Mode::Full).text;
    // The old file: the same facts plus keys the writer does not own, in every position merge
    // knows (top level, a parameter, a type, an enum value, an error row, tables of their own).
    let old = new
        .replace(
            "scope = \"demo\"\n",
            "scope = \"demo\"\nsummary = \"Adds a thing.\" # ours\nauth = \"application\"\n",
        )
        .replace(
            "name = \"FIELDS\"\ntype = \"Fields\"\nrequired = true\n",
            "name = \"FIELDS\"\ntype = \"Fields\"\nrequired = true\ndefault = { a = { b = [1, { c = \"d\" }] }, e = [] }\n",
        )
        .replace("{ value = \"A\\\"\" }", "{ value = \"A\\\"\", description = \"The A.\" }")
        + "\n[[reviewed]]\ndrift = \"parameter `x` is new in the reference\"\nwhy = \"Not sent by portals.\"\n\n[[reviewed]]\ndrift = \"y\"\nwhy = \"z\"\n";
    let merged = merge(&old, &new).unwrap();
    assert_eq!(merged, old, "written over itself, a file does not change");
    // The old file with the facts of an older import: the writer's facts win, the rest stays.
    let older = old
        .replace("required = \"webhook\"\n", "")
        .replace("paged = true\n", "");
    let merged = merge(&older, &new).unwrap();
    assert_eq!(raw(&merged).unwrap(), raw(&old).unwrap());
}

#[test]
fn save_writes_only_a_change() {
    let dir = std::env::temp_dir().join(format!("bitrix-codegen-save-{}", std::process::id()));
    let path = dir.join("demo/demo.ping.toml");
    assert!(
        save(&path, "a = 1\n").unwrap(),
        "a new file is written, folder and all"
    );
    assert!(
        !save(&path, "a = 1\n").unwrap(),
        "the same text is not written again"
    );
    assert!(save(&path, "a = 2\n").unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 2\n");
    assert!(!path.with_extension("toml.tmp").exists());
    remove(&path).unwrap();
    remove(&path).unwrap();
    assert!(!path.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
