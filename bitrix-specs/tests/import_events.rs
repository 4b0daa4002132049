//! `import-events` on the small pages of `tests/event-pages/`: what it finds, skips and writes,
//! that hand-finished specs are left alone, that a second run changes nothing, and that drift and
//! coverage see the events. With `B24_DOCS=DOCS` the whole reference is imported as well.

use std::path::{Path, PathBuf};

use bitrix_codegen::events::parse_event;
use bitrix_codegen::SpecSource;
use serde_json::Value;

fn pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/event-pages")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bitrix-specs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn spec(dir: &Path, rel: &str) -> (String, Value) {
    let text = std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let value = bitrix_codegen::read::raw(&text).unwrap();
    (text, value)
}

fn field_type<'a>(v: &'a Value, name: &str) -> &'a str {
    v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no field {name}"))["type"]
        .as_str()
        .unwrap()
}

#[test]
fn imports_event_pages_and_family_sections() {
    let out = scratch("events");
    // A hand-finished spec of one of the events: never overwritten.
    let hand = "event = \"ONDEMOV2PONG\"\nrust_name = \"OnDemoV2Pong\"\nscope = \"demo\"\nsummary = \"Ours.\"\n";
    std::fs::create_dir_all(out.join("demo")).unwrap();
    std::fs::write(out.join("demo/ONDEMOV2PONG.toml"), hand).unwrap();

    let r = bitrix_specs::events::import(&pages(), &out, false).unwrap();
    assert_eq!((r.pages, r.events), (2, 3), "{r:?}");
    assert_eq!((r.written, r.hand), (2, 1), "{r:?}");
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert_eq!(r.skipped.len(), 2, "{:?}", r.skipped);
    assert!(r
        .skipped
        .iter()
        .any(|s| s.starts_with("widgets/") && s.contains("JavaScript")));
    assert!(r
        .skipped
        .iter()
        .any(|s| s.contains("event-demo-bind") && s.contains("method")));

    let (text, v) = spec(&out, "demo/ONDEMOTHINGUPDATE.toml");
    assert_eq!(v["rust_name"].as_str(), Some("OnDemoThingUpdate"));
    assert_eq!(v["origin"].as_str(), Some("import"));
    assert_eq!(v["scope"].as_str(), Some("demo"));
    // `undefined | object` is the object; the example's list of objects makes `ITEMS` a list.
    // Both point at one table: one type.
    assert_eq!(field_type(&v, "FIELDS_BEFORE"), "FieldsBefore");
    assert_eq!(field_type(&v, "FIELDS_AFTER"), "FieldsBefore");
    assert_eq!(field_type(&v, "IS_OPEN"), "flag");
    assert_eq!(field_type(&v, "ITEMS"), "[Items]");
    // The example says `heavy` where the table says integer: the example wins, loosely.
    assert_eq!(field_type(&v, "WEIGHT"), "any");
    assert_eq!(field_type(&v, "BLOB"), "any");
    assert!(!text.contains("name = \"extra\""), "{text}");
    let todo: Vec<&str> = v["todo"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    for point in ["`WEIGHT`", "`BLOB`", "`extra`"] {
        assert!(
            todo.iter().any(|t| t.starts_with(point)),
            "{point} not in {todo:?}"
        );
    }
    let auth: Vec<&str> = v["auth"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(
        auth.contains(&"application_token") && auth.contains(&"member_id"),
        "{auth:?}"
    );
    assert!(
        text.contains("\"event\": \"ONDEMOTHINGUPDATE\""),
        "the example body is kept"
    );
    // Every written spec is a valid event spec.
    for rel in ["demo/ONDEMOTHINGUPDATE.toml", "demo/ONDEMOV2PING.toml"] {
        let (text, _) = spec(&out, rel);
        parse_event(&SpecSource::below_root(rel, text)).unwrap_or_else(|p| panic!("{rel}: {p:?}"));
    }
    let (_, ping) = spec(&out, "demo/ONDEMOV2PING.toml");
    assert!(
        ping["rust_name"].as_str().unwrap().starts_with("OnDemoV2"),
        "{ping:?}"
    );
    assert_eq!(field_type(&ping, "count"), "integer");
    assert!(ping["examples"][0]["data"]
        .as_str()
        .unwrap()
        .contains("\"count\": 3"));
    assert!(ping["docs"]
        .as_str()
        .unwrap()
        .ends_with("family.html#ondemov2ping"));

    assert_eq!(
        std::fs::read_to_string(out.join("demo/ONDEMOV2PONG.toml")).unwrap(),
        hand
    );
    let again = bitrix_specs::events::import(&pages(), &out, false).unwrap();
    assert_eq!(again.changed, 0, "a second run changes nothing");

    // The hand spec lacks the documented `count`: drift says so, and nothing else.
    let lines = bitrix_specs::events::report::drift(&pages(), &out).unwrap();
    assert_eq!(
        lines,
        ["ONDEMOV2PONG: data key `count` documented, not in the spec"]
    );
    std::fs::remove_file(out.join("demo/ONDEMOV2PING.toml")).unwrap();
    let lines = bitrix_specs::events::report::drift(&pages(), &out).unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("ONDEMOV2PING: documented on demo/events/family.md")),
        "{lines:?}"
    );

    let cov = bitrix_specs::events::report::coverage(&pages(), &out).unwrap();
    let cov = std::fs::read_to_string(cov).unwrap();
    assert!(cov.contains("| `demo` | 3 | 2 | 1 | 1 |"), "{cov}");
    assert!(
        cov.contains("`ONDEMOV2PING` (demo/events/family.md): no spec"),
        "{cov}"
    );
    assert!(
        cov.contains("widgets/demo/events/button-click.md: a JavaScript event"),
        "{cov}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// The whole reference (`B24_DOCS=DOCS`): at least 95 % of its events import as valid specs.
#[test]
fn the_whole_reference_imports() {
    let Some(docs) = std::env::var_os("B24_DOCS") else {
        eprintln!("B24_DOCS not set; skipped");
        return;
    };
    let out = scratch("all-events");
    let r = bitrix_specs::events::import(Path::new(&docs), &out, false).unwrap();
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert!(r.written * 100 >= r.events * 95, "{r:?}");
    let _ = std::fs::remove_dir_all(&out);
}
