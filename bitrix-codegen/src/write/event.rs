//! An [`EventSpec`] (what the importer builds for one event page) as the TOML of
//! `events/README.md`.

use std::fmt::Write as _;

use super::spec::{Field, TypeDef};
use super::toml::{block, list, quote};

/// One imported event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventSpec {
    /// Upper-case name (`ONCRMDEALADD`).
    pub name: String,
    /// PascalCase Rust name.
    pub rust_name: String,
    /// Permission scope as the page gives it (or the folder's).
    pub scope: String,
    /// Folder below `events/`: module and Cargo feature.
    pub folder: String,
    /// Official page.
    pub docs: String,
    /// Deprecated upstream.
    pub deprecated: bool,
    /// Token-like fields (`access_token`, …) present in the payload.
    pub secrets: Vec<String>,
    /// The keys of `data`.
    pub fields: Vec<Field>,
    /// Named types.
    pub types: Vec<TypeDef>,
    /// The keys of `auth` the page documents.
    pub auth: Vec<String>,
    /// The example: a whole body (`event`, `data`, …) or only `data`.
    pub example: Option<(ExampleKind, String)>,
    /// Points the importer could not decide.
    pub todo: Vec<String>,
}

/// What a documented example holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleKind {
    /// The whole delivered body.
    Body,
    /// Only the `data` object.
    Data,
}

/// The spec file's text.
pub fn render(ev: &EventSpec) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "event = {}", quote(&ev.name));
    let _ = writeln!(t, "rust_name = {}", quote(&ev.rust_name));
    let _ = writeln!(t, "scope = {}", quote(&ev.scope));
    // Our words, not the page's: the name and where it comes from are the facts we have.
    let _ = writeln!(
        t,
        "summary = {}",
        quote(&format!(
            "The `{}` event, as the reference documents it (imported).",
            ev.name
        ))
    );
    let _ = writeln!(t, "docs = {}", quote(&ev.docs));
    t.push_str("origin = \"import\"\n");
    if !ev.secrets.is_empty() {
        let _ = writeln!(t, "secrets = {}", list(&ev.secrets));
    }
    if !ev.auth.is_empty() {
        let _ = writeln!(t, "auth = {}", list(&ev.auth));
    }
    if !ev.todo.is_empty() {
        t.push_str("todo = [\n");
        for p in &ev.todo {
            let _ = writeln!(t, "    {},", quote(p));
        }
        t.push_str("]\n");
    }
    if ev.deprecated {
        t.push_str("\n[deprecated]\n");
    }
    for f in &ev.fields {
        t.push_str("\n[[fields]]\n");
        field(&mut t, f);
    }
    for ty in &ev.types {
        let _ = write!(t, "\n[types.{}]\n", ty.name);
        if !ty.values.is_empty() {
            let values: Vec<String> = ty
                .values
                .iter()
                .map(|v| format!("{{ value = {} }}", quote(v)))
                .collect();
            let _ = writeln!(t, "values = [{}]", values.join(", "));
            continue;
        }
        for f in &ty.fields {
            let _ = write!(t, "\n[[types.{}.fields]]\n", ty.name);
            field(&mut t, f);
        }
    }
    if let Some((kind, text)) = &ev.example {
        t.push_str("\n[[examples]]\nname = \"documented\"\n");
        let key = match kind {
            ExampleKind::Body => "body",
            ExampleKind::Data => "data",
        };
        let _ = writeln!(t, "{key} = {}", block(text));
    }
    t
}

/// `text` with the `[[raise]]` entries of the spec it replaces (`raise`: their JSON), which are
/// the emulator's facts and not the reference's: an import keeps them, before the examples.
pub fn with_raise(text: String, raise: Option<&serde_json::Value>) -> String {
    let Some(entries) = raise.and_then(serde_json::Value::as_array) else {
        return text;
    };
    let mut block = String::new();
    for e in entries {
        let s = |k: &str| e.get(k).and_then(serde_json::Value::as_str).unwrap_or("");
        let _ = write!(block, "\n[[raise]]\nentity = {}\n", quote(s("entity")));
        if let Some(p) = e.get("partition").and_then(serde_json::Value::as_array) {
            let p: Vec<String> = p.iter().filter_map(|v| v.as_str()).map(quote).collect();
            let _ = writeln!(block, "partition = [{}]", p.join(", "));
        }
        let _ = writeln!(block, "write = {}", quote(s("write")));
        if let Some(data) = e.get("data").and_then(serde_json::Value::as_object) {
            block.push_str("\n[raise.data]\n");
            for (k, v) in data {
                let _ = writeln!(block, "{} = {}", quote(k), quote(v.as_str().unwrap_or("")));
            }
        }
    }
    match text.find("\n[[examples]]") {
        Some(i) => format!("{}{block}{}", &text[..i], &text[i..]),
        None => format!("{text}{block}"),
    }
}

fn field(t: &mut String, f: &Field) {
    let _ = writeln!(t, "name = {}", quote(&f.name));
    let _ = writeln!(t, "type = {}", quote(&f.ty));
}

#[cfg(test)]
mod raise_tests {
    use super::with_raise;

    #[test]
    fn an_import_keeps_the_raise_entries() {
        let raise = serde_json::json!([{
            "entity": "crm", "partition": ["2"], "write": "add", "data": {"FIELDS.ID": "$id"}
        }]);
        let text = "event = \"X\"\n\n[[examples]]\nname = \"documented\"\n".to_string();
        let out = with_raise(text, Some(&raise));
        assert_eq!(
            out,
            "event = \"X\"\n\n[[raise]]\nentity = \"crm\"\npartition = [\"2\"]\nwrite = \"add\"\n\n[raise.data]\n\"FIELDS.ID\" = \"$id\"\n\n[[examples]]\nname = \"documented\"\n"
        );
        assert_eq!(with_raise("a\n".into(), None), "a\n");
    }
}
